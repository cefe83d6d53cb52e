"""Reference tables shipped in ``data/``: vocabularies, gazetteer, provinces, collections.

Everything that turns a raw spelling into a canonical value lives here, so the loader, the
filters and the URL parser resolve names the same way.
"""
from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .paths import DATA_DIR

LIST_SEP = "|"
VOCAB_FIELDS = ("group", "attribution", "target_type", "attack_type")
PRECISION_FIELDS = ("date_precision", "place_precision")  # optional: blank is unknown
PAKISTAN_BOUNDS = (23.5, 37.2, 60.8, 77.9)  # min_lat, max_lat, min_lon, max_lon


def split_list(text: str, sep: str = LIST_SEP) -> list[str]:
    """Split a ``a | b`` cell into stripped, non-empty parts."""
    return [p.strip() for p in str(text).split(sep) if p.strip()]


def fold(text: object) -> str:
    """The one text normaliser behind every lookup: accents stripped (NFKD), case and spacing
    folded, underscores as spaces."""
    decomposed = unicodedata.normalize("NFKD", str(text))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().replace("_", " ").split())


@dataclass(frozen=True)
class Lookup:
    """Canonical values and every accepted spelling (case and spacing folded)."""

    canonical: tuple[str, ...]
    spellings: dict[str, str]

    @classmethod
    def build(cls, canonical: list[str], aliases: list[list[str]]) -> "Lookup":
        spellings: dict[str, str] = {}
        for value, alts in zip(canonical, aliases):
            for spelling in [value, *alts]:
                spellings.setdefault(fold(spelling), value)
        return cls(tuple(canonical), spellings)

    def resolve(self, text: str) -> str | None:
        return self.spellings.get(fold(text))

    def suggest(self, text: str) -> str | None:
        """The closest canonical value, for a 'did you mean' hint."""
        hit = difflib.get_close_matches(fold(text), list(self.spellings), n=1, cutoff=0.6)
        return self.spellings[hit[0]] if hit else None


@dataclass(frozen=True)
class Reference:
    vocab: dict[str, Lookup]
    provinces: pd.DataFrame  # indexed by canonical province
    province_lookup: Lookup
    districts: pd.DataFrame  # indexed by canonical district
    district_lookup: Lookup
    collections: pd.DataFrame  # indexed by collection id
    families: dict[str, str]  # group -> family ('Islamic State', 'Baloch separatist', ...)
    published: pd.DataFrame  # published figures with their scope, citation and definition
    human_targets: tuple[str, ...]  # target types that are people, in vocabulary order

    def districts_of(self, provinces: list[str] | tuple[str, ...] | None = None) -> list[str]:
        table = self.districts
        if provinces:
            table = table[table["province"].isin(provinces)]
        return sorted(table.index)

    def inside_province(self, province: str, lat: float, lon: float) -> bool:
        row = self.provinces.loc[province]
        return bool(row.min_lat <= lat <= row.max_lat and row.min_lon <= lon <= row.max_lon)


def _read(path: Path) -> pd.DataFrame:
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")


@lru_cache(maxsize=4)
def load_reference(data_dir: Path = DATA_DIR) -> Reference:
    data_dir = Path(data_dir)
    definitions = _read(data_dir / "vocabularies.csv")
    vocab = {}
    for field in (*VOCAB_FIELDS, *PRECISION_FIELDS):
        part = definitions[definitions["field"] == field]
        vocab[field] = Lookup.build(list(part["value"]), [split_list(a) for a in part["aliases"]])

    provinces = _read(data_dir / "provinces.csv")
    for col in ("min_lat", "max_lat", "min_lon", "max_lon"):
        provinces[col] = provinces[col].astype(float)
    province_lookup = Lookup.build(
        list(provinces["province"]), [split_list(a) for a in provinces["aliases"]]
    )

    districts = _read(data_dir / "districts.csv")
    for col in ("latitude", "longitude"):
        districts[col] = pd.to_numeric(districts[col].replace("", None), errors="raise")
    district_lookup = Lookup.build(
        list(districts["district"]), [split_list(a) for a in districts["aliases"]]
    )
    collections = _read(data_dir / "collections.csv")
    groups = definitions[definitions["field"] == "group"]
    targets = definitions[definitions["field"] == "target_type"]
    published = _read(data_dir / "published_figures.csv")
    published["value"] = published["value"].astype(int)
    for col in ("groups", "target_types"):
        published[col] = published[col].map(split_list)
    for col in ("date_from", "date_to"):
        published[col] = published[col].map(lambda d: date.fromisoformat(d) if d else None)
    return Reference(
        published=published,
        families=dict(zip(groups["value"], groups["family"])),
        human_targets=tuple(targets.loc[targets["human_target"] == "yes", "value"]),
        vocab=vocab,
        provinces=provinces.set_index("province", drop=False),
        province_lookup=province_lookup,
        districts=districts.set_index("district", drop=False),
        district_lookup=district_lookup,
        collections=collections.set_index("collection", drop=False),
    )
