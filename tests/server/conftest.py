"""Server-topology tests use the session browser of tests/conftest.py (one chromium per process)."""
