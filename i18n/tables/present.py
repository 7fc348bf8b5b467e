"""Labels of the 会议演示 page and the briefing (key: (中文, English))."""

LABELS: dict[str, tuple[str, str]] = {
    "brief.title": ("规划会议简报", "Planning briefing"),
    "brief.date": ("编制日期：", "Date:"),
    "pres.title": (
        "会议演示：预设视图、全屏演示与导出",
        "Meeting mode: saved views, full-screen presenting, exports",
    ),
    "pres.caption": (
        "预先保存若干视图（页面+图层+参数），会上全屏逐页演示（按钮或键盘 ← →），全程离线。可导出 PNG 地图与 PDF 简报。",
        "Save views (page + layers + parameters) before the meeting, then present them full-screen step by step (buttons or ← → keys), fully offline. Export PNG maps and the PDF briefing.",
    ),
    "pres.views": ("视图清单", "Views"),
    "pres.add": ("新增视图", "Add a view"),
    "pres.view_title": ("视图标题", "View title"),
    "pres.kind": ("视图类型", "View type"),
    "pres.save_view": ("保存视图", "Save view"),
    "pres.delete": ("删除所选视图", "Delete the selected view"),
    "pres.start": ("开始全屏演示", "Start presenting"),
    "pres.stop": ("退出演示", "Stop presenting"),
    "pres.prev": ("◀ 上一页", "◀ Previous"),
    "pres.next": ("下一页 ▶", "Next ▶"),
    "pres.page": ("第 {i} / {n} 页", "Slide {i} of {n}"),
    "pres.export_views": ("导出视图清单（JSON）", "Export views (JSON)"),
    "pres.import_views": ("导入视图清单（JSON）", "Import views (JSON)"),
    "pres.png": ("导出当前视图 PNG（1920×1080）", "Export this view as PNG (1920×1080)"),
    "pres.pdf": ("生成 PDF 会议简报", "Build the PDF briefing"),
    "pres.pdf_ready": ("下载简报 PDF（{n} 页）", "Download the briefing PDF ({n} pages)"),
    "pres.no_chromium": (
        "未安装 chromium，无法导出 PNG/PDF：",
        "chromium is missing, PNG/PDF export unavailable:",
    ),
    "pres.view_content": ("内容", "Content"),
    "pres.up": ("上移", "Move up"),
    "pres.down": ("下移", "Move down"),
    "pres.import_bad": ("视图清单文件无法读取：{why}", "The views file could not be read: {why}"),
    "pres.add_hint": (
        "也可以在生活圈覆盖、更新地块、城市体检和省域格局页面点击“保存为会议视图”。",
        "You can also click “Save as meeting view” on the coverage, renewal, health-check and layout pages.",
    ),
    "pres.png_ready": ("下载 PNG", "Download PNG"),
}
