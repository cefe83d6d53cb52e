"""Aggregations behind every number and chart: pure pandas/numpy on a View (dataset + filters).

Each function applies the filters through ``filters.mask`` (one place) and returns a small
dataframe; figures only draw what these return. Counting uses category codes and bincount so a
cross-filter update stays fast at a million rows. A View computes each mask once per update,
however many charts ask for it.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .filters import Filters, mask


class View:
    """The dataset seen through one Filters value, with its masks computed once."""

    def __init__(self, ds, f: Filters):
        self.ds, self.f = ds, f
        self._memo: dict = {}

    def mask(self, ignore: tuple[str, ...] = ()) -> np.ndarray:
        return self.memo(("mask", ignore), lambda: mask(self.ds, self.f, ignore))

    def memo(self, key, compute):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


@dataclass(frozen=True)
class Totals:
    attacks: int
    killed: int
    injured: int
    unknown_killed: int
    unknown_injured: int
    unknown_any: int  # incidents with killed or injured unknown


def totals(v: View) -> Totals:
    keep = v.mask()
    inc = v.ds.incidents
    killed = inc["killed"].to_numpy(dtype="float64", na_value=np.nan)[keep]
    injured = inc["injured"].to_numpy(dtype="float64", na_value=np.nan)[keep]
    return Totals(
        attacks=int(keep.sum()),
        killed=int(np.nansum(killed)),
        injured=int(np.nansum(injured)),
        unknown_killed=int(np.isnan(killed).sum()),
        unknown_injured=int(np.isnan(injured).sum()),
        unknown_any=int((np.isnan(killed) | np.isnan(injured)).sum()),
    )


def _codes(series: pd.Series) -> np.ndarray:
    return series.cat.codes.to_numpy().astype(np.int64)


def by_district(v: View) -> pd.DataFrame:
    """Attacks per (district, group), ignoring the district filter itself.

    With provinces selected, every gazetteer district of those provinces is listed (zero
    included); otherwise only districts with at least one attack in the view.
    Columns: district, province, group, attacks; plus a 'total' per district.
    """
    return v.memo("by_district", lambda: _by_district(v.ds, v.f, v.mask(("district",))))


def _by_district(ds, f: Filters, keep: np.ndarray) -> pd.DataFrame:
    links, inc = ds.links, ds.incidents
    rows = links["row"].to_numpy()
    hit = keep[rows]
    districts = links["district"].cat.categories.astype(object)
    groups = inc["group"].cat.categories.astype(object)
    d_codes = _codes(links["district"])[hit]
    g_codes = _codes(inc["group"])[rows[hit]]
    counts = np.bincount(d_codes * len(groups) + g_codes,
                         minlength=len(districts) * len(groups)).reshape(len(districts), len(groups))
    table = pd.DataFrame(counts, index=pd.Index(districts, name="district"), columns=groups)
    if f.province:
        listed = ds.reference.districts_of(f.province)
        table = table.reindex(sorted(set(listed) | set(table.index[table.sum(axis=1) > 0])),
                              fill_value=0)
    else:
        table = table[table.sum(axis=1) > 0]
    long = table.reset_index().melt(id_vars="district", var_name="group", value_name="attacks")
    total = table.sum(axis=1)
    long["total"] = long["district"].map(total).astype(int)
    gaz = ds.reference.districts["province"]
    long["province"] = long["district"].map(gaz).fillna("")
    return long.sort_values(["total", "district"], ascending=[False, True], kind="stable")


def by_target(v: View) -> pd.DataFrame:
    """Attacks per (target_type, group), ignoring the target filter itself."""
    keep = v.mask(("target_type",))
    inc = v.ds.incidents
    targets = inc["target_type"].cat.categories.astype(object)
    groups = inc["group"].cat.categories.astype(object)
    code = _codes(inc["target_type"])[keep] * len(groups) + _codes(inc["group"])[keep]
    counts = np.bincount(code, minlength=len(targets) * len(groups)).reshape(len(targets),
                                                                            len(groups))
    table = pd.DataFrame(counts, index=pd.Index(targets, name="target_type"), columns=groups)
    table = table[table.sum(axis=1) > 0]
    long = table.reset_index().melt(id_vars="target_type", var_name="group",
                                    value_name="attacks")
    long["total"] = long["target_type"].map(table.sum(axis=1)).astype(int)
    return long.sort_values(["total", "target_type"], ascending=[False, True], kind="stable")


def over_time(v: View) -> pd.DataFrame:
    """Attacks, killed and injured per year or month, ignoring the date filter itself.

    Columns: period (first day), attacks, killed, injured, unknown_killed, unknown_injured.
    Periods with no attack inside the data's span are listed as zero.
    """
    keep = v.mask(("date",))
    inc = v.ds.incidents
    dates = inc["date"].to_numpy()[keep]
    if not len(dates):
        return pd.DataFrame(columns=["period", "attacks", "killed", "injured",
                                     "unknown_killed", "unknown_injured"])
    unit = "Y" if v.f.period == "year" else "M"
    index = dates.astype(f"datetime64[{unit}]").astype("int64")
    lo, hi = index.min(), index.max()
    slot = index - lo
    size = int(hi - lo + 1)
    killed = inc["killed"].to_numpy(dtype="float64", na_value=np.nan)[keep]
    injured = inc["injured"].to_numpy(dtype="float64", na_value=np.nan)[keep]
    out = pd.DataFrame({
        "period": (np.arange(lo, hi + 1).astype(f"datetime64[{unit}]")
                   .astype("datetime64[ns]")),
        "attacks": np.bincount(slot, minlength=size),
        "killed": np.bincount(slot, weights=np.nan_to_num(killed), minlength=size).astype(int),
        "injured": np.bincount(slot, weights=np.nan_to_num(injured), minlength=size).astype(int),
        "unknown_killed": np.bincount(slot, weights=np.isnan(killed), minlength=size).astype(int),
        "unknown_injured": np.bincount(slot, weights=np.isnan(injured),
                                       minlength=size).astype(int),
    })
    return out


def map_points(v: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Bubbles: attacks per (district, group) at the district HQ, ignoring the district filter.

    Returns (points with latitude/longitude, districts that have attacks but no coordinates).
    """
    table = by_district(v)
    table = table[table["attacks"] > 0]
    gaz = v.ds.reference.districts[["latitude", "longitude"]]
    table = table.join(gaz, on="district")
    located = table["latitude"].notna()
    unplaced = (table[~located].groupby("district", observed=True)["attacks"].sum()
                .reset_index())
    return table[located].reset_index(drop=True), unplaced


def incidents(v: View) -> pd.DataFrame:
    """The incidents of the view, newest first."""
    return v.ds.incidents[v.mask()].sort_values(["date", "incident_id"],
                                                 ascending=[False, True], kind="stable")
