"""Real services for integration tests: a fresh warehouse, a seeded dinas source, a running CKAN.

Everything is created under names of its own (satudata_test_*, CKAN instance `itest`) and removed
at the end of the session, so that a machine that kept an earlier run's leftovers passes too.
"""
import os
import secrets
import shutil
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
from psycopg import sql

from ..conftest import INSTANCE, ROOT

PG_ADMIN = os.environ.get("SATUDATA_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
CKAN_ENV = {"CKAN_INSTANCE": INSTANCE, "CKAN_PORT": os.environ.get("SATUDATA_TEST_CKAN_PORT", "5077"),
            "CKAN_REDIS_URL": f"redis://127.0.0.1:6379/{os.environ.get('SATUDATA_TEST_REDIS_DB', '4')}"}
BIN = Path(sys.executable).parent


def pg_admin(statement: sql.Composable | str, params=None) -> None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(statement, params)


def drop_database(name: str) -> None:
    pg_admin(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def recreate_database(name: str) -> None:
    drop_database(name)
    pg_admin(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@pytest.fixture(scope="session")
def warehouse_db():
    """An empty warehouse with migrations applied and the reference loaded as warehouse_setup loads it
    (region codes with their history, the dinas), so no test depends on whether that DAG ran first."""
    from satudata import warehouse
    from satudata.warehouse.migrate import migrate
    from satudata.warehouse.reference import load_reference

    name = f"satudata_test_{INSTANCE}_warehouse"
    recreate_database(name)
    os.environ["AIRFLOW_CONN_WAREHOUSE"] = f"postgres://postgres@127.0.0.1:5432/{name}"
    with warehouse.connect() as conn:
        migrate(conn)
        load_reference(conn)
    yield name
    drop_database(name)


@pytest.fixture(scope="session")
def disdukcapil_source():
    """The Disdukcapil sample database, read through a read-only login as the pipeline does."""
    from satudata_samples import disdukcapil

    name, user = f"satudata_test_{INSTANCE}_disdukcapil", f"satudata_test_{INSTANCE}_disdukcapil_reader"
    password = secrets.token_hex(12)
    report = disdukcapil.seed(PG_ADMIN, name, scale=0.001, seed=7, reader_user=user, reader_password=password)
    os.environ["AIRFLOW_CONN_DINAS_DISDUKCAPIL"] = f"postgres://{user}:{password}@127.0.0.1:5432/{name}"
    yield report
    drop_database(name)
    pg_admin(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(user)))


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
