"""Start the app: ``python serve.py [streamlit options]`` runs ``streamlit run app.py [streamlit options]``,
and prepares the first view (data loaded, overview map rendered) while the first browser loads the page.

Streamlit runs the app's code only when a browser connects; a server that has just started would make the
first planner wait for the data to load and the overview map to render. Here that work starts as soon as
the server runs (not before: it would only slow the server's own start), in a background thread of the same
process (the caches it fills are the ones the pages read), so it overlaps the browser loading the page.
``make run``, the replicas of ``deploy/cluster.py`` and the browser benchmark start the app this way; the app
itself is the same with ``streamlit run app.py``.
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from pathlib import Path

APP = Path(__file__).resolve().with_name("app.py")
_log = logging.getLogger("renewal.serve")


class _OnlyOtherThreads(logging.Filter):
    """Drop Streamlit's "missing ScriptRunContext" warnings of the preparing thread (it is not a session)."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.threadName != "prepare-first-view"


def _prepare() -> None:
    from streamlit.runtime import Runtime

    # start once the server runs: before, this thread would only slow the server's own start (one
    # interpreter lock for both)
    while not (Runtime.exists() and Runtime.instance().state.name != "INITIAL"):
        time.sleep(0.02)
    try:
        from dashboard import first_view  # data and map modules only: no Streamlit component

        first_view.prepare()
    except Exception:  # noqa: BLE001 - the page explains bad data when visited; never stop the server
        _log.warning("first view not prepared in advance", exc_info=True)


def main(argv: list[str] | None = None) -> int:
    for name in ("streamlit.runtime.scriptrunner_utils.script_run_context", "streamlit.runtime.caching"):
        logging.getLogger(name).addFilter(_OnlyOtherThreads())
    threading.Thread(target=_prepare, name="prepare-first-view", daemon=True).start()
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(APP), *(sys.argv[1:] if argv is None else argv)]
    return cli.main()


if __name__ == "__main__":
    raise SystemExit(main())
