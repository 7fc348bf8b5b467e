"""Planner accounts on both stores: argon2 hashes, roles, the last admin, the account log."""

import pytest

from geodata.stores import AccountError
from geodata.stores.accounts import check_name, hash_password, password_matches


def test_password_is_stored_only_as_an_argon2_hash(store):
    store.add_user("zhang", "editor", "correct horse", by="cli")
    assert "pw_hash" not in store.users().columns
    raw = store._read(lambda s: s.scalar("SELECT pw_hash FROM users WHERE name = 'zhang'"))
    assert raw.startswith("$argon2id$") and "correct horse" not in raw
    assert store.authenticate("zhang", "correct horse") == {"name": "zhang", "role": "editor"}


@pytest.mark.parametrize(
    "name, password", [("zhang", "wrong pass"), ("nobody", "correct horse"), ("zhang", "")]
)
def test_wrong_name_or_password_is_one_answer(store, name, password):
    store.add_user("zhang", "editor", "correct horse", by="cli")
    assert store.authenticate(name, password) is None


def test_disabled_account_cannot_sign_in(store):
    store.add_user("root", "admin", "admin pass 1", by="cli")
    store.add_user("li", "viewer", "viewer pass", by="root")
    store.set_active("li", False, by="root")
    assert store.authenticate("li", "viewer pass") is None and store.user("li") is None
    store.set_active("li", True, by="root")
    assert store.authenticate("li", "viewer pass")["role"] == "viewer"


def test_reset_password_and_role(store):
    store.add_user("root", "admin", "admin pass 1", by="cli")
    store.add_user("li", "viewer", "viewer pass", by="root")
    store.set_password("li", "new password", by="root")
    store.set_role("li", "editor", by="root")
    assert store.authenticate("li", "viewer pass") is None
    assert store.authenticate("li", "new password") == {"name": "li", "role": "editor"}
    log = store.account_log()
    assert sorted(log["action"]) == ["add", "add", "password", "role"]
    assert set(log.loc[log["name"] == "li", "actor"]) == {"root"}


def test_the_last_active_admin_stays(store):
    store.add_user("root", "admin", "admin pass 1", by="cli")
    with pytest.raises(AccountError, match="管理员"):
        store.set_role("root", "viewer", by="root")
    with pytest.raises(AccountError, match="管理员"):
        store.set_active("root", False, by="root")
    assert store.user("root") == {"name": "root", "role": "admin"}


def test_duplicate_and_invalid_accounts_are_refused(store):
    store.add_user("zhang", "editor", "correct horse", by="cli")
    with pytest.raises(AccountError, match="已存在"):
        store.add_user("zhang", "viewer", "another pass", by="cli")
    with pytest.raises(AccountError, match="角色"):
        store.add_user("wang", "superuser", "another pass", by="cli")
    with pytest.raises(AccountError, match="8"):
        store.add_user("wang", "viewer", "short", by="cli")
    with pytest.raises(AccountError, match="不存在"):
        store.set_password("nobody", "another pass", by="cli")
    assert store.users()["name"].tolist() == ["zhang"]


@pytest.mark.parametrize(
    "name", ["", " ", "<img src=x onerror=alert(1)>", "=HYPERLINK(1)", "a\x00b", "x" * 65, "a b", "a/b"]
)
def test_hostile_names_are_refused(name):
    with pytest.raises(AccountError):
        check_name(name)


@pytest.mark.parametrize("name", ["张工", "zhang.san", "zhang@bureau.gov.cn", "li-4_x"])
def test_planner_names_are_accepted(name):
    assert check_name(f" {name} ") == name


def test_password_checks():
    encoded = hash_password("长密码也可以用中文")
    assert password_matches(encoded, "长密码也可以用中文") and not password_matches(
        encoded, "长密码也可以用中"
    )
    assert not password_matches(None, "anything") and not password_matches("not a hash", "anything")
    for bad in ("1234567", "a\x00bcdefgh", "x" * 257, None):
        with pytest.raises(AccountError):
            hash_password(bad)


def test_sso_only_account_has_no_password_login(store):
    store.add_user("zhang@bureau.gov.cn", "editor", None, by="root")
    assert store.authenticate("zhang@bureau.gov.cn", "") is None
    assert store.user("zhang@bureau.gov.cn") == {"name": "zhang@bureau.gov.cn", "role": "editor"}
    assert store.users()["has_password"].tolist() == [0]
