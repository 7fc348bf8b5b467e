"""Labels of the 总览 page (key: (中文, English))."""

LABELS: dict[str, tuple[str, str]] = {
    "overview.title": (
        "总览：江西省 → 设区市 → 县区 → 示例城市",
        "Overview: province → prefectures → counties → demo city",
    ),
    "overview.extent": ("视图范围", "View"),
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
}
