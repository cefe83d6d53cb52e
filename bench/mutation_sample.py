"""Generate the core modules' mutants and print a seeded random sample of their names.

A full mutation run of the core modules takes hours on two cores (bench/README.md). A random
sample of the mutants estimates each module's score with a known margin (the report prints a
95% interval), in a run that fits a working session:
    python bench/mutation_sample.py --fraction 0.1 > mutants-sample.txt
Each module gives `fraction` of its mutants, and at least `--minimum` (or all it has). The same
seed, code and mutmut version give the same sample.
"""
from __future__ import annotations

import argparse
import contextlib
import json
import math
import os
import random
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from mutation_report import module_of  # noqa: E402


def generate() -> None:
    """What `mutmut run` does before it runs anything: copy the tree to mutants/, mutate."""
    from mutmut.__main__ import (copy_also_copy_files, copy_src_dir, create_mutants,
                                 set_mutant_under_test, setup_source_paths,
                                 store_lines_covered_by_tests)
    set_mutant_under_test("mutant_generation")
    os.makedirs("mutants", exist_ok=True)
    with contextlib.redirect_stdout(sys.stderr):  # mutmut's progress; stdout is the sample
        copy_src_dir()
        copy_also_copy_files()
        setup_source_paths()
        store_lines_covered_by_tests()
        create_mutants(os.cpu_count() or 2)


def mutant_names() -> dict[str, list[str]]:
    by_module: dict[str, list[str]] = defaultdict(list)
    for meta in Path("mutants").rglob("*.py.meta"):
        for name in json.loads(meta.read_text())["exit_code_by_key"]:
            by_module[module_of(name)].append(name)
    return by_module


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fraction", type=float, default=0.1)
    parser.add_argument("--minimum", type=int, default=40)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    os.chdir(Path(__file__).resolve().parent.parent)
    generate()
    rng = random.Random(args.seed)
    for module, names in sorted(mutant_names().items()):
        k = min(len(names), max(args.minimum, math.ceil(args.fraction * len(names))))
        for name in sorted(rng.sample(sorted(names), k)):
            print(name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
