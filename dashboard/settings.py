"""One typed Settings object: what the environment and the command line set, read in one place.

| variable | option | meaning | default |
| --- | --- | --- | --- |
| DASHBOARD_DATA | --data | data files, separated by ':' (os.pathsep) | data/incidents.csv |
| DASHBOARD_FORMAT | --format | auto, canonical, imported, acled, gtd | auto |
| DASHBOARD_DUPLICATES | --duplicates | keep, drop-later | keep |
| DASHBOARD_ACLED_EVENTS | --acled-events | attacks (militant attacks only), all | attacks |
| DASHBOARD_EVENTS | --events | the key events drawn on the timelines (CSV) | data/events.csv |
| DASHBOARD_MAX_FILE_MB | | largest data file read, in MB | 1024 |
| DASHBOARD_REDIS_URL | | Redis for packs (Celery), the aggregation cache and sign-in limits | unset: in-process |
| DASHBOARD_JOBS_DIR | | where packs run without Redis keep their state (diskcache) | <tmp>/dashboard-jobs |
| DASHBOARD_CACHE_SECONDS | | how long an aggregation stays cached | 3600 |
| DASHBOARD_USERS_FILE | | users file (`python -m dashboard users add`): sign-in required | unset: open |
| DASHBOARD_SECRET_KEY | | signs session cookies; same on every instance | the users file's |
| DASHBOARD_PROXY_HOPS | | proxies in front (nginx: 1) whose X-Forwarded-* are trusted | 0 |
| DASHBOARD_LOGIN_LIMIT | | failed sign-ins allowed per client | 10 per minute |
| | --host, --port, --debug | where `python -m dashboard` serves; Dash debug mode | 127.0.0.1, 8050, off |
"""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from typing import Mapping

from .data.duplicates import DUPLICATES
from .data.events import DEFAULT_EVENTS
from .importers.convert import ACLED_EVENTS, FORMATS
from .paths import DEFAULT_DATA

DEFAULT_MAX_FILE_MB = 1024  # a million-row CSV is about 250 MB


@dataclass(frozen=True)
class Settings:
    data: tuple[str, ...] = field(default_factory=lambda: tuple(str(p) for p in DEFAULT_DATA))
    fmt: str = "auto"
    duplicates: str = "keep"
    acled_events: str = "attacks"
    events: str = str(DEFAULT_EVENTS)
    max_file_mb: int = DEFAULT_MAX_FILE_MB
    host: str = "127.0.0.1"
    port: int = 8050
    debug: bool = False
    redis_url: str = ""
    jobs_dir: str = field(default_factory=lambda: os.path.join(tempfile.gettempdir(),
                                                               "dashboard-jobs"))
    cache_seconds: int = 3600
    users_file: str = ""
    secret_key: str = field(default="", repr=False)
    proxy_hops: int = 0
    login_limit: str = "10 per minute"

    def __post_init__(self):
        for name, value, allowed in (("format", self.fmt, FORMATS),
                                     ("duplicates", self.duplicates, DUPLICATES),
                                     ("acled_events", self.acled_events, ACLED_EVENTS)):
            if value not in allowed:
                raise ValueError(f"{name} {value!r}: expected one of {', '.join(allowed)}")

        if self.redis_url and not self.redis_url.startswith(("redis://", "rediss://", "unix://")):
            raise ValueError(f"DASHBOARD_REDIS_URL={self.redis_url!r}: expected redis://HOST:PORT/DB")
        try:
            from limits import parse
            parse(self.login_limit)
        except ValueError:
            raise ValueError(f"DASHBOARD_LOGIN_LIMIT={self.login_limit!r}: expected for "
                             "example '10 per minute'") from None

    @property
    def load_options(self) -> dict:
        return {"acled_events": self.acled_events}

    @property
    def max_file_bytes(self) -> int:
        return self.max_file_mb * 2**20

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **overrides) -> "Settings":
        """Settings from DASHBOARD_* variables (blank or unset: the default); `overrides`
        (the command line's options) win over the environment."""
        env = os.environ if env is None else env

        def get(name: str) -> str:
            return env.get(name, "").strip()

        values: dict[str, object] = {}
        if get("DASHBOARD_DATA"):
            values["data"] = tuple(p for p in get("DASHBOARD_DATA").split(os.pathsep) if p)
        for key, name, allowed in (("fmt", "DASHBOARD_FORMAT", FORMATS),
                                   ("duplicates", "DASHBOARD_DUPLICATES", DUPLICATES),
                                   ("acled_events", "DASHBOARD_ACLED_EVENTS", ACLED_EVENTS)):
            if get(name) and get(name) not in allowed:
                raise ValueError(f"{name}={get(name)!r}: expected one of {', '.join(allowed)}")
            if get(name):
                values[key] = get(name)
        raw_mb = get("DASHBOARD_MAX_FILE_MB")
        if raw_mb.isascii() and raw_mb.isdigit() and int(raw_mb) > 0:
            values["max_file_mb"] = int(raw_mb)
        for key, name in (("events", "DASHBOARD_EVENTS"),
                          ("redis_url", "DASHBOARD_REDIS_URL"), ("jobs_dir", "DASHBOARD_JOBS_DIR"),
                          ("users_file", "DASHBOARD_USERS_FILE"),
                          ("secret_key", "DASHBOARD_SECRET_KEY"),
                          ("login_limit", "DASHBOARD_LOGIN_LIMIT")):
            if get(name):
                values[key] = get(name)
        for key, name, low in (("cache_seconds", "DASHBOARD_CACHE_SECONDS", 1),
                               ("proxy_hops", "DASHBOARD_PROXY_HOPS", 0)):
            raw = get(name)
            if raw and not (raw.isascii() and raw.isdigit() and int(raw) >= low):
                raise ValueError(f"{name}={raw!r}: expected a whole number >= {low}")
            if raw:
                values[key] = int(raw)
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)
