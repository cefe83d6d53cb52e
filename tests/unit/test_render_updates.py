"""Only what changed is sent: a chart the page holds gets a Patch of its changed parts."""
import copy
import json

import pandas as pd
import plotly.graph_objects as go
from dash import Patch, no_update

from dashboard.callbacks.patches import figure_update, plain_json
from dashboard.callbacks.table import grid_rows
from tests import oracle
from tests.app_view import records


def fig(title="A", y=(1, 2), extra=None, labels=20):
    """A figure big enough to be split (SPLIT bytes): `labels` annotations of ~100 bytes."""
    layout = {"title": {"text": title}, "template": {"layout": {"font": {"size": 12}}},
              "annotations": [{"text": f"label {i} " + "x" * 80, "x": i} for i in range(labels)],
              **(extra or {})}
    return go.Figure(data=[{"type": "bar", "y": list(y)}, {"type": "bar", "y": [9] * 1200}],
                     layout=layout)


def applied(page: dict, sent) -> dict:
    """What the browser holds after `sent` (Dash's Patch operations Assign and Delete at a
    location, applied here by hand; a whole figure replaces the page's)."""
    if sent is no_update:
        return page
    if not isinstance(sent, Patch):
        return copy.deepcopy(sent)
    page = copy.deepcopy(page)
    for op in sent.to_plotly_json()["operations"]:
        *path, last = op["location"]
        node = page
        for key in path:
            node = node[key]
        if op["operation"] == "Assign":
            node[last] = op["params"]["value"]
        elif op["operation"] == "Delete":
            del node[last]
        else:
            raise AssertionError(f"unexpected operation {op['operation']}")
    return page


def plain(figure) -> dict:
    return json.loads(figure.to_json())


def operations(patch: Patch) -> list[tuple]:
    return [(op["operation"], tuple(op["location"])) for op in
            patch.to_plotly_json()["operations"]]


def test_first_draw_sends_the_whole_figure():
    sent, digests = figure_update(fig(), None)
    assert sent == plain(fig()) and "{}" in digests


def test_an_unchanged_figure_is_not_sent():
    _, digests = figure_update(fig(), None)
    sent, again = figure_update(fig(), digests)
    assert sent is no_update and again == digests


def test_a_change_sends_only_the_changed_parts():
    before = fig(extra={"height": 300})
    page, digests = figure_update(before, None)
    after = fig(title="B")
    sent, now = figure_update(after, digests)
    assert isinstance(sent, Patch) and applied(page, sent) == plain(after)
    ops = operations(sent)
    assert ("Assign", ("layout", "title")) in ops and ("Delete", ("layout", "height")) in ops
    assert not any(loc[:2] in (("layout", "template"), ("layout", "annotations")) or
                   loc[:1] == ("data",) for _, loc in ops)
    one_label = fig(title="B", y=(3,))
    one_label.layout.annotations[7].text = "moved"
    sent, _ = figure_update(one_label, now)
    assert sorted(operations(sent)) == [("Assign", ("data", 0)),
                                        ("Assign", ("layout", "annotations", 7))]
    assert applied(applied(page, figure_update(after, digests)[0]), sent) == plain(one_label)


def test_a_figure_as_plain_json_is_what_plotly_itself_writes():
    """The figure's JSON read from its own dicts (``plain_json``) against plotly's
    ``to_json`` (the oracle): numpy arrays of each kind, where plotly leaves them as lists
    (under 'range', in a list), dates, missing values, trace uids, frames; the figure is
    left as it was."""
    import datetime

    import numpy as np
    days = np.array(["2024-01-01", "2024-02-01"], dtype="datetime64[ns]")
    figure = go.Figure(
        data=[go.Bar(x=np.array([1, 2, 3], dtype="int8"), y=np.array([0.5, np.nan, 2.25]),
                     customdata=np.arange(6, dtype="uint16").reshape(3, 2), uid="kept-out",
                     text=("a", "b", "c")),
              go.Scatter(x=days, y=[1, None], marker={"color": np.array([3.0, 4.0])}),
              go.Scatter(x=np.array(["x", "y"], dtype=object), y=np.array([], dtype=float))],
        layout={"xaxis": {"range": np.array([0.0, 9.5])}, "title": {"text": "<b>x</b> & y"},
                "shapes": [{"type": "line", "x0": datetime.date(2024, 1, 1), "x1": 2}],
                "meta": {"briefing": {"annotations": [{"text": "é – ü"}]}}},
        frames=[go.Frame(data=[go.Bar(y=np.array([7, 8], dtype="int64"))], name="f")],
    )
    # unvalidated, as the app builds its figures: numpy kept where validation makes lists
    raw = go.Figure(data=[{"type": "choropleth", "z": np.array([1.5, 2.5]),
                           "geojson": {"type": "Feature", "bbox": np.array([60.0, 24.0])}}],
                    layout={"xaxis": {"range": np.array([0.0, 9.5])}}, _validate=False)
    for f in (figure, raw):
        before = f.to_json()
        assert plain_json(f) == plain(f)
        assert f.to_json() == before


def test_lists_that_grow_or_shrink_and_keys_that_come_and_go():
    page, digests = figure_update(fig(), None)
    for after in (fig(labels=25), fig(labels=3), fig(labels=0), fig(extra={"width": 500}),
                  go.Figure(data=[{"type": "bar", "y": [1]}]), go.Figure()):
        sent, _ = figure_update(after, digests)
        assert applied(page, sent) == plain(after), after.layout.annotations


def test_the_apps_figures_patched_from_view_to_view_are_the_new_figures(ds):
    """Every chart, from one view to the next along a session of clicks: what the page holds
    after the patch is exactly the new figure."""
    from dashboard.aggregate import View
    from dashboard.charts import CHARTS
    from dashboard.filters import Filters, ViewState
    from dashboard.callbacks.common import base_url  # noqa: F401 - request context below
    from dashboard.app import create_app
    states = [ViewState(), ViewState(Filters(district=("Quetta",))),
              ViewState(Filters(district=("Quetta",), group=("IS-K",))),
              ViewState(Filters(group=("BLA",), province=("Balochistan",))), ViewState()]
    with create_app(dataset=ds).server.test_request_context("/"):
        for c in CHARTS:
            page, digests = None, None
            for state in states:
                new = c.figure(View(ds, state), "", frame="screen")
                sent, digests = figure_update(new, digests)
                page = applied(page, sent)
                assert page == plain(new), (c.name, state)


def test_table_rows_leave_unknown_counts_out(ds):
    raw = pd.read_csv("data/incidents.csv", dtype=str, keep_default_na=False)
    raw = raw.set_index("incident_id")
    out = records(grid_rows(ds.incidents))
    assert len(out) == len(raw)
    for record in out:
        for k in ("killed", "injured"):
            text = raw.at[record["incident_id"], k]
            assert record.get(k) == (int(text) if text else None), (record["incident_id"], k)


def test_table_rows_are_sent_as_columns_and_values(ds):
    """The field names once, then each row's values in their order; a column null in every
    row is not sent (a view whose incidents all have URLs sends no cited-text column)."""
    for rows in (ds.incidents, ds.incidents[ds.incidents["source_urls"] != ""].head(5)):
        sent = grid_rows(rows)
        assert len(set(sent["columns"])) == len(sent["columns"]) and len(sent["data"]) == len(rows)
        assert all(len(values) == len(sent["columns"]) for values in sent["data"])
        for i, column in enumerate(sent["columns"]):
            assert any(values[i] is not None for values in sent["data"]), column
    assert "source_text" not in sent["columns"] and "sources" in sent["columns"]


def test_junk_digests_from_a_client_mean_nothing_drawn(ds):
    from dashboard.aggregate import View
    from dashboard.callbacks.render import chart_updates
    from dashboard.filters import ViewState
    for junk in (["x"], "x", 3, {"district": [1]}, {"district": "x"}):
        figures, digests, _ = chart_updates(View(ds, ViewState()), {"district"}, junk)
        assert isinstance(figures["district"], dict) and "{}" in digests["district"]


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
    it (a closed one was emptied when it closed, and is filled when it opens)."""
    from dashboard.aggregate import View
    from dashboard.callbacks.render import rendered
    from dashboard.filters import Filters, ViewState
    view = View(ds, ViewState(Filters(group=("IS-K",))))
    closed = rendered(view, None)
    opened = rendered(view, None, {"district"})
    assert closed["tables"]["district"] is no_update and closed["tables"]["target"] is no_update
    table = str(opened["tables"]["district"])
    assert "IS-K attacks by district" in table and "Filter to Mastung" in table
    assert opened["tables"]["target"] is no_update
    assert closed["summaries"]["district"] == opened["summaries"]["district"] != ""
    again = rendered(view, opened["drawn"], {"district"})  # nothing changed: nothing sent
    assert again["tables"]["district"] is no_update and again["figures"]["district"] is no_update
    assert again["summaries"]["map"] is no_update


def test_a_tall_chart_has_its_own_height_and_no_answer_resizes_a_box(ds):
    """A category chart of many rows has its own height (its card scrolls), a short one
    fills its card; no answer sets a graph's style, so a box never resizes with the data
    (dcc.Graph checks each resize 50 ms later: the last change of a click)."""
    from dashboard.aggregate import View
    from dashboard.callbacks.render import outputs, rendered
    from dashboard.charts import BY_NAME, CHARTS
    from dashboard.filters import Filters, ViewState
    every = rendered(View(ds, ViewState()), None)
    districts = len(set(oracle.select(oracle.parse("")).explode("districts")["districts"]))
    assert districts > 12 and every["figures"]["district"]["layout"]["height"] >= districts * 14
    assert "height" not in every["figures"]["timeline"]["layout"]
    types = oracle.select(oracle.parse(""))["target_type"].nunique()
    assert types > 12 and every["figures"]["target"]["layout"]["height"] >= types * 14
    mastung = View(ds, ViewState(Filters(district=("Mastung",))))
    assert "height" not in plain(BY_NAME["target"].figure(mastung, "", frame="screen"))["layout"]
    graphs = {c.graph_id for c in CHARTS}
    written = [o for group in outputs().values()
               for o in (group.values() if isinstance(group, dict) else [group])]
    assert {o.component_property for o in written
            if isinstance(o.component_id, str) and o.component_id in graphs} == {"figure"}
