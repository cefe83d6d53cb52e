"""Analyst views checked against pandas computed independently from the CSV files."""
from datetime import date

import pandas as pd
import pytest

from dashboard import aggregate, figures
from dashboard.aggregate import View
from dashboard.callbacks.controller import next_state
from dashboard.filters import Display, Filters, ViewState
from tests import app_view, oracle
from tests.scopes import per_module

IS, BALOCH = ["IS-K", "ISPP"], ["BLA", "BLF", "BRA", "BRAS"]


@pytest.fixture(scope=per_module)
def raw():
    frame = pd.read_csv("data/incidents.csv", dtype=str, keep_default_na=False)
    frame["k"] = pd.to_numeric(frame["killed"].replace("", None))
    frame["i"] = pd.to_numeric(frame["injured"].replace("", None))
    frame["year"] = frame["date"].str[:4].astype(int)
    frame["districts"] = frame["district"].str.split(";").map(lambda ps: [p.strip() for p in ps])
    return frame


def side(raw, groups, min_killed=5):
    sel = raw[raw["group"].isin(groups)]
    return sel[sel["k"] >= min_killed] if min_killed else sel


@pytest.mark.parametrize("rule", [True, False])
def test_compare_districts(ds, raw, rule):
    table = aggregate.compare_districts(View(ds, ViewState(display=Display(common_rule=rule))))
    for family, groups in (("Islamic State", IS), ("Baloch separatist", BALOCH)):
        expected = side(raw, groups, 5 if rule else 0)["districts"].explode().value_counts()
        got = table[family][table[family] > 0]
        assert got.sort_index().to_dict() == expected.sort_index().to_dict()
    both = set(table.index[table["both"]])
    is_d = set(side(raw, IS, 5 if rule else 0)["districts"].explode())
    bal_d = set(side(raw, BALOCH, 5 if rule else 0)["districts"].explode())
    assert both == is_d & bal_d and "Quetta" in both


def test_compare_ignores_group_filter_and_keeps_stricter_rule(ds, raw):
    f = Filters(group=("IS-K",), min_killed=20, province=("Balochistan",))
    table = aggregate.compare_years(View(ds, f))
    sel = raw[(raw["province"] == "Balochistan") & (raw["k"] >= 20)]
    for family, groups in (("Islamic State", IS), ("Baloch separatist", BALOCH)):
        part = table[table["family"] == family].set_index("year")
        exp = sel[sel["group"].isin(groups)].groupby("year")
        assert part["attacks"][part["attacks"] > 0].to_dict() == exp.size().to_dict()
        assert part["killed"][part["killed"] > 0].to_dict() == \
            exp["k"].sum().astype(int).to_dict()


@pytest.mark.parametrize("attribution", [(), ("claimed",)])
def test_published_figures_for_both_definitions(ds, raw, attribution):
    table = aggregate.published_comparison(ds, Filters(attribution=attribution)) \
        .set_index("figure_id")
    sel = raw[raw["group"].isin(IS)]
    if attribution:
        sel = sel[sel["attribution"].isin(attribution)]
        assert set(table["definition"]) == {"claimed"}
    else:
        assert set(table["definition"]) == {"claimed + attributed + disputed"}
    bal = sel[(sel["province"] == "Balochistan") & (sel["date"] >= "2016-01-01")
              & (sel["date"] <= "2025-06-01")]
    assert table.at["isk_bal_attacks", "dataset"] == len(bal)
    assert table.at["isk_bal_killed", "dataset"] == int(bal["k"].sum())
    assert table.at["isk_bal_injured", "dataset"] == int(bal["i"].sum())
    assert table.at["isk_bal_injured", "unknown"] == int(bal["i"].isna().sum())
    assert table.at["isk_bal_shrines_churches", "dataset"] == \
        bal["target_type"].isin(["Shrine", "Church"]).sum()
    for fid, district, province in (("isk_mastung_attacks", "Mastung", "Balochistan"),
                                    ("isk_quetta_attacks", "Quetta", "Balochistan")):
        part = bal[bal["districts"].map(lambda d: district in d)]
        assert table.at[fid, "dataset"] == len(part)
    kp = sel[sel["date"] <= "2025-06-01"]
    for fid, district in (("isk_bajaur_attacks", "Bajaur"), ("isk_peshawar_attacks", "Peshawar")):
        assert table.at[fid, "dataset"] == kp["districts"].map(lambda d: district in d).sum()
    published = {"isk_bal_attacks": 33, "isk_bal_killed": 436, "isk_bal_injured": 691,
                 "isk_mastung_attacks": 12, "isk_quetta_attacks": 10, "isk_bajaur_attacks": 36,
                 "isk_peshawar_attacks": 19, "isk_bal_shrines_churches": 8}
    assert table["published"].to_dict() == published
    for fid, value in published.items():
        assert table.at[fid, "coverage"] == round(table.at[fid, "dataset"] / value, 2)
    assert table["citation"].str.contains("Dawn").all()


def test_target_shares_and_human_ranking(ds, raw):
    v = View(ds, Filters(group=("IS-K",), province=("Balochistan",)))
    shares = aggregate.target_shares(v)
    sel = raw[(raw["group"] == "IS-K") & (raw["province"] == "Balochistan")]
    counts = sel.groupby(["year", "target_type"]).size().unstack(fill_value=0)
    for year, row in counts.iterrows():
        expected = (row / row.sum()).round(6)
        got = shares.loc[year, expected.index].round(6)
        assert got.to_dict() == expected.to_dict()
    assert (shares.sum(axis=1).round(6).isin([0, 1])).all()
    ranking = aggregate.human_targets(v)
    human = sel[~sel["target_type"].isin(["Shrine", "Church", "Mosque/Religious gathering",
                                          "Infrastructure", "Other"])]
    expected = human.groupby("target_type").size().sort_values(ascending=False)
    assert ranking["attacks"].to_dict() == expected.to_dict()
    assert list(ranking.index[:2]) == ["Security forces", "Political"]


def test_clicks_in_the_analyst_views(ds):
    s = ViewState(display=Display(tab="compare"))
    s2, _ = next_state("graph-compare-districts", s, ds,
                       event={"points": [{"y": "Quetta (both)", "customdata": "Quetta"}]})
    assert s2.filters.district == ("Quetta",) and s2.display.tab == "compare"
    s3, _ = next_state("graph-compare-years", s2, ds, event={"points": [{"x": 2024,
                                                                         "customdata": 2024}]})
    assert (s3.filters.date_from, s3.filters.date_to) == (date(2024, 1, 1), date(2024, 12, 31))
    s4, _ = next_state("graph-compare-years", s3, ds, event={"points": [{"customdata": 2024}]})
    assert s4.filters.date_from is None  # the same year again clears it
    pub = aggregate.published_comparison(ds, Filters()).set_index("figure_id")
    s5, _ = next_state("graph-published", ViewState(display=Display(tab="published")), ds,
                       event={"points": [{"customdata": pub.at["isk_mastung_attacks",
                                                               "query"]}]})
    assert s5.filters.district == ("Mastung",) and s5.filters.group == ("IS-K", "ISPP")
    assert s5.display.tab == "published"
    assert aggregate.totals(View(ds, s5)).attacks == pub.at["isk_mastung_attacks", "dataset"]
    s6, _ = next_state("graph-human-targets", ViewState(), ds,
                       event={"points": [{"y": "Political"}]})
    assert s6.filters.target_type == ("Political",)


def test_views_keep_url_state(ds):
    s = ViewState(Filters(group=("BLA",)), Display(tab="compare", common_rule=False))
    assert s.to_query() == "?group=BLA&view=compare&rule=off"
    assert ViewState.from_query(s.to_query(), ds.reference, {})[0] == s


RULE_ON = ("Both sides: only attacks with at least 5 killed (the Baloch collection holds only "
           "major attacks); the group filter does not apply")


@pytest.mark.parametrize("name", ["compare_districts", "compare_years", "published",
                                  "target_share", "human_targets"])
def test_analyst_figures_say_their_rule_and_scope(ds, name):
    """Every analyst chart says its filters, and the rule or definition it applies."""
    fig = app_view.figures_for(ds, "group=IS-K", [name])[name]
    heading, sub = fig.layout.title.text, fig.layout.title.subtitle.text
    span = oracle.span(oracle.parse("group=IS-K"))
    expected = {
        "compare_districts": (None, f"Filters: Group: IS-K<br>{RULE_ON}"),
        "compare_years": ("<b>Islamic State and Baloch separatist attacks and killed per year, "
                          "Pakistan</b>", f"Filters: Group: IS-K<br>{RULE_ON}"),
        "published": ("<b>Published IS-K figures beside this dataset's sourced incidents</b>",
                      "Filters: Group: IS-K<br>Dataset side: attribution claimed + attributed "
                      "+ disputed; only the attribution filter applies; percentages are "
                      "coverage"),
        "target_share": (f"<b>IS-K target types per year (share), Pakistan, {span}</b>",
                         "Filters: Group: IS-K"),
        "human_targets": (f"<b>IS-K human targets ranked, Pakistan, {span}</b>",
                          "Filters: Group: IS-K"),
    }[name]
    if expected[0] is not None:
        assert heading == expected[0]
    else:
        assert heading.startswith("<b>Islamic State and Baloch separatist attacks by district")
    assert sub == expected[1]


def test_published_table_row_drills_into_its_scope(ds):
    s, _ = next_state("grid-published", ViewState(display=Display(tab="published")), ds,
                      event={"rowId": "isk_bajaur_attacks", "colId": "scope"})
    f = s.filters
    assert f.district == ("Bajaur",) and f.province == ("Khyber Pakhtunkhwa",)
    assert f.date_to == date(2025, 6, 1) and s.display.tab == "published"
    same, _ = next_state("grid-published", s, ds, event={"rowId": "no-such-row"})
    assert same == s


def test_comparison_counts_only_the_two_families_in_an_imported_file(ds):
    """Imported data names groups of neither side (the ACLED fixture: TTP, LeJ, Unknown);
    the comparison leaves them out. Read off tests/fixtures/acled_sample.csv: with the rule
    off, Islamic State (IS-K, ISPP) in Mastung, Quetta, Bajaur and the Balochistan
    placeholder; Baloch separatists (BLF, BLA, BRAS) in Khuzdar and Kech (2)."""
    from dashboard.data.dataset import Dataset
    from dashboard.data.loading import load_file
    imported = Dataset.from_result(load_file("tests/fixtures/acled_sample.csv", fmt="acled"),
                                   ds.reference)
    assert {"TTP", "Lashkar-e-Jhangvi (LeJ)", "Unknown"} <= set(imported.incidents["group"])
    view = View(imported, ViewState(display=Display(common_rule=False)))
    table = aggregate.compare_districts(view)
    got = {family: table[family][table[family] > 0].to_dict()
           for family in ("Islamic State", "Baloch separatist")}
    assert got == {"Islamic State": {"Mastung": 1, "Quetta": 1, "Bajaur": 1,
                                     "Unknown district (Balochistan)": 1},
                   "Baloch separatist": {"Kech": 2, "Khuzdar": 1}}
    years = aggregate.compare_years(view)
    assert years.groupby("family")["attacks"].sum().to_dict() == {
        "Islamic State": 4, "Baloch separatist": 3}
