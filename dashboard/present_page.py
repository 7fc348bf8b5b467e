"""会议演示与导出 page: saved views, full-screen presenting with next/previous (buttons and ← →), PNG/PDF."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st
from markupsafe import Markup

from cartography.mapkit import standalone_html
from dashboard import auth, common, state
from geodata.indicators import load_indicators
from geodata.layout import load_layout
from geodata.views import KINDS, load_views, save_views, view_title
from i18n import t

IDX = "pres_index"
ON = "pres_on"
HEALTH_COVERAGE = ("kindergarten_cov", "elderly_daycare_cov", "health_station_cov", "primary_school_cov")

HIDE_CHROME = """<style>
section[data-testid="stSidebar"], header[data-testid="stHeader"], div[data-testid="stToolbar"] {display: none;}
.block-container {padding-top: 1rem; max-width: 100%;}
h1 {font-size: 2.6rem !important;}
</style>"""

# ← → / PageUp PageDown click the slide buttons, found by their widget keys (not by their labels, which
# depend on the language)
KEYS_JS = """<script>
const doc = window.parent.document;
if (!doc.__raKeys) {
  doc.__raKeys = true;
  doc.addEventListener("keydown", (e) => {
    const key = e.key === "ArrowRight" || e.key === "PageDown" ? "pres_next"
      : (e.key === "ArrowLeft" || e.key === "PageUp" ? "pres_prev" : null);
    if (!key) return;
    const btn = doc.querySelector(".st-key-" + key + " button");
    if (btn && !btn.disabled) { btn.click(); e.preventDefault(); }
  });
}
</script>"""


def _models(view: dict, ws) -> dict:
    """The cached models a view needs (shared with the analysis pages through dashboard.state)."""
    from reports.slides import view_year

    p = view.get("params", {})
    kind = view.get("kind")
    out: dict = {}
    if kind in ("coverage", "renewal"):
        mode = str(p.get("mode", "euclidean")) if kind == "coverage" else "euclidean"
        out["coverage_model"] = state.coverage_model(
            str(ws.path), mode if mode in ("euclidean", "network") else "euclidean"
        )
    if kind == "renewal":
        out["criteria"] = state.criteria(str(ws.path))
    if kind == "health":
        out["evaluation"] = state.evaluation(str(ws.path), view_year(ws, p), str(p.get("level", "community")))
    return out


def _inputs(view: dict, ws, bnd, L: str) -> dict:
    cat = common.catalogue()
    return dict(ws=ws, bnd=bnd, catalogue=cat, indicators=load_indicators(catalogue=cat), lang=L) | _models(
        view, ws
    )


def _describe(view: dict, cat, L: str) -> str:
    """The view's parameters in words (never raw JSON)."""
    p = view.get("params", {})
    kind = t("kind." + view["kind"], L)
    if view["kind"] == "coverage":
        sel = str(p.get("selection", "kindergarten"))
        what = (
            t(f"circle.{sel.split(':', 1)[1]}", L)
            if sel.startswith("circle:") and sel.split(":", 1)[1] in ("5min", "10min", "15min")
            else (cat.types[sel].name(L) if sel in cat.types else sel)
        )
        return f"{kind} · {what} · {t('mode.' + str(p.get('mode', 'euclidean')), L)}"
    if view["kind"] == "renewal":
        return f"{kind} · {t('ren.colour.' + str(p.get('colour_by', 'type')), L)}"
    if view["kind"] == "health":
        return f"{kind} · {p.get('year', '')} · {t('level.' + str(p.get('level', 'community')), L)}"
    return kind


def _move(views: list[dict], i: int, step: int) -> list[dict]:
    j = i + step
    if not (0 <= i < len(views) and 0 <= j < len(views)):
        return views
    out = list(views)
    out[i], out[j] = out[j], out[i]
    return out


def _export_views_button(views: list[dict], L: str, where) -> None:
    where.download_button(
        t("pres.export_views", L),
        lambda: json.dumps(views, ensure_ascii=False, indent=1).encode("utf-8"),
        "views.json",
        "application/json",
        on_click="ignore",
    )


def _editor(views: list[dict], cat, L: str) -> None:
    st.subheader(t("pres.views", L))
    table = pd.DataFrame(
        {
            "#": range(1, len(views) + 1),
            t("pres.view_title", L): [view_title(v, L) for v in views],
            t("pres.view_content", L): [_describe(v, cat, L) for v in views],
        }
    )
    picked = st.dataframe(
        table,
        hide_index=True,
        width="stretch",
        on_select="rerun",
        selection_mode="single-row",
        key="pres_list",
    )
    rows = list(getattr(picked, "selection", {}).get("rows", [])) if picked else []
    i = rows[0] if rows else None
    if not auth.can_edit():
        _export_views_button(views, L, st)
        return
    c = st.columns(5)
    if c[0].button(t("pres.up", L), key="pres_up", disabled=i is None or i == 0):
        save_views(_move(views, i, -1))
        st.rerun()
    if c[1].button(t("pres.down", L), key="pres_down", disabled=i is None or i >= len(views) - 1):
        save_views(_move(views, i, 1))
        st.rerun()
    if c[2].button(t("pres.delete", L), key="pres_drop_btn", disabled=i is None):
        save_views([v for k, v in enumerate(views) if k != i])
        st.rerun()
    _export_views_button(views, L, c[3])
    with c[4].popover(t("pres.import_views", L)):
        up = st.file_uploader(t("pres.import_views", L), type=["json"], key="pres_import")
        if up is not None and st.button(t("pres.import_views", L), key="pres_import_btn"):
            try:
                save_views(json.loads(up.getvalue().decode("utf-8")))
                st.rerun()
            except (ValueError, UnicodeDecodeError) as err:
                st.error(t("pres.import_bad", L, why=common.md_escape(err)))
    with st.expander(t("pres.add", L)):
        st.caption(t("pres.add_hint", L))
        with st.form("pres_add"):
            title = st.text_input(t("pres.view_title", L), key="pres_new_title", max_chars=80)
            kind = st.selectbox(
                t("pres.kind", L), KINDS, format_func=lambda k: t(f"kind.{k}", L), key=f"pres_new_kind@{L}"
            )
            ftype = st.selectbox(
                t("cov.type", L),
                list(cat.types),
                format_func=lambda k: cat.types[k].name(L),
                key=f"pres_new_type@{L}",
            )
            mode = st.radio(
                t("cov.mode", L),
                ["euclidean", "network"],
                format_func=lambda m: t(f"mode.{m}", L),
                key=f"pres_new_mode@{L}",
            )
            colour = st.radio(
                t("ren.colour_by", L),
                ["type", "status", "decision", "score"],
                format_func=lambda v: t(f"ren.colour.{v}", L),
                key=f"pres_new_colour@{L}",
            )
            if st.form_submit_button(t("pres.save_view", L)):
                clean = title.replace("\x00", "").strip()
                if not clean:
                    st.warning(t("view.needs_title", L))
                else:
                    indicator = f"{ftype}_cov"
                    params = {
                        "coverage": {"selection": ftype, "mode": mode},
                        "renewal": {"colour_by": colour},
                        "health": {
                            "indicator": indicator if indicator in HEALTH_COVERAGE else "kindergarten_cov",
                            "level": "community",
                        },
                        "layout": {},
                    }[kind]
                    save_views([*views, {"title": clean, "kind": kind, "params": params}])
                    st.rerun()


def _exports(view: dict, ws, bnd, L: str) -> None:
    from reports.rehearse import Models, export_view
    from reports.render import pdf_page_count

    c1, c2, c3 = st.columns([1, 1, 1.2])
    paper = common.kept(
        c1.radio,
        t("pres.paper", L),
        ["screen", "a4", "a3"],
        key="pres_paper",
        by_language=True,
        horizontal=True,
        format_func=lambda v: t(f"pres.paper.{v}", L),
    )
    tag = (view_title(view, L), paper, L)
    try:
        if c2.button(t("pres.png", L), key="pres_png_btn"):
            m = _models(view, ws)
            models = Models(
                coverage={view["params"].get("mode", "euclidean"): m["coverage_model"]}
                if "coverage_model" in m
                else {},
                criteria=m.get("criteria"),
            )
            cat = common.catalogue()
            with tempfile.TemporaryDirectory() as tmp:
                path, _, _ = export_view(
                    view,
                    Path(tmp) / "view.png",
                    ws=ws,
                    bnd=bnd,
                    catalogue=cat,
                    indicators=load_indicators(catalogue=cat),
                    lang=L,
                    paper=paper,
                    models=models,
                )
                st.session_state["pres_png_result"] = (tag, path.read_bytes())
        result = st.session_state.get("pres_png_result")
        if result and result[0] == tag:
            c2.download_button(
                t("pres.png_ready", L), result[1], f"view_{paper}.png", "image/png", key="pres_png_dl"
            )
        if c3.button(t("pres.pdf", L), key="pres_pdf_btn"):
            from reports.briefing import write_briefing_pdf

            cat = common.catalogue()
            with tempfile.TemporaryDirectory() as tmp:
                pdf = write_briefing_pdf(
                    Path(tmp) / "briefing.pdf",
                    ws=ws,
                    bnd=bnd,
                    layout=load_layout(boundaries=bnd),
                    catalogue=cat,
                    indicators=load_indicators(catalogue=cat),
                    store=state.store(),
                    lang=L,
                )
                st.session_state["pres_pdf_result"] = (L, pdf.read_bytes(), pdf_page_count(pdf))
        pdf_result = st.session_state.get("pres_pdf_result")
        if pdf_result and pdf_result[0] == L:
            c3.download_button(
                t("pres.pdf_ready", L, n=pdf_result[2]),
                pdf_result[1],
                "briefing.pdf",
                "application/pdf",
                key="pres_pdf_dl",
            )
    except RuntimeError as err:
        st.error(t("pres.no_chromium", L) + f" {err}")


def _slide(views, ws, bnd, L: str) -> None:
    from reports.slides import slide_content, slide_map

    i = min(st.session_state.get(IDX, 0), len(views) - 1)
    view = views[i]
    st.html(HIDE_CHROME)
    c0, c1, c2, c3 = st.columns([6, 1, 1, 1])
    c0.title(common.md_escape(view_title(view, L)))
    if c1.button(t("pres.prev", L), key="pres_prev", disabled=i == 0):
        st.session_state[IDX] = i - 1
        st.rerun()
    if c2.button(t("pres.next", L), key="pres_next", disabled=i >= len(views) - 1):
        st.session_state[IDX] = i + 1
        st.rerun()
    if c3.button(t("pres.stop", L), key="pres_stop"):
        st.session_state[ON] = False
        st.rerun()
    inputs = _inputs(view, ws, bnd, L)
    content = slide_content(view, **inputs)
    st.caption(
        f"{common.md_escape(content.title)} · {t('pres.page', L, i=i + 1, n=len(views))}"
        + (f" · {t('demo.badge', L)}" if ws.synthetic else "")
    )
    left, right = st.columns([3, 1], gap="medium")
    with right:
        for fig in content.figures:
            # long values (a district with its residents) wrap instead of being cut by st.metric
            st.html(
                Markup(
                    '<div style="margin:0 0 1.1rem"><div style="font-size:0.95rem;color:#555">{}</div>'
                    '<div style="font-size:1.9rem;font-weight:600;line-height:1.25">{}</div></div>'
                ).format(fig.label, fig.value)
            )
        st.markdown(f"#### {common.md_escape(content.conclusion)}")
    with left:
        # the map HTML is built by us from validated data with all user text escaped
        st.iframe(standalone_html(slide_map(view, **inputs)), height=800)
    st.iframe(KEYS_JS, height=1)


def render_present() -> None:
    if st.session_state.get(ON):
        loaded = common.load_or_explain()
        if loaded is not None:
            _slide(load_views(), loaded[1], loaded[0], common.lang())
        return
    opts = common.sidebar()
    L = opts["lang"]
    st.title(t("pres.title", L))
    st.caption(t("pres.caption", L))
    loaded = common.load_or_explain()
    if loaded is None:
        return
    bnd, ws = loaded
    views = load_views()
    _editor(views, common.catalogue(), L)
    if views and st.button(t("pres.start", L), type="primary", key="pres_start"):
        st.session_state[ON] = True
        st.session_state[IDX] = 0
        st.rerun()
    if views:
        pick = st.selectbox(
            t("pres.export_pick", L),
            range(len(views)),
            format_func=lambda i: view_title(views[i], L),
            key="pres_pick",
        )
        _exports(views[pick], ws, bnd, L)
