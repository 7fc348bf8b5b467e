"""Serve Renewal Atlas as N Streamlit replicas behind nginx, sharing one PostGIS project store.

    RENEWAL_DB_URL=postgresql://… python -m deploy.cluster [--replicas 2] [--base-port 8601] [--port 8500]

Renders ``deploy/nginx/renewal.conf.template`` into a run directory (nginx.conf, pid, logs and temp
files all inside it), starts the replicas (``streamlit run app.py`` on 127.0.0.1:base-port+i, each with
the same ``RENEWAL_DB_URL``, ``RENEWAL_REPLICA=i`` and ``RENEWAL_LOGIN=required`` unless the environment
says otherwise), starts nginx on the listen port, waits until every replica answers
``/_stcore/health`` through nginx, and stops everything on Ctrl-C or SIGTERM. One browser session stays
on one replica (route cookie ``ra_route``); every response names its replica in ``X-Renewal-Replica``.

:class:`Cluster` does the same for the tests and the load bench.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx" / "renewal.conf.template"
#: Streamlit's default server.maxUploadSize (MB); nginx's client_max_body_size is rendered from the same value
MAX_UPLOAD_MB = 200
ROUTE_COOKIE = "ra_route"
REPLICA_HEADER = "X-Renewal-Replica"
#: nginx closes an idle connection to a replica after this, before the replica's server does (uvicorn: 5 s)
UPSTREAM_KEEPALIVE_S = 4


def nginx_binary() -> str | None:
    """Path of the nginx executable (Debian: /usr/sbin/nginx), or None."""
    return shutil.which("nginx") or next(
        (p for p in ("/usr/sbin/nginx", "/usr/local/sbin/nginx") if os.access(p, os.X_OK)), None
    )


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def route(i: int) -> str:
    """The route cookie value of replica ``i`` (``r0``, ``r1``, …)."""
    return f"r{i}"


def render_nginx_conf(
    ports: list[int],
    *,
    listen_port: int,
    run_dir: Path,
    listen_host: str = "127.0.0.1",
    max_upload_mb: int = MAX_UPLOAD_MB,
    worker_processes: int | str = 1,
    template: Path = TEMPLATE,
) -> str:
    """Return nginx.conf for replicas on 127.0.0.1 at ``ports`` (replica i = ``ports[i]``)."""
    if not ports:
        raise ValueError("at least one replica port is needed")
    n = len(ports)
    known = "\n".join(f'        "{route(i)}" "{route(i)}";' for i in range(n))
    share = f"{100 / n:.2f}".rstrip("0").rstrip(".")
    split = "\n".join(f"        {share}% {route(i)};" for i in range(n - 1)) + f"\n        * {route(n - 1)};"
    served = "\n".join(f'        "127.0.0.1:{p}" "{route(i)}";' for i, p in enumerate(ports))
    upstreams = []
    for i, p in enumerate(ports):
        # its own replica first; the others only when it is down (its sessions start afresh there)
        backups = "".join(f"        server 127.0.0.1:{q} backup;\n" for j, q in enumerate(ports) if j != i)
        # idle connections kept for reuse are closed by nginx before the replica's server (uvicorn) closes them
        # (after 5 s): otherwise a request sent on one the replica is closing fails and goes to a backup
        upstreams.append(
            f"    upstream renewal_{route(i)} {{\n        server 127.0.0.1:{p};\n{backups}"
            f"        keepalive 16;\n        keepalive_timeout {UPSTREAM_KEEPALIVE_S}s;\n    }}"
        )
    user = "user www-data www-data;" if os.geteuid() == 0 else ""
    values = {
        "replicas": str(n),
        "run_dir": str(run_dir),
        "user_directive": user,
        "worker_processes": str(worker_processes),
        "route_known": known,
        "route_split": split,
        "route_served": served,
        "upstreams": "\n".join(upstreams),
        "listen_host": listen_host,
        "listen_port": str(listen_port),
        "max_upload_mb": str(max_upload_mb),
    }
    text = template.read_text(encoding="utf-8")
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    if "{{" in text:
        raise ValueError(f"unrendered placeholder in {template}: {text[text.index('{{') :][:40]!r}")
    return text


def _die_with_parent() -> None:  # pragma: no cover - runs in the child before exec
    """Linux: the child gets SIGTERM when the process that started it dies (no orphaned replicas)."""
    with contextlib.suppress(Exception):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _get(url: str, *, cookie: str | None = None, timeout: float = 3.0):
    req = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(req, timeout=timeout) as r:
        return r.status, dict(r.headers), r.read()


@dataclass
class Cluster:
    """N Streamlit replicas of app.py + nginx in front (see the module docstring).

    Parameters
    ----------
    db_url : str
        ``RENEWAL_DB_URL`` given to every replica (a PostGIS URL for a real cluster).
    replicas : int
        Number of Streamlit processes.
    base_port : int, optional
        Replica i listens on 127.0.0.1:base_port+i (default: free ports).
    listen_port : int, optional
        nginx port (default: a free port).
    nginx : bool
        False: the replicas only (``url`` is then replica 0) — the load bench's baseline.
    env : dict, optional
        Extra environment for the replicas (RENEWAL_LOGIN, RENEWAL_DATA_DIR, …).
    """

    db_url: str
    replicas: int = 2
    base_port: int | None = None
    listen_port: int | None = None
    listen_host: str = "127.0.0.1"
    run_dir: Path | None = None
    nginx: bool = True
    env: dict = field(default_factory=dict)
    max_upload_mb: int = MAX_UPLOAD_MB
    procs: list = field(default_factory=list, init=False)
    nginx_proc: subprocess.Popen | None = field(default=None, init=False)
    ports: list = field(default_factory=list, init=False)
    _logs: list = field(default_factory=list, init=False)
    _cookie_secret: str = field(default_factory=lambda: secrets.token_hex(32), init=False, repr=False)

    @property
    def url(self) -> str:
        if self.nginx:
            return f"http://127.0.0.1:{self.listen_port}"
        return self.replica_urls[0]

    @property
    def replica_urls(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.ports]

    @property
    def replica_pids(self) -> list[int]:
        return [p.pid for p in self.procs]

    def replica_env(self, i: int) -> dict:
        env = dict(os.environ)
        env.update(self.env)
        env["RENEWAL_DB_URL"] = self.db_url
        env["RENEWAL_REPLICA"] = str(i)
        # one cookie secret for all replicas: Streamlit's XSRF cookie (uploads) and any signed cookie stay
        # valid when nginx fails a browser over to another replica
        env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", self._cookie_secret)
        env.setdefault("RENEWAL_LOGIN", "required")  # served to a bureau: login, whatever the address
        return env

    def start(self, timeout_s: float = 120.0) -> Cluster:
        if self.replicas < 1:
            raise ValueError(f"replicas must be >= 1, got {self.replicas}")
        if self.nginx and not nginx_binary():
            raise RuntimeError("nginx not found: `make system-deps` installs it (apt-get install nginx)")
        self.run_dir = Path(self.run_dir or tempfile.mkdtemp(prefix="renewal-cluster-")).resolve()
        for sub in ("logs", "tmp"):
            (self.run_dir / sub).mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:  # nginx workers run as www-data: they write temp files under tmp/
            self.run_dir.chmod(0o755)
            shutil.chown(self.run_dir / "tmp", "www-data", "www-data")
        self.ports = [self.base_port + i if self.base_port else free_port() for i in range(self.replicas)]
        self.listen_port = self.listen_port or free_port()
        try:
            for i, port in enumerate(self.ports):
                self._start_replica(i, port)
            if self.nginx:
                self._start_nginx()
            self.wait_healthy(timeout_s)
        except BaseException:
            self.stop()
            raise
        return self

    def _log(self, name: str):
        f = open(self.run_dir / "logs" / name, "ab")  # noqa: SIM115 - closed in stop()
        self._logs.append(f)
        return f

    def _start_replica(self, i: int, port: int) -> None:
        cmd = [
            sys.executable, "serve.py",  # streamlit run app.py, first view prepared as it starts
            "--server.address", "127.0.0.1",
            "--server.port", str(port),
            "--server.headless", "true",
            "--server.maxUploadSize", str(self.max_upload_mb),
            "--browser.gatherUsageStats", "false",
        ]  # fmt: skip
        log = self._log(f"replica{i}.log")
        self.procs.append(
            subprocess.Popen(
                cmd,
                cwd=REPO_ROOT,
                env=self.replica_env(i),
                stdout=log,
                stderr=subprocess.STDOUT,
                preexec_fn=_die_with_parent,
            )
        )

    def _start_nginx(self) -> None:
        conf = self.run_dir / "nginx.conf"
        conf.write_text(
            render_nginx_conf(
                self.ports,
                listen_port=self.listen_port,
                listen_host=self.listen_host,
                run_dir=self.run_dir,
                max_upload_mb=self.max_upload_mb,
            ),
            encoding="utf-8",
        )
        cmd = [
            nginx_binary(),
            "-p",
            str(self.run_dir),
            "-c",
            str(conf),
            "-e",
            str(self.run_dir / "logs/error.log"),
        ]
        check = subprocess.run([*cmd, "-t", "-q"], capture_output=True, text=True)
        if check.returncode:
            raise RuntimeError(f"nginx rejected {conf}: {check.stderr.strip()}")
        self.nginx_proc = subprocess.Popen(
            cmd, stdout=self._log("nginx.out"), stderr=subprocess.STDOUT, preexec_fn=_die_with_parent
        )

    def wait_healthy(self, timeout_s: float = 120.0) -> None:
        """Wait until every replica answers /_stcore/health, then (nginx in front) each one through nginx."""
        deadline = time.time() + timeout_s
        checks = [(i, False) for i in range(self.replicas)]
        if self.nginx:
            checks += [(i, True) for i in range(self.replicas)]
        while checks:
            for proc in [*self.procs, self.nginx_proc]:
                if proc is not None and proc.poll() is not None:
                    raise RuntimeError(
                        f"{proc.args[:4]} exited ({proc.returncode}); logs in {self.run_dir}/logs"
                    )
            i, via_nginx = checks[0]
            try:
                if via_nginx:  # the route cookie of replica i reaches replica i
                    status, headers, _ = _get(
                        f"{self.url}/_stcore/health", cookie=f"{ROUTE_COOKIE}={route(i)}"
                    )
                    ok = status == 200 and headers.get(REPLICA_HEADER) == route(i)
                else:
                    status, _, _ = _get(f"{self.replica_urls[i]}/_stcore/health")
                    ok = status == 200
            except OSError:
                ok = False
            if ok:
                checks.pop(0)
            elif time.time() > deadline:
                where = "through nginx" if via_nginx else "directly"
                raise TimeoutError(
                    f"replica {i} not healthy {where} after {timeout_s:.0f} s; logs in {self.run_dir}/logs"
                )
            else:
                time.sleep(0.3)

    def stop(self) -> None:
        """Stop nginx, then the replicas (SIGTERM, then SIGKILL after 10 s)."""
        for proc in [self.nginx_proc, *self.procs]:
            if proc is not None and proc.poll() is None:
                proc.terminate()
        for proc in [self.nginx_proc, *self.procs]:
            if proc is None:
                continue
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        for f in self._logs:
            f.close()
        self._logs.clear()

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--replicas", type=int, default=2)
    ap.add_argument("--base-port", type=int, default=8601, help="replica i listens on 127.0.0.1:base+i")
    ap.add_argument("--port", type=int, default=8500, help="nginx listen port")
    ap.add_argument("--host", default="127.0.0.1", help="nginx listen address (0.0.0.0: the LAN)")
    ap.add_argument("--db-url", default=os.environ.get("RENEWAL_DB_URL", ""), help="default RENEWAL_DB_URL")
    ap.add_argument("--run-dir", default=str(REPO_ROOT / "data" / "cluster"))
    ap.add_argument("--max-upload-mb", type=int, default=MAX_UPLOAD_MB)
    args = ap.parse_args(argv)
    if not args.db_url.startswith(("postgresql://", "postgres://")):
        ap.error("a shared PostGIS store is needed: set RENEWAL_DB_URL=postgresql://… (or run `make db`)")
    cluster = Cluster(
        args.db_url,
        replicas=args.replicas,
        base_port=args.base_port,
        listen_port=args.port,
        listen_host=args.host,
        run_dir=Path(args.run_dir),
        max_upload_mb=args.max_upload_mb,
    )
    stopping = []

    def _stop(signum, _frame):
        stopping.append(signum)
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _stop)
    try:
        cluster.start()
        login = cluster.replica_env(0)["RENEWAL_LOGIN"]
        print(
            f"Renewal Atlas: {args.replicas} replicas on 127.0.0.1:{cluster.ports[0]}…{cluster.ports[-1]} "
            f"behind nginx http://{args.host}:{args.port}  (login {login}; run dir {cluster.run_dir}). "
            "Ctrl-C stops.",
            flush=True,
        )
        while all(p.poll() is None for p in [*cluster.procs, cluster.nginx_proc]):
            time.sleep(1)
        print(f"a process exited; stopping (logs in {cluster.run_dir}/logs)", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        cluster.stop()


if __name__ == "__main__":
    raise SystemExit(main())
