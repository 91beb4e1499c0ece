"""A broken contract breaks only its own DAG: the others load, and Airflow's import errors name its file
and field."""
import shutil

import pytest
from airflow.dag_processing.dagbag import DagBag

from satudata.catalog import load_catalog
from satudata.dag_factory import HOUSEKEEPING

from ..support import ROOT

BROKEN = "jumlah_kematian_kecamatan"
UNREADABLE = "produksi_padi_kecamatan"


@pytest.fixture
def home(tmp_path, monkeypatch):
    """A copy of the project's catalogue with one contract given a wrong field and one that is not YAML."""
    for folder in ("contracts", "sql", "expectations"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    path = tmp_path / "contracts" / "datasets" / f"{BROKEN}.yaml"
    text = path.read_text(encoding="utf-8")
    assert "frekuensi: Tahunan" in text
    path.write_text(text.replace("frekuensi: Tahunan", "frekuensi: Kadang-kadang"), encoding="utf-8")
    (tmp_path / "contracts" / "datasets" / f"{UNREADABLE}.yaml").write_text("id: [tidak ditutup\n", encoding="utf-8")
    monkeypatch.setenv("SATUDATA_HOME", str(tmp_path))
    return tmp_path


def test_the_other_dags_still_load(home):
    bag = DagBag(dag_folder=str(ROOT / "dags"))
    good = set(load_catalog(ROOT / "contracts").contracts) - {BROKEN, UNREADABLE}
    assert set(bag.dag_ids) == good | set(HOUSEKEEPING)
    assert len(good) >= 20


def test_airflow_lists_the_broken_files_and_fields(home):
    bag = DagBag(dag_folder=str(ROOT / "dags"))
    [(file, error)] = bag.import_errors.items()
    assert file.endswith("satudata_contract_errors.py")
    assert f"contracts/datasets/{BROKEN}.yaml: invalid contract" in error
    assert "  frekuensi: Input should be 'Harian'" in error  # the field, and what is allowed
    assert f"contracts/datasets/{UNREADABLE}.yaml: not valid YAML" in error
    assert "2 kontrak dataset tidak dapat dipakai" in error
