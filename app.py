"""Renewal Atlas — Streamlit entry point (wiring only: page config and navigation)."""

import streamlit as st

from dashboard.coverage_page import render_coverage
from dashboard.labels import t
from dashboard.layout_page import render_layout
from dashboard.overview import render_overview

st.set_page_config(page_title="城市更新规划一张图 Renewal Atlas", page_icon="🗺️", layout="wide")

_lang = st.session_state.get("lang", "zh")
pages = {
    t("nav.group.main", _lang): [
        st.Page(
            render_overview,
            title=t("nav.overview", _lang),
            icon=":material/map:",
            url_path="overview",
            default=True,
        ),
        st.Page(render_layout, title=t("nav.layout", _lang), icon=":material/hub:", url_path="layout"),
        st.Page(
            render_coverage, title=t("nav.coverage", _lang), icon=":material/radar:", url_path="coverage"
        ),
    ],
}
st.navigation(pages).run()
