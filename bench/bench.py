"""Benchmark: cross-filter updates over HTTP against the bare pandas work, on synthetic data.

    python bench/bench.py                      # 200k and 1M rows
    python bench/bench.py --sizes 20000 --repeats 10

For each size it writes synthetic incidents (bench/synthetic.py: clearly marked, never shown as
real) to a Parquet file, starts `python -m dashboard --data FILE` on a free loopback port, and
prints one table row per measure:
- load: seconds from start to /healthz answering, and server RSS after loading;
- pandas: the same filtering and aggregations written as plain pandas (boolean masks, isin,
  groupby): the totals, attacks by district and group, by target and group, and killed and
  injured per period, on the same data in this process;
- app aggregation: the app's own filtering and aggregation code (dashboard.aggregate) for the
  same view, in this process: what the update spends on data before drawing;
- click: every request of one click over HTTP, as the browser sends it: one, the view
  callback (the new state, the URL and controls, the charts as patches of what changed since
  the view before, KPIs, chips and the table's newest rows), median and p95, and its bytes
  (as JSON, and on the wire: compressed with brotli, as a browser asks);
- ratio: click median / pandas median; the target is <= 2.0, and <= 100 KB per click.
Traffic goes only to 127.0.0.1; every loop is bounded.
"""
from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pandas as pd
import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import synthetic_incidents  # noqa: E402
from dashboard import aggregate, ids  # noqa: E402
from dashboard.data.loading import load_dataset  # noqa: E402
from dashboard.filters import Display, Filters, ViewState  # noqa: E402
from harness.servers import start_server, stop_server  # noqa: E402
from harness.dash_http import DashCallbacks  # noqa: E402

STORE, DRAWN, VIEW = f"{ids.STATE}.data", f"{ids.DRAWN}.data", f"{ids.STATE}.data"
# A cross-filtering session: the views an analyst clicks through.
VIEWS = [ViewState(f) for f in (
    Filters(),
    Filters(district=("Quetta",)),
    Filters(district=("Quetta",), group=("IS-K",)),
    Filters(district=("Quetta",), group=("IS-K",), target_type=("Security forces",)),
    Filters(province=("Balochistan",), date_from=date(2020, 1, 1), date_to=date(2023, 12, 31)),
)] + [ViewState(Filters(province=("Khyber Pakhtunkhwa",), min_killed=3), Display(period="month"))]


def bare_pandas_update(frame: pd.DataFrame, links: pd.DataFrame, state: ViewState) -> None:
    """What one update computes, in plain pandas: filter, then group and count."""
    f = state.filters

    def keep(ignore=()):
        m = pd.Series(True, index=frame.index)
        if "date" not in ignore:
            if f.date_from:
                m &= frame["date"] >= pd.Timestamp(f.date_from)
            if f.date_to:
                m &= frame["date"] <= pd.Timestamp(f.date_to)
        for name, column in (("province", "province"), ("group", "group"),
                             ("attribution", "attribution"), ("target_type", "target_type"),
                             ("attack_type", "attack_type")):
            if getattr(f, name) and name not in ignore:
                m &= frame[column].isin(getattr(f, name))
        if f.district and "district" not in ignore:
            m &= frame.index.isin(links.loc[links["district"].isin(f.district), "row"])
        if f.min_killed:
            m &= frame["killed"] >= f.min_killed
        return m.fillna(False)
    view = frame[keep()]
    view[["killed", "injured"]].sum()
    view[["killed", "injured"]].isna().sum()
    rows = frame[keep(("district",))]
    linked = links[links["row"].isin(rows.index)].join(frame["group"], on="row")
    linked.groupby(["district", "group"], observed=True).size()
    frame[keep(("target_type",))].groupby(["target_type", "group"], observed=True).size()
    timeline = frame[keep(("date",))]
    period = timeline["date"].dt.to_period("Y" if state.display.period == "year" else "M")
    timeline.groupby(period)[["killed", "injured"]].agg(["sum", "count", "size"])
    view.nlargest(300, "date").to_dict("records")  # the table's newest rows


def pandas_update(ds, f: ViewState) -> None:
    """The app's own aggregation for one render, on a fresh View (no memo carried over)."""
    v = aggregate.View(ds, f)
    aggregate.totals(v)
    aggregate.by_district(v)
    aggregate.by_target(v)
    aggregate.over_time(v)
    aggregate.map_points(v)


def timed(fn, repeats: int) -> list[float]:
    out = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


def p95(values: list[float]) -> float:
    return sorted(values)[max(0, int(round(0.95 * len(values))) - 1)]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def replay(cb, repeats: int) -> tuple[list[float], list[int]]:
    """Each view reached by a click from the one before it (the page holding that view's
    figures): the seconds and bytes of the click's one request."""
    drawn = []
    for f in VIEWS:  # warm, and the digests of each view's figures as the page holds them
        out, _ = cb.call(VIEW, {STORE: f.as_dict()}, [STORE])
        drawn.append(out[ids.DRAWN]["data"])
    times, sizes = [], []
    for i, f in enumerate(VIEWS):
        values = {STORE: f.as_dict(), DRAWN: drawn[i - 1]}

        def click():
            sizes.append(cb.call(VIEW, values, [STORE])[1])
        times += timed(click, repeats)
    return times, sizes


def measure(size: int, repeats: int, workdir: Path) -> list[tuple[str, str]]:
    path = workdir / f"synthetic_{size}.parquet"
    synthetic_incidents(size).to_parquet(path)

    start = time.perf_counter()
    proc, base = start_server("--data", str(path))
    ready = time.perf_counter() - start
    try:
        rss = rss_mb(proc.pid)
        session = requests.Session()
        session.headers["Accept-Encoding"] = "br"  # compressed as a browser takes it
        wire = []  # each answer's bytes as sent (compressed)

        def post(p, payload):
            r = session.post(base + p, json=payload, timeout=60)
            wire.append(int(r.headers.get("Content-Length", len(r.content))))
            return r.status_code, r.content

        cb = DashCallbacks(post, lambda p: session.get(base + p, timeout=60).content)
        update_t, sizes = replay(cb, repeats)
        wire = wire[-len(sizes):]  # the clicks' answers (not the warm-up's)
        ds = load_dataset([path])
        pandas_t, app_t = [], []
        for f in VIEWS:
            pandas_t += timed(lambda: bare_pandas_update(ds.incidents, ds.links, f), repeats)
            app_t += timed(lambda: pandas_update(ds, f), repeats)
    finally:
        stop_server(proc, timeout=30)
    ms = 1000
    pm, um = statistics.median(pandas_t), statistics.median(update_t)
    return [
        ("rows", f"{size:,}"),
        ("load to ready (s) [<= 3 at 1M]", f"{ready:.1f}"),
        ("server RSS after load (MB) [<= 400]", f"{rss:.0f}"),
        ("pandas update median / p95 (ms)", f"{pm * ms:.1f} / {p95(pandas_t) * ms:.1f}"),
        ("app aggregation median (ms)", f"{statistics.median(app_t) * ms:.1f}"),
        ("click, all requests: 1, median / p95 (ms)", f"{um * ms:.1f} / {p95(update_t) * ms:.1f}"),
        ("ratio click / pandas (median) [<= 2.0]", f"{um / pm:.2f}"),
        ("click bytes median / max (KB) [<= 100]",
         f"{statistics.median(sizes) / 1024:.1f} / {max(sizes) / 1024:.1f}"),
        ("  on the wire, brotli (KB)",
         f"{statistics.median(wire) / 1024:.1f} / {max(wire) / 1024:.1f}"),
    ]


def measure_pack(workdir: Path) -> list[tuple[str, str]]:
    """The briefing pack of the default view on the shipped data, twice in one process."""
    from dashboard import export
    ds = load_dataset()
    first_start = time.perf_counter()
    first = export.write_pack(ds, ViewState(), workdir / "pack1")
    first_total = time.perf_counter() - first_start
    runs = []
    for i in range(3):
        start = time.perf_counter()
        pack = export.write_pack(ds, ViewState(), workdir / f"pack{i + 2}")
        runs.append((time.perf_counter() - start, pack.seconds_per_image))
    per_image = [t for _, times in runs for t in times]
    return [
        ("pack, first in process (s)", f"{first_total:.1f}"),
        ("  of which first image (s)", f"{first.seconds_per_image[0]:.1f}"),
        ("pack, later (median s)", f"{statistics.median(t for t, _ in runs):.2f}"),
        ("image after the first (median s)", f"{statistics.median(per_image):.2f}"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200_000, 1_000_000])
    parser.add_argument("--repeats", type=int, default=15, help="timed runs per view")
    parser.add_argument("--no-pack", action="store_true", help="skip the briefing pack timing")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        columns = [measure(size, args.repeats, Path(tmp)) for size in args.sizes]
        pack = [] if args.no_pack else measure_pack(Path(tmp))
    names = [name for name, _ in columns[0]]
    width = max(map(len, names))
    print(f"{'measure':<{width}} | " + " | ".join(f"{c[0][1]:>14}" for c in columns))
    print("-" * width + "-+-" + "-+-".join("-" * 14 for _ in columns))
    for i, name in enumerate(names[1:], 1):
        print(f"{name:<{width}} | " + " | ".join(f"{c[i][1]:>14}" for c in columns))
    print(f"\n{len(VIEWS)} views x {args.repeats} runs each; one server process (Werkzeug, "
          "threaded) on 127.0.0.1; synthetic data only; load average "
          f"{os.getloadavg()[0]:.1f} at the end.")
    if pack:
        from dashboard.charts import CHARTS
        print(f"\nBriefing pack, default view, shipped data ({len(CHARTS)} PNGs at 1920x1080, "
              "PPTX, CSV, sources):")
        width = max(len(name) for name, _ in pack)
        for name, value in pack:
            print(f"{name:<{width}} | {value:>8}")


if __name__ == "__main__":
    main()
