"""Fixture scopes that give way under mutation testing.

Shared fixtures (the dataset, the app, converted files) are built once per session or module.
Under mutmut (bench/mutation.sh sets MUTANT_UNDER_TEST) each test builds its own instead, so
mutmut sees which tests run which code and runs them against each mutant; a shared fixture
would credit its code to the first test that built it only.
"""
import os


def _mutating() -> bool:
    return bool(os.environ.get("MUTANT_UNDER_TEST"))


def per_session(fixture_name, config) -> str:
    return "function" if _mutating() else "session"


def per_module(fixture_name, config) -> str:
    return "function" if _mutating() else "module"
