"""The BPBD spreadsheet drop: files exist, carry the documented mess, defects are exact."""

from __future__ import annotations

import csv
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from satudata_samples import bpbd

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
ALL = dict.fromkeys(bpbd.DEFECT_KINDS, 2)


def sheet_cells(path: Path, index: int) -> tuple[dict[str, str], list[str]]:
    """Cell text by reference (inline strings, numbers, formulas) and merged ranges of one sheet."""
    with zipfile.ZipFile(path) as z:
        root = ET.fromstring(z.read(f"xl/worksheets/sheet{index}.xml"))
    cells = {}
    for c in root.iter(f"{{{NS['m']}}}c"):
        t = c.find("m:is/m:t", NS)
        v = c.find("m:v", NS)
        f = c.find("m:f", NS)
        cells[c.get("r")] = t.text if t is not None else v.text if v is not None else f"={f.text}"
    merges = [m.get("ref") for m in root.iter(f"{{{NS['m']}}}mergeCell")]
    return cells, merges


@pytest.fixture(scope="module")
def drop(tmp_path_factory) -> bpbd.SeedReport:
    return bpbd.write(tmp_path_factory.mktemp("bpbd"), seed=11, defects=ALL)


def test_files_and_counts(drop) -> None:
    xlsx, csv_path = drop.files
    assert xlsx.suffix == ".xlsx" and csv_path.suffix == ".csv"
    assert drop.row_counts["xlsx_data_rows"] == drop.row_counts["events"] + ALL["duplicate_row"]
    truth, _ = bpbd.events(11, ALL)
    assert len(truth) == drop.row_counts["events"]
    assert 1000 < len(truth) < 2500
    assert truth["kode_desa"].str.startswith("32.16.").all()
    by_year = truth.groupby(["tahun", "jenis_bencana"]).size().unstack(fill_value=0)
    assert by_year.loc[2020, "BANJIR"] == by_year["BANJIR"].max()  # the January 2020 floods


def test_xlsx_layout_mess(drop) -> None:
    xlsx = drop.files[0]
    with zipfile.ZipFile(xlsx) as z:
        wb = ET.fromstring(z.read("xl/workbook.xml"))
    assert [s.get("name") for s in wb.iter(f"{{{NS['m']}}}sheet")] == [str(y) for y in bpbd.YEARS]
    cells, merges = sheet_cells(xlsx, 1)
    assert cells["A1"].startswith("REKAPITULASI KEJADIAN BENCANA")
    assert "A3" not in cells  # blank row above the header
    assert cells["G4"] == "KORBAN (JIWA)" and cells["G5"] == "MENINGGAL"
    assert {"G4:I4", "J4:M4", "A1:O1"} <= set(merges)
    labels = [v for k, v in cells.items() if k.startswith("A")]
    assert "JUMLAH" in labels and any(str(v).startswith("Sumber:") for v in labels)
    kec = {v for k, v in cells.items() if re.fullmatch(r"D\d+", k) and int(k[1:]) > 5}
    assert any(v.startswith("Kec. ") for v in kec) and any(v.isupper() for v in kec)


def test_csv_mess_and_defects(drop) -> None:
    text = drop.files[1].read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(), delimiter=";"))
    assert rows[0][0].startswith("REKAPITULASI") and rows[1][0] == "No"
    data = rows[2:]
    dates = [r[1] for r in data]
    assert any(re.fullmatch(r"\d{2}/\d{2}/\d{4}", d) for d in dates)
    assert any(re.fullmatch(r"\d{4}-\d{2}-\d{2}", d) for d in dates)
    assert any(re.fullmatch(r"\d{1,2} [A-Z][a-z]+ \d{4}", d) for d in dates)
    assert any(r[13].startswith("Rp ") and "." in r[13] for r in data)
    kec = {r[3] for r in data}
    assert {"KARANGBAHAGIA", "MUARA GEMBONG"} & kec
    assert any(k.endswith("SEL.") for k in kec)
    # Defects, found the way a reader would.
    assert sum(r[3] == "KEC. ANTAH BERANTAH" for r in data) == ALL["unknown_region"]
    assert sum(r[7] == "belum didata" for r in data) == ALL["text_in_number"]
    assert sum(r[11].startswith("-") and r[11] != "-" for r in data) == ALL["negative_number"]
    assert sum(d.endswith("/2052") for d in dates) == ALL["future_year"]
    assert sum(d == "" for d in dates) == ALL["missing_date"]
    assert sum(d.startswith("31/02/") for d in dates) == ALL["invalid_date"]
    keys = [tuple(r) for r in data]
    assert len(keys) - len(set(keys)) == ALL["duplicate_row"]


def test_deterministic(tmp_path) -> None:
    a = bpbd.write(tmp_path / "a", seed=3, defects={"duplicate_row": 1})
    b = bpbd.write(tmp_path / "b", seed=3, defects={"duplicate_row": 1})
    assert a.defects == b.defects
    assert a.files[1].read_bytes() == b.files[1].read_bytes()
    with zipfile.ZipFile(a.files[0]) as za, zipfile.ZipFile(b.files[0]) as zb:
        assert za.read("xl/worksheets/sheet3.xml") == zb.read("xl/worksheets/sheet3.xml")


def test_openpyxl_reads_it_when_installed(drop) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    wb = openpyxl.load_workbook(drop.files[0])
    ws = wb["2019"]
    assert ws["G4"].value == "KORBAN (JIWA)"
    assert "G4:I4" in {str(r) for r in ws.merged_cells.ranges}
