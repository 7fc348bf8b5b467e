"""Labels of print layouts, the briefing PDF, slides and the rehearse command (key: (中文, English))."""

LABELS: dict[str, tuple[str, str]] = {
    # print layouts
    "print.demo_mark": ("示例数据", "DEMO DATA"),
    # number formats
    "num.residents": ("{n}人", "{n} residents"),
    "num.wan_people": ("{n}万人", "{n} × 10,000 residents"),
    "num.million_people": ("{n}百万人", "{n} million residents"),
    "num.parcels": ("{n} 个地块", "{n} parcels"),
    "num.ha": ("{n} 公顷", "{n} ha"),
    "num.points": ("{n} 分", "{n} points"),
    "num.wan_km2": ("{n} 万平方公里", "{n} × 10,000 km²"),
    "num.km2": ("{n} 平方公里", "{n} km²"),
    # slides: shared pieces
    "slide.sep": ("，", ", "),
    "slide.value_with": ("{a}（{b}）", "{a} ({b})"),
    "slide.fraction": ("{a} / {b}", "{a} of {b}"),
    "slide.scenario.current": ("现状", "current"),
    "slide.mode.euclidean": ("直线", "straight-line"),
    "slide.mode.network": ("步行路网", "walking-network"),
    "slide.mode_long.euclidean": ("直线距离", "straight-line distance"),
    "slide.mode_long.network": ("步行路网距离", "walking-network distance"),
    # slides: coverage
    "slide.cov.title": (
        "{name} {radius} 米服务覆盖 · {mode} · {year} 年{scenario}",
        "{name} within {radius} m · {mode} · {year}, {scenario}",
    ),
    "slide.cov.title_circle": (
        "{name}：全部设施覆盖 · {mode} · {year} 年{scenario}",
        "{name}: every facility within reach · {mode} · {year}, {scenario}",
    ),
    "slide.cov.what": ("{name}{mode}{radius}米", "{name} within {radius} m ({mode})"),
    "slide.cov.sub": (
        "覆盖 {share} 居民，{unserved}未覆盖",
        "{share} of residents served, {unserved} not served",
    ),
    "slide.cov.conclusion": (
        "{what}覆盖{share}的居民，仍有{unserved}未覆盖，缺口集中在{district}（{d_unserved}，占未覆盖人口的{d_share}）。",
        "{what} serves {share} of residents; {unserved} are not served, most of them in {district} "
        "({d_unserved}, {d_share} of the gap).",
    ),
    "slide.cov.conclusion_short": (
        "{what}覆盖{share}的居民，仍有{unserved}未覆盖。",
        "{what} serves {share} of residents; {unserved} are not served.",
    ),
    "slide.cov.all_served": (
        "{what}覆盖{share}的居民，全部居民均在服务范围内。",
        "{what} serves {share} of residents: everyone is within reach.",
    ),
    "slide.fig.served_share": ("居民覆盖率", "Residents served"),
    "slide.fig.unserved": ("未覆盖人口", "Residents not served"),
    "slide.fig.worst_district": ("缺口最大的区", "Largest gap"),
    # slides: renewal
    "slide.ren.title": (
        "城市更新地块：{scope}（按{colour}着色）· {year} 年",
        "Renewal parcels: {scope} (coloured by {colour}) · {year}",
    ),
    "slide.ren.all": ("全部类型", "all types"),
    "slide.ren.conclusion": (
        "{n} 个更新地块共 {ha} 公顷；按民生优先筛选，前 {top} 名中有 {k} 个位于{district}，得分最高的是{best}（{score} 分）。",
        "{n} renewal parcels cover {ha} ha; with the people-first preset, {k} of the top {top} lie in {district}, "
        "and {best} scores highest ({score} points).",
    ),
    "slide.ren.none": ("所选范围内没有更新地块。", "There are no renewal parcels in this selection."),
    "slide.fig.parcels": ("更新地块", "Renewal parcels"),
    "slide.fig.by_status": ("按状态", "By status"),
    "slide.fig.by_decision": ("留改拆", "Keep / retrofit / rebuild"),
    "slide.fig.by_parcel_type": ("主要类型", "Main types"),
    "slide.fig.top_parcel": ("得分最高", "Top score"),
    # slides: health check
    "slide.hc.title": (
        "城市体检 {year}：{indicator}（按{level}）",
        "City health check {year}: {indicator} ({level} level)",
    ),
    "slide.hc.sub": (
        "{green} / {n} 个{level}达标，{red} 个未达标",
        "{green} of {n} units meet the target ({level} level), {red} fail",
    ),
    "slide.hc.fail_value": ("{red} 个未达标，{yellow} 个接近", "{red} fail, {yellow} close"),
    "slide.hc.conclusion": (
        "{year} 年{indicator}：{n} 个{level}中 {red} 个未达标、{yellow} 个接近目标，涉及{affected}；最差为{worst}（{value}，目标 {target}）。",
        "{indicator} in {year}: of {n} units ({level} level), {red} fail and {yellow} are close to the target, "
        "affecting {affected}; the weakest is {worst} ({value}, target {target}).",
    ),
    "slide.hc.all_green": (
        "{year} 年{indicator}：{n} 个{level}全部达标。",
        "{indicator} in {year}: all {n} units ({level} level) meet the target.",
    ),
    "slide.fig.meets": ("达标单元", "Units meeting the target"),
    "slide.fig.fails": ("未达标 / 接近", "Failing / close"),
    "slide.fig.affected": ("涉及人口", "Residents affected"),
    # slides: layout
    "slide.lay.title": (
        "一圈两带四群：江西省域城镇开发格局",
        "One circle, two belts, four clusters: Jiangxi's urban layout",
    ),
    "slide.lay.sub": ("{circle}占全省面积 {share}", "{circle} covers {share} of the province"),
    "slide.lay.circle_value": (
        "{n} 个县级单元，{area}（占全省 {share}）",
        "{n} counties, {area} ({share} of the province)",
    ),
    "slide.lay.belts_value": (
        "{n} 条发展带，串联 {cities} 个设区市",
        "{n} belts linking {cities} prefecture cities",
    ),
    "slide.lay.clusters_value": (
        "{n} 个城镇群，{counties} 个县级单元",
        "{n} town clusters, {counties} counties",
    ),
    "slide.lay.conclusion": (
        "{circle}含 {n} 个县级单元、占全省面积的{share}；{belts} 条发展带串联 {cities} 个设区市，{clusters} 个城镇群覆盖其余地区。",
        "The {circle} spans {n} counties and {share} of the province; {belts} corridor belts link {cities} "
        "prefecture cities and {clusters} town clusters cover the rest.",
    ),
    "slide.fig.circle": ("一圈", "The circle"),
    "slide.fig.belts": ("两带", "The belts"),
    "slide.fig.clusters": ("四群", "The clusters"),
    # project library values (briefing pivot)
    "rep.total": ("合计", "Total"),
    "rep.mode_note": ("本表按「{mode}」计算。", "Computed with: {mode}."),
    "rep.lib_totals": ("项目库汇总（类别 × 状态）", "Project library (category × status)"),
    "rep.main_contrib": ("主要得分来源（分）", "Main contributions (points)"),
    "rep.contrib_item": ("{crit} {points}", "{crit} {points}"),
    "rep.lib_empty": ("项目库暂无项目。", "The project library has no projects yet."),
    "rep.hc_title": (
        "城市体检 {year}：问题数（按{level}）",
        "City health check {year}: problems ({level} level)",
    ),
    # briefing
    "rep.cov_map": ("{name} {radius} 米覆盖（{mode}）", "{name} within {radius} m ({mode})"),
    "rep.cand_map": ("更新候选地块得分与前 {n} 名", "Renewal candidates: scores and the top {n}"),
    "rep.cand_layer": ("前 {n} 名", "Top {n}"),
    "rep.layout_note": (
        "全省城镇开发格局（一圈两带四群），行政区划为真实边界。",
        "The provincial layout (one circle, two belts, four clusters) on real boundaries.",
    ),
    "rep.key_figures": ("关键数字", "Key figures"),
    "rep.summary": ("要点", "Summary"),
    "rep.contents": ("目录", "Contents"),
    "rep.score_col": ("综合得分", "Score"),
    "rep.problems_col": ("问题数", "Problems"),
    "rep.parcel": ("地块", "Parcel"),
    # rehearse
    "rh.pages": ("{n} 页", "{n} pages"),
    "rh.blank": ("图像为空白", "the image is blank"),
    "rh.no_title": ("未找到标题「{title}」", "title “{title}” not found"),
    "rh.not_png": ("不是有效的 PNG 文件", "not a valid PNG file"),
    "rh.not_pdf": ("不是有效的 PDF 文件", "not a valid PDF file"),
    "rh.no_views": ("没有保存的视图：仅演练 PDF 简报。", "No saved views: rehearsing the PDF briefing only."),
}
