"""Export saved views as print layouts (PNG / PDF) and rehearse a meeting: render every view and the briefing,
then check each file (not blank, expected title present). No Streamlit; ``cli.py rehearse`` calls
:func:`rehearse`, the 会议演示 page can call :func:`export_view`.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from cartography.mapkit import escape, standalone_html
from cartography.printing import TITLE_CLASS, export_map, paper_size
from i18n import t
from reports.checks import edge_density, pdf_images, pdf_text, png_size
from reports.render import html_to_png, pdf_page_count, png_to_pdf
from reports.slides import SlideContent, slide_content, slide_map, view_year

#: a map region with fewer changing pixels than this is "blank"
MIN_MAP_EDGES = 0.01
#: the title band must hold at least this share of changing pixels (rendered text)
MIN_TITLE_EDGES = 0.003


@dataclass
class Models:
    """Analysis results shared by the views of one rehearsal (computed once, on first use)."""

    coverage: dict = field(default_factory=dict)  # distance mode → CoverageModel
    criteria: object | None = None
    evaluations: dict = field(default_factory=dict)  # (year, level) → evaluation


def _inputs(view: dict, ws, catalogue, indicators, models: Models) -> dict:
    """The cached models a view needs (built through layers.pipelines / layers.healthcheck)."""
    from layers.pipelines import coverage_model, screening_criteria

    p = view.get("params", {})
    out: dict = {}
    if view.get("kind") in ("coverage", "renewal"):
        mode = str(p.get("mode", "euclidean")) if view["kind"] == "coverage" else "euclidean"
        if mode not in models.coverage:
            models.coverage[mode] = coverage_model(ws, catalogue, mode=mode)
        out["coverage_model"] = models.coverage[mode]
    if view.get("kind") == "renewal":
        if models.criteria is None:
            if "euclidean" not in models.coverage:
                models.coverage["euclidean"] = coverage_model(ws, catalogue)
            models.criteria = screening_criteria(
                ws, models.coverage["euclidean"], current_year=dt.date.today().year
            )
        out["criteria"] = models.criteria
    if view.get("kind") == "health":
        from layers.healthcheck import evaluate

        key = (view_year(ws, p), str(p.get("level", "community")))
        if key not in models.evaluations:
            models.evaluations[key] = evaluate(ws.layers, catalogue, indicators, year=key[0], level=key[1])
        out["evaluation"] = models.evaluations[key]
    return out


def export_view(
    view: dict,
    out: str | Path,
    *,
    ws,
    bnd,
    catalogue,
    indicators,
    lang: str,
    layout=None,
    paper: str = "screen",
    fmt: str = "png",
    models: Models | None = None,
) -> tuple[Path, SlideContent, str]:
    """Render one saved view as a print layout: PNG (``paper`` pixel size) or a one-page PDF (A4/A3).

    The map has no interactive controls and carries the descriptive title with its key figure, the
    legend, scale bar, north arrow, date, source and (demo workspace) the 示例数据 mark.

    Parameters
    ----------
    view : dict
        A saved view ``{"title", "kind", "params"}``.
    out : str or Path
        The file to write.
    ws, bnd, catalogue, indicators, layout
        Inputs as for :func:`reports.slides.slide_content`.
    lang : {"zh", "en"}
        Language of every label.
    paper : {"screen", "a4", "a3"}
        Page size (``cartography.printing.PAPERS``); a PDF needs a4 or a3.
    fmt : {"png", "pdf"}
        Output format.
    models : Models, optional
        Shared cache of models (one rehearsal computes each model once).

    Returns
    -------
    tuple
        (path written, the slide content, the HTML that was rendered).

    Raises
    ------
    RuntimeError
        If chromium fails.
    ValueError
        If the view, the paper or the format is invalid.
    """
    if fmt not in ("png", "pdf"):
        raise ValueError(f"unknown format {fmt!r}; use png or pdf")
    if fmt == "pdf" and paper not in ("a4", "a3"):
        raise ValueError("a PDF view needs paper a4 or a3")
    models = models or Models()
    width, height = paper_size(paper)
    args = dict(ws=ws, bnd=bnd, catalogue=catalogue, indicators=indicators, lang=lang, layout=layout)
    cached = _inputs(view, ws, catalogue, indicators, models)
    content = slide_content(view, **args, **cached)
    m = slide_map(view, **args, **cached)
    # the layout view shows real boundaries only: no demo mark there
    synthetic = bool(ws.synthetic) and view.get("kind") != "layout"
    export_map(m, title=content.title, subtitle=content.subtitle, lang=lang, synthetic=synthetic, paper=paper)
    html = standalone_html(m)
    out = Path(out)
    if fmt == "png":
        html_to_png(html, out, width=width, height=height)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            png = html_to_png(html, Path(tmp) / "view.png", width=width, height=height)
            png_to_pdf(png, out, paper=paper)
    return out, content, html


def check_png(path: Path, *, title: str, html: str, size: tuple[int, int], lang: str) -> list[str]:
    """Problems of an exported view PNG (empty when it is fine).

    Checks: a PNG of the expected pixel size; the map area is not blank; the title was put in the title
    band of the rendered HTML (escaped) and the band holds rendered text.
    """
    problems = []
    try:
        if png_size(path) != tuple(size):
            problems.append(f"size {png_size(path)} ≠ {size}")
        if edge_density(path, box=(0.05, 0.2, 0.95, 0.9)) < MIN_MAP_EDGES:
            problems.append(t("rh.blank", lang))
        band = re.search(rf'class="ra-band {TITLE_CLASS}"(.*?)</div>', html, re.S)
        if band is None or escape(title) not in html[band.start() : band.start() + 4000]:
            problems.append(t("rh.no_title", lang, title=title))
        elif edge_density(path, box=(0.01, 0.0, 0.6, 0.06)) < MIN_TITLE_EDGES:
            problems.append(t("rh.no_title", lang, title=title))
    except ValueError:
        problems.append(t("rh.not_png", lang))
    return problems


def _squash(text: str) -> str:
    """Text for comparison: NFKC (PDF text often carries CJK radicals such as ⼀ for 一), no white space."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def check_pdf(path: Path, *, titles: list[str], lang: str, min_images: int = 0) -> list[str]:
    """Problems of an exported PDF: a readable PDF whose text holds every expected title, with at least
    ``min_images`` embedded images (the maps)."""
    problems = []
    try:
        if not path.read_bytes().startswith(b"%PDF-"):
            return [t("rh.not_pdf", lang)]
        text = _squash(pdf_text(path))
        problems += [t("rh.no_title", lang, title=x) for x in titles if _squash(x) not in text]
        if pdf_images(path) < min_images:
            problems.append(t("rh.blank", lang))
    except Exception as err:  # pypdf raises many types on a broken file
        problems.append(f"{t('rh.not_pdf', lang)} ({type(err).__name__})")
    return problems


@dataclass
class Outcome:
    """One export of a rehearsal: the file, what it shows, and its problems (empty = ok)."""

    name: str
    title: str
    problems: list[str]
    detail: str = ""

    @property
    def ok(self) -> bool:
        return not self.problems


def _clean(text: str) -> str:
    """One printable line (no control characters such as NUL or newlines)."""
    return re.sub(r"[\x00-\x1f\x7f]+", " ", str(text)).strip()


def rehearse(
    out_dir: str | Path,
    *,
    ws,
    bnd,
    layout,
    catalogue,
    indicators,
    store,
    views: list[dict],
    lang: str,
    paper: str = "screen",
    echo=print,
) -> list[Outcome]:
    """Render every saved view to PNG and the briefing to PDF in ``out_dir``, checking each file.

    Parameters
    ----------
    out_dir : str or Path
        Output folder (created when missing).
    ws, bnd, layout, catalogue, indicators, store
        The workspace, boundaries, layout, facility catalogue, 城市体检 indicators and project library.
    views : list of dict
        Saved views (``geodata.views.load_views``).
    lang : {"zh", "en"}
        Language of every export.
    paper : {"screen", "a4", "a3"}
        Pixel size of the view PNGs.
    echo : callable
        Receives one line per export as it finishes.

    Returns
    -------
    list of Outcome
        One per view, then the briefing. A failing export (chromium error, blank image, missing title, bad
        view) is recorded, never raised.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    models = Models()
    outcomes: list[Outcome] = []
    size = paper_size(paper)

    def report(o: Outcome) -> None:
        outcomes.append(o)
        state = "ok  " if o.ok else "FAIL"
        tail = o.detail if o.ok else "; ".join(o.problems)
        echo(_clean(f"{state} {o.name}  {o.title}  ({tail})"))

    for i, view in enumerate(views, start=1):
        name = f"view-{i:02d}-{view.get('kind', 'view')}.png"
        try:
            path, content, html = export_view(
                view,
                out_dir / name,
                ws=ws,
                bnd=bnd,
                catalogue=catalogue,
                indicators=indicators,
                lang=lang,
                layout=layout,
                paper=paper,
                models=models,
            )
        except (RuntimeError, ValueError, KeyError, OSError) as err:
            report(Outcome(name, str(view.get("title", "")), [f"{type(err).__name__}: {err}"[:300]]))
            continue
        problems = check_png(path, title=content.title, html=html, size=size, lang=lang)
        report(
            Outcome(name, content.title, problems, f"{size[0]}×{size[1]}, {path.stat().st_size / 1e6:.2f} MB")
        )

    name = "briefing.pdf"
    title = f"{t('app.title', lang)} · {t('brief.title', lang)}"
    try:
        from reports.briefing import write_briefing_pdf

        pdf = write_briefing_pdf(
            out_dir / name,
            ws=ws,
            bnd=bnd,
            layout=layout,
            catalogue=catalogue,
            indicators=indicators,
            store=store,
            lang=lang,
            views=views,
            coverage_model_cached=models.coverage.get("euclidean"),
            criteria=models.criteria,
        )
    except (RuntimeError, ValueError, KeyError, OSError) as err:
        report(Outcome(name, title, [f"{type(err).__name__}: {err}"[:300]]))
        return outcomes
    problems = check_pdf(
        pdf, titles=[t("brief.title", lang), t("layout.title", lang)], lang=lang, min_images=3
    )
    report(
        Outcome(
            name,
            title,
            problems,
            t("rh.pages", lang, n=pdf_page_count(pdf)) + f", {pdf.stat().st_size / 1e6:.2f} MB",
        )
    )
    return outcomes
