"""Labels of the `check` command and the importer's reading side (key: (中文, English)), and the Chinese
versions of the reader's problems and notes (:data:`PATTERNS`, used by :mod:`i18n.problems`)."""

LABELS: dict[str, tuple[str, str]] = {
    "read.cannot_read": ("无法读取 {file}：", "cannot read {file}:"),
    "read.file": ("文件：{file}", "file: {file}"),
    "read.features": ("要素数：{n}  几何类型：{types}", "features: {n}  geometry: {types}"),
    "read.columns": ("字段：{cols}", "columns: {cols}"),
    "read.crs": ("坐标系：{crs}（{src}）", "crs: {crs} ({src})"),
    "read.crs_src.file": ("文件自带", "file"),
    "read.crs_src.inferred": ("推断", "inferred"),
    "read.crs_src.user": ("用户指定", "user"),
    "read.candidates": ("候选：{c}", "candidates: {c}"),
    "read.encoding": ("编码：{e}", "encoding: {e}"),
    "read.note": ("说明：{n}", "note: {n}"),
    "read.layers": ("图层：{layers}", "layers: {layers}"),
    "read.sheets": ("工作表：{sheets}", "sheets: {sheets}"),
    "read.datum": (
        "名称提示为 {d} 坐标——导入时请加 --datum {d_lower}",
        "names suggest {d} coordinates — import with --datum {d_lower}",
    ),
    "read.confirm_crs": ("坐标系为推断结果，请用 --crs 确认", "the CRS was inferred; confirm it with --crs"),
    "read.problems": ("问题：{n} 个", "problems: {n}"),
    "read.usable": ("可直接使用：是", "usable as is: yes"),
    "read.bad_crs": ("无效的坐标系 {crs!r}", "invalid CRS {crs!r}"),
    "read.bad_crs_hint": ("请给出 EPSG 代码，例如 EPSG:4548", "give an EPSG code, e.g. EPSG:4548"),
    "read.layer_pick": ("图层（文件共 {n} 个图层，请选择）", "Layer (the file has {n} layers: choose one)"),
    "read.layer_item": ("{name}（{n} 个要素）", "{name} ({n} features)"),
    "read.sheet_pick": (
        "工作表（共 {n} 个，请选择坐标所在的表）",
        "Sheet ({n} sheets: choose the one with coordinates)",
    ),
    "read.bad_rows": (
        "{n} 行的坐标与其余各行不符（坐标系按多数行推断），导入前请核对：",
        "{n} rows have coordinates that do not fit the others (the CRS was guessed from the majority); check them before importing:",
    ),
    "read.bad_row": ("第 {row} 行 {name}：{kind}", "row {row} {name}: {kind}"),
    "read.bad_more": ("另有 {n} 行", "and {n} more rows"),
    "read.kind.swapped": ("经纬度颠倒", "longitude and latitude swapped"),
    "read.kind.out_of_area": ("超出研究范围", "outside the study area"),
    "read.kind.invalid": ("坐标缺失/无效", "missing or invalid coordinates"),
}

# (English pattern, Chinese template with {1}, {2} … for the groups) — the sentences of the reading side
PATTERNS: tuple[tuple[str, str], ...] = (
    (r"GDAL virtual paths \(/vsi…\) are not accepted", "不接受 GDAL 虚拟路径（/vsi…）"),
    (r"give a plain file on disk", "请给出磁盘上的普通文件"),
    (
        r"the archive expands to ([\d,]+) MB, over the limit of ([\d,]+) MB",
        "压缩包解压后达 {1} MB，超过上限 {2} MB",
    ),
    (
        r"the archive member (.*) is damaged \(CRC error or truncated\)",
        "压缩包内的文件 {1} 已损坏（CRC 校验错误或不完整）",
    ),
    (r"unsafe path inside the archive: (.*)", "压缩包内有不安全的路径：{1}"),
    (r"files of type (.*) cannot be imported", "不能导入 {1} 类型的文件"),
    (
        r"a \.gdb File Geodatabase must be a folder \(or a zipped folder\)",
        ".gdb 文件地理数据库必须是文件夹（或压缩的文件夹）",
    ),
    (r"zip the \.gdb folder", "请把 .gdb 文件夹打包为 zip"),
    (
        r"the content is not a (\.\w+) file \(another format under this name is refused\)",
        "文件内容不是 {1} 格式（扩展名与内容不符，已拒绝）",
    ),
    (
        r"the content is read as (.*), not as a (\.\w+) file \(refused\)",
        "文件内容被识别为 {1}，而不是 {2}（已拒绝）",
    ),
    (r"save the data again in the format its name says", "请按扩展名对应的格式重新保存数据"),
    (
        r"the \.cpg says (.*) but the attributes are not \1: read as (.*)",
        ".cpg 声明为 {1}，但属性并非 {1} 编码：已按 {2} 读取",
    ),
    (
        r"supported: GPKG, zipped SHP, GeoJSON, KML, File Geodatabase, DXF, CSV/XLSX with coordinates",
        "支持：GPKG、Shapefile（zip）、GeoJSON、KML、文件地理数据库（.gdb）、DXF、含坐标列的 CSV/XLSX",
    ),
    (r"no layer named (.*); the layers are: (.*)", "没有名为 {1} 的图层；现有图层：{2}"),
    (r"give --layer with one of them", "请用 --layer 指定其中一个"),
    (r"layer read: (.*) \(of (\d+) layers\)", "已读取图层：{1}（共 {2} 个图层）"),
    (
        r"DXF: the CAD layer of each entity is in the field Layer \(use it as the category\)",
        "DXF：每个图元的 CAD 图层名在字段 Layer 中（可作为类别字段）",
    ),
    (r"DXF text read as UTF-8", "DXF 文字按 UTF-8 读取"),
    (r"DXF text read as GBK", "DXF 文字按 GBK 读取"),
    (r"no \.shp file or \.gdb folder inside the archive", "压缩包中没有 .shp 文件或 .gdb 文件夹"),
    (
        r"zip the \.shp with its \.dbf, \.shx, \.prj \(and \.cpg\), or the \.gdb folder",
        "请将 .shp 与 .dbf、.shx、.prj（及 .cpg）一起打包，或打包 .gdb 文件夹",
    ),
    (r"no sheet named (.*); the sheets are: (.*)", "没有名为 {1} 的工作表；现有工作表：{2}"),
    (r"give --sheet with one of them", "请用 --sheet 指定其中一个"),
    (
        r"the coordinates are on sheet (.*), not on the first sheet; the sheets are: (.*)",
        "坐标在工作表 {1} 上，不在第一个工作表；现有工作表：{2}",
    ),
    (r"columns separated by semicolon", "列分隔符为分号"),
    (r"columns separated by tab", "列分隔符为制表符"),
    (r"columns separated by vertical bar", "列分隔符为竖线"),
    (r"(\d+) title row\(s\) above the header skipped", "已跳过表头上方的 {1} 行标题"),
    (
        r"(\d+) coordinates written with ° or in degrees-minutes-seconds were converted",
        "已换算 {1} 个带 ° 或度分秒格式的坐标",
    ),
    (r"no coordinate columns found and no WKT column", "未找到坐标列，也没有 WKT 列"),
    (
        r"name them 经度/纬度, lng/lat, lon/lat, x/y or 横坐标/纵坐标, or add a WKT column",
        "请将列命名为 经度/纬度、lng/lat、lon/lat、x/y 或 横坐标/纵坐标，或添加 WKT 列",
    ),
    (
        r"the X column holds northings and Y eastings \(survey convention\): swapped",
        "X 列为北坐标、Y 列为东坐标（测量坐标习惯）：已交换",
    ),
    (
        r"Gauss-Krüger coordinates without zone prefix fit several zones: (.*) — give the CRS",
        "不带带号的高斯-克吕格坐标可对应多个投影带：{1}——请指定坐标系",
    ),
    (
        r"longitude and latitude swapped \(the other rows are the other way round\)",
        "经纬度颠倒（与其他行相反）",
    ),
    (r"swap the two coordinates of this row", "请交换该行的两个坐标"),
    (r"outside the study area \(far from the other rows\)", "超出研究范围（远离其他行）"),
    (r"check this row's coordinates", "请检查该行坐标"),
    (r"missing or invalid coordinates \(inf, NaN or 0,0\)", "坐标缺失/无效（无穷大、非数字或 0,0）"),
    (r"fill in the coordinates or drop the row", "请补填坐标或删除该行"),
    (r"the file has (\d+) layers and none was chosen: (.*)", "文件有 {1} 个图层，未指定读取哪一个：{2}"),
    (r"give --layer NAME", "请用 --layer 图层名 指定"),
    (
        r"the workbook has (\d+) sheets and the coordinates are not on the first: (.*)",
        "工作簿有 {1} 个工作表，坐标不在第一个：{2}",
    ),
    (r"give --sheet NAME", "请用 --sheet 工作表名 指定"),
    (
        r"Gauss-Krüger coordinates without zone prefix fit both (.*) — the zone cannot be told",
        "不带带号的高斯-克吕格坐标同时符合 {1}——无法判断投影带",
    ),
    (r"give --crs with the right one", "请用 --crs 指定正确的坐标系"),
    (r"no CRS and none could be inferred from the coordinate values", "文件没有坐标系，也无法从坐标值推断"),
    (r"give --crs \(e\.g\. EPSG:4326, EPSG:4548\)", "请用 --crs 指定（例如 EPSG:4326、EPSG:4548）"),
    (r"invalid CRS (.*)", "无效的坐标系 {1}"),
    (r"give an EPSG code, e\.g\. EPSG:4548", "请给出 EPSG 代码，例如 EPSG:4548"),
)
