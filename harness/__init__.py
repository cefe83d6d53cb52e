"""Helpers the tests and the benchmarks share: the app's callbacks over HTTP, a served app."""
