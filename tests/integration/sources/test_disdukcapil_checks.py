"""Source checks on the Disdukcapil register: exactly the injected residents, by rule, and no NIK leaves.

A duplicated NIK, a 15-digit NIK and a birth date in the future vanish inside the per-kecamatan
counts; the source checks of `jumlah_penduduk_jenis_kelamin_kecamatan` find them in SIAK itself.
"""
import contextlib
import json
import re
import secrets
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest

from satudata import pipeline, warehouse
from satudata.errors import ValidationFailed

from ...support import seeded_source, session_name

pytestmark = pytest.mark.integration
DATASET = "jumlah_penduduk_jenis_kelamin_kecamatan"
RULES = {"duplicate_nik": "nik_ganda", "invalid_nik": "nik_tidak_valid", "future_birth": "tanggal_lahir_masa_depan"}


def masked(nik: str) -> str:
    return f"{nik[:6]}******{nik[-4:]}"


@pytest.fixture
def seeded():
    """Seed the register with given defects; read it through a read-only login as the pipeline does."""
    with contextlib.ExitStack() as made:
        def seed(defects: dict, tag: str):
            return made.enter_context(seeded_source("disdukcapil", session_name(f"dk_{tag}"), scale=0.001, seed=9,
                                                    defects=defects))

        yield seed


def _run(expect_failure: bool):
    run_id = f"checks_{secrets.token_hex(4)}"
    extracted = pipeline.extract(DATASET, run_id, datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC))
    if expect_failure:
        with pytest.raises(ValidationFailed):
            pipeline.validate(extracted)
    else:
        pipeline.validate(extracted)
    return run_id, extracted, pipeline.stage_results(DATASET, run_id)["validate"]


def test_each_rule_counts_exactly_the_injected_residents(warehouse_db, seeded):
    injected = {"duplicate_nik": 3, "invalid_nik": 4, "future_birth": 5}
    report = seeded(injected, "semua")
    assert {k: len(v) for k, v in report.defects.items()} == injected
    run_id, extracted, validated = _run(expect_failure=True)

    assert extracted["source_checks"]["failed"] == {RULES[k]: n for k, n in injected.items()}
    source = {f["expectation"]: f for f in validated["findings"] if f["expectation"].startswith("source_check:")}
    assert set(source) == {f"source_check:{r}" for r in RULES.values()}
    for kind, n in injected.items():
        f = source[f"source_check:{RULES[kind]}"]
        assert not f["success"] and f["unexpected_count"] == n, kind
        assert Counter(r["kunci"] for r in f["rows"]) == Counter(masked(k) for k in report.defects[kind]), kind
        assert f["message"] and f["fix"] and f["title"].startswith("Pemeriksaan di sumber data")

    dup = source["source_check:nik_ganda"]
    assert dup["severity"] == "critical" and dup["column"] == "nik"
    assert dup["message"] == ("3 NIK tercatat untuk lebih dari satu penduduk di SIAK, sehingga penduduk tersebut "
                              "terhitung ganda.")
    assert {r["nilai"] for r in source["source_check:nik_tidak_valid"]["rows"]} == {"15 karakter"}
    assert source["source_check:nik_tidak_valid"]["severity"] == "warning"
    future = source["source_check:tanggal_lahir_masa_depan"]
    assert future["severity"] == "warning" and all(v[:4] >= "2026" for v in future["values"])

    # The duplicated NIK alone stops the run: critical, and nothing else in the suite failed.
    assert validated["status"] == "critical"
    failed = [f for f in validated["findings"] if not f["success"]]
    assert [f["expectation"] for f in failed if f["severity"] == "critical"] == ["source_check:nik_ganda"]

    with warehouse.connect() as conn:
        stored = dict(conn.execute(
            "SELECT expectation, unexpected_count FROM audit.validation_results WHERE dataset_id = %s AND run_id = %s"
            " AND expectation LIKE 'source_check:%%'", (DATASET, run_id)).fetchall())
    assert stored == {f"source_check:{RULES[k]}:{'tanggal_lahir' if k == 'future_birth' else 'nik'}": n
                      for k, n in injected.items()}

    # No full NIK of the source in anything the run wrote (checks.json, stage results, the report).
    niks = {k for keys in report.defects.values() for k in keys if len(k) == 16}
    written = [p for p in pipeline.run_dir(DATASET, run_id).iterdir() if p.suffix in (".json", ".html")]
    written.append(Path(validated["report"]))
    for path in written:
        text = path.read_text(encoding="utf-8")
        assert not niks & set(re.findall(r"\d{16}", text)), path
    page = Path(validated["report"]).read_text(encoding="utf-8")
    assert "Pemeriksaan di sumber data: nik ganda" in page and masked(report.defects["duplicate_nik"][0]) in page


def test_warnings_only_still_load(warehouse_db, seeded):
    injected = {"invalid_nik": 2, "future_birth": 1}
    seeded(injected, "peringatan")
    _run_id, _extracted, validated = _run(expect_failure=False)
    assert validated["status"] == "warning"
    failed = {f["expectation"]: f["unexpected_count"] for f in validated["findings"] if not f["success"]}
    assert failed == {"source_check:nik_tidak_valid": 2, "source_check:tanggal_lahir_masa_depan": 1}


def test_clean_register_passes_every_check(warehouse_db, seeded):
    seeded({}, "bersih")
    _run_id, extracted, validated = _run(expect_failure=False)
    assert extracted["source_checks"] == {"path": extracted["source_checks"]["path"], "run": 3, "failed": {}}
    assert json.loads(Path(extracted["source_checks"]["path"]).read_text())["results"][0]["count"] == 0
    source = [f for f in validated["findings"] if f["expectation"].startswith("source_check:")]
    assert len(source) == 3 and all(f["success"] for f in source)
    assert validated["status"] != "critical"


@pytest.mark.parametrize("dataset", ["jumlah_penduduk_agama_kecamatan", "jumlah_penduduk_desa_kelurahan",
                                     "jumlah_penduduk_kelompok_umur_kecamatan"])
def test_a_duplicated_nik_stops_every_count_of_the_register(warehouse_db, seeded, dataset):
    report = seeded({"duplicate_nik": 2}, "ganda")
    run_id = f"ganda_{secrets.token_hex(4)}"
    extracted = pipeline.extract(dataset, run_id, datetime(2024, 1, 1, tzinfo=UTC), datetime(2025, 1, 1, tzinfo=UTC))
    with pytest.raises(ValidationFailed):
        pipeline.validate(extracted)
    validated = pipeline.stage_results(dataset, run_id)["validate"]
    [dup] = [f for f in validated["findings"] if f["expectation"] == "source_check:nik_ganda"]
    assert dup["severity"] == "critical" and dup["unexpected_count"] == 2
    assert Counter(r["kunci"] for r in dup["rows"]) == Counter(masked(k) for k in report.defects["duplicate_nik"])
    assert [f["expectation"] for f in validated["findings"] if not f["success"] and f["severity"] == "critical"] \
        == ["source_check:nik_ganda"]
