#!/usr/bin/env bash
# Mutation testing of the core modules (filters, aggregation, figures, clicks, validation,
# duplicates, importers), configured in pyproject.toml [tool.mutmut]. Slow, so not in CI:
#   bash bench/mutation.sh            # run (reuses mutants/ results for unchanged code)
#   bash bench/mutation.sh --report   # only print the table of the last run
#   bash bench/mutation.sh --sample [FRACTION]   # a seeded random sample of each module's
#                                  mutants (default 0.1, at least 40 a module), run afresh;
#                                  the table then counts the sample and gives each score's
#                                  95% interval (--report prints it again)
#                                  (ONLY=REGEX: only the sample's mutants whose name
#                                  matches, e.g. ONLY='validate|duplicates'; the same seed
#                                  gives those modules the same mutants as a whole sample)
#   bash bench/mutation.sh --resume   # the sample's mutants not run yet (a stopped run)
#   bash bench/mutation.sh --recheck TESTS...   # the last run's survivors against TESTS now
#                                  (ONLY=REGEX: only the survivors whose name matches)
# Prints the score per module and every surviving mutant's name (`mutmut show NAME` shows
# its diff). Tests run on the machine's cores (JOBS, default: all).
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3
case "$PY" in /*) ;; */*) PY="$PWD/$PY" ;; esac  # --recheck runs it from mutants/
if [ "${1:-}" = "--recheck" ]; then
  # mutmut reruns a survivor only with the tests it recorded as covering it when the run
  # began, so new tests are not tried on it: run TESTS (as they are now) on each survivor.
  shift
  [ $# -gt 0 ] || { echo "usage: bash bench/mutation.sh --recheck TEST_FILE..." >&2; exit 2; }
  rm -rf mutants/tests && mkdir -p mutants/tests
  tar -C tests --exclude=./a11y/node_modules -cf - . | tar -C mutants/tests -xf -
  "$PY" -m mutmut results 2>/dev/null | awk -F': ' '$2 == "survived" {gsub(/ /, "", $1); print $1}' |
  grep -E -- "${ONLY:-.}" |
  while read -r name; do
    if (cd mutants && MUTANT_UNDER_TEST="$name" timeout 900 "$PY" -m pytest -x -q \
          -p no:cacheprovider "$@" >/dev/null 2>&1); then
      echo "survives  $name"
    else
      echo "killed    $name"
    fi
  done
  exit 0
fi
SAMPLE=mutants/sample.txt
if [ "${1:-}" = "--sample" ]; then
  # Afresh: results and coverage of an earlier run would mix into the sample's.
  rm -rf mutants
  "$PY" bench/mutation_sample.py --fraction "${2:-0.1}" | grep -E -- "${ONLY:-.}" \
    > mutants-sample.txt
  mv mutants-sample.txt "$SAMPLE"
  # shellcheck disable=SC2046
  "$PY" -m mutmut run --max-children "${JOBS:-$(nproc)}" $(cat "$SAMPLE") >/dev/null 2>&1 || true
elif [ "${1:-}" = "--resume" ]; then
  [ -f "$SAMPLE" ] || { echo "no sample to resume: bash bench/mutation.sh --sample" >&2; exit 2; }
  # mutmut keeps its coverage map only for modules it has just hashed, and other commands
  # save it emptied (bench/README.md): record it afresh.
  rm -f mutants/mutmut-stats.json
  "$PY" -m mutmut results --all true 2>/dev/null |
    awk -F': ' '$2 == "not checked" {gsub(/ /, "", $1); print $1}' |
    grep -Fx -f "$SAMPLE" > mutants/resume.txt || true
  if [ -s mutants/resume.txt ]; then
    # shellcheck disable=SC2046
    "$PY" -m mutmut run --max-children "${JOBS:-$(nproc)}" $(cat mutants/resume.txt) \
      >/dev/null 2>&1 || true
  fi
elif [ "${1:-}" != "--report" ]; then
  rm -f "$SAMPLE"
  "$PY" -m mutmut run --max-children "${JOBS:-$(nproc)}" >/dev/null 2>&1 || true
fi
ONLY_ARGS=()
[ -f "$SAMPLE" ] && ONLY_ARGS=(--only "$SAMPLE")
# survivors' verdicts found since (killed by a newer test, equivalent): bench/README.md
"$PY" -m mutmut results --all true 2>/dev/null |
  "$PY" bench/mutation_report.py "${ONLY_ARGS[@]}" --triage bench/mutation_triage.csv
