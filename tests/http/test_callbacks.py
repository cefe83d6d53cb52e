"""Callbacks through Dash's HTTP API (Flask test client): no browser, the real wiring."""
from pathlib import Path

import pandas as pd

from dashboard.filters import Filters, ViewState
from dashboard import ids
from harness.dash_http import applied
from tests import app_view

ROOT = Path(__file__).resolve().parents[2]
STORE = f"{ids.STATE}.data"  # the browser's store of the view state

CONTROL = STORE
RENDER = "kpi-attacks.children"
TABLE = app_view.GRID_ROWS


def control(cb, changed, stored=None, **values):
    inputs = {STORE: ViewState(stored or Filters()).as_dict(), **values}
    out, _ = cb.call(CONTROL, inputs, [changed])
    return out


def test_url_sets_filters_controls_and_clean_url(cb):
    out = control(cb, "url.search", **{"url.search": "?group=iskp&district=Mastung&zzz=1"})
    f = ViewState.from_dict(out[ids.STATE]["data"]).filters
    assert f.group == ("IS-K",) and f.district == ("Mastung",)
    assert out["filter-group"]["value"] == ["IS-K"]
    assert out["filter-district"]["value"] == ["Mastung"]
    assert out["url"]["search"] == "?district=Mastung&group=IS-K"
    assert out["url-notice"]["is_open"] is True
    assert "zzz" in str(out["url-notice"]["children"])


def test_bar_click_sets_district_and_second_click_clears(cb):
    click = {"points": [{"y": "Mastung", "x": 8, "customdata": "Mastung"}]}
    out = control(cb, "graph-district.clickData", **{"graph-district.clickData": click})
    f = ViewState.from_dict(out[ids.STATE]["data"]).filters
    assert f.district == ("Mastung",)
    assert out["graph-district"]["clickData"] is None  # ready for the next click
    out = control(cb, "graph-district.clickData", stored=f,
                  **{"graph-district.clickData": click})
    assert ViewState.from_dict(out[ids.STATE]["data"]).filters.district == ()


def test_map_and_target_clicks(cb):
    out = control(cb, "graph-map.clickData",
                  **{"graph-map.clickData": {"points": [{"customdata": "Quetta"}]}})
    assert ViewState.from_dict(out[ids.STATE]["data"]).filters.district == ("Quetta",)
    out = control(cb, "graph-target.clickData",
                  **{"graph-target.clickData": {"points": [{"customdata": "Shrine"}]}})
    assert ViewState.from_dict(out[ids.STATE]["data"]).filters.target_type == ("Shrine",)


def test_timeline_box_selection_sets_dates(cb):
    selected = {"points": [], "range": {"x": ["2023-06-15 12:00", "2018-02-01"]}}
    out = control(cb, "graph-timeline.selectedData", **{"graph-timeline.selectedData": selected})
    f = ViewState.from_dict(out[ids.STATE]["data"]).filters
    assert (str(f.date_from), str(f.date_to)) == ("2018-02-01", "2023-06-15")
    assert out["url"]["search"] == "?from=2018-02-01&to=2023-06-15"


def test_controls_set_filters(cb):
    out = control(cb, "filter-group.value", **{"filter-group.value": ["BLA"],
                                               "filter-min-killed.value": 10,
                                               "filter-date.start_date": "2020-01-01",
                                               "filter-period.value": "month"})
    state = ViewState.from_dict(out[ids.STATE]["data"])
    f = state.filters
    assert f.group == ("BLA",) and f.min_killed == 10 and state.display.period == "month"
    assert str(f.date_from) == "2020-01-01"


def test_reset_clears_everything(cb):
    out = control(cb, "reset.n_clicks", stored=Filters(group=("BLA",), min_killed=3),
                  **{"reset.n_clicks": 1})
    assert ViewState.from_dict(out[ids.STATE]["data"]) == ViewState()
    assert out["url"]["search"] == ""


def test_render_numbers_match_pandas(cb):
    f = Filters(group=("IS-K", "ISPP"), province=("Balochistan",))
    out, size = cb.call(RENDER, {STORE: ViewState(f).as_dict()}, [STORE])
    raw = pd.read_csv("data/incidents.csv", dtype=str, keep_default_na=False)
    sel = raw[raw["group"].isin(["IS-K", "ISPP"]) & (raw["province"] == "Balochistan")]
    killed = pd.to_numeric(sel["killed"].replace("", None)).sum()
    assert out["kpi-attacks"]["children"] == str(len(sel))
    assert out["kpi-killed"]["children"] == f"{int(killed):,}"
    assert "2 attacks with injured unknown" in out["kpi-injured-note"]["children"]
    chips = str(out["chips"]["children"])
    assert "Group: IS-K" in chips and "Province: Balochistan" in chips
    options = [o["value"] for o in out["filter-district"]["options"]]
    assert len(options) == 36 and "Mastung" in options
    assert size < 100_000


def test_table_rows_and_links(cb):
    out, _ = cb.call(TABLE, {STORE:
                         ViewState(Filters(district=("Mastung",))).as_dict()},
                     [STORE])
    rows = app_view.table_rows(out)
    raw = pd.read_csv("data/incidents.csv", dtype=str, keep_default_na=False)
    expected = raw[raw["district"].str.split("; ").map(lambda ds: "Mastung" in ds)]
    assert sorted(r["incident_id"] for r in rows) == sorted(expected["incident_id"])
    assert f"{len(expected)} incidents in view" in out["grid-note"]["children"]
    urls = expected.set_index("incident_id")["source_urls"].map(
        lambda cell: [u.strip() for u in cell.split("|") if u.strip()])
    assert all(r["sources"] == urls[r["incident_id"]] for r in rows)
    assert [r["date"] for r in rows] == sorted((r["date"] for r in rows), reverse=True)


def test_row_click_opens_details_with_every_source(cb, ds):
    row = ds.incidents.iloc[0]
    out, _ = cb.call("incident-modal.is_open",
                     {"grid-incidents.cellClicked": {"rowId": row["incident_id"]}},
                     ["grid-incidents.cellClicked"])
    assert out["incident-modal"]["is_open"] is True
    detail = str(out["incident-detail"]["children"])
    for url in row["source_urls"].split(" | "):
        assert f"'href': '{url}'" in detail


def test_healthz(app):
    r = app.server.test_client().get("/healthz")
    assert r.status_code == 200 and r.json == {"status": "ok", "incidents": 131}


def test_bootstrap_css_is_served_locally(app):
    r = app.server.test_client().get("/vendor/bootstrap/bootstrap.min.css")
    assert r.status_code == 200 and b"Bootstrap" in r.data[:200]


def test_imported_rows_without_urls_show_their_cited_sources():
    from dashboard.callbacks.table import grid_rows
    row = pd.DataFrame({"incident_id": ["X-1"], "date": pd.to_datetime(["2024-01-02"]),
                        "district": ["Quetta"], "group": ["BLA"], "attribution": ["claimed"],
                        "target_type": ["Civilians"], "attack_type": ["Other"],
                        "killed": pd.array([None], dtype="Int64"),
                        "injured": pd.array([2], dtype="Int64"), "source_urls": [""],
                        "source_text": ["Dawn; [x](javascript:alert(1))"]})
    cell = app_view.records(grid_rows(row))[0]
    assert "killed" not in cell and cell["injured"] == 2  # unknown: left out, shown "unknown"
    assert "sources" not in cell  # no URL: no link
    assert cell["source_text"] == "Dawn; [x](javascript:alert(1))"  # drawn as text


def test_answers_and_assets_are_compressed_for_a_browser_that_takes_it(server):
    """The served app (a real server: Flask's test client skips compression) sends the
    plotly bundle compressed (brotli here; Chromium takes zstd first), decompressing to
    exactly the file, and uncompressed to a client that does not ask."""
    import brotli
    import requests
    bundle = (ROOT / "assets" / "plotly" / "plotly-partial.min.js").read_bytes()
    url = server + "/assets/plotly/plotly-partial.min.js"
    got = requests.get(url, headers={"Accept-Encoding": "br"}, stream=True, timeout=60)
    assert got.headers["Content-Encoding"] == "br"
    body = got.raw.read()
    assert len(body) < len(bundle) / 2 and brotli.decompress(body) == bundle
    plain = requests.get(url, headers={"Accept-Encoding": "identity"}, stream=True, timeout=60)
    assert "Content-Encoding" not in plain.headers and plain.raw.read() == bundle


def test_a_click_sends_only_what_changes_on_the_page(cb):
    """The page applies every output it is sent (a store update and a re-render each): a
    control that already shows its value, a chart click already cleared, a number, chip or
    table row the page already shows are not sent again."""
    loaded, _ = cb.call(CONTROL, {"url.search": ""}, ["url.search"])
    page = applied({}, loaded)
    click = {"points": [{"y": "Mastung", "x": 8, "customdata": "Mastung"}]}
    page["graph-district.clickData"] = click
    first, _ = cb.call(CONTROL, page, ["graph-district.clickData"])
    assert first["graph-district"]["clickData"] is None  # ready for the next click
    assert first["filter-district"]["value"] == ["Mastung"]
    assert first["kpi-attacks"]["children"] == str(incidents_in("Mastung"))
    for cid in ("filter-group", "filter-date", "filter-period", "view-tabs", "url-notice"):
        assert cid not in first, (cid, first.get(cid))  # the page shows these already
    assert "clickData" not in first["graph-map"]  # not clicked: nothing to clear
    page = applied(page, first)
    again, _ = cb.call(CONTROL, page, [STORE])  # the same view, from the page that has it
    for cid in ("kpi-attacks", "kpi-killed", "chips", "grid-incidents", "grid-note",
                "export-name", "graph-district", "filter-district", "view-state", "url"):
        assert cid not in again, (cid, again.get(cid))
    page["filter-district.value"] = ["Quetta"]  # a new view: its numbers and rows sent
    moved, _ = cb.call(CONTROL, page, ["filter-district.value"])
    assert moved["kpi-attacks"]["children"] == str(incidents_in("Quetta"))
    assert "chips" in moved
    rows = app_view.table_rows(moved)  # the rows whole, as one value
    assert len(rows) == incidents_in("Quetta")
    assert all("Quetta" in r["district"] and r["sources"] for r in rows)
    assert "filter-district" not in moved  # it shows Quetta already


def incidents_in(district: str) -> int:
    df = pd.read_csv(ROOT / "data" / "incidents.csv", dtype=str, keep_default_na=False)
    return int(df["district"].map(lambda d: district in [p.strip() for p in d.split(";")]).sum())
