"""End-to-end browser tests: the real app in Debian's chromium, driven through Playwright.

Every expected number is computed here, independently of the app, from data/*.csv with pandas.
Waits are on the DOM (Playwright's `expect` retries until the condition holds or times out).
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pandas as pd
import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout, expect

ROOT = Path(__file__).resolve().parents[2]
INCIDENTS_CSV = ROOT / "data" / "incidents.csv"
DISTRICTS_CSV = ROOT / "data" / "districts.csv"
GRAPHS = ("graph-district", "graph-target", "graph-timeline", "graph-map")
SETTLE_MS = 15_000  # longest wait for one round of callbacks and redraws
SEEN_REQUESTS: list[tuple[str, str]] = []  # (test name, url) over every page of this module


# ---------------------------------------------------------------------- expected values
@pytest.fixture(scope="module")
def incidents() -> pd.DataFrame:
    df = pd.read_csv(INCIDENTS_CSV, parse_dates=["date"])
    df["districts"] = df["district"].str.split(";").map(lambda ps: [p.strip() for p in ps])
    return df


def in_districts(df: pd.DataFrame, *names: str) -> pd.DataFrame:
    return df[df["districts"].map(lambda ds: any(d in names for d in ds))]


def query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query, keep_blank_values=True)


def fmt(n) -> str:
    return f"{int(n):,}"


# ---------------------------------------------------------------------- page helpers
@pytest.fixture(autouse=True)
def _record_requests(request, page):
    """Collect every URL this module's pages requested, for the offline test."""
    yield
    SEEN_REQUESTS.extend((request.node.name, url) for url in page.requests)


def open_app(page, path: str = "/", attacks: str | None = None) -> None:
    """Load a page and wait until the KPIs and all four charts are drawn."""
    page.goto(page.base + path)
    kpi = page.locator("#kpi-attacks")
    if attacks is None:
        expect(kpi).not_to_have_text("–", timeout=SETTLE_MS)
    else:
        expect(kpi).to_have_text(attacks, timeout=SETTLE_MS)
    for gid in GRAPHS:
        expect(page.locator(f"#{gid} .main-svg").first).to_be_attached(timeout=SETTLE_MS)


def expect_kpis(page, view: pd.DataFrame) -> None:
    expect(page.locator("#kpi-attacks")).to_have_text(fmt(len(view)), timeout=SETTLE_MS)
    expect(page.locator("#kpi-killed")).to_have_text(fmt(view["killed"].sum()))
    expect(page.locator("#kpi-injured")).to_have_text(fmt(view["injured"].sum()))


# JS: the sum of one axis over a chart's drawn traces (all, or the one named `trace`).
PLOT_SUM = """([gid, axis, trace]) => {
    const gd = document.querySelector(`#${gid} .js-plotly-plot`);
    if (!gd || !gd._fullData) return null;
    return gd._fullData.filter(t => trace === null || t.name === trace)
        .flatMap(t => Array.from(t[axis] || [])).reduce((a, b) => a + b, 0);
}"""


def plot_sum(page, gid: str, axis: str, trace: str | None = None) -> float | None:
    return page.evaluate(PLOT_SUM, [gid, axis, trace])


def wait_plot_sum(page, gid: str, axis: str, expected: float, trace: str | None = None) -> None:
    """Wait for a chart to redraw to `expected`, then assert it (with the actual value)."""
    try:
        page.wait_for_function(f"([args, want]) => ({PLOT_SUM})(args) === want",
                               arg=[[gid, axis, trace], float(expected)], timeout=SETTLE_MS)
    except PlaywrightTimeout:
        pass  # the assert below reports the value actually drawn
    assert plot_sum(page, gid, axis, trace) == expected


def expect_query(page, expected: dict[str, list[str]]) -> None:
    try:
        page.wait_for_url(lambda url: query(url) == expected, timeout=SETTLE_MS)
    except PlaywrightTimeout:
        pass  # the assert below reports the URL actually shown
    assert query(page.url) == expected


def expect_query_has(page, expected: dict[str, list[str]]) -> None:
    """Wait until the URL's query holds these keys with these values, then assert it (a URL
    is read only after the wait)."""
    def holds(url: str) -> bool:
        q = query(url)
        return all(q.get(k) == v for k, v in expected.items())
    try:
        page.wait_for_url(holds, timeout=SETTLE_MS)
    except PlaywrightTimeout:
        pass  # the assert below reports the URL actually shown
    q = query(page.url)
    assert {k: q.get(k) for k in expected} == expected


def nearest_bar(page, gid: str, category: str) -> dict:
    """Centre of the non-empty bar nearest to the row whose y tick reads `category`."""
    centre = page.evaluate(
        """([gid, category]) => {
            const root = document.getElementById(gid);
            const tick = [...root.querySelectorAll('.ytick text')]
                .find(t => t.textContent === category);
            if (!tick) return null;
            const tb = tick.getBoundingClientRect();
            const row = tb.top + tb.height / 2;
            let best = null;
            for (const bar of root.querySelectorAll('g.trace.bars .point path')) {
                const b = bar.getBoundingClientRect();
                if (b.width < 2) continue;
                const d = Math.abs((b.top + b.bottom) / 2 - row);
                if (d < b.height && (!best || d < best.d))
                    best = {d, x: b.left + Math.min(b.width / 2, 20), y: (b.top + b.bottom) / 2};
            }
            return best;
        }""", [gid, category])
    assert centre, f"no bar for {category!r} in #{gid}"
    return centre


def click_bar(page, gid: str, category: str, hover_text: str | None = None) -> None:
    """Hover, then click, a bar: Plotly's drag layer takes the events, not the bar element."""
    page.locator(f"#{gid}").scroll_into_view_if_needed()
    at = nearest_bar(page, gid, category)
    page.mouse.move(at["x"], at["y"])
    expect(page.locator(f"#{gid} .hoverlayer .hovertext")).to_contain_text(
        hover_text or category)
    page.mouse.click(at["x"], at["y"])


def grid_row_count(page) -> int:
    """Rows the grid holds after its own filtering (the DOM only renders the visible ones)."""
    return page.evaluate("dash_ag_grid.getApi('grid-incidents').getDisplayedRowCount()")


def dropdown_values(page, cid: str) -> list[str]:
    return page.locator(f"#{cid}-value .dash-dropdown-value-item").all_text_contents()


# ---------------------------------------------------------------------- tests
def test_all_four_charts_draw(page):
    open_app(page, attacks="131")
    for gid in ("graph-district", "graph-target", "graph-timeline"):
        expect(page.locator(f"#{gid} .main-svg").first).to_be_visible()
        assert page.locator(f"#{gid} g.trace.bars .point path").count() > 0, gid
    geo = page.locator("#graph-map .geo")
    expect(geo).to_be_visible()
    assert geo.locator("path.choroplethlocation").count() > 0
    outline = geo.locator("g.layer.countries path").first  # drawn from the topojson file
    expect(outline).to_have_attribute("d", re.compile(".{100}"))
    assert page.base + "/assets/topojson/pakistan/asia_50m.json" in page.requests
    expect(page.locator("#coverage")).to_contain_text("131 incidents")


def test_click_district_bar_filters_everything(page, incidents):
    open_app(page, attacks="131")
    mastung = in_districts(incidents, "Mastung")
    n = len(mastung)
    assert 0 < n < 131

    click_bar(page, "graph-district", "Mastung")
    expect_kpis(page, mastung)
    note = page.locator("#grid-note")  # a status region: screen readers announce it
    expect(note).to_have_text(f"{n} incidents in view.")
    expect(note).to_have_attribute("role", "status")
    expect_query(page, {"district": ["Mastung"]})
    wait_plot_sum(page, "graph-target", "x", n)
    wait_plot_sum(page, "graph-timeline", "y", mastung["killed"].sum(), trace="Killed")
    wait_plot_sum(page, "graph-timeline", "y", mastung["injured"].sum(), trace="Injured")
    assert grid_row_count(page) == n
    rows = page.locator("#grid-incidents .ag-center-cols-container .ag-row")
    districts = rows.locator('[col-id="district"]').all_text_contents()
    assert districts and all("Mastung" in d for d in districts)

    click_bar(page, "graph-district", "Mastung")  # the same bar again clears the filter
    expect_kpis(page, incidents)
    expect_query(page, {})


COMPLETED = "() => window.dash_stores.at(-1).getState().callbacks.completed"  # Dash's count


def test_a_click_runs_one_callback(page, incidents):
    """A click is one round of callbacks: the view callback alone. Drawing the new chips,
    and a chart table's new row buttons, sets off no callback (a press listener in the page
    passes their presses on; a callback on their n_clicks ran, with Dash's loading state,
    every time a click drew new ones); their presses still filter."""
    open_app(page, attacks="131")
    page.locator("#card-target button", has_text="Table").click()
    rows = page.locator("#card-target table.chart-numbers tbody tr")
    expect(rows.first).to_be_visible(timeout=SETTLE_MS)
    page.wait_for_timeout(500)  # the table's own callback done
    before = page.evaluate(COMPLETED)
    click_bar(page, "graph-district", "Mastung")
    mastung = in_districts(incidents, "Mastung")
    expect_kpis(page, mastung)
    expect(page.locator("#chips .chip-close")).to_have_count(1)
    expect(page.locator("#card-target table.chart-numbers caption")).to_contain_text(
        "Mastung", timeout=SETTLE_MS)  # the table drawn anew for the view
    page.wait_for_timeout(1000)  # time for any callback the new buttons set off
    assert page.evaluate(COMPLETED) - before == 1
    target = rows.first.locator("button")  # a new row's button filters, as its bar does
    name = target.text_content()
    target.click()
    expect_query(page, {"district": ["Mastung"], "target": [name]})
    page.locator("#chips .chip-close[title*='Mastung']").click()  # a new chip's x too
    expect_query(page, {"target": [name]})


# Marks on a chart's computed traces and on its first axis label: plotly computes the
# traces anew when their data change, and draws the whole chart anew (its labels too) then
# and when the layout's template, meta or category order look changed.
MARK_CALCDATA = """gids => gids.forEach(gid => {
    document.querySelector(`#${gid} .js-plotly-plot`).calcdata.marked = true;
    document.querySelector(`#${gid} .ytick text`).marked = true; })"""
MARKED = """gid => !!document.querySelector(`#${gid} .js-plotly-plot`).calcdata.marked"""
TICK_KEPT = """gid => !!document.querySelector(`#${gid} .ytick text`).marked"""
# The selection's shapes as drawn, from the SVG: [fill, its opacity, stroke width] of each.
SHAPES_DRAWN = """gid => [...document.querySelectorAll(`#${gid} .layer-above .shapelayer path`)]
    .map(p => [p.style.fill, Number(p.style.fillOpacity), parseFloat(p.style.strokeWidth)])"""


def test_a_click_redraws_only_what_it_changed(page, incidents, tmp_path):
    """The clicked chart, whose bars stay as they were, draws only its selection (plotly
    keeps its computed traces and its drawing); the others, whose bars change, draw anew. The
    selection shows as a veil over the other rows (whose bars still take the pointer) and a
    frame round the chosen bar, and the chart's SVG export has the new view's frame."""
    open_app(page, attacks="131")
    page.evaluate(MARK_CALCDATA, ["graph-district", "graph-target"])
    assert page.evaluate(SHAPES_DRAWN, "graph-district") == []
    click_bar(page, "graph-district", "Mastung")
    mastung = in_districts(incidents, "Mastung")
    wait_plot_sum(page, "graph-target", "x", len(mastung))
    expect_kpis(page, mastung)
    assert page.evaluate(MARKED, "graph-district") is True
    assert page.evaluate(MARKED, "graph-target") is False
    assert page.evaluate(TICK_KEPT, "graph-district") is True  # no full redraw either
    drawn = page.evaluate(SHAPES_DRAWN, "graph-district")
    veils = [d for d in drawn if d == ["rgb(255, 255, 255)", 0.65, 0]]
    frames = [d for d in drawn if d[1:] == [0, 2]]
    rows = page.locator("#graph-district .ytick text").all_text_contents()
    at = rows.index("Mastung")  # runs of rows above and below it are veiled
    assert len(frames) == 1 and len(veils) == (at > 0) + (at < len(rows) - 1) == len(drawn) - 1
    button = page.locator("#card-district").get_by_role("button", name="Download SVG")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=30_000) as download:
        button.click()
    svg = open(download.value.path(), encoding="utf-8").read()
    assert "District: Mastung" in svg and "View: " in svg
    click_bar(page, "graph-district", "Quetta")  # a veiled bar still takes hover and click
    expect_query(page, {"district": ["Quetta"]})


def test_permalink_round_trips(page, incidents):
    path = "/?group=IS-K&district=Mastung,Quetta&from=2016-01-01&to=2025-06-01"
    view = in_districts(incidents, "Mastung", "Quetta")
    view = view[(view["group"] == "IS-K") & view["date"].between("2016-01-01", "2025-06-01")]
    open_app(page, path, attacks=fmt(len(view)))

    expect_kpis(page, view)
    assert dropdown_values(page, "filter-group") == ["IS-K"]
    assert dropdown_values(page, "filter-district") == ["Mastung", "Quetta"]
    expect(page.locator("#filter-date")).to_have_value("2016-01-01")
    expect(page.locator("#filter-date-end-date")).to_have_value("2025-06-01")
    expect(page.locator("#chips .chip")).to_have_count(4)
    expect(page.locator("#chips .chip-close")).to_have_count(4)
    expect_query(page, query(path))


def test_malformed_url_is_ignored_with_a_notice(page):
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    open_app(page, "/?group=NOPE&from=2020-13-45&zzz=1&district=<script>alert(1)</script>",
             attacks="131")

    notice = page.locator("#url-notice")
    expect(notice).to_be_visible()
    for item in ("NOPE", "2020-13-45", "zzz", "<script>alert(1)</script>"):
        expect(notice).to_contain_text(item)
    assert notice.locator("script").count() == 0
    for gid in ("graph-district", "graph-target", "graph-timeline"):
        assert page.locator(f"#{gid} g.trace.bars .point path").count() > 0, gid
    assert page.locator("#graph-map path.choroplethlocation").count() > 0
    page.wait_for_load_state("networkidle")
    assert dialogs == []


def test_timeline_box_select_sets_date_range(page, incidents):
    open_app(page, attacks="131")
    page.locator("#graph-timeline").scroll_into_view_if_needed()
    box = page.locator("#graph-timeline .nsewdrag").first.bounding_box()
    y = box["y"] + box["height"] / 2
    page.mouse.move(box["x"] + box["width"] * 0.35, y)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.65, y, steps=10)
    page.mouse.up()

    page.wait_for_url(lambda url: {"from", "to"} <= set(query(url)), timeout=SETTLE_MS)
    q = query(page.url)
    lo, hi = q["from"][0], q["to"][0]
    assert lo < hi
    view = incidents[incidents["date"].between(lo, hi)]
    assert 0 < len(view) < 131
    expect_kpis(page, view)
    expect(page.locator("#filter-date")).to_have_value(lo)
    expect(page.locator("#filter-date-end-date")).to_have_value(hi)


def test_chip_close_removes_its_filter(page, incidents):
    isk = incidents[incidents["group"] == "IS-K"]
    open_app(page, "/?group=IS-K", attacks=fmt(len(isk)))
    expect(page.locator("#chips .chip")).to_have_count(1)
    with page.expect_response(lambda r: "/_dash-update-component" in r.url) as response:
        page.locator("#chips .chip-close").click()
    assert response.value.ok, f"callback answered HTTP {response.value.status}"
    expect(page.locator("#kpi-attacks")).to_have_text("131", timeout=SETTLE_MS)
    expect_query(page, {})
    assert dropdown_values(page, "filter-group") == []


def test_reset_clears_every_filter(page, incidents):
    bal = incidents[(incidents["province"] == "Balochistan") & (incidents["killed"] >= 5)
                    & (incidents["date"] >= "2020-01-01")]
    open_app(page, "/?province=Balochistan&min_killed=5&period=month&from=2020-01-01",
             attacks=fmt(len(bal)))
    expect(page.locator("#chips .chip")).to_have_count(3)
    page.locator("#reset").click()
    expect_kpis(page, incidents)
    expect_query(page, {})
    expect(page.locator("#chips")).to_have_text("No filters: all incidents.")
    assert dropdown_values(page, "filter-province") == []
    expect(page.locator("#filter-min-killed")).to_have_value("")
    expect(page.locator("#filter-date")).to_have_value("")
    expect(page.locator("#filter-period input[value=year]")).to_be_checked()


def test_grid_row_opens_modal_with_all_sources(page, incidents):
    open_app(page, attacks="131")
    expect(page.locator("#grid-note")).to_have_text("131 incidents in view.")
    assert grid_row_count(page) == 131
    page.locator("#grid-incidents").scroll_into_view_if_needed()  # rows render when seen
    rows = page.locator("#grid-incidents .ag-center-cols-container .ag-row")
    expect(rows.first).to_be_visible(timeout=SETTLE_MS)
    sources = incidents.set_index("incident_id")["source_urls"].map(
        lambda cell: [u.strip() for u in cell.split("|") if u.strip()])
    shown = [r.get_attribute("row-id") for r in rows.all()]
    incident = max(shown, key=lambda i: len(sources[i]))  # the most-sourced visible row
    assert len(sources[incident]) >= 2
    cell = page.locator(f'#grid-incidents .ag-row[row-id="{incident}"] [col-id="sources"] a')
    assert [a.get_attribute("href") for a in cell.all()] == sources[incident]
    assert cell.all_text_contents() == [f"{i}. {u.split('/')[2]}"
                                        for i, u in enumerate(sources[incident], 1)]
    assert {a.get_attribute("target") for a in cell.all()} == {"_blank"}

    page.locator(f'#grid-incidents .ag-row[row-id="{incident}"] [col-id="date"]').click()
    expect(page.locator("#incident-modal")).to_be_visible()
    expect(page.locator("#incident-title")).to_have_text(incident)
    links = page.locator("#incident-detail a")
    expect(links).to_have_count(len(sources[incident]))
    hrefs = [a.get_attribute("href") for a in links.all()]
    assert hrefs == sources[incident]
    assert all(h.startswith(("http://", "https://")) for h in hrefs)


def test_sources_column_filters_by_a_host(page, incidents):
    """The Sources cell holds the row's URLs (drawn as links): the column's text filter
    matches them, and the grid has nothing to warn about."""
    warnings = []
    page.on("console", lambda m: warnings.append(m.text) if "AG Grid" in m.text else None)
    open_app(page, attacks="131")
    page.locator("#grid-incidents").scroll_into_view_if_needed()
    expect(page.locator("#grid-incidents .ag-row").first).to_be_visible(timeout=SETTLE_MS)
    page.evaluate("""() => {
        const api = dash_ag_grid.getApi('grid-incidents');
        return api.setColumnFilterModel('sources', {filterType: 'text', type: 'contains',
                                                    filter: 'dawn.com'})
            .then(() => api.onFilterChanged()); }""")
    expected = int(incidents["source_urls"].str.contains("dawn.com", regex=False).sum())
    assert 0 < expected < 131
    page.wait_for_function(f"dash_ag_grid.getApi('grid-incidents').getDisplayedRowCount()"
                           f" === {expected}", timeout=SETTLE_MS)
    cells = page.locator('#grid-incidents .ag-center-cols-container [col-id="sources"]')
    assert all("dawn.com" in c for c in cells.all_text_contents())
    assert warnings == []


def test_province_lists_all_its_districts(page, incidents):
    gazetteer = pd.read_csv(DISTRICTS_CSV)
    balochistan = sorted(gazetteer.loc[gazetteer["province"] == "Balochistan", "district"])
    assert len(balochistan) == 36
    view = incidents[incidents["province"] == "Balochistan"]
    open_app(page, "/?province=Balochistan", attacks=fmt(len(view)))

    links = view["districts"].map(lambda ds: sum(d in balochistan for d in ds)).sum()
    wait_plot_sum(page, "graph-district", "x", links)  # an attack counts in each district
    page.locator("#filter-district").click()
    options = page.locator("[role=listbox] [role=option]")
    expect(options).to_have_count(36)
    assert sorted(options.all_text_contents()) == balochistan
    page.keyboard.press("Escape")

    axis = page.evaluate(
        """() => {
            const ax = document.querySelector('#graph-district .js-plotly-plot')
                ._fullLayout.yaxis;
            const cats = Array.from(ax.categoryarray || []);
            const [lo, hi] = [Math.min(...ax.range), Math.max(...ax.range)];
            return {categories: cats,
                    shown: cats.filter(c => lo < ax.d2c(c) && ax.d2c(c) < hi),
                    ticks: [...document.querySelectorAll('#graph-district .ytick text')]
                        .map(t => t.textContent)};
        }""")
    assert sorted(axis["categories"]) == balochistan
    assert set(axis["ticks"]) <= set(balochistan)
    assert sorted(axis["shown"]) == balochistan, \
        f"not on the chart: {sorted(set(balochistan) - set(axis['shown']))}"


def test_charts_use_the_briefing_look(page):
    """On screen the compact frame (smaller type, same family); exports keep the briefing
    frame's type (tests/e2e/test_screen.py)."""
    from dashboard.figures import BRIEFING, SCREEN_FONT
    font = BRIEFING["layout"]["font"]
    open_app(page, attacks="131")
    for gid in GRAPHS:
        drawn = page.evaluate(
            "gid => document.querySelector(`#${gid} .js-plotly-plot`)._fullLayout.font",
            gid)
        assert (drawn["size"], drawn["family"]) == (SCREEN_FONT, font["family"]), gid


def test_offline_no_request_leaves_the_app(page):
    """Over every page load of this module (and one more here), nothing left the app."""
    open_app(page, "/?province=Balochistan&period=month", attacks=None)
    page.wait_for_load_state("networkidle")
    seen = SEEN_REQUESTS + [("test_offline_no_request_leaves_the_app", u)
                            for u in page.requests]
    assert seen
    foreign = [(test, url) for test, url in seen
               if not url.startswith((page.base + "/", "data:", "blob:", "about:"))]
    assert foreign == []
    plotly = {url.split("?")[0].rsplit("/", 1)[-1] for _, url in seen if "plotly" in url}
    assert plotly == {"plotly-partial.min.js"}  # the app's partial bundle, not Dash's full one


NATIVE = """() => {
    const frame = document.body.appendChild(document.createElement('iframe'));
    const source = frame.contentWindow.Function.prototype.toString;  // a fresh realm's
    const fns = {parseFloat, parseInt, 'Number.parseFloat': Number.parseFloat,
                 'Number.parseInt': Number.parseInt, trim: ''.trim, trimEnd: ''.trimEnd,
                 Promise, 'Array.from': Array.from, 'Object.assign': Object.assign};
    const out = {regenerator: typeof regeneratorRuntime, setImmediate: typeof setImmediate};
    for (const [name, fn] of Object.entries(fns))
        out[name] = /\\[native code\\]\\s*}$/.test(source.call(fn));
    frame.remove();
    return out;
}"""


def test_the_page_runs_on_the_browsers_own_functions(page):
    """No Babel polyfill (core-js) replaces the browser's functions: the charts, dropdowns
    and table drew on its own parseFloat, trims, Promise..., and the one part of the
    polyfill Dash calls, regeneratorRuntime, is the app's asset."""
    open_app(page, "/", attacks=None)
    page.locator("#filter-district").click()  # a lazily loaded component (regenerator)
    expect(page.locator("[role=listbox] [role=option]").first).to_be_visible()
    page.keyboard.press("Escape")
    assert page.evaluate(NATIVE) == {
        "regenerator": "object", "setImmediate": "undefined", "parseFloat": True,
        "parseInt": True, "Number.parseFloat": True, "Number.parseInt": True, "trim": True,
        "trimEnd": True, "Promise": True, "Array.from": True, "Object.assign": True}
    assert page.evaluate("parseFloat(' \\u00a0-2.5e3px') + parseInt('\\t0x1F') + "
                         "' a '.trim().length") == -2500 + 31 + 1


def test_briefing_pack_button_delivers_the_zip(page, incidents, tmp_path):
    import zipfile
    view = incidents[incidents["group"] == "IS-K"]
    view = in_districts(view, "Mastung")
    open_app(page, "/?group=IS-K&district=Mastung", attacks=fmt(len(view)))
    with page.expect_download(timeout=60_000) as download:
        page.locator("#export-pack").click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    assert path.name.startswith("briefing_district-Mastung_group-IS-K_")
    with zipfile.ZipFile(path) as zf:
        names = sorted(n.split("/", 1)[1] for n in zf.namelist())
        assert names[:4] == ["01_district.png", "02_target.png", "03_timeline.png",
                             "04_map.png"]
        assert names[-3:] == ["briefing.pptx", "incidents.csv", "sources.md"]
        assert len(names) == 14
        rows = zf.read(next(n for n in zf.namelist() if n.endswith("incidents.csv")))
    ids = {line.split(",", 1)[0] for line in rows.decode().strip().splitlines()[1:]}
    assert ids == set(view["incident_id"])
    expect(page.locator("#export-status")).to_contain_text("Downloaded briefing_")


# ---------------------------------------------------------------------- analyst views
def open_view(page, tab: str, graph: str, path: str = "") -> None:
    page.goto(page.base + f"/?view={tab}" + path)
    expect(page.locator(f"#{graph} g.trace.bars .point path").first).to_be_attached(
        timeout=SETTLE_MS)


def test_group_comparison_view_cross_filters(page, incidents):
    open_view(page, "compare", "graph-compare-districts")
    expect(page.locator("#graph-compare-districts .gtitle")).to_contain_text("hit by both")
    expect(page.locator("#graph-compare-years g.trace.bars .point path").first).to_be_attached()
    click_bar(page, "graph-compare-districts", "Quetta (both)", "Quetta")
    quetta = in_districts(incidents, "Quetta")
    expect_kpis(page, quetta)
    expect_query(page, {"district": ["Quetta"], "view": ["compare"]})
    # the rule note is in the subtitle: wait on that element, the one the switch changes
    note = page.locator("#graph-compare-districts .gtitle-subtitle")
    expect(note).to_contain_text("at least 5 killed", timeout=SETTLE_MS)
    page.locator("#compare-rule").click()  # drop the common rule: more IS attacks count
    expect(note).to_contain_text("No common rule", timeout=SETTLE_MS)
    expect(note).not_to_contain_text("at least 5 killed")
    expect(page).to_have_url(re.compile(r"[?&]rule=off(&|$)"), timeout=SETTLE_MS)
    expect_query(page, {"district": ["Quetta"], "view": ["compare"], "rule": ["off"]})


def test_published_view_drills_into_its_incidents(page, incidents):
    open_view(page, "published", "graph-published")
    expect(page.locator("#grid-published .ag-row")).to_have_count(8, timeout=SETTLE_MS)
    click_bar(page, "graph-published", "IS-K, Mastung district: attacks", "Mastung")
    view = in_districts(incidents, "Mastung")
    view = view[view["group"].isin(["IS-K", "ISPP"])
                & view["date"].between("2016-01-01", "2025-06-01")]
    expect_kpis(page, view)
    expect_query_has(page, {"district": ["Mastung"], "group": ["IS-K,ISPP"],
                            "view": ["published"]})
    expect(page.locator("#grid-note")).to_have_text(f"{len(view)} incidents in view.")


def test_target_trends_view_cross_filters(page, incidents):
    open_view(page, "targets", "graph-human-targets", "&group=IS-K")
    expect(page.locator("#graph-target-share g.trace.bars .point path").first).to_be_attached()
    click_bar(page, "graph-human-targets", "Political", "Political")
    view = incidents[(incidents["group"] == "IS-K") & (incidents["target_type"] == "Political")]
    expect_kpis(page, view)
    expect_query(page, {"group": ["IS-K"], "target": ["Political"], "view": ["targets"]})


def test_tabs_switch_views_and_keep_the_url(page):
    open_app(page, "/?group=BLA", attacks=None)
    expect(page.locator("#graph-district .main-svg").first).to_be_attached(timeout=SETTLE_MS)
    expect(page.locator("#graph-compare-districts")).to_have_count(0)  # built when opened
    page.get_by_role("tab", name="Group comparison").click()
    expect(page.locator("#graph-compare-districts g.trace.bars .point path").first) \
        .to_be_attached(timeout=SETTLE_MS)
    expect_query(page, {"group": ["BLA"], "view": ["compare"]})
    page.get_by_role("tab", name="Overview").click()
    expect_query(page, {"group": ["BLA"]})
    expect(page.locator("#graph-district")).to_be_visible()
    expect(page.locator("#graph-compare-districts")).to_be_hidden()  # kept, not shown
    expect(page.locator("#graph-compare-districts g.trace.bars").first).to_be_attached()


def test_svg_download_of_a_chart(page):
    open_app(page, "/?group=IS-K", attacks=None)
    button = page.locator("#card-target").get_by_role("button", name="Download SVG")
    button.scroll_into_view_if_needed()
    with page.expect_download(timeout=30_000) as download:
        button.click()
    name = download.value.suggested_filename
    assert name.startswith("target_group-IS-K_") and name.endswith(".svg")
    path = download.value.path()
    svg = open(path, encoding="utf-8").read()
    assert svg.startswith("<svg") and "IS-K attacks by target type" in svg
    # the briefing frame: the footer with lineage and the view's link, not the compact foot
    assert "sources per incident in the table" in svg and "View: " in svg
