"""The maps' outlines (assets/topojson/pakistan/): plotly.js's Asia file cut to a window
around Pakistan. Checked against the source file with a decoder of the tests' own."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from dashboard import geo
from scripts import regional_basemap as cut

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT / "assets" / "topojson" / "asia_50m.json"
CUT = ROOT / "assets" / "topojson" / "pakistan" / "asia_50m.json"
DRAWN = ("coastlines", "countries", "land", "ocean")  # the layers the maps show


def grid_points(path: Path) -> dict[str, set[tuple[int, int]]]:
    """Each object's points on the file's quantisation grid (TopoJSON: delta-encoded arcs,
    a negative index ~i meaning arc i reversed)."""
    topo = json.loads(path.read_text(encoding="utf-8"))
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x, y))
        arcs.append(points)

    def indices(nested):
        for item in nested:
            if isinstance(item, int):
                yield item if item >= 0 else ~item
            else:
                yield from indices(item)
    return {name: {p for g in obj["geometries"] for i in indices(g["arcs"]) for p in arcs[i]}
            for name, obj in topo["objects"].items()}, topo["transform"]


def to_degrees(point, transform):
    (sx, sy), (tx, ty) = transform["scale"], transform["translate"]
    return point[0] * sx + tx, point[1] * sy + ty


def test_the_cut_file_is_what_the_script_writes():
    done = subprocess.run([sys.executable, "scripts/regional_basemap.py", "--check"],
                          cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_every_outline_point_inside_the_window_is_kept_and_none_outside():
    west, south, east, north = geo.basemap_window()
    assert (west, south, east, north) == (30.0, -5.0, 110.0, 55.0)
    source, transform = grid_points(SOURCE)
    kept, kept_transform = grid_points(CUT)
    assert kept_transform == transform  # the same grid: a kept point has its exact value
    eps = 1e-9
    for layer in DRAWN:
        inside = {p for p in source[layer]
                  if west < to_degrees(p, transform)[0] < east
                  and south < to_degrees(p, transform)[1] < north}
        assert inside, layer
        assert inside <= kept[layer], (layer, len(inside - kept[layer]))
        for p in kept[layer]:
            lon, lat = to_degrees(p, transform)
            # a point where an outline meets the edge is rounded to the grid (0.002 degrees)
            assert west - 0.002 - eps <= lon <= east + 0.002 + eps, (layer, lon)
            assert south - 0.002 - eps <= lat <= north + 0.002 + eps, (layer, lat)
    # the cut is the point of it: a small part of the source
    assert sum(map(len, kept.values())) < sum(map(len, source.values())) / 3


def test_countries_that_touch_the_window_keep_their_ids_and_the_rest_are_left_out():
    def ids(path):
        return {g.get("id") for g in json.loads(path.read_text())["objects"]["countries"][
            "geometries"]}
    kept = ids(CUT)
    assert {"PAK", "AFG", "IRN", "IND", "CHN"} <= kept
    assert not {"JPN", "KOR", "PHL", "TWN"} & kept  # wholly east of the window
    assert kept < ids(SOURCE)


def test_a_ring_half_outside_is_closed_along_the_edge():
    # a square across the west edge (lon 30): its outside half is cut off, the edge densified
    ring = [(25.0, 10.0), (35.0, 10.0), (35.0, 14.0), (25.0, 14.0), (25.0, 10.0)]
    out = cut.clip_ring(ring)
    assert out[0] == out[-1]
    assert min(x for x, _ in out) == 30.0 and max(x for x, _ in out) == 35.0
    assert {(35.0, 10.0), (35.0, 14.0), (30.0, 10.0), (30.0, 14.0)} <= set(out)
    on_edge = sorted({y for x, y in out if x == 30.0})
    assert on_edge == pytest.approx([10.0, 10.8, 11.6, 12.4, 13.2, 14.0])  # a point a degree
    assert cut.clip_ring([(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 0.0)]) == []


def test_a_line_leaving_and_entering_again_is_two_pieces_ending_on_the_edge():
    line = [(40.0, 0.0), (20.0, 0.0), (20.0, 2.0), (40.0, 2.0), (50.0, 2.0)]
    assert cut.clip_line(line) == [[(40.0, 0.0), (30.0, 0.0)],
                                   [(30.0, 2.0), (40.0, 2.0), (50.0, 2.0)]]
    assert cut.clip_line([(0.0, 0.0), (10.0, 0.0)]) == []


@pytest.mark.parametrize("aspect", [1.0, 1.3, 1.64, 2.0])
def test_zoomed_out_as_far_as_the_map_goes_it_shows_only_the_window(aspect):
    """plotly.js scales a Mercator map of the asia scope to fit that scope (22-160 E,
    15 S-55 N) at scale 1; at minscale, the frame of this aspect holds no more than the
    window (the spans in projected units)."""
    import math

    def y(lat):
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))
    west, south, east, north = geo.basemap_window()
    scale1 = min(aspect / math.radians(160 - 22), 1 / (y(55) - y(-15)))
    least = scale1 * geo.min_zoom()
    assert aspect / least <= math.radians(east - west) + 1e-9
    assert 1 / least <= y(north) - y(south) + 1e-9
    # and the fitted view of all of Pakistan is closer than that, so it is not clamped
    pakistan = min(aspect / math.radians(74.2 - 60.8), 1 / (y(37.0) - y(23.6)))
    assert pakistan > least
