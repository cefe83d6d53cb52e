"""Fuzzed inputs (issue 7): hostile URLs, callback payloads and data files never break the app.

Hypothesis runs derandomized (the same examples on every run, no example database), so CI is
stable; the whole module runs in well under a minute. Properties checked:

- a URL query string of any shape gives a ViewState whose own URL parses back to it, the
  same through ``ViewState.from_query`` and through the real controller callback over HTTP;
- a chart click, box selection, chip or control event of browser shape is accepted (HTTP 200,
  no error notice), the numbers equal the independent oracle's (tests/oracle.py), an empty view
  reads '0' with the "No incident matches" text, and a malformed payload never gets a 5xx or a
  traceback;
- a data file of any content gives a report, never an exception, and every rejected row is
  named by a problem on its line (rows in = accepted + rejected); the CLI agrees.

The bugs this found are pinned by the tests at the end of the URL and callback sections and of
the data-file section.
"""
from __future__ import annotations

import contextlib
import csv
import io
import json
import random
import re
import subprocess
import sys
from datetime import date
from pathlib import Path
from urllib.parse import quote, quote_plus

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from dashboard.__main__ import main as cli_main
from dashboard.data.loading import load_files
from dashboard.data.schema import COLUMNS
from dashboard.filters import MULTI, PERIODS, Display, Filters, ViewState
from tests import app_view, oracle
from dashboard import ids
from harness.dash_http import applied
from tests.scopes import per_module

STORE = f"{ids.STATE}.data"  # the browser's store of the view state

ROOT = Path(__file__).resolve().parents[2]
INCIDENTS = ROOT / "data" / "incidents.csv"
CONTROL, RENDER, TABLE = STORE, "kpi-attacks.children", app_view.GRID_ROWS
NO_MATCH = "No incident matches"
# chart id -> the filter dimension the chart ignores (it shows the alternatives to click),
# as the oracle names it
CHART_IGNORES = {"graph-district": "district", "graph-map": "district",
                 "graph-target": "target", "graph-timeline": "date"}
CHIP_KEY = f"{ids.CHIP_REMOVED}.data"
EVENT_INPUTS = {
    "district": "graph-district.clickData", "target": "graph-target.clickData",
    "map": "graph-map.clickData", "timeline": "graph-timeline.selectedData",
}
CONTROL_INPUTS = ("filter-province.value", "filter-district.value", "filter-group.value",
                  "filter-attribution.value", "filter-target.value", "filter-attack.value")
# pandas keeps dates as int64 nanoseconds: 1677-09-21 .. 2262-04-11

FUZZ = settings(derandomize=True, database=None, deadline=None, print_blob=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.filter_too_much,
                                       HealthCheck.function_scoped_fixture])

INJECTION = [
    "<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "' OR 1=1 --",
    "'; DROP TABLE incidents; --", "../../../../etc/passwd", "${jndi:ldap://127.0.0.1/a}",
    "{{7*7}}", "{% raw %}", "%00", "\x00", "javascript:alert(1)", "[x](javascript:alert(1))",
    "Quetta\r\nSet-Cookie: x=1", "__proto__", "constructor", "NaN", "Infinity", "-0", "1e309",
    "0x10", "00000005", " 5 ", "+5", "5.0", "١٢", "９", "²", "Ⅻ", "\u202eetteuQ", "Quetta\u200b",
    "QUETTA", "quetta ", "Mastung,,Quetta", ",", "%2C", "%252C", "&", "=", "#", "?", "+",
    "2020-02-30", "2020-1-1", "2020/01/01", "20200101", "2020-W01-1", "0000-00-00",
    "9999-12-31", "0001-01-01", "2262-04-12", "1677-09-20", "year", "MONTH", "decade",
]


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope=per_module)
def data_values(ds):
    return {name: ds.values(col) for name, col in (("group", "group"),
                                                   ("target_type", "target_type"),
                                                   ("attack_type", "attack_type"))}


def pools(ds) -> dict[str, list[str]]:
    """Canonical values per multi-value filter dimension."""
    ref = ds.reference
    return {
        "province": list(ref.provinces.index),
        "district": sorted(ref.districts.index),
        **{name: list(ref.vocab[name].canonical) for name in
           ("group", "attribution", "target_type", "attack_type")},
    }


def spellings(ds) -> dict[str, list[str]]:
    """URL key -> every spelling the URL parser knows (canonical names and aliases)."""
    ref = ds.reference
    lookups = {"province": ref.province_lookup, "district": ref.district_lookup,
               **{name: ref.vocab[name] for name in ("group", "attribution", "target_type",
                                                      "attack_type")}}
    out = {}
    for name, (key, _) in MULTI.items():
        lookup = lookups[name]
        out[key] = sorted(set(lookup.canonical) | set(lookup.spellings))
    return out


# --------------------------------------------------------------------------- HTTP helpers
def post(cb, output: str, values: dict, changed: list[str]) -> tuple[int, bytes]:
    return cb.post("/_dash-update-component", cb.payload(output, values, changed))


def answered(status: int, body: bytes) -> dict:
    """A callback that ran and updated the page: 200, JSON, no error notice."""
    assert status == 200, body[:500]
    assert b"Traceback" not in body
    doc = json.loads(body)
    assert "Something went wrong" not in json.dumps(doc.get("sideUpdate", {})), doc
    assert doc.get("response"), doc
    return doc["response"]


def refused_cleanly(status: int, body: bytes) -> None:
    """A hostile payload may fail, but never with a 5xx or a traceback in the answer."""
    assert status < 500, body[:500]
    assert b"Traceback" not in body and b'File "' not in body
    if status == 200:
        doc = json.loads(body)
        notice = json.dumps(doc.get("sideUpdate", {}))
        if "Something went wrong" in notice:
            assert re.search(r"Request id: [0-9a-f]{12}", notice), notice


def control(cb, changed: str, stored: ViewState | dict | None = None,
            **values) -> tuple[int, bytes]:
    return post(cb, CONTROL, _sent(stored, values), [changed])


def _sent(stored, values: dict) -> dict:
    state = (stored.as_dict() if isinstance(stored, ViewState)
             else (stored or ViewState().as_dict()))
    return {STORE: state, **values}


def controlled(cb, changed: str, stored: ViewState | dict | None = None, **values):
    """The page after the view callback's answer to one event: `page(key)` is a prop's
    value, the answer's where it sent one, else what the page had (it sends only what
    changes; None: a prop the page never set)."""
    sent = _sent(stored, values)
    return applied(sent, answered(*post(cb, CONTROL, sent, [changed]))).get


def oracle_view(state: ViewState) -> dict:
    """The independent oracle's view of a stored view state (values taken as they are)."""
    return app_view.oracle_view_of_store(state.as_dict())


def check_view(cb, ds, state: ViewState) -> None:
    """Render and table callbacks for a view: numbers from the independent oracle
    (tests/oracle.py), empty views say so."""
    f = state
    view = oracle_view(state)
    expected = oracle.in_view(view)
    out = answered(*post(cb, RENDER, {STORE: state.as_dict()},
                         [STORE]))
    assert out["kpi-attacks"]["children"] == f"{expected:,}", f
    texts = oracle.kpi_texts(view)
    for cid in ("kpi-killed", "kpi-injured", "kpi-unknown", "kpi-killed-note",
                "kpi-injured-note"):
        assert out[cid]["children"] == texts[cid], (cid, f)
    for gid, ignored in CHART_IGNORES.items():
        if gid not in out:
            continue
        shown = NO_MATCH in json.dumps(out[gid]["figure"])
        empty = oracle.select(view, ignore=(ignored,)).empty
        assert shown == empty, (gid, f, expected)
    if expected == 0:
        assert any(NO_MATCH in json.dumps(out[gid]["figure"]) for gid in CHART_IGNORES
                   if gid in out)
    out = answered(*post(cb, TABLE, {STORE: state.as_dict()},
                         [STORE]))
    rows = app_view.table_rows(out)
    assert len(rows) == min(expected, 300)
    assert f"{expected:,}" in out["grid-note"]["children"]
    ids = oracle.ids(view)
    assert {r["incident_id"] for r in rows} <= ids
    if expected <= 300:
        assert {r["incident_id"] for r in rows} == ids


# --------------------------------------------------------------------------- strategies
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


@st.composite
def query_strings(draw, ds) -> str:
    """Hostile and ordinary URL query strings, encoded in every way a browser or a person might."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.text(st.characters(exclude_categories=("Cs",)), max_size=80))
    known = spellings(ds)
    keys = list(known) + ["from", "to", "min_killed", "period"]
    pairs = []
    for _ in range(draw(st.integers(0, 6))):
        key = draw(st.one_of(st.sampled_from(keys), st.sampled_from(keys).map(str.upper),
                             TEXT, st.sampled_from(INJECTION)))
        pool = known.get(key)
        value = draw(st.one_of(
            st.lists(st.sampled_from(pool), min_size=1, max_size=4).map(
                lambda vs: draw(st.sampled_from([",", ", ", " , ", ",,"])).join(vs))
            if pool else st.dates().map(date.isoformat),
            st.dates(date(1600, 1, 1), date(2400, 12, 31)).map(date.isoformat),
            st.integers(-10 ** 12, 10 ** 12).map(str),
            st.sampled_from(["year", "month", "0", "1", "5", "9999999", "10000000"]),
            st.sampled_from(INJECTION),
            TEXT,
            st.integers(1900, 2100).map(lambda n: ("Quetta," * n)[:n]),  # near MAX_PARAM
        ))
        pairs.append((key, value))
    encoding = draw(st.sampled_from(["plus", "quote", "raw", "twice"]))
    enc = {"plus": quote_plus, "quote": lambda s: quote(s, safe=","), "raw": lambda s: s,
           "twice": lambda s: quote(quote(s, safe=""), safe="")}[encoding]
    sep = draw(st.sampled_from(["&", "&", "&&", ";"]))
    body = sep.join(f"{enc(k)}={enc(v)}" if draw(st.booleans()) or v else enc(k)
                    for k, v in pairs)
    return draw(st.sampled_from(["?", "", "??"])) + body


@st.composite
def valid_filters(draw, ds) -> ViewState:
    p = pools(ds)
    kw = {name: tuple(draw(st.lists(st.sampled_from(p[name]), unique=True, max_size=2)))
          for name in MULTI if draw(st.integers(0, 3)) == 0}
    lo = draw(st.none() | st.dates(date(2014, 1, 1), date(2026, 6, 30)))
    hi = draw(st.none() | st.dates(lo or date(2014, 1, 1), date(2026, 12, 31)))
    return ViewState(Filters(date_from=lo, date_to=hi,
                             min_killed=draw(st.none() | st.integers(1, 120)), **kw),
                     Display(period=draw(st.sampled_from(PERIODS))))


def click_values(ds):
    return st.one_of(st.sampled_from(ds.values("district")),
                     st.sampled_from(ds.values("target_type")),
                     st.sampled_from(sorted(ds.reference.districts.index)),  # no incident
                     st.sampled_from(INJECTION), TEXT, st.none(), st.integers(-5, 10 ** 6),
                     st.floats(allow_nan=False, allow_infinity=False))


@st.composite
def click_data(draw, ds):
    """A plotly click event as the browser sends it, with current, stale or junk values."""
    if draw(st.integers(0, 9)) == 0:
        return draw(st.sampled_from([None, {}, {"points": []}]))
    point = {"curveNumber": draw(st.integers(0, 12)), "pointNumber": draw(st.integers(0, 200)),
             "x": draw(st.integers(0, 500))}
    if draw(st.booleans()):
        point["y"] = draw(click_values(ds))
    if draw(st.booleans()):
        value = draw(click_values(ds))
        point["customdata"] = draw(st.sampled_from(["plain", "list", "empty"]))
        point["customdata"] = {"plain": value, "list": [value, 3],
                               "empty": []}[point["customdata"]]
    return {"points": [point] + ([dict(point)] if draw(st.booleans()) else [])}


def range_ends():
    return st.one_of(
        st.datetimes().map(lambda d: d.strftime("%Y-%m-%d %H:%M:%S.%f")[:23]),
        st.dates().map(date.isoformat), st.sampled_from(INJECTION), TEXT, st.none(),
        st.integers(-10 ** 13, 10 ** 13), st.floats(allow_nan=False, allow_infinity=False))


@st.composite
def selected_data(draw):
    kind = draw(st.integers(0, 5))
    if kind == 0:
        return draw(st.sampled_from([None, {}, {"points": []}, {"range": {}},
                                     {"lassoPoints": {"x": [1, 2]}}]))
    ends = draw(st.lists(range_ends(), min_size=0 if kind == 1 else 2, max_size=3))
    return {"points": [], "range": {"x": ends, "y": [0, draw(st.integers(0, 100))]}}


def min_killed_values():
    return st.one_of(st.none(), st.integers(-10 ** 6, 10 ** 7 - 1), st.integers(-10, 400),
                     st.integers(10 ** 7, 10 ** 19),  # huge (the URL allows 7 digits)
                     st.floats(-1e6, 1e6), st.sampled_from(INJECTION),
                     st.integers(-1000, 10 ** 8).map(str), TEXT, st.just(""))


@st.composite
def events(draw, ds):
    """(changed prop id, input values) of one browser event on the controller."""
    kind = draw(st.sampled_from(["district", "target", "map", "timeline", "chip", "reset",
                                 "control", "dates", "min_killed", "period"]))
    values: dict = {}
    if kind in ("district", "target", "map"):
        changed = EVENT_INPUTS[kind]
        values[changed] = draw(click_data(ds))
    elif kind == "timeline":
        changed = EVENT_INPUTS[kind]
        values[changed] = draw(selected_data())
    elif kind == "chip":
        dim = draw(st.sampled_from(["date", "min_killed", *MULTI]))
        value = draw(st.sampled_from(pools(ds).get(dim, [""])) | TEXT)
        changed = CHIP_KEY  # the chip's x, as the page's press listener sets it
        values[changed] = {"dim": dim, "value": value, "at": draw(st.integers(1, 9))}
    elif kind == "reset":
        changed = "reset.n_clicks"
        values[changed] = draw(st.integers(1, 10 ** 6))
    else:
        changed = {"control": draw(st.sampled_from(CONTROL_INPUTS)),
                   "dates": draw(st.sampled_from(["filter-date.start_date",
                                                  "filter-date.end_date"])),
                   "min_killed": "filter-min-killed.value",
                   "period": "filter-period.value"}[kind]
        p = pools(ds)
        for cid, name in zip(CONTROL_INPUTS, MULTI):
            values[cid] = draw(st.lists(st.sampled_from(p[name]), max_size=3, unique=True))
        values["filter-date.start_date"] = draw(st.none() | range_ends())
        values["filter-date.end_date"] = draw(st.none() | range_ends())
        values["filter-min-killed.value"] = draw(min_killed_values())
        values["filter-period.value"] = draw(st.sampled_from(PERIODS) | TEXT
                                             if kind == "period" else st.sampled_from(PERIODS))
    return changed, values


json_junk = st.recursive(
    st.none() | st.booleans() | st.integers(-2 ** 62, 2 ** 62) | TEXT
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(
        st.sampled_from(["points", "range", "x", "y", "customdata", "type", "dim", "value"])
        | TEXT, inner, max_size=3),
    max_leaves=8)


def is_canonical(ds, state: ViewState) -> bool:
    """Every value of the view's filters is one the URL parser gives back unchanged."""
    p = pools(ds)
    return all(v in p[name] for name in MULTI for v in getattr(state.filters, name))


# --------------------------------------------------------------------------- URL fuzzing
@settings(FUZZ, max_examples=400)
@given(data=st.data())
def test_from_query_never_raises_and_round_trips(ds, data_values, data):
    query = data.draw(query_strings(ds))
    state, notices = ViewState.from_query(query, ds.reference, data_values)
    f = state.filters
    assert all(isinstance(n, str) and n for n in notices)
    p = pools(ds)
    for name in MULTI:  # only canonical values survive, each once
        values = getattr(f, name)
        assert len(set(values)) == len(values)
        assert set(values) <= set(p[name]) | set(data_values.get(name, [])), (name, values)
    assert f.min_killed is None or 1 <= f.min_killed <= 9_999_999
    assert state.display.period in PERIODS
    if f.date_from and f.date_to:
        assert f.date_from <= f.date_to
    again, notices_again = ViewState.from_query(state.to_query(), ds.reference, data_values)
    assert (again, notices_again) == (state, []), (query, state.to_query())
    assert ViewState.from_dict(json.loads(json.dumps(state.as_dict()))) == state
    if not state.to_query():
        assert state == ViewState()


@settings(FUZZ, max_examples=70)
@given(data=st.data())
def test_url_through_the_controller_over_http(cb, ds, data_values, data):
    query = data.draw(query_strings(ds))
    page = controlled(cb, "url.search", **{"url.search": query})
    state = ViewState.from_dict(page(STORE))
    expected, notices = ViewState.from_query(query, ds.reference, data_values)
    assert state == expected
    assert bool(page("url-notice.is_open")) is bool(notices)
    assert page("url.search") == state.to_query()
    assert ViewState.from_query(page("url.search"), ds.reference, data_values) == (state, [])
    f = state.filters
    assert page("filter-group.value") == list(f.group)
    assert page("filter-district.value") == list(f.district)
    assert page("filter-min-killed.value") == f.min_killed
    check_view(cb, ds, state)


# --------------------------------------------------------------------------- callback fuzzing
@settings(FUZZ, max_examples=120)
@given(data=st.data())
def test_browser_events_through_controller_render_and_table(cb, ds, data_values, data):
    stored = data.draw(valid_filters(ds))
    changed, values = data.draw(events(ds))
    page = controlled(cb, changed, stored, **values)
    new = ViewState.from_dict(page(STORE))
    assert page("url.search") == new.to_query()
    if changed == "reset.n_clicks":
        assert new == ViewState()
    check_view(cb, ds, new)
    if is_canonical(ds, new):  # the link reproduces the view
        assert ViewState.from_query(new.to_query(), ds.reference, data_values) == (new, [])
    else:  # a stale or junk value selects nothing
        assert not oracle.ids(oracle_view(new)), new


@settings(FUZZ, max_examples=80)
@given(data=st.data())
def test_malformed_payloads_never_5xx_or_leak(cb, ds, data):
    inputs = [*EVENT_INPUTS.values(), "url.search", "reset.n_clicks", *CONTROL_INPUTS,
              "filter-date.start_date", "filter-min-killed.value", "filter-period.value"]
    changed = data.draw(st.sampled_from(inputs))
    values = {changed: data.draw(json_junk)}
    stored = data.draw(st.none() | json_junk | valid_filters(ds).map(ViewState.as_dict))
    refused_cleanly(*post(cb, CONTROL, {STORE: stored, **values}, [changed]))
    refused_cleanly(*post(cb, RENDER, {STORE: stored}, [STORE]))
    refused_cleanly(*post(cb, TABLE, {STORE: stored}, [STORE]))
    chip = data.draw(st.fixed_dictionaries({"dim": TEXT, "value": json_junk}) | json_junk)
    refused_cleanly(*post(cb, CONTROL, {STORE: None, CHIP_KEY: chip}, [CHIP_KEY]))


@pytest.mark.parametrize("f", [
    Filters(district=("Atlantis",)), Filters(group=("NOPE",)), Filters(min_killed=10 ** 6),
    Filters(date_from=date(2030, 1, 1)), Filters(date_to=date(1990, 1, 1)),
    Filters(province=("Sindh",), district=("Quetta",)),
    Filters(target_type=("Church",), group=("BLA",), attack_type=("Hijacking",)),
], ids=lambda f: ViewState(f).to_query())
def test_filters_that_match_nothing_render_an_empty_view(cb, ds, f):
    assert not oracle.ids(oracle_view(ViewState(f)))
    out = answered(*post(cb, RENDER, {STORE: ViewState(f).as_dict()},
                         [STORE]))
    assert out["kpi-attacks"]["children"] == "0"
    assert out["kpi-killed"]["children"] == "0"
    check_view(cb, ds, ViewState(f))


# --------------------------------------------------------------------------- bugs found
def test_min_killed_superscript_digit_in_url_is_ignored(ds, data_values):
    state, notices = ViewState.from_query("?min_killed=²", ds.reference, data_values)
    assert state.filters.min_killed is None and any("min_killed" in n for n in notices)


@pytest.mark.parametrize("query", ["?to=2300-01-01", "?from=0001-01-01"])
def test_url_date_outside_pandas_range_renders(cb, ds, query):
    stored = controlled(cb, "url.search", **{"url.search": query})(STORE)
    answered(*post(cb, RENDER, {STORE: stored}, [STORE]))
    answered(*post(cb, TABLE, {STORE: stored}, [STORE]))


@pytest.mark.parametrize("value", [99999999999999999999, 1e20, "99999999999999999999"])
def test_min_killed_beyond_int64_answers_200(cb, value):
    out = answered(*control(cb, "filter-min-killed.value", **{"filter-min-killed.value": value,
                                                               "filter-period.value": "year"}))
    min_killed = ViewState.from_dict(out[ids.STATE]["data"]).filters.min_killed
    assert min_killed in (None, 9_999_999)


@pytest.mark.parametrize("changed, values", [
    ("filter-min-killed.value", {"filter-min-killed.value": 12345678,
                                 "filter-period.value": "year"}),
    ("filter-period.value", {"filter-period.value": "decade"}),
    ("graph-district.clickData", {"graph-district.clickData": {
        "points": [{"customdata": "Mastung,Quetta"}]}}),
], ids=["min_killed-8-digits", "period-decade", "click-value-with-comma"])
def test_controller_writes_only_urls_that_reproduce_the_view(cb, ds, data_values, changed,
                                                             values):
    page = controlled(cb, changed, **values)
    stored = ViewState.from_dict(page(STORE))
    assert ViewState.from_query(page("url.search"), ds.reference, data_values)[0] == stored


# --------------------------------------------------------------------------- data files
def valid_lines() -> tuple[str, list[str]]:
    text = INCIDENTS.read_text(encoding="utf-8")
    header, *rows = text.splitlines(keepends=True)
    return header, rows


def check_report(result, paths) -> None:
    """The invariants of a load: counts add up (rows in = accepted + left out + rejected),
    every rejected row is named by a problem, no row is both left out and rejected."""
    assert result.rows_in >= 0 and 0 <= result.accepted <= result.rows_in
    assert result.rows_in == result.accepted + len(result.left_out) + result.rejected
    assert result.rejected >= 0
    assert all(isinstance(m, str) and m for m in result.file_errors)
    for p in result.problems:
        assert str(p)  # printable
    rejecting = {(p.source, p.line) for p in result.problems if p.rejects_row}
    header_level = {s for s, line in rejecting if line == 1}
    if len(paths) == 1 and not result.file_errors:
        if header_level:
            assert result.accepted == 0
        else:
            named = {line for _, line in rejecting}
            assert len(named) == result.rejected, sorted(named)
            accepted_lines = set(result.incidents["source_line"].tolist())
            assert not accepted_lines & named
            left = {line for _, line, _, _ in result.left_out}
            assert not left & named and not left & accepted_lines
    if result.file_errors and len(paths) == 1:
        assert result.rows_in == 0 and result.accepted == 0


def csv_cells(ds):
    header, rows = valid_lines()
    sample = list(csv.DictReader(io.StringIO(header + "".join(rows[:40]))))
    junk = st.one_of(TEXT, st.sampled_from(INJECTION), st.sampled_from(
        ['"', '""', '"a""b"', "a\nb", "a\r\nb", "\r", ",", ";", "|", " | ", "\t", "\ufeff",
         "-1", "1.5", "1e400", "nan", "inf", "2020-02-30", "2099-01-01", "1960-01-01"]))
    return sample, junk


@st.composite
def csv_texts(draw, ds) -> str:
    """CSV text with random columns (unique ignoring case: duplicates have their own test),
    random quoting and newlines, cells valid or junk."""
    sample, junk = csv_cells(ds)
    names = draw(st.lists(st.one_of(st.sampled_from(COLUMNS), st.sampled_from(COLUMNS).map(
        str.upper), st.sampled_from(COLUMNS).map(lambda c: f" {c} "), TEXT),
        min_size=0, max_size=len(COLUMNS) + 3, unique_by=lambda s: s.strip().lower()))
    if draw(st.booleans()):
        names = list(dict.fromkeys([*COLUMNS, *names], None))  # every required column
        names = [n for i, n in enumerate(names)
                 if n.strip().lower() not in {m.strip().lower() for m in names[:i]}]
    out = io.StringIO()
    writer = csv.writer(out, quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL,
                                                           csv.QUOTE_NONNUMERIC])),
                        lineterminator=draw(st.sampled_from(["\n", "\r\n", "\r"])))
    writer.writerow(names)
    for _ in range(draw(st.integers(0, 8))):
        base = draw(st.sampled_from(sample))
        row = [base.get(n.strip().lower(), "") if draw(st.integers(0, 3)) else draw(junk)
               for n in names]
        if draw(st.integers(0, 5)) == 0:  # ragged row
            row = row[: draw(st.integers(0, len(row)))] + draw(st.lists(junk, max_size=2))
        writer.writerow(row)
    text = out.getvalue()
    if draw(st.integers(0, 4)) == 0:  # break the quoting by hand
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.sampled_from(['"', '\n', '"\n"', ',', '\x00', '\r'])) + text[at:]
    return text


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "latin-1", "cp1252", "utf-32"]


@settings(FUZZ, max_examples=60)
@given(content=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".xlsx", ".parquet",
                                                                  ".txt", ".CSV", ""]))
def test_random_bytes_give_a_report(tmp_path_factory, content, suffix):
    path = tmp_path_factory.mktemp("bytes") / f"random{suffix}"
    path.write_bytes(content)
    result = load_files([path])
    check_report(result, [path])


@settings(FUZZ, max_examples=150)
@given(data=st.data())
def test_random_csv_text_gives_a_report(tmp_path_factory, ds, data):
    text = data.draw(csv_texts(ds))
    encoding = data.draw(st.sampled_from(ENCODINGS))
    path = tmp_path_factory.mktemp("csv") / "fuzz.csv"
    path.write_bytes(text.encode(encoding, errors="replace"))
    result = load_files([path])
    check_report(result, [path])
    if encoding in ("utf-8", "utf-8-sig") and "\x00" not in text and not result.file_errors:
        reread = list(csv.reader(io.StringIO(text.lstrip("\ufeff"), newline="")))
        records = [r for r in reread[1:] if any(c.strip() for c in r)]
        # an unclosed quote may swallow lines, but never invent rows
        assert result.rows_in <= len(records) or not records


FIXTURES = sorted((ROOT / "tests" / "fixtures").glob("*.csv"))


@pytest.mark.skipif(not FIXTURES, reason="no export fixtures")
@settings(FUZZ, max_examples=40)
@given(data=st.data())
def test_mutated_export_files_give_a_report(tmp_path_factory, ds, data):
    """ACLED, GTD and canonical samples with junk cells, dropped columns and cut rows: the
    format detection and the importers report, never raise."""
    fixture = data.draw(st.sampled_from(FIXTURES))
    _, junk = csv_cells(ds)
    rows = list(csv.reader(io.StringIO(fixture.read_text(encoding="utf-8"), newline="")))
    header, body = rows[0], rows[1:]
    keep = [i for i in range(len(header)) if data.draw(st.integers(0, 7))]
    body = [[r[i] if i < len(r) else "" for i in keep] for r in body]
    header = [header[i] for i in keep]
    for row in body:
        for i in range(len(row)):
            if data.draw(st.integers(0, 4)) == 0:
                row[i] = data.draw(junk)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    text = out.getvalue()
    if data.draw(st.booleans()):
        text = text[: data.draw(st.integers(0, len(text)))]
    path = tmp_path_factory.mktemp("export") / fixture.name
    path.write_text(text, encoding="utf-8", errors="replace")
    check_report(load_files([path]), [path])


@settings(FUZZ, max_examples=50)
@given(cut=st.integers(0, 60_000), crlf=st.booleans())
def test_truncated_valid_file_loses_no_complete_row(tmp_path_factory, cut, crlf):
    raw = INCIDENTS.read_bytes()
    if crlf:
        raw = raw.replace(b"\n", b"\r\n")
    cut = min(cut, len(raw))
    path = tmp_path_factory.mktemp("cut") / "truncated.csv"
    path.write_bytes(raw[:cut])
    result = load_files([path])
    check_report(result, [path])
    original = pd.read_csv(INCIDENTS, dtype=str, keep_default_na=False)
    complete = raw[:cut].count(b"\n") - 1  # data rows whose line ended before the cut
    if complete > 0 and not result.file_errors:
        accepted = set(result.incidents["incident_id"])
        assert set(original["incident_id"][:complete]) <= accepted
        assert accepted <= set(original["incident_id"])


@settings(FUZZ, max_examples=40)
@given(data=st.data())
def test_cli_validate_reports_and_exit_code(tmp_path_factory, ds, data):
    """The CLI in-process: a report and a summary that agree with the loader."""
    folder = tmp_path_factory.mktemp("cli")
    paths = []
    for i in range(data.draw(st.integers(1, 3))):
        path = folder / f"f{i}{data.draw(st.sampled_from(['.csv', '.csv', '.xlsx']))}"
        if data.draw(st.booleans()):
            path.write_text(data.draw(csv_texts(ds)), encoding="utf-8", errors="replace")
        else:
            path.write_bytes(data.draw(st.binary(max_size=500)))
        paths.append(str(path))
    if data.draw(st.booleans()):
        paths.append(str(folder / "missing.csv"))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = cli_main(["validate", *paths])
    result = load_files(paths)
    lines = out.getvalue().splitlines()
    assert lines[-1] == result.summary()
    m = re.fullmatch(r"(\d+) rows: (\d+) accepted, (\d+) rejected", lines[-1])
    assert m and int(m[1]) == int(m[2]) + int(m[3])
    assert code == (2 if result.file_errors else 1 if result.rejected or any(
        p.rejects_row for p in result.problems) else 0)
    assert sum(line.startswith("error: ") for line in lines) == len(result.file_errors)


def hostile_files(folder: Path, n: int = 24) -> list[Path]:
    """A fixed, seeded set of broken files for the subprocess CLI run."""
    rnd = random.Random(7)
    header, rows = valid_lines()
    files = []
    for i in range(n):
        kind = i % 6
        if kind == 0:
            content = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(1, 2000)))
        elif kind == 1:
            body = (header + "".join(rnd.sample(rows, 5))).encode()
            content = body[: rnd.randint(1, len(body))]
        elif kind == 2:
            body = list(header + "".join(rnd.sample(rows, 5)))
            for _ in range(5):
                body.insert(rnd.randint(0, len(body)), rnd.choice(['"', "\n", ",", "\r"]))
            content = "".join(body).encode()
        elif kind == 3:
            content = (header + "".join(rnd.sample(rows, 3))).encode(
                rnd.choice(["utf-16", "latin-1", "utf-32"]), errors="replace")
        elif kind == 4:
            cols = rnd.sample(COLUMNS, rnd.randint(1, len(COLUMNS))) + ["x" * 300]
            content = (",".join(cols) + "\n" + ",".join(rnd.choice(INJECTION).replace(
                "\x00", "") for _ in cols) + "\n").encode()
        else:
            content = (header + "".join(rnd.sample(rows, 4))).encode()
        suffix = rnd.choice([".csv", ".csv", ".xlsx", ".parquet"]) if kind == 0 else ".csv"
        path = folder / f"h{i:02d}{suffix}"
        path.write_bytes(content)
        files.append(path)
    return files


def test_cli_validate_subprocess_on_broken_files(tmp_path):
    """The real command on two dozen broken files at once: a report, never a traceback."""
    files = hostile_files(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "dashboard", "validate", *map(str, files)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert "Traceback" not in proc.stderr + proc.stdout, proc.stderr[-2000:]
    assert proc.returncode in (0, 1, 2)
    result = load_files(files)
    assert result.file_errors and result.accepted  # the set holds both kinds
    assert proc.returncode == 2
    assert proc.stdout.splitlines()[-1] == result.summary()
    check_report(result, files)


@pytest.mark.parametrize("extra", ["Notes", "DATE", "KILLED "])
def test_header_with_case_duplicate_column_gives_a_report(tmp_path, extra):
    header, rows = valid_lines()
    path = tmp_path / "dup.csv"
    path.write_text(header.rstrip("\n") + f",{extra}\n" + rows[0].rstrip("\n") + ",x\n",
                    encoding="utf-8")
    result = load_files([path])
    check_report(result, [path])
    assert any(extra.strip().lower() in str(p).lower() for p in result.problems)


def test_case_duplicate_column_cli_prints_no_traceback(tmp_path):
    header, rows = valid_lines()
    path = tmp_path / "dup.csv"
    path.write_text(header.rstrip("\n") + ",Notes\n" + rows[0].rstrip("\n") + ",x\n",
                    encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "dashboard", "validate", str(path)],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert "Traceback" not in proc.stderr
    assert proc.returncode in (0, 1) and re.search(r"\d+ rows: \d+ accepted", proc.stdout)
