"""Screening presets: saved as JSON in the data directory, merged without losing a concurrent save."""

import json
import threading

import pytest

from geodata.presets import add_user_preset, load_user_presets, presets_path, save_user_presets


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    return tmp_path


def test_round_trip_in_the_pages_file_format(data_dir):
    assert load_user_presets() == {}
    path = save_user_presets({"老旧优先": {"age": 3, "danger": 2.5}})
    assert path == data_dir / "screening_presets.json"
    assert json.loads(path.read_text(encoding="utf-8")) == {"老旧优先": {"age": 3.0, "danger": 2.5}}
    assert "老旧优先" in path.read_text(encoding="utf-8")  # readable Chinese, not \\u escapes
    assert load_user_presets() == {"老旧优先": {"age": 3.0, "danger": 2.5}}


def test_bad_presets_are_refused_and_nothing_written():
    with pytest.raises(ValueError, match="not a number"):
        save_user_presets({"x": {"age": "=HYPERLINK(1)"}})
    with pytest.raises(ValueError, match="needs a name"):
        save_user_presets({" ": {"age": 1}})
    assert not presets_path().exists()


def test_unreadable_file_means_no_presets():
    presets_path().write_text("{not json", encoding="utf-8")
    assert load_user_presets() == {}


def test_concurrent_adds_keep_every_preset():
    def worker(k):
        for i in range(10):
            add_user_preset(f"p{k}-{i}", {"age": float(i)})

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(load_user_presets()) == 40
