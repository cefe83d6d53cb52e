"""Every chart's figure, as plotly JSON, against a reviewed snapshot (syrupy).

The oracle tests check the numbers a chart shows; this pins everything else a reader sees:
colours, order, axes and their ranges, heights and margins, hover templates, titles, notes
and footers, in both frames (the page and the exports). A change to a chart's look fails here
until the snapshot is updated on purpose and the diff reviewed:
    python3 -m pytest tests/unit/test_figure_snapshots.py --snapshot-update
The map's GeoJSON (the shipped polygons, pinned by their own tests) is kept as its digest.
The snapshots follow the shipped data: a data update is a snapshot update too.
"""
from __future__ import annotations

import hashlib
import json

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

from dashboard import textwidth
from dashboard.aggregate import View
from dashboard.charts import BY_NAME, CHARTS
from dashboard.filters import ViewState

QUERIES = {
    "default": "",
    "mastung-monthly": "district=Mastung&period=month",
    "isk-kp": "group=IS-K,ISPP&province=Khyber+Pakhtunkhwa",
    "nothing": "from=2010-01-01&to=2010-01-02",
}


@pytest.fixture
def snapshot_json(snapshot):
    return snapshot.use_extension(JSONSnapshotExtension)


def plain(fig) -> dict:
    out = json.loads(fig.to_json())
    for trace in out.get("data", []):
        if "geojson" in trace:
            text = json.dumps(trace["geojson"], sort_keys=True)
            trace["geojson"] = "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    return out


@pytest.mark.parametrize("frame", ["screen", "briefing"])
@pytest.mark.parametrize("query", list(QUERIES))
@pytest.mark.parametrize("chart", [c.name for c in CHARTS])
def test_figure_matches_its_snapshot(ds, chart, query, frame, snapshot_json):
    # the page's margins are measured in DejaVu Sans (dashboard/textwidth.py)
    assert textwidth.width(["x"], 12), "DejaVu Sans is missing: install fonts-dejavu-core"
    figure = BY_NAME[chart].figure
    state, notices = ViewState.from_query(QUERIES[query], ds.reference, {})
    assert not notices
    fig = figure(View(ds, state), "https://dashboard.example", frame=frame)
    assert plain(fig) == snapshot_json
