"""Every validation path a dinas meets, with the exact sentences it reads."""
import pandas as pd
import pyarrow.parquet as pq
import pytest

from satudata.quality.findings import Outcome
from satudata.quality.validation import validate_landed as validate


@pytest.fixture
def landed(tmp_path):
    def write(frame: pd.DataFrame):
        path = tmp_path / "landed.parquet"
        frame.to_parquet(path)
        return path
    return write


def test_pass(contract, good_frame, parameters, landed):
    outcome = validate(contract, landed(good_frame), "r1", parameters)
    assert outcome.status == "passed"
    assert outcome.summary == "Semua pemeriksaan lolos. Data dimuat ke gudang data dan diterbitkan."
    assert outcome.public_note == outcome.summary
    assert outcome.path.endswith("landed.parquet")  # nothing changed: load reads the landed file


def test_warning_is_loaded_and_says_what_was_found(contract, good_frame, parameters, landed):
    good_frame.loc[0, "jumlah_penduduk"] = 600_000
    outcome = validate(contract, landed(good_frame), "r1", parameters)
    assert outcome.status == "warning"
    [w] = outcome.warnings
    assert w.message == ("Kolom jumlah_penduduk berisi 1 nilai di luar rentang yang diharapkan "
                         "(paling banyak 500.000): 600000.")
    assert outcome.summary == "Data dimuat dan diterbitkan, dengan 1 peringatan yang perlu ditindaklanjuti."
    # what CKAN's hasil_validasi gets: the summary and the findings, without values
    assert outcome.public_note == (
        "Data dimuat dan diterbitkan, dengan 1 peringatan yang perlu ditindaklanjuti. Temuan: Nilai dalam "
        "rentang yang wajar (kolom jumlah_penduduk): 1 baris tidak memenuhi.")


def test_critical_stops_everything(contract, good_frame, parameters, landed):
    good_frame.loc[3, "jumlah_penduduk"] = -5
    outcome = validate(contract, landed(good_frame), "r1", parameters)
    assert outcome.status == "critical"
    assert outcome.summary == ("Data TIDAK dimuat dan TIDAK diterbitkan karena 1 pemeriksaan kritis gagal. "
                               "Perbaiki data di aplikasi dinas; data akan diperiksa ulang pada jadwal berikutnya.")
    assert outcome.quarantine_records == []


def test_quarantine_sets_rows_aside_and_loads_the_rest(quarantine_contract, good_frame, parameters, landed):
    good_frame.loc[3, "jumlah_penduduk"] = -5
    good_frame.loc[7, "jenis_kelamin"] = "L"
    outcome = validate(quarantine_contract, landed(good_frame), "r1", parameters)
    assert outcome.status == "quarantined"
    assert outcome.quarantined_rows == 2
    assert outcome.summary == ("Data dimuat dan diterbitkan tanpa 2 baris yang dikarantina karena gagal "
                               "pemeriksaan kritis; perbaiki baris tersebut di aplikasi dinas.")
    records = sorted(outcome.quarantine_records, key=lambda r: r["row_number"])
    assert [(r["row_number"], r["rule"], r["alasan"]) for r in records] == [
        (4, "expect_column_values_to_be_between:jumlah_penduduk",
         "Nilai dalam rentang yang wajar: kolom jumlah_penduduk bernilai -5; yang diharapkan: paling sedikit 0."),
        (8, "expect_column_values_to_be_in_set:jenis_kelamin",
         ("Nilai termasuk daftar yang diizinkan: kolom jenis_kelamin bernilai L; yang diharapkan: LAKI-LAKI, "
          "PEREMPUAN.")),
    ]
    assert records[0]["kunci"] == {"kemendagri_kode_kecamatan": "32.16.02", "jenis_kelamin": "PEREMPUAN",
                                   "tahun": 2025}
    assert records[0]["nilai"]["jumlah_penduduk"] == -5
    good = pq.read_table(outcome.path).to_pandas()
    assert outcome.path.endswith(".valid.parquet") and len(good) == 44
    assert (good["jumlah_penduduk"] >= 0).all() and set(good["jenis_kelamin"]) == {"LAKI-LAKI", "PEREMPUAN"}


def test_every_failing_row_is_set_aside(quarantine_contract, good_frame, parameters, landed):
    frame = good_frame.assign(tahun=1990)
    outcome = validate(quarantine_contract, landed(frame), "r1", parameters)
    assert outcome.quarantined_rows == 46
    assert outcome.status == "quarantined"


def test_unmatched_region_is_reported_with_candidates(named_contract, good_frame, parameters, landed, gazetteer):
    frame = good_frame.assign(kecamatan="", kemendagri_kode_kecamatan=None)
    names = pd.read_csv(__import__("satudata.warehouse.reference", fromlist=["DATA_DIR"]).DATA_DIR / "bekasi_kecamatan.csv",
                        dtype=str).set_index("kode_kemendagri")
    frame["kecamatan"] = [names.loc[c, "nama_bps"] for c in good_frame["kemendagri_kode_kecamatan"]]
    frame.loc[0, "kecamatan"] = "Kec. Tarumajya"
    frame.loc[1, "kecamatan"] = "Kec. Tarumajya"
    outcome = validate(named_contract, landed(frame), "r1", parameters, gazetteer=gazetteer)
    assert outcome.status == "critical"
    [f] = outcome.critical_failures
    assert f.message == ('Kolom kecamatan berisi nama wilayah "Kec. Tarumajya" pada 2 baris yang tidak ada dalam '
                         'tabel referensi wilayah Kemendagri. Kemungkinan yang dimaksud: Tarumajaya (32.16.01).')
    assert f.fix == ("Tulis nama wilayah sesuai nama resmi Kemendagri di data dinas. Bila ejaan tersebut memang "
                     "benar, minta walidata menambahkannya ke daftar varian nama wilayah; sistem tidak menebak.")
    assert f.rows == [{"kemendagri_kode_kecamatan": None, "jenis_kelamin": "LAKI-LAKI", "tahun": 2025,
                       "kecamatan": "Kec. Tarumajya"},
                      {"kemendagri_kode_kecamatan": None, "jenis_kelamin": "PEREMPUAN", "tahun": 2025,
                       "kecamatan": "Kec. Tarumajya"}]
    assert outcome.harmonised == {"nama": 44}


def test_harmonised_names_go_on_as_codes(named_contract, good_frame, parameters, landed, gazetteer):
    frame = good_frame.assign(kecamatan="")
    frame["kecamatan"] = ["KEC. " + c for c in good_frame["kemendagri_kode_kecamatan"]]  # codes written as names
    frame["kemendagri_kode_kecamatan"] = None
    frame.loc[frame.index[-2:], "kecamatan"] = ["BOJONG MANGU", "Bojongmangu"]
    outcome = validate(named_contract.model_copy(update={"quarantine": True}), landed(frame), "r1", parameters,
                       gazetteer=gazetteer)
    assert outcome.status == "quarantined"  # "KEC. 32.16.01" is no name: 44 rows set aside, never guessed
    good = pq.read_table(outcome.path).to_pandas()
    assert good["kemendagri_kode_kecamatan"].tolist() == ["32.16.23", "32.16.23"]
    assert outcome.harmonised == {"nama": 2}  # BPS spacing and the reference name


def test_outcome_round_trips_without_row_indexes(quarantine_contract, good_frame, parameters, landed):
    good_frame.loc[3, "jumlah_penduduk"] = -5
    outcome = validate(quarantine_contract, landed(good_frame), "r1", parameters)
    data = outcome.to_dict()
    assert "indexes" not in data["findings"][0]
    again = Outcome.from_dict(data)
    assert (again.status, again.summary, again.quarantined_rows) == (outcome.status, outcome.summary, 1)
