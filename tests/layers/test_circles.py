"""Life-circle items reached: four residents, the 10-minute circle's items, hand-checked."""

import geopandas as gpd
import pytest
from shapely.geometry import Point

from geodata.catalogue import load_catalogue
from layers.circles import circle_items, item_table, items_reached, mean_items_by, reached_distribution
from layers.coverage import build_model

CRS = "EPSG:32650"


@pytest.fixture
def model():
    cat = load_catalogue()
    items = cat.circle_types("10min")
    assert len(items) >= 2
    res = gpd.GeoDataFrame(
        {
            "population": [100.0, 200.0, 300.0, 400.0],
            "community_id": ["a", "a", "b", "b"],
            "district_adcode": 1,
        },
        geometry=[Point(0, 0), Point(5000, 0), Point(10000, 0), Point(20000, 0)],
        crs=CRS,
    )
    # resident 1 (x=0) reaches every 10-min item, resident 2 (x=5000) only the first item, the others none
    rows = [(k, Point(0, 10)) for k in items] + [(items[0], Point(5000, 10))]
    fac = gpd.GeoDataFrame(
        {"facility_id": [f"F{i}" for i in range(len(rows))], "type": [k for k, _ in rows], "name": "x"},
        geometry=[g for _, g in rows],
        crs=CRS,
    )
    return build_model(res, fac, catalogue=cat, types=items)


def test_items_reached_per_resident(model):
    n = len(circle_items(model, "10min"))
    assert items_reached(model, "10min").tolist() == [n, 1, 0, 0]


def test_distribution_and_means(model):
    n = len(circle_items(model, "10min"))
    dist = reached_distribution(model, "10min").set_index("items")
    assert (
        dist.loc[0, "population"] == 700
        and dist.loc[1, "population"] == 200
        and dist.loc[n, "population"] == 100
    )
    assert dist["share"].sum() == pytest.approx(1.0)
    m = mean_items_by(model, "10min", by="community_id")
    assert m.loc["a", "mean_items"] == pytest.approx((100 * n + 200 * 1) / 300)
    assert m.loc["a", "all_items_share"] == pytest.approx(100 / 300) and m.loc["b", "mean_items"] == 0


def test_item_table(model):
    items = circle_items(model, "10min")
    tab = item_table(model, "10min").set_index("type")
    assert tab.loc[items[0], "served_pop"] == 300 and tab.loc[items[1], "served_pop"] == 100
    assert tab.loc[items[0], "served_share"] == pytest.approx(0.3)


def test_circle_without_items_is_refused(model):
    with pytest.raises(ValueError, match="no facility type of the '5min' circle"):
        items_reached(model, "5min")
