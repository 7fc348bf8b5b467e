"""The one formula guard for spreadsheets: text that would start a formula stays text, numbers stay numbers."""

import pandas as pd
import pytest

from geodata.spreadsheet import formula_safe, safe_text, unguard_text, write_csv

HOSTILE = ['=HYPERLINK("http://x","y")', "+1", "-改造", "@SUM(A1)", "\t=1", "\r=1", "=1+1"]


@pytest.mark.parametrize("text", HOSTILE)
def test_formula_start_gets_an_apostrophe_and_comes_back(text):
    assert safe_text(text) == "'" + text
    assert unguard_text(safe_text(text)) == text


@pytest.mark.parametrize("text", ["正常", "'引号开头", "a=b", "", "'"])
def test_plain_text_is_left_alone(text):
    assert safe_text(text) == text and unguard_text(text) == text


def test_formula_safe_text_only_numbers_untouched():
    df = pd.DataFrame({"=cmd": [*HOSTILE[:4], "ok\x00"], "n": [-1, -2.5, 3, 4, 5]})
    out = formula_safe(df)
    assert out.columns.tolist() == ["'=cmd", "n"]
    assert out["'=cmd"].tolist() == [
        '\'=HYPERLINK("http://x","y")',
        "'+1",
        "'-改造",
        "'@SUM(A1)",
        "ok",
    ]
    assert out["n"].tolist() == [-1, -2.5, 3, 4, 5] and out["n"].dtype.kind == "f"
    assert df.columns.tolist() == ["=cmd", "n"]  # input untouched
    assert formula_safe(out).equals(out)  # twice = once


def test_write_csv_cell_starts_with_quote(tmp_path):
    path = tmp_path / "t.csv"
    write_csv(pd.DataFrame({"name": ['=HYPERLINK("http://x","y")'], "v": [-3]}), path)
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("\"'=HYPERLINK(") and lines[1].endswith(",-3")
