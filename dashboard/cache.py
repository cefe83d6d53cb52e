"""The shared cache of the aggregations behind each view (flask-caching).

A simple in-process cache by default; Redis when ``DASHBOARD_REDIS_URL`` is set, so every
worker and instance behind a load balancer answers from one cache. A key holds the data's
version (a hash of the loaded files and how they were read), the aggregation's name and the
normalised view state (the same filters in any order are one key), so a new data file never
meets the numbers of the old one. A cache that cannot be reached is skipped, never an error.
"""
from __future__ import annotations

import hashlib
import json
import logging
from pathlib import Path

from flask_caching import Cache

from .filters import ViewState

log = logging.getLogger("dashboard")
FORMAT = "1"  # bump when an aggregation's result changes shape or meaning
PREFIX = "pmd:agg:"


def files_version(paths, fmt: str, duplicates: str) -> str:
    """A hash of the files' bytes, their order and how they are read."""
    h = hashlib.sha256(f"{FORMAT}|{fmt}|{duplicates}".encode())
    for path in paths:
        h.update(b"|file|")
        try:
            with open(path, "rb") as f:
                for block in iter(lambda: f.read(1 << 20), b""):
                    h.update(block)
        except OSError as exc:  # an unreadable file loads nothing; say so in the version
            h.update(f"unreadable {Path(path).name}: {exc.strerror}".encode())
    return h.hexdigest()[:32]


def dataset_version(ds) -> str:
    """A hash of the loaded incidents themselves (a dataset made in process, no files)."""
    import pandas as pd
    rows = pd.util.hash_pandas_object(ds.incidents.astype(str), index=False).to_numpy()
    return hashlib.sha256(FORMAT.encode() + rows.tobytes()).hexdigest()[:32]


def state_key(state: ViewState) -> str:
    """The view state as far as the aggregations read it, normalised: every filter's values
    sorted, the tab left out (the aggregations do not depend on it)."""
    f = state.as_dict()["filters"]
    f = {k: sorted(v) if isinstance(v, list) else v for k, v in f.items()}
    d = state.display
    text = json.dumps({"f": f, "period": d.period, "rule": d.common_rule}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


class AggregateCache:
    """get_or_compute(name, state, compute) through a flask-caching Cache."""

    def __init__(self, cache: Cache, version: str, timeout: int = 3600):
        self.cache, self.version, self.timeout = cache, version, timeout
        self.hits = self.misses = 0
        self._warned = False

    def key(self, name: str, state: ViewState) -> str:
        return f"{self.version}:{name}:{state_key(state)}"

    def get_or_compute(self, name: str, state: ViewState, compute):
        key = self.key(name, state)
        try:
            value = self.cache.get(key)
        except Exception as exc:  # noqa: BLE001 - Redis away: compute, do not fail
            self._unreachable(exc)
            return compute()
        if value is not None:
            self.hits += 1
            return value
        self.misses += 1
        value = compute()
        try:
            self.cache.set(key, value, timeout=self.timeout)
        except Exception as exc:  # noqa: BLE001
            self._unreachable(exc)
        return value

    def _unreachable(self, exc: Exception) -> None:
        if not self._warned:
            log.warning("aggregation cache unreachable (%s); computing without it", exc)
            self._warned = True


def config(redis_url: str, timeout: int) -> dict:
    """flask-caching's configuration: Redis when a URL is given, else in-process."""
    if redis_url:
        return {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": redis_url,
                "CACHE_KEY_PREFIX": PREFIX, "CACHE_DEFAULT_TIMEOUT": timeout,
                "CACHE_OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2}}
    return {"CACHE_TYPE": "SimpleCache", "CACHE_DEFAULT_TIMEOUT": timeout,
            "CACHE_THRESHOLD": 5000}


def make(server, redis_url: str, version: str, timeout: int) -> AggregateCache:
    return AggregateCache(Cache(server, config=config(redis_url, timeout)), version, timeout)
