"""Fixture scopes that give way under mutation testing.

Shared fixtures (the dataset, the app, converted files) are built once per session or module.
While mutmut records which tests run which code (bench/mutation.sh; it sets MUTANT_UNDER_TEST
to 'stats'), each test builds its own instead: a shared fixture would credit its code to the
first test that built it only, and mutmut would then run only that test against its mutants.
"""
import os


def _mutating() -> bool:
    return os.environ.get("MUTANT_UNDER_TEST") == "stats"


def per_session(fixture_name, config) -> str:
    return "function" if _mutating() else "session"


def per_module(fixture_name, config) -> str:
    return "function" if _mutating() else "module"
