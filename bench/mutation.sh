#!/usr/bin/env bash
# Mutation testing of the core modules (filters, aggregation, figures, clicks, validation,
# duplicates, importers), configured in pyproject.toml [tool.mutmut]. Slow, so not in CI:
#   bash bench/mutation.sh            # run (reuses mutants/ results for unchanged code)
#   bash bench/mutation.sh --report   # only print the table of the last run
# Prints the score per module and every surviving mutant's name (`mutmut show NAME` shows
# its diff). Tests run on the machine's cores (JOBS, default: all).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3
if [ "${1:-}" != "--report" ]; then
  "$PY" -m mutmut run --max-children "${JOBS:-$(nproc)}" >/dev/null 2>&1 || true
fi
"$PY" -m mutmut results --all true 2>/dev/null | "$PY" bench/mutation_report.py
