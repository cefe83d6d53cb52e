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
    server once it has logged enough requests. `proc.log` is the file's path.
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
