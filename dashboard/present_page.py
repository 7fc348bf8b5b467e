"""会议演示与导出 page: saved views, full-screen presenting with next/previous (buttons and ← →), PNG/PDF."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import streamlit as st

from cartography.mapkit import standalone_html
from cartography.maps import coverage_map, export_frame, grade_map, layout_map, parcel_map
from dashboard import common, state
from geodata.layout import load_layout
from geodata.views import KINDS, load_views, save_views
from i18n import t
from layers.coverage import share_by
from layers.pipelines import default_weights
from layers.screening import score

IDX = "pres_index"
ON = "pres_on"

HIDE_CHROME = """<style>
section[data-testid="stSidebar"], header[data-testid="stHeader"], div[data-testid="stToolbar"] {display: none;}
.block-container {padding-top: 1rem; max-width: 100%;}
h1 {font-size: 2.6rem !important;}
</style>"""

KEYS_JS = """<script>
const doc = window.parent.document;
if (!doc.__raKeys) {
  doc.__raKeys = true;
  doc.addEventListener("keydown", (e) => {
    const want = e.key === "ArrowRight" || e.key === "PageDown" ? "NEXT" : (e.key === "ArrowLeft" || e.key === "PageUp" ? "PREV" : null);
    if (!want) return;
    const label = want === "NEXT" ? %s : %s;
    const btn = Array.from(doc.querySelectorAll("button")).find((b) => b.innerText.trim() === label);
    if (btn) { btn.click(); e.preventDefault(); }
  });
}
</script>"""


def view_map(view: dict, ws, bnd, lang: str):
    """The folium map of a saved view (no Streamlit calls)."""
    p = view["params"]
    if view["kind"] == "layout":
        return layout_map(bnd, load_layout(boundaries=bnd), lang=lang)
    if view["kind"] == "coverage":
        model = state.coverage_model(str(ws.path), p.get("mode", "euclidean"))
        sel = p.get("selection", "kindergarten")
        return coverage_map(
            ws, model, sel, lang=lang, community_share=share_by(model, sel, by="community_id")
        )
    if view["kind"] == "renewal":
        scores = score(state.criteria(str(ws.path)), default_weights())["score"]
        parcels = ws["parcels"]
        if p.get("parcel_type"):
            parcels = parcels[parcels["parcel_type"] == p["parcel_type"]]
        return parcel_map(ws, parcels, scores, p.get("colour_by", "type"), lang)
    ev = state.evaluation(str(ws.path), int(p.get("year", 2026)), p.get("level", "community"))
    return grade_map(ws, ev, p.get("level", "community"), p.get("indicator", "kindergarten_cov"), lang)


def _editor(views: list[dict], cat, L: str) -> None:
    st.subheader(t("pres.views", L))
    for i, v in enumerate(views):
        kind = t("kind." + v["kind"], L)
        st.markdown(f"{i + 1}. **{v['title']}** · {kind} · `{json.dumps(v['params'], ensure_ascii=False)}`")
    with st.expander(t("pres.add", L)):
        with st.form("pres_add"):
            title = st.text_input(t("pres.view_title", L), key="pres_new_title")
            kind = st.selectbox(
                t("pres.kind", L), KINDS, format_func=lambda k: t(f"kind.{k}", L), key="pres_new_kind"
            )
            ftype = st.selectbox(
                t("cov.type", L), list(cat.types), format_func=lambda k: cat.types[k].name(L)
            )
            mode = st.radio(
                t("cov.mode", L), ["euclidean", "network"], format_func=lambda m: t(f"mode.{m}", L)
            )
            colour = st.radio(
                t("ren.colour_by", L),
                ["type", "status", "decision", "score"],
                format_func=lambda v: t(f"ren.colour.{v}", L),
            )
            if st.form_submit_button(t("pres.save_view", L)) and title.strip():
                params = {
                    "coverage": {"selection": ftype, "mode": mode},
                    "renewal": {"colour_by": colour},
                    "health": {
                        "indicator": f"{ftype}_cov"
                        if f"{ftype}_cov"
                        in (
                            "kindergarten_cov",
                            "elderly_daycare_cov",
                            "health_station_cov",
                            "primary_school_cov",
                        )
                        else "kindergarten_cov",
                        "level": "community",
                    },
                    "layout": {},
                }[kind]
                save_views([*views, {"title": title.strip(), "kind": kind, "params": params}])
                st.rerun()
    c1, c2, c3 = st.columns(3)
    drop = c1.selectbox(
        t("pres.delete", L), range(len(views)), format_func=lambda i: views[i]["title"], key="pres_drop"
    )
    if c1.button(t("pres.delete", L), key="pres_drop_btn") and views:
        save_views([v for i, v in enumerate(views) if i != drop])
        st.rerun()
    c2.download_button(
        t("pres.export_views", L),
        json.dumps(views, ensure_ascii=False, indent=1).encode("utf-8"),
        "views.json",
        "application/json",
    )
    up = c3.file_uploader(t("pres.import_views", L), type=["json"], key="pres_import")
    if up is not None and c3.button(t("pres.import_views", L), key="pres_import_btn"):
        try:
            save_views(json.loads(up.getvalue().decode("utf-8")))
            st.rerun()
        except (ValueError, UnicodeDecodeError) as err:
            st.error(str(err))


def _exports(view: dict, ws, bnd, L: str) -> None:
    from reports.render import html_to_png, pdf_page_count

    c1, c2 = st.columns(2)
    try:
        if c1.button(t("pres.png", L), key="pres_png"):
            m = export_frame(view_map(view, ws, bnd, L), view["kind"], lang=L, synthetic=ws.synthetic)
            with tempfile.TemporaryDirectory() as tmp:
                png = html_to_png(standalone_html(m), Path(tmp) / "view.png")
                st.session_state["pres_png_bytes"] = png.read_bytes()
        if st.session_state.get("pres_png_bytes"):
            c1.download_button(
                "PNG", st.session_state["pres_png_bytes"], "view.png", "image/png", key="pres_png_dl"
            )
        if c2.button(t("pres.pdf", L), key="pres_pdf"):
            from geodata.indicators import load_indicators
            from geodata.stores import open_store
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
                    store=open_store(),
                    lang=L,
                )
                st.session_state["pres_pdf"] = (pdf.read_bytes(), pdf_page_count(pdf))
        if st.session_state.get("pres_pdf"):
            data, n = st.session_state["pres_pdf"]
            c2.download_button(
                t("pres.pdf_ready", L, n=n), data, "briefing.pdf", "application/pdf", key="pres_pdf_dl"
            )
    except RuntimeError as err:
        st.error(t("pres.no_chromium", L) + f" {err}")


def _slide(views, ws, bnd, L: str) -> None:
    i = min(st.session_state.get(IDX, 0), len(views) - 1)
    view = views[i]
    st.html(HIDE_CHROME)
    c0, c1, c2, c3 = st.columns([6, 1, 1, 1])
    c0.title(view["title"])
    if c1.button(t("pres.prev", L), key="pres_prev", disabled=i == 0):
        st.session_state[IDX] = i - 1
        st.rerun()
    if c2.button(t("pres.next", L), key="pres_next", disabled=i >= len(views) - 1):
        st.session_state[IDX] = i + 1
        st.rerun()
    if c3.button(t("pres.stop", L), key="pres_stop"):
        st.session_state[ON] = False
        st.rerun()
    st.caption(
        t("pres.page", L, i=i + 1, n=len(views)) + " · " + (t("demo.badge", L) if ws.synthetic else "")
    )
    # the map HTML is built by us from validated data with all user text escaped
    st.iframe(standalone_html(view_map(view, ws, bnd, L)), height=760)
    st.iframe(KEYS_JS % (json.dumps(t("pres.next", L)), json.dumps(t("pres.prev", L))), height=1)


def render_present() -> None:
    if st.session_state.get(ON):
        loaded = common.load_or_explain()
        if loaded is not None:
            _slide(load_views(), loaded[1], loaded[0], st.session_state.get("lang", "zh"))
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
            t("pres.views", L), range(len(views)), format_func=lambda i: views[i]["title"], key="pres_pick"
        )
        _exports(views[pick], ws, bnd, L)
