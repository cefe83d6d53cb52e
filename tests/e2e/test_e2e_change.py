"""Browser tests of the key events and the "What changed" view (issue 18), in Debian's chromium.

Expected values come from `tests/oracle.py` (plain csv/pandas on data/, no dashboard code).
"""
from __future__ import annotations

import re

from playwright.sync_api import expect

from tests import oracle
from tests.e2e.test_e2e import SETTLE_MS, click_bar, expect_query_has, open_app


def event_labels(page, gid: str) -> list[str]:
    """The event labels a chart draws (its annotations named 'event ...')."""
    return page.evaluate("""(gid) => {
        const gd = document.querySelector(`#${gid} .js-plotly-plot`);
        return ((gd && gd.layout.annotations) || [])
            .filter(a => (a.name || '').startsWith('event')).map(a => a.text);
    }""", gid)


def wait_labels(page, gid: str, expected: list[str]) -> None:
    page.wait_for_function("""([gid, n]) => {
        const gd = document.querySelector(`#${gid} .js-plotly-plot`);
        return gd && gd.layout && ((gd.layout.annotations || [])
            .filter(a => (a.name || '').startsWith('event')).length === n);
    }""", arg=[gid, len(expected)], timeout=SETTLE_MS)
    assert event_labels(page, gid) == expected


def test_events_on_the_timeline_hover_and_switch_off(page):
    open_app(page, attacks="131")
    expected = [e["title"] for e in oracle.timeline_events(oracle.parse(""))]
    wait_labels(page, "graph-timeline", expected)
    label = page.locator("#graph-timeline .annotation-text", has_text="IS announces ISPP")
    expect(label).to_be_visible()
    label.hover()
    expect(page.locator("#graph-timeline .hoverlayer")).to_contain_text("Pakistan Province")
    page.locator("label[for='filter-events']").click()
    expect_query_has(page, {"events": ["off"]})
    wait_labels(page, "graph-timeline", [])
    page.locator("label[for='filter-events']").click()
    wait_labels(page, "graph-timeline", expected)


def test_events_on_the_comparison_by_year(page):
    open_app(page, "/?view=compare&events=on", attacks="131")
    view = oracle.parse("view=compare")
    wait_labels(page, "graph-compare-years",
                [e["title"] for e in oracle.compare_years_events(view)])


def signed(n: int) -> str:
    return f"{n:+,}" if n else "0"


def test_what_changed_view_numbers_click_and_thresholds(page):
    query = "view=change&from=2024-01-01&to=2024-12-31"
    view = oracle.parse(query)
    now, base, p = oracle.change_kpis(view)
    page.goto(page.base + "/?" + query)
    expect(page.locator("#kpi-attacks")).to_have_text(signed(now["attacks"] - base["attacks"]),
                                                      timeout=SETTLE_MS)
    expect(page.locator("#kpi-killed")).to_have_text(signed(now["killed"] - base["killed"]))
    expect(page.locator("#kpi-attacks-note")).to_contain_text(
        f"attacks, {signed(now['killed'] - base['killed'])} killed vs {p['words']}")
    rows = oracle.change_by_district(view)
    top = rows[0]
    flagged = [r["district"] for r in rows if r["flagged"]]
    ticks = page.locator("#graph-change .ytick text")
    expect(ticks.first).to_be_attached(timeout=SETTLE_MS)
    assert top["district"] in flagged  # Kalat: +3 from none
    click_bar(page, "graph-change", top["district"] + " ▲", hover_text=top["district"])
    expect_query_has(page, {"district": [top["district"]], "view": ["change"]})
    box = page.locator("#change-flag-min")
    box.fill("1")
    box.press("Tab")
    expect_query_has(page, {"flag_min": ["1"], "district": [top["district"]]})
    loose = [r["district"] for r in oracle.change_by_district(dict(view, flag_min=1))
             if r["flagged"]]
    expect(page.locator("#graph-change .ytick text", has_text=re.compile("[▲▼]"))
           ).to_have_count(len(loose), timeout=SETTLE_MS)
