"""Labels of the new import kinds: population (raster, 七普 table, building footprints), streets, 社区/街道 polygons
(key: (中文, English))."""

LABELS: dict[str, tuple[str, str]] = {
    "ik.kind": ("导入内容", "What to import"),
    "ik.kind.layers": ("设施、小区或更新地块", "Facilities, neighbourhoods or parcels"),
    "ik.kind.population": ("人口", "Population"),
    "ik.kind.streets": ("道路中心线", "Street centre lines"),
    "ik.kind.communities": ("社区边界", "Community polygons"),
    "ik.kind.subdistricts": ("街道边界", "Subdistrict (街道) polygons"),
    "ik.help.population": (
        "三种来源（按文件自动识别）：人口栅格 GeoTIFF（如 WorldPop，每格人数）；按社区/街道的人口表 CSV/XLSX（七普，按代码或名称匹配工作空间的社区/街道）；建筑轮廓（面，含层数列）× 套均面积 × 户均人口。导入将替换工作空间现有的全部人口点。",
        "Three sources, recognised by the file: a population raster GeoTIFF (e.g. WorldPop, persons per cell); a table per community/subdistrict CSV/XLSX (census, matched to the workspace's polygons by code or name); building footprints (polygons with a floors column) × floor area per dwelling × household size. The import replaces all population cells of the workspace.",
    ),
    "ik.help.streets": (
        "道路中心线（线要素，任意支持的格式）；多段线拆分；保留桥梁/隧道/层信息，步行网络据此不在立交处连通。",
        "Street centre lines (lines, any supported format); multi-lines are split; bridge/tunnel/layer attributes are kept so the walking network does not join grade-separated crossings.",
    ),
    "ik.help.communities": (
        "社区边界（面，含名称，可含社区代码与街道代码）；所属区县按与区县重叠最大者确定。",
        "Community polygons (with names, optionally community and subdistrict codes); the district is the one with the largest overlap.",
    ),
    "ik.help.subdistricts": (
        "街道（乡镇）边界（面，含名称，可含代码）；所属区县按与区县重叠最大者确定。",
        "Subdistrict (街道/乡镇) polygons (with names, optionally codes); the district is the one with the largest overlap.",
    ),
    "ik.upload": ("选择文件（上限 {mb} MB）", "Choose a file (limit {mb} MB)"),
    "ik.crs": (
        "坐标系（仅在文件没有坐标系时使用，如 EPSG:4548）",
        "CRS (only used when the file has none, e.g. EPSG:4548)",
    ),
    "ik.no_crs": ("文件没有坐标系：请在上方填写。", "The file has no CRS: give one above."),
    "ik.elderly_on": ("按比例估算老年人口（60 岁及以上）", "Estimate elderly residents (60+) from a share"),
    "ik.elderly_share": ("老年人口比例（0–1，如七普比例）", "Elderly share (0–1, e.g. the census share)"),
    "ik.level": ("表中每行是", "Each row of the table is"),
    "ik.level.auto": ("自动判断", "decide from the columns"),
    "ik.level.community": ("社区", "a community"),
    "ik.level.subdistrict": ("街道（乡镇）", "a subdistrict (街道)"),
    "ik.drop_unmatched": (
        "只导入已匹配的行（未匹配的行不导入）",
        "Import the matched rows only (leave the unmatched rows out)",
    ),
    "ik.household_size": (
        "户均人口（人/户，必填，如七普户均人口）",
        "Household size (persons, required, e.g. census)",
    ),
    "ik.dwelling_area": ("套均建筑面积（m²/套，必填）", "Floor area per dwelling (m², required)"),
    "ik.dwelling_share": ("住宅面积占比（0–1）", "Share of floor area that is dwellings (0–1)"),
    "ik.need_assumptions": (
        "按建筑估算人口需要户均人口和套均建筑面积：本工具不假设默认值，请填写。",
        "Estimating residents from buildings needs the household size and the floor area per dwelling: no default is assumed, please fill them in.",
    ),
    "ik.replace": (
        "替换工作空间现有的 {n} 个要素（{layer}）",
        "Replace the {n} existing features of the workspace ({layer})",
    ),
    "ik.replace_needed": (
        "工作空间已有该图层的要素：请勾选替换后再导入。",
        "The workspace already holds this layer: tick replace to import.",
    ),
    "ik.result": ("导入前核对", "Check before importing"),
    "ik.source.raster": ("人口栅格", "Raster"),
    "ik.source.table": ("人口统计表", "Census table"),
    "ik.source.footprints": ("建筑估算", "Buildings"),
    "ik.metric.source": ("来源", "Source"),
    "ik.metric.cells": ("人口点（个）", "Population points"),
    "ik.metric.total": ("总人口（人）", "Total population (persons)"),
    "ik.metric.features": ("要素（个）", "Features"),
    "ik.dropped": ("未导入", "Not imported"),
    "ik.dropped.reason": ("原因", "Reason"),
    "ik.dropped.count": ("数量", "Count"),
    "ik.dropped.nodata": ("无数据格", "nodata cells"),
    "ik.dropped.zero": ("人口为 0 的格/建筑", "cells or buildings with no residents"),
    "ik.dropped.outside": ("在工作空间边界外", "outside the workspace boundary"),
    "ik.dropped.unmatched": ("名称/代码未匹配", "name/code matched nothing"),
    "ik.dropped.ambiguous": ("重名（多个社区同名）", "ambiguous name (several polygons)"),
    "ik.dropped.not_polygon": ("不是面要素", "not a polygon"),
    "ik.unmatched": ("未匹配的行（{n}）", "Rows that matched nothing ({n})"),
    "ik.ambiguous": ("重名无法确定的行（{n}）", "Rows with an ambiguous name ({n})"),
    "ik.col.name": ("名称（或代码）", "Name (or code)"),
    "ik.unmatched_block": (
        "有 {n} 行未能唯一匹配：请修改名称或代码，或勾选“只导入已匹配的行”。",
        "{n} rows matched no single polygon: fix their names or codes, or tick “import the matched rows only”.",
    ),
    "ik.method.raster": (
        "每个栅格单元中心一个人口点，人数为单元值；无数据、0 值及中心在边界外的单元不导入。",
        "One population point per raster cell centre, persons = the cell value; nodata, zero and cells whose centre lies outside the boundary are left out.",
    ),
    "ik.method.table": (
        "每个社区/街道一个人口点，位于其面内代表点，承载该行全部人口；先按代码匹配，再按名称（去空格、全角转半角）。",
        "One population point per community/subdistrict at the polygon's representative point, carrying the row's whole population; matched by code, else by name (spaces removed, full-width folded).",
    ),
    "ik.method.footprints": (
        "人口 = 占地面积 × 层数 × 住宅占比 ÷ 套均面积 × 户均人口，每栋建筑质心一个点。",
        "Population = footprint area × floors × dwelling share ÷ floor area per dwelling × household size; one point per building centroid.",
    ),
    "ik.elderly.none": (
        "未给出老年人口比例：老年人口记为 0。",
        "No elderly share given: elderly residents set to 0.",
    ),
    "ik.elderly.share": (
        "老年人口 = 人口 × {share}（用户给出）。",
        "Elderly = population × {share} (stated by you).",
    ),
    "ik.elderly.column": ("老年人口取自表中 60 岁及以上列。", "Elderly taken from the table's 60+ column."),
    "ik.confirm": ("确认导入", "Confirm import"),
    "ik.done_population": (
        "已导入 {n} 个人口点，总人口 {total} 人。",
        "Imported {n} population points, total population {total}.",
    ),
    "ik.done": ("已导入 {n} 个要素到 {layer}。", "Imported {n} features into {layer}."),
    "ik.error": ("无法导入：", "Cannot import:"),
}
