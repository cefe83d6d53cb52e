"""bench/mutation_report.py: the table of a mutation run, whole or sampled."""
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"

RESULTS = """\
dashboard.filters.x_mask__mutmut_1: killed
dashboard.filters.x_mask__mutmut_2: survived
dashboard.filters.x_mask__mutmut_3: timeout
dashboard.filters.xǁViewStateǁparse__mutmut_1: no tests
dashboard.data.validate.x_validate__mutmut_1: killed
dashboard.data.validate.x_validate__mutmut_2: not checked
"""


def report(*args: str) -> str:
    done = subprocess.run([sys.executable, str(BENCH / "mutation_report.py"), *args],
                          input=RESULTS, capture_output=True, text=True, check=True)
    return done.stdout


def row(out: str, label: str) -> list[str]:
    return next(line for line in out.splitlines() if line.startswith(label)).split()


def test_the_score_counts_timeouts_as_killed_and_no_test_against():
    out = report()
    assert row(out, "dashboard/filters.py")[1:9] == ["4", "0", "2", "0", "0", "1", "1", "50.0%"]
    assert row(out, "dashboard/data/validate.py")[1:9] == ["2", "1", "1", "0", "0", "0", "0",
                                                           "100.0%"]
    assert "dashboard.filters.x_mask__mutmut_2 (survived)" in out
    assert "ViewStateǁparse__mutmut_1 (no tests)" in out
    assert "interval" not in out


def test_a_sample_counts_its_own_mutants_with_wilsons_interval(tmp_path):
    sample = tmp_path / "sample.txt"
    sample.write_text("dashboard.filters.x_mask__mutmut_1\ndashboard.filters.x_mask__mutmut_2\n")
    out = report("--only", str(sample))
    assert "a sample of 2 mutants" in out
    # 1 of 2 killed: Wilson's 95% interval is 9.5% to 90.5%
    assert row(out, "dashboard/filters.py")[1:12] == ["2", "0", "1", "0", "0", "1", "0", "50.0%",
                                                      "9.5%", "to", "90.5%"]
    assert "validate" not in out


def test_triage_counts_later_kills_and_leaves_equivalents_out(tmp_path):
    triage = tmp_path / "triage.csv"
    triage.write_text("mutant,verdict,reason\n"
                      "dashboard.filters.x_mask__mutmut_2,equivalent,same output\n"
                      "dashboard.filters.xǁViewStateǁparse__mutmut_1,killed,test_parse\n"
                      "dashboard.filters.x_mask__mutmut_1,equivalent,ignored: the run killed it\n",
                      encoding="utf-8")
    out = report("--triage", str(triage))
    # 4 mutants: 2 killed by the run (one a timeout), 1 later, 1 equivalent: 3 of 3
    assert row(out, "dashboard/filters.py")[1:9] == ["4", "0", "2", "1", "1", "0", "0",
                                                     "100.0%"]
    assert "not killed" not in out.split("dashboard/data/validate.py")[1]


@pytest.mark.parametrize("killed, run, lo, hi", [
    (90, 100, 0.8256, 0.9448),   # the textbook values of Wilson's score interval
    (40, 40, 0.9124, 1.0),
    (0, 10, 0.0, 0.2775),
])
def test_wilson_interval(killed, run, lo, hi):
    sys.path.insert(0, str(BENCH))
    from mutation_report import interval
    got = interval(killed, run)
    assert got == pytest.approx((lo, hi), abs=5e-4)
