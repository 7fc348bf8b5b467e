"""SQLite specifics: the setting's URL opens the embedded store; other databases are refused."""

import pytest

from geodata.stores import SQLiteProjectStore, open_store


def test_open_store_sqlite_url(tmp_path):
    assert isinstance(open_store(f"sqlite:///{tmp_path / 'q.sqlite'}"), SQLiteProjectStore)
    with pytest.raises(ValueError, match="unsupported"):
        open_store("mysql://localhost/db")


def test_default_store_lives_in_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("RENEWAL_DB_URL", raising=False)
    store = open_store()
    assert isinstance(store, SQLiteProjectStore) and store.path == tmp_path / "projects.sqlite"
