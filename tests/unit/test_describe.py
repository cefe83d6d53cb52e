"""Every chart as a table and a summary (issue 18): the numbers against the oracle, and a
table row's button applies the same filter as a click on its bar."""
from __future__ import annotations

import json

import pytest

from dashboard import describe, ids
from dashboard.callbacks.a11y import described
from dashboard.callbacks.controller import next_state
from dashboard.charts import BY_NAME, CHARTS
from dashboard.filters import ViewState
from tests import app_view, oracle


def test_district_table_and_summary_match_the_oracle(ds):
    fig = app_view.figures_for(ds, "province=Balochistan", ("district",))["district"]
    columns, rows = describe.chart_table(fig)
    table = oracle.districts(oracle.parse("province=Balochistan"))
    table = table.loc[:, [c for c in table.columns if table[c].sum() > 0]]
    assert columns == list(table.columns)
    assert [r.label for r in rows] == list(table.index)
    assert [list(r.values) for r in rows] == table.to_numpy().tolist()
    top = ", ".join(f"{d} {int(table.loc[d].sum())}" for d in table.index[:3])
    assert describe.summary(fig, columns, rows).endswith(
        f"{len(table)} rows; largest (all series): {top}.")


def test_timeline_rows_select_their_period(ds):
    fig = app_view.figures_for(ds, "period=month&district=Quetta", ("timeline",))["timeline"]
    columns, rows = describe.chart_table(fig)
    expected = oracle.timeline(oracle.parse("period=month&district=Quetta"))
    assert columns == ["Killed", "Injured"]
    assert [list(r.values) for r in rows] == expected[["killed", "injured"]].to_numpy().tolist()
    assert rows[0].event["range"]["x"][0] == expected["period"].iat[0]


def test_change_table_matches_the_oracle(ds):
    query = "view=change&from=2024-01-01&to=2024-12-31"
    fig = app_view.figures_for(ds, query, ("change",))["change"]
    _, rows = describe.chart_table(fig)
    expected = oracle.change_by_district(oracle.parse(query))
    assert [list(r.values) for r in rows] == [[e["d_attacks"], e["d_killed"]]
                                             for e in expected]


@pytest.mark.parametrize("chart", [c.name for c in CHARTS])
def test_every_chart_has_a_table_whose_rows_filter_like_a_click(ds, chart):
    query = "province=Balochistan&view=" + BY_NAME[chart].tab
    state = ViewState.from_query(query, ds.reference, {})[0]
    fig = app_view.figures_for(ds, query, (chart,), frame="screen")[chart]
    out = described(BY_NAME[chart], fig)
    assert out["titles"] and out["summaries"].startswith(out["titles"])
    columns, rows = describe.chart_table(fig)
    assert rows, chart
    row = rows[0]
    by_row, _ = next_state(ids.ROW_CHOSEN, state, ds,
                           event={"chart": chart, "event": row.event_key()})
    c = BY_NAME[chart]
    by_click, _ = c.click(state, json.loads(row.event_key()), ds)
    assert by_row == by_click and by_row != state, chart
