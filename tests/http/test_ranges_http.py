"""Ranges and precision over the HTTP callback API, on a synthetic copy of the data with
ranges (tests/ranged.py), checked against the oracle (plain pandas, no dashboard code)."""
from __future__ import annotations

import csv

import pytest

from tests import app_view, oracle
from tests.ranged import RANGED_ID, write_ranged

QUERIES = ["", "group=IS-K,ISPP&province=Balochistan", "from=2016-08-08&to=2016-08-08",
           "precise=on", "precise=on&province=Khyber Pakhtunkhwa", "min_killed=5&precise=on",
           "period=month&from=2024-01-01", "group=BRAS&province=KP"]


@pytest.fixture(scope="module")
def ranged(tmp_path_factory):
    return write_ranged(tmp_path_factory.mktemp("ranged") / "incidents.csv")


@pytest.fixture(scope="module")
def rds(ranged):
    from dashboard.data.loading import load_dataset
    return load_dataset([ranged])


@pytest.fixture(scope="module")
def rcb(rds):
    from dashboard.app import create_app
    from harness.dash_http import flask_callbacks
    return flask_callbacks(create_app(dataset=rds))


@pytest.fixture(scope="module")
def odf(ranged):
    return oracle.load(ranged)


@pytest.mark.parametrize("query", QUERIES)
def test_kpis_give_the_sources_range_as_the_oracle(rcb, odf, query):
    assert app_view.kpis(rcb, query) == {**oracle.kpi_texts(oracle.parse(query), odf),
                                         "kpi-unknown-note": "rows with killed or injured unknown"}


def test_kpi_range_words_for_one_incident(rcb):
    k = app_view.kpis(rcb, "from=2016-08-08&to=2016-08-08")
    assert (k["kpi-killed"], k["kpi-killed-note"]) == ("74", "sources range 70 to 94")
    assert k["kpi-injured-note"] == "sources range 92 to 130"


@pytest.mark.parametrize("query", QUERIES)
def test_precise_filter_keeps_the_oracle_rows(rcb, odf, query):
    rows, note = app_view.grid(rcb, query)
    expected = set(oracle.select(oracle.parse(query), df=odf)["incident_id"])
    assert {r["incident_id"] for r in rows} == expected
    assert note == f"{len(expected):,} incidents in view."


def test_precise_filter_drops_unknown_precision(odf):
    sel = oracle.select(oracle.parse("precise=on"), df=odf)
    assert 0 < len(sel) < len(odf)


def test_table_shows_each_rows_range(rcb, odf):
    rows, _ = app_view.grid(rcb, "")
    by_id = odf.set_index("incident_id")
    for r in rows:
        for count in ("killed", "injured"):
            best, lo, hi = (by_id.at[r["incident_id"], c] for c in
                            (count, f"{count}_low", f"{count}_high"))
            differs = best == best and not lo == best == hi  # best == best: known
            assert r.get(f"{count}_range") == (f"{int(lo)}-{int(hi)}" if differs else None)
    assert next(r for r in rows if r["incident_id"] == RANGED_ID)["killed_range"] == "70-94"


@pytest.mark.parametrize("query", ["", "province=Balochistan", "precise=on",
                                   "period=month&from=2023-01-01"])
def test_timeline_hover_and_note_match_the_oracle(rds, odf, query):
    view = oracle.parse(query)
    fig = app_view.figures_for(rds, query, ["timeline"])["timeline"]
    table = oracle.timeline(view, odf)
    for trace, count in zip(fig.data, ("killed", "injured")):
        assert [c[2] for c in trace.customdata] == [
            oracle.range_words(r[count], r[f"{count}_low"], r[f"{count}_high"])
            for r in table.to_dict("records")]
    note = oracle.timeline_note(view, odf)
    assert note and fig.layout.title.subtitle.text.endswith(f"<br>{note}")


def test_map_notes_rows_at_province_level(rds, odf):
    fig = app_view.figures_for(rds, "province=Balochistan", ["map"])["map"]
    n = int(oracle.select(oracle.parse("province=Balochistan"), ("district",),
                          df=odf)["province_level"].sum())
    notes = " ".join(a.text for a in fig.layout.annotations)
    assert n and f"{n} attacks in view placed at province level only" in notes
    quetta = next(t for t in fig.data[0].text if t.startswith("<b>Quetta</b>"))
    assert "killed: sources range" in quetta


def test_details_say_which_figure_and_precision(rcb, rds):
    out, _ = rcb.call("incident-modal.is_open",
                      {"grid-incidents.cellClicked": {"rowId": RANGED_ID}},
                      ["grid-incidents.cellClicked"])
    detail = str(out["incident-detail"]["children"])
    assert "74 (sources range 70 to 94; see the notes)" in detail
    assert "120 (sources range 92 to 130; see the notes)" in detail
    assert "'Date precision'" in detail and "'day'" in detail and "'town'" in detail
    assert "Notes (which source gives which figure)" in detail


def test_pack_csv_carries_the_four_columns(rds, ranged, tmp_path):
    got = app_view.pack_csv(rds, "from=2016-08-08&to=2016-08-08", tmp_path)
    with open(ranged, newline="", encoding="utf-8") as f:
        given = {r["incident_id"]: r for r in csv.DictReader(f)}
    for row in got:
        for c in ("killed_low", "killed_high", "injured_low", "injured_high",
                  "date_precision", "place_precision"):
            assert row[c] == given[row["incident_id"]][c]
    assert {r["incident_id"]: r["killed_low"] for r in got}[RANGED_ID] == "70"


def test_precise_switch_url_and_chip(rcb):
    out, _ = rcb.call(app_view.STORE, {"url.search": "?precise=on", app_view.STORE: None},
                      ["url.search"])
    assert out["filter-precise"]["value"] is True
    assert "url" not in out  # the URL typed is the view's own link: not sent again
    state = out["view-state"]["data"]
    assert state["filters"]["precise"] is True
    render = app_view.render(rcb, "precise=on")
    assert "Precise rows only (exact day; town or district)" in str(render["chips"]["children"])
    out, _ = rcb.call(app_view.STORE, {"filter-precise.value": False, "compare-rule.value": True,
                                       "filter-events.value": True, app_view.STORE: state}, ["filter-precise.value"])
    assert out["view-state"]["data"]["filters"]["precise"] is False
    assert out["url"]["search"] == ""
