"""Renewal Atlas — Streamlit entry point (wiring only: page config and navigation)."""

import streamlit as st

from dashboard.labels import t
from dashboard.overview import render_overview

st.set_page_config(page_title="城市更新规划一张图 Renewal Atlas", page_icon="🗺️", layout="wide")

_lang = st.session_state.get("lang", "zh")
pages = {
    t("nav.group.main", _lang): [
        st.Page(render_overview, title=t("nav.overview", _lang), icon="🗺️", url_path="overview", default=True),
    ],
}
st.navigation(pages).run()
