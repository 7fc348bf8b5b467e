"""Fixtures the importer tests make themselves: a GBK shapefile zipped without its .cpg."""

import zipfile

import geopandas as gpd
import pytest
from shapely.geometry import Point


def _zip(path, files: dict):
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return path


@pytest.fixture
def gbk_shp_zip(tmp_path):
    gdf = gpd.GeoDataFrame(
        {"名称": ["青山湖幼儿园", "八一小学"], "类别": ["幼儿园", "小学"]},
        geometry=[Point(115.92, 28.68), Point(115.89, 28.67)],
        crs=4326,
    )
    d = tmp_path / "shp"
    d.mkdir()
    gdf.to_file(d / "fac.shp", encoding="GBK")
    (d / "fac.cpg").unlink(missing_ok=True)  # as delivered by many GIS shops: no .cpg
    return _zip(tmp_path / "fac.zip", {p.name: p.read_bytes() for p in d.iterdir()})
