"""Siting: a hand-solvable instance where greedy is suboptimal and the exact solver finds the optimum."""

import numpy as np
import pytest

from layers.siting import (
    GREEDY_BOUND,
    coverage_matrix,
    exact,
    greedy,
    grid_candidates,
    min_sites_for_target,
    siting_table,
)

# five residents on a line, weights 3 3 1 3 3; radius 100 m
DEMAND = np.array([[0.0, 0], [100, 0], [200, 0], [300, 0], [400, 0]])
W = np.array([3.0, 3, 1, 3, 3])
# A (x=200) covers r2 r3 r4 = 7; B (x=50) covers r1 r2 = 6; C (x=350) covers r4 r5 = 6
CANDS = np.array([[200.0, 0], [50, 0], [350, 0]])


def test_coverage_matrix_by_hand():
    m = coverage_matrix(CANDS, DEMAND, 100).toarray()
    assert m.tolist() == [[0, 1, 1, 1, 0], [1, 1, 0, 0, 0], [0, 0, 0, 1, 1]]


def test_greedy_is_suboptimal_exact_is_optimal():
    cover = coverage_matrix(CANDS, DEMAND, 100)
    g = greedy(cover, W, 2)
    assert g.chosen[0] == 0 and g.objective == 10 and g.marginal == [7.0, 3.0]
    e = exact(cover, W, 2)
    assert sorted(e.chosen) == [1, 2] and e.objective == 12 and e.optimal
    assert g.objective >= GREEDY_BOUND * e.objective


def test_k_larger_than_candidates():
    cover = coverage_matrix(CANDS, DEMAND, 100)
    assert exact(cover, W, 10).objective == 13
    assert greedy(cover, W, 10).objective == 13 and len(greedy(cover, W, 10).chosen) == 3


def test_no_gap_at_all():
    cover = coverage_matrix(CANDS, DEMAND, 100)
    zero = np.zeros(5)
    assert greedy(cover, zero, 2).chosen == [] and exact(cover, zero, 2).objective == 0
    far = coverage_matrix(np.array([[5000.0, 0]]), DEMAND, 100)
    assert exact(far, W, 1).chosen == [] and greedy(far, W, 1).objective == 0


def test_set_cover_target():
    cover = coverage_matrix(CANDS, DEMAND, 100)
    r = min_sites_for_target(cover, W, target_share=0.75)  # 75 % of 13 = 9.75 → needs two greedy sites
    assert len(r.chosen) == 2 and r.optimal
    assert not min_sites_for_target(coverage_matrix(CANDS[:1], DEMAND, 100), W, target_share=0.9).optimal


def test_grid_candidates_only_in_gap_area():
    pts = grid_candidates(DEMAND, np.array([0, 0, 0, 1.0, 1.0]), spacing_m=200)
    assert pts.tolist() == [[300.0, 100.0], [500.0, 100.0]]


def test_table_cumulative():
    cover = coverage_matrix(CANDS, DEMAND, 100)
    t = siting_table(
        greedy(cover, W, 2), ["A", "B", "C"], total_demand=13, already_served=0, population_total=13
    )
    assert t["site"].tolist() == ["A", "B"] and t["cumulative_new"].tolist() == [7.0, 10.0]
    assert t["coverage_share"].iloc[-1] == pytest.approx(10 / 13)


def test_capacity_limits_each_site():
    from layers.siting import capacitated_set_cover

    cover = coverage_matrix(CANDS, DEMAND, 100)
    # capacity 4 per site: A can serve only 4 of its 7 (nearest first: r3 (1), then r2 (3) → 4)
    r = capacitated_set_cover(cover, W, CANDS, DEMAND, capacity=4, target_share=1.0)
    assert r.marginal[0] == 4 and sum(r.marginal) <= 13 and not r.optimal  # 3 sites × 4 < 13
    assert len(r.chosen) == 3
    r2 = capacitated_set_cover(cover, W, CANDS, DEMAND, capacity=100, target_share=10 / 13)
    assert r2.chosen == [0, 1] and r2.optimal  # unbounded capacity: the plain greedy order (A then B)
    with pytest.raises(ValueError, match="capacity"):
        capacitated_set_cover(cover, W, CANDS, DEMAND, capacity=0, target_share=0.5)
