"""Likely duplicates across files: the same incident reported in two of the files loaded."""
from __future__ import annotations

import numpy as np
import pandas as pd

from .schema import Problem, count_text

DUPLICATES = ("keep", "drop-later")  # what to do with the later row of a pair


def find_duplicates(incidents: pd.DataFrame) -> list[tuple[int, int]]:
    """Likely duplicates across files, as (earlier, later) row positions.

    Two rows from different files match when they share the date, the district cell and the
    group, their killed are both known and within 1 or 10% of each other, and their injured
    are too when both are known. A later row is paired with its first match only.
    """
    if incidents.empty or incidents["source_file"].nunique() < 2:  # pairs span two files
        return []
    rows = pd.DataFrame({
        "pos": np.arange(len(incidents)),
        "file": incidents["source_file"].astype(str).to_numpy(),
        "date": incidents["date"].to_numpy(),
        "district": incidents["district"].astype(str).to_numpy(),
        "group": incidents["group"].astype(str).to_numpy(),
        "killed": incidents["killed"].to_numpy(dtype="float64", na_value=np.nan),
        "injured": incidents["injured"].to_numpy(dtype="float64", na_value=np.nan),
    })
    pairs = rows.merge(rows, on=["date", "district", "group"], suffixes=("_a", "_b"))
    pairs = pairs[(pairs["pos_a"] < pairs["pos_b"]) & (pairs["file_a"] != pairs["file_b"])]
    killed = _close(pairs["killed_a"], pairs["killed_b"])
    injured = (_close(pairs["injured_a"], pairs["injured_b"])
               | pairs["injured_a"].isna() | pairs["injured_b"].isna())
    hits = pairs[killed & injured].sort_values(["pos_b", "pos_a"]).drop_duplicates("pos_b")
    return list(zip(hits["pos_a"].tolist(), hits["pos_b"].tolist()))


def _close(a: pd.Series, b: pd.Series) -> pd.Series:
    """Both known and within 1 or 10% of the larger."""
    diff = (a - b).abs()
    return (diff <= 1) | (diff <= 0.1 * np.maximum(a, b))


def likely_duplicates(incidents: pd.DataFrame, sources: dict[str, str],
                      drop: bool) -> tuple[pd.DataFrame, list[Problem]]:
    """Report each likely duplicate on the later row; with drop, drop that row too."""
    pairs = find_duplicates(incidents)
    problems = []
    for first, later in pairs:
        a, b = incidents.iloc[first], incidents.iloc[later]
        action = ("dropped (--duplicates drop-later)" if drop
                  else "both kept (--duplicates drop-later would drop this one)")
        problems.append(Problem(
            sources.get(b["source_file"], b["source_file"]), int(b["source_line"]),
            "incident_id", b["incident_id"],
            f"likely the same incident as {a['incident_id']} "
            f"({sources.get(a['source_file'], a['source_file'])}:{a['source_line']}): same "
            f"date, district and group, killed {count_text(a['killed'])} and "
            f"{count_text(b['killed'])}, injured {count_text(a['injured'])} and "
            f"{count_text(b['injured'])}; {action}", rejects_row=drop))
    if drop and pairs:
        incidents = incidents.drop(incidents.index[[later for _, later in pairs]])
    return incidents.reset_index(drop=True), problems
