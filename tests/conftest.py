"""Test-wide set-up: a throwaway data directory, and the bundled demo workspace built once if missing."""

from __future__ import annotations

import os
import tempfile

import pytest

from geodata.paths import DEMO_GPKG

# user state (project library, saved views, settings) must never land in the repo during tests
os.environ.setdefault("RENEWAL_DATA_DIR", tempfile.mkdtemp(prefix="renewal-atlas-test-"))
os.environ.pop("RENEWAL_WORKSPACE", None)
os.environ.pop("RENEWAL_BASEMAP", None)
os.environ.pop("RENEWAL_LOGIN", None)


def _serve_locally() -> None:
    # AppTest runs the app in-process without a server address (= every interface, sign-in required);
    # the suite's default is the single-planner mode of `make run` (127.0.0.1). Sign-in tests set their own.
    from streamlit import config

    config.set_option("server.address", "127.0.0.1")


_serve_locally()


@pytest.fixture(scope="session")
def demo_gpkg():
    """Path of the bundled demo workspace (``make test`` builds it; built here when run bare)."""
    if not DEMO_GPKG.exists():
        from geodata.demo.generate import generate

        generate(DEMO_GPKG)
    return DEMO_GPKG


@pytest.fixture(scope="session")
def demo_ws(demo_gpkg):
    from geodata.workspace import load_workspace

    return load_workspace(demo_gpkg)


@pytest.fixture(scope="session")
def pg_url():
    """URL of a local PostgreSQL + PostGIS started for the test session (``make test`` installs it)."""
    from tests import pg

    if not pg.available():
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL/PostGIS missing: `make test` installs postgresql and postgis")
        pytest.skip("PostgreSQL/PostGIS not installed (make test installs them)")
    server = pg.LocalPostgres()
    yield server.url
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """The session's one chromium (tests/browser and tests/server share it; see launch_browser)."""
    from tests.browser.conftest import launch_browser

    yield from launch_browser()


@pytest.fixture
def real_copy(tmp_path, demo_gpkg):
    """A copy of the demo city whose metadata says real data (imports refuse the synthetic demo itself)."""
    import shutil

    import pandas as pd
    import pyogrio

    from geodata.workspace import read_metadata

    path = tmp_path / "real_city.gpkg"
    shutil.copyfile(demo_gpkg, path)
    meta = read_metadata(path) | {"synthetic": "false"}
    table = pd.DataFrame({"key": list(meta), "value": list(meta.values())})
    pyogrio.write_dataframe(table, path, layer="metadata", driver="GPKG")
    return path
