"""scripts/import_research.py: research tables + audit + added incidents -> data/incidents.csv.

The research tables used here are written by the test from rows of data/incidents.csv (their
research columns), so the audit's checks can be exercised without the tables beside the
repository; the reproducibility test uses the real tables when they are present.
"""
from __future__ import annotations

import csv
import importlib.util
import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
RESEARCH = ROOT.parent / "shared" / "research"
RESEARCH_COLUMNS = ("incident_id", "date", "province", "district", "location", "group",
                    "attribution", "target_type", "target_detail", "attack_type", "killed",
                    "injured", "source_urls", "notes")
AUDIT_HEADER = ("incident_id", "field", "old_value", "new_value", "source_url", "evidence",
                "pattern")
URL = "https://www.dawn.com/news/1296019"


def _script():
    spec = importlib.util.spec_from_file_location("import_research",
                                                  ROOT / "scripts" / "import_research.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ir = _script()


def _rows(path: Path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


SHIPPED = _rows(DATA / "incidents.csv")
BY_ID = {r["incident_id"]: r for r in SHIPPED}


def _write(path: Path, header, rows) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(header), extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def research(tmp_path) -> Path:
    """Three research tables of two shipped rows each, their notes without [import] tags."""
    folder = tmp_path / "research"
    folder.mkdir()
    for collection in ir.COLLECTIONS:
        rows = [dict(r, notes=r["notes"].split(" [import]")[0]) for r in SHIPPED
                if r["collection"] == collection][:2]
        _write(folder / f"{collection}.csv", RESEARCH_COLUMNS, rows)
    return folder


def _build(tmp_path, research, audit=(), added=(), added_header=ir.SHIPPED):
    out = tmp_path / "incidents.csv"
    ir.main([str(research), "--audit", str(_write(tmp_path / "audit.csv", AUDIT_HEADER, audit)),
             "--added", str(_write(tmp_path / "added.csv", added_header, added)),
             "--out", str(out)])
    return {r["incident_id"]: r for r in _rows(out)}


def _line(incident_id, field, old, new, pattern="later_toll", url=URL):
    return dict(incident_id=incident_id, field=field, old_value=old, new_value=new,
                source_url=url, evidence="quoted from the page", pattern=pattern)


QUETTA = "ISK-BL-20160808-1"  # 74 killed, 120 injured in the shipped data


def test_audit_changes_counts_and_ranges_and_appends_notes(tmp_path, research):
    """Counts and bounds replaced; notes appended in order (an append may leave old_value
    blank)."""
    row = BY_ID[QUETTA]
    out = _build(tmp_path, research, [
        _line(QUETTA, "killed_low", "", "70", "range"),
        _line(QUETTA, "killed_high", "", "94", "range"),
        _line(QUETTA, "injured", "120", "130", "later_toll"),
        _line(QUETTA, "injured_low", "", "92", "range"),
        _line(QUETTA, "notes", row["notes"], "Dawn gives 70 killed; Reuters 94.", "range"),
        _line(QUETTA, "notes", "", "The Express Tribune gives 92 injured.", "range"),
    ])
    got = out[QUETTA]
    assert (got["killed"], got["killed_low"], got["killed_high"]) == ("74", "70", "94")
    assert (got["injured"], got["injured_low"], got["injured_high"]) == ("130", "92", "")
    assert got["notes"] == (row["notes"] + " [audit] Dawn gives 70 killed; Reuters 94. "
                            "[audit] The Express Tribune gives 92 injured.")
    fields = [c for c in ir.SHIPPED if c != "notes"]  # the test's tables lack [import] notes
    audited = {r["incident_id"] for r in csv.DictReader(open(ROOT / "data" / "audit.csv",
                                                              encoding="utf-8"))}
    for i in (i for i in out if i != QUETTA and i not in audited):
        assert {c: out[i][c] for c in fields} == {c: BY_ID[i][c] for c in fields}


@pytest.mark.parametrize("line, message", [
    (_line("NO-SUCH-ID", "killed", "1", "2"), "incident_id 'NO-SUCH-ID': unknown incident"),
    (_line(QUETTA, "collection", "isk_balochistan", "x"), "field 'collection': not a field"),
    (_line(QUETTA, "killed", "75", "80"), "old_value '75': the killed of ISK-BL-20160808-1 is "
                                          "'74'"),
    (_line(QUETTA, "killed", "74", "80", pattern="guess"), "pattern 'guess': expected one of"),
    (_line(QUETTA, "killed", "74", "80", url="dawn.com"), "source_url 'dawn.com': every change"),
    (_line(QUETTA, "notes", "an older note", "x", "range"), "old_value 'an older note': the notes"),
])
def test_audit_line_refused_with_line_field_and_reason(tmp_path, research, line, message):
    with pytest.raises(SystemExit) as err:
        _build(tmp_path, research, [line])
    text = str(err.value.code)
    assert f"audit.csv:2: {message}" in text and "nothing written" in text
    assert not (tmp_path / "incidents.csv").exists()


def test_two_changes_of_one_field_refused(tmp_path, research):
    with pytest.raises(SystemExit) as err:
        _build(tmp_path, research, [_line(QUETTA, "killed", "74", "80"),
                                    _line(QUETTA, "killed", "74", "81")])
    assert "audit.csv:3: field 'killed': ISK-BL-20160808-1 already changed on audit line 2" \
        in str(err.value.code)


def test_audited_value_is_validated_as_the_app_does(tmp_path, research):
    """A range that does not hold the best figure stops the build, naming the output's line."""
    with pytest.raises(SystemExit) as err:
        _build(tmp_path, research, [_line(QUETTA, "killed_low", "", "80", "range")])
    assert "killed_low '80': above killed 74" in str(err.value.code)


def test_added_incident_appended_with_its_ranges_and_precision(tmp_path, research):
    new = dict(BY_ID[QUETTA], incident_id="ISK-BL-20160808-9", district="quetta",
               killed_low="70", date_precision="day", place_precision="town")
    out = _build(tmp_path, research, added=[new])
    assert list(out)[-1] == "ISK-BL-20160808-9"
    got = out["ISK-BL-20160808-9"]
    assert (got["district"], got["killed_low"], got["date_precision"]) == ("Quetta", "70", "day")


@pytest.mark.parametrize("change, message", [
    (dict(incident_id=QUETTA), "incident_id 'ISK-BL-20160808-1': already used"),
    (dict(collection="mine"), "collection 'mine': expected one of"),
])
def test_added_incident_refused(tmp_path, research, change, message):
    new = dict(BY_ID[QUETTA], incident_id="ISK-BL-20160808-9", **{
        k: v for k, v in change.items() if k != "incident_id"})
    new.update({k: v for k, v in change.items() if k == "incident_id"})
    with pytest.raises(SystemExit) as err:
        _build(tmp_path, research, added=[new])
    assert f"added.csv:2: {message}" in str(err.value.code)


def test_added_file_with_an_unknown_column_refused(tmp_path, research):
    with pytest.raises(SystemExit) as err:
        _build(tmp_path, research, added_header=(*ir.SHIPPED, "confidence"))
    assert "added.csv:1: confidence: not a column of data/incidents.csv" in str(err.value.code)


def test_shipped_audit_and_added_files_have_their_headers():
    with open(DATA / "audit.csv", newline="", encoding="utf-8") as f:
        assert tuple(next(csv.reader(f))) == AUDIT_HEADER
    with open(DATA / "added_incidents.csv", newline="", encoding="utf-8") as f:
        assert tuple(next(csv.reader(f))) == ir.SHIPPED


def test_shipped_incidents_reproducible_from_research_audit_and_added(tmp_path):
    """data/incidents.csv is exactly what the script makes of the research tables, the
    shipped audit and the shipped added incidents (byte for byte)."""
    if not RESEARCH.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{RESEARCH} is missing: CI must provide the research tables")
        pytest.skip(f"{RESEARCH} not present (outside CI)")
    out = tmp_path / "incidents.csv"
    ir.main([str(RESEARCH), "--out", str(out)])
    assert out.read_bytes() == (DATA / "incidents.csv").read_bytes()
