"""The validate stage against a real warehouse: quarantine table, audit rows, the good rows loaded,
one e-mail per run through a real SMTP server."""

import pandas as pd
import pytest

from satudata import pipeline, warehouse
from satudata.catalog import load_catalog
from satudata.errors import ValidationFailed
from satudata.warehouse.reference import DATA_DIR

from ...support import throwaway_warehouse, unique_name

DATASET = "jumlah_penduduk_jenis_kelamin_kecamatan"
pytestmark = pytest.mark.integration


@pytest.fixture
def warehouse_db(monkeypatch, tmp_path):
    monkeypatch.setenv("SATUDATA_VAR_DIR", str(tmp_path / "var"))
    with throwaway_warehouse(unique_name("validation")) as url:
        yield url


def _landed(tmp_path, run_id: str, bad: bool) -> dict:
    codes = pd.read_csv(DATA_DIR / "bekasi_kecamatan.csv", dtype=str)["kode_kemendagri"].tolist()
    rows = [(c, s, 1000 + i, 2025) for i, c in enumerate(codes) for s in ("LAKI-LAKI", "PEREMPUAN")]
    frame = pd.DataFrame(rows, columns=["kemendagri_kode_kecamatan", "jenis_kelamin", "jumlah_penduduk", "tahun"])
    if bad:
        frame.loc[3, "jumlah_penduduk"] = -5
    directory = pipeline.run_dir(DATASET, run_id)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{DATASET}.parquet"
    frame.to_parquet(path)
    return {"dataset_id": DATASET, "run_id": run_id, "path": str(path), "rows": len(frame),
            "params": {"tahun": "2025"}}


def test_quarantine_audit_load_and_one_mail(warehouse_db, smtp, tmp_path):
    catalog = load_catalog()
    catalog.contracts[DATASET] = catalog.contracts[DATASET].model_copy(update={"quarantine": True})
    validated = pipeline.validate(_landed(tmp_path, "manual__q", bad=True), catalog)
    assert validated["status"] == "quarantined"
    loaded = pipeline.load(validated, catalog)
    assert loaded["rows"] == 45
    assert loaded["validation"]["summary"].startswith(
        "Data dimuat dan diterbitkan tanpa 1 baris yang dikarantina karena gagal pemeriksaan kritis")
    with warehouse.connect() as conn:
        [(rule, alasan, kunci, nilai)] = conn.execute(
            "SELECT rule, alasan, kunci, nilai FROM quarantine.rows WHERE dataset_id = %s", (DATASET,)).fetchall()
        assert rule == "expect_column_values_to_be_between:jumlah_penduduk"
        assert alasan == ("Nilai dalam rentang yang wajar: kolom jumlah_penduduk bernilai -5; "
                          "yang diharapkan: paling sedikit 0.")
        assert kunci == {"kemendagri_kode_kecamatan": "32.16.02", "jenis_kelamin": "PEREMPUAN", "tahun": 2025}
        assert nilai["jumlah_penduduk"] == -5
        assert conn.execute("SELECT status, rows_in, rows_out FROM audit.runs WHERE stage = 'validate'"
                            ).fetchone() == ("quarantined", 46, 45)
        assert conn.execute("SELECT dikarantina, pesan FROM audit.validation_results WHERE expectation ="
                            " 'expect_column_values_to_be_between:jumlah_penduduk'").fetchone() == (
            1, "Kolom jumlah_penduduk berisi 1 nilai di luar rentang yang diharapkan (paling sedikit 0): -5.")
        assert conn.execute(f"SELECT count(*) FROM curated.{DATASET}").fetchone() == (45,)
    summary = pipeline.summarize(DATASET, "manual__q", catalog)
    assert summary["notification"]["sent"] is True
    again = pipeline.summarize(DATASET, "manual__q", catalog)
    assert again["notification"] == {"sent": False, "reason": "already sent for this run"}
    [msg] = smtp
    assert msg["Subject"] == ("[Satu Data Bekasi] DIKARANTINA SEBAGIAN: Jumlah Penduduk Berdasarkan Jenis Kelamin "
                              "per Kecamatan di Kabupaten Bekasi (2025)")
    assert "- [KRITIS] Kolom jumlah_penduduk berisi 1 nilai di luar rentang yang diharapkan (paling sedikit 0): -5." \
        in msg.get_content()


def test_critical_without_quarantine_stops_and_notifies(warehouse_db, smtp, tmp_path):
    catalog = load_catalog()
    with pytest.raises(ValidationFailed, match="Data TIDAK dimuat dan TIDAK diterbitkan"):
        pipeline.validate(_landed(tmp_path, "manual__c", bad=True), catalog)
    with warehouse.connect() as conn:
        assert conn.execute("SELECT status, rows_out FROM audit.runs WHERE stage = 'validate'").fetchone() == (
            "critical", 0)
        assert conn.execute("SELECT count(*) FROM quarantine.rows").fetchone() == (0,)
    summary = pipeline.summarize(DATASET, "manual__c", catalog)
    assert summary["stages_done"] == ["validate"] and summary["notification"]["sent"] is True
    [msg] = smtp
    assert msg["Subject"].startswith("[Satu Data Bekasi] GAGAL (KRITIS):")
