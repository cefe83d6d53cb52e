"""Accessibility in the browser (issue 18): axe-core on every view, failing on any serious or
critical violation; keyboard use of the filters, tabs, chips, the pack button, the incident
table and the charts' tables, each with a visible focus.

axe-core is the npm package pinned in tests/a11y/package-lock.json, fetched by the test
command (scripts/test.sh) into tests/a11y/node_modules: test-only, injected into a context
that bypasses the CSP, never served by the app."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

import pytest
from playwright.sync_api import expect

from dashboard.filters import TABS
from tests import oracle
from tests.pages import fresh_page
from tests.e2e.test_e2e import SETTLE_MS, expect_query, expect_query_has

AXE = Path(__file__).resolve().parents[1] / "a11y" / "node_modules" / "axe-core" / "axe.min.js"
LOAD_MS = 60_000  # a first load on a busy machine (2 cores shared) can pass 15 s
GRAPHS = {"overview": "graph-district", "compare": "graph-compare-districts",
          "published": "graph-published", "targets": "graph-target-share",
          "change": "graph-change"}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run the README's test command (scripts/test.sh), "
                    "which fetches it into tests/a11y/node_modules")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def kpage(browser, server):
    """A page whose context bypasses the CSP, so axe-core can be injected (tests only)."""
    yield from fresh_page(browser, server, bypass_csp=True)


def open_view(page, query: str = "") -> None:
    page.goto(page.base + "/" + (f"?{query}" if query else ""))
    expect(page.locator("#kpi-attacks")).not_to_have_text("–", timeout=LOAD_MS)
    tab = oracle.parse(query)["view"]
    expect(page.locator(f"#{GRAPHS[tab]} .main-svg").first).to_be_attached(timeout=LOAD_MS)


def serious(page, axe_source: str) -> list[str]:
    page.add_script_tag(content=axe_source)
    found = page.evaluate("""async () => {
        const r = await axe.run(document, {resultTypes: ['violations']});
        return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => v.id + ' (' + v.impact + '): ' +
                 v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; '));
    }""")
    return found


@pytest.mark.parametrize("tab", TABS)
def test_axe_finds_no_serious_violation_on_any_view(kpage, axe_source, tab):
    open_view(kpage, f"view={tab}")
    kpage.wait_for_timeout(500)  # the repairs of assets/a11y.js run after each render
    assert serious(kpage, axe_source) == []


def test_axe_with_a_chart_table_open(kpage, axe_source):
    open_view(kpage)
    kpage.locator("#card-district button", has_text="Table").click()
    expect(kpage.locator("#card-district table.chart-numbers")).to_be_visible()
    assert serious(kpage, axe_source) == []


def test_a_closed_chart_table_is_emptied_and_opens_on_the_new_view(kpage):
    """A chart's table is sent only while open: closing it empties it, so after the view
    changes it opens on the new view's rows, never the old ones."""
    open_view(kpage, "group=BLA")
    card = kpage.locator("#card-district")
    card.locator("button", has_text="Table").click()
    caption = card.locator("table.chart-numbers caption")
    expect(caption).to_contain_text("BLA attacks by district", timeout=SETTLE_MS)
    card.locator("button", has_text="Chart").click()
    expect(card.locator("table.chart-numbers")).to_have_count(0, timeout=SETTLE_MS)
    kpage.locator("#reset").click()
    expect_query(kpage, {})
    expect(card.locator("table.chart-numbers")).to_have_count(0)
    card.locator("button", has_text="Table").click()
    expect(caption).to_have_text("Attacks by district, all groups, Pakistan, 2015-2026",
                                 timeout=SETTLE_MS)


def tab_to(page, selector: str, presses: int = 250) -> None:
    """Press Tab, from the top of the page once no callback is pending, until the focus is
    on `selector` (reachable by keyboard alone), and check the focus is visible (an outline
    of 2px or more, or a focus shadow)."""
    page.wait_for_function("() => !document.querySelector('[data-dash-is-loading=\"true\"]')",
                           timeout=SETTLE_MS)
    page.evaluate("""() => { const top = document.documentElement;  // where Tab starts
        top.setAttribute('tabindex', '-1'); top.focus(); top.removeAttribute('tabindex'); }""")
    for _ in range(presses):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => !!document.activeElement && document.activeElement.matches(s)",
                         selector):
            break
    else:
        pytest.fail(f"Tab never reached {selector}")
    style = page.evaluate("""() => { const s = getComputedStyle(document.activeElement);
        return {style: s.outlineStyle, width: parseFloat(s.outlineWidth), shadow: s.boxShadow}; }""")
    assert (style["style"] != "none" and style["width"] >= 2) or style["shadow"] != "none", style


def test_chart_table_by_keyboard_filters_like_a_click(kpage):
    open_view(kpage)
    tab_to(kpage, "#card-district .chart-tools button:first-child")
    kpage.keyboard.press("Enter")
    table = kpage.locator("#card-district table.chart-numbers")
    expect(table).to_be_visible()
    expect(table.locator("caption")).to_have_text(
        "Attacks by district, all groups, Pakistan, 2015-2026")
    first = oracle.districts(oracle.parse("")).index[0]
    focused = kpage.evaluate("() => document.activeElement.textContent")
    assert focused == first  # the focus moved into the table's first row
    kpage.keyboard.press("Enter")
    expect_query(kpage, {"district": [first]})
    expect(kpage.locator("#kpi-attacks")).to_have_text(
        str(oracle.kpis(oracle.parse(f"district={quote(first)}"))["attacks"]),
        timeout=SETTLE_MS)
    summary = kpage.locator("#summary-district")
    expect(summary).to_contain_text("largest (all series): " + first)
    assert kpage.locator("#card-district").get_attribute("aria-labelledby") == "title-district"


def test_tabs_chips_and_pack_button_by_keyboard(kpage):
    open_view(kpage, "group=BLA")
    tab_to(kpage, "[role='tab']:not(.active)")  # the first tab not open: Group comparison
    kpage.keyboard.press("Enter")
    expect_query_has(kpage, {"view": ["compare"], "group": ["BLA"]})
    open_view(kpage, "group=BLA")
    tab_to(kpage, ".chip-close")
    kpage.keyboard.press("Enter")
    expect_query(kpage, {})
    tab_to(kpage, "#export-pack")


def test_filters_by_keyboard(kpage):
    open_view(kpage)
    tab_to(kpage, "#filter-group")
    kpage.keyboard.press("Enter")  # opens the list, the focus in its search box
    expect(kpage.locator("input.dash-dropdown-search")).to_be_focused()
    kpage.keyboard.type("BLF")
    option = kpage.locator("input.dash-options-list-option-checkbox[value='BLF']")
    # the list has filtered to the one option, as a user sees, before the arrow moves to it
    expect(kpage.locator("input.dash-options-list-option-checkbox")).to_have_count(1)
    expect(option).to_be_attached()
    kpage.keyboard.press("ArrowDown")
    expect(option).to_be_focused()
    kpage.keyboard.press("Enter")
    expect(option).to_be_checked()
    kpage.keyboard.press("Escape")
    expect_query(kpage, {"group": ["BLF"]})
    open_view(kpage)
    tab_to(kpage, "#filter-min-killed")
    kpage.keyboard.type("20")
    kpage.keyboard.press("Tab")
    expect_query_has(kpage, {"min_killed": ["20"]})
    tab_to(kpage, "#filter-events")
    kpage.keyboard.press("Space")
    expect_query_has(kpage, {"events": ["off"], "min_killed": ["20"]})


def test_incident_table_by_keyboard(kpage):
    open_view(kpage)
    kpage.locator("#grid-incidents").scroll_into_view_if_needed()
    tab_to(kpage, "#grid-incidents .ag-cell")
    kpage.keyboard.press("Space")  # selects the focused row: its details open
    expect(kpage.locator("#incident-modal .modal-body")).to_contain_text("Sources",
                                                                       timeout=SETTLE_MS)
