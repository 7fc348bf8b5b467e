"""Renewal Atlas — the Streamlit shell: page config, the sidebar state that survives page changes, navigation.

Language, the signed-in planner and basemap are created here on every run (not inside a page), so they persist
when the planner changes pages or starts presenting. Where sign-in is required (any address but 127.0.0.1, a
shared PostGIS store, or RENEWAL_LOGIN=required) nothing but the sign-in form is shown until a planner signs in;
admins also get the accounts page. Every page runs inside a friendly error boundary.
"""

import importlib

import streamlit as st

from dashboard import auth, common
from dashboard.workspace_panel import workspace_sidebar
from i18n import t


def _lazy(name: str):
    """``dashboard.<page>_page.render_<name>``, imported when the page is first shown (a faster cold start:
    the first page does not wait for the imports of the others)."""
    module, func = {"health": ("healthcheck", "healthcheck"), "scenarios": ("scenario", "scenarios")}.get(
        name, (name, name)
    )

    def render() -> None:
        getattr(importlib.import_module(f"dashboard.{module}_page"), f"render_{func}")()

    render.__name__ = f"render_{func}"
    return render


render_admin, render_coverage, render_healthcheck = _lazy("admin"), _lazy("coverage"), _lazy("health")
render_import, render_layout, render_overview = _lazy("import"), _lazy("layout"), _lazy("overview")
render_present, render_renewal = _lazy("present"), _lazy("renewal")
render_scenarios, render_siting = _lazy("scenarios"), _lazy("siting")

st.set_page_config(page_title="城市更新规划一张图 Renewal Atlas", page_icon="🗺️", layout="wide")

common.shell_sidebar()
_lang = common.lang()
if not auth.login_gate(_lang):
    st.stop()
workspace_sidebar(_lang)
PAGES = [
    (render_overview, "nav.overview", ":material/map:", "overview"),
    (render_layout, "nav.layout", ":material/hub:", "layout"),
    (render_coverage, "nav.coverage", ":material/radar:", "coverage"),
    (render_renewal, "nav.renewal", ":material/apartment:", "renewal"),
    (render_siting, "nav.siting", ":material/add_location_alt:", "siting"),
    (render_healthcheck, "nav.health", ":material/health_and_safety:", "health-check"),
    (render_scenarios, "nav.scenarios", ":material/compare:", "scenarios"),
    (render_import, "nav.import", ":material/upload_file:", "import"),
    (render_present, "nav.present", ":material/slideshow:", "present"),
]
if auth.is_admin():
    PAGES.append((render_admin, "nav.admin", ":material/manage_accounts:", "accounts"))
pages = {
    t("nav.group.main", _lang): [
        st.Page(
            common.guarded(fn), title=t(label, _lang), icon=icon, url_path=path, default=path == "overview"
        )
        for fn, label, icon, path in PAGES
    ],
}
# presentation mode: no navigation, no sidebar (the page hides the rest of the chrome)
st.navigation(pages, position="hidden" if st.session_state.get("pres_on") else "sidebar").run()
