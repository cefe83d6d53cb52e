"""Start the dashboard as a real process on a free loopback port (tests and benchmarks)."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(*args: str, env: dict | None = None):
    """Start `python -m dashboard` on a free port; return (process, base_url).

    Its output goes to a log file, never to an unread pipe: a full pipe would block the
    server once it has logged enough requests. `proc.log` is the file's path; stop the
    server with `stop_server`, which removes it.
    """
    port = free_port()
    log = Path(tempfile.mkstemp(prefix=f"dashboard-{port}-", suffix=".log")[1])
    with open(log, "w") as out:
        proc = subprocess.Popen([sys.executable, "-m", "dashboard", "--port", str(port), *args],
                                cwd=ROOT, env={**os.environ, **(env or {})},
                                stdout=out, stderr=subprocess.STDOUT, text=True)
    proc.log = log
    base = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited: {log.read_text()[-3000:]}")
        try:
            if requests.get(f"{base}/healthz", timeout=1).ok:
                return proc, base
        except requests.RequestException:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"server did not start within 60 s: {log.read_text()[-3000:]}")


def serving(*args: str, env: dict | None = None):
    """A pytest fixture's body: `python -m dashboard ARGS` started, its base URL yielded,
    stopped after (``yield from serving(...)``)."""
    proc, base = start_server(*args, env=env)
    try:
        yield base
    finally:
        stop_server(proc)


def stop_server(proc, timeout: float = 10) -> None:
    """Stop a server from `start_server` and remove its log (a failed start keeps it)."""
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)
    proc.log.unlink(missing_ok=True)


def start_process(cmd: list[str], *, env: dict | None = None, ready=None, name: str = "proc",
                  limit: float = 90):
    """Start `cmd` in its own session (so it and its children stop together), output to a
    log file; wait until `ready()` is true. Returns the process (`proc.log` is the log)."""
    log = Path(tempfile.mkstemp(prefix=f"dashboard-{name}-", suffix=".log")[1])
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, **(env or {})},
                                stdout=out, stderr=subprocess.STDOUT, text=True,
                                start_new_session=True)
    proc.log = log
    deadline = time.time() + limit
    while ready is not None and time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{name} exited: {log.read_text()[-3000:]}")
        try:
            if ready():
                return proc
        except Exception:  # noqa: BLE001 - not up yet
            pass
        time.sleep(0.3)
    if ready is None:
        return proc
    tail = log.read_text()[-3000:]
    stop_process(proc)
    raise RuntimeError(f"{name} did not start within {limit:.0f} s: {tail}")


def stop_process(proc, timeout: float = 20) -> None:
    """SIGTERM the process's session, SIGKILL what is left after `timeout`; remove its log."""
    import signal
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=timeout)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)
    proc.log.unlink(missing_ok=True)


def start_gunicorn(workers: int = 2, env: dict | None = None):
    """The Procfile's web process (gunicorn dashboard.wsgi:server) on a free loopback port;
    returns (process, base_url)."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    proc = start_process([sys.executable, "-m", "gunicorn", "dashboard.wsgi:server",
                          "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
                          "--no-control-socket", "--timeout", "120", "--threads", "4"], env=env,  # as the Procfile
                         ready=lambda: requests.get(f"{base}/healthz", timeout=1).ok,
                         name=f"gunicorn-{port}")
    return proc, base


def start_worker(env: dict | None = None, concurrency: int = 2):
    """The Procfile's Celery worker; ready once it answers a ping over the broker."""
    proc = start_process([sys.executable, "-m", "celery", "-A", "dashboard.worker:celery_app",
                          "worker", "--concurrency", str(concurrency), "--loglevel", "INFO",
                          "--without-gossip", "--without-mingle"], env=env, name="worker")
    deadline = time.time() + 90
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"worker exited: {proc.log.read_text()[-3000:]}")
        if " ready." in proc.log.read_text():
            return proc
        time.sleep(0.3)
    tail = proc.log.read_text()[-3000:]
    stop_process(proc)
    raise RuntimeError(f"worker not ready within 90 s: {tail}")
