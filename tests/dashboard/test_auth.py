"""Sign-in and roles (AppTest): who must sign in, the sign-in form, lock-out, the accounts page."""

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from dashboard import auth
from dashboard.auth import needs_login
from geodata.paths import REPO_ROOT
from geodata.stores import open_accounts

APP = str(REPO_ROOT / "app.py")


@pytest.mark.parametrize(
    "address, mode, db, required",
    [
        ("127.0.0.1", None, None, False),  # make run: one planner on this machine
        ("localhost", "", "sqlite:///x.sqlite", False),
        ("127.0.0.1", "required", None, True),  # behind nginx (make serve-cluster)
        ("0.0.0.0", None, None, True),  # HOST=0.0.0.0 make run serves the LAN
        ("0.0.0.0", "off", None, True),  # nobody switches sign-in off on a LAN address
        (None, None, None, True),  # streamlit's default: every interface
        ("192.168.1.20", None, None, True),
        ("127.0.0.1", None, "postgresql://u@db/renewal", True),  # a shared bureau store
    ],
)
def test_who_must_sign_in(address, mode, db, required):
    assert needs_login(address, mode, db) is required


@pytest.fixture
def lan(tmp_path, monkeypatch):
    """The app served on the LAN with its own account store; restores the suite's local address."""
    monkeypatch.setenv("RENEWAL_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("RENEWAL_DB_URL", f"sqlite:///{tmp_path / 'library.sqlite'}")
    auth._failures.clear()
    config.set_option("server.address", "0.0.0.0")
    yield open_accounts()
    config.set_option("server.address", "127.0.0.1")


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def _sign_in(at: AppTest, name: str, password: str) -> AppTest:
    fields = {w.label: w for w in at.text_input}
    fields["用户名"].input(name)
    fields["密码"].input(password)
    return next(b for b in at.button if b.label == "登录").click().run()


def test_no_accounts_yet_shows_how_to_make_the_first_admin(demo_gpkg, lan):
    at = _app()
    assert at.title[0].value.startswith("登录")
    assert any("cli.py users add" in w.value for w in at.warning)
    assert not at.metric and not at.dataframe, "nothing of the atlas before sign-in"


def test_sign_in_then_the_atlas(demo_gpkg, lan):
    lan.add_user("zhang", "editor", "correct horse", by="cli")
    at = _app()
    assert not at.metric and not at.dataframe
    at = _sign_in(at, "zhang", "wrong password")
    assert any("不正确" in e.value for e in at.error) and not at.metric
    at = _sign_in(at, "zhang", "correct horse")
    assert not at.exception
    assert at.title[0].value == "城市更新规划一张图" and at.metric
    assert any("zhang" in m.value and "编辑者" in m.value for m in at.sidebar.markdown)
    assert at.session_state["auth"] == {"name": "zhang", "role": "editor", "via": "password"}
    next(b for b in at.sidebar.button if b.key == "auth_sign_out").click().run()
    assert at.title[0].value.startswith("登录") and not at.metric


def test_five_failures_lock_the_name(demo_gpkg, lan):
    lan.add_user("zhang", "editor", "correct horse", by="cli")
    at = _app()
    for _ in range(auth.MAX_FAILURES):
        at = _sign_in(at, "zhang", "guess guess")
    at = _sign_in(at, "zhang", "correct horse")  # even the right password waits now
    assert any("5 分钟" in e.value for e in at.error) and not at.metric


def test_sign_in_form_in_english(demo_gpkg, lan):
    lan.add_user("zhang", "viewer", "correct horse", by="cli")
    at = _app()
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.title[0].value.startswith("Sign in")
    assert {w.label for w in at.text_input} == {"User name", "Password"}


ADMIN_SCRIPT = "from dashboard.admin_page import render_admin\nrender_admin()\n"


def _admin_page(name: str = "root", role: str = "admin") -> AppTest:
    at = AppTest.from_string(ADMIN_SCRIPT, default_timeout=60)
    at.session_state["auth"] = {"name": name, "role": role, "via": "password"}
    at.run()
    assert not at.exception, at.exception
    return at


def test_admin_adds_a_planner_and_resets_a_password(lan):
    lan.add_user("root", "admin", "admin pass 1", by="cli")
    at = _admin_page()
    add = {w.label: w for w in at.text_input if w.form_id == "admin_add"}
    add["用户名"].input("li.si")
    add["密码"].input("first pass")
    add["再次输入密码"].input("first pass")
    next(s for s in at.selectbox if s.form_id == "admin_add").set_value("viewer")
    next(b for b in at.button if b.form_id == "admin_add").click().run()
    assert any("已新增账户 li" in s.value for s in at.success)
    assert lan.authenticate("li.si", "first pass") == {"name": "li.si", "role": "viewer"}
    at.selectbox(key="admin_pick").set_value("li.si").run()
    change = {w.label: w for w in at.text_input if w.form_id == "admin_change_li.si"}
    change["新密码（留空则不改）"].input("second pass")
    change["再次输入密码"].input("second pass")
    next(s for s in at.selectbox if s.form_id == "admin_change_li.si").set_value("editor")
    next(b for b in at.button if b.form_id == "admin_change_li.si").click().run()
    assert lan.authenticate("li.si", "first pass") is None
    assert lan.authenticate("li.si", "second pass") == {"name": "li.si", "role": "editor"}
    log = lan.account_log()
    assert set(log.loc[log["name"] == "li.si", "actor"]) == {"root"}


def test_hostile_account_name_is_refused_with_a_message(lan):
    lan.add_user("root", "admin", "admin pass 1", by="cli")
    at = _admin_page()
    add = {w.label: w for w in at.text_input if w.form_id == "admin_add"}
    add["用户名"].input("<img src=x onerror=alert(1)>")
    add["密码"].input("first pass")
    add["再次输入密码"].input("first pass")
    next(b for b in at.button if b.form_id == "admin_add").click().run()
    assert any("用户名" in e.value and "无效" in e.value for e in at.error)
    assert lan.users()["name"].tolist() == ["root"]


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_only_admins_manage_accounts(lan, role):
    at = _admin_page("zhang", role)
    assert any("只有管理员" in w.value for w in at.warning)
    assert not at.text_input and not at.dataframe
