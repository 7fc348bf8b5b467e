"""Labels of the 一老一小 equity tab of the 城市体检 page (key: (中文, English))."""

LABELS: dict[str, tuple[str, str]] = {
    "eq.tab": ("一老一小", "Young and old"),
    "eq.title": (
        "一老一小专题：儿童与老年人设施覆盖及公平性",
        "Young and old: coverage of children's and elderly facilities, and fairness",
    ),
    "eq.intro": (
        "按年龄组统计小区居民到对应设施的直线距离是否在服务半径内（0–3岁→托育机构，3–6岁→幼儿园，6–12岁→小学，60岁及以上→老年人日间照料中心，80岁及以上→养老院），汇总到街道；{year}年已开放的设施。",
        "Whether compound residents of each age group live within the service radius (straight line) of the matching facility (0–3 → nursery, 3–6 → kindergarten, 6–12 → primary school, 60+ → elderly day care, 80+ → elderly home), summed per subdistrict; facilities open in {year}.",
    ),
    "eq.no_data": (
        "当前工作空间的小区图层没有分年龄组人口（0-3岁、3-6岁、6-12岁、60岁及以上、80岁及以上），无法做一老一小分析。请在“数据导入”中导入带这些字段的小区（七普表格）。",
        "The compounds of this workspace have no residents by age group (0–3, 3–6, 6–12, 60+, 80+), so the young-and-old analysis cannot run. Import compounds with these columns (census tables) on the Import page.",
    ),
    "eq.group.children_0_3": ("0–3岁婴幼儿", "Children 0–3"),
    "eq.group.children_3_6": ("3–6岁幼儿", "Children 3–6"),
    "eq.group.children_6_12": ("6–12岁儿童", "Children 6–12"),
    "eq.group.elderly_60": ("60岁及以上老人", "Residents 60+"),
    "eq.group.elderly_80": ("80岁及以上高龄老人", "Residents 80+"),
    "eq.short.children_0_3": ("0–3岁", "0–3"),
    "eq.short.children_3_6": ("3–6岁", "3–6"),
    "eq.short.children_6_12": ("6–12岁", "6–12"),
    "eq.short.elderly_60": ("60岁+", "60+"),
    "eq.short.elderly_80": ("80岁+", "80+"),
    "eq.map.facilities": (
        "{facility}（放大前按数量聚合）",
        "{facility} (grouped with counts when zoomed out)",
    ),
    "eq.metric": ("{group}覆盖率", "{group} served"),
    "eq.metric.help": (
        "{facility} {radius} 米内；未覆盖 {unserved} 人",
        "{facility} within {radius} m; {unserved} not served",
    ),
    "eq.pick_group": ("年龄组", "Age group"),
    "eq.col.subdistrict": ("街道", "Subdistrict"),
    "eq.col.share_pct": ("覆盖率 %", "Served %"),
    "eq.col.residents": ("该年龄组人口（人）", "Residents of the group"),
    "eq.col.served": ("已覆盖（人）", "Served (persons)"),
    "eq.col.unserved": ("未覆盖（人）", "Not served (persons)"),
    "eq.col.compound": ("小区", "Compound"),
    "eq.col.compound_id": ("小区编号", "Compound id"),
    "eq.col.community": ("社区", "Community"),
    "eq.col.build_year": ("建成年份", "Built"),
    "eq.col.group": ("年龄组", "Age group"),
    "eq.col.facility": ("对应设施", "Matching facility"),
    "eq.col.distance_m": ("最近设施距离（米）", "Nearest facility (m)"),
    "eq.col.radius_m": ("服务半径（米）", "Service radius (m)"),
    "eq.col.coverage": ("覆盖率", "Served share"),
    "eq.col.ci": ("集中指数 E", "Concentration index E"),
    "eq.col.share_old": ("2000年前小区覆盖率", "Served, compounds built before 2000"),
    "eq.col.share_new": ("2000年及以后小区覆盖率", "Served, compounds built 2000 or later"),
    "eq.col.reading": ("解读", "Reading"),
    "eq.col.share_of": ("{group}", "{group}"),
    "eq.map.layer": ("街道{group}覆盖率", "Subdistrict: {group} served"),
    "eq.map.legend": ("{group}覆盖率（按人口）", "{group} served (share of residents)"),
    "eq.by_subdistrict": ("各街道覆盖率（%）", "Served share per subdistrict (%)"),
    "eq.fairness": (
        "公平性：覆盖率按小区建成年代的集中指数",
        "Fairness: concentration index of coverage by housing age",
    ),
    "eq.ci.pro_new": (
        "偏向新小区：老旧小区居民覆盖较差",
        "Favours newer compounds: residents of old compounds served less",
    ),
    "eq.ci.pro_old": (
        "偏向老旧小区：新小区居民覆盖较差",
        "Favours old compounds: residents of newer compounds served less",
    ),
    "eq.ci.neutral": (
        "与建成年代基本无关（|E| < 0.05）",
        "Essentially unrelated to housing age (|E| < 0.05)",
    ),
    "eq.method.title": ("方法说明", "Method"),
    "eq.method": (
        "**覆盖**：小区居民位于小区代表点（多边形内一点），到对应设施的直线距离 ≤ 服务半径即视为覆盖（半径取自设施目录，GB 50180-2018；托育机构与日间照料按5分钟生活圈300米）。直线距离高估步行可达性。小区外的零散住宅与村庄居民不计入。\n\n"
        "**公平性指标**：Erreygers 修正集中指数 E = 8/W · Σ wᵢ (hᵢ − μ)(rᵢ − ½)。其中 wᵢ 为小区 i 该年龄组人口，W = Σ wᵢ；hᵢ = 1 表示已覆盖，0 表示未覆盖；μ 为该年龄组覆盖率；rᵢ 为按建成年份由早到晚（老旧小区视为相对弱势）排序的人口累计分位 rᵢ = (更早小区人口 + wᵢ/2)/W，同年建成者取平均分位。E 取值 −1 至 1：0 表示覆盖与建成年代无关，E > 0 表示覆盖集中在新小区居民（老旧小区居民被落下），E < 0 表示相反。\n\n"
        "**被落下的小区**：该年龄组人口 > 0 且未覆盖的小区，按未覆盖人数由多到少排序。",
        "**Served**: a compound's residents sit at its representative point (a point inside the polygon) and are served when the straight-line distance to the matching facility is ≤ its service radius (catalogue, GB 50180-2018; nursery and elderly day care: 5-minute circle, 300 m). Straight lines overstate walking access. Residents outside compounds (scattered housing, villages) are not counted.\n\n"
        "**Fairness figure**: the Erreygers-corrected concentration index E = 8/W · Σ wᵢ (hᵢ − μ)(rᵢ − ½), where wᵢ is the compound's residents of the group, W = Σ wᵢ, hᵢ = 1 if served else 0, μ the group's served share, and rᵢ the fractional rank of its residents when compounds are ordered from the oldest build year (old housing as the deprivation proxy) to the newest, rᵢ = (residents of older compounds + wᵢ/2)/W, equal years sharing their mean rank. E runs from −1 to 1: 0 = coverage unrelated to housing age, E > 0 = coverage concentrated among residents of newer compounds (old compounds left behind), E < 0 = the opposite.\n\n"
        "**Compounds left behind**: compounds with residents of the group who are not served, largest number first.",
    ),
    "eq.left_behind": (
        "被落下的小区：{group}（按未覆盖人数排序）",
        "Compounds left behind: {group} (by residents not served)",
    ),
    "eq.left_behind.count": (
        "共 {n} 个小区、{people} 人未覆盖；表中列出前 {shown} 个。",
        "{n} compounds, {people} residents not served; the first {shown} are listed.",
    ),
    "eq.left_behind.none": (
        "该年龄组所有小区居民均已覆盖。",
        "Every compound's residents of this group are served.",
    ),
    "eq.export": ("下载一老一小分析（XLSX）", "Download the young-and-old analysis (XLSX)"),
    "eq.sheet.city": ("全市覆盖", "City"),
    "eq.sheet.subdistricts": ("各街道", "Subdistricts"),
    "eq.sheet.fairness": ("公平性", "Fairness"),
    "eq.sheet.left_behind": ("被落下的小区", "Left behind"),
    "eq.sheet.method": ("方法", "Method"),
    "eq.basis": ("直线距离，按小区居民统计", "Straight-line distance, compound residents"),
    "eq.imp_optional": (
        "已识别分年龄组人口字段，将一并导入：{cols}",
        "Age-group columns recognised and imported too: {cols}",
    ),
    "field.children_0_3": ("0–3岁人口", "Residents aged 0–3"),
    "field.children_3_6": ("3–6岁人口", "Residents aged 3–6"),
    "field.children_6_12": ("6–12岁人口", "Residents aged 6–12"),
    "field.elderly_60": ("60岁及以上人口", "Residents 60+"),
    "field.elderly_80": ("80岁及以上人口", "Residents 80+"),
}
