"""Renewal Atlas — the Streamlit shell: page config, the sidebar state that survives page changes, navigation.

Language, the signed-in planner and basemap are created here on every run (not inside a page), so they persist
when the planner changes pages or starts presenting. Where sign-in is required (any address but 127.0.0.1, a
shared PostGIS store, or RENEWAL_LOGIN=required) nothing but the sign-in form is shown until a planner signs in;
admins also get the accounts page. Every page runs inside a friendly error boundary.
"""

import streamlit as st

from dashboard import auth, common
from dashboard.admin_page import render_admin
from dashboard.coverage_page import render_coverage
from dashboard.healthcheck_page import render_healthcheck
from dashboard.import_page import render_import
from dashboard.layout_page import render_layout
from dashboard.overview_page import render_overview
from dashboard.present_page import render_present
from dashboard.renewal_page import render_renewal
from dashboard.scenario_page import render_scenarios
from dashboard.siting_page import render_siting
from dashboard.workspace_panel import workspace_sidebar
from i18n import t

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
