"""Load test: gunicorn serving the dashboard to N concurrent simulated users for a bounded time.

    python bench/load.py                                  # 50 users, 300 s, 3 workers
    python bench/load.py --users 10 --seconds 30 --workers 2 --think 0

Starts ``gunicorn dashboard.wsgi:server --workers N --bind 127.0.0.1:PORT --no-control-socket``
(``--preload`` unless ``--no-preload``: the data is loaded once and the workers share it) on a
free loopback port, then runs one thread per user. Each user opens the page as the browser does
(GET /, /_dash-layout, /_dash-dependencies) and then, until the time is up, changes the view:
one controller callback (a permalink, a district or target click, a timeline box, a dropdown,
a minimum killed, a reset) followed by the render and table callbacks for the new filters,
built with tests/dash_http.py's payload logic, with a random think time between views.

Prints requests, errors, median / p95 / max latency per request type, throughput, and the
memory of the gunicorn master and workers (RSS and PSS from /proc) at start, during and at the
end. Traffic goes only to 127.0.0.1; every loop is bounded in count and in time; gunicorn is
stopped at the end whatever happens. Not part of the test suite.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import ids  # noqa: E402
from harness.dash_http import DashCallbacks  # noqa: E402
from harness.servers import free_port  # noqa: E402

HOST = "127.0.0.1"
STORE = f"{ids.STATE}.data"
CONTROL, RENDER, TABLE = STORE, f"{ids.KPIS[0]}.children", f"{ids.GRID}.rowData"
MAX_VIEWS_PER_USER = 100_000  # a hard cap besides the deadline
REQUEST_TIMEOUT = 60  # seconds; a slower answer counts as an error
TYPES = ("GET /", "GET /_dash-layout", "GET /_dash-dependencies", "POST controller",
         "POST render", "POST table")


# --------------------------------------------------------------------------- server
def start_gunicorn(workers: int, port: int, preload: bool, data: list[str] | None,
                   log_path: Path) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "gunicorn", "dashboard.wsgi:server", "--workers", str(workers),
           "--bind", f"{HOST}:{port}", "--no-control-socket", "--timeout", "120"]
    if preload:
        cmd.append("--preload")
    env = dict(os.environ)
    if data:
        env["DASHBOARD_DATA"] = os.pathsep.join(str(Path(p).resolve()) for p in data)
    log = open(log_path, "w")
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    proc.log = log
    return proc


def wait_ready(base: str, proc: subprocess.Popen, workers: int, limit: float = 120) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {proc.returncode}")
        try:
            if requests.get(base + "/healthz", timeout=2).ok and \
                    len(worker_pids(proc.pid)) >= workers:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"gunicorn not ready within {limit:.0f} s")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # its own session: gunicorn and its workers
            proc.wait(timeout=30)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(timeout=10)
    proc.log.close()


# --------------------------------------------------------------------------- memory
def worker_pids(master: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        if ppid == master:
            pids.append(int(entry.name))
    return sorted(pids)


def _kib(path: Path, key: str) -> int:
    try:
        for line in path.read_text().splitlines():
            if line.startswith(key + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def memory(master: int) -> dict:
    """RSS and PSS (MB) of the master and each worker; PSS shares preloaded pages fairly."""
    procs = [master, *worker_pids(master)]
    rss = {p: _kib(Path(f"/proc/{p}/status"), "VmRSS") / 1024 for p in procs}
    pss = {p: _kib(Path(f"/proc/{p}/smaps_rollup"), "Pss") / 1024 for p in procs}
    return {"pids": procs, "rss_total": sum(rss.values()), "pss_total": sum(pss.values()),
            "rss_master": rss[master],
            "rss_workers": [rss[p] for p in procs[1:]]}


# --------------------------------------------------------------------------- users
class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, int] = defaultdict(int)
        self.examples: list[str] = []

    def record(self, kind: str, seconds: float, error: str | None) -> None:
        with self.lock:
            self.latency[kind].append(seconds)
            if error:
                self.errors[kind] += 1
                if len(self.examples) < 10:
                    self.examples.append(f"{kind}: {error}")


def options_from_layout(layout: dict) -> dict[str, list[str]]:
    """The dropdown options of the filter controls, read from /_dash-layout."""
    found: dict[str, list[str]] = {}

    def walk(node):
        if isinstance(node, dict):
            props = node.get("props", {})
            cid = props.get("id")
            if isinstance(cid, str) and cid.startswith("filter-") and "options" in props:
                found[cid] = [o["value"] if isinstance(o, dict) else o for o in props["options"]]
            for v in props.values() if "props" in node else node.values():
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)

    walk(layout)
    return found


def random_event(rnd: random.Random, options: dict[str, list[str]]) -> tuple[str, dict]:
    """(changed input, input values) of one view change, as the browser would send it."""
    districts = options.get("filter-district") or ["Quetta"]
    targets = options.get("filter-target") or ["Security forces"]
    groups = options.get("filter-group") or ["IS-K"]
    provinces = options.get("filter-province") or ["Balochistan"]
    kind = rnd.choice(["url", "district", "map", "target", "timeline", "group", "province",
                       "min_killed", "period", "reset"])
    if kind == "url":
        parts = [f"district={rnd.choice(districts)}", f"group={rnd.choice(groups)}",
                 f"province={rnd.choice(provinces)}", f"min_killed={rnd.randint(1, 20)}",
                 "period=month", "from=2018-01-01", "to=2024-12-31", "zzz=1"]
        return "url.search", {"url.search": "?" + "&".join(rnd.sample(parts, rnd.randint(0, 3)))}
    if kind in ("district", "map"):
        d = rnd.choice(districts)
        prop = f"graph-{kind}.clickData"
        return prop, {prop: {"points": [{"customdata": d, "y": d, "x": 1}]}}
    if kind == "target":
        t = rnd.choice(targets)
        return "graph-target.clickData", {"graph-target.clickData":
                                          {"points": [{"customdata": t, "y": t, "x": 1}]}}
    if kind == "timeline":
        lo = date(2015, 1, 1) + timedelta(days=rnd.randint(0, 3000))
        hi = lo + timedelta(days=rnd.randint(30, 2000))
        return "graph-timeline.selectedData", {"graph-timeline.selectedData": {
            "points": [], "range": {"x": [f"{lo} 00:00", f"{hi} 12:00"], "y": [0, 10]}}}
    if kind == "reset":
        return "reset.n_clicks", {"reset.n_clicks": rnd.randint(1, 50)}
    values = {"filter-group.value": rnd.sample(groups, rnd.randint(0, 2)),
              "filter-province.value": rnd.sample(provinces, rnd.randint(0, 1)),
              "filter-min-killed.value": rnd.choice([None, 1, 5, 10]),
              "filter-period.value": rnd.choice(["year", "month"])}
    prop = {"group": "filter-group.value", "province": "filter-province.value",
            "min_killed": "filter-min-killed.value", "period": "filter-period.value"}[kind]
    return prop, values


def user(n: int, base: str, deadline: float, think: float, stats: Stats, seed: int) -> None:
    rnd = random.Random(seed * 1000 + n)
    session = requests.Session()

    def timed(kind: str, call):
        start = time.perf_counter()
        error = None
        try:
            response = call()
            if response.status_code not in (200, 204):
                error = f"HTTP {response.status_code}"
            elif kind.startswith("POST") and b"Something went wrong" in response.content:
                error = "callback error notice"
        except requests.RequestException as exc:
            response, error = None, type(exc).__name__
        stats.record(kind, time.perf_counter() - start, error)
        return response if error is None else None

    if time.monotonic() < deadline:
        timed("GET /", lambda: session.get(base + "/", timeout=REQUEST_TIMEOUT))
    if time.monotonic() >= deadline:
        return
    layout = timed("GET /_dash-layout",
                   lambda: session.get(base + "/_dash-layout", timeout=REQUEST_TIMEOUT))
    options = options_from_layout(layout.json()) if layout is not None else {}
    kinds = {CONTROL: "POST controller", RENDER: "POST render", TABLE: "POST table"}

    def get(path):
        r = timed("GET " + path, lambda: session.get(base + path, timeout=REQUEST_TIMEOUT))
        if r is None:
            raise RuntimeError(f"GET {path} failed")
        return r.content

    def post(path, payload):
        kind = next(kinds[k] for k in (RENDER, TABLE, CONTROL) if k in payload["output"])
        r = timed(kind, lambda: session.post(base + path, json=payload, timeout=REQUEST_TIMEOUT))
        return (r.status_code, r.content) if r is not None else (599, b"")

    try:
        cb = DashCallbacks(post, get)
    except RuntimeError:
        return
    stored = None
    for _ in range(MAX_VIEWS_PER_USER):
        if time.monotonic() >= deadline:
            break
        changed, values = random_event(rnd, options)
        values[STORE] = stored
        status, body = cb.post("/_dash-update-component", cb.payload(CONTROL, values, [changed]))
        if status == 200:
            response = json.loads(body).get("response", {})
            stored = response.get(ids.STATE, {}).get("data", stored)
        for output in (RENDER, TABLE):  # the browser fires both on a new filters value
            if time.monotonic() >= deadline:
                break
            cb.post("/_dash-update-component",
                    cb.payload(output, {STORE: stored}, [STORE]))
        pause = rnd.uniform(0.5 * think, 1.5 * think)
        time.sleep(max(0.0, min(pause, deadline - time.monotonic())))


# --------------------------------------------------------------------------- report
def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def table(stats: Stats, seconds: float) -> list[str]:
    rows = [f"{'request':<26}|{'count':>8} |{'errors':>7} |{'median ms':>10} |"
            f"{'p95 ms':>9} |{'max ms':>9}",
            "-" * 26 + "+" + "-" * 9 + "+" + "-" * 8 + "+" + "-" * 11 + "+" + "-" * 10 + "+"
            + "-" * 10]
    total = errors = 0
    for kind in TYPES:
        lat = stats.latency.get(kind, [])
        total += len(lat)
        errors += stats.errors.get(kind, 0)
        rows.append(f"{kind:<26}|{len(lat):>8} |{stats.errors.get(kind, 0):>7} |"
                    f"{statistics.median(lat) * 1000 if lat else float('nan'):>10.1f} |"
                    f"{pct(lat, 0.95) * 1000:>9.1f} |{max(lat, default=float('nan')) * 1000:>9.1f}")
    every = [v for kind in TYPES for v in stats.latency.get(kind, [])]
    rows.append(f"{'all':<26}|{total:>8} |{errors:>7} |"
                f"{statistics.median(every) * 1000 if every else float('nan'):>10.1f} |"
                f"{pct(every, 0.95) * 1000:>9.1f} |"
                f"{max(every, default=float('nan')) * 1000:>9.1f}")
    rows.append(f"throughput: {total / seconds:.1f} requests/s over {seconds:.0f} s")
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause between a user's views, seconds (0: no pause)")
    parser.add_argument("--no-preload", dest="preload", action="store_false")
    parser.add_argument("--data", nargs="+", metavar="PATH",
                        help="incident files (default: the shipped data)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args(argv)
    if not (1 <= args.users <= 500 and 1 <= args.seconds <= 3600 and 1 <= args.workers <= 16):
        parser.error("bounds: 1-500 users, 1-3600 s, 1-16 workers")

    port = free_port()
    base = f"http://{HOST}:{port}"
    log_path = ROOT / "bench" / "results" / f"gunicorn-{port}.log"  # git-ignored
    log_path.parent.mkdir(exist_ok=True)
    proc = start_gunicorn(args.workers, port, args.preload, args.data, log_path)
    samples = []
    try:
        t0 = time.monotonic()
        wait_ready(base, proc, args.workers)
        print(f"gunicorn ready in {time.monotonic() - t0:.1f} s: {args.workers} workers, "
              f"preload {'on' if args.preload else 'off'}, {base}", flush=True)
        start_mem = memory(proc.pid)
        stats = Stats()
        start = time.monotonic()
        deadline = start + args.seconds
        threads = [threading.Thread(target=user, args=(i, base, deadline, args.think, stats,
                                                       args.seed), daemon=True)
                   for i in range(args.users)]
        for t in threads:
            t.start()
        interval = max(5.0, args.seconds / 20)
        while time.monotonic() < deadline:
            time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
            mem = memory(proc.pid)
            samples.append((time.monotonic() - start, mem["rss_total"], mem["pss_total"]))
            done = sum(len(v) for v in stats.latency.values())
            print(f"  t={samples[-1][0]:5.0f} s  requests {done:7d}  errors "
                  f"{sum(stats.errors.values()):4d}  RSS {mem['rss_total']:7.0f} MB  "
                  f"PSS {mem['pss_total']:7.0f} MB", flush=True)
        for t in threads:  # each user stops at the deadline; a request in flight may finish
            t.join(timeout=REQUEST_TIMEOUT + 5)
        elapsed = time.monotonic() - start
        end_mem = memory(proc.pid)
        stuck = sum(t.is_alive() for t in threads)
        workers_now = worker_pids(proc.pid)
    finally:
        stop(proc)

    print()
    print(f"{args.users} users, {args.seconds:.0f} s, {args.workers} workers, think "
          f"{args.think} s, {date.today().isoformat()}")
    for line in table(stats, elapsed):
        print(line)
    warm = next((s for s in samples if s[0] >= min(60.0, args.seconds / 5)), samples[0]) \
        if samples else None
    print(f"memory start: RSS {start_mem['rss_total']:.0f} MB (master "
          f"{start_mem['rss_master']:.0f}, workers "
          f"{', '.join(f'{w:.0f}' for w in start_mem['rss_workers'])}), PSS "
          f"{start_mem['pss_total']:.0f} MB")
    if warm:
        print(f"memory at {warm[0]:.0f} s: RSS {warm[1]:.0f} MB, PSS {warm[2]:.0f} MB")
    print(f"memory end:   RSS {end_mem['rss_total']:.0f} MB (master "
          f"{end_mem['rss_master']:.0f}, workers "
          f"{', '.join(f'{w:.0f}' for w in end_mem['rss_workers'])}), PSS "
          f"{end_mem['pss_total']:.0f} MB; max RSS during the run "
          f"{max((s[1] for s in samples), default=end_mem['rss_total']):.0f} MB")
    restarted = set(workers_now) != set(start_mem["pids"][1:])
    print(f"workers restarted during the run: {'yes' if restarted else 'no'}; users still "
          f"waiting at the end: {stuck}")
    for example in stats.examples:
        print("error:", example)
    if args.json:
        Path(args.json).write_text(json.dumps({
            "args": vars(args), "elapsed": elapsed, "date": date.today().isoformat(),
            "latency_ms": {k: {"count": len(v), "errors": stats.errors.get(k, 0),
                               "median": statistics.median(v) * 1000 if v else None,
                               "p95": pct(v, 0.95) * 1000 if v else None}
                           for k, v in stats.latency.items()},
            "memory": {"start": start_mem, "end": end_mem, "samples": samples},
            "workers_restarted": restarted, "errors": stats.examples}, indent=1))
    if not stats.errors and not restarted:
        log_path.unlink(missing_ok=True)
    else:
        print(f"gunicorn log: {log_path}")
    return 1 if stats.errors or restarted else 0


if __name__ == "__main__":
    sys.exit(main())
