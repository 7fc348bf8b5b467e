"""Who is using the app and what they may do: sign-in, roles, and the single-planner local mode.

* **Local mode** — the app is served on 127.0.0.1 only (``make run``) with the embedded store and no
  ``RENEWAL_LOGIN=required``: one planner on their own machine, no sign-in; changes are recorded under
  the operating-system account name (or ``RENEWAL_LOCAL_USER``) with the admin role.
* **Sign-in required** — served on any other address, on a shared PostGIS store (``RENEWAL_DB_URL``),
  or with ``RENEWAL_LOGIN=required`` (the nginx cluster sets it): nothing but the sign-in form is shown
  until a planner signs in with an account from the store (argon2 hashes; ``cli.py users add`` makes the
  first admin) or, where the bureau configured an identity provider in ``.streamlit/secrets.toml``
  ``[auth]``, through single sign-on (Streamlit OIDC; the e-mail address must be an account).

Roles: ``viewer`` reads; ``editor`` also writes (projects, links, imports, layout, saved views);
``admin`` also manages accounts and may undo other planners' changes. Pages ask :func:`can_edit` /
:func:`is_admin` before drawing a control that writes.
"""

from __future__ import annotations

import getpass
import logging
import os
import threading
import time

import streamlit as st

from dashboard.common import md_escape
from geodata.stores import open_accounts
from i18n import t

#: addresses that serve this machine only
LOOPBACK = ("127.0.0.1", "localhost", "::1")
#: failed sign-ins of one name within :data:`LOCK_WINDOW` seconds before that name is locked for as long
MAX_FAILURES = 5
LOCK_WINDOW = 300.0

_log = logging.getLogger("renewal_atlas.auth")
_failures: dict[str, list[float]] = {}
_failures_lock = threading.Lock()


def needs_login(address: str | None, mode: str | None, db_url: str | None) -> bool:
    """Decide whether planners must sign in.

    Parameters
    ----------
    address : str or None
        Streamlit's ``server.address`` (None or "" = every interface).
    mode : str or None
        ``RENEWAL_LOGIN``: ``required`` forces sign-in; anything else leaves the decision to the address
        and the store.
    db_url : str or None
        ``RENEWAL_DB_URL``: a PostgreSQL URL means a shared bureau store.

    Returns
    -------
    bool
        False only for the single-planner mode: bound to a loopback address, embedded store, not forced.
    """
    if (mode or "").strip().lower() == "required":
        return True
    if (address or "").strip() not in LOOPBACK:
        return True
    return (db_url or "").startswith(("postgresql://", "postgres://"))


def login_required() -> bool:
    """Whether this server requires sign-in (see :func:`needs_login`)."""
    return needs_login(
        st.get_option("server.address"), os.environ.get("RENEWAL_LOGIN"), os.environ.get("RENEWAL_DB_URL")
    )


def local_user() -> dict:
    """The single planner of the local mode: ``{"name", "role": "admin", "via": "local"}``."""
    name = os.environ.get("RENEWAL_LOCAL_USER", "").strip() or getpass.getuser() or "planner"
    return {"name": name[:64], "role": "admin", "via": "local"}


def current_user() -> dict | None:
    """The signed-in planner of this session, the local planner, or None when sign-in is pending."""
    user = st.session_state.get("auth")
    if user:
        return user
    return None if login_required() else local_user()


def editor() -> str:
    """The name recorded with every change this session makes ("" when nobody is signed in)."""
    user = current_user()
    return user["name"] if user else ""


def role() -> str | None:
    """The role of this session's planner (None when nobody is signed in)."""
    user = current_user()
    return user["role"] if user else None


def can_edit() -> bool:
    """True for editors and admins (viewers see no control that writes)."""
    return role() in ("editor", "admin")


def is_admin() -> bool:
    """True for admins (accounts, undoing others' changes)."""
    return role() == "admin"


def _locked_out(name: str, now: float) -> bool:
    with _failures_lock:
        recent = [t0 for t0 in _failures.get(name, []) if now - t0 < LOCK_WINDOW]
        _failures[name] = recent
        return len(recent) >= MAX_FAILURES


def _record_failure(name: str, now: float) -> None:
    with _failures_lock:
        _failures.setdefault(name, []).append(now)


def sign_in(name: str, password: str) -> str | None:
    """Check a name and password and sign this session in.

    Parameters
    ----------
    name : str
        The account name typed.
    password : str
        The password typed.

    Returns
    -------
    str or None
        None when signed in, else the label key of the reason (wrong credentials, locked, store down).
    """
    name = str(name or "").strip()[:64]
    now = time.monotonic()
    if _locked_out(name, now):
        return "auth.locked"
    try:
        user = open_accounts().authenticate(name, password or "")
    except Exception as err:  # StoreError, an unreachable database: say so, never a traceback
        _log.warning("sign-in failed on the store: %s", err)
        return "auth.store_down"
    if user is None:
        _record_failure(name, now)
        _log.info("failed sign-in for %r", name)
        return "auth.wrong"
    with _failures_lock:
        _failures.pop(name, None)
    st.session_state["auth"] = {**user, "via": "password"}
    _log.info("signed in: %s (%s)", user["name"], user["role"])
    return None


def _sso_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file: Streamlit raises its own FileNotFoundError subclass
        return False


def _sso_user() -> dict | None:
    """The account matching the identity provider's e-mail, once the planner came back signed in."""
    try:
        if not st.user.is_logged_in:
            return None
        email = str(st.user.get("email") or "")
    except Exception:
        return None
    account = open_accounts().user(email) if email else None
    return {**account, "via": "sso"} if account else None


def sign_out() -> None:
    """Forget this session's planner (and leave single sign-on when that is how they came)."""
    user = st.session_state.pop("auth", None)
    if user and user.get("via") == "sso":
        st.logout()


def login_gate(L: str) -> bool:
    """Draw the sign-in form when sign-in is required and nobody is signed in.

    Parameters
    ----------
    L : str
        Language.

    Returns
    -------
    bool
        True when the session may see the app.
    """
    if current_user() is not None:
        return True
    if _sso_configured():
        sso = _sso_user()
        if sso:
            st.session_state["auth"] = sso
            return True
    st.title(t("auth.title", L))
    st.caption(t("auth.why", L))
    try:
        no_accounts = open_accounts().users().empty
    except Exception as err:
        _log.warning("account store unavailable: %s", err)
        st.error(t("auth.store_down", L))
        return False
    if no_accounts:
        st.warning(t("auth.no_accounts", L))
        return False
    with st.form("login_form"):
        name = st.text_input(t("auth.name", L), max_chars=64)
        password = st.text_input(t("auth.password", L), type="password", max_chars=256)
        submitted = st.form_submit_button(t("auth.submit", L), type="primary")
    if submitted:
        problem = sign_in(name, password)
        if problem is None:
            st.rerun()
        st.error(t(problem, L))
    if _sso_configured():
        st.divider()
        if st.button(t("auth.sso", L)):
            st.login()
        if _sso_user() is None and _is_idp_signed_in():
            st.error(t("auth.sso_unknown", L))
    return False


def _is_idp_signed_in() -> bool:
    try:
        return bool(st.user.is_logged_in)
    except Exception:
        return False


def identity_sidebar(L: str) -> None:
    """The sidebar line naming who is signed in, with their role and a sign-out button."""
    user = current_user()
    if user is None:
        return
    role_label = t(f"role.{user['role']}", L)
    if user.get("via") == "local":
        st.caption(t("auth.local_mode", L, name=md_escape(user["name"]), role=role_label))
        return
    st.markdown(t("auth.signed_in", L, name=md_escape(user["name"]), role=role_label))
    if st.button(t("auth.sign_out", L), key="auth_sign_out"):
        sign_out()
        st.rerun()
