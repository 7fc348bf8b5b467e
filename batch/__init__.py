"""The batch front door: argparse commands calling the same middle as the pages (never the dashboard)."""

from batch.commands import main

__all__ = ["main"]
