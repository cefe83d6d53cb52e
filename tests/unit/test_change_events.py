"""Key events (data/events.csv) and "What changed" (issue 18), against the independent oracle.

The loader is fed bad files made in tmp_path from a valid row of data/events.csv with one
field changed; each check asks for the line, the field and the reason. The charts and the
numbers are read as in test_oracle: what each figure draws, for permalinks, compared with
`tests/oracle.py` (plain csv/pandas, no dashboard code).
"""
from __future__ import annotations

import csv
import warnings
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings

from dashboard.__main__ import main as cli_main
from dashboard import aggregate
from dashboard.aggregate import View
from dashboard.app import load_dataset
from dashboard.data.dataset import Dataset
from dashboard.callbacks.controller import next_state
from dashboard.data.events import load_events
from dashboard.data.schema import DataFileError, LoadResult, empty_frame
from dashboard.filters import ViewState
from dashboard.settings import Settings
from tests import app_view, oracle
from tests.unit.test_oracle import SETTINGS, check_events, check_frame, queries, year_position

ROOT = Path(__file__).resolve().parents[2]
EVENTS = ROOT / "data" / "events.csv"
RISE, FALL = "#D55E00", "#0072B2"  # pinned: vermillion up, blue down
KINDS = {"military_operation", "announcement", "designation", "regional", "ceasefire",
         "political"}


# ---------------------------------------------------------------------- the file
def _rows() -> list[dict]:
    with open(EVENTS, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_shipped_events_are_sourced_and_all_accepted():
    rows = _rows()
    events, problems = load_events(EVENTS)
    assert not problems and len(events) == len(rows) == 15
    assert sorted(events["title"]) == sorted(r["title"] for r in rows)
    for r in rows:
        assert r["kind"] in KINDS and r["date_precision"] == "day"
        assert all(u.strip().startswith(("http://", "https://"))
                   for u in r["source_urls"].split("|"))
        assert len(r["title"]) <= 30


def _write(tmp_path: Path, changes: dict, drop: str | None = None) -> Path:
    """data/events.csv's first row with `changes`, as line 2 of a new file, and a good row
    as line 3."""
    rows = _rows()[:2]
    rows[0].update(changes)
    columns = [c for c in rows[0] if c != drop]
    path = tmp_path / "events.csv"
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, columns, extrasaction="ignore")
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.mark.parametrize("changes, field, reason", [
    ({"date": "2019-02-30"}, "date", "not a real calendar date"),
    ({"date": "15/05/2019"}, "date", "not a date in YYYY-MM-DD form"),
    ({"date": ""}, "date", "missing"),
    ({"date": "2099-01-01"}, "date", "in the future"),
    ({"source_urls": ""}, "source_urls", "missing: every event needs a source URL"),
    ({"source_urls": "www.dawn.com/news/1"}, "source_urls", "not an http(s) URL"),
    ({"kind": "battle"}, "kind", "unknown kind"),
    ({"title": "An event title far too long for a chart"}, "title", "longer than 30"),
    ({"title": ""}, "title", "missing"),
    ({"detail": " "}, "detail", "missing"),
    ({"date_precision": "week"}, "date_precision", "not one of day, month, year"),
])
def test_a_bad_event_names_its_line_field_and_reason(tmp_path, changes, field, reason):
    events, problems = load_events(_write(tmp_path, changes), today=date(2026, 12, 1))
    assert [(p.line, p.field) for p in problems] == [(2, field)]
    assert reason in problems[0].reason and problems[0].rejects_row
    assert f":2: {field}" in str(problems[0])
    assert list(events["title"]) == [_rows()[1]["title"]]  # the good row stays


def test_a_missing_column_is_a_file_error(tmp_path):
    with pytest.raises(DataFileError, match="kind"):
        load_events(_write(tmp_path, {}, drop="kind"))


def test_validate_checks_a_named_events_file(tmp_path, capsys):
    good = tmp_path / "incidents.csv"
    good.write_text((ROOT / "data" / "incidents.csv").read_text(encoding="utf-8"),
                    encoding="utf-8")
    bad = _write(tmp_path, {"date": "15/05/2019"})
    assert cli_main(["validate", str(good), "--events", str(bad)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert any(line.startswith(f"{bad}:2: date '15/05/2019': not a date") for line in out)
    assert out[-1] == f"{bad}: 2 events: 1 accepted, 1 rejected"
    assert cli_main(["validate", str(good), "--events", str(EVENTS)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"{EVENTS}: 15 events: 15 accepted, 0 rejected"
    missing = tmp_path / "nope.csv"
    assert cli_main(["validate", str(good), "--events", str(missing)]) == 2
    assert capsys.readouterr().out.splitlines()[-1].startswith(f"error: {missing}")


def test_the_app_draws_the_events_file_the_settings_name(tmp_path, monkeypatch, caplog):
    rows = _rows()
    own = _write(tmp_path, {"date": "2099-01-01"})  # line 2 rejected, line 3 kept
    monkeypatch.setenv("DASHBOARD_EVENTS", str(own))
    settings = Settings.from_env()
    assert settings.events == str(own)
    ds = load_dataset(settings)
    assert list(ds.events["title"]) == [rows[1]["title"]]
    assert any(f"{own}:2: date" in r.getMessage() for r in caplog.records)
    ds = load_dataset(Settings(events=str(tmp_path / "nope.csv")))
    assert ds.events.empty and len(ds.incidents) == len(oracle.RAW)  # the incidents still served
    assert any("nope.csv" in r.getMessage() and r.levelname == "ERROR" for r in caplog.records)


# ---------------------------------------------------------------------- on the charts
EVENT_VIEWS = ["", "events=off", "period=month&from=2024-01-01", "province=Balochistan",
               "group=IS-K&to=2019-12-31", "view=compare&district=Quetta", "group=BRAS&province=KP",
               "period=month&district=Kharan"]


@pytest.mark.parametrize("query", EVENT_VIEWS)
@pytest.mark.parametrize("frame", ["briefing", "screen"])
def test_events_in_range_on_the_timeline_and_comparison(ds, query, frame):
    view = oracle.parse(query)
    figs = app_view.figures_for(ds, query, ("timeline", "compare_years"), frame=frame)
    check_events(figs["timeline"], oracle.timeline_events(view), lambda day: day)
    check_events(figs["compare_years"], oracle.compare_years_events(view), year_position)


def test_events_stay_in_their_chart_and_switch_off(ds):
    figs = app_view.figures_for(ds, "")
    titles = [a.text for a in figs["timeline"].layout.annotations
              if (a.name or "").startswith("event")]
    assert "Zarb-e-Azb launched" not in titles  # 2014: before the first incident (2015)
    assert "IS announces ISPP" in titles and len(titles) == 14
    off = app_view.figures_for(ds, "events=off", ("timeline", "compare_years"))
    for fig in off.values():
        assert not [a for a in fig.layout.annotations if (a.name or "").startswith("event")]
        assert not [s for s in fig.layout.shapes if s.type == "line"]


def test_event_labels_sit_above_the_bars(ds):
    fig = app_view.figures_for(ds, "", ("timeline",))["timeline"]
    top = max(max(t.y) for t in fig.data)
    low = min(a.y for a in fig.layout.annotations if (a.name or "").startswith("event"))
    assert fig.layout.yaxis.range[1] * (low - 0.05) > top  # the lowest label clears the bars


# ---------------------------------------------------------------------- what changed
CHANGE_VIEWS = [
    "view=change", "view=change&from=2024-01-01&to=2024-12-31",
    "view=change&province=Balochistan&from=2024-01-01&to=2024-06-15",
    "view=change&from=2024-01-01&to=2024-12-31&base_from=2020-01-01&base_to=2020-12-31",
    "view=change&flag_pct=50&flag_min=1&from=2023-01-01&to=2024-12-31",
    "view=change&district=Quetta&from=2024-01-01", "view=change&group=IS-K,ISPP&to=2019-12-31",
    "view=change&from=2024-03-01&to=2024-05-31&min_killed=5",
    "view=change&group=BRAS&province=KP",
    # one month, one day, and whole months from the middle of a month
    "view=change&from=2024-03-01&to=2024-03-31", "view=change&from=2024-05-09&to=2024-05-09",
    "view=change&from=2024-01-15&to=2025-01-14&flag_pct=67&flag_min=2",
]


# the What-changed table's columns, as the README lists them
CHANGE_COLUMNS = ["district", "attacks", "attacks_base", "killed", "killed_base", "d_attacks",
                  "d_killed", "pct", "flagged"]


def check_change(fig, view: dict, query: str, ds):
    rows = oracle.change_by_district(view)
    now, base, p = oracle.change_kpis(view)
    attacks, killed = fig.data
    mark = {True: " ▲", False: " ▼"}
    labels = [r["district"] + (mark[r["d_attacks"] > 0] if r["flagged"] else "") for r in rows]
    assert list(attacks.y) == list(killed.y) == labels
    assert list(attacks.customdata) == list(killed.customdata) == [r["district"] for r in rows]
    assert list(attacks.x) == [r["d_attacks"] for r in rows]
    assert list(killed.x) == [r["d_killed"] for r in rows]
    for trace, key in ((attacks, "d_attacks"), (killed, "d_killed")):
        assert list(trace.marker.color) == [RISE if r[key] >= 0 else FALL for r in rows]
        if view["district"]:
            assert list(trace.marker.opacity) == [1.0 if r["district"] in view["district"]
                                                  else 0.35 for r in rows]
    for text, r in zip(attacks.text, rows):
        assert f"attacks {r['attacks_base']} → {r['attacks']}" in text
        assert f"killed {r['killed_base']} → {r['killed']}" in text
        assert ("flagged" in text) == r["flagged"]

    def signed(n):
        return f"{n:+,}" if n else "0"
    where = ", ".join(view["province"]) or "Pakistan"
    sentence = (f"{signed(now['attacks'] - base['attacks'])} attacks, "
                f"{signed(now['killed'] - base['killed'])} killed vs {p['words']}")
    assert fig.layout.title.text == f"<b>{sentence}, by district, {where}</b>"
    (c0, c1), (b0, b1) = p["current"], p["baseline"]
    note = (f"{c0:%d %b %Y} to {c1:%d %b %Y} ({now['attacks']} attacks) against "
            f"{b0:%d %b %Y} to {b1:%d %b %Y} ({base['attacks']}); ▲▼ flagged: a change of at "
            f"least {view['flag_pct']}% and at least {view['flag_min']} attacks")
    check_frame(fig, view, query, ds, None, note)
    return sentence


@pytest.mark.parametrize("query", CHANGE_VIEWS)
def test_change_chart_matches_the_oracle(ds, query):
    fig = app_view.figures_for(ds, query, ("change",))["change"]
    check_change(fig, oracle.parse(query), query, ds)


def test_change_periods_of_the_readme():
    """Whole months shift by months (a leap year's 366 days are 12 months); other spans by
    days; with no dates, the last 12 months of data."""
    p = oracle.change_periods(oracle.parse("from=2024-01-01&to=2024-12-31"))
    assert p["baseline"] == (date(2023, 1, 1), date(2023, 12, 31))
    p = oracle.change_periods(oracle.parse("from=2024-01-10&to=2024-01-19"))
    assert p["baseline"] == (date(2023, 12, 31), date(2024, 1, 9))
    assert p["words"] == "the previous 10 days"
    assert oracle.change_periods(oracle.parse(""))["current"] == (date(2025, 2, 7),
                                                                  date(2026, 2, 6))


@pytest.mark.parametrize("query, words", [
    ("from=2024-03-01&to=2024-03-31", "the previous 1 month"),
    ("from=2024-03-01&to=2024-04-30", "the previous 2 months"),
    ("from=2024-05-09&to=2024-05-10", "the previous 2 days"),
    ("from=2024-05-09&to=2024-05-09", "the previous 1 day"),
    ("from=2024-01-15&to=2024-02-14", "the previous 1 month"),
    ("from=2024-01-15&to=2025-01-14", "the previous 12 months"),
    ("from=2024-01-31&to=2024-02-29", "the previous 30 days"),
])
def test_change_words_of_the_readme(ds, query, words):
    """The oracle and the chart's title say the same baseline, singular for one."""
    assert oracle.change_periods(oracle.parse(query))["words"] == words
    fig = app_view.figures_for(ds, "view=change&" + query, ("change",))["change"]
    assert fig.layout.title.text.split(" vs ")[1].startswith(words + ", by district")


@pytest.mark.parametrize("query", CHANGE_VIEWS)
def test_change_table_matches_the_oracle(ds, query):
    """Every column of the What-changed table (the pack's CSV and the chart's source),
    the percentage too, in the oracle's order."""
    with warnings.catch_warnings():  # a district new in the period divides by none: no warning
        warnings.simplefilter("error")
        table = aggregate.change_by_district(app_view.view_for(ds, query))
    assert list(table.columns) == CHANGE_COLUMNS
    assert list(table.index) == list(range(len(table)))
    rows = oracle.change_by_district(oracle.parse(query))
    assert table.to_dict("records") == pytest.approx(rows) if rows else table.empty


def test_change_of_no_data_is_an_empty_table(ds):
    empty = Dataset.from_result(LoadResult(empty_frame()), ds.reference)
    table = aggregate.change_by_district(View(empty, ViewState()))
    assert table.empty and list(table.columns) == CHANGE_COLUMNS
    fig = app_view.figures_for(empty, "view=change", ("change",))["change"]
    assert all(len(t.y or ()) == 0 for t in fig.data)


def test_flags_need_both_thresholds(ds):
    rows = {r["district"]: r for r in oracle.change_by_district(
        oracle.parse("from=2024-01-01&to=2024-12-31"))}
    assert rows["Kalat"]["flagged"] and rows["Kalat"]["d_attacks"] == 3
    assert not rows["Quetta"]["flagged"]  # +2 from none: infinite %, but under 3 attacks
    fig = app_view.figures_for(ds, "from=2024-01-01&to=2024-12-31&flag_min=2",
                               ("change",))["change"]
    assert "Quetta ▲" in fig.data[0].y


@settings(SETTINGS, max_examples=40)
@given(query=queries(tab="change"))
def test_property_change_matches_the_oracle(ds, query):
    fig = app_view.figures_for(ds, query, ("change",))["change"]
    check_change(fig, oracle.parse(query), query, ds)


@pytest.mark.parametrize("query", CHANGE_VIEWS[:4])
def test_change_kpis_show_the_change(cb, ds, query):
    view = oracle.parse(query)
    now, base, p = oracle.change_kpis(view)
    out = app_view.render(cb, query)
    for kid, key in (("kpi-attacks", "attacks"), ("kpi-killed", "killed"),
                     ("kpi-injured", "injured"), ("kpi-unknown", "unknown_any")):
        n = now[key] - base[key]
        assert out[kid]["children"] == (f"{n:+,}" if n else "0")
        note = out[f"{kid}-note"]["children"]
        assert note.endswith(f"{base[key]:,} → {now[key]:,}" + (")" if key == "attacks" else ""))
    sentence = check_change(app_view.figures_for(ds, query, ("change",))["change"], view,
                            query, ds)
    assert out["kpi-attacks-note"]["children"].startswith(sentence + " (")


def test_a_click_on_a_change_bar_filters_its_district(ds):
    event = {"points": [{"y": "Kalat ▼", "customdata": "Kalat", "x": -4}]}
    state = ViewState.from_query("view=change", ds.reference, {})[0]
    new, _ = next_state("graph-change", state, ds, event=event)
    assert new.filters.district == ("Kalat",) and new.display.tab == "change"
    again, _ = next_state("graph-change", new, ds, event=event)
    assert again.filters.district == ()


@pytest.mark.parametrize("query, kept", [
    ("events=off", "events=off"), ("events=on", ""), ("flag_pct=40&flag_min=2",
                                                      "flag_pct=40&flag_min=2"),
    ("base_from=2020-01-01&base_to=2020-12-31", "base_from=2020-01-01&base_to=2020-12-31"),
    ("base_from=2020-01-01", ""), ("base_from=2021-01-01&base_to=2020-12-31", ""),
    ("flag_pct=0", ""), ("flag_min=x", ""), ("view=change", "view=change"),
])
def test_change_and_events_keys_round_trip(ds, query, kept):
    state, notices = ViewState.from_query(query, ds.reference, {})
    assert state.to_query() == ("?" + kept if kept else "")
    assert bool(notices) == (kept == "" and query != "events=on")
    assert ViewState.from_dict(state.as_dict()) == state
    assert state.sanitised(ds.reference, {}) == state


def test_change_store_survives_junk(ds):
    """A stored view with junk thresholds or a baseline out of order is sanitised."""
    stored = ViewState().as_dict()
    stored["display"].update(flag_pct=-3, flag_min=None, base_from="2021-01-01",
                             base_to="2020-01-01")
    d = ViewState.from_dict(stored).sanitised(ds.reference, {}).display
    assert (d.flag_pct, d.flag_min, d.base_from, d.base_to) == (25, 3, None, None)
    assert np.isfinite(d.flag_pct)
