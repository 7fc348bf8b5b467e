"""The national indicator catalogue: every row complete, computed rows point at real indicators."""

import pytest

from geodata.errors import DataValidationError
from geodata.indicators import load_indicators
from geodata.national import LEVELS, counts, is_computed, load_national


@pytest.fixture(scope="module")
def catalogue():
    return load_national(indicator_keys=[d["key"] for d in load_indicators()])


def test_every_row_has_the_required_fields(catalogue):
    rows, sources = catalogue
    for r in rows:
        assert (
            r["level"] in LEVELS and r["direction"] in ("higher", "lower") and r["name_zh"] and r["name_en"]
        )
        assert r["unit"] and r["dimension"] and r["department"] and r["source_level"] in ("国家", "省", "市")
        assert all(s in sources for s in r["sources"])
        if "standard" in r:
            assert r["standard_source"]  # a standard always says where it comes from
        if r["national"] and r["verified"]:
            assert r["sources"]  # verified means: seen in a cited text


def test_computed_rows_point_to_existing_indicators(catalogue):
    rows, _ = catalogue
    keys = {d["key"] for d in load_indicators()}
    for r in rows:
        assert (r["method"] in keys) if is_computed(r) else r["method"].startswith("needs data: ")
    # every indicator the product computes has a row, so it can be recorded
    assert keys <= {r["method"] for r in rows if is_computed(r)}


def test_counts(catalogue):
    rows, _ = catalogue
    c = counts(rows)
    assert c["national"] + c["product"] == len(rows)
    assert c["computed"] + c["needs_data"] == c["national"]
    assert c["computed"] == sum(1 for r in rows if r["national"] and is_computed(r)) and c["computed"] >= 14


def test_bad_catalogue_lists_every_problem(tmp_path):
    p = tmp_path / "bad.toml"
    p.write_text(
        '[sources]\nA = { title = "t", where = "w" }\n'
        '[[indicator]]\nkey = "a"\nlevel = "street"\ndimension = "d"\nname_zh = "甲"\nname_en = "a"\nunit = "%"\n'
        'direction = "up"\nsource_level = "区"\ndepartment = "x"\nmethod = "nope"\nnational = true\n'
        'sources = ["B"]\nverified = true\nstandard = "high"\n',
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError) as err:
        load_national(p, indicator_keys=["kg"])
    fields = sorted(pr.field for pr in err.value.problems)
    assert fields == ["direction", "level", "method", "source_level", "sources", "standard"]


def test_unreadable_file(tmp_path):
    with pytest.raises(DataValidationError, match="cannot read"):
        load_national(tmp_path / "missing.toml")
