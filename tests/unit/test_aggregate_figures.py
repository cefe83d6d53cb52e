"""Aggregations and figures against pandas computed independently on the shipped data."""
import json
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pytest

from dashboard import aggregate, figures
from dashboard.aggregate import View
from dashboard.charts import BY_NAME, CHARTS
from dashboard.filters import Display, Filters, ViewState
from tests.scopes import per_module

VIEWS = [ViewState(f) for f in (
    Filters(), Filters(group=("IS-K", "ISPP"), province=("Balochistan",)),
    Filters(district=("Mastung",)), Filters(target_type=("Shrine", "Church")),
    Filters(group=("Unknown",)))] + [
    ViewState(Filters(date_from=date(2024, 1, 1)), Display(period="month"))]


@pytest.fixture(scope=per_module)
def raw():
    frame = pd.read_csv("data/incidents.csv", dtype=str, keep_default_na=False)
    frame["k"] = pd.to_numeric(frame["killed"].replace("", None))
    frame["i"] = pd.to_numeric(frame["injured"].replace("", None))
    return frame


def test_totals_for_isk_in_balochistan(ds, raw):
    t = aggregate.totals(View(ds, Filters(group=("IS-K", "ISPP"), province=("Balochistan",))))
    sel = raw[raw["group"].isin(["IS-K", "ISPP"]) & (raw["province"] == "Balochistan")]
    assert t.attacks == len(sel) == 37
    assert t.killed == int(sel["k"].sum()) and t.injured == int(sel["i"].sum())
    assert t.unknown_killed == sel["k"].isna().sum()
    assert t.unknown_injured == sel["i"].isna().sum() == 2


def test_unknown_casualties_are_not_zero(ds, raw):
    t = aggregate.totals(View(ds, Filters()))
    assert t.unknown_killed == raw["k"].isna().sum() > 0
    assert t.killed == int(raw["k"].sum())


def test_by_district_counts_multi_district_rows_in_each(ds, raw):
    table = aggregate.by_district(View(ds, Filters(group=("BLA",))))
    per = table.sum(axis=1)
    assert list(per) == sorted(per, reverse=True)  # most attacks first
    exploded = raw[raw["group"] == "BLA"]["district"].str.split(";").explode().str.strip()
    assert per[per > 0].sort_index().to_dict() == exploded.value_counts().sort_index().to_dict()


def test_by_district_lists_zero_districts_of_selected_provinces(ds):
    table = aggregate.by_district(View(ds, Filters(province=("Balochistan",), group=("IS-K",))))
    districts = set(table.index)
    assert districts == set(ds.reference.districts_of(("Balochistan",)))
    assert len(districts) == 36
    assert table.loc["Gwadar"].sum() == 0 and table.loc["Quetta", "IS-K"] == 17


def test_over_time_sums_match(ds, raw):
    f = ViewState(Filters(date_from=date(2024, 1, 1)), Display(period="month"))
    table = aggregate.over_time(View(ds, f))
    # the timeline ignores its own date filter: it shows the whole span to select from
    assert table["attacks"].sum() == len(raw)
    assert table["killed"].sum() == int(raw["k"].sum())
    assert (table["period"].dt.day == 1).all()


@pytest.mark.parametrize("f", VIEWS, ids=lambda f: f.to_query() or "all")
@pytest.mark.parametrize("name", [c.name for c in CHARTS])
def test_every_figure_is_valid_and_stamped(ds, f, name):
    fig = BY_NAME[name].figure(View(ds, f), base_url="http://analyst.example")
    go.Figure(fig.to_dict())  # re-validates every property
    layout = fig.layout
    assert layout.title.text.startswith("<b>")
    assert layout.title.subtitle.text.startswith(figures.subtitle(f))
    footer = layout.annotations[0].text
    assert "sources per incident in the table" in footer
    assert "http://analyst.example/" + f.to_query() in footer
    # what the page is sent: the screen frame (the maps' polygons come from the assets URL;
    # only the server-side images carry them inline)
    screen = BY_NAME[name].figure(View(ds, f), "http://analyst.example", frame="screen")
    go.Figure(screen.to_dict())
    assert len(json.dumps(screen.to_plotly_json(), default=str)) < 40_000
    assert screen.layout.meta["briefing"]["title"]["text"] == layout.title.text
    assert screen.layout.meta["briefing"]["annotations"][0]["text"] == footer


def test_title_says_what_and_for_what(ds):
    f = Filters(group=("IS-K",), province=("Balochistan",), date_from=date(2016, 1, 1),
                date_to=date(2025, 12, 31))
    assert figures.title(View(ds, f), "attacks by district") == \
        "IS-K attacks by district, Balochistan, 2016-2025"
    assert figures.subtitle(ViewState(f)).startswith("Filters: 2016-01-01 to 2025-12-31; Province: "
                                          "Balochistan; Group: IS-K")


def test_same_group_same_colour_everywhere(ds):
    f = Filters()
    seen = {}
    for name in ("district", "target"):  # the map shades districts by count
        for trace in BY_NAME[name].figure(View(ds, f)).data:
            if trace.showlegend is False:
                continue
            seen.setdefault(trace.name, set()).add(trace.marker.color)
    assert seen["IS-K"] == {"#D55E00"} and seen["BLA"] == {"#0072B2"}
    assert all(len(c) == 1 for c in seen.values())


def test_district_figure_totals_and_highlight(ds, raw):
    fig = figures.district_figure(View(ds, Filters(district=("Mastung",))))
    totals = {}
    for trace in fig.data[1:]:  # the first trace only keeps every district on the axis
        for d, x in zip(trace.y, trace.x):
            totals[d] = totals.get(d, 0) + x
        assert trace.marker.opacity is None  # the selection is drawn as shapes over the bars
    exploded = raw["district"].str.split(";").explode().str.strip().value_counts()
    assert totals == exploded.to_dict()
    rows = list(fig.layout.yaxis.categoryarray)
    assert [s.x1 for s in fig.layout.shapes if s.xref == "x"] == [totals["Mastung"]]
    framed = [r for s in fig.layout.shapes if s.xref == "x"
              for at, r in enumerate(rows) if s.y0 < at < s.y1]
    veiled = {r for s in fig.layout.shapes if s.xref == "paper"
              for at, r in enumerate(rows) if s.y0 < at < s.y1}
    assert framed == ["Mastung"] and veiled == set(rows) - {"Mastung"}


def test_zero_attack_districts_stay_on_the_axis(ds):
    fig = figures.district_figure(View(ds, Filters(province=("Balochistan",), group=("IS-K",))))
    on_axis = set(fig.data[0].y)
    assert on_axis == set(ds.reference.districts_of(("Balochistan",)))
    assert list(fig.layout.yaxis.categoryarray)[-1] == "Quetta"  # most attacks on top


def test_empty_view_says_so(ds):
    f = Filters(group=("BRAS",), province=("Khyber Pakhtunkhwa",))
    for name in ("district", "target", "timeline", "map"):
        fig = BY_NAME[name].figure(View(ds, f))
        assert any(a.text == figures.NO_MATCH for a in fig.layout.annotations), name


def test_map_is_a_choropleth_over_the_local_polygons(ds):
    fig = figures.map_figure(View(ds, Filters(district=("Mastung",), group=("IS-K",))))
    choropleth = fig.data[0]
    assert choropleth.type == "choropleth" and choropleth.featureidkey == "properties.adm2_pcode"
    geo = fig.layout.geo
    assert geo.scope == "asia" and geo.fitbounds == "locations"


def _labels_px(labels, size: int) -> float:
    from PIL import ImageFont
    font = ImageFont.truetype("DejaVuSans.ttf", size)
    return max(font.getlength(label) for label in labels)


def test_screen_left_margin_holds_the_labels_and_exports_keep_automargin(ds):
    """On screen a category axis's labels are measured on the server (automargin off, which
    halves a bar chart's draw in the browser); the export frame turns automargin back on."""
    for name in ("district", "target", "human_targets", "compare_districts"):
        layout = BY_NAME[name].figure(View(ds, ViewState()), "", frame="screen").layout
        widest = _labels_px(layout.yaxis.categoryarray, layout.yaxis.tickfont.size)
        assert layout.yaxis.automargin is False, name
        assert widest + 8 <= layout.margin.l <= widest + 20, (name, widest, layout.margin.l)
        assert layout.meta["briefing"]["yaxis"]["automargin"] is True, name
    timeline = BY_NAME["timeline"].figure(View(ds, ViewState()), "", frame="screen").layout
    digits = _labels_px([str(int(timeline.yaxis.range[1]))], 12)
    assert timeline.yaxis.automargin is False
    assert digits + 14 + 8 <= timeline.margin.l <= digits + 14 + 40  # labels and title


# The labels a left y axis draws, as the margin rule reads them off the axis: the tick texts
# of a category axis, or the range's ends (a minus sign U+2212; two decimals under a span of
# 10). Axes whose labels the server cannot know keep plotly's automargin.
@pytest.mark.parametrize("axis, labels", [
    (dict(categoryarray=["A", "B"]), ["A", "B"]),
    (dict(categoryarray=["A", "B"], ticktext=["Alpha Bravo Charlie", "B"]),
     ["Alpha Bravo Charlie", "B"]),
    (dict(range=[0, 10]), ["10", "0"]),
    (dict(range=[0, 9.5]), ["9.25", "0.25"]),
    (dict(range=[-40, 3]), ["3", "\u221240"]),
    (dict(range=[-4, 3]), ["3.25", "\u22124.25"]),
    (dict(range=[0, 800], type="linear"), ["800", "0"]),
    (dict(range=[0, 0.05]), None),
    (dict(range=[0, 50], tickformat=".0%"), None),
    (dict(range=[0, 50], ticksuffix="%"), None),
    (dict(range=[0, 50], tickprefix="$"), None),
    (dict(range=[0, 3], type="log"), None),
    (dict(range=[0, 50], overlaying="y"), None),  # drawn over another axis
    (dict(range=[0, 50], side="right"), None),
    (dict(range=[0, 50], anchor="free"), None),
    (dict(range=[0, 50], visible=False), None),
    (dict(), None),
])
def test_left_margin_holds_what_the_axis_draws(axis, labels):
    screen = dict(font=dict(size=12), margin=dict(l=8), yaxis=dict(axis))
    briefing = {}
    figures._measured_left_margin(screen, briefing)
    if labels is None:
        assert screen["margin"]["l"] == 8 and "automargin" not in screen["yaxis"]
        assert briefing == {}
        return
    assert screen["margin"]["l"] == int(_labels_px(labels, 12)) + 13
    assert screen["yaxis"]["automargin"] is False and briefing["yaxis"]["automargin"] is True


def test_a_legend_of_more_than_five_shown_entries_moves_right_of_the_plot():
    legend = dict(orientation="h", title=dict(text="Group"))
    five = [dict(name=f"group {i}") for i in range(5)]
    hidden = [dict(name="all", showlegend=False), dict(showlegend=True)]  # unnamed: not shown
    assert figures._fit_legend(legend, five + hidden) == legend
    column = figures._fit_legend(legend, five + [dict(name="group 5")])
    assert (column["orientation"], column["x"], column["xanchor"]) == ("v", 1.01, "left")
    assert column["title"] == dict(text="Group", side="top", font=dict(size=12))


@pytest.mark.parametrize("n, words", [(1, "1 attack in view"), (3, "3 attacks in view")])
def test_map_note_counts_attacks_placed_at_province_level_only(n, words):
    notes = figures._map_notes(None, pd.DataFrame(columns=["district", "attacks"]), "screen",
                               province_level=n)
    text = " ".join(note["text"] for note in notes)
    assert (f"{words} placed at province level only: the district shown is not "
            "established") in text


def test_footer_of_no_data_says_no_date(ds):
    from dashboard.data.dataset import Dataset
    from dashboard.data.schema import LoadResult, empty_frame
    empty = Dataset.from_result(LoadResult(empty_frame()), ds.reference)
    assert figures.foot(View(empty, ViewState())) == "Source: no incident in view; data to n/a"


def test_screen_footer_counts_the_view_in_words(ds, raw):
    newest = raw["date"].max()
    parts = raw["district"].str.split(";").map(lambda ds_: [d.strip() for d in ds_])
    counts = parts.explode().value_counts()
    district = sorted(counts[counts == 1].index)[0]  # a district of one attack
    collection = raw.loc[parts.map(lambda ds_: district in ds_), "collection"].iloc[0]
    assert figures.foot(View(ds, Filters(district=(district,)))) == (
        f"Source: 1 sourced incident of {collection}; data to {newest}")
    assert figures.foot(View(ds, Filters(date_to=date(2010, 1, 1)))) == (
        f"Source: no incident in view; data to {newest}")
    every = ", ".join(sorted(set(raw["collection"])))
    assert figures.foot(View(ds, Filters())) == (
        f"Source: {len(raw)} sourced incidents of {every}; data to {newest}")


def test_fit_to_height_keeps_the_categories_and_shrinks_their_font(ds):
    fig = BY_NAME["district"].figure(View(ds, ViewState()), "")
    before = list(fig.layout.yaxis.categoryarray)
    rows = len(before)
    fitted = figures.fit_to_height(fig, 600)
    assert fitted.layout.height == 600
    assert list(fitted.layout.yaxis.categoryarray) == before  # same order, first on top
    # 600 px less the title, footer and axis room, shared by the rows at 0.8 of a row
    assert fitted.layout.yaxis.tickfont.size == max(8, min(15, int((600 - 224) / rows * 0.8)))
    assert fitted.layout.yaxis.dtick == 1


def test_without_the_font_file_the_browser_measures(ds, monkeypatch):
    from dashboard import textwidth
    monkeypatch.setattr(textwidth, "FONT_FILE", "no-such-font.ttf")
    textwidth._font.cache_clear()
    try:
        layout = BY_NAME["district"].figure(View(ds, ViewState()), "", frame="screen").layout
    finally:
        textwidth._font.cache_clear()
    assert layout.yaxis.automargin is True and layout.margin.l == 8


def test_an_incident_in_two_districts_of_one_polygon_counts_once_there(tmp_path):
    """Hub has no polygon of its own (it is counted in Lasbela's): an attack naming both
    is one attack on the Lasbela polygon, not two."""
    from bench.synthetic import synthetic_incidents
    from dashboard.data.dataset import Dataset
    from dashboard.data.loading import load_files
    frame = synthetic_incidents(3, seed=3)
    frame["province"] = "Balochistan"
    frame["district"] = ["Quetta; Lasbela; Hub", "Hub", "Quetta"]
    path = tmp_path / "hub.csv"
    frame.to_csv(path, index=False)
    result = load_files([path], progress=False)
    assert result.rejected == 0
    table, _, _ = aggregate.map_polygons(View(Dataset.from_result(result), ViewState()))
    attacks = dict(zip(table["name"], table["attacks"]))
    assert (attacks["Lasbela"], attacks["Quetta"]) == (2, 2)
