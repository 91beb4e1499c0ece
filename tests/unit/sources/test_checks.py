"""Source checks without a database: contracts, masking, the wrapped query, findings and the gate."""
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from satudata import messages, settings
from satudata.catalog import ContractError, load_catalog, load_contract
from satudata.quality.findings import Outcome, source_check_finding, source_check_findings
from satudata.sources import checks

DATASET = "jumlah_penduduk_jenis_kelamin_kecamatan"


@pytest.fixture(scope="module")
def contract():
    return load_catalog().contract(DATASET)


def test_every_declared_check_has_its_sql_returning_the_three_columns():
    catalog = load_catalog()
    declared = [(c, k) for c in catalog.contracts.values() for k in c.checks]
    assert {k.rule for c, k in declared if c.id == DATASET} == {
        "nik_ganda", "nik_tidak_valid", "tanggal_lahir_masa_depan"}
    for c, k in declared:
        text = c.check_path(k).read_text(encoding="utf-8")
        assert all(f"AS {name}" in text for name in checks.COLUMNS), c.check_path(k)
        assert text.lstrip().startswith("--"), f"{c.check_path(k)}: say why the check has its severity"
    on_disk = set(settings.sql_dir().glob("*/checks/*.sql"))
    assert on_disk == {c.check_path(k) for c, k in declared}


@pytest.mark.parametrize("value, shown", [
    ("3216012812840001", "3216…0001"),
    ("NIK 3216012812840001 dan 3216025503970001", "NIK 3216…0001 dan 3216…0001"),
    ("321604010214000", "321604010214000"),  # 15 digits: not a NIK, left as the query gave it
    ("32160128128400012", "32160128128400012"),  # 17 digits: not a NIK either
    ("321601******0001", "321601******0001"),
    (None, None),
    (12, "12"),
])
def test_mask_hides_any_sixteen_digit_number(value, shown):
    assert checks.mask(value) == shown


def test_wrap_counts_and_limits_in_one_query():
    wrapped = checks.wrap("-- why\nSELECT 'a' AS kunci, 'b' AS kolom, 'c' AS nilai FROM t\nORDER BY 1;\n")
    assert wrapped.startswith("SELECT c.kunci, c.kolom, c.nilai, count(*) OVER () AS jumlah FROM (\n-- why\n")
    assert "ORDER BY 1\n) AS c LIMIT 200" in wrapped and ";" not in wrapped


def _result(rule, n, severity="critical", kolom="nik"):
    return {"rule": rule, "severity": severity, "kolom": kolom, "count": n,
            "rows": [{"kunci": f"321601******000{i}", "kolom": kolom, "nilai": "2 pencatatan"} for i in range(min(n, 3))]}


def test_a_failing_critical_check_blocks_the_run(contract):
    finding = source_check_finding(contract, _result("nik_ganda", 3))
    assert finding.expectation == "source_check:nik_ganda" and finding.column == "nik"
    assert finding.severity == "critical" and not finding.success and finding.blocking
    assert finding.unexpected_count == 3 and finding.values == ["2 pencatatan"] and len(finding.rows) == 3
    assert finding.message.startswith("3 NIK tercatat untuk lebih dari satu penduduk")
    assert finding.fix.startswith("Telusuri NIK tersebut")
    assert finding.title == "Pemeriksaan di sumber data: nik ganda"
    assert finding.rule == "source_check:nik_ganda:nik"
    outcome = Outcome(DATASET, "r", 46, "x.parquet", [finding])
    assert outcome.status == "critical" and outcome.critical_failures == [finding]
    assert "Pemeriksaan di sumber data: nik ganda (kolom nik): 3 baris tidak memenuhi" in outcome.public_note
    assert "321601" not in outcome.public_note  # no keys or values in what CKAN shows
    again = Outcome.from_dict(outcome.to_dict())
    assert again.status == "critical" and again.findings[0].title == finding.title


def test_warnings_and_passes(contract):
    warned = source_check_finding(contract, _result("nik_tidak_valid", 2, "warning"))
    passed = source_check_finding(contract, _result("tanggal_lahir_masa_depan", 0, "warning", "tanggal_lahir"))
    assert warned.severity == "warning" and not warned.blocking
    assert passed.success and passed.message == "" and passed.expected
    assert Outcome(DATASET, "r", 46, "x", [warned, passed]).status == "warning"
    assert Outcome(DATASET, "r", 46, "x", [passed]).status == "passed"


def test_an_undeclared_result_falls_back_to_the_default_sentences(contract):
    finding = source_check_finding(contract, _result("aturan_lama", 1, "warning", "kolom_x"))
    assert finding.severity == "warning"
    assert finding.message == messages.SOURCE_CHECK["pesan"].format(n=1, column="kolom_x", values="2 pencatatan")


def test_findings_read_the_run_folder(contract, tmp_path):
    assert source_check_findings(contract, checks.load_results(tmp_path)) == []
    (tmp_path / checks.FILE).write_text(json.dumps({"dataset_id": DATASET, "results": [_result("nik_ganda", 0)]}),
                                        encoding="utf-8")
    [finding] = source_check_findings(contract, checks.load_results(tmp_path))
    assert finding.success


@pytest.fixture
def contract_file(tmp_path: Path) -> Path:
    shutil.copytree(settings.contracts_dir(), tmp_path / "contracts")
    return tmp_path / "contracts" / "datasets" / f"{DATASET}.yaml"


def _set_checks(path: Path, value) -> None:
    data = yaml.safe_load(path.read_text())
    data["checks"] = value
    path.write_text(yaml.safe_dump(data, allow_unicode=True))


CHECK = {"rule": "nik_ganda", "severity": "critical", "pesan": "NIK ganda ditemukan.", "saran": "Perbaiki di SIAK."}


@pytest.mark.parametrize("value, words", [
    ([CHECK, CHECK], "rule names must be unique; repeated: nik_ganda"),
    ([CHECK | {"severity": "fatal"}], "checks.0.severity"),
    ([CHECK | {"rule": "NIK Ganda"}], "checks.0.rule"),
    ([CHECK | {"sql": "../extract/x.sql"}], "checks.0.sql"),
    ([{"rule": "nik_ganda", "severity": "warning"}], "checks.0.pesan"),
])
def test_bad_checks_name_the_field(contract_file, value, words):
    _set_checks(contract_file, value)
    with pytest.raises(ContractError, match=re.escape(words)):
        load_contract(contract_file)


def test_a_missing_check_sql_is_named(contract_file):
    _set_checks(contract_file, [CHECK | {"rule": "belum_ditulis"}])
    with pytest.raises(ContractError, match=r"checks\.0 \(belum_ditulis\): file .*belum_ditulis\.sql does not exist"):
        load_catalog(contract_file.parents[1])


def test_spreadsheet_sources_have_no_checks():
    catalog = load_catalog()
    sheet = next(c for c in catalog.contracts.values() if c.source.type == "spreadsheet")
    data = sheet.model_dump(exclude_none=True) | {"checks": [CHECK]}
    with pytest.raises(ValueError, match="a spreadsheet source has none"):
        type(sheet)(**data)

