"""Renewal Atlas batch front door: ``python cli.py <command> ...``.

Each command parses arguments and calls geodata/ and layers/ functions; no logic lives here. Errors in
the user's data are printed as messages on stderr with a non-zero exit code, never as a traceback.
"""

from __future__ import annotations

import argparse
import sys

from batch import analysis, data, exports, hc_report, projects, scenarios, users
from batch.registry import COMMANDS
from geodata.errors import DataValidationError


def build_parser() -> argparse.ArgumentParser:
    """The argparse parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="cli.py", description="Renewal Atlas 城市更新规划一张图 — batch commands"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for module in (data, exports, analysis, projects, users, hc_report, scenarios):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except DataValidationError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except (FileNotFoundError, PermissionError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
