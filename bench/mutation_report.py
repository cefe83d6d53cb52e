"""The table of a mutmut run: mutants per module by outcome, the score, and the survivors.

Reads `mutmut results --all true` on standard input (lines 'NAME: STATUS'). Score = killed
(a test failed, or it timed out) / the mutants run (a mutant no test reaches counts against
the score); mutants not run yet ('not checked') are counted apart. With `--only FILE` (a
sample's names, one a line: bench/mutation_sample.py) only those mutants count, and each
score gets its 95% interval (Wilson's) as an estimate of the whole module's. With
`--triage FILE` (bench/mutation_triage.csv: mutant, verdict, reason) a survivor found since
to be killed by a newer test counts as killed ('later'), and one shown equivalent (or whose
code was removed as redundant) leaves the count ('equivalent').
"""
from __future__ import annotations

import argparse
import csv
import math
import re
import sys
from collections import Counter, defaultdict

KILLED = {"killed", "timeout", "later"}
TRIAGED = {"killed": "later", "equivalent": "equivalent", "removed": "equivalent"}
TARGET = 0.90


def module_of(name: str) -> str:
    """dashboard.filters.xǁFiltersǁwithout__mutmut_7 -> dashboard/filters.py"""
    return re.split(r"\.x[ǁ_]", name, maxsplit=1)[0].replace(".", "/") + ".py"


def interval(killed: int, run: int, z: float = 1.96) -> tuple[float, float]:
    """Wilson's 95% interval for a proportion killed/run."""
    p = killed / run
    centre = (p + z * z / (2 * run)) / (1 + z * z / run)
    half = z * math.sqrt(p * (1 - p) / run + z * z / (4 * run * run)) / (1 + z * z / run)
    return max(0.0, centre - half), min(1.0, centre + half)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="count only the mutants named in this file")
    parser.add_argument("--triage", help="survivors' verdicts since the run (CSV)")
    args = parser.parse_args()
    only = set(open(args.only).read().split()) if args.only else None
    verdicts = {}
    if args.triage:
        with open(args.triage, newline="", encoding="utf-8") as f:
            verdicts = {r["mutant"]: TRIAGED[r["verdict"]] for r in csv.DictReader(f)}
    counts: dict[str, Counter] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for line in sys.stdin:
        name, _, status = line.strip().rpartition(": ")
        if not name or (only is not None and name not in only):
            continue
        if status not in KILLED and status != "not checked":
            status = verdicts.get(name, status)
        module = module_of(name)
        counts[module][status] += 1
        if status not in KILLED and status not in ("not checked", "equivalent"):
            survivors[module].append(f"{name} ({status})")
    if not counts:
        print("no mutation results: run `bash bench/mutation.sh` first")
        return 2
    total = Counter()
    if only is not None:
        print(f"a sample of {len(only)} mutants: the scores estimate each module's, "
              "with their 95% interval")
    print(f"{'module':36} {'mutants':>8} {'not run':>8} {'killed':>7} {'later':>6} "
          f"{'equiv.':>6} {'survived':>9} {'no test':>8} {'score':>6}"
          + ("  95% interval" if only is not None else ""))
    for module in sorted(counts):
        c = counts[module]
        total.update(c)
        print(_row(module, c, only is not None))
    print(_row("all core modules", total, only is not None), f"(target {TARGET:.0%})")
    for module in sorted(survivors):
        print(f"\n{module}: {len(survivors[module])} not killed")
        for name in survivors[module]:
            print(f"  {name}")
    return 0


def _row(label: str, c: Counter, sampled: bool = False) -> str:
    """Score = killed (by the run, or later) / run, equivalent mutants left out."""
    n = sum(c.values())
    run = n - c["not checked"] - c["equivalent"]
    killed = sum(c[s] for s in KILLED)
    row = (f"{label:36} {n:8d} {c['not checked']:8d} {killed - c['later']:7d} "
           f"{c['later']:6d} {c['equivalent']:6d} {c['survived']:9d} "
           f"{c['no tests']:8d} {killed / run if run else 0:6.1%}")
    if sampled and run:
        lo, hi = interval(killed, run)
        row += f"  {lo:6.1%} to {hi:6.1%}"
    return row


if __name__ == "__main__":
    sys.exit(main())
