"""The benchmark's baseline: the same four charts, KPIs, filters and table written the plain
way, in Dash + plotly.express: one callback, a global dataframe, every output re-sent on every
change, Dash's full plotly.js bundle.

    python bench/baseline_app.py --data FILE --port 8051

Not part of the dashboard; bench/browser.py starts it beside the app and times both. It reads
the canonical CSV or Parquet columns as they are (no validation) and serves only loopback.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import flask
import pandas as pd
import plotly.express as px
from dash import Dash, Input, Output, State, ctx, dash_table, dcc, html

ROOT = Path(__file__).resolve().parent.parent
GEOJSON = ROOT / "assets" / "geo" / "districts.geojson"
TOPOJSON = ROOT / "assets" / "topojson"
GRAPHS = ("base-district", "base-map", "base-target", "base-timeline")


def read(path: str) -> pd.DataFrame:
    df = pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path, dtype=str)
    df["date"] = pd.to_datetime(df["date"])
    for column in ("killed", "injured"):
        df[column] = pd.to_numeric(df[column], errors="coerce")
    df["district"] = df["district"].str.split("; ")
    return df.explode("district")  # one row per incident and district, as a user would


def filtered(df, province, district, group, target, start, end, min_killed):
    keep = pd.Series(True, index=df.index)
    for column, chosen in (("province", province), ("district", district), ("group", group),
                           ("target_type", target)):
        if chosen:
            keep &= df[column].isin(chosen)
    if start:
        keep &= df["date"] >= pd.Timestamp(start)
    if end:
        keep &= df["date"] <= pd.Timestamp(end)
    if min_killed:
        keep &= df["killed"] >= float(min_killed)
    return df[keep]


def figures(view: pd.DataFrame, geojson: dict) -> list:
    incidents = view.drop_duplicates("incident_id")
    by_district = view.groupby(["district", "group"]).size().reset_index(name="attacks")
    by_target = incidents.groupby(["target_type", "group"]).size().reset_index(name="attacks")
    by_year = incidents.groupby(incidents["date"].dt.year)[["killed", "injured"]].sum()
    per_district = view.groupby("district").size().reset_index(name="attacks")
    district = px.bar(by_district, y="district", x="attacks", color="group", orientation="h",
                      title="Attacks by district")
    district.update_layout(yaxis={"categoryorder": "total ascending"}, clickmode="event")
    target = px.bar(by_target, y="target_type", x="attacks", color="group", orientation="h",
                    title="Attacks by target")
    timeline = px.bar(by_year.reset_index(), x="date", y=["killed", "injured"],
                      barmode="group", title="Killed and injured per year")
    choropleth = px.choropleth(per_district, geojson=geojson, locations="district",
                               featureidkey="properties.district", color="attacks",
                               title="Attacks by district (map)")
    choropleth.update_geos(fitbounds="locations", visible=False)
    return [district, choropleth, target, timeline]


def kpis(view: pd.DataFrame) -> list[str]:
    incidents = view.drop_duplicates("incident_id")
    unknown = incidents["killed"].isna() | incidents["injured"].isna()
    return [f"{len(incidents):,}", f"{int(incidents['killed'].sum()):,}",
            f"{int(incidents['injured'].sum()):,}", f"{int(unknown.sum()):,}"]


def table(view: pd.DataFrame) -> list[dict]:
    rows = view.drop_duplicates("incident_id").sort_values("date", ascending=False).head(300)
    rows = rows.assign(date=rows["date"].dt.strftime("%Y-%m-%d"))
    return rows[["date", "district", "group", "target_type", "attack_type", "killed",
                 "injured", "source_urls", "incident_id"]].to_dict("records")


def toggled(chosen: list | None, click: dict | None, key: str = "y") -> list:
    """A click on a bar or a district adds it to the filter, or takes it out again."""
    value = click["points"][0].get(key) or click["points"][0].get("location")
    chosen = list(chosen or [])
    return [v for v in chosen if v != value] if value in chosen else chosen + [value]


def build(df: pd.DataFrame, topojson_url: str) -> html.Div:
    def dropdown(id_, column):
        return dcc.Dropdown(id=id_, options=sorted(df[column].dropna().unique()), multi=True,
                            placeholder=column)
    config = {"topojsonURL": topojson_url}
    return html.Div([
        html.H1("Baseline (plain Dash + plotly.express)"),
        html.Div([dropdown("base-province", "province"), dropdown("base-district-dd", "district"),
                  dropdown("base-group", "group"), dropdown("base-target-dd", "target_type"),
                  dcc.DatePickerRange(id="base-dates"),
                  dcc.Input(id="base-min-killed", type="number", placeholder="min killed")]),
        html.Div([html.Div(id=f"base-kpi-{i}") for i in range(4)]),
        *[dcc.Graph(id=g, config=config) for g in GRAPHS],
        dash_table.DataTable(id="base-table", page_size=25),
    ])


def create(path: str) -> Dash:
    df = read(path)
    geojson = json.loads(GEOJSON.read_text())
    app = Dash(__name__, serve_locally=True, assets_folder=str(ROOT / "bench" / "no-assets"))

    @app.server.route("/topojson/<path:name>")
    def topojson(name):
        return flask.send_from_directory(TOPOJSON, name)

    app.layout = build(df, "/topojson/")

    @app.callback(
        [Output(g, "figure") for g in GRAPHS] + [Output(f"base-kpi-{i}", "children")
                                                 for i in range(4)]
        + [Output("base-table", "data"), Output("base-district-dd", "value"),
           Output("base-target-dd", "value")],
        [Input("base-province", "value"), Input("base-district-dd", "value"),
         Input("base-group", "value"), Input("base-target-dd", "value"),
         Input("base-dates", "start_date"), Input("base-dates", "end_date"),
         Input("base-min-killed", "value"), Input("base-district", "clickData"),
         Input("base-map", "clickData"), Input("base-target", "clickData")],
        State("base-district-dd", "value"))
    def update(province, district, group, target, start, end, min_killed, bar, area,
               target_bar, _):
        if ctx.triggered_id in ("base-district", "base-map") and (bar or area):
            district = toggled(district, bar if ctx.triggered_id == "base-district" else area)
        if ctx.triggered_id == "base-target" and target_bar:
            target = toggled(target, target_bar)
        view = filtered(df, province, district, group, target, start, end, min_killed)
        return figures(view, geojson) + kpis(view) + [table(view), district, target]

    return app


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT / "data" / "incidents.csv"))
    parser.add_argument("--port", type=int, default=8051)
    args = parser.parse_args()
    create(args.data).run(host="127.0.0.1", port=args.port, debug=False)


if __name__ == "__main__":
    sys.exit(main())
