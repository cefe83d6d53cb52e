"""Load test: gunicorn serving the dashboard to N concurrent simulated users for a bounded time.

    python bench/load.py                                  # 50 users, 300 s, 3 workers
    python bench/load.py --users 10 --seconds 30 --workers 2 --think 0
    python bench/load.py --instances 2 --workers 2 --packs 8 --start-redis --compare
                        # two instances, a Celery worker on a throw-away Redis, 8 packs at a
                        # time; first the same run without packs, for the page-update p95

With ``--packs K``, K more threads each ask a briefing pack, wait for it (the background job,
polled as the browser polls it, through the other instance when there are two) and ask the
next, so K packs are in flight at any time. ``--start-redis`` starts Debian's redis-server on
a free loopback port (no persistence) and ``--redis URL`` uses one; with Redis the instances
share it and a Celery worker (``--pack-workers`` processes) builds the packs; without it
each instance builds its own in background processes.

Starts ``gunicorn dashboard.wsgi:server --workers N --bind 127.0.0.1:PORT --no-control-socket``
(``--preload`` unless ``--no-preload``: the data is loaded once and the workers share it) on a
free loopback port, then runs one thread per user. Each user opens the page as the browser does
(GET /, /_dash-layout, /_dash-dependencies) and then, until the time is up, changes the view:
one request of the view callback (a permalink, a district or target click, a timeline box, a
dropdown, a minimum killed, a reset), which answers with the new state, the charts (patches
of what changed since the user's last view), numbers and table, as the browser sends it,
built with harness/dash_http.py's payload logic, with a random think time between views.

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
VIEW = STORE  # the view callback: one request per view change (state, charts, table)
MAX_VIEWS_PER_USER = 100_000  # a hard cap besides the deadline
REQUEST_TIMEOUT = 60  # seconds; a slower answer counts as an error
TYPES = ("GET /", "GET /_dash-layout", "GET /_dash-dependencies", "POST view")
UPDATE = "page update"  # one view change as the user sees it: the view callback
PACK = "pack (click to ZIP)"
PACK_OUT = f"{ids.EXPORT_DOWNLOAD}.data"


# --------------------------------------------------------------------------- server
def start_gunicorn(workers: int, port: int, preload: bool, data: list[str] | None,
                   log_path: Path, extra_env: dict | None = None) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "gunicorn", "dashboard.wsgi:server", "--workers", str(workers),
           "--bind", f"{HOST}:{port}", "--no-control-socket", "--timeout", "120"]
    if preload:
        cmd.append("--preload")
    env = {**os.environ, **(extra_env or {})}
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

    def get(path):
        r = timed("GET " + path, lambda: session.get(base + path, timeout=REQUEST_TIMEOUT))
        if r is None:
            raise RuntimeError(f"GET {path} failed")
        return r.content

    def post(path, payload):
        r = timed("POST view", lambda: session.post(base + path, json=payload, timeout=REQUEST_TIMEOUT))
        return (r.status_code, r.content) if r is not None else (599, b"")

    try:
        cb = DashCallbacks(post, get)
    except RuntimeError:
        return
    stored, drawn = None, None
    for _ in range(MAX_VIEWS_PER_USER):
        if time.monotonic() >= deadline:
            break
        changed, values = random_event(rnd, options)
        values[STORE], values[f"{ids.DRAWN}.data"] = stored, drawn
        began = time.perf_counter()
        status, body = cb.post("/_dash-update-component", cb.payload(VIEW, values, [changed]))
        if status == 200:
            response = json.loads(body).get("response", {})
            stored = response.get(ids.STATE, {}).get("data", stored)
            drawn = response.get(ids.DRAWN, {}).get("data", drawn)
        stats.record(UPDATE, time.perf_counter() - began, None)
        pause = rnd.uniform(0.5 * think, 1.5 * think)
        time.sleep(max(0.0, min(pause, deadline - time.monotonic())))


def packer(n: int, bases: list[str], deadline: float, stats: Stats) -> None:
    """Ask one pack after another until the deadline; poll through the next instance."""
    from harness.dash_http import page_end_id, run_background
    session = requests.Session()
    base, poll_base = bases[n % len(bases)], bases[(n + 1) % len(bases)]
    views = [{}, {"filters": {"group": ["IS-K"]}}, {"filters": {"province": ["Balochistan"]}},
             {"filters": {"group": ["BLA"], "min_killed": 5}}]

    def post(path, payload):
        target = poll_base if "cacheKey=" in path else base
        r = session.post(target + path, json=payload, timeout=REQUEST_TIMEOUT)
        return r.status_code, r.content

    k = 0
    while time.monotonic() < deadline - 5 and k < MAX_VIEWS_PER_USER:
        start, error = time.perf_counter(), None
        try:
            cb = DashCallbacks(post, lambda path: session.get(base + path,
                                                              timeout=REQUEST_TIMEOUT).content)
            end_id = page_end_id(session.get(base + "/", timeout=REQUEST_TIMEOUT).text)
            payload = cb.payload(PACK_OUT, {f"{ids.EXPORT_BUTTON}.n_clicks": k + 1, STORE:
                                            views[(n + k) % len(views)],
                                            f"{ids.URL}.href": base + "/"},
                                 [f"{ids.EXPORT_BUTTON}.n_clicks"])
            response, _ = run_background(post, payload, end_id,
                                         timeout=max(30.0, deadline - time.monotonic() + 120))
            if not str(response.get(ids.EXPORT_STATUS, {}).get("children", "")).startswith(
                    "Downloaded"):
                error = f"no pack: {str(response)[:200]}"
        except Exception as exc:  # noqa: BLE001 - counted as an error
            error = f"{type(exc).__name__}: {exc}"[:300]
        stats.record(PACK, time.perf_counter() - start, error)
        k += 1


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
    for kind in (UPDATE, PACK):
        lat = stats.latency.get(kind, [])
        if lat:
            rows.append(f"{kind:<26}|{len(lat):>8} |{stats.errors.get(kind, 0):>7} |"
                        f"{statistics.median(lat) * 1000:>10.1f} |{pct(lat, 0.95) * 1000:>9.1f}"
                        f" |{max(lat) * 1000:>9.1f}")
    rows.append(f"throughput: {total / seconds:.1f} requests/s over {seconds:.0f} s")
    return rows


def start_redis() -> tuple[subprocess.Popen, str]:
    """A throw-away redis-server on a free loopback port, no persistence."""
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--bind", HOST, "--port", str(port), "--save", "",
                             "--appendonly", "no"], stdout=subprocess.DEVNULL,
                            stderr=subprocess.STDOUT, start_new_session=True)
    proc.log = open(os.devnull, "w")
    import redis
    url = f"redis://{HOST}:{port}/0"
    for _ in range(100):
        try:
            redis.Redis.from_url(url).ping()
            return proc, url
        except redis.RedisError:
            time.sleep(0.1)
    stop(proc)
    raise RuntimeError("redis-server did not start")


def run(args, packs: int, bases_env: dict) -> dict:
    """One bounded run: the instances, the users and `packs` pack threads; every process
    started here is stopped at the end."""
    procs, bases, logs = [], [], []
    worker = None
    try:
        for _ in range(args.instances):
            port = free_port()
            log_path = ROOT / "bench" / "results" / f"gunicorn-{port}.log"  # git-ignored
            log_path.parent.mkdir(exist_ok=True)
            procs.append(start_gunicorn(args.workers, port, args.preload, args.data, log_path,
                                        bases_env))
            bases.append(f"http://{HOST}:{port}")
            logs.append(log_path)
        if bases_env.get("DASHBOARD_REDIS_URL") and packs:
            wlog = ROOT / "bench" / "results" / f"worker-{free_port()}.log"
            worker = subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "dashboard.worker:celery_app", "worker",
                 "--concurrency", str(args.pack_workers), "--loglevel", "INFO",
                 "--without-gossip", "--without-mingle"],
                cwd=ROOT, env={**os.environ, **bases_env}, stdout=open(wlog, "w"),
                stderr=subprocess.STDOUT, start_new_session=True)
            worker.log = open(os.devnull, "w")
            logs.append(wlog)
            ready_by = time.monotonic() + 120
            while " ready." not in wlog.read_text() and time.monotonic() < ready_by:
                if worker.poll() is not None:
                    raise RuntimeError(f"Celery worker exited: {wlog.read_text()[-2000:]}")
                time.sleep(0.3)
        t0 = time.monotonic()
        for proc, base in zip(procs, bases):
            wait_ready(base, proc, args.workers)
        print(f"{len(bases)} instance(s) ready in {time.monotonic() - t0:.1f} s: "
              f"{args.workers} workers each, preload {'on' if args.preload else 'off'}, "
              f"{', '.join(bases)}; packs at a time: {packs}"
              f"{'; Redis and a Celery worker' if worker else ''}", flush=True)
        masters = [p.pid for p in procs]
        start_mem = [memory(m) for m in masters]
        stats = Stats()
        start = time.monotonic()
        deadline = start + args.seconds
        threads = [threading.Thread(target=user, args=(i, bases[i % len(bases)], deadline,
                                                       args.think, stats, args.seed),
                                    daemon=True) for i in range(args.users)]
        threads += [threading.Thread(target=packer, args=(k, bases, deadline, stats),
                                     daemon=True) for k in range(packs)]
        for t in threads:
            t.start()
        samples = []
        interval = max(5.0, args.seconds / 20)
        while time.monotonic() < deadline:
            time.sleep(min(interval, max(0.0, deadline - time.monotonic())))
            rss = sum(memory(m)["rss_total"] for m in masters)
            pss = sum(memory(m)["pss_total"] for m in masters)
            samples.append((time.monotonic() - start, rss, pss))
            done = sum(len(v) for k, v in stats.latency.items() if k in TYPES)
            print(f"  t={samples[-1][0]:5.0f} s  requests {done:7d}  packs "
                  f"{len(stats.latency.get(PACK, [])):4d}  errors "
                  f"{sum(stats.errors.values()):4d}  RSS {rss:7.0f} MB  PSS {pss:7.0f} MB",
                  flush=True)
        for t in threads:  # each stops at the deadline; a request or pack in flight finishes
            t.join(timeout=REQUEST_TIMEOUT + 130)
        elapsed = time.monotonic() - start
        end_mem = [memory(m) for m in masters]
        stuck = sum(t.is_alive() for t in threads)
        restarted = any(set(worker_pids(m)) != set(sm["pids"][1:])
                        for m, sm in zip(masters, start_mem))
    finally:
        for proc in procs + ([worker] if worker else []):
            stop(proc)
    return {"stats": stats, "elapsed": elapsed, "start_mem": start_mem, "end_mem": end_mem,
            "samples": samples, "stuck": stuck, "restarted": restarted, "logs": logs,
            "packs": packs}


def report(args, result: dict) -> None:
    stats = result["stats"]
    print()
    print(f"{args.users} users, {result['packs']} packs at a time, {args.seconds:.0f} s, "
          f"{args.instances} instance(s) x {args.workers} workers, think {args.think} s, "
          f"{date.today().isoformat()}")
    for line in table(stats, result["elapsed"]):
        print(line)
    for n, (sm, em) in enumerate(zip(result["start_mem"], result["end_mem"]), 1):
        print(f"instance {n} memory: start RSS {sm['rss_total']:.0f} MB (master "
              f"{sm['rss_master']:.0f}, workers {', '.join(f'{w:.0f}' for w in sm['rss_workers'])}"
              f"), end RSS {em['rss_total']:.0f} MB (workers "
              f"{', '.join(f'{w:.0f}' for w in em['rss_workers'])})")
    if result["samples"]:
        print(f"max RSS of the instances during the run "
              f"{max(s[1] for s in result['samples']):.0f} MB")
    print(f"workers restarted during the run: {'yes' if result['restarted'] else 'no'}; "
          f"users still waiting at the end: {result['stuck']}")
    for example in stats.examples:
        print("error:", example)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=300)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers per instance")
    parser.add_argument("--instances", type=int, default=1, help="gunicorn instances")
    parser.add_argument("--packs", type=int, default=0, help="briefing packs at a time")
    parser.add_argument("--compare", action="store_true",
                        help="first the same run without packs, for the page-update p95")
    parser.add_argument("--redis", metavar="URL", default="", help="a Redis to share")
    parser.add_argument("--start-redis", action="store_true",
                        help="start a throw-away redis-server on loopback")
    parser.add_argument("--pack-workers", type=int, default=2,
                        help="Celery worker processes (with Redis)")
    parser.add_argument("--think", type=float, default=1.0,
                        help="mean pause between a user's views, seconds (0: no pause)")
    parser.add_argument("--no-preload", dest="preload", action="store_false")
    parser.add_argument("--data", nargs="+", metavar="PATH",
                        help="incident files (default: the shipped data)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    args = parser.parse_args(argv)
    if not (1 <= args.users <= 500 and 1 <= args.seconds <= 3600 and 1 <= args.workers <= 16
            and 1 <= args.instances <= 4 and 0 <= args.packs <= 32
            and 1 <= args.pack_workers <= 8):
        parser.error("bounds: 1-500 users, 1-3600 s, 1-16 workers, 1-4 instances, 0-32 packs, "
                     "1-8 pack workers")
    redis_proc, url = None, args.redis
    if url and not url.startswith(("redis://127.0.0.1", "redis://localhost")):
        parser.error("--redis: loopback only (redis://127.0.0.1:PORT/DB)")
    results = []
    try:
        if args.start_redis:
            redis_proc, url = start_redis()
            print(f"redis-server on {url}", flush=True)
        env = {"DASHBOARD_REDIS_URL": url}
        runs = ([0] if args.compare and args.packs else []) + [args.packs]
        for packs in runs:
            result = run(args, packs, env)
            report(args, result)
            results.append(result)
    finally:
        if redis_proc:
            stop(redis_proc)
    if len(results) == 2:
        base, loaded = (pct(r["stats"].latency.get(UPDATE, []), 0.95) * 1000 for r in results)
        print(f"\npage update p95: {base:.0f} ms without packs, {loaded:.0f} ms with "
              f"{args.packs} packs at a time")
    failed = any(r["stats"].errors or r["restarted"] for r in results)
    if args.json:
        Path(args.json).write_text(json.dumps([{
            "args": vars(args), "packs": r["packs"], "elapsed": r["elapsed"],
            "date": date.today().isoformat(),
            "latency_ms": {k: {"count": len(v), "errors": r["stats"].errors.get(k, 0),
                               "median": statistics.median(v) * 1000 if v else None,
                               "p95": pct(v, 0.95) * 1000 if v else None}
                           for k, v in r["stats"].latency.items()},
            "memory": {"start": r["start_mem"], "end": r["end_mem"], "samples": r["samples"]},
            "workers_restarted": r["restarted"], "errors": r["stats"].examples}
            for r in results], indent=1))
    for r in results:
        for log_path in r["logs"]:
            if failed:
                print(f"gunicorn log: {log_path}")
            else:
                log_path.unlink(missing_ok=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
