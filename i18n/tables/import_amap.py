"""Labels of AMap / Baidu POI imports and of re-import counts on the 数据导入 page (key: (中文, English))."""

LABELS: dict[str, tuple[str, str]] = {
    "amap.recognised.amap": (
        "识别为高德 POI 导出（{n} 条），已由 GCJ-02 转为 WGS84。",
        "Recognised as an AMap (高德) POI export ({n} rows); converted from GCJ-02 to WGS84.",
    ),
    "amap.recognised.baidu": (
        "识别为百度 POI 导出（{n} 条），已由 BD-09 转为 WGS84。",
        "Recognised as a Baidu (百度) POI export ({n} rows); converted from BD-09 to WGS84.",
    ),
    "amap.not_converted": (
        "识别为{provider} POI 导出（{n} 条），其坐标通常为 {d}；当前按所选“坐标来源”处理，未做 {d} 转换。",
        "Recognised as a {provider} POI export ({n} rows), usually in {d}; the coordinates are taken as chosen"
        " under “Coordinates are”, with no {d} conversion.",
    ),
    "amap.provider.amap": ("高德", "AMap"),
    "amap.provider.baidu": ("百度", "Baidu"),
    "amap.duplicates": (
        "{n} 条与前面的 POI 编号相同（同一 POI 重复出现），已去除。",
        "{n} row(s) repeat an earlier POI id (the same POI twice) and were left out.",
    ),
    "amap.bad_location": (
        "{n} 条位置（location）无法读取：保留在校验报告中。",
        "{n} row(s) have no readable location: they stay in the validation report.",
    ),
    "amap.types": ("类型对应（高德分类编码 → 设施类型）", "Type mapping (AMap typecode → facility type)"),
    "amap.types_caption": (
        "按分类编码表对应（先精确编码，再中类上级编码 xxxx00；名称含“社区卫生服务中心”“养老院”等按名称规则）。"
        "编码来源：高德开放平台 POI 分类编码表；标为“未核实”的编码请对照官方表。共 {mapped} 条已对应，其中 {by_name} 条按名称。",
        "Mapped with the typecode table (exact code, then its 中类 parent xxxx00; names such as 社区卫生服务中心 or 养老院"
        " by a name rule). Codes from the AMap Open Platform POI typecode table; check the ones marked unverified"
        " against it. {mapped} rows mapped, {by_name} of them by name.",
    ),
    "amap.col.type": ("设施类型", "Facility type"),
    "amap.col.count": ("条数", "Rows"),
    "amap.col.code": ("分类编码", "Typecode"),
    "amap.col.name": ("高德分类", "AMap category"),
    "amap.col.verified": ("已核实", "Verified"),
    "amap.col.note": ("说明", "Note"),
    "amap.unmapped": (
        "{n} 条的分类编码未对应任何设施类型（下表），不会按猜测的类型导入：校验报告将其列为“类型为空”，"
        "可选择“删除有问题的行后导入”，或在下方编码表中为其指定类型。",
        "{n} rows have a typecode that maps to no facility type (below). They are not imported under a guessed"
        " type: the validation report lists them with an empty type — choose “Drop the rows with problems and"
        " import”, or give their code a type in the table below.",
    ),
    "amap.all_mapped": ("所有 POI 均已对应设施类型。", "Every POI has a facility type."),
    "amap.table": (
        "编辑分类编码表（保存为本机副本，覆盖内置表）",
        "Edit the typecode table (saved as your copy, overriding the shipped one)",
    ),
    "amap.table_caption": (
        "本文件中未对应的编码已列在表尾，选择设施类型后保存即可；类型留空表示不对应。副本位置：{path}",
        "This file's unmapped codes are listed at the end: choose a type and save; an empty type leaves a code"
        " unmapped. Your copy: {path}",
    ),
    "amap.save": ("保存编码表", "Save the typecode table"),
    "amap.saved": ("已保存编码表（{n} 个编码）。", "Typecode table saved ({n} codes)."),
    "amap.none": ("（不对应）", "(not mapped)"),
    "amap.counts": (
        "新增 {created} 条，更新 {updated} 条，未变 {unchanged} 条（按来源编号匹配，无编号时按名称 + 类型且相距 ≤ {tol:.0f} 米）。",
        "Created {created}, updated {updated}, unchanged {unchanged} (matched by source id, else by name + type"
        " within {tol:.0f} m).",
    ),
    "amap.dropped": ("已删除 {n} 条问题行。", "{n} rows with problems dropped."),
}
