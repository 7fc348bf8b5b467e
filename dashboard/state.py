"""Cached analysis shared by pages, and the session-state keys more than one page reads.

Pages never import each other: what two pages share (the coverage model, the screening criteria, the
health-check evaluation, the what-if scenario) lives here, computed through ``layers.pipelines``.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import streamlit as st

from dashboard import common
from geodata.indicators import load_indicators
from layers.healthcheck import evaluate
from layers.pipelines import coverage_model as build_coverage_model
from layers.pipelines import screening_criteria

#: session key of the what-if sites added on the coverage page (siting sends sites there too)
SCENARIO_KEY = "cov_scenario_sites"


@st.cache_resource(show_spinner=False, max_entries=4)
def coverage_model(ws_path: str, mode: str):
    """Nearest distances for every catalogue type (cached per workspace and distance mode)."""
    return build_coverage_model(common.workspace(ws_path), common.catalogue(), mode=mode)


@st.cache_resource(show_spinner=False, max_entries=2)
def criteria(ws_path: str) -> pd.DataFrame:
    """Raw screening criteria of every parcel (cached per workspace)."""
    return screening_criteria(
        common.workspace(ws_path), coverage_model(ws_path, "euclidean"), current_year=dt.date.today().year
    )


@st.cache_data(show_spinner=False, max_entries=12)
def evaluation(ws_path: str, year: int, level: str) -> pd.DataFrame:
    """城市体检 evaluation of every indicator at one level for one survey year (cached)."""
    ws = common.workspace(ws_path)
    cat = common.catalogue()
    return evaluate(ws.layers, cat, load_indicators(catalogue=cat), year=year, level=level)


def scenario_sites() -> list[tuple[float, float, str]]:
    """The what-if sites (lon, lat, type) in WGS84, shared by the coverage and siting pages."""
    return list(st.session_state.get(SCENARIO_KEY, []))


def add_sites(sites) -> int:
    """Add what-if sites, skipping any already in the scenario (same type within ~0.1 m); returns how many
    were added (sending the same sites twice adds nothing)."""
    current = scenario_sites()
    seen = {(round(lon, 6), round(lat, 6), ftype) for lon, lat, ftype in current}
    added = 0
    for lon, lat, ftype in sites:
        site = (round(float(lon), 6), round(float(lat), 6), str(ftype))
        if site not in seen:
            current.append(site)
            seen.add(site)
            added += 1
    st.session_state[SCENARIO_KEY] = current
    return added


def remove_sites(positions) -> None:
    """Delete what-if sites by their 0-based positions in :func:`scenario_sites`."""
    drop = set(positions)
    st.session_state[SCENARIO_KEY] = [s for i, s in enumerate(scenario_sites()) if i not in drop]
    bump_map("cov")


def clear_sites() -> None:
    """Empty the what-if scenario (added sites) and start a fresh map, so a click on the same spot counts."""
    st.session_state[SCENARIO_KEY] = []
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("_kept:cov_remove_")]:
        st.session_state[key] = []
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith("cov_remove_")]:
        del st.session_state[key]
    bump_map("cov")


def map_epoch(page: str) -> int:
    """Generation number of a page's clickable map (part of its widget key)."""
    return int(st.session_state.get(f"_map_epoch:{page}", 0))


def bump_map(page: str) -> None:
    """Start a new generation of a page's map: its last click is forgotten, so the next click — even on
    the same spot — is a new click."""
    st.session_state[f"_map_epoch:{page}"] = map_epoch(page) + 1


def store():
    """The project library for the workspace in use (the demo workspace has its own seeded library)."""
    from geodata.stores import open_store

    return open_store(workspace=common.workspace(str(common.workspace_in_use())))
