"""Exact siting under a time limit reports the gap it proved (issue 19, goal 9)."""

import numpy as np

from layers.siting import coverage_matrix, exact, greedy
from tests.layers.test_siting import CANDS, DEMAND, W


def test_optimal_has_no_gap():
    e = exact(coverage_matrix(CANDS, DEMAND, 100), W, 2)
    assert e.optimal and e.objective == 12 and e.mip_gap is not None and e.mip_gap <= 1e-4
    assert greedy(coverage_matrix(CANDS, DEMAND, 100), W, 2).mip_gap is None


def test_time_out_reports_a_positive_proven_gap():
    # a dense instance that HiGHS cannot close in 1 s: 300 candidates, every cell within reach of ~40
    rng = np.random.default_rng(3)
    xs = np.arange(50, 3_000, 100.0)
    gx, gy = np.meshgrid(xs, xs)
    demand = np.column_stack([gx.ravel(), gy.ravel()])
    w = rng.gamma(2.0, 60.0, len(demand)).round()
    cover = coverage_matrix(rng.uniform(0, 3_000, (300, 2)), demand, 600)
    e = exact(cover, w, 12, time_limit_s=1.0)
    assert not e.optimal and e.seconds < 10
    assert e.mip_gap is not None and e.mip_gap > 1e-4
    # the proof bounds every solution, greedy's included
    assert greedy(cover, w, 12).objective <= e.objective * (1 + e.mip_gap) + 1e-6
