"""District polygons for the maps: OCHA COD-AB Pakistan admin-2 (assets/geo/, CC BY-IGO).

Read once: the polygons (P-code, name, province), where each gazetteer district is counted
(its own polygon, its parent polygon for districts newer than the 2022 boundaries, or not on
the map), a label point inside each polygon, and the province borders as lines. No coordinate
here is invented: label points are drawing positions inside the polygons, borders are the
polygons' own edges.
"""
from __future__ import annotations

import csv
import json
import math
from collections import Counter
from functools import lru_cache

import pandas as pd

from .paths import BASEMAP, DISTRICT_POLYGONS, GEO_DIR

GEOJSON_FILE = DISTRICT_POLYGONS
GEOJSON_ASSET = "geo/districts.geojson"  # under the app's assets URL
FEATURE_KEY = "properties.adm2_pcode"
# The licence's attribution (assets/geo/README.md), broken into lines that fit a map card.
ATTRIBUTION = ("Administrative boundaries: OCHA COD-AB Pakistan, WFP layer of 2022-09-09<br>"
               "(data.humdata.org/dataset/cod-ab-pak), CC BY-IGO; simplified.<br>"
               "The boundaries and names shown and the designations used do not imply<br>"
               "official endorsement or acceptance by the United Nations.")


@lru_cache(maxsize=1)
def basemap_window() -> tuple[float, float, float, float]:
    """(west, south, east, north): the window the maps' outlines are cut to
    (scripts/regional_basemap.py); a map shows no more than this."""
    with open(BASEMAP / "asia_50m.json", encoding="utf-8") as f:
        west, south, east, north = json.load(f)["bbox"]
    return west, south, east, north


# plotly.js's "asia" scope (src/plots/geo/constants.js): the extent a geo map's scale 1 fits
# in its frame; `projection.minscale` counts from there.
ASIA_SCOPE = (22.0, 160.0, -15.0, 55.0)  # west, east, south, north
FRAME_ASPECTS = (1.0, 2.0)  # width / height of the map frames the window is sized for


def _mercator_y(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


@lru_cache(maxsize=1)
def min_zoom() -> float:
    """The least `projection.minscale` at which a Mercator map of the asia scope, zoomed
    out as far as it goes, still shows nothing beyond the basemap's window, for every frame
    between FRAME_ASPECTS (the maps' outlines end at the window's edge)."""
    west, south, east, north = basemap_window()
    span = (math.radians(east - west), _mercator_y(north) - _mercator_y(south))
    a_west, a_east, a_south, a_north = ASIA_SCOPE
    scope = (math.radians(a_east - a_west), _mercator_y(a_north) - _mercator_y(a_south))
    low, high = FRAME_ASPECTS

    def ratio(aspect: float) -> float:  # aspect: the frame's width for a height of 1
        fitted = min(aspect / scope[0], 1 / scope[1])  # the scope's scale 1
        inside = max(aspect / span[0], 1 / span[1])  # least scale showing only the window
        return inside / fitted
    # monotonic between the aspects where either min or max changes side: the worst frame
    # is one of those or an end of the range
    kinks = [a for a in (scope[0] / scope[1], span[0] / span[1]) if low < a < high]
    return max(ratio(a) for a in (low, high, *kinks))


@lru_cache(maxsize=1)
def geojson() -> dict:
    return json.loads(GEOJSON_FILE.read_text(encoding="utf-8"))


def _rings(geometry: dict) -> list[list[list[float]]]:
    polys = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
             else geometry["coordinates"])
    return [ring for poly in polys for ring in poly]


def _outer_rings(geometry: dict) -> list[list[list[float]]]:
    polys = ([geometry["coordinates"]] if geometry["type"] == "Polygon"
             else geometry["coordinates"])
    return [poly[0] for poly in polys]


def _area(ring) -> float:
    return abs(sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))) / 2


def label_point(geometry: dict) -> tuple[float, float]:
    """A point inside the polygon: on the horizontal line through the largest ring's
    vertical middle, the middle of the widest stretch inside the polygon (all its rings)."""
    ring = max(_outer_rings(geometry), key=_area)
    ys = sorted(y for _, y in ring)
    best = None
    for frac in (0.5, 0.4, 0.6, 0.3, 0.7):
        y = ys[0] + (ys[-1] - ys[0]) * frac
        xs = []
        for r in _rings(geometry):
            for (x0, y0), (x1, y1) in zip(r, r[1:]):
                if (y0 <= y < y1) or (y1 <= y < y0):
                    xs.append(x0 + (y - y0) * (x1 - x0) / (y1 - y0))
        xs.sort()
        for a, b in zip(xs[::2], xs[1::2]):
            if best is None or b - a > best[0]:
                best = (b - a, (a + b) / 2, y)
        if best and frac == 0.5 and best[0] > 0:
            break
    return round(best[1], 4), round(best[2], 4)


@lru_cache(maxsize=1)
def polygons() -> pd.DataFrame:
    """One row per polygon, indexed by P-code: name, province, label_lon, label_lat."""
    rows = []
    for f in geojson()["features"]:
        p = f["properties"]
        lon, lat = label_point(f["geometry"])
        rows.append(dict(pcode=p["adm2_pcode"], name=p["district"], province=p["province"],
                         label_lon=lon, label_lat=lat))
    return pd.DataFrame(rows).set_index("pcode")


@lru_cache(maxsize=1)
def placement() -> pd.DataFrame:
    """Each gazetteer district: map_pcode (its own or its parent polygon; blank: not on the
    map) and map_how, from assets/geo/match.csv."""
    with open(GEO_DIR / "match.csv", newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return pd.DataFrame(rows).set_index("gazetteer_district")[["province", "map_pcode",
                                                               "map_how"]]


@lru_cache(maxsize=1)
def districts_in() -> dict[str, tuple[str, ...]]:
    """P-code -> the gazetteer districts counted in that polygon."""
    out: dict = {code: [] for code in polygons().index}
    for district, code in placement()["map_pcode"].items():
        if code in out:
            out[code].append(district)
    return {code: tuple(ds) for code, ds in out.items()}


@lru_cache(maxsize=1)
def parents() -> dict[str, str]:
    """District -> the P-code of the parent polygon it is counted in (no polygon of its own)."""
    table = placement()
    return dict(table.loc[table["map_how"] == "parent polygon", "map_pcode"])


def pcode_of(district: str) -> str | None:
    """The polygon a district's attacks are counted in, or None (not on the map)."""
    table = placement()
    if district not in table.index:
        return None
    return table.at[district, "map_pcode"] or None


@lru_cache(maxsize=8)
def province_borders(provinces: tuple[str, ...]) -> tuple[list, list]:
    """Lines (lon, lat lists, None between lines) along the polygons' edges that separate
    two provinces or bound the four provinces, for the borders of `provinces`."""
    owner: dict = {}
    uses: Counter = Counter()
    for f in geojson()["features"]:
        prov = f["properties"]["province"]
        for ring in _rings(f["geometry"]):
            for a, b in zip(ring, ring[1:]):
                key = (tuple(a), tuple(b)) if tuple(a) < tuple(b) else (tuple(b), tuple(a))
                uses[key] += 1
                owner.setdefault(key, set()).add(prov)
    segments = [key for key, provs in owner.items()
                if provs & set(provinces) and (len(provs) > 1 or uses[key] == 1)]
    return _chain(segments)


def _chain(segments) -> tuple[list, list]:
    """Segments joined into lines (at 0.01 degree, about 1 km: enough for a border drawn
    over the polygons, and a tenth of the points), None between lines."""
    ends: dict = {}
    for i, (a, b) in enumerate(segments):
        ends.setdefault(a, []).append(i)
        ends.setdefault(b, []).append(i)
    used = [False] * len(segments)
    lons: list = []
    lats: list = []
    for i in range(len(segments)):
        if used[i]:
            continue
        used[i] = True
        line = list(segments[i])
        for forward in (True, False):
            while True:
                tip = line[-1] if forward else line[0]
                nxt = next((j for j in ends[tip] if not used[j]), None)
                if nxt is None:
                    break
                used[nxt] = True
                a, b = segments[nxt]
                point = b if a == tip else a
                if forward:
                    line.append(point)
                else:
                    line.insert(0, point)
        kept = [line[0]]
        for x, y in line[1:]:
            if abs(x - kept[-1][0]) + abs(y - kept[-1][1]) >= 0.03:
                kept.append((x, y))
        if kept[-1] != line[-1]:
            kept.append(line[-1])
        lons += [round(x, 2) for x, _ in kept] + [None]
        lats += [round(y, 2) for _, y in kept] + [None]
    return lons, lats
