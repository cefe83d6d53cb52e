"""The load path on columns (issue 13): Parquet read as categoricals, checks run per distinct
value, sorting and district links on codes. The oracles here are plain pandas and Python on
the same cells, or the same incidents written as CSV (read row by row by the csv module).

Synthetic incidents only (bench/synthetic.py: ids SYN-..., never shown as real), with a few
cells made bad on purpose.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.synthetic import synthetic_incidents  # noqa: E402
from dashboard.data.dataset import district_links  # noqa: E402
from dashboard.data.loading import load_files  # noqa: E402
from dashboard.data.readers import read_table  # noqa: E402
from dashboard.data.schema import by_date_and_id  # noqa: E402

N = 1_000
# (row, column, bad cell, field reported, reason begins)
BAD = [
    (3, "killed", "2.5", "killed", "not a whole number"),
    (7, "date", "2024-02-30", "date", "not a real calendar date"),
    (11, "source_urls", "ftp://example.org/a", "source_urls", "not an http(s) URL"),
    (15, "group", "Nobody Brigade", "group", "unknown group"),
    (19, "incident_id", "SYN-00000019", "incident_id", "duplicate: already used on line"),
    (23, "latitude", "30.2", "longitude", "give both latitude and longitude"),
    (27, "source_urls", "https://example.org/a\u00a0b", "source_urls", "not an http(s) URL"),
    (31, "injured", "-4", "injured", "negative"),
    (35, "province", "Atlantis", "province", "unknown province"),
]


def _frame() -> pd.DataFrame:
    """1,000 synthetic incidents, a few with a coordinate, several with one bad cell."""
    frame = synthetic_incidents(N, seed=13)
    frame["latitude"], frame["longitude"] = "", ""
    quetta = frame.index[frame["district"] == "Quetta"][:3]
    frame.loc[quetta, ["latitude", "longitude"]] = ["30.18", "66.99"]
    frame.loc[quetta[:1], ["latitude", "longitude"]] = ["33.6", "73.0"]  # a note: not Quetta's box
    frame.loc[40, "source_urls"] = "https://example.org/ünïcode"  # non-ASCII, still a URL
    frame.loc[41, "district"] = "Quetta; Mastung"
    frame.loc[41, "province"] = "Balochistan"
    for row, column, cell, _, _ in BAD:
        frame.loc[row, column] = cell
    return frame


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("columns")
    frame = _frame()
    paths = {"csv": folder / "syn.csv", "parquet": folder / "syn.parquet",
             "typed": folder / "typed.parquet"}
    frame.to_csv(paths["csv"], index=False)
    frame.to_parquet(paths["parquet"])
    typed = frame.copy()  # the same cells with the types a spreadsheet tool would give
    for c in ("killed", "injured"):
        good = pd.to_numeric(typed[c].where(typed[c] != ""), errors="coerce")
        typed[c] = good.where(good % 1 == 0).astype("Int64") if c == "injured" else typed[c]
    typed.to_parquet(paths["typed"])
    return paths


def _relative(result, first_line: int):
    """Problems and frame with the file's name and line numbering taken out."""
    def relative(reason: str) -> str:  # 'already used on line 20' names a line too
        return re.sub(r"line (\d+)", lambda m: f"line {int(m.group(1)) - first_line}", reason)
    problems = [(p.line - first_line if p.line else None, p.field, p.value, relative(p.reason),
                 p.rejects_row) for p in result.problems]
    frame = result.incidents.drop(columns=["source_file"]).copy()
    frame["source_line"] -= first_line
    return frame, problems


def test_parquet_and_csv_give_the_same_frame_and_problems(files):
    csv_frame, csv_problems = _relative(load_files([files["csv"]], progress=False), 2)
    pq_frame, pq_problems = _relative(load_files([files["parquet"]], progress=False), 1)
    pd.testing.assert_frame_equal(csv_frame, pq_frame, check_exact=True)
    assert csv_problems == pq_problems
    for c in ("province", "district", "group", "collection"):  # categories: those present
        assert list(pq_frame[c].cat.categories) == sorted(pq_frame[c].dropna().unique())


def test_typed_parquet_cells_read_as_their_text(files):
    """A count column held as integers with blanks (Int64 in the file) gives the same frame
    and problems as the same cells held as text; the -4 is still rejected."""
    text, _ = _relative(load_files([files["parquet"]], progress=False), 1)
    typed, problems = _relative(load_files([files["typed"]], progress=False), 1)
    pd.testing.assert_frame_equal(text, typed, check_exact=True)
    assert (31, "injured", "-4") in {p[:3] for p in problems}


@pytest.mark.parametrize("kind", ["csv", "parquet"])
def test_each_bad_row_is_reported_by_line_field_and_reason(files, kind):
    result = load_files([files[kind]], progress=False)
    first = 2 if kind == "csv" else 1  # CSV: the header is line 1; Parquet: row 1 is line 1
    rejecting = [p for p in result.problems if p.rejects_row]
    for row, _, cell, field, reason in BAD:
        found = [p for p in rejecting if p.line == row + first and p.field == field]
        assert found, (row, field, [str(p) for p in rejecting])
        assert found[0].reason.startswith(reason), str(found[0])
        assert found[0].value in (cell, "", "SYN-00000019") or cell in found[0].value
    assert result.rows_in == N and result.rejected == len({row for row, *_ in BAD})
    assert result.accepted + result.rejected == result.rows_in
    lines = set(result.incidents["source_line"])
    assert not lines & {row + first for row, *_ in BAD}  # nothing bad kept
    notes = [p for p in result.problems if not p.rejects_row]
    assert [p.field for p in notes] == ["latitude"] and "outside the box" in notes[0].reason


def test_non_ascii_url_checked_by_python_rules(files):
    """A non-ASCII URL passes as Python's re passes it; a no-break space inside fails."""
    result = load_files([files["parquet"]], progress=False)
    kept = set(result.incidents["source_urls"])
    assert "https://example.org/ünïcode" in kept
    assert not any("\u00a0" in u for u in kept)


def test_read_table_categories_hold_the_same_text(files):
    plain = read_table(files["typed"]).frame
    coded = read_table(files["typed"], categories=True).frame
    assert list(plain.columns) == list(coded.columns)
    for c in plain.columns:
        assert plain[c].tolist() == coded[c].astype(object).tolist(), c
    assert isinstance(coded["province"].dtype, pd.CategoricalDtype)
    assert plain["injured"].iloc[31] == "-4"  # an integer cell as a CSV would hold it
    assert "" in set(plain["injured"]) and not {"nan", "<NA>"} & set(plain["injured"])


def test_sorted_by_date_then_id_as_pandas_sorts():
    rng = np.random.default_rng(5)
    frame = pd.DataFrame({
        "date": pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 5, 300), "D"),
        "incident_id": pd.array([f"X-{i:03d}" for i in rng.permutation(300)], dtype="string"),
        "group": pd.Categorical(rng.choice(["a", "b"], 300)),
        "killed": pd.array(rng.integers(0, 9, 300), dtype="Int64"),
    })
    expected = frame.sort_values(["date", "incident_id"], kind="stable").reset_index(drop=True)
    pd.testing.assert_frame_equal(by_date_and_id(frame), expected)
    pd.testing.assert_frame_equal(by_date_and_id(expected), expected)


def test_sorted_text_in_chunks_and_blank_numbers_keep_their_rows():
    """Arrow text read in several chunks (a Parquet file's row groups) and a number column
    with no value at all move with their rows."""
    rng = np.random.default_rng(8)
    ids = [f"X-{i:03d}" for i in rng.permutation(300)]
    urls = [f"https://example.org/{i}" for i in rng.permutation(300)]
    chunks = pa.chunked_array([urls[:100], urls[100:250], urls[250:]], type=pa.large_string())
    frame = pd.DataFrame({
        "date": pd.to_datetime("2020-01-01") + pd.to_timedelta(rng.integers(0, 5, 300), "D"),
        "incident_id": pd.array(ids, dtype="string"),
        "source_urls": pd.Series(pd.array(chunks, dtype="string")),
        "killed_low": pd.array([None] * 300, dtype="Int32"),
        "latitude": pd.array([None] * 300, dtype="Float64"),
    })
    ordered = by_date_and_id(frame)
    by_id = dict(zip(ids, urls))
    assert list(ordered["source_urls"]) == [by_id[i] for i in ordered["incident_id"]]
    keys = list(zip(ordered["date"], ordered["incident_id"]))
    assert keys == sorted(zip(frame["date"], frame["incident_id"]))
    assert ordered["killed_low"].isna().all() and str(ordered["killed_low"].dtype) == "Int32"
    assert ordered["latitude"].isna().all() and str(ordered["latitude"].dtype) == "Float64"


def test_repeated_text_is_held_once_and_reads_as_the_file_gives_it(tmp_path):
    """An optional text column whose cells repeat (one note for every row, a blank column)
    is held as a categorical, a mostly distinct one as text, ids and URLs always as text;
    each reads as the file's cells."""
    frame = _frame().head(200)
    frame["notes"] = "Figures from the first report."
    frame["source_text"] = [f"Report {i}" for i in range(len(frame))]
    frame["target_detail"] = ""
    path = tmp_path / "repeated.csv"
    frame.to_csv(path, index=False)
    inc = load_files([path], progress=False).incidents
    cells = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("incident_id")
    cells = cells[~cells.index.duplicated()]  # a repeated id's second row is rejected
    for c in ("notes", "target_detail"):
        assert isinstance(inc[c].dtype, pd.CategoricalDtype), c
    for c in ("incident_id", "source_urls", "source_text"):
        assert not isinstance(inc[c].dtype, pd.CategoricalDtype), c
    for c in ("notes", "target_detail", "source_text", "source_urls"):
        expected = cells.loc[list(inc["incident_id"]), c].str.strip().tolist()
        assert inc[c].astype(str).tolist() == expected, c


def test_district_links_as_plain_python_splits_them():
    incidents = pd.DataFrame({"district": pd.Categorical(
        ["Quetta", "Quetta; Mastung", "Kech", "Mastung; Kech; Quetta", "Quetta"])})
    links = district_links(incidents)
    expected = [(row, part.strip()) for row, cell in enumerate(incidents["district"].astype(str))
                for part in cell.split(";")]
    assert list(zip(links["row"], links["district"].astype(str))) == expected
    assert list(links["district"].cat.categories) == ["Kech", "Mastung", "Quetta"]


def test_district_links_one_district_per_cell_one_link_per_row():
    incidents = pd.DataFrame({"district": pd.Categorical(
        ["Quetta", "Kech", "Quetta", "Mastung"], categories=["Kech", "Mastung", "Quetta",
                                                              "Zhob"])})
    links = district_links(incidents)
    assert list(zip(links["row"], links["district"].astype(str))) == [
        (0, "Quetta"), (1, "Kech"), (2, "Quetta"), (3, "Mastung")]
    assert list(links["district"].cat.categories) == ["Kech", "Mastung", "Quetta"]


def test_parquet_index_and_categorical_columns_read_as_before(tmp_path):
    """A Parquet file written with its pandas index (not a column) and with categorical
    columns (Arrow dictionaries of their own) loads like the same cells as plain text."""
    frame = _frame().head(60)
    plain, indexed = tmp_path / "plain.parquet", tmp_path / "indexed.parquet"
    frame.to_parquet(plain, index=False)
    coded = frame.astype({"province": "category", "group": "category"})
    coded.index = pd.Index([f"k{i}" for i in range(len(coded))], name="key")
    coded.to_parquet(indexed, index=True)
    a, problems_a = _relative(load_files([plain], progress=False), 1)
    b, problems_b = _relative(load_files([indexed], progress=False), 1)
    pd.testing.assert_frame_equal(a, b, check_exact=True)
    assert problems_a == problems_b and "key" not in b.columns


def test_long_plain_text_is_held_once_only_when_it_repeats():
    """A long text column read as plain text (a CSV's): one note for every row becomes a
    categorical; notes that differ from the start stay text, uncounted; both read the same."""
    from dashboard.data.schema import TEXT_SAMPLE, _text
    n = TEXT_SAMPLE + 500
    same = pd.Series(["Figures from the first report."] * n, dtype=object)
    distinct = pd.Series([f"Report {i}" for i in range(n)], dtype=object)
    assert isinstance(_text(same).dtype, pd.CategoricalDtype)
    assert str(_text(distinct).dtype) == "string"
    assert _text(same).astype(str).tolist() == same.tolist()
    assert _text(distinct).astype(str).tolist() == distinct.tolist()
