"""Cut plotly.js's Asia outlines (assets/topojson/asia_50m.json) to the window around Pakistan
that the maps show: assets/topojson/pakistan/asia_50m.json.

plotly.js draws a geo map's land, ocean, coastlines and country borders from the whole of
its scope's file (all of Asia: 80,000 points in the four layers drawn), decoding and
projecting every point again on each redraw, though the maps show Pakistan and its
neighbours (about 60 of a map's 120 ms redraw in headless Chromium). The cut keeps every
outline inside WINDOW point for point; outlines that cross its edge end on it (polygons are
closed along the edge, with a point every degree so that the edge stays a parallel or a
meridian); outlines wholly outside it are left out. Nothing is moved or added inside the
window.

    python scripts/regional_basemap.py           # writes the cut file
    python scripts/regional_basemap.py --check   # exits 1 if the file is not what it writes

The file keeps the name plotly.js asks for (`<scope>_<resolution>.json`); the maps' config
points `topojsonURL` at its folder.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.paths import BASEMAP, TOPOJSON  # noqa: E402

SOURCE = TOPOJSON / "asia_50m.json"
TARGET = BASEMAP / "asia_50m.json"
# lon west, lon east, lat south, lat north: Pakistan's districts (60.9-74.1 E, 23.7-36.9 N)
# and 30 degrees or more around them; the maps stop zooming out before its edge
# (geo.min_zoom).
WINDOW = (30.0, 110.0, -5.0, 55.0)


def _decode_arcs(topo: dict) -> list[list[tuple[float, float]]]:
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _line(arcs, indices: list[int]) -> list[tuple[float, float]]:
    """The points of a chain of arcs (a negative index ~i is arc i reversed), each shared
    end point once."""
    points: list[tuple[float, float]] = []
    for i in indices:
        arc = arcs[i] if i >= 0 else arcs[~i][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _inside(p, edge) -> bool:
    side, value = edge
    return {"w": p[0] >= value, "e": p[0] <= value, "s": p[1] >= value,
            "n": p[1] <= value}[side]


def _cross(p, q, edge) -> tuple[float, float]:
    side, value = edge
    if side in "we":
        t = (value - p[0]) / (q[0] - p[0])
        return value, p[1] + t * (q[1] - p[1])
    t = (value - p[1]) / (q[1] - p[1])
    return p[0] + t * (q[0] - p[0]), value


def _edges():
    west, east, south, north = WINDOW
    return [("w", west), ("e", east), ("s", south), ("n", north)]


def clip_ring(ring: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """Sutherland-Hodgman: the closed ring cut to the window (closed again), or [] when
    nothing of it is inside."""
    points = ring[:-1] if ring and ring[0] == ring[-1] else list(ring)
    for edge in _edges():
        if not points:
            return []
        out = []
        for i, q in enumerate(points):
            p = points[i - 1]
            if _inside(q, edge):
                if not _inside(p, edge):
                    out.append(_cross(p, q, edge))
                out.append(q)
            elif _inside(p, edge):
                out.append(_cross(p, q, edge))
        points = out
    if len(points) < 3:
        return []
    return _densify(points + [points[0]])


def _on_edge(p, q) -> bool:
    west, east, south, north = WINDOW
    return (p[0] == q[0] and p[0] in (west, east)) or (p[1] == q[1] and p[1] in (south, north))


def _densify(ring):
    """A point every degree along the window's edge (a long straight piece of a polygon is
    a great circle to the projection, which would bow away from the parallel)."""
    out = [ring[0]]
    for p, q in zip(ring, ring[1:]):
        if _on_edge(p, q):
            steps = int(max(abs(q[0] - p[0]), abs(q[1] - p[1])))
            out.extend((p[0] + (q[0] - p[0]) * k / (steps + 1),
                        p[1] + (q[1] - p[1]) * k / (steps + 1)) for k in range(1, steps + 1))
        out.append(q)
    return out


def clip_line(line: list[tuple[float, float]]) -> list[list[tuple[float, float]]]:
    """The pieces of a line inside the window, each ending on the window's edge where the
    line leaves it (Liang-Barsky per segment)."""
    west, east, south, north = WINDOW
    pieces: list[list[tuple[float, float]]] = []
    current: list[tuple[float, float]] = []
    for p, q in zip(line, line[1:]):
        t0, t1 = 0.0, 1.0
        dx, dy = q[0] - p[0], q[1] - p[1]
        for d, dist in ((-dx, p[0] - west), (dx, east - p[0]), (-dy, p[1] - south),
                        (dy, north - p[1])):
            if d == 0:
                if dist < 0:
                    t0, t1 = 1.0, 0.0
                continue
            t = dist / d
            if d < 0:
                t0 = max(t0, t)
            else:
                t1 = min(t1, t)
        if t0 > t1:
            if current:
                pieces.append(current)
                current = []
            continue
        a = (p[0] + t0 * dx, p[1] + t0 * dy)
        b = (p[0] + t1 * dx, p[1] + t1 * dy)
        if not current:
            current = [a]
        current.append(b)
        if t1 < 1.0:
            pieces.append(current)
            current = []
    if current:
        pieces.append(current)
    return [piece for piece in pieces if len(piece) >= 2]


def _polygons(arcs, geometry: dict) -> list[list[list[tuple[float, float]]]]:
    polys = ([geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"])
    out = []
    for rings in polys:
        outer = clip_ring(_line(arcs, rings[0]))
        if outer:
            holes = [h for h in (clip_ring(_line(arcs, r)) for r in rings[1:]) if h]
            out.append([outer, *holes])
    return out


def _lines(arcs, geometry: dict) -> list[list[tuple[float, float]]]:
    lines = ([geometry["arcs"]] if geometry["type"] == "LineString" else geometry["arcs"])
    return [piece for chain in lines for piece in clip_line(_line(arcs, chain))]


def cut(topo: dict) -> dict:
    """The topology cut to WINDOW: one arc per ring or line, on the source's own grid (its
    points keep their exact values; a point where an outline meets the edge is rounded to
    the grid, 0.002 degrees) and delta-encoded as TopoJSON quantises."""
    arcs = _decode_arcs(topo)
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    new_arcs: list[list[list[int]]] = []

    def arc(points) -> int:
        grid = [(round((x - tx) / sx), round((y - ty) / sy)) for x, y in points]
        new_arcs.append([list(grid[0])] + [[b[0] - a[0], b[1] - a[1]]
                                           for a, b in zip(grid, grid[1:])])
        return len(new_arcs) - 1

    objects = {}
    for name, obj in topo["objects"].items():
        geometries = []
        for g in obj["geometries"]:
            kept = {k: v for k, v in g.items() if k not in ("arcs", "type")}
            if g["type"] in ("Polygon", "MultiPolygon"):
                polys = _polygons(arcs, g)
                if polys:
                    geometries.append({**kept, "type": "MultiPolygon",
                                       "arcs": [[[arc(r)] for r in p] for p in polys]})
            elif g["type"] in ("LineString", "MultiLineString"):
                lines = _lines(arcs, g)
                if lines:
                    geometries.append({**kept, "type": "MultiLineString",
                                       "arcs": [[arc(line)] for line in lines]})
            else:
                raise ValueError(f"{name}: geometry type {g['type']} not handled")
        objects[name] = {**{k: v for k, v in obj.items() if k != "geometries"},
                         "geometries": geometries}
    return {"type": "Topology", "bbox": [WINDOW[0], WINDOW[2], WINDOW[1], WINDOW[3]],
            "transform": topo["transform"], "arcs": new_arcs, "objects": objects}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args()
    text = json.dumps(cut(json.loads(SOURCE.read_text(encoding="utf-8"))),
                      separators=(",", ":")) + "\n"
    if args.check:
        same = TARGET.exists() and TARGET.read_text(encoding="utf-8") == text
        print(f"{TARGET.relative_to(ROOT)} {'matches' if same else 'differs from'} a fresh cut")
        return 0 if same else 1
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)} ({len(text) // 1024} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
