"""Labels of the 生活圈覆盖 page (key: (中文, English))."""

LABELS: dict[str, tuple[str, str]] = {
    "cov.title": ("15/10/5 分钟生活圈设施覆盖与服务缺口", "15/10/5-minute service-circle coverage and gaps"),
    "cov.target": ("分析对象", "Analyse"),
    "cov.target.type": ("单类设施", "One facility type"),
    "cov.target.circle": (
        "生活圈（该圈全部设施均可达才算覆盖）",
        "Life circle (all its types must be reached)",
    ),
    "cov.type": ("设施类型", "Facility type"),
    "cov.circle": ("生活圈", "Life circle"),
    "cov.mode": ("距离计算方式", "Distance"),
    "cov.radius": ("服务半径（米）", "Service radius (m)"),
    "cov.radius.help": (
        "默认值来自设施目录（GB 50180-2018 等），可按本地标准调整。",
        "Default from the catalogue (GB 50180-2018 etc.); adjust to local standards.",
    ),
    "cov.metric.population": ("居住人口", "Residents"),
    "cov.metric.served": ("已覆盖人口", "Served"),
    "cov.metric.unserved": ("未覆盖人口", "Not served"),
    "cov.metric.share": ("覆盖率", "Served share"),
    "cov.mode_note": ("以上数字按「{mode}」计算。", "Figures computed with: {mode}."),
    "cov.layer.community_share": ("社区覆盖率", "Community served share"),
    "cov.layer.district_share": ("区县覆盖率", "District served share"),
    "cov.layer.facilities": ("现有设施", "Existing facilities"),
    "cov.layer.area": ("服务范围（直线，仅示意）", "Service area (straight line, display only)"),
    "cov.layer.proposed": ("拟新增设施（情景）", "Proposed facilities (scenario)"),
    "cov.legend.community": ("社区覆盖率（人口加权）", "Community served share (population-weighted)"),
    "cov.legend.district": ("区县覆盖率（人口加权）", "District served share (population-weighted)"),
    "cov.by_district": ("各区覆盖率", "Served share by district"),
    "cov.gaps": (
        "服务缺口社区（按未覆盖人口 × 缺项数排序）",
        "Service-gap communities (unserved residents × missing items)",
    ),
    "cov.whatif": ("情景模拟：新增或撤销设施", "What-if: add or remove facilities"),
    "cov.whatif.click": (
        "点击地图添加拟建设施（当前所选类型）",
        "Click the map to add a proposed facility (selected type)",
    ),
    "cov.whatif.coords": ("或输入坐标（WGS84 经纬度）", "Or enter coordinates (WGS84 lon/lat)"),
    "cov.whatif.lon": ("经度", "Longitude"),
    "cov.whatif.lat": ("纬度", "Latitude"),
    "cov.whatif.add": ("添加", "Add"),
    "cov.whatif.remove": ("撤销现有设施（编号）", "Remove existing facilities (id)"),
    "cov.whatif.remove_hint": ("选择要撤销的设施编号", "Pick facility ids to remove"),
    "cov.whatif.clear": ("清空情景", "Clear scenario"),
    "cov.whatif.none": (
        "尚未设置情景。选择单类设施后点击地图即可添加拟建点。",
        "No scenario yet. Pick a facility type and click the map to add a site.",
    ),
    "cov.whatif.delta": ("情景新增覆盖人口", "Residents newly served"),
    "cov.whatif.lost": ("情景失去覆盖人口", "Residents no longer served"),
    "cov.whatif.sites": ("情景设施清单", "Scenario sites"),
    "cov.whatif.needs_type": ("情景模拟需选择单类设施。", "Pick one facility type for what-if."),
    "cov.export.gaps_xlsx": ("导出缺口表（XLSX）", "Export gap table (XLSX)"),
    "cov.export.gaps_csv": ("导出缺口表（CSV）", "Export gap table (CSV)"),
    "cov.export.sites": ("导出情景设施（CSV）", "Export sites (CSV)"),
    "cov.method": ("方法说明：半径、依据与距离方式", "Method: radii, sources and distance mode"),
    "cov.method.text": (
        "居住人口以100米网格中心点表示（人口加权）；与最近设施的距离≤服务半径即为覆盖（含等于）。社区某类设施覆盖人口占比≥50%视为“具备”该项（完整社区核查）。生活圈覆盖要求该圈全部设施类型均在半径内。直线距离为理想上限；步行路网距离更接近实际：街道在交叉处打断连通（桥梁、隧道及不同层级道路不与下方道路相连，只在端点相接），居民和设施各自垂直投影到最近的街道路段，距离=垂直接入距离+沿路段到路口+路网最短路径+路口沿路段到设施投影点+设施垂直接入距离（同一路段上直接沿路段计算；多处设施取最短者）。",
        "Residents are 100 m grid-cell centres (population-weighted); served when the nearest facility is within the radius (≤). A community 'has' a type when ≥50% of its residents are served (complete-community check). A life circle is served only when all its types are within radius. Straight line is an upper bound; the walking network is closer to reality: streets are joined where they cross (bridges, tunnels and other road levels do not meet the street below, only at their ends); residents and facilities are each projected perpendicularly onto their nearest street segment, and distance = perpendicular access + along the segment to a junction + shortest path + along the facility's segment + its perpendicular access (directly along the segment when both are on the same one; the nearest facility counts).",
    ),
    "cov.method.overstate": (
        "直线距离相对步行路网距离高估的覆盖率（百分点）",
        "How much straight line overstates coverage vs walking network (points)",
    ),
    "cov.scenario_included": (
        "以上数字已包含情景：新增 {added} 处、撤销 {removed} 处设施，覆盖人口较现状 {change}（现状覆盖率 {before}）。",
        "These figures include the scenario: {added} site(s) added, {removed} removed; residents served {change} "
        "against today (today's served share {before}).",
    ),
    "cov.whatif.site_served": ("新增覆盖人口", "Newly served"),
    "cov.whatif.site_split_network": (
        "步行路网方式下不按选址拆分新增覆盖人口，合计见上方。",
        "In walking-network mode the newly served residents are not split per site; see the total above.",
    ),
    "cov.whatif.delete": ("删除所选选址", "Delete selected sites"),
    "cov.layer.catchments": ("各选址新增覆盖的居民（按选址着色）", "Residents newly served, by site"),
    "cov.items.title": ("{circle}：可达设施项数", "{circle}: items reached"),
    "cov.items.definition": (
        "“全部达标”口径：居民须在该生活圈全部设施项的服务半径内才计为覆盖（上方指标）。此处另列每位居民可达的设施项数"
        "（0–n 项）与各项设施的覆盖率——城市体检报告常用的分项口径。",
        "Strict figure (above): a resident counts as served only when every item of the circle is within its "
        "radius. Here also: how many of the circle's items each resident reaches (0–n), and each item's "
        "coverage — the per-item figures city health-check reports use.",
    ),
    "cov.items.reached": ("可达项数", "Items reached"),
    "cov.whatif.last": (
        "最近添加的选址：经度 {lon}，纬度 {lat}（WGS84）",
        "Last site added: lon {lon}, lat {lat} (WGS84)",
    ),
}
