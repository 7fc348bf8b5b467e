"""Sign-in in a real browser (the bureau-server mode): nothing before sign-in, a viewer sees no control that
writes on any page, identity and language survive page changes, sign-out; the admin's accounts page."""

import pytest

from geodata.stores import open_accounts
from tests.browser.conftest import start_app, stop_app

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(demo_gpkg, tmp_path_factory):
    data = tmp_path_factory.mktemp("login-data")
    url = f"sqlite:///{data / 'library.sqlite'}"
    accounts = open_accounts(url)
    accounts.add_user("root", "admin", "admin pass 1", by="test")
    accounts.add_user("zhao", "viewer", "viewer pass", by="root")
    accounts.create({"name": "甲项目（示例）", "parcel_id": "P0001"}, editor="root")
    proc, base, log = start_app(data, data / "streamlit.log", RENEWAL_LOGIN="required", RENEWAL_DB_URL=url)
    yield base, accounts
    stop_app(proc, log)


def _sign_in(page, name: str, password: str, lang: str = "zh") -> None:
    labels = {"zh": ("用户名", "密码", "登录"), "en": ("User name", "Password", "Log in")}[lang]
    page.get_by_role("textbox", name=labels[0], exact=True).fill(name)
    page.get_by_role("textbox", name=labels[1], exact=True).fill(password)
    page.get_by_role("button", name=labels[2], exact=True).click()


def _sidebar(page):
    return page.locator("section[data-testid='stSidebar']")


def test_viewer_reads_but_cannot_write(server, bpage):
    base, accounts = server
    page = bpage.page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(base, wait_until="domcontentloaded")
    page.get_by_role("heading", name="登录 · 城市更新规划一张图").wait_for(timeout=60_000)
    assert page.locator("iframe").count() == 0, "no map before sign-in"
    bpage.screenshot("login_zh")
    _sign_in(page, "zhao", "wrong password")
    page.get_by_text("用户名或密码不正确").first.wait_for()
    _sign_in(page, "zhao", "viewer pass")
    bpage.map_frame()  # the overview map: signed in
    assert "已登录：zhao（查看者）" in _sidebar(page).inner_text()
    assert page.get_by_role("link", name="账户管理").count() == 0, "accounts page is for admins"
    page.get_by_role("link", name="更新地块与项目库").first.click()
    page.get_by_text("城市更新地块、候选筛选与项目库").first.wait_for()
    page.get_by_role("tab", name="项目库").click()
    page.get_by_text("只读：您的角色是“查看者”").first.wait_for(timeout=60_000)
    page.get_by_text("甲项目（示例）").first.wait_for(state="attached")
    for label in ("保存修改", "纳入项目库", "撤销我对本项目的最近一次修改"):
        assert page.get_by_role("button", name=label).count() == 0, label
    assert page.locator("[data-testid='stFileUploader']").count() == 0
    page.get_by_role("link", name="城市体检台账").first.click()
    page.get_by_text("城市体检").first.wait_for()
    page.wait_for_timeout(3000)
    assert page.get_by_role("button", name="保存对应关系").count() == 0
    assert "已登录：zhao（查看者）" in _sidebar(page).inner_text(), "identity survives page changes"
    bpage.screenshot("login_viewer_health_zh")
    _sidebar(page).get_by_role("button", name="退出登录").click()
    page.get_by_role("heading", name="登录 · 城市更新规划一张图").wait_for()
    assert len(accounts.history(accounts.list().iloc[0]["project_id"])) == 1, "nothing was written"
    bpage.assert_offline()


def test_admin_sees_accounts_in_english(server, bpage):
    base, _ = server
    page = bpage.page
    page.set_viewport_size({"width": 1920, "height": 1080})
    page.goto(base, wait_until="domcontentloaded")
    page.get_by_role("heading", name="登录 · 城市更新规划一张图").wait_for(timeout=60_000)
    _sidebar(page).get_by_text("English", exact=True).click()
    page.get_by_role("heading", name="Sign in · Renewal Atlas").wait_for()
    bpage.screenshot("login_en")
    _sign_in(page, "root", "admin pass 1", "en")
    bpage.map_frame()
    page.get_by_role("link", name="Accounts").first.click()
    page.get_by_role("heading", name="Accounts").wait_for()
    page.get_by_text("zhao").first.wait_for(state="attached")
    assert "Signed in: root (admin)" in _sidebar(page).inner_text()
    bpage.screenshot("accounts_en")
