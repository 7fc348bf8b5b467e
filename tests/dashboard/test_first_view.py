"""The overview's first view built as the server starts (serve.py) and handed to the page once."""

import subprocess
import sys

import folium

from dashboard import first_view
from geodata.paths import REPO_ROOT


def test_prepared_map_is_handed_over_once(demo_gpkg, monkeypatch):
    monkeypatch.setenv("RENEWAL_WORKSPACE", str(demo_gpkg))
    first_view.prepare()
    args = first_view.default_args()
    assert args[3] == str(demo_gpkg) and args[0] in ("zh", "en")
    fmap = first_view.take(args)
    assert isinstance(fmap, folium.Map) and "raDecode" in fmap.get_root().render()
    assert first_view.take(args) is None, "handed over once; later builds are the page's own"
    assert first_view.take(("en", "osm", "", "/elsewhere.gpkg")) is None


def test_preparing_imports_no_streamlit_component():
    # streamlit-folium registers its component only when imported inside a page run: the preparing thread
    # must not import it first
    code = "import sys, dashboard.first_view; print('streamlit_folium' in sys.modules)"
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "False"
