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
