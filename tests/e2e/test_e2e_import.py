"""End-to-end: the dashboard served on an ACLED export (`--data ... --format acled`).

Expected numbers come straight from the synthetic fixture with pandas, not from the importer:
every row in one of the four provinces with a real date is an attack when it is political
violence by a non-state armed group (inter 2, 3 or 4: the perpetrator, or either side of a
battle); ACLED has no injury count, so every row's injured is unknown and the known total is 0.
"""
from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from playwright.sync_api import expect

from harness.servers import serving
from tests.pages import fresh_page

ROOT = Path(__file__).resolve().parents[2]
ACLED = "tests/fixtures/acled_sample.csv"
PROVINCES = {"Balochistan", "Khyber Pakhtunkhwa", "Sindh", "Islamabad Capital Territory"}
ARMED = {"2", "3", "4"}  # ACLED inter codes: rebel group, political and identity militia
SETTLE_MS = 15_000


def real_date(text: str) -> bool:
    for form in ("%Y-%m-%d", "%d %B %Y"):
        try:
            datetime.strptime(text, form)
            return True
        except ValueError:
            continue
    return False


@pytest.fixture(scope="module")
def expected() -> pd.DataFrame:
    rows = pd.read_csv(ROOT / ACLED, dtype=str, keep_default_na=False)
    attack = (rows["event_type"].isin(["Explosions/Remote violence", "Violence against civilians"])
              & rows["inter1"].isin(ARMED)) | ((rows["event_type"] == "Battles")
                                               & (rows["inter1"].isin(ARMED)
                                                  | rows["inter2"].isin(ARMED)))
    return rows[rows["admin1"].isin(PROVINCES) & rows["event_date"].map(real_date) & attack]


@pytest.fixture(scope="module")
def acled_server():
    yield from serving("--data", ACLED, "--format", "acled")


@pytest.fixture
def page(browser, acled_server):
    for pg in fresh_page(browser, acled_server):
        pg.goto(acled_server + "/")
        yield pg


def test_acled_export_totals_on_the_page(page, expected):
    assert len(expected) == 10  # 13 rows: one in Punjab, one on 31 February, one not an attack
    expect(page.locator("#kpi-attacks")).to_have_text(str(len(expected)), timeout=SETTLE_MS)
    expect(page.locator("#kpi-killed")).to_have_text(str(expected["fatalities"].astype(int).sum()))
    expect(page.locator("#kpi-injured")).to_have_text("0")
    expect(page.locator("#kpi-injured-note")).to_have_text(
        f"+ {len(expected)} attacks with injured unknown")
    expect(page.locator("#kpi-unknown")).to_have_text(str(len(expected)))


def test_placeholder_district_is_listed_and_filterable(page, expected):
    expect(page.locator("#kpi-attacks")).to_have_text(str(len(expected)), timeout=SETTLE_MS)
    page.goto(page.url.split("?")[0] + "?district=Unknown%20district%20(Balochistan)")
    expect(page.locator("#kpi-attacks")).to_have_text("1", timeout=SETTLE_MS)
    expect(page.locator("#kpi-killed")).to_have_text("4")
    expect(page.locator("#url-notice")).not_to_be_visible()
