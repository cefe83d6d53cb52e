"""End-to-end: casualty ranges and the precise-rows switch in the page, served on a synthetic
copy of the data with ranges (tests/ranged.py). Expected values from the oracle (pandas)."""
from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from harness.servers import serving
from tests.pages import fresh_page
from tests import oracle
from tests.ranged import RANGED_ID, write_ranged

SETTLE_MS = 15_000


@pytest.fixture(scope="module")
def ranged(tmp_path_factory):
    return write_ranged(tmp_path_factory.mktemp("ranged-e2e") / "incidents.csv")


@pytest.fixture(scope="module")
def ranged_server(ranged):
    yield from serving("--data", str(ranged))


@pytest.fixture
def rpage(browser, ranged_server):
    yield from fresh_page(browser, ranged_server)


def test_range_in_kpi_table_and_details(rpage):
    rpage.goto(rpage.base + "/?from=2016-08-08&to=2016-08-08")
    expect(rpage.locator("#kpi-killed")).to_have_text("74", timeout=SETTLE_MS)
    expect(rpage.locator("#kpi-killed-note")).to_have_text("sources range 70 to 94")
    expect(rpage.locator("#kpi-injured-note")).to_have_text("sources range 92 to 130")
    rpage.locator("#grid-incidents").scroll_into_view_if_needed()
    row = rpage.locator(f'#grid-incidents .ag-row[row-id="{RANGED_ID}"]')
    expect(row.locator('[col-id="killed"]')).to_have_text("74 (70-94)", timeout=SETTLE_MS)
    expect(row.locator('[col-id="injured"]')).to_have_text("120 (92-130)")
    row.locator('[col-id="date"]').click()
    expect(rpage.locator("#incident-modal")).to_be_visible()
    expect(rpage.locator("#incident-detail")).to_contain_text(
        "74 (sources range 70 to 94; see the notes)")


def test_precise_switch_filters_sets_url_and_chip(rpage, ranged):
    expected = oracle.select(oracle.parse("precise=on"), df=oracle.load(ranged))
    rpage.goto(rpage.base + "/")
    expect(rpage.locator("#kpi-attacks")).to_have_text("131", timeout=SETTLE_MS)
    rpage.locator("#filter-precise").check()
    expect(rpage.locator("#kpi-attacks")).to_have_text(f"{len(expected):,}",
                                                       timeout=SETTLE_MS)
    expect(rpage.locator("#chips")).to_contain_text(
        "Precise rows only (exact day; town or district)")
    rpage.wait_for_url(lambda url: parse_qs(urlsplit(url).query).get("precise") == ["on"],
                       timeout=SETTLE_MS)
    expect(rpage.locator("#grid-note")).to_have_text(f"{len(expected):,} incidents in view.")
    rpage.locator("#chips .chip-close").click()
    expect(rpage.locator("#kpi-attacks")).to_have_text("131", timeout=SETTLE_MS)
    expect(rpage.locator("#filter-precise")).not_to_be_checked()
