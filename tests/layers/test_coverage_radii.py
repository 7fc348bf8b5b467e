"""Several radii from one nearest-facility query (layers.coverage.multi_radius_coverage), checked by hand."""

import numpy as np
import pytest

from layers.coverage import multi_radius_coverage, radius_column

# three facilities and five residents on a metre grid (EPSG:32650-like numbers)
FAC = np.array([[500000.0, 3000000.0], [501000.0, 3000000.0], [500000.0, 3002000.0]])
RES = np.array(
    [
        [500300.0, 3000400.0],  # 500 m from the first (3-4-5 triangle)
        [500000.0, 3000300.0],  # exactly 300 m from the first: served at 300
        [501000.0, 3000250.0],  # 250 m from the second
        [500000.0, 3001600.0],  # 400 m from the third
        [503000.0, 3000000.0],  # 2000 m from the second
    ]
)


def test_two_radii_by_hand():
    dist, served = multi_radius_coverage(RES, FAC, [300, 500])
    assert dist.tolist() == [500.0, 300.0, 250.0, 400.0, 2000.0]
    assert served[300].tolist() == [False, True, True, False, False]
    assert served[500].tolist() == [True, True, True, True, False]
    pop = np.array([100, 200, 300, 400, 500])
    assert pop[served[300]].sum() == 500 and pop[served[500]].sum() == 1000


def test_served_uses_unrounded_distance():
    # 300.04 m rounds to 300.0 in the table but is outside a 300 m radius
    dist, served = multi_radius_coverage(np.array([[0.0, 300.04]]), np.array([[0.0, 0.0]]), [300])
    assert dist.tolist() == [300.0] and served[300].tolist() == [False]


def test_no_facilities_gives_nan_and_unserved():
    dist, served = multi_radius_coverage(RES, np.zeros((0, 2)), [300, 1000])
    assert np.isnan(dist).all() and not served[1000].any()


@pytest.mark.parametrize(
    "radii, message", [([], "no radius"), ([300, -5], "positive"), ([np.nan], "positive")]
)
def test_bad_radii(radii, message):
    with pytest.raises(ValueError, match=message):
        multi_radius_coverage(RES, FAC, radii)


def test_radius_column_names():
    assert [radius_column(r) for r in (300, 500.0, 512.5)] == ["served_300m", "served_500m", "served_512.5m"]
