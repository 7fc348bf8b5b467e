"""Committing an import: refused imports write nothing; a crash mid-commit leaves the workspace unchanged."""

import importlib

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geodata.errors import DataValidationError
from geodata.importing import commit, conform


def test_commit_is_atomic(tmp_path, monkeypatch, real_copy):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    good = conform(
        gpd.GeoDataFrame({"n": ["x"], "t": ["kindergarten"]}, geometry=[Point(115.9, 28.68)], crs=4326),
        "facilities",
        {"name": "n", "type": "t"},
        defaults={"capacity": 0, "district_adcode": 360102},
    )
    dest = commit(good, "facilities", workspace=real_copy)
    assert dest == real_copy
    n = len(gpd.read_file(dest, layer="facilities"))
    before = dest.read_bytes()
    with pytest.raises(DataValidationError):
        commit(good.assign(type=None), "facilities", workspace=dest)  # invalid: refused, nothing written
    assert dest.read_bytes() == before and len(gpd.read_file(dest, layer="facilities")) == n


def test_crash_during_commit_leaves_workspace_and_no_temp(tmp_path, monkeypatch, real_copy):
    # the package re-exports the function `commit`, which shadows the module attribute of the same name
    commit_module = importlib.import_module("geodata.importing.commit")

    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    good = conform(
        gpd.GeoDataFrame({"n": ["x"], "t": ["kindergarten"]}, geometry=[Point(115.9, 28.68)], crs=4326),
        "facilities",
        {"name": "n", "type": "t"},
        defaults={"capacity": 0, "district_adcode": 360102},
    )
    dest = commit(good, "facilities", workspace=real_copy)
    assert dest == real_copy
    before = dest.read_bytes()

    def boom(_path):
        raise OSError("disk full")

    monkeypatch.setattr(commit_module, "load_workspace", boom)
    with pytest.raises(OSError, match="disk full"):
        commit(good, "facilities", workspace=dest)
    assert dest.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")) == ["real_city.gpkg"]
