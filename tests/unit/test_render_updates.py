"""Only what changed is sent: a chart the page holds gets a Patch of its changed parts."""
import pandas as pd
import plotly.graph_objects as go
from dash import Patch, no_update

from dashboard.callbacks.render import figure_update
from dashboard.callbacks.table import grid_rows
from tests import oracle


def fig(title="A", y=(1, 2), extra=None):
    layout = {"title": {"text": title}, "template": {"layout": {"font": {"size": 12}}},
              **(extra or {})}
    return go.Figure(data=[{"type": "bar", "y": list(y)}], layout=layout)


def operations(patch: Patch) -> list[tuple]:
    return [(op["operation"], tuple(op["location"])) for op in
            patch.to_plotly_json()["operations"]]


def test_first_draw_sends_the_whole_figure():
    sent, digests = figure_update(fig(), None)
    assert sent["data"][0]["y"] == [1, 2] and sent["layout"]["title"]["text"] == "A"
    assert set(digests) == {"data", "layout.title", "layout.template"}


def test_an_unchanged_figure_is_not_sent():
    _, digests = figure_update(fig(), None)
    sent, again = figure_update(fig(), digests)
    assert sent is no_update and again == digests


def test_a_change_sends_only_the_changed_parts():
    _, digests = figure_update(fig(extra={"height": 300}), None)
    sent, now = figure_update(fig(title="B"), digests)
    assert isinstance(sent, Patch)
    ops = operations(sent)
    assert ("Assign", ("layout", "title")) in ops
    assert ("Delete", ("layout", "height")) in ops
    assert not any(loc[:2] == ("layout", "template") or loc == ("data",) for _, loc in ops)
    sent, _ = figure_update(fig(title="B", y=(3,)), now)
    assert operations(sent) == [("Assign", ("data",))]


def test_table_rows_leave_unknown_counts_out(ds):
    raw = pd.read_csv("data/incidents.csv", dtype=str, keep_default_na=False)
    raw = raw.set_index("incident_id")
    out = grid_rows(ds.incidents)
    assert len(out) == len(raw)
    for record in out:
        for k in ("killed", "injured"):
            text = raw.at[record["incident_id"], k]
            assert record.get(k) == (int(text) if text else None), (record["incident_id"], k)


def test_junk_digests_from_a_client_mean_nothing_drawn(ds):
    from dashboard.aggregate import View
    from dashboard.callbacks.render import chart_updates
    from dashboard.filters import ViewState
    for junk in (["x"], "x", 3, {"district": [1]}, {"district": "x"}):
        figures, digests, _ = chart_updates(View(ds, ViewState()), {"district"}, junk)
        assert isinstance(figures["district"], dict) and "data" in digests["district"]


def test_table_newest_rows_match_a_full_sort(ds):
    from dashboard.aggregate import View, incident_rows
    from dashboard.callbacks.table import newest
    from dashboard.data.dataset import Dataset
    from dashboard.filters import Filters, ViewState
    shuffled = Dataset(ds.incidents.sample(frac=1, random_state=3).reset_index(drop=True),
                       None, ds.reference)
    from dashboard.data.dataset import district_links
    shuffled.links = district_links(shuffled.incidents)
    assert ds.dates_ascending and not shuffled.dates_ascending
    for data in (ds, shuffled):
        for f in (Filters(), Filters(province=("Balochistan",)), Filters(group=("BLA",))):
            view = View(data, ViewState(f))
            for limit in (1, 7, 30, 500):
                rows, total = newest(view, limit)
                full = incident_rows(view)
                assert total == len(full)
                assert rows["incident_id"].tolist() == full["incident_id"].head(limit).tolist()


def test_a_charts_table_is_sent_only_while_open_and_its_summary_always(ds):
    """Each changed chart's title and summary go with it; its table only when the page shows
    it (a closed one is emptied, so no stale rows show when it opens and is filled)."""
    from dashboard.aggregate import View
    from dashboard.callbacks.render import rendered
    from dashboard.filters import Filters, ViewState
    view = View(ds, ViewState(Filters(group=("IS-K",))))
    closed = rendered(view, None)
    opened = rendered(view, None, {"district"})
    assert closed["tables"]["district"] == [] and closed["tables"]["target"] == []
    table = str(opened["tables"]["district"])
    assert "IS-K attacks by district" in table and "Filter to Mastung" in table
    assert opened["tables"]["target"] == []
    assert closed["summaries"]["district"] == opened["summaries"]["district"] != ""
    again = rendered(view, opened["drawn"], {"district"})  # nothing changed: nothing sent
    assert again["tables"]["district"] is no_update and again["figures"]["district"] is no_update
    assert again["summaries"]["map"] is no_update


def test_a_tall_charts_height_is_set_with_it_and_only_when_it_changes(ds):
    """A category chart of many rows keeps its height (and scrolls in its card), a short one
    fills the card; the style goes in the same answer, and not again while unchanged."""
    from dashboard.aggregate import View
    from dashboard.callbacks.render import rendered
    from dashboard.filters import Filters, ViewState
    every = rendered(View(ds, ViewState()), None)
    districts = len(set(oracle.select(oracle.parse("")).explode("districts")["districts"]))
    assert districts > 12 and every["styles"]["district"]["height"].endswith("px")
    assert int(every["styles"]["district"]["height"][:-2]) >= districts * 14
    assert every["styles"]["timeline"] == {"height": "100%"}
    mastung = rendered(View(ds, ViewState(Filters(district=("Mastung",)))), every["drawn"])
    assert mastung["figures"]["timeline"] is not no_update  # redrawn, its height the same:
    assert mastung["styles"]["timeline"] is no_update      # no style sent
    assert every["styles"]["target"]["height"].endswith("px")  # more than 12 target types
    assert mastung["styles"]["target"] == {"height": "100%"}   # Mastung's fewer
