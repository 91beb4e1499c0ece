"""Every DAG imports, has an owner, tags and retries, and parsing does no heavy work."""
import os
import subprocess
import sys

import pytest
from airflow.dag_processing.dagbag import DagBag

from satudata.catalog import load_catalog
from satudata.dag_factory import HOUSEKEEPING

from ..support import ROOT


@pytest.fixture(scope="module")
def dagbag() -> DagBag:
    return DagBag(dag_folder=str(ROOT / "dags"))


def test_no_import_errors(dagbag):
    assert dagbag.import_errors == {}


def test_one_dag_per_contract_plus_housekeeping(dagbag):
    assert set(dagbag.dag_ids) == set(load_catalog().contracts) | set(HOUSEKEEPING)


def test_owner_tags_retries(dagbag):
    for dag_id, dag in dagbag.dags.items():
        assert dag.tags, f"{dag_id} has no tags"
        assert dag.catchup is False, dag_id
        for t in dag.tasks:
            assert t.owner and t.owner != "airflow", f"{dag_id}.{t.task_id} has no owner"
            if t.trigger_rule == "all_success":
                assert t.retries >= 2, f"{dag_id}.{t.task_id} retries {t.retries}"


def test_dataset_dag_shape(dagbag):
    catalog = load_catalog()
    for dag_id, contract in catalog.contracts.items():
        dag = dagbag.dags[dag_id]
        assert dag.topological_sort()  # raises on a cycle
        assert [t.task_id for t in dag.topological_sort()] == ["extract", "validate", "load", "publish", "report"]
        assert dag.get_task("report").is_teardown
        assert dag.get_task("load").outlets, "load must emit the curated table's Asset"
        assert contract.dinas in dag.tags and contract.frekuensi.lower() in dag.tags
        assert contract.title in dag.doc_md


def test_parsing_imports_no_heavy_library():
    code = ("import runpy, sys; runpy.run_path('dags/satudata_datasets.py');"
            "print(sorted(m for m in ('pandas', 'great_expectations', 'ckanapi', 'psycopg', 'pyarrow')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_late_runs_are_flagged_when_configured():
    """Production sets SATUDATA_LATE_AFTER_MINUTES; every dataset DAG then carries a deadline alert."""
    code = ("import runpy; g = runpy.run_path('dags/satudata_datasets.py');"
            "from satudata.catalog import load_catalog;"
            "print(all(g[i].deadline for i in load_catalog().contracts))")
    env = {**os.environ, "SATUDATA_LATE_AFTER_MINUTES": "120"}
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True, env=env)
    assert out.stdout.strip().splitlines()[-1] == "True"


def test_the_fast_yaml_reader_reads_every_contract_as_pyyaml_does():
    """Parsing reads contracts through libyaml (satudata.catalog.loading) for speed; it must not change them."""
    import yaml

    from satudata.catalog.loading import _parse_yaml

    for path in sorted((ROOT / "contracts").rglob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert _parse_yaml(text) == yaml.safe_load(text), path
