"""Layout config: loads, validates against boundaries naming each bad entry, saves atomically keeping comments."""

import os

import pytest

from geodata.boundaries import load_boundaries
from geodata.errors import DataValidationError
from geodata.layout import (
    LAYOUT_TOML,
    dumps_layout,
    layout_path,
    load_layout,
    reset_user_layout,
    save_layout,
    user_layout_path,
)


@pytest.fixture(scope="module")
def bnd():
    return load_boundaries()


@pytest.fixture(scope="module")
def layout(bnd):
    return load_layout(LAYOUT_TOML, boundaries=bnd)


def test_bundled_layout(layout):
    assert len(layout.circle.members) == 32  # 9 南昌 + 13 九江 + 2 抚州 + 5 宜春 + 3 上饶
    assert [b.key for b in layout.belts] == ["hukun", "jingjiu"]
    assert [len(k.prefectures) for k in layout.clusters] == [1, 3, 3, 2]
    assert layout.cities[360100].tier == "省会" and layout.cities[360700].tier == "省域副中心"
    assert "陶瓷" in layout.cities[360200].role_zh


def _write(tmp_path, text):
    p = tmp_path / "layout.toml"
    p.write_text(text, encoding="utf-8")
    return p


def test_bad_entries_are_named(tmp_path, bnd):
    text = LAYOUT_TOML.read_text(encoding="utf-8")
    text = text.replace("360102, 360103,", "361999, 360103,", 1)  # unknown county in the circle
    text = text.replace(
        "prefectures = [360800, 361000]", "prefectures = [360800, 361000, 360700]"
    )  # 赣州 twice
    text = text.replace('tier = "区域中心"', 'tier = "区域重心"', 1)  # typo
    with pytest.raises(DataValidationError) as err:
        load_layout(_write(tmp_path, text), boundaries=bnd)
    fields = [p.field for p in err.value.problems]
    assert "circle.members[0] = 361999" in fields
    assert "clusters.ganzhong.prefectures[2] = 360700" in fields
    assert "cities[361100].tier = 区域重心" in fields
    assert len(fields) == 3
    assert "already in cluster 'gannan'" in str(err.value)


def test_band_width_and_seat_checks(tmp_path, bnd):
    text = LAYOUT_TOML.read_text(encoding="utf-8").replace("band_km = 30", "band_km = 0", 1)
    text = text.replace("seat = [115.858, 28.683]", "seat = [120.0, 30.0]")
    with pytest.raises(DataValidationError) as err:
        load_layout(_write(tmp_path, text), boundaries=bnd)
    assert {p.field for p in err.value.problems} == {"belts.hukun.band_km = 0.0", "cities[360100].seat"}


def test_save_round_trip_and_edit(tmp_path, bnd, layout):
    edited = layout.with_circle_members([*layout.circle.members, 360902]).with_band_km("jingjiu", 45)
    path = save_layout(edited, tmp_path / "layout.toml", boundaries=bnd)
    again = load_layout(path, boundaries=bnd)
    assert 360902 in again.circle.members and again.belts[1].band_km == 45
    assert dumps_layout(again) == dumps_layout(edited)


def test_invalid_edit_is_not_saved(tmp_path, bnd, layout):
    path = save_layout(layout, tmp_path / "layout.toml", boundaries=bnd)
    before = path.read_text(encoding="utf-8")
    with pytest.raises(DataValidationError, match="unknown county"):
        save_layout(layout.with_circle_members([999999]), path, boundaries=bnd)
    assert path.read_text(encoding="utf-8") == before


def test_crash_during_save_keeps_old_file(tmp_path, bnd, layout, monkeypatch):
    path = save_layout(layout, tmp_path / "layout.toml", boundaries=bnd)
    before = path.read_text(encoding="utf-8")

    def boom(*_a, **_k):
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(OSError):
        save_layout(layout.with_band_km("hukun", 50), path, boundaries=bnd)
    assert path.read_text(encoding="utf-8") == before
    # no temp file left behind (the lock file <path>.lock may stay: deleting it would race other writers)
    assert [p.name for p in tmp_path.iterdir() if not p.name.endswith(".lock")] == ["layout.toml"]


def test_comments_survive_save(tmp_path, bnd, layout):
    text = LAYOUT_TOML.read_text(encoding="utf-8").replace(
        "[circle]", "# 审核意见：2026年11月 张工 — keep this note\n[circle]"
    )
    path = _write(tmp_path, text)
    save_layout(
        layout.with_band_km("hukun", 45).with_circle_members([*layout.circle.members, 360902]),
        path,
        boundaries=bnd,
    )
    saved = path.read_text(encoding="utf-8")
    assert "# 审核意见：2026年11月 张工 — keep this note" in saved
    assert "# 南昌市 (all 9)" in saved  # a comment inside the edited members array
    assert (
        "stop_counties = { 360100 = 360124 }  # 南昌 stop is 进贤县" in saved
    )  # untouched line kept verbatim
    again = load_layout(path, boundaries=bnd)
    assert again.belts[0].band_km == 45 and 360902 in again.circle.members
    assert len(saved.splitlines()) == len(text.splitlines())  # only values changed, no line added or lost


def test_first_save_starts_from_the_commented_bundled_file_and_reset(tmp_path, bnd, layout, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("RENEWAL_LAYOUT", raising=False)
    assert layout_path() == LAYOUT_TOML and reset_user_layout() is False
    path = save_layout(layout.with_band_km("jingjiu", 40), boundaries=bnd)
    assert path == user_layout_path() == tmp_path / "layout.toml" and layout_path() == path
    assert "# 两带: corridor line through the city seats" in path.read_text(encoding="utf-8")
    assert reset_user_layout() is True and layout_path() == LAYOUT_TOML


def test_hostile_text_is_escaped_in_toml(tmp_path, bnd, layout):
    from dataclasses import replace

    evil = 'a"b\\c\n[circle]\n<img src=x onerror=alert(1)>'
    edited = replace(layout, circle=replace(layout.circle, name_en=evil))
    again = load_layout(save_layout(edited, tmp_path / "layout.toml", boundaries=bnd), boundaries=bnd)
    assert again.circle.name_en == evil
