"""The bundled synthetic demo city: schema-valid, labelled synthetic, plausible magnitudes, deterministic."""

import hashlib

import numpy as np
import pyogrio

from geodata.demo.generate import generate
from geodata.schema import LAYERS

CATALOGUE_TYPES = {
    "middle_school",
    "primary_school",
    "kindergarten",
    "nursery",
    "health_center",
    "health_station",
    "elderly_home",
    "elderly_daycare",
    "culture_center",
    "sports_field",
    "pocket_park",
    "park",
    "market",
    "convenience",
    "community_service",
    "bus_stop",
    "metro_station",
    "parking",
    "ev_charging",
}


def test_every_layer_validates_and_is_labelled_synthetic(demo_ws):
    assert set(LAYERS) <= set(demo_ws.layers)
    assert demo_ws.synthetic
    assert "合成" in demo_ws.metadata["description_zh"]


def test_magnitudes(demo_ws):
    pop = demo_ws["population_cells"]["population"].sum()
    assert 2.0e6 < pop < 3.5e6
    assert len(demo_ws["compounds"]) == 2000
    assert 450 <= len(demo_ws["parcels"]) <= 550
    assert 3000 <= len(demo_ws["facilities"]) <= 8000
    assert set(demo_ws["facilities"]["type"]) == CATALOGUE_TYPES
    assert set(demo_ws["districts"]["adcode"]) == {360102, 360103, 360104, 360111, 360112, 360113}


def test_geometries_inside_the_real_districts(demo_ws):
    city = demo_ws["districts"].to_crs(32650).union_all().buffer(1.0)
    for name in ("compounds", "population_cells", "facilities", "parcels"):
        gdf = demo_ws[name].to_crs(32650)
        assert gdf.geometry.is_valid.all(), name
        assert gdf.geometry.within(city).all(), name


def test_street_network_is_mostly_connected(demo_ws):
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    st = demo_ws["streets"].to_crs(32650)
    coords = np.array([[ls.coords[0], ls.coords[-1]] for ls in st.geometry]).reshape(-1, 2).round(1)
    nodes, inv = np.unique(coords, axis=0, return_inverse=True)
    a, b = inv.reshape(-1)[0::2], inv.reshape(-1)[1::2]
    g = coo_matrix((np.ones(len(a)), (a, b)), shape=(len(nodes), len(nodes)))
    _, labels = connected_components(g, directed=False)
    assert np.bincount(labels).max() / len(nodes) > 0.95


def test_same_seed_same_data(tmp_path):
    def digest(path):
        h = hashlib.sha256()
        for name in ("compounds", "facilities", "parcels"):
            df = pyogrio.read_dataframe(path, layer=name)
            h.update(df.drop(columns="geometry").to_csv().encode())
            h.update(df.geometry.to_wkb().sum())
        return h.hexdigest()

    generate(tmp_path / "a.gpkg", seed=7)
    generate(tmp_path / "b.gpkg", seed=7)
    generate(tmp_path / "c.gpkg", seed=8)
    assert digest(tmp_path / "a.gpkg") == digest(tmp_path / "b.gpkg")
    assert digest(tmp_path / "a.gpkg") != digest(tmp_path / "c.gpkg")
