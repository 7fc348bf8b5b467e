"""Population cells from a raster, a table per 社区/街道 and building footprints: totals checked by hand."""

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import Polygon, box

from geodata.errors import DataValidationError
from geodata.importing.population import (
    footprint_population,
    normalise_name,
    raster_population,
    read_table,
    replace_population,
    table_population,
)
from geodata.workspace import load_workspace
from geodata.workspace_new import new_workspace

X0, Y0 = 500_000.0, 3_160_000.0  # UTM 50N, inside Jiangxi
UTM = "EPSG:32650"
NODATA = -9999.0
#: 4×4 cells of 100 m; column 3 lies outside the district, one nodata cell, one zero cell
GRID = np.array(
    [
        [1, 2, 3, 100],
        [4, NODATA, 0, 200],
        [5, 6, 7, 300],
        [8, 9, 10, 400],
    ],
    dtype="float32",
)


def utm_districts(width_m=300.0):
    geom = box(X0, Y0 - 400, X0 + width_m - 10, Y0)  # columns 0–2 (centres at 50, 150, 250 m)
    return gpd.GeoDataFrame(
        {"adcode": [360702], "name_zh": ["章贡区"], "name_en": ["Zhanggong"]}, geometry=[geom], crs=UTM
    ).to_crs(4326)


def write_raster(path, grid=GRID, crs=UTM, nodata=NODATA):
    import rasterio
    from affine import Affine

    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=grid.shape[0],
        width=grid.shape[1],
        count=1,
        dtype=grid.dtype,
        crs=crs,
        transform=Affine(100, 0, X0, 0, -100, Y0),
        nodata=nodata,
    ) as dst:
        dst.write(grid, 1)
    return path


def test_raster_total_equals_sum_inside(tmp_path):
    res = raster_population(write_raster(tmp_path / "pop.tif"), utm_districts())
    assert res.total == 55.0  # 1+2+3+4+5+6+7+8+9+10
    assert len(res.cells) == 10
    assert res.dropped == {"nodata": 1, "zero": 1, "outside": 4}
    assert set(res.cells["district_adcode"]) == {360702}
    assert (res.cells["elderly"] == 0).all()
    assert any("elderly set to 0" in n for n in res.notes)
    # the cell centre: row 0, column 0 → (X0 + 50, Y0 - 50)
    first = res.cells.set_index("cell_id").loc["r0_0"]
    assert first["population"] == 1.0
    pt = gpd.GeoSeries([first.geometry], crs=4326).to_crs(UTM).iloc[0]
    assert (round(pt.x, 3), round(pt.y, 3)) == (X0 + 50, Y0 - 50)


def test_raster_in_degrees_and_elderly_share(tmp_path):
    # the same grid in EPSG:4326 cells; the district covers all but the last column
    import rasterio
    from affine import Affine

    path = tmp_path / "deg.tif"
    with rasterio.open(
        path,
        "w",
        driver="GTiff",
        height=4,
        width=4,
        count=1,
        dtype="float32",
        crs="EPSG:4326",
        transform=Affine(0.01, 0, 115.0, 0, -0.01, 26.0),
        nodata=NODATA,
    ) as dst:
        dst.write(GRID, 1)
    districts = gpd.GeoDataFrame(
        {"adcode": [1], "name_zh": ["a"], "name_en": ["a"]},
        geometry=[box(115.0, 25.96, 115.029, 26.0)],
        crs=4326,
    )
    res = raster_population(path, districts, elderly_share=0.2)
    assert res.total == 55.0
    assert res.cells["elderly"].sum() == pytest.approx(11.0)


def test_raster_outside_workspace_and_bad_share(tmp_path):
    far = gpd.GeoDataFrame(
        {"adcode": [1], "name_zh": ["a"], "name_en": ["a"]}, geometry=[box(100, 40, 100.1, 40.1)], crs=4326
    )
    path = write_raster(tmp_path / "pop.tif")
    with pytest.raises(DataValidationError, match="does not overlap"):
        raster_population(path, far)
    with pytest.raises(ValueError, match="0 到 1"):
        raster_population(path, utm_districts(), elderly_share=1.5)
    (tmp_path / "junk.tif").write_bytes(b"not a tiff")
    with pytest.raises(DataValidationError, match="cannot be read as a raster"):
        raster_population(tmp_path / "junk.tif", utm_districts())


# --------------------------------------------------------------------------------------------------- tables
def areas():
    """Two streets, three communities; 和平社区 exists in both streets."""
    sq = lambda i: box(115.90 + 0.01 * i, 28.60, 115.909 + 0.01 * i, 28.609)  # noqa: E731
    districts = gpd.GeoDataFrame(
        {"adcode": [360102], "name_zh": ["东湖区"], "name_en": ["Donghu"]},
        geometry=[box(115.8, 28.5, 116.0, 28.7)],
        crs=4326,
    )
    subs = gpd.GeoDataFrame(
        {
            "subdistrict_id": ["S1", "S2"],
            "name": ["八一街道", "滕王阁街道"],
            "district_adcode": [360102, 360102],
        },
        geometry=[box(115.895, 28.595, 115.915, 28.615), box(115.915, 28.595, 115.935, 28.615)],
        crs=4326,
    )
    comms = gpd.GeoDataFrame(
        {
            "community_id": ["C1", "C2", "C3"],
            "name": ["八一社区", "和平社区", "和平社区"],
            "subdistrict_id": ["S1", "S1", "S2"],
            "district_adcode": [360102] * 3,
        },
        geometry=[sq(0), sq(1), sq(2)],
        crs=4326,
    )
    return districts, comms, subs


def test_normalise_name():
    assert normalise_name(" 八一\u3000社区 ") == "八一社区"
    assert normalise_name("ＡＢＣ１") == "ABC1"
    assert normalise_name(None) == ""


def test_table_join_by_code():
    districts, comms, subs = areas()
    df = pd.DataFrame(
        {"社区代码": ["C1", "C2", "C3"], "社区": ["x", "y", "z"], "常住人口": ["1,200", "800", "500"]}
    )
    res = table_population(df, districts, comms, subs, elderly_share=0.25)
    assert res.total == 2500.0
    assert dict(zip(res.cells["community_id"], res.cells["population"])) == {"C1": 1200, "C2": 800, "C3": 500}
    assert res.cells["elderly"].sum() == 625.0
    assert not res.unmatched and not res.ambiguous
    # each point lies inside its own community
    for _, cell in res.cells.iterrows():
        assert comms.set_index("community_id").geometry[cell["community_id"]].contains(cell.geometry)


def test_table_by_name_unmatched_and_ambiguous():
    districts, comms, subs = areas()
    df = pd.DataFrame({"社区名称": ["八一\u3000社区", "和平社区", "不存在社区"], "人口": [1000, 700, 300]})
    res = table_population(df, districts, comms, subs)
    assert res.total == 1000.0
    assert res.unmatched == ["不存在社区"]
    assert res.ambiguous == ["和平社区（八一街道 C2、滕王阁街道 C3）"]
    assert res.dropped == {"unmatched": 1, "ambiguous": 1}


def test_table_ambiguous_resolved_by_street_and_age_columns():
    districts, comms, subs = areas()
    df = pd.DataFrame(
        {
            "街道": ["八一街道", "滕王阁街道"],
            "社区": ["和平社区", "和平社区"],
            "常住人口": [700, 400],
            "60岁及以上": [100, 50],
        }
    )
    res = table_population(df, districts, comms, subs)
    assert dict(zip(res.cells["community_id"], res.cells["population"])) == {"C2": 700, "C3": 400}
    assert list(res.cells["elderly"]) == [100, 50]
    assert list(res.cells["elderly_60"]) == [100, 50]


def test_table_per_street():
    districts, comms, subs = areas()
    df = pd.DataFrame({"街道名称": ["八一街道", "滕王阁街道"], "常住人口": [5000, 3000]})
    res = table_population(df, districts, comms, subs, level="subdistrict")
    assert res.total == 8000.0
    assert len(res.cells) == 2


def test_table_refusals(tmp_path):
    districts, comms, subs = areas()
    with pytest.raises(DataValidationError, match="no population column"):
        table_population(pd.DataFrame({"社区": ["八一社区"]}), districts, comms, subs)
    with pytest.raises(DataValidationError, match="not numbers"):
        table_population(pd.DataFrame({"社区": ["八一社区"], "人口": ["many"]}), districts, comms, subs)
    with pytest.raises(DataValidationError, match="no communities"):
        table_population(
            pd.DataFrame({"社区": ["八一社区"], "人口": [1]}), districts, None, None, level="community"
        )
    twice = pd.DataFrame({"社区代码": ["C1", "C1"], "人口": [1, 2]})
    with pytest.raises(DataValidationError, match="same community"):
        table_population(twice, districts, comms, subs)
    path = tmp_path / "t.csv"
    path.write_bytes("社区,常住人口\n八一社区,1200\n".encode("gbk"))
    assert read_table(path)["常住人口"].tolist() == ["1200"]


# ----------------------------------------------------------------------------------------------- footprints
def test_footprints_arithmetic():
    districts = utm_districts(1000)
    # 20 m × 30 m = 600 m², 6 floors; 10 m × 10 m = 100 m², 2 floors
    b = gpd.GeoDataFrame(
        {"层数": [6, 2]},
        geometry=[box(X0 + 100, Y0 - 200, X0 + 120, Y0 - 170), box(X0 + 300, Y0 - 300, X0 + 310, Y0 - 290)],
        crs=UTM,
    )
    res = footprint_population(b, districts, household_size=2.5, dwelling_area_m2=100, dwelling_share=0.8)
    # 600 × 6 × 0.8 / 100 × 2.5 = 72; 100 × 2 × 0.8 / 100 × 2.5 = 4
    assert sorted(res.cells["population"].round(6)) == [4.0, 72.0]
    assert res.total == pytest.approx(76.0)


def test_footprints_refuse_without_household_size():
    b = gpd.GeoDataFrame({"floors": [3]}, geometry=[box(X0, Y0 - 20, X0 + 10, Y0 - 10)], crs=UTM)
    with pytest.raises(ValueError, match="household-size"):
        footprint_population(b, utm_districts(), household_size=None, dwelling_area_m2=90)
    with pytest.raises(DataValidationError, match="no floors column"):
        footprint_population(
            b.rename(columns={"floors": "高度"}), utm_districts(), household_size=2.5, dwelling_area_m2=90
        )


# ------------------------------------------------------------------------------------------------- commit
def test_replace_population_atomic(tmp_path):
    ws = new_workspace(
        tmp_path / "w.gpkg", utm_districts().assign(geometry=lambda d: d.geometry), name="t", source="t"
    )
    res = raster_population(write_raster(tmp_path / "pop.tif"), utm_districts())
    replace_population(res, workspace=ws)
    cells = load_workspace(ws)["population_cells"]
    assert cells["population"].sum() == 55.0
    with pytest.raises(ValueError, match="--replace"):
        replace_population(res, workspace=ws)
    assert load_workspace(ws)["population_cells"]["population"].sum() == 55.0  # unchanged
    replace_population(res, workspace=ws, replace=True)
    assert len(load_workspace(ws)["population_cells"]) == 10  # replaced, not appended


def test_raster_triangle_boundary_by_cell_centre(tmp_path):
    # centre of cell (row r, col c) lies inside the triangle iff r + c < 3: 1 + 2 + 3 + 4 + 5 (row 1 col 1 is nodata)
    tri = Polygon([(X0, Y0), (X0 + 380, Y0), (X0, Y0 - 380)])  # no centre on the edge
    districts = gpd.GeoDataFrame({"adcode": [7], "name_zh": ["a"], "name_en": ["a"]}, geometry=[tri], crs=UTM)
    comms = gpd.GeoDataFrame(
        {"community_id": ["C1"], "name": ["n"], "subdistrict_id": [""], "district_adcode": [7]},
        geometry=[box(X0, Y0 - 100, X0 + 400, Y0)],  # row 0 only
        crs=UTM,
    )
    res = raster_population(write_raster(tmp_path / "pop.tif"), districts.to_crs(4326), comms.to_crs(4326))
    assert res.total == 15.0
    assert sorted(res.cells["cell_id"]) == ["r0_0", "r0_1", "r0_2", "r1_0", "r2_0"]
    assert dict(zip(res.cells["cell_id"], res.cells["community_id"])) == {
        "r0_0": "C1",
        "r0_1": "C1",
        "r0_2": "C1",
        "r1_0": "",
        "r2_0": "",
    }
    assert set(res.cells["district_adcode"]) == {7}


def test_raster_without_crs_needs_one(tmp_path):
    path = write_raster(tmp_path / "nocrs.tif", crs=None)
    with pytest.raises(DataValidationError, match="no CRS"):
        raster_population(path, utm_districts())
    with pytest.raises(DataValidationError, match="not a valid CRS"):
        raster_population(path, utm_districts(), crs="EPSG:999999")
    assert raster_population(path, utm_districts(), crs=UTM).total == 55.0
