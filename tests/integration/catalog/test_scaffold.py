"""A dataset added with `satudata scaffold` and nothing else runs through extract, validate and load."""
import shutil

import pandas as pd
import psycopg
import pytest
from typer.testing import CliRunner

from satudata import warehouse
from satudata.cli import app

from ...support import ROOT, pg_url

pytestmark = pytest.mark.integration
DATASET = "jumlah_penduduk_terdaftar_kecamatan"


def test_scaffolded_dataset_runs_through(tmp_path, monkeypatch, warehouse_db, disdukcapil_source):
    home = tmp_path / "home"
    for folder in ("contracts", "sql", "expectations"):
        shutil.copytree(ROOT / folder, home / folder)
    monkeypatch.setenv("SATUDATA_HOME", str(home))
    cli = CliRunner()

    made = cli.invoke(app, ["scaffold", DATASET, "--dinas", "disdukcapil", "--title",
                            "Jumlah Penduduk Terdaftar per Kecamatan di Kabupaten Bekasi", "--table", "penduduk",
                            "--measure", "jumlah_penduduk", "--satuan", "JIWA"])
    assert made.exit_code == 0, made.output
    assert (home / "contracts" / "datasets" / f"{DATASET}.yaml").is_file()
    checked = cli.invoke(app, ["check", DATASET])
    assert checked.exit_code == 0, checked.output

    ran = cli.invoke(app, ["run", DATASET, "--year", "2024", "--no-publish"])
    assert ran.exit_code == 0, ran.output

    with warehouse.connect() as conn:
        curated = dict(conn.execute(
            f"SELECT kemendagri_kode_kecamatan, jumlah_penduduk FROM curated.{DATASET} WHERE tahun = 2024").fetchall())
    source = pg_url(disdukcapil_source.dbname)
    with psycopg.connect(source) as conn:
        codes = pd.Series([r[0] for r in conn.execute("SELECT kode_desa FROM penduduk WHERE kode_desa IS NOT NULL")])
    assert curated == {k: int(v) for k, v in codes.str[:8].value_counts().items()}
