"""账户管理 page (admins only): the planners' accounts, add one, reset a password, change a role, disable."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import auth, common
from geodata.stores import ROLES, AccountError, open_accounts
from i18n import t
from layers.library import local_time


def _accounts_table(users: pd.DataFrame, L: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("auth.name", L): users["name"].astype(str),
            t("admin.role", L): users["role"].map(lambda r: t(f"role.{r}", L)),
            t("admin.state", L): users["active"].map(
                lambda a: t("admin.active" if a else "admin.disabled", L)
            ),
            t("admin.password_login", L): users["has_password"].map(lambda h: t("yes" if h else "no", L)),
            t("admin.created", L): users["created_at"].map(local_time),
            t("admin.updated", L): users["updated_at"].map(local_time),
            t("col.editor", L): users["updated_by"].astype(str),
        }
    )


def _add_form(accounts, by: str, L: str) -> None:
    with st.form("admin_add", clear_on_submit=True):
        st.markdown(f"**{t('admin.add', L)}**")
        c = st.columns(4)
        name = c[0].text_input(t("auth.name", L), max_chars=64, help=t("admin.name_help", L))
        role = c[1].selectbox(t("admin.role", L), ROLES, index=1, format_func=lambda r: t(f"role.{r}", L))
        pw1 = c[2].text_input(t("auth.password", L), type="password", max_chars=256)
        pw2 = c[3].text_input(t("admin.password_again", L), type="password", max_chars=256)
        sso_only = st.checkbox(t("admin.sso_only", L))
        if st.form_submit_button(t("admin.add", L), type="primary"):
            if not sso_only and pw1 != pw2:
                st.error(t("admin.mismatch", L))
                return
            try:
                made = accounts.add_user(name, role, None if sso_only else pw1, by=by)
            except AccountError as err:
                st.error(common.md_escape(common.one_language(err, L)))
            else:
                st.session_state["admin_flash"] = t("admin.added", L, name=common.md_escape(made["name"]))
                st.rerun()


def _change_form(accounts, users: pd.DataFrame, by: str, L: str) -> None:
    st.markdown(f"**{t('admin.change', L)}**")
    name = st.selectbox(t("auth.name", L), users["name"].tolist(), key="admin_pick")
    current = users.set_index("name").loc[name]
    with st.form(f"admin_change_{name}"):
        c = st.columns(3)
        role = c[0].selectbox(
            t("admin.role", L),
            ROLES,
            index=ROLES.index(current["role"]),
            format_func=lambda r: t(f"role.{r}", L),
        )
        pw1 = c[1].text_input(t("admin.new_password", L), type="password", max_chars=256)
        pw2 = c[2].text_input(t("admin.password_again", L), type="password", max_chars=256)
        active = st.checkbox(t("admin.active", L), value=bool(current["active"]))
        if st.form_submit_button(t("admin.save", L), type="primary"):
            if pw1 != pw2:
                st.error(t("admin.mismatch", L))
                return
            try:
                if role != current["role"]:
                    accounts.set_role(name, role, by=by)
                if active != bool(current["active"]):
                    accounts.set_active(name, active, by=by)
                if pw1:
                    accounts.set_password(name, pw1, by=by)
            except AccountError as err:
                st.error(common.md_escape(common.one_language(err, L)))
            else:
                st.session_state["admin_flash"] = t("admin.saved", L, name=common.md_escape(name))
                st.rerun()


def render_admin() -> None:
    L = common.lang()
    st.title(t("nav.admin", L))
    if not auth.is_admin():
        st.warning(t("admin.only", L))
        return
    accounts = open_accounts()
    st.caption(t("admin.caption", L))
    flash = st.session_state.pop("admin_flash", None)
    if flash:
        st.success(flash)
    users = accounts.users()
    if users.empty:
        st.info(t("admin.none", L))
    else:
        st.dataframe(_accounts_table(users, L), hide_index=True, width="stretch")
    by = common.editor()
    left, right = st.columns(2, gap="large")
    with left:
        _add_form(accounts, by, L)
    if not users.empty:
        with right:
            _change_form(accounts, users, by, L)
    log = accounts.account_log()
    if not log.empty:
        st.markdown(f"**{t('admin.log', L)}**")
        st.dataframe(
            pd.DataFrame(
                {
                    t("admin.when", L): log["ts"].map(local_time),
                    t("col.editor", L): log["actor"].astype(str),
                    t("auth.name", L): log["name"].astype(str),
                    t("admin.what", L): log["action"].map(lambda a: t(f"admin.action.{a}", L)),
                    t("admin.role", L): log["detail"].map(lambda r: t(f"role.{r}", L) if r in ROLES else ""),
                }
            ),
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * len(log), 420),
        )
