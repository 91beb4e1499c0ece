"""The steward CLI without services: scaffold writes files that pass check; check names file and field."""
import json
import shutil
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from satudata import settings
from satudata.cli import app

from ..support import ROOT

runner = CliRunner()


@pytest.fixture
def home(tmp_path, monkeypatch) -> Path:
    for part in ("contracts", "sql", "expectations"):
        shutil.copytree(settings.home() / part, tmp_path / part)
    monkeypatch.setenv("SATUDATA_HOME", str(tmp_path))
    return tmp_path


def test_scaffold_then_check(home):
    done = runner.invoke(app, ["scaffold", "jumlah_contoh_kecamatan", "--dinas", "disdukcapil",
                               "--title", "Jumlah Contoh per Kecamatan di Kabupaten Bekasi", "--table", "penduduk"])
    assert done.exit_code == 0, done.output
    assert "wrote contract: contracts/datasets/jumlah_contoh_kecamatan.yaml" in done.output
    sql = (home / "sql" / "jumlah_contoh_kecamatan" / "extract.sql").read_text()
    assert "FROM penduduk AS t" in sql and ":tahun AS tahun" in sql
    suite = json.loads((home / "expectations" / "jumlah_contoh_kecamatan.json").read_text())
    # the file keeps only the dataset's own expectations; region, key, measure and period come from the contract
    assert all(e["type"] != "expect_compound_columns_to_be_unique" for e in suite["expectations"])
    from satudata.catalog import load_contract
    from satudata.quality.suite import load_suite_json

    contract = load_contract(home / "contracts" / "datasets" / "jumlah_contoh_kecamatan.yaml")
    effective = load_suite_json(contract)["expectations"]
    assert {(e["type"], e["severity"]) for e in effective} >= {
        ("expect_column_values_to_be_in_set", "critical"), ("expect_compound_columns_to_be_unique", "critical"),
        ("expect_column_values_to_not_be_null", "critical"), ("expect_column_values_to_be_between", "critical")}
    checked = runner.invoke(app, ["check", "jumlah_contoh_kecamatan"])
    assert checked.exit_code == 0 and "ok  jumlah_contoh_kecamatan  (Disdukcapil, sql" in checked.output
    again = runner.invoke(app, ["scaffold", "jumlah_contoh_kecamatan", "--dinas", "disdukcapil",
                                "--title", "Jumlah Contoh per Kecamatan di Kabupaten Bekasi"])
    assert again.exit_code == 1 and "already exists" in again.output


def test_scaffold_refuses_unknown_dinas(home):
    done = runner.invoke(app, ["scaffold", "jumlah_x", "--dinas", "dishub", "--title", "Jumlah X di Kabupaten Bekasi"])
    assert done.exit_code == 2 and "dishub" in done.output and "disdukcapil" in done.output


def test_check_names_file_field_and_allowed_values(home):
    path = home / "contracts" / "datasets" / "jumlah_penduduk_jenis_kelamin_kecamatan.yaml"
    data = yaml.safe_load(path.read_text())
    data["klasifikasi"] = "rahasia"
    path.write_text(yaml.safe_dump(data, allow_unicode=True))
    done = runner.invoke(app, ["check", "jumlah_penduduk_jenis_kelamin_kecamatan"])
    assert done.exit_code == 1
    assert str(path) in done.output and "klasifikasi" in done.output
    assert "'terbuka', 'terbatas' or 'tertutup'" in done.output


def test_check_names_a_suite_column_the_contract_lacks(home):
    suite = home / "expectations" / "jumlah_penduduk_jenis_kelamin_kecamatan.json"
    data = json.loads(suite.read_text())
    data["expectations"][1]["kwargs"]["column"] = "jk"
    suite.write_text(json.dumps(data))
    done = runner.invoke(app, ["check"])
    assert done.exit_code == 1
    assert "expectations.1.kwargs: column 'jk' is not a column of the contract (allowed: " in done.output


def test_pools_one_per_dinas():
    done = runner.invoke(app, ["pools", "--no-apply"])
    pools = json.loads(done.output)
    assert pools["dinas_disdukcapil"]["slots"] == 2 and set(pools) >= {"dinas_bpbd", "dinas_dinkes"}


@pytest.mark.parametrize("dialect", ["postgres", "mariadb"])
def test_scaffolded_sql_passes_sqlfluff_in_its_dialect(home, dialect):
    import subprocess
    import sys

    shutil.copy(ROOT / ".sqlfluff", home / ".sqlfluff")
    done = runner.invoke(app, ["scaffold", "jumlah_contoh_kecamatan", "--dinas", "dinkes", "--title",
                               "Jumlah Contoh per Kecamatan di Kabupaten Bekasi", "--table", "balita",
                               "--dialect", dialect])
    assert done.exit_code == 0, done.output
    folder = home / "sql" / "jumlah_contoh_kecamatan"
    assert (folder / ".sqlfluff").is_file() == (dialect == "mariadb")
    lint = subprocess.run([str(Path(sys.executable).with_name("sqlfluff")), "lint", str(folder),
                           "--disable-progress-bar"], cwd=home, capture_output=True, text=True, check=False)
    assert lint.returncode == 0, lint.stdout + lint.stderr
