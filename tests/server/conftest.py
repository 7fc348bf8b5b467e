"""Server-topology tests use the session browser of tests/conftest.py (one chromium per process)."""

from __future__ import annotations

import os

import pytest

from deploy.cluster import nginx_binary


def require_nginx() -> str:
    """The nginx executable; missing, the test fails under CI (``make test`` installs it), else is skipped."""
    binary = nginx_binary()
    if not binary:
        if os.environ.get("CI"):
            pytest.fail("nginx is missing: `make test` installs it (apt-get install nginx)")
        pytest.skip("nginx not installed (make system-deps installs it)")
    return binary
