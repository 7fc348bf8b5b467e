"""Per-site catchments of a what-if: five residents, two proposed kindergartens, radius 300 m."""

import geopandas as gpd
import numpy as np
import pytest
from shapely.geometry import Point

from geodata.catalogue import load_catalogue
from layers.coverage import build_model, scenario
from layers.whatif import site_catchments

CRS = "EPSG:32650"


@pytest.fixture
def base():
    # residents at x = 0, 1000, 2000, 3000, 4000 (y = 0), 100 people each; one kindergarten at x = 0
    res = gpd.GeoDataFrame(
        {"population": [100.0] * 5, "community_id": ["a"] * 5, "district_adcode": [1] * 5},
        geometry=[Point(x, 0) for x in (0, 1000, 2000, 3000, 4000)],
        crs=CRS,
    )
    fac = gpd.GeoDataFrame(
        {"facility_id": ["K1"], "type": ["kindergarten"], "name": ["甲"]}, geometry=[Point(0, 50)], crs=CRS
    )
    return build_model(res, fac, catalogue=load_catalogue(), types=["kindergarten"])


def test_each_site_gets_the_residents_it_newly_serves(base):
    # site 1 at x=1000 serves resident 2 only; site 2 between 3000 and 4000 (3500, 0) serves residents 4 and 5
    result = scenario(base, add=[(1000, 100, "kindergarten"), (3500, 0, "kindergarten")])
    per_site, site_of_cell = site_catchments(base, result, "kindergarten")
    assert per_site["facility_id"].tolist() == ["NEW-1", "NEW-2"]
    # 3500 is 500 m from both 3000 and 4000: outside 300 m, so site 2 serves nobody
    assert per_site["newly_served"].tolist() == [100.0, 0.0]
    assert site_of_cell.tolist() == [-1, 0, -1, -1, -1]
    total = result.delta.set_index("type").loc["kindergarten", "newly_served"]
    assert per_site["newly_served"].sum() == pytest.approx(total)


def test_already_served_residents_are_not_attributed(base):
    result = scenario(base, add=[(0, -50, "kindergarten")])
    per_site, site_of_cell = site_catchments(base, result, "kindergarten")
    assert per_site["newly_served"].tolist() == [0.0] and (site_of_cell == -1).all()


def test_no_added_sites_and_unknown_type(base):
    result = scenario(base, remove=["K1"])
    per_site, cells = site_catchments(base, result, "kindergarten")
    assert per_site.empty and np.all(cells == -1)
    with pytest.raises(ValueError, match="not in the coverage model"):
        site_catchments(base, result, "park")
