"""Data problems and importer notes in the planner's language.

geodata/ reports problems (layer, row, field, problem, hint) and importer notes as plain English sentences,
so logs and the CLI stay one language. The pages show them through :func:`problem_text`, which matches
each sentence against the patterns below and writes the Chinese version (numbers, names and codes are
carried over). A sentence no pattern knows is shown as it is — a test keeps every sentence geodata/ can
produce covered.
"""

from __future__ import annotations

import re

from i18n.tables.import_read import PATTERNS as _READ_PATTERNS

# (English pattern, Chinese template with {1}, {2} … for the groups)
_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"the layer has no coordinate reference system \(CRS\)", "该图层没有坐标参考系（CRS）"),
    (
        r"save it with a \.prj / CRS, or give --crs \(e\.g\. (.*)\)",
        "请保存时附带 .prj / 坐标系，或指定坐标系（例如 {1}）",
    ),
    (
        r"longitude and latitude look swapped \(x values are latitudes in China\)",
        "经纬度疑似颠倒（X 值像纬度）",
    ),
    (r"swap the coordinate columns / axis order and import again", "请交换经纬度列（或轴顺序）后重新导入"),
    (
        r"CRS (.*) is in degrees but coordinates reach \((.*)\) — they look like metres",
        "坐标系 {1} 以度为单位，但坐标值达到 ({2})，看起来是米",
    ),
    (
        r"the file's CRS is wrong: set the projected CRS it really uses \(e\.g\. (.*)\)",
        "文件的坐标系有误：请设置其实际使用的投影坐标系（例如 {1}）",
    ),
    (r"coordinates \((.*)\) – \((.*)\) lie outside China", "坐标范围 ({1}) – ({2}) 超出中国范围"),
    (r"check the CRS and the coordinate columns", "请检查坐标系和坐标列"),
    (r"empty or missing geometry", "几何为空或缺失"),
    (r"drop the row or draw it", "删除该行或补绘几何"),
    (r"invalid geometry \(self-intersection or bad ring\)", "几何无效（自相交或环不闭合）"),
    (r"repair with make_valid", "可自动修复（make_valid）"),
    (r"geometry type is not (.*)", "几何类型不是 {1}"),
    (r"use the layer with the right geometry type", "请使用几何类型正确的图层"),
    (r"required column '(.*)' \((.*)\) is missing", "缺少必填字段“{1}”（{2}）"),
    (r"add the column or map one of yours onto it", "请添加该字段，或把您的某个字段对应到它"),
    (r"empty value", "值为空"),
    (r"fill in a (\w+) value", "请填写{1}类型的值"),
    (r"value is not a valid (\w+)", "不是有效的{1}值"),
    (r"use a (\w+) value", "请使用{1}类型的值"),
    (r"value not in the allowed list", "取值不在允许范围内"),
    (r"allowed: (.*)", "允许的取值：{1}"),
    (r"value out of range \[(.*), (.*)\]", "数值超出范围 [{1}, {2}]"),
    (r"check the unit and the value", "请检查单位和数值"),
    (r"duplicate identifier", "编号重复"),
    (r"identifiers must be unique", "编号必须唯一"),
    (r"the layer has no geometry column", "该图层没有几何字段"),
    (r"a spatial layer is required \(points, lines or polygons\)", "需要空间图层（点、线或面）"),
    (r"duplicate geometry of an earlier row", "与前面某行的几何重复"),
    (r"drop it if it is a copy", "如为重复记录请删除"),
    # AMap / Baidu POI exports and appends (geodata/importing/amap.py, commit.py)
    (
        r"the layer holds this column for every feature, the import has none",
        "图层中每个要素都有此字段，而导入数据没有",
    ),
    (
        r"map one of your columns onto it \(nothing of the layer is dropped\), or replace the layer",
        "请把您的某个字段对应到它（不会删除图层原有字段），或替换整个图层",
    ),
    (r"no row has a readable location \(lng,lat\)", "没有一行的位置（经度,纬度）可以读取"),
    (r"check the location column", "请检查 location（位置）列"),
    (r"cannot be read as a geographic file \((.*)\)", "无法作为地理数据文件读取（{1}）"),
    (r"no \.shp file inside the archive", "压缩包中没有 .shp 文件"),
    (r"encoding from \.cpg: (.*)", "编码取自 .cpg 文件：{1}"),
    (r"no \.cpg: encoding detected as (.*)", "无 .cpg 文件：自动识别编码为 {1}"),
    (r"the shapefile inside cannot be read \((.*)\)", "压缩包内的 Shapefile 无法读取（{1}）"),
    (r"check that \.shp, \.shx and \.dbf are all in the zip", "请确认 .shp、.shx、.dbf 均在压缩包内"),
    (r"the table cannot be read \((.*)\)", "表格无法读取（{1}）"),
    (r"check the file", "请检查文件"),
    (r"the table has no rows", "表格没有数据行"),
    (r"the columns (.*)/(.*) hold no numbers", "字段 {1}/{2} 中没有数值"),
    (r"the file has no geometry: it is not a geographic file", "文件没有几何：不是地理数据文件"),
    (r"the file has no features", "文件中没有要素"),
    (
        r"no CRS in the file: inferred (.*) from the coordinate values",
        "文件未带坐标系：根据坐标值推断为 {1}",
    ),
    (r"file not found", "找不到文件"),
    (r"the file is empty", "文件为空"),
    (
        r"the file is ([\d,]+) MB, over the upload limit of ([\d,]+) MB",
        "文件大小 {1} MB，超过上传上限 {2} MB",
    ),
    (r"split it or raise RENEWAL_MAX_UPLOAD_MB", "请拆分文件，或由管理员调高 RENEWAL_MAX_UPLOAD_MB"),
    (r"the archive is damaged or not a zip file", "压缩包已损坏或不是 zip 文件"),
    (r"re-create the zip", "请重新打包"),
    (r"the zip must contain plain relative file names", "压缩包内只能是普通的相对文件名"),
    (r"split the data or raise the limit", "请拆分数据或调高上限"),
    (r"the text encoding is not UTF-8 or GBK", "文本编码不是 UTF-8 或 GBK"),
    (r"save the table as UTF-8 or GBK", "请将表格另存为 UTF-8 或 GBK 编码"),
    (r"use (\.\w+(?:, \.\w+)*)", "请使用以下格式：{1}"),
    (r"workspace file not found", "找不到工作空间文件"),
    (r"cannot read the file as a GeoPackage \((.*)\)", "无法作为 GeoPackage 读取（{1}）"),
    (r"check that it is a \.gpkg file and not truncated", "请确认是完整的 .gpkg 文件"),
    (r"layer is missing from the workspace", "工作空间中缺少该图层"),
    (r"add a layer named '(.*)'", "请添加名为“{1}”的图层"),
)
_COMPILED = tuple((re.compile(rf"^{p}$"), zh) for p, zh in (*_PATTERNS, *_READ_PATTERNS))
_MORE = re.compile(r"^(.*) \(and (\d+) more rows\)$")
_KINDS = {"int": "整数", "float": "数值", "str": "文本", "bool": "是/否"}


def problem_text(text: str, lang: str) -> str:
    """Return a geodata problem, hint or importer note in ``lang`` (English sentences pass through)."""
    text = str(text or "")
    if lang != "zh" or not text:
        return text
    more = _MORE.match(text)
    if more:  # "<problem> (and N more rows)"
        return f"{problem_text(more.group(1), lang)}（另有 {more.group(2)} 行）"
    for pattern, zh in _COMPILED:
        m = pattern.match(text)
        if m:
            out = zh
            for i, g in enumerate(m.groups(), start=1):
                out = out.replace("{" + str(i) + "}", _KINDS.get(g, g) if g is not None else "")
            return out
    return text


def known(text: str) -> bool:
    """Return whether a sentence has a Chinese version."""
    more = _MORE.match(str(text))
    return known(more.group(1)) if more else any(p.match(str(text)) for p, _ in _COMPILED)
