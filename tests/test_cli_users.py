"""``cli.py users``: the first admin, refusals with messages, never a password on the command line."""

import subprocess
import sys

import pytest

from geodata.paths import REPO_ROOT
from geodata.stores import open_accounts


def users(*args, stdin: str = "", db: str):
    proc = subprocess.run(
        [sys.executable, "cli.py", "users", *args, "--db", db],
        cwd=REPO_ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


@pytest.fixture(params=["sqlite", "postgis"])
def db(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'library.sqlite'}"
    from tests.geodata.stores.conftest import fresh_postgis

    url = request.getfixturevalue("pg_url")
    fresh_postgis(url)
    return url


def test_first_admin_then_a_viewer(db):
    p = users("add", "root", "--role", "admin", stdin="admin pass 1\n", db=db)
    assert p.returncode == 0 and p.stdout.strip().splitlines()[-1] == "user=root role=admin"
    assert users("add", "li", "--role", "viewer", stdin="viewer pass\n", db=db).returncode == 0
    store = open_accounts(db)
    assert store.authenticate("root", "admin pass 1") == {"name": "root", "role": "admin"}
    assert store.authenticate("li", "viewer pass") == {"name": "li", "role": "viewer"}
    listed = users("list", db=db)
    assert listed.stdout.splitlines() == ["li\tviewer\tactive", "root\tadmin\tactive", "users=2"]
    assert "admin pass 1" not in listed.stdout


def test_refusals_exit_1_with_a_message(db):
    users("add", "root", "--role", "admin", stdin="admin pass 1\n", db=db)
    for args, stdin, says in (
        (("add", "root", "--role", "editor"), "another pass\n", "已存在"),
        (("add", "li", "--role", "viewer"), "short\n", "8"),
        (("add", "<img src=x onerror=alert(1)>", "--role", "viewer"), "another pass\n", "用户名"),
        (("role", "root", "viewer"), "", "管理员"),
        (("passwd", "nobody"), "another pass\n", "不存在"),
    ):
        p = users(*args, stdin=stdin, db=db)
        assert p.returncode == 1 and says in p.stderr, (args, p.stderr)
    assert open_accounts(db).users()["name"].tolist() == ["root"]


def test_bad_role_and_unreachable_store_exit_2(tmp_path):
    assert users("add", "x", "--role", "boss", db=f"sqlite:///{tmp_path / 'l.sqlite'}").returncode == 2
    p = users("list", db="postgresql://nobody@127.0.0.1:1/none")
    assert p.returncode == 2 and "error:" in p.stderr
