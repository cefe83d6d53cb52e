"""Casualty ranges and precision columns: validation (row, field, reason), the loaded types,
and how a count with its range reads."""
from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from dashboard.data.loading import load_file
from dashboard.data.schema import bounds

ROOT = Path(__file__).resolve().parents[2]
with open(ROOT / "data" / "incidents.csv", newline="", encoding="utf-8") as _f:
    RAW = list(csv.DictReader(_f))
HEADER = list(RAW[0])
with open(ROOT / "data" / "added_incidents.csv", newline="", encoding="utf-8") as _f:
    ADDED = {r["incident_id"] for r in csv.DictReader(_f)}
# ISK-BL-20160808-1: 74 killed, 120 injured; its audited range bounds blanked, so that each
# test sets its own
BASE = dict(RAW[0], killed_low="", killed_high="", injured_low="", injured_high="")


def _load(tmp_path, **fields):
    """RAW[1], then BASE changed by `fields` (on line 3)."""
    path = tmp_path / "incidents.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows([RAW[1], dict(BASE, **fields)])
    return load_file(path)


def _problems(result):
    return [(p.line, p.field, p.value, p.reason) for p in result.problems if p.rejects_row]


def test_shipped_columns_present_and_blank():
    for c in ("killed_low", "killed_high", "injured_low", "injured_high", "date_precision",
              "place_precision"):
        assert c in HEADER
    research = [r for r in RAW if r["incident_id"] not in ADDED]  # the added five record it
    assert len(research) == 126
    assert all(r[c] == "" for r in research for c in ("date_precision", "place_precision"))


def test_range_accepted_and_typed(tmp_path):
    result = _load(tmp_path, killed_low="70", killed_high="94", injured_high="130.0",
                   date_precision=" Day ", place_precision="TOWN")
    assert _problems(result) == []
    row = result.incidents.set_index("incident_id").loc[BASE["incident_id"]]
    assert (row["killed_low"], row["killed_high"], row["injured_high"]) == (70, 94, 130)
    assert pd.isna(row["injured_low"])
    assert str(result.incidents["killed_low"].dtype) == "Int32"
    assert (row["date_precision"], row["place_precision"]) == ("day", "town")


def test_bound_equal_to_best_figure_accepted(tmp_path):
    assert _problems(_load(tmp_path, killed_low="74", killed_high="74")) == []


@pytest.mark.parametrize("fields, field, value, reason", [
    (dict(killed_low="80"), "killed_low", "80",
     "above killed 74: the range must hold the best figure (killed_low <= killed <= killed_high)"),
    (dict(killed_high="70"), "killed_high", "70", "below killed 74: the range must hold"),
    (dict(injured_low="121"), "injured_low", "121", "above injured 120"),
    (dict(killed="", killed_low="3"), "killed_low", "3",
     "a bound without a best figure: give killed (blank means unknown)"),
    (dict(injured="", injured_high="9"), "injured_high", "9", "a bound without a best figure"),
    (dict(killed_low="7.5"), "killed_low", "7.5", "not a whole number"),
    (dict(killed_high="-1"), "killed_high", "-1", "negative"),
    (dict(injured_low="many"), "injured_low", "many", "not a number"),
    (dict(date_precision="week"), "date_precision", "week",
     "unknown date_precision; expected one of day, approximate, month (blank: unknown)"),
    (dict(place_precision="village centre"), "place_precision", "village centre",
     "expected one of town, district, province"),
])
def test_bad_range_or_precision_rejected(tmp_path, fields, field, value, reason):
    result = _load(tmp_path, **fields)
    problems = _problems(result)
    assert [(line, f, v) for line, f, v, _ in problems] == [(3, field, value)], problems
    assert reason in problems[0][3]
    assert result.accepted == 1 and result.rejected == 1


def test_blank_precision_is_unknown_never_guessed(tmp_path):
    result = _load(tmp_path)
    assert set(result.incidents["date_precision"]) == {""}
    assert set(result.incidents["place_precision"]) == {""}


@pytest.mark.parametrize("row, span", [
    (dict(killed=74, killed_low=70, killed_high=94), (70, 94)),
    (dict(killed=74, killed_low=pd.NA, killed_high=94), (74, 94)),
    (dict(killed=74, killed_low=pd.NA, killed_high=pd.NA), (74, 74)),
    (dict(killed=pd.NA, killed_low=pd.NA, killed_high=pd.NA), None),
])
def test_bounds_blank_is_the_best_figure(row, span):
    assert bounds(row, "killed") == span


# ---------------------------------------------------------------------- the precise filter
def test_precise_url_key_round_trips_and_bad_values_are_named(ds):
    from dashboard.filters import PRECISE_WORDS, ViewState
    state, notices = ViewState.from_query("?precise=on", ds.reference, {})
    assert state.filters.precise is True and notices == []
    assert state.to_query() == "?precise=on"
    assert ("precise", "", PRECISE_WORDS) in state.filters.describe()
    assert state.filters.without("precise").precise is False
    off, _ = ViewState.from_query("?precise=off", ds.reference, {})
    assert off.filters.precise is False and off.to_query() == ""
    _, notices = ViewState.from_query("?precise=yes", ds.reference, {})
    assert notices == ["Ignored precise='yes': use on or off."]


def test_precise_mask_keeps_exact_day_town_or_district(tmp_path):
    from dashboard.aggregate import mask
    from dashboard.data.dataset import Dataset
    from dashboard.filters import Filters
    cases = [("day", "town", True), ("day", "district", True), ("day", "province", False),
             ("approximate", "town", False), ("month", "district", False), ("", "town", False),
             ("day", "", False), ("", "", False)]
    path = tmp_path / "incidents.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=HEADER)
        writer.writeheader()
        writer.writerows([dict(BASE, incident_id=f"T-{i}", date_precision=d, place_precision=p)
                          for i, (d, p, _) in enumerate(cases)])
    ds = Dataset.from_result(load_file(path))
    keep = mask(ds, Filters(precise=True))
    assert dict(zip(ds.incidents["incident_id"], keep)) == {
        f"T-{i}": want for i, (_, _, want) in enumerate(cases)}
    assert ds.arrays["province_level"].sum() == 1


def test_kpi_notes_give_the_range_then_the_unknown():
    from dashboard.aggregate import Totals
    from dashboard.callbacks.render import kpi_texts
    t = Totals(attacks=9, killed=436, injured=50, unknown_killed=3, unknown_injured=0,
               unknown_any=3, killed_low=420, killed_high=1460, injured_low=50,
               injured_high=50)
    texts = kpi_texts(t)
    assert texts["kpi-killed"] == "436"
    assert texts["kpi-killed-note"] == ("sources range 420 to 1,460; + 3 attacks with killed "
                                        "unknown")
    assert texts["kpi-injured-note"] == "known figures"
