"""Synthetic incidents for benchmarks and tests only: same schema, clearly marked, never real.

Every row has the collection 'synthetic', an id starting 'SYN-', a source URL under
https://synthetic.invalid/ and a note saying it is generated.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from dashboard.reference import load_reference


def synthetic_incidents(n: int, seed: int = 7) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    ref = load_reference()
    gaz = ref.districts[ref.districts["district"] != "Karachi (district not stated)"]
    pick = rng.integers(0, len(gaz), n)
    days = rng.integers(0, (pd.Timestamp("2025-12-31") - pd.Timestamp("2015-01-01")).days, n)
    dates = (pd.Timestamp("2015-01-01") + pd.to_timedelta(days, unit="D")).strftime("%Y-%m-%d")

    def choose(field):
        values = np.array(ref.vocab[field].canonical, dtype=object)
        return values[rng.integers(0, len(values), n)]

    killed = rng.poisson(3, n).astype(object)
    killed[rng.random(n) < 0.05] = ""
    injured = rng.poisson(6, n).astype(object)
    injured[rng.random(n) < 0.15] = ""
    ids = np.char.add("SYN-", np.char.zfill(np.arange(1, n + 1).astype(str), 8))
    return pd.DataFrame({
        "incident_id": ids,
        "date": dates,
        "province": gaz["province"].to_numpy()[pick],
        "district": gaz["district"].to_numpy()[pick],
        "group": choose("group"),
        "attribution": choose("attribution"),
        "target_type": choose("target_type"),
        "attack_type": choose("attack_type"),
        "killed": killed.astype(str),
        "injured": injured.astype(str),
        "source_urls": np.char.add("https://synthetic.invalid/incident/", ids),
        "collection": "synthetic",
        "notes": "SYNTHETIC: generated for benchmarks, not a real incident.",
    })
