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
