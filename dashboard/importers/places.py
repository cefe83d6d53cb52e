"""Places from coordinates: the district polygon (assets/geo/) that contains a row's point.

The polygons are the 2022 COD-AB layer (see assets/geo/README.md). A few hold more than one of
today's districts (assets/geo/polygon_districts.csv): a point there takes the district the export
names when it is one of them, else the polygon's own district with a note, and never one picked
silently when the polygon has none of its own (South Waziristan).
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import shapely
from shapely.geometry import shape

from ..paths import DISTRICT_POLYGONS, GEO_DIR


@dataclass(frozen=True)
class Polygon:
    """One polygon: its name (the gazetteer's spelling where matched), province, the
    gazetteer districts it holds and the one it is (None: several, none its own)."""

    name: str
    province: str
    districts: tuple[str, ...]
    own: str | None
    note: str
    vague: tuple[str, ...] = ()  # names of an area the polygon is part of ('Karachi ...')


class Polygons:
    def __init__(self, polygons: list[Polygon], geometries: list):
        self.polygons = polygons
        self.geometries = geometries
        self.tree = shapely.STRtree(geometries)

    def locate(self, lat: float, lon: float) -> Polygon | None:
        """The polygon containing the point (on a shared border: the first), else None."""
        point = shapely.Point(lon, lat)
        for i in sorted(self.tree.query(point, predicate="intersects")):
            return self.polygons[int(i)]
        return None


@lru_cache(maxsize=2)
def load_polygons(path: Path = DISTRICT_POLYGONS,
                  table: Path = GEO_DIR / "polygon_districts.csv") -> Polygons:
    features = json.loads(Path(path).read_text(encoding="utf-8"))["features"]
    shared = pd.read_csv(table, dtype=str, keep_default_na=False)
    polygons, geometries = [], []
    for feature in features:
        props = feature["properties"]
        name = props["district"]
        rows = shared[shared["polygon"] == name]
        vague = tuple(rows.loc[rows["own"] == "vague", "district"])
        rows = rows[rows["own"] != "vague"]
        if len(rows):
            districts = tuple(rows["district"])
            own = next(iter(rows.loc[rows["own"] == "yes", "district"]), None)
            note = " ".join(n for n in rows["note"] if n)
        else:
            districts, own, note = (name,), name, ""
        polygons.append(Polygon(name, props["province"], districts, own, note, vague))
        geometries.append(shape(feature["geometry"]))
    return Polygons(polygons, geometries)
