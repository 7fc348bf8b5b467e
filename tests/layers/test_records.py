"""Warning rules, grade labels and pre-filled records, checked by hand."""

import math

import pandas as pd
import pytest

from layers.records import assess, grade_label, merge_records, records_from_evaluation, warning, warning_rule

HIGH = {
    "key": "cov",
    "direction": "higher",
    "standard": 0.9,
    "method": "kg",
    "source_level": "国家",
    "department": "教育局",
    "evidence": ["台账", "照片"],
}
LOW0 = {
    "key": "n",
    "direction": "lower",
    "standard": 0,
    "method": "needs data: 台账",
    "source_level": "国家",
    "department": "住建局",
    "evidence": [],
}


def test_default_rule_from_standard_and_direction():
    assert warning_rule(HIGH) == {"direction": "higher", "yellow": 0.9, "red": 0.72}
    assert warning_rule({"direction": "lower", "standard": 10}) == {
        "direction": "lower",
        "yellow": 10,
        "red": 12,
    }
    assert warning_rule({"direction": "higher"}) == {"direction": "higher", "yellow": None, "red": None}


def test_explicit_thresholds_win():
    rule = warning_rule({"direction": "lower", "standard": 0, "warning_yellow": 0, "warning_red": 5})
    assert [warning(v, rule) for v in (0, 3, 5, 6)] == ["none", "yellow", "yellow", "red"]


@pytest.mark.parametrize(
    ("value", "expected"), [(0.95, "none"), (0.9, "none"), (0.8, "yellow"), (0.72, "yellow"), (0.71, "red")]
)
def test_warning_higher_is_better(value, expected):
    assert warning(value, warning_rule(HIGH)) == expected


def test_warning_without_value_or_rule_is_none():
    assert warning(None, warning_rule(HIGH)) == "none" and warning(math.nan, warning_rule(HIGH)) == "none"
    assert warning(0.1, warning_rule({"direction": "higher"})) == "none"


@pytest.mark.parametrize(
    ("value", "standard", "direction", "grade"),
    [
        (1.0, 0.9, "higher", "很好"),  # ≥ 0.99
        (0.95, 0.9, "higher", "较好"),
        (0.8, 0.9, "higher", "一般"),  # yellow
        (0.5, 0.9, "higher", "较差"),  # red
        (0, 0, "lower", "很好"),
        (2, 0, "lower", "较差"),  # any value above a zero standard is red
        (8, 10, "lower", "很好"),  # ≤ 9
        (9.5, 10, "lower", "较好"),
        (11, 10, "lower", "一般"),
        (13, 10, "lower", "较差"),
        (5, None, "higher", "无标准"),
    ],
)
def test_grades(value, standard, direction, grade):
    g, _ = assess({"direction": direction}, value, standard)
    assert g == grade


def test_no_value_no_grade():
    assert grade_label(None, 0.9, "higher", "none") is None


def test_prefill_and_manual_override():
    ev = pd.DataFrame({"unit": ["city", 360102], "indicator": ["kg", "kg"], "value": [0.8, 0.95]})
    pre = records_from_evaluation([HIGH, LOW0], ev, year=2026, scopes=["city", "360102"])
    r = pre.set_index(["indicator", "scope"])
    assert r.loc[("cov", "city"), "value"] == 0.8 and r.loc[("cov", "city"), "warning"] == "yellow"
    assert r.loc[("cov", "city"), "grade"] == "一般" and r.loc[("cov", "360102"), "grade"] == "较好"
    assert pd.isna(r.loc[("n", "city"), "value"]) and r.loc[("n", "city"), "grade"] is None  # needs data
    assert r.loc[("cov", "city"), "evidence"] == [
        {"item": "台账", "done": False},
        {"item": "照片", "done": False},
    ]
    stored = pd.DataFrame(
        [
            {
                "indicator": "cov",
                "scope": "city",
                "value": 0.5,
                "manual": True,
                "standard": 0.9,
                "version": 2,
            },
            {"indicator": "n", "scope": "city", "value": 3.0, "manual": True, "standard": 0, "version": 1},
        ]
    )
    m = merge_records(pre, stored, [HIGH, LOW0]).set_index(["indicator", "scope"])
    assert m.loc[("cov", "city"), "value"] == 0.5 and m.loc[("cov", "city"), "computed_value"] == 0.8
    assert m.loc[("cov", "city"), "grade"] == "较差" and m.loc[("n", "city"), "warning"] == "red"
    # a stored record that is not manual follows the engine
    auto = merge_records(pre, stored.assign(manual=False), [HIGH, LOW0]).set_index(["indicator", "scope"])
    assert auto.loc[("cov", "city"), "value"] == 0.8


def test_record_problems_are_the_warnings_the_engine_cannot_place():
    from layers.records import record_problems

    cat = [
        {"key": "h_gas", "method": "needs data: 燃气隐患台账"},
        {"key": "kg", "method": "kindergarten_cov"},
    ]
    recs = pd.DataFrame(
        {
            "year": [2026, 2026, 2026, 2026, 2026],
            "scope": ["city", "360102", "city", "city", "360103"],
            "indicator": ["h_gas", "h_gas", "kg", "kg", "h_gas"],
            "value": [12.0, 1.0, 0.5, 0.4, 0.0],
            "standard": [0.0, 0.0, 0.9, 0.9, 0.0],
            "warning": ["red", "yellow", "red", "red", "none"],
            "manual": [True, True, False, True, True],
            "department": ["住建局"] * 5,
        }
    )
    out = record_problems(recs, cat)
    # the engine's own kg warning (not manual) is already a problem per unit: only the hand-filled ones here
    assert out["problem_id"].tolist() == [
        "2026|record|city|h_gas",
        "2026|record|city|kg",
        "2026|record|360102|h_gas",
    ]
    assert out["warning"].tolist() == ["red", "red", "yellow"]
    assert record_problems(recs.iloc[0:0], cat).empty
