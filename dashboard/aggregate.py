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
    a, keep = v.ds.arrays, v.mask()
    unknown_k, unknown_i = a["killed_unknown"][keep], a["injured_unknown"][keep]
    return Totals(
        attacks=int(keep.sum()),
        killed=int(a["killed_known"][keep].sum()),
        injured=int(a["injured_known"][keep].sum()),
        unknown_killed=int(unknown_k.sum()),
        unknown_injured=int(unknown_i.sum()),
        unknown_any=int(np.count_nonzero(unknown_k + unknown_i)),
    )


def by_district(v: View) -> pd.DataFrame:
    """Attacks per district (rows) and group (columns), ignoring the district filter itself.

    Rows are sorted by total attacks, most first. With provinces selected, every gazetteer
    district of those provinces is listed (zero included); otherwise only districts with at
    least one attack in the view.
    """
    return v.memo("by_district", lambda: _by_district(v.ds, v.f, v.mask(("district",))))


def _by_district(ds, f: Filters, keep: np.ndarray) -> pd.DataFrame:
    a = ds.arrays
    rows = a["link_row"]
    hit = keep[rows]
    table = _crosstab(a["link_district"][hit], a["group"][rows[hit]],
                      ds.links["district"].cat.categories, ds.incidents["group"].cat.categories,
                      "district")
    if f.province:
        listed = ds.reference.districts_of(f.province)
        table = table.reindex(sorted(set(listed) | set(table.index[table.sum(axis=1) > 0])),
                              fill_value=0)
    return _most_first(table, keep_zero=bool(f.province))


def by_target(v: View) -> pd.DataFrame:
    """Attacks per target type (rows, most first) and group (columns), ignoring the target
    filter itself."""
    keep = v.mask(("target_type",))
    a, inc = v.ds.arrays, v.ds.incidents
    table = _crosstab(a["target_type"][keep], a["group"][keep],
                      inc["target_type"].cat.categories, inc["group"].cat.categories,
                      "target_type")
    return _most_first(table, keep_zero=False)


def _crosstab(row_codes, col_codes, rows, cols, name: str) -> pd.DataFrame:
    """Counts of (row, column) category-code pairs, by bincount."""
    counts = np.bincount(row_codes * len(cols) + col_codes,
                         minlength=len(rows) * len(cols)).reshape(len(rows), len(cols))
    return pd.DataFrame(counts, index=pd.Index(rows.astype(object), name=name),
                        columns=pd.Index(cols.astype(object), name="group"))


def _most_first(table: pd.DataFrame, keep_zero: bool) -> pd.DataFrame:
    totals = table.to_numpy().sum(axis=1)
    if not keep_zero:
        table, totals = table[totals > 0], totals[totals > 0]
    order = np.lexsort((table.index.to_numpy(), -totals))  # most first, then by name
    return table.iloc[order]


def over_time(v: View) -> pd.DataFrame:
    """Attacks, killed and injured per year or month, ignoring the date filter itself.

    Columns: period (first day), attacks, killed, injured, unknown_killed, unknown_injured.
    Periods with no attack inside the data's span are listed as zero.
    """
    keep = v.mask(("date",))
    a = v.ds.arrays
    index = a["year" if v.f.period == "year" else "month"][keep]
    unit = "Y" if v.f.period == "year" else "M"
    if not len(index):
        return pd.DataFrame(columns=["period", "attacks", "killed", "injured",
                                     "unknown_killed", "unknown_injured"])
    lo, hi = index.min(), index.max()
    slot = index - lo
    size = int(hi - lo + 1)

    def per_period(column: str | None) -> np.ndarray:
        weights = None if column is None else a[column][keep]
        return np.bincount(slot, weights=weights, minlength=size).astype(np.int64)

    out = pd.DataFrame({
        "period": (np.arange(lo, hi + 1).astype(f"datetime64[{unit}]")
                   .astype("datetime64[ns]")),
        "attacks": per_period(None),
        "killed": per_period("killed_known"),
        "injured": per_period("injured_known"),
        "unknown_killed": per_period("killed_unknown"),
        "unknown_injured": per_period("injured_unknown"),
    })
    return out


def map_points(v: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """One bubble per district at its headquarters, ignoring the district filter itself.

    Columns: district, attacks (all groups), main_group (the group with most attacks there;
    ties go to the first in the data's group order), breakdown (e.g. 'IS-K 17, BLA 3'),
    latitude, longitude. Returns (located points, districts with attacks but no coordinates).
    """
    wide = by_district(v)
    counts = wide.to_numpy()
    totals = counts.sum(axis=1)
    groups = wide.columns.to_numpy(dtype=object)
    table = pd.DataFrame({
        "district": wide.index.to_numpy(dtype=object),
        "attacks": totals,
        "main_group": groups[counts.argmax(axis=1)] if len(groups) else [],
        "breakdown": [", ".join(f"{g} {n}" for g, n in zip(groups[row > 0], row[row > 0]))
                      for row in counts],
    })[totals > 0]
    table = table.join(v.ds.reference.districts[["latitude", "longitude"]], on="district")
    located = table["latitude"].notna().to_numpy()
    return (table[located].reset_index(drop=True),
            table.loc[~located, ["district", "attacks"]].reset_index(drop=True))


def incidents(v: View) -> pd.DataFrame:
    """The incidents of the view, newest first."""
    return v.ds.incidents[v.mask()].sort_values(["date", "incident_id"],
                                                 ascending=[False, True], kind="stable")
