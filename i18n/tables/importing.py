"""Labels of the 数据导入 page and importer messages (key: (中文, English))."""

LABELS: dict[str, tuple[str, str]] = {
    "imp.title": ("数据导入：设施、小区与更新地块", "Import data: facilities, neighbourhoods, parcels"),
    "imp.caption": (
        "支持 GeoPackage、Shapefile（zip，UTF-8/GBK）、GeoJSON、KML、含坐标列的 CSV/XLSX。确认坐标系与字段对应、处理校验问题后才写入工作空间（原子写入，失败不改动任何数据）。",
        "GeoPackage, zipped Shapefile (UTF-8/GBK), GeoJSON, KML, CSV/XLSX with coordinates. Nothing reaches the workspace until you confirm the CRS, the field mapping and the validation choices (atomic; a failed import changes nothing).",
    ),
    "imp.upload": ("选择文件（上限 {mb} MB）", "Choose a file (limit {mb} MB)"),
    "imp.layer": ("图层", "Layer"),
    "imp.read_error": ("文件无法读取：", "The file cannot be read:"),
    "imp.info": ("读取结果", "What was read"),
    "imp.crs": ("坐标系（请确认）", "Coordinate system (confirm)"),
    "imp.crs_other": ("其他（EPSG 代码）", "Other (EPSG code)"),
    "imp.datum": ("坐标来源", "Coordinates are"),
    "imp.datum_hint": (
        "文件名或字段名提示为 {d} 坐标，请确认。",
        "Names suggest {d} coordinates: please confirm.",
    ),
    "imp.preview": ("预览", "Preview"),
    "imp.target": ("导入为", "Import as"),
    "imp.columns": ("字段对应", "Field mapping"),
    "imp.unmapped": ("（未对应）", "(not mapped)"),
    "imp.default": ("{col} 缺省值（未对应时使用）", "{col} default (when not mapped)"),
    "imp.categories": ("设施类别对应（保存后下次自动使用）", "Facility categories (saved for next time)"),
    "imp.report": ("校验报告", "Validation report"),
    "imp.no_problems": ("未发现问题，可以导入。", "No problems found: ready to import."),
    "imp.n_problems": ("发现 {n} 个问题，请选择处理方式：", "{n} problems found; choose what to do:"),
    "imp.action": ("处理方式", "Action"),
    "imp.confirm": ("确认导入", "Confirm import"),
    "imp.done": (
        "已导入 {n} 条到 {layer}，工作空间：{path}",
        "Imported {n} rows into {layer}; workspace: {path}",
    ),
    "imp.cancelled": ("已取消，工作空间未改动。", "Cancelled; the workspace is unchanged."),
    "imp.export": (
        "导出工作空间图层（GPKG / GeoJSON / Shapefile / XLSX）",
        "Export a workspace layer (GPKG / GeoJSON / Shapefile / XLSX)",
    ),
    "imp.format": ("格式", "Format"),
    "imp.download": ("下载 {name}", "Download {name}"),
    "imp.still": ("处理后仍有问题，未导入：", "Problems remain after that action; nothing imported:"),
}
