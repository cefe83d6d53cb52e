"""The table of a mutmut run: mutants per module by outcome, the score, and the survivors.

Reads `mutmut results --all true` on standard input (lines 'NAME: STATUS'). Score = killed
(a test failed, or it timed out) / the mutants run (a mutant no test reaches counts against
the score); mutants not run yet ('not checked') are counted apart.
"""
from __future__ import annotations

import re
import sys
from collections import Counter, defaultdict

KILLED = {"killed", "timeout"}
TARGET = 0.90


def module_of(name: str) -> str:
    """dashboard.filters.xǁFiltersǁwithout__mutmut_7 -> dashboard/filters.py"""
    return re.split(r"\.x[ǁ_]", name, maxsplit=1)[0].replace(".", "/") + ".py"


def main() -> int:
    counts: dict[str, Counter] = defaultdict(Counter)
    survivors: dict[str, list[str]] = defaultdict(list)
    for line in sys.stdin:
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        module = module_of(name)
        counts[module][status] += 1
        if status not in KILLED and status != "not checked":
            survivors[module].append(f"{name} ({status})")
    if not counts:
        print("no mutation results: run `bash bench/mutation.sh` first")
        return 2
    total = Counter()
    print(f"{'module':36} {'mutants':>8} {'not run':>8} {'killed':>7} {'survived':>9} "
          f"{'no test':>8} {'score':>6}")
    for module in sorted(counts):
        c = counts[module]
        total.update(c)
        print(_row(module, c))
    print(_row("all core modules", total), f"(target {TARGET:.0%})")
    for module in sorted(survivors):
        print(f"\n{module}: {len(survivors[module])} not killed")
        for name in survivors[module]:
            print(f"  {name}")
    return 0


def _row(label: str, c: Counter) -> str:
    n = sum(c.values())
    run = n - c["not checked"]
    killed = sum(c[s] for s in KILLED)
    return (f"{label:36} {n:8d} {c['not checked']:8d} {killed:7d} {c['survived']:9d} "
            f"{c['no tests']:8d} {killed / run if run else 0:6.1%}")


if __name__ == "__main__":
    sys.exit(main())
