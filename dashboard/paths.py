"""Where the project's files are, found once: every module that reads a shipped file asks here."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = ROOT / "data"
MAPPINGS_DIR = DATA_DIR / "mappings"
DEFAULT_DATA = (DATA_DIR / "incidents.csv",)
ASSETS = ROOT / "assets"
TOPOJSON = ASSETS / "topojson"  # plotly.js's outlines of Asia, as it ships them
# the maps' outlines: those cut to the window around Pakistan (scripts/regional_basemap.py)
BASEMAP = TOPOJSON / "pakistan"
GEO_DIR = ASSETS / "geo"  # district polygons (served to the browser) and their gazetteer match
DISTRICT_POLYGONS = GEO_DIR / "districts.geojson"
