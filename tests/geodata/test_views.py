"""Saved presentation views: validated, saved atomically, defaults when missing or unreadable."""

import pytest

from geodata.views import DEFAULT_VIEWS, load_views, save_views, views_path


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    return tmp_path


def test_defaults_then_round_trip(data_dir):
    assert load_views() == DEFAULT_VIEWS
    views = [{"title": "<img src=x onerror=alert(1)>", "kind": "coverage", "params": {"selection": "park"}}]
    assert save_views(views) == data_dir / "views.json"
    assert load_views() == views
    assert sorted(p.name for p in data_dir.iterdir() if not p.name.endswith(".lock")) == ["views.json"]


def test_bad_view_is_refused_and_old_file_kept():
    save_views([{"title": "a", "kind": "layout"}])
    before = views_path().read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="view 2"):
        save_views([{"title": "a", "kind": "layout"}, {"title": "", "kind": "layout"}])
    assert views_path().read_text(encoding="utf-8") == before
