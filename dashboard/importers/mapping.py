"""The mapping tables of data/mappings/ (one per field, each row with a note) and the
placeholder districts for rows whose district cannot be resolved."""
from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from ..data.schema import DISTRICT_SEP
from ..paths import MAPPINGS_DIR
from ..reference import Lookup, Reference, fold

TABLES = {"group": "groups", "attribution": "attribution", "target_type": "target_types",
          "attack_type": "attack_types", "province": "provinces", "district": "places"}


@dataclass(frozen=True)
class Table:
    """One table of data/mappings/: (source, their value) -> ours ('' = deliberately none)."""

    name: str
    values: dict[tuple[str, str], str]

    def get(self, fmt: str, raw: str) -> str | None:
        key = fold(raw)
        return self.values.get((fmt, key), self.values.get(("any", key)))


@lru_cache(maxsize=2)
def load_mappings(directory: Path = MAPPINGS_DIR) -> dict[str, Table]:
    tables = {}
    for field_, name in TABLES.items():
        frame = pd.read_csv(Path(directory) / f"{name}.csv", dtype=str, keep_default_na=False)
        tables[field_] = Table(f"data/mappings/{name}.csv", {
            (source, fold(value)): ours
            for source, value, ours in zip(frame["source"], frame["value"], frame[field_])})
    return tables


@lru_cache(maxsize=2)
def load_placeholders(directory: Path = MAPPINGS_DIR) -> pd.DataFrame:
    """province -> its placeholder district, for rows whose district cannot be resolved."""
    table = pd.read_csv(Path(directory) / "placeholder_districts.csv", dtype=str,
                        keep_default_na=False)
    return table.set_index("province", drop=False)


def with_placeholders(ref: Reference, names=None) -> Reference:
    """The reference with placeholder districts (all, or those in `names`) in its gazetteer."""
    table = load_placeholders()
    if names is not None:
        table = table[table["district"].isin(set(names))]
    if table.empty:
        return ref
    extra = pd.DataFrame("", index=pd.Index(table["district"].to_numpy(),
                                            name=ref.districts.index.name),
                         columns=ref.districts.columns)
    extra["district"] = table["district"].to_numpy()
    extra["province"] = table["province"].to_numpy()
    extra["notes"] = table["note"].to_numpy()
    extra[["latitude", "longitude"]] = np.nan
    added = Lookup.build(list(extra.index), [[] for _ in extra.index])
    lookup = Lookup(ref.district_lookup.canonical + added.canonical,
                    {**ref.district_lookup.spellings, **added.spellings})
    return dataclasses.replace(ref, districts=pd.concat([ref.districts, extra]),
                               district_lookup=lookup)


def reference_for(incidents: pd.DataFrame, ref: Reference) -> Reference | None:
    """The reference extended with the placeholders the incidents use, or None if none."""
    parts = {p.strip() for cell in pd.Series(incidents["district"].unique()).astype(str)
             for p in cell.split(DISTRICT_SEP)}
    used = parts & set(load_placeholders()["district"])
    return with_placeholders(ref, used) if used else None
