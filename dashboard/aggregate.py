"""Aggregations behind every number and chart: pure pandas/numpy on a View (dataset + state).

``mask`` is the one place filters are applied; each function below asks the View for its mask
and returns a small dataframe; figures only draw what these return. Counting uses category codes and bincount so a
cross-filter update stays fast at a million rows. A View computes each mask once per update,
however many charts ask for it.
"""
from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import date, timedelta

import numpy as np
import pandas as pd

from . import geo
from .data.schema import RANGES
from .filters import COMMON_RULE_KILLED, MULTI, Filters, ViewState


def mask(ds, filters: Filters, ignore: tuple[str, ...] = ()) -> np.ndarray:
    """Boolean mask over ds.incidents for `filters`, skipping the `ignore`d dimensions.

    A chart ignores its own dimension so that it keeps showing the alternatives to click;
    it highlights the selected values instead.
    """
    arrays = ds.arrays
    keep = np.ones(len(ds.incidents), dtype=bool)
    if "date" not in ignore:
        if filters.date_from:
            keep &= arrays["date"] >= pd.Timestamp(filters.date_from).value
        if filters.date_to:
            keep &= arrays["date"] <= pd.Timestamp(filters.date_to).value
    for name, (_, column) in MULTI.items():
        values = getattr(filters, name)
        if not values or name in ignore:
            continue
        if name == "district":
            keep &= ds.rows_in_districts(values)
        else:
            keep &= ds.isin(column, values)
    if filters.min_killed and "min_killed" not in ignore:
        keep &= (arrays["killed_known"] >= filters.min_killed) & ~arrays["killed_unknown"]
    if filters.precise and "precise" not in ignore:
        keep &= arrays["precise"]
    return keep


class View:
    """The dataset seen through one view state, with its masks computed once; `cache` (a
    ``dashboard.cache.AggregateCache``) shares the aggregations across workers."""

    def __init__(self, ds, state: ViewState | Filters, cache=None):
        state = state if isinstance(state, ViewState) else ViewState(state)  # default display
        self.ds, self.state, self.cache = ds, state, cache
        self.filters, self.display = state.filters, state.display
        self._memo: dict = {}

    def mask(self, ignore: tuple[str, ...] = ()) -> np.ndarray:
        return self.memo(("mask", ignore), lambda: mask(self.ds, self.filters, ignore))

    def memo(self, key, compute):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]


def shared(*ignoring: str):
    """An aggregation of a View, kept in the view's shared cache when it has one, keyed on
    the data's version, the aggregation and the normalised view state without the filters
    on the dimensions it leaves out (`ignoring`, as ``Filters.without`` names them): the
    views a click on one of its own bars moves between share it. A view asking again gets
    what it got the first time (computed, or read from the cache, once)."""
    def wrap(fn):
        @functools.wraps(fn)
        def cached(v: View):
            def compute():
                if v.cache is None:
                    return fn(v)
                f = v.filters
                for dim in ignoring:
                    f = f.without(dim)
                return v.cache.get_or_compute(fn.__name__, replace(v.state, filters=f),
                                              lambda: fn(v))
            return v.memo(("shared", fn.__name__), compute)
        return cached
    return wrap


@dataclass(frozen=True)
class Totals:
    attacks: int
    killed: int
    injured: int
    unknown_killed: int
    unknown_injured: int
    unknown_any: int  # incidents with killed or injured unknown
    # the sources' range of the known figures: the sum of each row's low and high bound
    killed_low: int = 0
    killed_high: int = 0
    injured_low: int = 0
    injured_high: int = 0
    province_level: int = 0  # incidents placed at province level only


@shared()
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
        **{b: int(a[b][keep].sum()) for b in RANGES},
        province_level=int(a["province_level"][keep].sum()),
    )


def range_words(t: Totals, count: str) -> str | None:
    """'sources range 420 to 460' when the view's sources give a range for `count`."""
    best, low, high = (getattr(t, f"{count}{s}") for s in ("", "_low", "_high"))
    return None if low == best == high else f"sources range {low:,} to {high:,}"


@shared("district")
def by_district(v: View) -> pd.DataFrame:
    """Attacks per district (rows) and group (columns), ignoring the district filter itself.

    Rows are sorted by total attacks, most first. With provinces selected, every gazetteer
    district of those provinces is listed (zero included); otherwise only districts with at
    least one attack in the view.
    """
    return _by_district(v.ds, v.filters, v.mask(("district",)))


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


@shared("target_type")
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
    counts = np.bincount(row_codes.astype(np.int64) * len(cols) + col_codes,
                         minlength=len(rows) * len(cols)).reshape(len(rows), len(cols))
    return pd.DataFrame(counts, index=pd.Index(rows.astype(object), name=name),
                        columns=pd.Index(cols.astype(object), name="group"))


def _most_first(table: pd.DataFrame, keep_zero: bool) -> pd.DataFrame:
    totals = table.to_numpy().sum(axis=1)
    if not keep_zero:
        table, totals = table[totals > 0], totals[totals > 0]
    order = np.lexsort((table.index.to_numpy(), -totals))  # most first, then by name
    return table.iloc[order]


@shared("date")
def over_time(v: View) -> pd.DataFrame:
    """Attacks, killed and injured per year or month, ignoring the date filter itself.

    Columns: period (first day), attacks, killed, injured, unknown_killed, unknown_injured,
    and the sources' range (killed_low, killed_high, injured_low, injured_high). Periods
    with no attack inside the data's span are listed as zero.
    """
    keep = v.mask(("date",))
    a = v.ds.arrays
    yearly = v.display.period == "year"
    index = a["year" if yearly else "month"][keep]
    unit = "Y" if yearly else "M"
    if not len(index):
        return pd.DataFrame(columns=["period", "attacks", "killed", "injured",
                                     "unknown_killed", "unknown_injured", *RANGES])
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
        **{b: per_period(b) for b in RANGES},
    })
    return out


@shared("district")
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


PROVINCES_ON_MAP = ("Balochistan", "Khyber Pakhtunkhwa", "Sindh", "Islamabad")


def _polygon_links(v: View, keep: np.ndarray) -> tuple[np.ndarray, np.ndarray, pd.DataFrame]:
    """(incident rows, polygon positions) pairs, each incident once per polygon, for the
    incidents kept; and the districts not on the map with their attacks."""
    ds = v.ds
    a = ds.arrays
    polys = geo.polygons()
    position = {code: i for i, code in enumerate(polys.index)}
    names = ds.links["district"].cat.categories
    lut = np.array([position.get(geo.pcode_of(str(d)), -1) for d in names] + [-1])
    rows = a["link_row"]
    hit = keep[rows]
    link_rows, link_poly = rows[hit], lut[a["link_district"][hit]]
    off = link_poly < 0
    unplaced = pd.Series(names[a["link_district"][hit][off]].astype(object)).value_counts()
    unplaced = pd.DataFrame({"district": unplaced.index.astype(object),
                             "attacks": unplaced.to_numpy()})
    unplaced = unplaced.sort_values(["attacks", "district"], ascending=[False, True])
    pairs = (link_rows[~off].astype(np.int64) * len(polys)  # ascending rows (district_links)
             + link_poly[~off])
    if not (pairs[1:] > pairs[:-1]).all():  # a row's districts out of order, or two in one
        pairs = np.unique(pairs)  # polygon: sorted, each once (a hash of a million is slow)
    return pairs // len(polys), pairs % len(polys), unplaced.reset_index(drop=True)


def _map_provinces(v: View, polys: pd.DataFrame, attacked: np.ndarray) -> list[str]:
    """The provinces a map draws: the province filter's, else those with attacks in view,
    else all four."""
    if v.filters.province:
        return [p for p in PROVINCES_ON_MAP if p in v.filters.province]
    hit = set(polys["province"].to_numpy()[attacked])
    return [p for p in PROVINCES_ON_MAP if p in hit] or list(PROVINCES_ON_MAP)


@shared("district")
def map_polygons(v: View) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Attacks per district polygon, ignoring the district filter itself (as the district
    chart does). An incident counts once in each polygon it names a district of; districts
    newer than the boundaries count in their parent polygon.

    Returns (polygons of the provinces in view, zero rows included, most attacks first, then
    by name: pcode, name, province, districts (the gazetteer districts counted there),
    attacks, killed, injured, unknown_killed, unknown_injured, the sources' range
    (killed_low, ..., injured_high), province_level (attacks placed at province level only),
    breakdown by group, label_lon,
    label_lat), (districts counted in a parent polygon with attacks: district, polygon,
    attacks), (districts with attacks not on the map: district, attacks).
    """
    ds = v.ds
    a = ds.arrays
    keep = v.mask(("district",))
    polys = geo.polygons()
    rows, poly, unplaced = _polygon_links(v, keep)
    n = len(polys)

    def per(weights=None):
        return np.bincount(poly, weights=weights, minlength=n)

    groups = ds.incidents["group"].cat.categories
    by_group = np.zeros((n, len(groups)), dtype=int)
    np.add.at(by_group, (poly, a["group"][rows]), 1)
    counted = geo.districts_in()
    table = pd.DataFrame({
        "pcode": polys.index.to_numpy(),  # text as objects, as pandas gives it
        "name": polys["name"].to_numpy(),
        "province": polys["province"].to_numpy(),
        "districts": [counted[c] for c in polys.index],
        "attacks": per().astype(int),
        "killed": per(a["killed_known"][rows]).astype(int),
        "injured": per(a["injured_known"][rows]).astype(int),
        "unknown_killed": per(a["killed_unknown"][rows]).astype(int),
        "unknown_injured": per(a["injured_unknown"][rows]).astype(int),
        **{b: per(a[b][rows]).astype(int) for b in RANGES},
        "province_level": per(a["province_level"][rows]).astype(int),
        "breakdown": [", ".join(f"{g} {k}" for g, k in zip(groups, r) if k > 0)
                      for r in by_group],
        "label_lon": polys["label_lon"].to_numpy(), "label_lat": polys["label_lat"].to_numpy(),
    })
    shown = _map_provinces(v, table, table["attacks"].to_numpy() > 0)
    table = table[table["province"].isin(shown)]
    table = table.iloc[np.lexsort((table["name"].to_numpy(), -table["attacks"].to_numpy()))]
    # districts counted in a parent polygon, with their own attacks in the view
    wide = by_district(v)
    own = wide.sum(axis=1)
    folded = [(d, polys.at[code, "name"], int(own.get(d, 0)))
              for d, code in geo.parents().items() if own.get(d, 0) > 0]
    folded = pd.DataFrame(folded, columns=["district", "polygon", "attacks"])
    return table.reset_index(drop=True), folded, unplaced


def province_level(v: View) -> int:
    """Incidents the map counts (the district filter ignored, as the map does) that are
    placed at province level only: their district is not established by the sources."""
    return int(v.ds.arrays["province_level"][v.mask(("district",))].sum())


def footprint(v: View) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The group comparison's footprint: per polygon of the provinces in view, attacks by
    each side under the comparison's rule, and who hit it: 'none', FAMILIES[0] + ' only',
    FAMILIES[1] + ' only' or 'both'. Also (districts not on the map, attacks)."""
    cv = comparison_view(v)
    keep = cv.mask(("district",)) & (_family_codes(v.ds) >= 0)
    polys = geo.polygons()
    rows, poly, unplaced = _polygon_links(cv, keep)
    family = _family_codes(v.ds)[rows]
    n = len(polys)
    counts = [np.bincount(poly[family == i], minlength=n) for i in range(len(FAMILIES))]
    table = pd.DataFrame({
        "pcode": polys.index.to_numpy(),  # text as objects, as pandas gives it
        "name": polys["name"].to_numpy(),
        "province": polys["province"].to_numpy(),
        FAMILIES[0]: counts[0].astype(int), FAMILIES[1]: counts[1].astype(int),
        "label_lon": polys["label_lon"].to_numpy(), "label_lat": polys["label_lat"].to_numpy(),
    })
    a, b = table[FAMILIES[0]] > 0, table[FAMILIES[1]] > 0
    table["side"] = np.select([a & b, a, b], ["both", f"{FAMILIES[0]} only",
                                             f"{FAMILIES[1]} only"], "none")
    shown = _map_provinces(cv, table, (a | b).to_numpy())
    table = table[table["province"].isin(shown)].sort_values("name", kind="stable")
    return table.reset_index(drop=True), unplaced


def incident_rows(v: View) -> pd.DataFrame:
    """The incidents of the view, newest first."""
    return v.ds.incidents[v.mask()].sort_values(["date", "incident_id"],
                                                 ascending=[False, True])  # ids are unique


# ---------------------------------------------------------------------- analyst views
FAMILIES = ("Islamic State", "Baloch separatist")


def comparison_view(v: View) -> View:
    """The group comparison's own view: the filters minus the group filter (both sides are
    shown), plus the common minimum-killed rule unless switched off."""
    f = replace(v.filters, group=())
    if v.display.common_rule:
        f = replace(f, min_killed=max(f.min_killed or 0, COMMON_RULE_KILLED))
    return View(v.ds, replace(v.state, filters=f), v.cache)


def _family_codes(ds) -> np.ndarray:
    """Family index (position in FAMILIES, -1 for others) for each row's group."""
    groups = ds.incidents["group"].cat.categories
    lut = np.array([FAMILIES.index(ds.reference.families.get(g))
                    if ds.reference.families.get(g) in FAMILIES else -1 for g in groups] + [-1])
    return lut[ds.arrays["group"]]


@shared("district", "group")
def compare_districts(v: View) -> pd.DataFrame:
    """Attacks per district (rows, most first) and family (columns), for the comparison view;
    a multi-district attack counts in each district. Column 'both': attacked by both sides."""
    cv = comparison_view(v)
    keep = cv.mask(("district",))
    a = v.ds.arrays
    family = _family_codes(v.ds)
    rows = a["link_row"]
    hit = keep[rows] & (family[rows] >= 0)
    counts = np.zeros((len(v.ds.links["district"].cat.categories), len(FAMILIES)), dtype=int)
    np.add.at(counts, (a["link_district"][hit], family[rows[hit]]), 1)
    table = pd.DataFrame(counts, columns=list(FAMILIES),
                         index=pd.Index(v.ds.links["district"].cat.categories.astype(object),
                                        name="district"))
    table = _most_first(table, keep_zero=False)
    table["both"] = (table[list(FAMILIES)] > 0).all(axis=1)
    return table


@shared("date", "group")
def compare_years(v: View) -> pd.DataFrame:
    """Attacks and known killed per year and family, for the comparison view (rows: years)."""
    cv = comparison_view(v)
    keep = cv.mask(("date",))
    a = v.ds.arrays
    family = _family_codes(v.ds)
    sel = keep & (family >= 0)
    years = a["year"][sel].astype(np.int64) + 1970
    if not len(years):
        return pd.DataFrame(columns=["year", "family", "attacks", "killed"])
    frame = pd.DataFrame({"year": years, "family": np.array(FAMILIES)[family[sel]],
                          "killed": a["killed_known"][sel]})
    out = frame.groupby(["year", "family"]).agg(attacks=("killed", "size"),
                                                killed=("killed", "sum")).reset_index()
    full = pd.MultiIndex.from_product([range(years.min(), years.max() + 1), FAMILIES],
                                      names=["year", "family"])
    out = out.set_index(["year", "family"]).reindex(full, fill_value=0).reset_index()
    out["killed"] = out["killed"].astype(int)
    return out


def published_comparison(ds, f: Filters) -> pd.DataFrame:
    """Each published figure beside the dataset's count under the same scope.

    The definition of the dataset side follows the attribution filter: only the attributions
    selected there, or all of them (claimed + attributed + disputed) when none is.
    """
    attribution = f.attribution or ("claimed", "attributed", "disputed")
    definition = " + ".join(attribution)
    rows = []
    for fig in ds.reference.published.itertuples():
        scope = Filters(group=tuple(fig.groups), province=(fig.province,),
                        district=(fig.district,) if fig.district else (),
                        target_type=tuple(fig.target_types),
                        date_from=fig.date_from, date_to=fig.date_to,
                        attribution=tuple(attribution))
        t = totals(View(ds, scope))
        value = {"attacks": t.attacks, "killed": t.killed, "injured": t.injured}[fig.measure]
        unknown = {"attacks": 0, "killed": t.unknown_killed,
                   "injured": t.unknown_injured}[fig.measure]
        rows.append(dict(figure_id=fig.figure_id, scope=fig.scope, measure=fig.measure,
                         published=int(fig.value), dataset=value, unknown=unknown,
                         coverage=round(value / fig.value, 2) if fig.value else None,
                         definition=definition, citation=fig.citation,
                         query=ViewState(scope).to_query(), note=fig.definition))
    return pd.DataFrame(rows)


@shared("target_type")
def target_shares(v: View) -> pd.DataFrame:
    """Share of attacks by target type per year (rows: years, columns: target types, values
    0-1), ignoring the target filter itself; also returns the counts in attrs['counts']."""
    keep = v.mask(("target_type",))
    a, inc = v.ds.arrays, v.ds.incidents
    years = a["year"][keep].astype(np.int64) + 1970
    if not len(years):
        return pd.DataFrame()
    table = _crosstab(years - years.min(), a["target_type"][keep],
                      pd.Index(range(years.min(), years.max() + 1)),
                      inc["target_type"].cat.categories, "year")
    table = table.loc[:, table.sum(axis=0) > 0]
    table.columns.name = "target_type"
    shares = table.div(table.sum(axis=1).replace(0, np.nan), axis=0).fillna(0.0)
    shares.attrs["counts"] = table
    return shares


@shared("target_type")
def human_targets(v: View) -> pd.DataFrame:
    """Attacks on people by target type (the analysis' ranking of human targets), most first,
    with known killed; ignoring the target filter itself."""
    keep = v.mask(("target_type",))
    a, inc = v.ds.arrays, v.ds.incidents
    categories = inc["target_type"].cat.categories
    attacks = np.bincount(a["target_type"][keep], minlength=len(categories))
    killed = np.bincount(a["target_type"][keep], weights=a["killed_known"][keep],
                         minlength=len(categories)).astype(int)
    table = pd.DataFrame({"attacks": attacks, "killed": killed},
                         index=pd.Index(categories.astype(object), name="target_type"))
    table = table[table.index.isin(v.ds.reference.human_targets) & (table["attacks"] > 0)]
    return table.sort_values(["attacks", "killed"], ascending=False, kind="stable")


# ---------------------------------------------------------------------- what changed
DEFAULT_SPAN_MONTHS = 12  # with no date filter: the 12 months up to the data's newest date


@dataclass(frozen=True)
class Periods:
    """"What changed": the period in view and the one it is set against (inclusive dates)."""

    current: tuple[date, date]
    baseline: tuple[date, date]
    words: str  # "the previous 12 months", or the picked baseline's dates


def _whole_months(lo: date, hi: date) -> int:
    """How many calendar months [lo, hi] spans exactly (lo + n months = the day after hi), or
    0 when it is not a whole number of months."""
    after = hi + timedelta(days=1)
    n = (after.year - lo.year) * 12 + after.month - lo.month
    return n if n >= 1 and (pd.Timestamp(lo) + pd.DateOffset(months=n)).date() == after else 0


def change_periods(v: View) -> Periods | None:
    """The date filter (an open end: the data's newest date, or 12 months before the end)
    against the baseline picked, else the previous period of the same length: as many whole
    months when the period is whole months, else as many days. None for empty data."""
    f, d = v.filters, v.display
    hi = f.date_to or v.ds.as_of
    if hi is None:
        return None
    lo = f.date_from or (pd.Timestamp(hi) + timedelta(days=1)
                         - pd.DateOffset(months=DEFAULT_SPAN_MONTHS)).date()
    if d.baseline():
        base = d.baseline()
        return Periods((lo, hi), base, f"{base[0]:%d %b %Y} to {base[1]:%d %b %Y}")
    months = _whole_months(lo, hi)
    if months:
        start = (pd.Timestamp(lo) - pd.DateOffset(months=months)).date()
        words = f"the previous {months} month" + ("s" if months > 1 else "")
    else:
        days = (hi - lo).days + 1
        start = lo - timedelta(days=days)
        words = f"the previous {days} day" + ("s" if days > 1 else "")
    return Periods((lo, hi), (start, lo - timedelta(days=1)), words)


def _in_period(v: View, period: tuple[date, date]) -> View:
    """The view's filters with the date range set to `period`."""
    f = replace(v.filters, date_from=period[0], date_to=period[1])
    return View(v.ds, replace(v.state, filters=f), v.cache)


def change_totals(v: View) -> tuple[Totals, Totals, Periods] | None:
    """The headline numbers of the period in view and of its baseline, every filter applied."""
    p = change_periods(v)
    if p is None:
        return None
    return totals(_in_period(v, p.current)), totals(_in_period(v, p.baseline)), p


def _district_counts(v: View) -> tuple[np.ndarray, np.ndarray]:
    """Attacks and known killed per linked district (category order), ignoring the district
    filter; an incident counts in each district it names."""
    a = v.ds.arrays
    rows = a["link_row"]
    hit = v.mask(("district",))[rows]
    n = len(v.ds.links["district"].cat.categories)
    codes = a["link_district"][hit]
    return (np.bincount(codes, minlength=n),
            np.bincount(codes, weights=a["killed_known"][rows[hit]], minlength=n).astype(int))


def change_by_district(v: View) -> pd.DataFrame:
    """Per district with attacks in either period: attacks and known killed in the period
    (attacks, killed) and the baseline (attacks_base, killed_base), their changes
    (d_attacks, d_killed), the change in percent of the baseline's attacks (pct; infinite
    from none) and `flagged`: a change of at least flag_pct percent and flag_min attacks,
    either way. Most risen first (attacks, then killed), then by name."""
    return v.memo("change_by_district", lambda: _change_by_district(v))


def _change_by_district(v: View) -> pd.DataFrame:
    p = change_periods(v)
    columns = ["district", "attacks", "attacks_base", "killed", "killed_base", "d_attacks",
               "d_killed", "pct", "flagged"]
    if p is None:
        return pd.DataFrame(columns=columns)
    (now, killed), (base, killed_base) = (_district_counts(_in_period(v, p.current)),
                                          _district_counts(_in_period(v, p.baseline)))
    table = pd.DataFrame({
        "district": v.ds.links["district"].cat.categories.to_numpy(),
        "attacks": now, "attacks_base": base, "killed": killed, "killed_base": killed_base})
    table = table[(table["attacks"] > 0) | (table["attacks_base"] > 0)].copy()
    table["d_attacks"] = table["attacks"] - table["attacks_base"]
    table["d_killed"] = table["killed"] - table["killed_base"]
    # from no attacks in the baseline: infinite (pandas divides without a warning; a district
    # listed has attacks in one period at least, so never 0 / 0)
    table["pct"] = 100.0 * table["d_attacks"] / table["attacks_base"]
    d = v.display
    table["flagged"] = ((table["d_attacks"].abs() >= d.flag_min)
                        & (table["pct"].abs() >= d.flag_pct))
    order = np.lexsort((table["district"].to_numpy(), -table["d_killed"].to_numpy(),
                        -table["d_attacks"].to_numpy()))
    return table.iloc[order][columns].reset_index(drop=True)
