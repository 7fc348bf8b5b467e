"""Planner accounts: names, roles and argon2 password hashes, kept in the project store's database.

Both stores (SQLite embedded, PostGIS server) hold the same two tables (migration 4): ``users`` (one row
per account, the password only as an argon2id hash) and ``account_log`` (who added, re-roled,
re-passworded or disabled whom, and when). The checks here are shared by the stores, the admin page
and ``cli.py users``; the store methods live in :mod:`geodata.stores.sqlcore`.
"""

from __future__ import annotations

import re

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

#: roles in increasing power: viewers read, editors also write, admins also manage accounts
ROLES = ("viewer", "editor", "admin")
#: shortest accepted password (characters)
MIN_PASSWORD = 8
#: longest accepted password (characters; argon2 takes any length, a cap bounds the work per attempt)
MAX_PASSWORD = 256
#: account names: letters (Chinese included), digits and . _ @ -, at most 64 characters (an e-mail
#: address is a valid name, so single sign-on identities map onto accounts)
NAME_PATTERN = re.compile(r"[\w.@-]{1,64}")

_HASHER = PasswordHasher()


class AccountError(ValueError):
    """An account request that cannot be done (message in Chinese / English)."""


def check_name(name) -> str:
    """Return a valid account name or raise.

    Parameters
    ----------
    name : object
        The proposed name (surrounding spaces are dropped).

    Returns
    -------
    str
        The name.

    Raises
    ------
    AccountError
        When the name is empty, too long or has characters outside :data:`NAME_PATTERN`.
    """
    text = str(name if name is not None else "").strip()
    if not NAME_PATTERN.fullmatch(text):
        raise AccountError(
            f"用户名 {text[:70]!r} 无效：1–64 个字母、汉字、数字或 . _ @ - / "
            "invalid user name: 1–64 letters, digits or . _ @ -"
        )
    return text


def check_role(role) -> str:
    """Return a valid role or raise.

    Parameters
    ----------
    role : object
        One of :data:`ROLES`.

    Returns
    -------
    str
        The role.

    Raises
    ------
    AccountError
        When the role is not one of :data:`ROLES`.
    """
    if role not in ROLES:
        raise AccountError(f"角色 {role!r} 无效 / invalid role (one of {', '.join(ROLES)})")
    return str(role)


def hash_password(password) -> str:
    """Check a new password and return its argon2id hash.

    Parameters
    ----------
    password : str
        :data:`MIN_PASSWORD`–:data:`MAX_PASSWORD` characters, no NUL byte.

    Returns
    -------
    str
        The encoded hash (salt and parameters included).

    Raises
    ------
    AccountError
        When the password is too short, too long or not text.
    """
    if not isinstance(password, str) or "\x00" in password:
        raise AccountError("密码无效 / invalid password")
    if len(password) < MIN_PASSWORD:
        raise AccountError(f"密码至少 {MIN_PASSWORD} 个字符 / the password needs {MIN_PASSWORD}+ characters")
    if len(password) > MAX_PASSWORD:
        raise AccountError(f"密码最多 {MAX_PASSWORD} 个字符 / at most {MAX_PASSWORD} characters")
    return _HASHER.hash(password)


def password_matches(encoded: str | None, password) -> bool:
    """Tell whether a password matches a stored hash (constant-time in argon2).

    Parameters
    ----------
    encoded : str or None
        The stored hash (None: no password login for this account).
    password : object
        What was typed.

    Returns
    -------
    bool
        True only for a matching text password.
    """
    if not encoded or not isinstance(password, str) or len(password) > MAX_PASSWORD:
        return False
    try:
        return _HASHER.verify(encoded, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(encoded: str) -> bool:
    """Tell whether a stored hash uses weaker parameters than today's (rehash at the next login).

    Parameters
    ----------
    encoded : str
        The stored hash.

    Returns
    -------
    bool
        True when it should be replaced.
    """
    try:
        return _HASHER.check_needs_rehash(encoded)
    except InvalidHashError:
        return True
