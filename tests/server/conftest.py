"""Server-topology tests share the browser harness (one chromium per session) of tests/browser."""

from tests.browser.conftest import browser  # noqa: F401 - the fixture, reused
