"""Real services for integration tests: a fresh warehouse, a seeded dinas source, a running CKAN.

Everything is created under names of its own (satudata_test_*, CKAN instance `itest`) and removed
at the end of the session, so that a machine that kept an earlier run's leftovers passes too.
"""
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from ..support import BIN, INSTANCE, ROOT, seeded_source, session_name, throwaway_warehouse

CKAN_ENV = {"CKAN_INSTANCE": INSTANCE, "CKAN_PORT": os.environ.get("SATUDATA_TEST_CKAN_PORT", "5077"),
            "CKAN_REDIS_URL": f"redis://127.0.0.1:6379/{os.environ.get('SATUDATA_TEST_REDIS_DB', '4')}"}


@pytest.fixture(scope="session")
def warehouse_db():
    """The session's warehouse (migrated, reference loaded), as the pipeline's warehouse connection."""
    name = session_name("warehouse")
    with throwaway_warehouse(name):
        yield name


@pytest.fixture(scope="session")
def disdukcapil_source():
    """The Disdukcapil sample database, read through a read-only login as the pipeline does."""
    with seeded_source("disdukcapil", session_name("disdukcapil"), scale=0.001, seed=7) as report:
        yield report


def _ckan_script(command: str) -> None:
    subprocess.run([str(ROOT / "scripts" / "ckan.sh"), command], env=os.environ | CKAN_ENV, check=True)


@pytest.fixture(scope="session")
def ckan():
    """A real CKAN 2.12 (own virtualenv, PostgreSQL-backed search index) with one org per dinas."""
    from satudata.catalog import load_catalog
    from satudata.connections import ckan_client
    from satudata.portal.admin import ensure_organizations

    _ckan_script("drop")
    _ckan_script("up")
    values = dict(line.split("=", 1) for line in
                  (ROOT / "var" / "ckan" / INSTANCE / "env").read_text().splitlines() if "=" in line)
    url = values["CKAN_URL"]
    for conn_id, token in (("CKAN_DEFAULT", values["CKAN_API_TOKEN"]), ("CKAN_ADMIN", values["CKAN_ADMIN_TOKEN"])):
        os.environ[f"AIRFLOW_CONN_{conn_id}"] = (
            f'{{"conn_type": "http", "host": "{url}", "password": "{token}"}}')
    ensure_organizations(ckan_client("ckan_admin"), list(load_catalog().dinas.values()), "satudata_pipeline")
    yield {"url": url}
    _ckan_script("drop")


@pytest.fixture(scope="session")
def airflow_db():
    """A fresh Airflow metadata database for dag.test()."""
    home = Path(os.environ["AIRFLOW_HOME"])
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    subprocess.run([str(BIN / "airflow"), "db", "migrate"], check=True, capture_output=True)
    return home


@pytest.fixture(scope="session")
def dagbag(airflow_db):
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=str(ROOT / "dags"))
    assert bag.import_errors == {}
    return bag


def run_dag(dagbag, dag_id: str, logical_date):
    """Run a whole DAG with dag.test(); it does not raise when a task fails, so return the run."""
    dag = dagbag.dags[dag_id]
    return dag.test(logical_date=logical_date)
