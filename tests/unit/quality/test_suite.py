"""The real GX suite of the skeleton dataset on small frames: what a dinas reads for each failure."""
import pandas as pd
import pytest

from satudata.catalog import load_catalog
from satudata.quality.findings import Outcome
from satudata.quality.suite import run_suite
from satudata.warehouse.reference import DATA_DIR

DATASET = "jumlah_penduduk_jenis_kelamin_kecamatan"


@pytest.fixture(scope="module")
def contract():
    return load_catalog().contract(DATASET)


@pytest.fixture(scope="module")
def parameters():
    codes = pd.read_csv(DATA_DIR / "bekasi_kecamatan.csv", dtype=str)["kode_kemendagri"].tolist()
    return {"kode_kecamatan_referensi": codes, "kode_desa_referensi": []}


@pytest.fixture
def good_frame(parameters) -> pd.DataFrame:
    rows = [(code, sex, 1000 + i, 2025) for i, code in enumerate(parameters["kode_kecamatan_referensi"])
            for sex in ("LAKI-LAKI", "PEREMPUAN")]
    return pd.DataFrame(rows, columns=["kemendagri_kode_kecamatan", "jenis_kelamin", "jumlah_penduduk", "tahun"])


def _outcome(contract, frame, parameters) -> Outcome:
    return Outcome(contract.id, "test", len(frame), "-", run_suite(contract, frame, parameters))


def test_clean_data_passes(contract, good_frame, parameters):
    outcome = _outcome(contract, good_frame, parameters)
    assert outcome.status == "passed", [f.message for f in outcome.findings if not f.success]
    assert outcome.summary.startswith("Semua pemeriksaan lolos")


def test_negative_count_is_critical_and_named(contract, good_frame, parameters):
    good_frame.loc[3, "jumlah_penduduk"] = -5
    outcome = _outcome(contract, good_frame, parameters)
    assert outcome.status == "critical"
    [failure] = outcome.critical_failures
    assert failure.column == "jumlah_penduduk"
    assert failure.message == ("Kolom jumlah_penduduk berisi 1 nilai di luar rentang yang diharapkan "
                               "(paling sedikit 0): -5.")
    assert failure.rows == [{"kemendagri_kode_kecamatan": "32.16.02", "jenis_kelamin": "PEREMPUAN",
                             "tahun": 2025, "jumlah_penduduk": -5}]
    assert "TIDAK dimuat" in outcome.summary


def test_unknown_kecamatan_is_critical_and_named(contract, good_frame, parameters):
    extra = pd.DataFrame([("32.16.99", "LAKI-LAKI", 7, 2025)], columns=good_frame.columns)
    outcome = _outcome(contract, pd.concat([good_frame, extra], ignore_index=True), parameters)
    failures = {f.column: f for f in outcome.critical_failures}
    assert set(failures) == {"kemendagri_kode_kecamatan"}
    assert failures["kemendagri_kode_kecamatan"].message == (
        "Kolom kemendagri_kode_kecamatan berisi 1 nilai yang tidak dikenal: 32.16.99. Yang diharapkan: "
        "kode kecamatan Kemendagri Kabupaten Bekasi (tabel referensi wilayah).")
    # the row count warning fires too (47 rows instead of 46), but it is not what blocks the load
    assert [w.expectation for w in outcome.warnings] == ["expect_table_row_count_to_be_between"]


def test_missing_kecamatan_is_only_a_warning(contract, good_frame, parameters):
    outcome = _outcome(contract, good_frame.iloc[2:].reset_index(drop=True), parameters)
    assert outcome.status == "warning"
    [warning] = outcome.warnings
    assert warning.message == ("Data berisi 44 baris; seharusnya 46 baris (23 kecamatan × 2 jenis kelamin) "
                               "untuk setiap tahun.")
