"""One screen (issue 12): the overview's numbers and four linked charts fit the window at
1920x1080 and 1440x900 without scrolling; the filter panel collapses; a real mouse click
inside Quetta's polygon filters everything to Quetta; exports keep the briefing frame.

Expected numbers come from data/incidents.csv; the point inside Quetta from the GeoJSON in
assets/geo/, with a plain ray-casting test, not from app code.
"""
from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pandas as pd
import pytest
from PIL import Image, ImageChops
from playwright.sync_api import expect

ROOT = Path(__file__).resolve().parents[2]
CARDS = ("card-district", "card-target", "card-timeline", "card-map")
SETTLE_MS = 15_000
QUETTA = "PK226"


def incidents_naming(name: str) -> int:
    df = pd.read_csv(ROOT / "data" / "incidents.csv", dtype=str, keep_default_na=False)
    return int(df["district"].map(lambda d: name in [p.strip() for p in d.split(";")]).sum())


def _inside(x: float, y: float, ring: list) -> bool:
    hit = False
    for (x0, y0), (x1, y1) in zip(ring, ring[1:]):
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            hit = not hit
    return hit


def point_inside(pcode: str) -> tuple[float, float]:
    """A (lon, lat) well inside a polygon: of a 25x25 grid over its box, the inside point
    farthest from the polygon's edge vertices."""
    features = json.loads((ROOT / "assets" / "geo" / "districts.geojson").read_text())
    geom = next(f["geometry"] for f in features["features"]
                if f["properties"]["adm2_pcode"] == pcode)
    ring = geom["coordinates"][0] if geom["type"] == "Polygon" else geom["coordinates"][0][0]
    xs, ys = [p[0] for p in ring], [p[1] for p in ring]
    best = None
    for i in range(1, 25):
        for j in range(1, 25):
            x = min(xs) + (max(xs) - min(xs)) * i / 25
            y = min(ys) + (max(ys) - min(ys)) * j / 25
            if _inside(x, y, ring):
                d = min((x - a) ** 2 + (y - b) ** 2 for a, b in ring)
                if best is None or d > best[0]:
                    best = (d, x, y)
    assert best, pcode
    return best[1], best[2]


@pytest.fixture
def sized(browser, server):
    contexts = []

    def open_at(width: int, height: int, path: str = "/"):
        context = browser.new_context(viewport={"width": width, "height": height},
                                      accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.goto(server + path)
        expect(page.locator("#kpi-attacks")).not_to_have_text("–", timeout=2 * SETTLE_MS)
        return page
    yield open_at
    for c in contexts:
        c.close()


def boxes(page, selectors: list[str]) -> list[dict]:
    return page.evaluate("""sels => sels.map(s => {
        const r = document.querySelector(s).getBoundingClientRect();
        return {s, x: r.left, y: r.top, w: r.width, h: r.height};
    })""", selectors)


def overlap(a: dict, b: dict) -> bool:
    return (a["x"] < b["x"] + b["w"] - 1 and b["x"] < a["x"] + a["w"] - 1
            and a["y"] < b["y"] + b["h"] - 1 and b["y"] < a["y"] + a["h"] - 1)


def check_one_screen(page, width: int, height: int, cards) -> list[dict]:
    kpis = [f"#{k}" for k in ("kpi-attacks", "kpi-killed", "kpi-injured", "kpi-unknown")]
    kpi_cards = page.evaluate("""ids => ids.map(i => {
        const r = document.querySelector(i).closest('.card').getBoundingClientRect();
        return {s: i, x: r.left, y: r.top, w: r.width, h: r.height};
    })""", kpis)
    charts = boxes(page, [f"#{c}" for c in cards])
    assert page.evaluate("window.scrollY") == 0
    for b in kpi_cards + charts:
        assert b["x"] >= 0 and b["y"] >= 0, b
        assert b["x"] + b["w"] <= width and b["y"] + b["h"] <= height, b
    for b in charts:
        assert b["w"] >= 400 and b["h"] >= 250, b
    every = kpi_cards + charts
    for i, a in enumerate(every):
        for b in every[i + 1:]:
            assert not overlap(a, b), (a, b)
    return charts


@pytest.mark.parametrize("width,height", [(1920, 1080), (1440, 900)])
def test_numbers_and_four_charts_fit_one_screen(sized, width, height):
    page = sized(width, height)
    expect(page.locator("#graph-map path.choroplethlocation").first).to_be_attached(
        timeout=SETTLE_MS)
    check_one_screen(page, width, height, CARDS)
    for card in CARDS:  # each card says what, for which filters, and from where
        expect(page.locator(f"#{card} .gtitle")).to_contain_text("2015-2026")
        expect(page.locator(f"#{card} .gtitle-subtitle")).to_contain_text("Filters:")
        expect(page.locator(f"#{card} .annotation-text").first).to_contain_text("Source:")
    attribution = page.locator("#card-map .annotation-text", has_text="OCHA COD-AB")
    expect(attribution).to_have_count(1)


@pytest.mark.parametrize("width,height", [(1920, 1080), (1440, 900)])
def test_group_comparison_uses_the_same_grid(sized, width, height):
    page = sized(width, height, "/?view=compare")
    expect(page.locator("#graph-compare-footprint path.choroplethlocation").first) \
        .to_be_attached(timeout=SETTLE_MS)
    expect(page.locator("#card-compare-footprint .gtitle")).to_contain_text(
        "Districts hit")
    check_one_screen(page, width, height, ("card-compare-districts", "card-compare-footprint",
                                           "card-compare-years"))


# The chart's drawing (its SVG) fills its box to the pixel: plotly drew it at its size; a
# tall chart (its own height in its figure) as wide as its box, at its own height.
DRAWN_AT_BOX = """gid => {
    const gd = document.querySelector('#' + gid + ' .js-plotly-plot');
    const svg = gd && gd.querySelector('.main-svg');
    if (!svg) return false;
    const b = gd.getBoundingClientRect(), d = svg.getBoundingClientRect();
    const own = gd.layout && gd.layout.height;
    return Math.abs(b.width - d.width) <= 1 && Math.abs((own || b.height) - d.height) <= 1;
}"""
# (the chart's box, its drawing, its card's scroll box): heights in px
HEIGHTS = """gid => {
    const gd = document.querySelector('#' + gid + ' .js-plotly-plot');
    const card = document.querySelector('#' + gid).parentElement;
    return [gd.getBoundingClientRect().height,
            gd.querySelector('.main-svg').getBoundingClientRect().height, card.scrollHeight];
}"""


def test_filter_panel_collapses_and_the_charts_widen(sized):
    page = sized(1440, 900)
    panel = page.locator("#filter-panel")
    expect(panel).to_be_visible()
    page.wait_for_function(DRAWN_AT_BOX, arg="graph-district", timeout=SETTLE_MS)
    box, tall, _ = page.evaluate(HEIGHTS, "graph-district")
    assert tall > box + 50  # the district chart is tall: it scrolls in its card
    before = boxes(page, ["#card-district"])[0]["w"]
    page.locator("#filter-toggle").click()
    expect(panel).to_be_hidden()
    expect(page.locator("#filter-toggle")).to_have_text("Show filters")
    page.wait_for_function("w => document.querySelector('#card-district')"
                           ".getBoundingClientRect().width > w + 50", arg=before)
    for gid in ("graph-district", "graph-map", "graph-target", "graph-timeline"):
        page.wait_for_function(DRAWN_AT_BOX, arg=gid, timeout=SETTLE_MS)  # redrawn wider
    assert abs(page.evaluate(HEIGHTS, "graph-district")[1] - tall) <= 1  # and as tall
    page.locator("#filter-toggle").click()
    expect(panel).to_be_visible()


def test_a_tall_chart_keeps_its_height_when_its_table_closes(sized):
    """The district chart's Table hides the chart and Chart shows it again: it is drawn as
    tall as before, not squeezed into its card."""
    page = sized(1440, 900)
    page.wait_for_function(DRAWN_AT_BOX, arg="graph-district", timeout=SETTLE_MS)
    box, tall, _ = page.evaluate(HEIGHTS, "graph-district")
    card = page.locator("#card-district")
    card.locator("button", has_text="Table").click()
    expect(page.locator("#graph-district")).to_be_hidden()
    page.wait_for_timeout(300)  # past the resize checks of the hidden chart (50 + 100 ms)
    card.locator("button", has_text="Chart").click()
    expect(page.locator("#graph-district")).to_be_visible()
    page.wait_for_timeout(300)
    page.wait_for_function(DRAWN_AT_BOX, arg="graph-district", timeout=SETTLE_MS)
    assert abs(page.evaluate(HEIGHTS, "graph-district")[1] - tall) <= 1, (box, tall)


def test_a_chart_that_changes_height_is_drawn_at_its_new_size(sized):
    """The target chart is tall (it scrolls in its card) for all of Pakistan and fills its
    card for one district: after each change it is drawn at its new height, in a box that
    stays its card's (a resized box is checked by dcc.Graph 50 ms later: the last change of
    the click)."""
    page = sized(1440, 900)
    page.wait_for_function(DRAWN_AT_BOX, arg="graph-target", timeout=SETTLE_MS)
    box, tall, scrolled = page.evaluate(HEIGHTS, "graph-target")
    assert tall > box + 50 and scrolled >= tall  # drawn taller than its box; the card scrolls
    page.locator("#filter-district").click()
    expect(page.locator("input.dash-dropdown-search")).to_be_focused()
    page.keyboard.type("Kech")
    # the list has filtered to the one option before it is chosen (a busy runner once let
    # Enter choose the first district, Abbottabad, before the typed text arrived)
    expect(page.locator("[role=listbox] [role=option]")).to_have_count(1)
    page.locator("[role=listbox] [role=option]").first.click()
    page.keyboard.press("Escape")
    page.wait_for_url(lambda url: "district=Kech" in url, timeout=SETTLE_MS)
    page.wait_for_function(f"gid => ({HEIGHTS})(gid)[1] < {tall} - 50", arg="graph-target",
                           timeout=SETTLE_MS)
    page.wait_for_function(DRAWN_AT_BOX, arg="graph-target", timeout=SETTLE_MS)
    fitted = page.evaluate(HEIGHTS, "graph-target")
    assert abs(fitted[0] - box) <= 1 and abs(fitted[1] - box) <= 1, (box, fitted)  # fills it
    page.locator("#reset").click()
    page.wait_for_url(lambda url: "district=" not in url, timeout=SETTLE_MS)
    page.wait_for_function(f"gid => Math.abs(({HEIGHTS})(gid)[1] - {tall}) <= 1",
                           arg="graph-target", timeout=SETTLE_MS)
    page.wait_for_function(DRAWN_AT_BOX, arg="graph-target", timeout=SETTLE_MS)
    assert abs(page.evaluate(HEIGHTS, "graph-target")[0] - box) <= 1  # the box never resized


CHART_WIDTH = """gid => {
    const box = document.querySelector('#' + gid).parentElement;  // the card's scroll box
    const svg = document.querySelector('#' + gid + ' .main-svg');
    return {svg: svg.getBoundingClientRect().width, scrolls: box.scrollHeight > box.clientHeight,
            bar: box.offsetWidth - box.clientWidth};
}"""


def test_a_chart_keeps_its_width_whether_it_scrolls_in_its_card_or_not(
        browser_with_scrollbars, server):
    """Where scrollbars take room, the target chart is as wide when it is tall and scrolls
    in its card (all of Pakistan) as when it fits (one district): a scrollbar that came and
    went would change its width, and plotly would draw it a second time after the click."""
    context = browser_with_scrollbars.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = context.new_page()
        widths = []
        for path in ("/", "/?district=Kech"):
            page.goto(server + path)
            expect(page.locator("#kpi-attacks")).not_to_have_text("–", timeout=2 * SETTLE_MS)
            page.wait_for_function(DRAWN_AT_BOX, arg="graph-target", timeout=SETTLE_MS)
            widths.append(page.evaluate(CHART_WIDTH, "graph-target"))
        tall, fitted = widths
        assert tall["scrolls"] and not fitted["scrolls"], widths
        assert tall["bar"] > 0, "the scrollbar takes no room: the test shows nothing"
        assert abs(tall["svg"] - fitted["svg"]) <= 1, widths
    finally:
        context.close()


def test_coverage_details_behind_a_toggle(sized):
    page = sized(1440, 900)
    details = page.locator("#coverage-details")
    expect(details).to_be_hidden()
    page.locator("#coverage-toggle").click()
    expect(details).to_be_visible()
    expect(details).to_contain_text("baloch_major")


def test_narrow_screen_stacks_the_charts(sized):
    page = sized(800, 1000)
    expect(page.locator("#graph-map path.choroplethlocation").first).to_be_attached(
        timeout=SETTLE_MS)
    b = boxes(page, [f"#{c}" for c in ("card-district", "card-map", "card-target",
                                       "card-timeline", "grid-incidents")])
    assert b[0]["x"] == b[1]["x"] == b[2]["x"] == b[3]["x"]
    for above, below in zip(b, b[1:]):  # the incident table follows the last chart
        assert above["y"] + above["h"] <= below["y"], (above, below)


CLICK_POINT = """([lon, lat, pcode]) => {
    const gd = document.querySelector('#graph-map .js-plotly-plot');
    const projection = gd._fullLayout.geo._subplot.projection;
    const [x, y] = projection([lon, lat]);
    const path = [...gd.querySelectorAll('path.choroplethlocation')]
        .find(p => p.__data__ && p.__data__.loc === pcode);
    if (!path) return null;
    const svg = path.ownerSVGElement;
    const local = svg.createSVGPoint();
    local.x = x; local.y = y;
    const inFill = path.isPointInFill(local);
    const screen = local.matrixTransform(path.getScreenCTM());
    return {x: screen.x, y: screen.y, inFill};
}"""


def test_click_inside_quetta_filters_to_quetta(sized):
    page = sized(1440, 900)
    expect(page.locator("#kpi-attacks")).to_have_text("131", timeout=SETTLE_MS)
    expect(page.locator("#graph-map path.choroplethlocation").first).to_be_attached(
        timeout=SETTLE_MS)
    lon, lat = point_inside(QUETTA)
    at = page.evaluate(CLICK_POINT, [lon, lat, QUETTA])
    assert at and at["inFill"], at  # the projected point lies in the drawn Quetta polygon
    page.mouse.move(at["x"], at["y"])
    expect(page.locator("#graph-map .hoverlayer .hovertext")).to_contain_text("Quetta")
    page.mouse.click(at["x"], at["y"])
    n = incidents_naming("Quetta")
    expect(page.locator("#kpi-attacks")).to_have_text(f"{n:,}", timeout=SETTLE_MS)
    page.wait_for_url(lambda url: "district=Quetta" in url, timeout=SETTLE_MS)
    expect(page.locator("#chips .chip")).to_have_count(1)

    at = page.evaluate(CLICK_POINT, [lon, lat, QUETTA])  # the map redrew: project again
    page.mouse.move(at["x"] + 1, at["y"])
    page.mouse.click(at["x"], at["y"])  # a second click clears the filter
    expect(page.locator("#kpi-attacks")).to_have_text("131", timeout=SETTLE_MS)


PLOTLY_OUTLINES = ROOT / "assets" / "topojson" / "asia_50m.json"
CUT_OUTLINES = ROOT / "assets" / "topojson" / "pakistan" / "asia_50m.json"


def settled_map(page) -> None:
    expect(page.locator("#graph-map g.layer.countries path")).to_have_attribute(
        "d", re.compile(".{100}"), timeout=SETTLE_MS)
    page.wait_for_function(DRAWN_AT_BOX, arg="graph-map", timeout=SETTLE_MS)
    page.wait_for_load_state("networkidle")


def test_the_cut_outlines_draw_the_map_as_plotlys_whole_file_does(sized):
    """The maps' outlines are plotly's Asia file cut to a window around Pakistan
    (scripts/regional_basemap.py): the map on screen is the same, pixel for pixel, as with
    the whole file served in their place."""
    shots = []
    for whole in (False, True):
        page = sized(1440, 900, "/?province=Balochistan,Khyber%20Pakhtunkhwa")
        if whole:
            page.context.route("**/topojson/pakistan/asia_50m.json", lambda route: route.fulfill(
                path=PLOTLY_OUTLINES, content_type="application/json"))
            page.reload()
        settled_map(page)
        shots.append(Image.open(io.BytesIO(page.locator("#graph-map .main-svg").first
                                           .screenshot(animations="disabled"))).convert("RGB"))
    assert shots[0].size == shots[1].size
    assert ImageChops.difference(*shots).getbbox() is None  # no pixel differs


WINDOW_CORNERS = """() => {
    const geo = document.querySelector('#graph-map .js-plotly-plot')._fullLayout.geo._subplot;
    const [x0, y0] = [geo.xaxis._offset, geo.yaxis._offset];
    const [x1, y1] = [x0 + geo.xaxis._length, y0 + geo.yaxis._length];
    return {scale: geo.projection.scale(),
            corners: [[x0, y0], [x1, y0], [x0, y1], [x1, y1]].map(p => geo.projection.invert(p))};
}"""


@pytest.mark.parametrize("width,height", [(1440, 900), (800, 1000)])
def test_zoomed_out_as_far_as_it_goes_the_map_shows_only_its_outlines_window(sized, width,
                                                                             height):
    page = sized(width, height)
    settled_map(page)
    west, south, east, north = json.loads(CUT_OUTLINES.read_text())["bbox"]
    start = page.evaluate(WINDOW_CORNERS)
    lons, lats = zip(*start["corners"])  # the fitted view holds all of Pakistan
    assert min(lons) < 60.9 and max(lons) > 74.1 and min(lats) < 23.7 and max(lats) > 36.9
    page.locator("#graph-map").scroll_into_view_if_needed()
    frame = page.locator("#graph-map .geo .bg rect").first.bounding_box()
    page.mouse.move(frame["x"] + frame["width"] / 2, frame["y"] + frame["height"] / 2)
    scales = []
    for _ in range(3):
        for _ in range(8):
            page.mouse.wheel(0, 400)
            page.wait_for_timeout(40)
        page.wait_for_timeout(300)
        scales.append(page.evaluate(WINDOW_CORNERS)["scale"])
    assert scales[0] < start["scale"] / 2  # it zoomed out
    assert scales[1] == scales[2]  # and stopped
    for lon, lat in page.evaluate(WINDOW_CORNERS)["corners"]:
        assert west <= lon <= east and south <= lat <= north, (lon, lat)


def test_camera_and_svg_keep_the_briefing_frame(sized, tmp_path):
    page = sized(1440, 900, "/?group=IS-K&province=Balochistan")
    expect(page.locator("#graph-map path.choroplethlocation").first).to_be_attached(
        timeout=SETTLE_MS)
    page.locator("#graph-map").hover()
    camera = page.locator('#graph-map .modebar-btn[data-title^="Download plot"]')
    with page.expect_download(timeout=30_000) as download:
        camera.click()
    name = download.value.suggested_filename
    assert name.startswith("map_province-Balochistan_group-IS-K_") and name.endswith(".png")
    png = Path(download.value.path()).read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")) == \
        (3840, 2160)
    sent = page.evaluate("window.pmdLastExport")
    assert sent["format"] == "png"
    assert sent["annotations"][0].startswith("Data: Pakistan Militancy Dashboard")
    assert "View: " in sent["annotations"][0]
    assert any("OCHA COD-AB" in a for a in sent["annotations"])
    button = page.locator("#card-map").get_by_role("button", name="Download SVG")
    with page.expect_download(timeout=30_000) as download:
        button.click()
    svg = Path(download.value.path()).read_text(encoding="utf-8")
    assert "IS-K attacks by district (map), Balochistan" in svg
    assert "sources per incident in the table" in svg and "OCHA COD-AB" in svg


# Every y-axis label and title of a drawn chart: its text, kind, chart, and left and right
# edges relative to the chart's SVG.
Y_TEXTS = """() => [...document.querySelectorAll('.js-plotly-plot')]
    .filter(gd => gd.getBoundingClientRect().width > 0)
    .flatMap(gd => {
        const svg = gd.querySelector('.main-svg').getBoundingClientRect();
        return [...gd.querySelectorAll('[class^="yaxislayer"] text, .g-ytitle text')]
            .filter(t => t.getBoundingClientRect().width > 0)
            .map(t => ({chart: gd.closest("[id]").id, text: t.textContent,
                        kind: t.closest('.g-ytitle') ? 'title' : 'label',
                        left: t.getBoundingClientRect().left - svg.left,
                        right: t.getBoundingClientRect().right - svg.left}));
    })"""


@pytest.mark.parametrize("query", ["", "view=compare", "view=targets", "view=published",
                                   "view=change"])
def test_no_axis_label_is_cut_off(sized, query):
    """The screen charts' left margins are set on the server from the labels' widths (no
    automargin in the browser): each label and axis title starts inside its chart, and a
    title stays clear of its axis's labels."""
    page = sized(1440, 900, "/?" + query)
    page.wait_for_function("""() => {  // every chart of the tab drawn, axes or map
        const shown = [...document.querySelectorAll('.js-plotly-plot')]
            .filter(gd => gd.getBoundingClientRect().width > 0);
        return shown.length && shown.every(gd => gd.querySelector('.ytick, .geo')); }""",
                           timeout=SETTLE_MS)
    texts = page.evaluate(Y_TEXTS)
    if not query:
        assert "Karachi (district not stated)" in {t["text"] for t in texts}
        assert {"graph-district", "graph-target", "graph-timeline"} <= {
            t["chart"] for t in texts}
    cut = [t for t in texts if t["left"] < 0]
    assert not cut, cut
    for title in [t for t in texts if t["kind"] == "title"]:
        labels = [t["left"] for t in texts if t["kind"] == "label"
                  and t["chart"] == title["chart"]]
        assert title["right"] <= min(labels) + 1, (title, min(labels))
