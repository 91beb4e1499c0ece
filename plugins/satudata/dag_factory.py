"""Build one Airflow DAG per dataset contract: extract → validate → load → publish, then report.

Kept free of heavy imports: parsing reads the small YAML contracts only; pandas, GX, psycopg and
ckanapi are imported inside the tasks when they run.
"""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from satudata.contracts import Catalog, Contract, load_catalog

START = datetime(2024, 1, 1, tzinfo=timezone.utc)


def default_args(owner: str) -> dict:
    return {"owner": owner, "retries": 2, "retry_delay": timedelta(minutes=1),
            "retry_exponential_backoff": True, "max_retry_delay": timedelta(minutes=15)}


def doc_md(contract: Contract, catalog: Catalog) -> str:
    dinas = catalog.dinas[contract.dinas]
    return (f"### {contract.title}\n\n{contract.description.strip()}\n\n"
            f"- Produsen data: {dinas.nama}\n- Frekuensi: {contract.frekuensi}\n"
            f"- Klasifikasi: {contract.klasifikasi}\n- Kontrak: `contracts/datasets/{contract.id}.yaml`\n")


def curated_asset(contract: Contract):
    from airflow.sdk import Asset

    return Asset(name=f"curated.{contract.table}", uri=f"postgres://warehouse:5432/satudata/curated/{contract.table}")


def build_dataset_dag(contract: Contract, catalog: Catalog):
    from airflow.sdk.exceptions import AirflowFailException
    from airflow.sdk import dag, get_current_context, task

    from satudata import pipeline

    dinas = catalog.dinas[contract.dinas]

    @dag(dag_id=contract.id, schedule=contract.schedule, start_date=START, catchup=False, max_active_runs=1,
         tags=[dinas.id, contract.frekuensi.lower(), contract.klasifikasi],
         doc_md=doc_md(contract, catalog), default_args=default_args(contract.owner),
         description=contract.title[:200])
    def dataset_dag():
        @task
        def extract() -> dict:
            ctx = get_current_context()
            return pipeline.extract(contract.id, ctx["run_id"], ctx["data_interval_start"],
                                    ctx["data_interval_end"])

        @task
        def validate(extracted: dict) -> dict:
            from satudata.validate import ValidationFailed

            try:
                return pipeline.validate(extracted)
            except ValidationFailed as exc:  # bad data: retrying cannot help
                raise AirflowFailException(str(exc)) from exc

        @task(outlets=[curated_asset(contract)])
        def load(validated: dict) -> dict:
            return pipeline.load(validated)

        @task(retries=4)
        def publish(loaded: dict) -> dict:
            return pipeline.publish(loaded)

        @task(retries=0)
        def report() -> dict:
            return pipeline.summarize(contract.id, get_current_context()["run_id"])

        # A teardown runs whatever happened upstream and, unlike a plain all_done leaf, does not
        # turn a run whose validation failed into a green one.
        publish(load(validate(extract()))) >> report().as_teardown()

    return dataset_dag()


def build_warehouse_dag():
    """Housekeeping: apply migrations and refresh the reference region codes."""
    from airflow.sdk import dag, task

    @dag(dag_id="warehouse_setup", schedule="@weekly", start_date=START, catchup=False, max_active_runs=1,
         tags=["walidata", "housekeeping"], default_args=default_args("walidata"),
         doc_md="Menerapkan migrasi gudang data dan memuat ulang kode wilayah referensi (Kemendagri/BPS).")
    def warehouse_setup():
        @task
        def migrate() -> list[str]:
            from satudata import warehouse

            with warehouse.connect() as conn:
                return warehouse.migrate(conn)

        @task
        def load_reference(_: list[str]) -> dict:
            from satudata import warehouse

            with warehouse.connect() as conn:
                return warehouse.load_reference(conn)

        load_reference(migrate())

    return warehouse_setup()


def register_all(namespace: dict) -> None:
    """Put every DAG into the calling module's globals, where Airflow finds them."""
    catalog = load_catalog()
    namespace["warehouse_setup"] = build_warehouse_dag()
    for contract in catalog.contracts.values():
        namespace[contract.id] = build_dataset_dag(contract, catalog)
