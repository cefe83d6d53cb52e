"""Fixture scopes that give way under mutation testing.

Shared fixtures (the dataset, the app, converted files) are built once per session or module.
While mutmut records which tests run which code (bench/mutation.sh; it sets MUTANT_UNDER_TEST
to 'stats'), each test builds its own instead: a shared fixture would credit its code to the
first test that built it only, and mutmut would then run only that test against its mutants.
"""
import os
import sys


def recording() -> bool:
    """mutmut is recording which tests run which code (its "stats" phase)."""
    return os.environ.get("MUTANT_UNDER_TEST") == "stats"


def per_session(fixture_name, config) -> str:
    return "function" if recording() else "session"


def per_module(fixture_name, config) -> str:
    return "function" if recording() else "module"


def clear_caches() -> None:
    """Empty every functools cache of the dashboard (reference tables, polygons, mappings).

    mutmut forks each mutant's run from a process that has already run the tests: what those
    cached would hide a mutant in the cached code. And while it records which tests run which
    code, a cache would credit its code to the first test only."""
    for name, module in list(sys.modules.items()):
        if name == "dashboard" or name.startswith("dashboard."):
            for value in list(vars(module).values()):
                if callable(getattr(value, "cache_clear", None)):
                    value.cache_clear()


def mutant_running() -> bool:
    return os.environ.get("MUTANT_UNDER_TEST", "") not in ("", "stats")
