"""Facility catalogue: DOMAIN.md §2 values, validation listing every problem, overrides."""

import pytest

from geodata.catalogue import load_catalogue
from geodata.errors import DataValidationError


def test_domain_table_values():
    c = load_catalogue()
    assert len(c.types) == 22
    assert c.radius_m("kindergarten") == 300 and c.radius_m("primary_school") == 500
    assert c.radius_m("middle_school") == 1000 and c.radius_m("metro_station") == 800
    assert c.types["nursery"].assumption and not c.types["kindergarten"].assumption
    assert set(c.circle_types("10min")) == {"primary_school", "park", "market"}
    # 完整居住社区建设标准（试行）(建科规〔2020〕7号, 2020), item by item; a convenience store is not the supermarket
    assert len(c.complete_community) == 9 and ("supermarket",) in c.complete_community
    assert not any("convenience" in req for req in c.complete_community)
    assert {("delivery",), ("activity_ground",), ("pocket_park", "park")} <= set(c.complete_community)


def test_every_basis_is_cited():
    c = load_catalogue()
    for key, ft in c.types.items():
        assert "2021" not in ft.basis_zh + ft.basis_en, key  # the complete-community standard is 2020
        if "完整居住社区" in ft.basis_zh:
            assert "建科规〔2020〕7号" in ft.basis_zh, key
    for key in ("kindergarten", "primary_school", "middle_school", "bus_stop", "elderly_daycare"):
        assert "附录B" in c.types[key].basis_zh, key


def test_with_radii_returns_new_catalogue():
    c = load_catalogue()
    c2 = c.with_radii({"kindergarten": 500})
    assert c2.radius_m("kindergarten") == 500 and c.radius_m("kindergarten") == 300
    with pytest.raises(DataValidationError) as err:
        c.with_radii({"nope": 100, "park": -1})
    assert len(err.value.problems) == 2


def test_bad_catalogue_lists_all_problems(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text(
        'complete_community = [["school_x"]]\n'
        '[types.a]\nname_zh="甲"\nname_en="A"\ncircle="7min"\nradius_m=300\nbasis_zh="x"\nbasis_en="x"\n'
        '[types.b]\nname_zh="乙"\nname_en="B"\ncircle="5min"\nradius_m=-5\nbasis_zh="x"\nbasis_en="x"\n'
        '[types.c]\nname_zh="丙"\ncircle="5min"\nradius_m=5\nbasis_zh="x"\nbasis_en="x"\n',
        encoding="utf-8",
    )
    with pytest.raises(DataValidationError) as err:
        load_catalogue(p)
    fields = sorted(str(pr.field) for pr in err.value.problems)
    assert fields == ["None", "a.circle", "b.radius_m", "c.name_en"]


def test_broken_toml(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text("[types.a\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="not valid TOML"):
        load_catalogue(p)
