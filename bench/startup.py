"""Benchmark: start to serving and memory for a large Parquet file (issue 13's last target).

    python bench/startup.py                        # 200k and 1M rows, 3 runs each
    python bench/startup.py --sizes 1000000 --runs 5
    python bench/startup.py --checkout ../main     # the same, serving another checkout's app

For each size it writes synthetic incidents (bench/synthetic.py: clearly marked, never shown as
real) to a Parquet file, then, once per run, starts `python -m dashboard --data FILE` on a free
loopback port as a user would and polls `/healthz` every 20 ms. It prints the medians beside the
targets:
- start to serving: seconds from starting the process to the first `/healthz` answer (the
  interpreter's start, imports, reading, validation, the Dataset's arrays and the app);
- RSS: the server's resident memory once serving (VmRSS), and its peak while loading (VmHWM).
Traffic goes only to 127.0.0.1; every loop is bounded; each server is stopped after its run.
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import synthetic_incidents  # noqa: E402
from harness.servers import free_port  # noqa: E402

TARGETS = {"start to serving (s)": 3.0, "RSS serving (MB)": 400.0}
LIMIT = 120  # seconds a start may take before the run counts as failed


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS and VmHWM (peak RSS) of a process, in MB."""
    out = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            out[key] = int(value.split()[0]) / 1024
    return out


def one_start(path: Path, checkout: Path = ROOT) -> dict[str, float]:
    """Start the server of `checkout` on `path`, wait until it serves; its start time and
    memory."""
    port = free_port()
    with tempfile.TemporaryFile("w+") as log:
        start = time.perf_counter()
        proc = subprocess.Popen([sys.executable, "-m", "dashboard", "--port", str(port),
                                 "--data", str(path)], cwd=checkout, stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            seconds = _wait_serving(proc, f"http://127.0.0.1:{port}/healthz", start)
            if seconds is None:
                log.seek(0)
                raise RuntimeError(f"server did not serve: {log.read()[-2000:]}")
            return {"seconds": seconds, **memory_mb(proc.pid)}
        finally:
            proc.terminate()
            proc.wait(timeout=30)


def _wait_serving(proc: subprocess.Popen, url: str, start: float) -> float | None:
    while time.perf_counter() - start < LIMIT and proc.poll() is None:
        try:
            if requests.get(url, timeout=1).ok:
                return time.perf_counter() - start
        except requests.RequestException:
            time.sleep(0.02)
    return None


def measure(size: int, runs: int, workdir: Path, checkout: Path = ROOT) -> dict[str, float]:
    path = workdir / f"synthetic_{size}.parquet"
    synthetic_incidents(size).to_parquet(path)
    results = [one_start(path, checkout) for _ in range(runs)]
    return {"start to serving (s)": statistics.median(r["seconds"] for r in results),
            "RSS serving (MB)": statistics.median(r["VmRSS"] for r in results),
            "peak RSS while loading (MB)": statistics.median(r["VmHWM"] for r in results),
            "file (MB)": path.stat().st_size / 2**20}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=3, help="starts per size (median)")
    parser.add_argument("--checkout", type=Path, default=ROOT,
                        help="serve this checkout's app (default: this one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        columns = [measure(size, args.runs, Path(tmp), args.checkout.resolve())
                   for size in args.sizes]
    names = list(columns[0])
    width = max(map(len, names))
    print(f"{'measure':<{width}} | " + " | ".join(f"{s:>12,}" for s in args.sizes)
          + " | target (1M)")
    print("-" * width + "-+-" + "-+-".join("-" * 12 for _ in columns) + "-+-------")
    for name in names:
        target = TARGETS.get(name)
        print(f"{name:<{width}} | " + " | ".join(f"{c[name]:>12.1f}" for c in columns)
              + f" | {'<= ' + format(target, 'g') if target else ''}")
    load = ", ".join(f"{v:.2f}" for v in os.getloadavg())
    print(f"\nmedians of {args.runs} starts per size of {args.checkout.resolve()}; synthetic "
          f"data only; load average at the end {load}.")


if __name__ == "__main__":
    main()
