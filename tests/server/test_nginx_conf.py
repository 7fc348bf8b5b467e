"""The nginx configuration of the replica cluster, rendered and checked by nginx itself (no replicas run)."""

from __future__ import annotations

import subprocess

import uvicorn

from deploy.cluster import UPSTREAM_KEEPALIVE_S, render_nginx_conf
from tests.server.conftest import require_nginx


def test_nginx_drops_idle_replica_connections_before_the_replica_does(tmp_path):
    """A kept-alive connection the replica's server is closing must never carry a request: nginx would send
    it to a backup replica (which does not hold the session) and set that replica aside for a while."""
    assert UPSTREAM_KEEPALIVE_S < uvicorn.Config(app=None).timeout_keep_alive
    for sub in ("logs", "tmp"):
        (tmp_path / sub).mkdir()
    conf = render_nginx_conf([18501, 18502], listen_port=18500, run_dir=tmp_path)
    upstreams = conf.split("upstream renewal_")[1:]
    assert len(upstreams) == 2
    for block in upstreams:
        block = block.split("}")[0]
        assert "keepalive 16;" in block and f"keepalive_timeout {UPSTREAM_KEEPALIVE_S}s;" in block
    binary = require_nginx()
    path = tmp_path / "nginx.conf"
    path.write_text(conf, encoding="utf-8")
    out = subprocess.run([binary, "-t", "-p", str(tmp_path), "-c", str(path)], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
