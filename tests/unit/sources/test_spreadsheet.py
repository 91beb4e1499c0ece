"""The BPBD drop read as a steward's contract says: exact aggregates, and every defect located."""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from satudata.catalog import ContractError, load_catalog, load_contract
from satudata.errors import SchemaDrift, SourceProblems
from satudata.quality import harmonise
from satudata.settings import region_variants_path as variants_path
from satudata.sources import land as extract
from satudata.sources import spreadsheet
from satudata_samples import bpbd

PERIOD = (date(2024, 1, 1), date(2025, 1, 1))
EVENTS = "jumlah_kejadian_bencana_jenis_kecamatan"
VICTIMS = "jumlah_korban_bencana_kecamatan"
HOUSES = "jumlah_rumah_rusak_bencana_kecamatan"
DEFECTS = dict.fromkeys(bpbd.DEFECT_KINDS, 2)


@pytest.fixture(scope="module")
def gazetteer():
    return harmonise.gazetteer_from_csv(harmonise.load_rules(variants_path()))


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _drop(root: Path, defects=None) -> Path:
    bpbd.write(root / "bpbd", seed=11, defects=defects)
    return root


@pytest.fixture(scope="module")
def clean_drop(tmp_path_factory) -> Path:
    return _drop(tmp_path_factory.mktemp("clean"))


@pytest.fixture(scope="module")
def messy_drop(tmp_path_factory) -> Path:
    return _drop(tmp_path_factory.mktemp("messy"), DEFECTS)


@pytest.mark.parametrize("text, expected", [
    (None, 0), ("-", 0), ("", 0), (" 12 ", 12), ("1.234", 1234), ("12.345.678", 12345678), ("Rp 15.000.000", 15000000),
    (7, 7), (7.0, 7), ("12,0", 12), ("-3", -3),
])
def test_indonesian_integers(text, expected):
    assert spreadsheet.parse_number(text, integer=True) == (expected, None)


@pytest.mark.parametrize("text, kind", [("belum didata", "bukan_angka"), ("12,5", "bukan_bulat"), ("1,2,3", "bukan_angka"),
                                        (True, "bukan_angka"), ("12.5", "bukan_angka")])
def test_what_is_not_a_count(text, kind):
    assert spreadsheet.parse_number(text, integer=True) == (None, kind)


def test_indonesian_decimals():
    assert spreadsheet.parse_number("1.234,5", integer=False) == (1234.5, None)
    assert spreadsheet.parse_number("12,5", integer=False) == (12.5, None)


@pytest.mark.parametrize("value, expected", [
    ("05/01/2024", date(2024, 1, 5)), ("5/1/2024", date(2024, 1, 5)), ("2024-01-05", date(2024, 1, 5)),
    ("5 Januari 2024", date(2024, 1, 5)), ("17 Agt 2023", date(2023, 8, 17)), ("1 Pebruari 2020", date(2020, 2, 1)),
    (45296, date(2024, 1, 5)), (None, None), ("-", None),
])
def test_mixed_dates(value, expected):
    assert spreadsheet.parse_date(value) == (expected, None)


@pytest.mark.parametrize("value, kind", [("31/02/2024", "tanggal_tidak_ada"), ("kemarin", "tanggal_tidak_dikenal"),
                                         ("5 Brumaire 2024", "tanggal_tidak_dikenal"), ("2024-13-01", "tanggal_tidak_ada")])
def test_dates_never_guessed(value, kind):
    assert spreadsheet.parse_date(value) == (None, kind)


def test_header_is_found_below_titles_and_flattened(clean_drop, catalog):
    spec = catalog.contract(HOUSES).source.spreadsheet
    sheets = list(spreadsheet.read_sheets([clean_drop / "bpbd" / "kejadian_bencana_2019_2024.xlsx"], spec, clean_drop))
    assert [s.name for s in sheets] == [str(y) for y in bpbd.YEARS]
    headers = sheets[0].headers
    assert headers[:4] == ["NO", "TANGGAL KEJADIAN", "JENIS BENCANA", "KECAMATAN"]
    assert headers[7] == "KORBAN (JIWA) / LUKA-LUKA" and headers[12] == "KERUSAKAN RUMAH (UNIT) / TERENDAM"
    # the JUMLAH row and the Sumber footer are not data
    assert all(isinstance(cells[0], int) for _, cells in sheets[0].rows)


def _truth(measure_of, by):
    frame, _ = bpbd.events(11)
    frame = frame.assign(kode=frame.kode_desa.str[:8])
    out = {}
    for r in frame.itertuples():
        for label, value in measure_of(r):
            key = (r.kode, label, int(r.tahun))
            out[key] = out.get(key, 0) + value
    return out


@pytest.mark.parametrize("dataset, measure_of", [
    (EVENTS, lambda r: [(r.jenis_bencana, 1)]),
    (VICTIMS, lambda r: [("MENINGGAL", r.meninggal), ("LUKA-LUKA", r.luka), ("MENGUNGSI", r.mengungsi)]),
    (HOUSES, lambda r: [("RUSAK BERAT", r.rusak_berat), ("RUSAK SEDANG", r.rusak_sedang),
                        ("RUSAK RINGAN", r.rusak_ringan), ("TERENDAM", r.terendam)]),
])
def test_aggregates_equal_the_truth(dataset, measure_of, clean_drop, catalog, gazetteer):
    contract = catalog.contract(dataset)
    rows, cleaned, _ = spreadsheet.extract_rows(contract, clean_drop, gazetteer, PERIOD)
    assert cleaned.problems == []
    dim = next(c.name for c in contract.columns if c.role == "dimension")
    got = {(r["kemendagri_kode_kecamatan"], r[dim], r["tahun"]): r[contract.measure.name] for r in rows}
    assert got == _truth(measure_of, dim)


def _no_of(path: Path, sheet: str, row: int) -> str:
    return f"{sheet}/{load_workbook(path, read_only=True)[sheet].cell(row=row, column=1).value}"


def test_every_defect_is_located(messy_drop, catalog, gazetteer):
    xlsx = messy_drop / "bpbd" / "kejadian_bencana_2019_2024.xlsx"
    _, spoiled = bpbd.events(11, DEFECTS)
    _, cleaned, _ = spreadsheet.extract_rows(catalog.contract(HOUSES), messy_drop, gazetteer, PERIOD)
    by_kind: dict[str, list] = {}
    for p in cleaned.problems:
        by_kind.setdefault(p.kind, []).append(p)
    expected = {"wilayah_tidak_dikenal": "unknown_region", "di_bawah_minimum": "negative_number",
                "tanggal_sesudah_periode": "future_year", "baris_ganda": "duplicate_row", "kosong": "missing_date",
                "tanggal_tidak_ada": "invalid_date"}
    assert set(by_kind) == set(expected)
    for kind, defect in expected.items():
        assert sorted(_no_of(xlsx, p.sheet, p.row) for p in by_kind[kind]) == sorted(spoiled[defect]), kind
    region = by_kind["wilayah_tidak_dikenal"][0]
    assert region.file == "bpbd/kejadian_bencana_2019_2024.xlsx" and region.column == "D"
    assert region.value == "KEC. ANTAH BERANTAH" and "tidak cocok dengan kecamatan" in region.message
    negative = by_kind["di_bawah_minimum"][0]
    assert negative.header == "KERUSAKAN RUMAH (UNIT) / RUSAK RINGAN" and negative.column == "L"
    assert cleaned.dropped_rows == sum(len(v) for v in spoiled.values()) - len(spoiled["text_in_number"])


def test_text_in_a_number_cell_names_file_sheet_row_column_value(messy_drop, catalog, gazetteer, tmp_path):
    """The CSV (one sheet, all years): `LUKA-LUKA` = `belum didata` fails the extract, located exactly."""
    contract = catalog.contract(VICTIMS)
    _, spoiled = bpbd.events(11, DEFECTS)
    with pytest.raises(SourceProblems) as caught:
        extract(contract, "unused", {"periode_awal": PERIOD[0], "periode_akhir": PERIOD[1]}, tmp_path,
                gazetteer=gazetteer, drop_dir=messy_drop)
    text = str(caught.value)
    found = [line for line in text.splitlines() if "belum didata" in line]
    assert len(found) == len(spoiled["text_in_number"])
    assert all(line.strip().startswith("- bpbd/kejadian_bencana_2019_2024.csv, sheet -, baris ") for line in found)
    assert "kolom H (Luka-luka): 'belum didata' bukan angka" in found[0]
    assert not (tmp_path / f"{VICTIMS}.parquet").exists()
    assert (tmp_path / f"{VICTIMS}.masalah.json").is_file()


def test_drop_policy_lands_the_good_rows(messy_drop, catalog, gazetteer, tmp_path):
    data = catalog.contract(EVENTS).model_dump()
    data["source"]["spreadsheet"] |= {"on_invalid_value": "drop", "on_unmatched_region": "drop"}
    contract = type(catalog.contract(EVENTS))(**data)
    result = extract(contract, "unused", {"periode_awal": PERIOD[0], "periode_akhir": PERIOD[1]}, tmp_path,
                     gazetteer=gazetteer, drop_dir=messy_drop)
    _, spoiled = bpbd.events(11, DEFECTS)
    assert result.rows > 300 and result.problem_count == sum(
        len(v) for k, v in spoiled.items() if k not in ("text_in_number", "negative_number"))
    assert result.source_files == ["bpbd/kejadian_bencana_2019_2024.xlsx"]


def test_a_renamed_header_is_schema_drift(clean_drop, catalog, gazetteer, tmp_path):
    data = catalog.contract(VICTIMS).model_dump()
    data["source"]["spreadsheet"]["fields"]["luka"]["header"] = "Luka Ringan"
    contract = type(catalog.contract(VICTIMS))(**data)
    with pytest.raises(SchemaDrift, match=r"dataset jumlah_korban_bencana_kecamatan: field 'luka' \(header Luka "
                                          r"Ringan\) is not in bpbd/kejadian_bencana_2019_2024.csv"):
        extract(contract, "unused", {"periode_awal": PERIOD[0], "periode_akhir": PERIOD[1]}, tmp_path,
                gazetteer=gazetteer, drop_dir=clean_drop)


def test_missing_drop_file_is_named(catalog, gazetteer, tmp_path):
    with pytest.raises(SchemaDrift, match=r"no file matches 'kejadian_bencana_\*\.xlsx' in the drop folder of bpbd"):
        extract(catalog.contract(EVENTS), "unused", {"periode_awal": PERIOD[0], "periode_akhir": PERIOD[1]},
                tmp_path, gazetteer=gazetteer, drop_dir=tmp_path)


def test_bare_no_in_yaml_is_explained(tmp_path):
    source = Path(load_catalog().contract(EVENTS).suite_path).parents[1] / "contracts" / "datasets" / f"{EVENTS}.yaml"
    path = tmp_path / f"{EVENTS}.yaml"
    path.write_text(source.read_text(encoding="utf-8").replace('["NO",', "[NO,"), encoding="utf-8")
    with pytest.raises(ContractError, match=r"source.spreadsheet.header.*put it in quotes"):
        load_contract(path)
