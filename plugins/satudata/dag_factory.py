"""Build one Airflow DAG per dataset contract: extract → validate → load → publish, then report.

Kept free of heavy imports: parsing reads the small YAML contracts only; pandas, GX, psycopg and
ckanapi are imported inside the tasks when they run. A broken contract breaks only its own DAG:
`register_all` builds every usable contract, and `raise_contract_errors` (the second DAG file) fails
its parse with every broken file and field, which Airflow lists among its import errors. The two
are separate files because Airflow hides every DAG of a file that has an import error.

A task fails at once, without retries, when the error says retrying cannot help
(`SatudataError.retryable`): bad data, a broken contract, schema drift.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta

from satudata import messages, settings
from satudata.catalog import Catalog, Contract, load_catalog_parts
from satudata.ops import alerts
from satudata.ops.access import CKAN_POOL

# Early enough for every year the dinas systems hold (2019 on): a run dated before a DAG's start
# date would get no task instances at all.
START = datetime(2019, 1, 1, tzinfo=UTC)
HOUSEKEEPING = ("warehouse_setup", "freshness_monitor", "status_board")


def default_args(owner: str) -> dict:
    """A fresh dict per DAG. on_failure_callback runs once a task has failed for good (after retries)."""
    return {"owner": owner, "retries": 2, "retry_delay": timedelta(minutes=1),
            "retry_exponential_backoff": True, "max_retry_delay": timedelta(minutes=15),
            "on_failure_callback": alerts.on_failure}


def late_deadline():
    """A run still going `settings.late_after()` after it was queued is late: the stewards get one message.

    Off unless configured (production sets SATUDATA_LATE_AFTER_MINUTES): Airflow 3.3's dag.test() fails
    on any DAG with a DeadlineAlert (DagRun.update_state looks the alerts up as ids), and dag.test()
    is how every DAG is tested here.
    """
    from airflow.sdk import DeadlineAlert, DeadlineReference, SyncCallback

    late_after = settings.late_after()
    if late_after is None:
        return None
    return DeadlineAlert(reference=DeadlineReference.DAGRUN_QUEUED_AT, interval=late_after,
                         callback=SyncCallback(alerts.late_run))


def data_intervals(schedule: str):
    """Runs cover the period that just ended: the run due at the start of 2025 extracts 2024.

    Airflow 3's default for cron schedules is a zero-length interval at the trigger instant, which would
    hand the extract the new, still empty year. UTC keeps `tahun` and `bulan` the calendar's own.
    """
    from airflow.sdk import CronDataIntervalTimetable

    return CronDataIntervalTimetable(schedule, timezone="UTC")


def moment(ctx) -> datetime:
    """The time a run stands for: its logical date, or (manual runs have none) when it was due to run."""
    return ctx.get("logical_date") or ctx["dag_run"].run_after


def doc_md(contract: Contract, catalog: Catalog) -> str:
    return messages.DAG_DOCS["dataset"].format(
        title=contract.title, description=contract.description.strip(), dinas=catalog.dinas[contract.dinas].nama,
        frekuensi=contract.frekuensi, klasifikasi=contract.klasifikasi, id=contract.id)


def fail_fast(exc: Exception) -> Exception:
    """The exception a task raises: Airflow's no-retry failure when retrying cannot help."""
    from airflow.sdk.exceptions import AirflowFailException

    from satudata.errors import SatudataError

    if isinstance(exc, SatudataError) and not exc.retryable:
        return AirflowFailException(str(exc))
    return exc


def curated_asset(contract: Contract):
    from airflow.sdk import Asset

    return Asset(name=f"curated.{contract.table}", uri=f"postgres://warehouse:5432/satudata/curated/{contract.table}")


def build_dataset_dag(contract: Contract, catalog: Catalog):
    from airflow.sdk import dag, get_current_context, task

    from satudata import pipeline
    from satudata.errors import SatudataError

    dinas = catalog.dinas[contract.dinas]

    @dag(dag_id=contract.id, schedule=data_intervals(contract.schedule), start_date=START, catchup=False,
         max_active_runs=1, tags=[dinas.id, contract.frekuensi.lower(), contract.klasifikasi],
         doc_md=doc_md(contract, catalog), default_args=default_args(contract.owner),
         description=contract.title[:200], deadline=late_deadline())
    def dataset_dag():
        # One pool per dinas caps the concurrent queries on its database (`satudata pools` creates them).
        @task(pool=dinas.pool)
        def extract() -> dict:
            from airflow.sdk.exceptions import AirflowSkipException

            ctx = get_current_context()
            try:
                result = pipeline.extract(contract.id, ctx["run_id"], ctx["data_interval_start"],
                                          ctx["data_interval_end"])
            except SatudataError as exc:
                raise fail_fast(exc) from exc
            if result.get("incremental") and result["rows"] == 0:
                raise AirflowSkipException(f"{contract.id}: nothing changed in the source since the watermark")
            if result["rows"] == 0 and not result.get("initial"):
                # The dinas has not entered this period yet: nothing to replace, freshness will say so.
                raise AirflowSkipException(f"{contract.id}: the source holds no rows for this period yet")
            return result

        @task
        def validate(extracted: dict) -> dict:
            try:
                return pipeline.validate(extracted)
            except SatudataError as exc:
                raise fail_fast(exc) from exc

        @task(outlets=[curated_asset(contract)])
        def load(validated: dict) -> dict:
            try:
                return pipeline.load(validated)
            except SatudataError as exc:
                raise fail_fast(exc) from exc

        @task(retries=4, pool=CKAN_POOL)
        def publish(loaded: dict) -> dict:
            conf = get_current_context()["dag_run"].conf or {}  # a steward's reason: conf {"catatan": "..."}
            try:
                return pipeline.publish(loaded, catatan=conf.get("catatan"))
            except SatudataError as exc:
                raise fail_fast(exc) from exc

        @task(retries=0)
        def report() -> dict:
            from satudata.ops import board

            ctx = get_current_context()
            summary = pipeline.summarize(contract.id, ctx["run_id"])
            board.rebuild_now(ctx["dag_run"].start_date or moment(ctx))
            return summary

        # A teardown runs whatever happened upstream and, unlike a plain all_done leaf, does not
        # turn a run whose validation failed into a green one.
        publish(load(validate(extract()))) >> report().as_teardown()

    return dataset_dag()


def housekeeping(dag_id: str, schedule: str, doc_md: str):
    """The @dag of a stewards' housekeeping DAG: owned by the walidata, one run at a time, no catch-up."""
    from airflow.sdk import dag

    return dag(dag_id=dag_id, schedule=schedule, start_date=START, catchup=False, max_active_runs=1,
               tags=["walidata", "housekeeping"], default_args=default_args("walidata"), doc_md=doc_md)


def build_warehouse_dag():
    """Housekeeping: apply migrations and refresh the reference region codes."""
    from airflow.sdk import task

    @housekeeping("warehouse_setup", "@weekly", messages.DAG_DOCS["warehouse_setup"])
    def warehouse_setup():
        @task
        def migrate() -> list[str]:
            from satudata import warehouse
            from satudata.warehouse.migrate import migrate as apply

            with warehouse.connect() as conn:
                return apply(conn)

        @task
        def load_reference(_: list[str]) -> dict:
            from satudata import warehouse
            from satudata.warehouse.reference import load_reference

            with warehouse.connect() as conn:
                return load_reference(conn)

        load_reference(migrate())

    return warehouse_setup()


def build_freshness_dag():
    """Housekeeping: every morning, which datasets are older than their frequency promises?"""
    from airflow.sdk import get_current_context, task

    @housekeeping("freshness_monitor", "0 0 * * *", messages.DAG_DOCS["freshness_monitor"])
    def freshness_monitor():
        @task
        def check() -> dict:
            from satudata import warehouse
            from satudata.catalog import load_catalog
            from satudata.ops import board, freshness

            ctx = get_current_context()
            catalog = load_catalog()
            with warehouse.connect() as conn:
                summary = freshness.monitor(catalog, conn, moment(ctx), ctx["run_id"])
                board.rebuild(catalog, conn, moment(ctx))
            return summary

        check()

    return freshness_monitor()


def build_board_dag():
    """Housekeeping: rebuild the stewards' status board (dataset runs also rebuild it when they end)."""
    from airflow.sdk import get_current_context, task

    @housekeeping("status_board", "@hourly", messages.DAG_DOCS["status_board"])
    def status_board():
        @task
        def build() -> str:
            from satudata import warehouse
            from satudata.catalog import load_catalog
            from satudata.ops import board

            with warehouse.connect() as conn:
                return str(board.rebuild(load_catalog(), conn, moment(get_current_context())))

        build()

    return status_board()


def register_all(namespace: dict) -> None:
    """Put every DAG into the calling module's globals, where Airflow finds them.

    Contracts that cannot be used are left out here; `raise_contract_errors` reports them.
    """
    catalog, _ = load_catalog_parts()
    namespace["warehouse_setup"] = build_warehouse_dag()
    namespace["freshness_monitor"] = build_freshness_dag()
    namespace["status_board"] = build_board_dag()
    for contract in catalog.contracts.values():
        namespace[contract.id] = build_dataset_dag(contract, catalog)


def raise_contract_errors() -> None:
    """Fail this DAG file's parse with every broken contract (file and field): Airflow's import errors."""
    from satudata.errors import ContractError

    _, errors = load_catalog_parts()
    if errors:
        raise ContractError(messages.CONTRACT_ERRORS.format(
            n=len(errors), errors="\n\n".join(str(e) for e in errors.values())))
