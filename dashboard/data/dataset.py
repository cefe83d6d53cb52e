"""The Dataset: validated incidents, their (incident, district) links, and the column arrays
every view filters and counts on (computed once)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

import numpy as np
import pandas as pd

from ..reference import Reference, load_reference
from .events import shipped_events
from .schema import BOUNDS, DISTRICT_SEP, LoadResult


@dataclass
class Dataset:
    """Validated incidents plus the (incident, district) links used for district views, and
    the key events."""

    incidents: pd.DataFrame
    links: pd.DataFrame
    reference: Reference
    # key events drawn on the charts (data/events.csv unless given)
    events: pd.DataFrame = field(default_factory=shipped_events)

    @classmethod
    def from_result(cls, result: LoadResult, ref: Reference | None = None,
                    events: pd.DataFrame | None = None) -> "Dataset":
        return cls(result.incidents, district_links(result.incidents),
                   ref or result.reference or load_reference(),
                   shipped_events() if events is None else events)

    # Numpy views of the columns, computed once: every update filters and counts on these.
    @cached_property
    def as_of(self) -> date | None:
        """Date of the newest incident."""
        return self.incidents["date"].max().date() if len(self.incidents) else None

    @cached_property
    def dates_ascending(self) -> bool:
        """Incidents in date order (as ``load_files`` leaves them): the table's newest rows
        are then the last ones."""
        return bool(self.incidents["date"].is_monotonic_increasing)

    @cached_property
    def arrays(self) -> dict[str, np.ndarray]:
        """Dates as int64 nanoseconds (the date column's own memory); years and months since
        1970 as int16 (validation keeps dates from 1970 to today; widen before arithmetic
        beyond a difference); the links' rows as int32; category codes as the categoricals
        keep them (int8 for up to 127 categories, -1: missing; widen before arithmetic); killed and injured known (unknown as
        0) and the sources' bounds as int32 (at most MAX_COUNT each; numpy sums them in
        int64; where no row gives a bound, the known values' own array); the unknown and
        precision flags as bool. Read-only: arrays may share memory."""
        inc = self.incidents
        dates = inc["date"].to_numpy()
        out = {
            "date": dates.view("int64"),
            "year": dates.astype("datetime64[Y]").astype(np.int16),  # dates from 1970 to today
            "month": dates.astype("datetime64[M]").astype(np.int16),
            "link_row": self.links["row"].to_numpy(),
            "link_district": self.links["district"].cat.codes.to_numpy(),
        }
        for column in ("province", "group", "attribution", "target_type", "attack_type",
                       "collection"):
            out[column] = inc[column].cat.codes.to_numpy()
        for column in ("killed", "injured"):  # known values (unknown as 0) and unknown flags
            values = inc[column].to_numpy(dtype="float64", na_value=np.nan)
            unknown = np.isnan(values)
            known = np.where(unknown, 0.0, values)
            out[f"{column}_known"] = known = known.astype(np.int32)
            out[f"{column}_unknown"] = unknown
            for bound in BOUNDS[column]:  # the sources' range; a blank bound is the best figure
                blank = inc[bound].isna().to_numpy()
                out[bound] = known if blank.all() else np.where(  # no range given: one array
                    blank, known, inc[bound].to_numpy(dtype="float64", na_value=0)
                ).astype(np.int32)
        out.update(precision_flags(inc))
        return out

    def isin(self, column: str, values) -> np.ndarray:
        """Rows whose categorical `column` is one of `values`, through the category codes."""
        series = self.links["district"] if column == "link_district" else self.incidents[column]
        categories = series.cat.categories
        lut = np.zeros(len(categories) + 1, dtype=bool)  # code -1 (missing) -> last, False
        found = categories.get_indexer(list(values))
        lut[found[found >= 0]] = True
        return lut[self.arrays[column]]

    def rows_in_districts(self, districts) -> np.ndarray:
        hit = self.isin("link_district", districts)
        keep = np.zeros(len(self.incidents), dtype=bool)
        keep[self.arrays["link_row"][hit]] = True
        return keep

    def values(self, column: str) -> list[str]:
        """The values of a column present in the data (district: every linked district)."""
        memo = self.__dict__.setdefault("_values", {})
        if column not in memo:
            series = self.links["district"] if column == "district" else self.incidents[column]
            memo[column] = sorted(str(v) for v in series.dropna().unique())
        return memo[column]


PRECISE_PLACES = ("town", "district")


def precision_flags(inc: pd.DataFrame) -> dict[str, np.ndarray]:
    """'precise': the day is exact and the place is the town or district; 'province_level':
    the place is known to the province only. Blank (unknown) precision is neither."""
    dates, places = inc["date_precision"], inc["place_precision"]
    return {"precise": ((dates == "day") & places.isin(PRECISE_PLACES)).to_numpy(
                dtype=bool, na_value=False),
            "province_level": (places == "province").to_numpy(dtype=bool, na_value=False)}


def district_links(incidents: pd.DataFrame) -> pd.DataFrame:
    """One row per (incident, district): a multi-district incident appears once per district."""
    district = incidents["district"]
    if not isinstance(district.dtype, pd.CategoricalDtype) or district.isna().any():
        district = district.astype(str).astype("category")  # a missing one reads 'nan'
    cells, codes = district.cat.categories, district.cat.codes.to_numpy()
    parts = [[p.strip() for p in cell.split(DISTRICT_SEP)] if DISTRICT_SEP in cell else [cell]
             for cell in map(str, cells)]
    names = pd.Index(sorted({p for ps in parts for p in ps}), dtype=str)
    # the district codes of each cell's parts, end to end, and where each cell's begin
    flat = names.get_indexer([p for ps in parts for p in ps])
    counts = np.array([len(ps) for ps in parts], dtype=np.int64)
    if (counts == 1).all():  # one district per cell: one link per incident, in row order
        linked = pd.Categorical.from_codes(flat[codes], names)
        return pd.DataFrame({"row": np.arange(len(incidents), dtype=np.int32),
                             "district": linked.remove_unused_categories()})
    starts = np.cumsum(counts) - counts
    per_row = counts[codes]
    rows = np.repeat(np.arange(len(incidents), dtype=np.int32), per_row)
    nth = np.arange(len(rows)) - np.repeat(np.cumsum(per_row) - per_row, per_row)
    linked = pd.Categorical.from_codes(flat[starts[codes][rows] + nth], names)
    return pd.DataFrame({"row": rows, "district": linked.remove_unused_categories()})
