"""The demo's residents by age group (一老一小) are believable for Nanchang (七普) and add up."""

import pyogrio
import pytest

from geodata.demo.generate import DEMO_GPKG
from geodata.schema import AGE_GROUPS


@pytest.fixture(scope="module", params=["compounds", "population_cells"])
def table(request):
    return pyogrio.read_dataframe(DEMO_GPKG, layer=request.param, read_geometry=False)


def test_age_group_shares_match_the_census_scale(table):
    pop = table["population"].sum()
    share = {g: table[g].sum() / pop for g in AGE_GROUPS}
    # 0–12 ≈ 14 % → 0–14 ≈ 17 % with ages 12–14; 60+ 16–19 %; 80+ 13–15 % of 60+
    assert 0.12 < share["children_0_3"] + share["children_3_6"] + share["children_6_12"] < 0.16
    assert 0.16 <= share["elderly_60"] <= 0.20
    assert 0.13 <= table["elderly_80"].sum() / table["elderly_60"].sum() <= 0.15
    assert (table[list(AGE_GROUPS)] >= 0).all().all() and (
        table["elderly_80"] <= table["elderly_60"] + 1e-9
    ).all()


def test_older_compounds_have_older_residents():
    comp = pyogrio.read_dataframe(DEMO_GPKG, layer="compounds", read_geometry=False)
    old = comp["build_year"] < 2000
    child = comp[["children_0_3", "children_3_6", "children_6_12"]].sum(axis=1) / comp["population"]
    assert child[old].mean() < child[~old].mean()
    assert (comp["elderly_60"] == (comp["population"] * comp["elderly_share"]).round()).all()
