"""The demo's 完整社区 items (综合超市, 寄递服务设施, 公共活动场地 ≥ 150 m²) are believable and were added
without changing anything else: they are appended after the other facilities from their own seeded stream.

The 完整社区 figures go through the function the 城市体检 page uses (layers.healthcheck.evaluate).
"""

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from shapely.geometry import Point, box

from geodata.catalogue import load_catalogue
from geodata.crs import ANALYSIS_CRS
from geodata.demo import generate as gen
from geodata.demo.generate import DEMO_GPKG
from geodata.indicators import load_indicators
from geodata.workspace import load_workspace
from layers.healthcheck import evaluate

NEW_TYPES = ("supermarket", "delivery", "activity_ground")


@pytest.fixture(scope="module")
def ws():
    return load_workspace(DEMO_GPKG)


@pytest.fixture(scope="module")
def ctx():
    return gen._Ctx(gen.DEFAULT_SEED)


def _tiny(ctx):
    """Two 100 × 100 m compounds in the dense old core (one from 1985, one from 2010), their 100 m cells,
    and two existing facilities (F00001, F00002) in metric metres."""
    (x0, y0) = gen._metric([(115.895, 28.680)])[0]
    x0, y0 = np.floor(x0 / 100) * 100, np.floor(y0 / 100) * 100
    comp = gpd.GeoDataFrame(
        {"build_year": [1985, 2010]},
        geometry=[box(x0, y0, x0 + 100, y0 + 100), box(x0 + 300, y0, x0 + 400, y0 + 100)],
        crs=ANALYSIS_CRS,
    )
    cells = gpd.GeoDataFrame(
        {"population": [800.0, 900.0, 30.0], "community_id": ["C0001", "C0001", ""]},
        geometry=[Point(x0 + 50, y0 + 50), Point(x0 + 350, y0 + 50), Point(x0 + 150, y0 + 250)],
        crs=ANALYSIS_CRS,
    )
    fac = gpd.GeoDataFrame(
        {
            "facility_id": ["F00001", "F00002"],
            "type": ["kindergarten", "park"],
            "name": ["示例幼儿园 001", "示例公园 001"],
            "district_adcode": [360102, 360102],
            "capacity": [200, 0],
            "opened_year": [2001, 1999],
        },
        geometry=[Point(x0 + 10, y0 + 10), Point(x0 + 20, y0 + 20)],
        crs=ANALYSIS_CRS,
    )
    return fac, comp, cells


def test_new_rows_follow_the_existing_ones_which_stay_as_they_were(ctx):
    fac, comp, cells = _tiny(ctx)
    before = fac.copy()
    out = gen.complete_community_facilities(gen.DEFAULT_SEED, ctx, fac, comp, cells)
    assert fac.equals(before)  # input not mutated
    assert out.iloc[:2].drop(columns="area_m2").equals(fac)
    assert out["area_m2"].iloc[:2].isna().all()
    new = out.iloc[2:]
    assert len(new) > 0 and set(new["type"]) <= set(NEW_TYPES)
    assert list(new["facility_id"]) == [f"F{i:05d}" for i in range(3, len(out) + 1)]
    # the same seed gives the same rows
    again = gen.complete_community_facilities(gen.DEFAULT_SEED, ctx, fac, comp, cells)
    assert again.equals(out)


def test_activity_grounds_are_at_least_150_m2_and_only_they_have_an_area(ws):
    fac = ws["facilities"]
    ground = fac["type"] == "activity_ground"
    assert (fac.loc[ground, "area_m2"] >= 150).all()
    assert fac.loc[~ground, "area_m2"].isna().all()


def test_new_types_append_after_the_original_facilities(ws):
    fac = ws["facilities"]
    is_new = fac["type"].isin(NEW_TYPES).to_numpy()
    first_new = int(np.argmax(is_new))
    assert not is_new[:first_new].any() and is_new[first_new:].all()
    assert first_new == 5443  # the facilities of the demo before the 完整社区 items
    ids = fac["facility_id"].str[1:].astype(int).to_numpy()
    assert (ids == np.arange(1, len(fac) + 1)).all()
    assert fac.loc[is_new, "name"].str.startswith("示例").all()


def test_counts_and_opening_years_are_plausible(ws):
    fac = ws["facilities"]
    n = fac["type"].value_counts()
    comms = len(ws["communities"])
    # one 综合超市 per one to three communities; several 寄递 points and activity grounds per community
    assert comms / 3 <= n["supermarket"] <= comms * 1.2
    assert 3 * comms <= n["delivery"] <= 10 * comms
    assert 2 * comms <= n["activity_ground"] <= 8 * comms
    for t in NEW_TYPES:
        years = fac.loc[fac["type"] == t, "opened_year"]
        assert years.min() >= gen.OPENED_FROM[t]
        assert years.max() == gen.SURVEY_YEARS[1]  # some opened in 2026: the 复查 shows change
        assert 0.03 < (years == gen.SURVEY_YEARS[1]).mean() < 0.25
        assert not years.between(gen.SURVEY_YEARS[0] + 1, gen.SURVEY_YEARS[1] - 1).any()
    # parcel lockers and 驿站 are recent
    assert fac.loc[fac["type"] == "delivery", "opened_year"].min() >= 2014


def _complete(ws, year):
    cat = load_catalogue()
    ind = [d for d in load_indicators(catalogue=cat) if d["key"] == "complete_community"]
    ev = evaluate(ws.layers, cat, ind, year=year, level="community")
    return ev.set_index("unit")["value"]


def test_complete_community_is_believable_core_above_fringe(ws, ctx):
    comms = ws["communities"].to_crs(ANALYSIS_CRS)
    pts = comms.geometry.representative_point()
    dens = dict(zip(comms["community_id"], ctx.density(shapely.get_coordinates(pts.values))))
    for year in gen.SURVEY_YEARS:
        v = _complete(ws, year)
        d = v.index.map(dens).to_numpy(float)
        core, fringe = v[d >= 0.6], v[d < 0.45]
        # most core communities meet most of the nine items; fringe ones fewer; some meet all nine
        assert core.mean() > 0.8 and (core >= 7 / 9 - 1e-9).mean() > 0.75
        assert 0.45 < fringe.mean() < core.mean() - 0.2
        assert 0.55 < v.mean() < 0.75
        assert (v >= 1 - 1e-9).sum() >= 10
    # the 2026 review shows the new facilities: the mean share of items met rises
    assert _complete(ws, 2026).mean() > _complete(ws, 2025).mean() + 0.02


def test_the_original_facilities_are_exactly_those_the_generator_made_before(ws, ctx):
    # rerun the generator up to facilities() (same order of draws on ctx.rng): the file's first rows are
    # exactly its output, so the new stream changed no existing facility
    c = gen._Ctx(gen.DEFAULT_SEED)
    urban = gen.urban_extent(c)
    _subs, comms = gen.partitions(c, urban)
    _st, blocks = gen.streets_and_blocks(c, urban)
    comp, _other = gen.compounds(c, blocks, comms)
    cells = gen.population_cells(c, comp, urban, comms)
    before = gen.facilities(c, cells).to_crs("EPSG:4326")
    stored = ws["facilities"].iloc[: len(before)]
    assert list(stored["facility_id"]) == list(before["facility_id"])
    for col in ("type", "name", "district_adcode", "capacity", "opened_year"):
        assert (stored[col].to_numpy() == before[col].to_numpy()).all(), col
    assert np.allclose(
        shapely.get_coordinates(stored.geometry.values), shapely.get_coordinates(before.geometry.values)
    )
    cols = list(pyogrio.read_info(DEMO_GPKG, layer="facilities")["fields"])
    assert cols == ["facility_id", "type", "name", "district_adcode", "capacity", "opened_year", "area_m2"]
