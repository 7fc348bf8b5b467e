"""``cli.py users``: planner accounts on the server (the first admin, password resets, roles).

Passwords are read from standard input when it is not a terminal (one line; scripts and tests), otherwise
asked twice without echo. They are never taken as an argument (that would leave them in the shell
history and the process list).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from batch.registry import command
from geodata.stores import ROLES, AccountError, ProjectError, open_accounts


def _password(prompt: str = "密码 / password: ") -> str:
    if not sys.stdin.isatty():
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(prompt)
    if first != getpass.getpass("再次输入 / again: "):
        raise AccountError("两次输入的密码不一致 / the two passwords differ")
    return first


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


@command("users")
def cmd_users(args: argparse.Namespace) -> int:
    """Add, list or change accounts; exit 0 done, 1 refused (message on stderr), 2 store unreachable."""
    try:
        accounts = open_accounts(args.db)
    except (ProjectError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:
        if args.action == "list":
            users = accounts.users()
            for row in users.itertuples():
                state = "active" if row.active else "disabled"
                print(f"{row.name}\t{row.role}\t{state}")
            print(f"users={len(users)}")
            return 0
        if args.action == "add":
            made = accounts.add_user(
                args.name, args.role, None if args.sso_only else _password(), by=_actor()
            )
            print(f"user={made['name']} role={made['role']}")
        elif args.action == "passwd":
            accounts.set_password(args.name, _password("新密码 / new password: "), by=_actor())
            print(f"user={args.name} password=changed")
        elif args.action == "role":
            accounts.set_role(args.name, args.role, by=_actor())
            print(f"user={args.name} role={args.role}")
        elif args.action in ("disable", "enable"):
            accounts.set_active(args.name, args.action == "enable", by=_actor())
            print(f"user={args.name} state={args.action}d")
    except AccountError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except ProjectError as err:  # the database refused or is unreachable
        print(f"error: {err}", file=sys.stderr)
        return 2
    return 0


def register(sub) -> None:
    """Add ``users`` and its actions to the argparse sub-parsers."""
    p = sub.add_parser(
        "users",
        help="planner accounts 账户: add / passwd / role / disable / enable / list (password from stdin)",
    )
    actions = p.add_subparsers(dest="action", required=True)
    db_help = "store URL (default: RENEWAL_DB_URL, or the embedded library in the data directory)"
    a = actions.add_parser("add", help="add an account (the first admin: --role admin)")
    a.add_argument("name")
    a.add_argument("--role", required=True, choices=ROLES)
    a.add_argument(
        "--sso-only", action="store_true", help="no password: signs in only through single sign-on"
    )
    a = actions.add_parser("passwd", help="set a new password")
    a.add_argument("name")
    a = actions.add_parser("role", help="change the role")
    a.add_argument("name")
    a.add_argument("role", choices=ROLES)
    for name in ("disable", "enable"):
        a = actions.add_parser(name, help=f"{name} an account")
        a.add_argument("name")
    actions.add_parser("list", help="list accounts")
    for a in actions.choices.values():
        a.add_argument("--db", default=None, help=db_help)
