"""Renewal Atlas command line (``python cli.py --help``); the commands live in ``batch/``."""

import sys

from batch import main

if __name__ == "__main__":
    sys.exit(main())
