"""Coverage engine internals (issue 19): the model keeps distances only; nearest positions on demand, same."""

import copy
import pickle

import numpy as np
import pytest

from layers.coverage import NearestIndex, build_model, nearest_distance_m, scenario
from tests.layers.test_coverage import CAT, FAC, RES


def test_model_keeps_distances_only_and_nearest_on_demand():
    m = build_model(RES, FAC, catalogue=CAT, types=["kindergarten", "primary_school"])
    assert isinstance(m.nearest, NearestIndex) and dict(m.nearest) == {}  # nothing but distances yet
    # by hand: residents (300,400) (0,300) (1000,200) (600,0) (5000,5000); k1 at 0,0 and k2 at 1000,0
    assert m.nearest["kindergarten"].tolist() == [0, 0, 1, 1, 1]
    assert m.nearest["kindergarten"].dtype == np.int64
    assert set(dict(m.nearest)) == {"kindergarten"}  # kept once computed
    assert m.nearest["primary_school"].tolist() == [0] * 5
    with pytest.raises(KeyError):
        m.nearest["park"]  # not computed in the model


def test_distances_equal_the_bare_query():
    rng = np.random.default_rng(7)
    res, fac = rng.uniform(0, 5_000, (2_000, 2)), rng.uniform(0, 5_000, (30, 2))
    d, i = nearest_distance_m(res, fac)
    brute = np.hypot(res[:, None, 0] - fac[None, :, 0], res[:, None, 1] - fac[None, :, 1])
    assert np.array_equal(i, brute.argmin(1)) and np.allclose(d, brute.min(1), rtol=0, atol=1e-9)


def test_lazy_nearest_survives_pickle_and_scenario():
    m = build_model(RES, FAC, catalogue=CAT, types=["kindergarten"])
    for clone in (pickle.loads(pickle.dumps(m)), copy.deepcopy(m)):
        assert isinstance(clone.nearest, NearestIndex)
        assert clone.nearest["kindergarten"].tolist() == [0, 0, 1, 1, 1]
    # removing k2 then adding one at (600, 100): positions among the remaining kindergartens [k1, NEW-1]
    r = scenario(m, remove=["k2"], add=[(600, 100, "kindergarten")])
    assert r.model.nearest["kindergarten"].tolist() == [1, 0, 1, 1, 1]
    full = build_model(RES, r.model.facilities, catalogue=CAT, types=["kindergarten"])
    assert np.array_equal(full.nearest["kindergarten"], r.model.nearest["kindergarten"])
    assert np.array_equal(full.distance_m["kindergarten"], r.model.distance_m["kindergarten"])
