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
