"""The one labels table: every user-visible string, Chinese (default) and English.

Pages call :func:`t` with a key; nothing Chinese is hard-coded in logic. ``{name}`` placeholders are
filled with ``str.format``.
"""

from __future__ import annotations

LANGS = ("zh", "en")

LABELS: dict[str, tuple[str, str]] = {
    # app
    "app.title": ("城市更新规划一张图", "Renewal Atlas"),
    "app.subtitle": (
        "江西省城市更新与城市体检规划平台",
        "Urban renewal and city health-check planning for Jiangxi",
    ),
    "nav.overview": ("总览", "Overview"),
    "nav.group.main": ("规划一张图", "Planning map"),
    # sidebar
    "sidebar.language": ("语言 / Language", "语言 / Language"),
    "sidebar.settings": ("设置", "Settings"),
    "sidebar.basemap": ("底图", "Basemap"),
    "sidebar.basemap.help": (
        "默认离线底图（无需互联网）。在线底图需要网络；天地图需填写密钥；高德底图为 GCJ-02 坐标，叠加数据会自动偏移。",
        "Offline basemap by default (no internet). Online basemaps need a network; Tianditu needs a key; "
        "AMap tiles are GCJ-02, overlays are shifted automatically.",
    ),
    "basemap.none": ("离线底图（行政区划）", "Offline (boundaries only)"),
    "basemap.osm": ("OpenStreetMap（在线）", "OpenStreetMap (online)"),
    "basemap.tianditu": ("天地图（在线，需密钥）", "Tianditu (online, key needed)"),
    "basemap.amap": ("高德地图（在线，GCJ-02）", "AMap (online, GCJ-02)"),
    "sidebar.tianditu_key": ("天地图密钥", "Tianditu key"),
    "sidebar.tianditu_missing": (
        "请填写天地图密钥，暂用离线底图。",
        "Enter a Tianditu key; using the offline basemap.",
    ),
    "sidebar.workspace": ("工作空间", "Workspace"),
    "demo.badge": (
        "示例数据：南昌中心城区的设施、小区、人口与更新地块为种子脚本生成的合成数据，仅供演示；行政区划边界为真实数据。",
        "Demo data: facilities, compounds, population and renewal parcels of central Nanchang are synthetic "
        "(seeded script), for demonstration only; administrative boundaries are real.",
    ),
    "error.workspace": ("工作空间数据有问题，无法加载：", "The workspace could not be loaded:"),
    "error.boundaries": ("行政区划边界数据有问题：", "The boundary data has problems:"),
    # overview
    "overview.title": (
        "总览：江西省 → 设区市 → 县区 → 示例城市",
        "Overview: province → prefectures → counties → demo city",
    ),
    "overview.extent": ("视图范围", "View"),
    "extent.province": ("江西全省", "All of Jiangxi"),
    "extent.city": ("南昌中心城区（示例城市）", "Central Nanchang (demo city)"),
    "overview.metric.prefectures": ("设区市", "Prefectures"),
    "overview.metric.counties": ("县级行政区", "County-level units"),
    "overview.metric.compounds": ("居住小区", "Residential compounds"),
    "overview.metric.population": ("居住人口（万人）", "Residents (10k)"),
    "overview.metric.facilities": ("公共服务设施", "Service facilities"),
    "overview.metric.parcels": ("更新地块", "Renewal parcels"),
    "overview.area": (
        "全省面积 {area:,.0f} km²（等积投影计算）",
        "Province area {area:,.0f} km² (equal-area projection)",
    ),
    "overview.city_table": ("示例城市各区概况", "Demo city districts"),
    "overview.caption": (
        "地图为离线底图：省、市、县界与示例城市图层；右上角图层控件可开关各图层，鼠标悬停显示名称。",
        "Offline map: province, prefecture, county and demo-city layers; toggle layers top right, hover for names.",
    ),
    # layout page
    "nav.layout": ("省域格局", "Provincial layout"),
    "layout.title": (
        "一圈两带四群：江西省城镇开发格局",
        "One circle, two belts, four clusters: Jiangxi's urban layout",
    ),
    "layout.caption": (
        "依据《关于推动城市高质量发展的实施意见》（2026）；都市圈按成员县区边界融合绘制，发展带为经过城市驻地的通道线及两侧缓冲带。点击地图上的城市查看其定位。",
        "From the 2026 provincial implementation opinions; the circle is the dissolved outline of its member "
        "counties, belts are corridor lines through city seats with a band each side. Click a city on the map.",
    ),
    "layout.layer.clusters": ("四群：城镇群", "Four town clusters"),
    "layout.layer.circle": ("一圈：南昌都市圈", "Nanchang metropolitan circle"),
    "layout.layer.belts": ("两带：沪昆、京九发展带", "Two corridor belts"),
    "layout.layer.seats": ("城市驻地（按等级）", "City seats (by tier)"),
    "layout.click_hint": (
        "点击地图上任一设区市，查看其定位与所属格局要素。",
        "Click any prefecture on the map to see its role.",
    ),
    "layout.pick_city": ("或选择城市", "Or pick a city"),
    "layout.city.tier": ("城市等级", "Tier"),
    "layout.city.role": ("发展定位（2026年实施意见）", "Role (2026 provincial opinions)"),
    "layout.city.elements": ("所属格局要素", "Layout elements"),
    "layout.city.circle_all": ("全域属于南昌都市圈", "Wholly in the Nanchang metropolitan circle"),
    "layout.city.circle_partial": (
        "部分县区属于南昌都市圈：{names}",
        "Partly in the metropolitan circle: {names}",
    ),
    "layout.city.circle_none": ("不属于南昌都市圈", "Not in the metropolitan circle"),
    "layout.city.belts": ("位于发展带：{names}", "On belts: {names}"),
    "layout.city.no_belt": ("不在两带城市序列中", "Not a belt stop"),
    "layout.city.cluster": ("城镇群：{name}", "Cluster: {name}"),
    "layout.city.no_cluster": ("不属于四群（整体纳入都市圈）", "No cluster (wholly in the circle)"),
    "layout.city.area": ("面积（km²）", "Area (km²)"),
    "layout.city.counties": ("县级单元数", "County-level units"),
    "layout.city.projects": ("更新项目库（本市）", "Renewal project library (this city)"),
    "layout.city.no_projects": ("项目库中暂无本市项目。", "No projects of this city in the library yet."),
    "layout.summary": ("格局要素汇总", "Layout elements"),
    "layout.chart": ("四群对比：面积与县级单元数", "Clusters compared: area and county count"),
    "layout.kind.circle": ("一圈", "Circle"),
    "layout.kind.belt": ("两带", "Belt"),
    "layout.kind.cluster": ("四群", "Cluster"),
    "col.kind": ("类别", "Kind"),
    "col.members": ("成员城市", "Member cities"),
    "col.county_count": ("县级单元数", "Counties"),
    "layout.editor": (
        "调整格局（保存后地图与表格同步更新）",
        "Adjust the layout (map and tables follow on save)",
    ),
    "layout.editor.members": ("都市圈成员县（市、区）", "Circle member counties"),
    "layout.editor.band": ("{name}：单侧宽度（km）", "{name}: band half-width (km)"),
    "layout.editor.save": ("校验并保存", "Validate and save"),
    "layout.editor.reset": ("恢复为内置格局", "Reset to the bundled layout"),
    "layout.editor.saved": ("已保存：{path}", "Saved: {path}"),
    "layout.editor.invalid": ("格局配置有问题，未保存：", "The layout has problems and was not saved:"),
    "layout.editor.note": (
        "修改保存在工作目录（RENEWAL_DATA_DIR）中的 layout.toml，不改动内置配置；也可直接编辑该文件。",
        "Edits are saved to layout.toml in the data directory (RENEWAL_DATA_DIR), not to the bundled file; "
        "you may also edit that file directly.",
    ),
    "error.layout": ("格局配置文件有问题：", "The layout configuration has problems:"),
    # coverage page
    "nav.coverage": ("生活圈覆盖", "Service circles"),
    "cov.title": ("15/10/5 分钟生活圈设施覆盖与服务缺口", "15/10/5-minute service-circle coverage and gaps"),
    "cov.target": ("分析对象", "Analyse"),
    "cov.target.type": ("单类设施", "One facility type"),
    "cov.target.circle": (
        "生活圈（该圈全部设施均可达才算覆盖）",
        "Life circle (all its types must be reached)",
    ),
    "cov.type": ("设施类型", "Facility type"),
    "cov.circle": ("生活圈", "Life circle"),
    "circle.5min": ("5分钟生活圈（约300米）", "5-minute circle (≈300 m)"),
    "circle.10min": ("10分钟生活圈（约500米）", "10-minute circle (≈500 m)"),
    "circle.15min": ("15分钟生活圈（约1000米）", "15-minute circle (≈1000 m)"),
    "cov.mode": ("距离计算方式", "Distance"),
    "mode.euclidean": ("直线距离（缓冲区）", "Straight line (buffer)"),
    "mode.network": ("步行路网距离", "Walking network"),
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
    "cov.layer.communities": ("社区覆盖率", "Community served share"),
    "cov.layer.facilities": ("现有设施", "Existing facilities"),
    "cov.layer.area": ("服务范围（直线，仅示意）", "Service area (straight line, display only)"),
    "cov.layer.proposed": ("拟新增设施（情景）", "Proposed facilities (scenario)"),
    "cov.legend": ("社区覆盖率（人口加权）", "Community served share (population-weighted)"),
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
    "cov.export.sites": ("导出情景设施（CSV）", "Export scenario sites (CSV)"),
    "cov.method": ("方法说明：半径、依据与距离方式", "Method: radii, sources and distance mode"),
    "cov.method.text": (
        "居住人口以100米网格中心点表示（人口加权）；与最近设施的距离≤服务半径即为覆盖（含等于）。"
        "社区某类设施覆盖人口占比≥50%视为“具备”该项（完整社区核查）。生活圈覆盖要求该圈全部设施类型均在半径内。"
        "直线距离为理想上限，步行路网距离=居民到最近路网节点+路网最短路径+节点到设施，更接近实际。",
        "Residents are 100 m grid-cell centres (population-weighted); served when the nearest facility is within "
        "the radius (≤). A community 'has' a type when ≥50% of its residents are served (complete-community "
        "check). A life circle is served only when all its types are within radius. Straight line is an upper "
        "bound; walking network = access to the nearest street node + shortest path + access to the facility.",
    ),
    "cov.method.overstate": (
        "直线距离相对步行路网距离高估的覆盖率（百分点）",
        "How much straight line overstates coverage vs walking network (points)",
    ),
    "col.radius_m": ("半径（米）", "Radius (m)"),
    "col.circle": ("生活圈", "Circle"),
    "col.basis": ("依据", "Basis"),
    "col.assumption": ("假设", "Assumption"),
    "col.community": ("社区", "Community"),
    "col.subdistrict": ("街道", "Sub-district"),
    "col.unserved_pop": ("未覆盖人口", "Residents not served"),
    "col.served_share": ("覆盖率", "Served share"),
    "col.missing": ("缺项（完整社区）", "Missing (complete community)"),
    "col.missing_count": ("缺项数", "Missing items"),
    "col.gap_rank": ("缺口排名", "Gap rank"),
    "col.mode": ("距离方式", "Distance mode"),
    "col.euclidean": ("直线覆盖率", "Straight-line share"),
    "col.network": ("路网覆盖率", "Network share"),
    "col.overstatement": ("高估（百分点）", "Overstatement (pts)"),
    "col.lon": ("经度", "Lon"),
    "col.lat": ("纬度", "Lat"),
    "col.facility_id": ("设施编号", "Facility id"),
    "col.newly_served": ("新增覆盖人口", "Newly served"),
    # layers
    "layer.province": ("省界", "Province"),
    "layer.prefectures": ("设区市", "Prefectures"),
    "layer.counties": ("县（市、区）", "Counties"),
    "layer.districts": ("示例城市：中心城区各区", "Demo city: districts"),
    "layer.compounds": ("居住小区（按建成年代）", "Compounds (by build year)"),
    "layer.facilities": ("公共服务设施", "Service facilities"),
    "layer.parcels": ("更新地块（按类型）", "Renewal parcels (by type)"),
    "legend.title": ("图例", "Legend"),
    "legend.built_before_2000": ("2000年前建成小区（老旧小区）", "Compound built before 2000 (old)"),
    "legend.built_2000_2010": ("2000–2010年建成小区", "Compound built 2000–2010"),
    "legend.built_after_2010": ("2010年后建成小区", "Compound built after 2010"),
    "legend.prefecture": ("设区市界", "Prefecture boundary"),
    "legend.county": ("县界", "County boundary"),
    "legend.facility": ("设施（聚合显示，放大查看）", "Facility (clustered; zoom in)"),
    # table columns
    "col.district": ("区", "District"),
    "col.area_km2": ("面积（km²）", "Area (km²)"),
    "col.compounds": ("小区数", "Compounds"),
    "col.population": ("人口", "Population"),
    "col.facilities": ("设施数", "Facilities"),
    "col.parcels": ("更新地块数", "Parcels"),
    "col.name": ("名称", "Name"),
    "col.type": ("类型", "Type"),
    "col.build_year": ("建成年份", "Build year"),
    "col.households": ("户数", "Households"),
    "col.status": ("状态", "Status"),
    "col.decision": ("留改拆", "Keep/retrofit/rebuild"),
    "col.budget_wan": ("投资（万元）", "Budget (10k CNY)"),
    "col.area_m2": ("面积（m²）", "Area (m²)"),
    "col.elderly_share": ("老年人口占比", "Elderly share"),
    # parcel types and statuses (values are stored in Chinese; English shown in en mode)
    "ptype.老旧小区": ("老旧小区", "Old compound"),
    "ptype.老旧厂区": ("老旧厂区", "Old factory land"),
    "ptype.城中村": ("城中村", "Urban village"),
    "ptype.危旧房": ("危旧房", "Dangerous housing"),
    "ptype.预制板房屋": ("预制板房屋", "Precast-slab housing"),
    "ptype.低效用地": ("低效用地", "Low-efficiency land"),
}


def t(key: str, lang: str = "zh", **fmt) -> str:
    """Label ``key`` in ``lang`` ("zh" or "en"); the key itself when unknown (visible, never a crash)."""
    pair = LABELS.get(key)
    if pair is None:
        return key
    text = pair[1] if lang == "en" else pair[0]
    return text.format(**fmt) if fmt else text
