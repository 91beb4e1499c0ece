"""`satudata`: the stewards' command line (check contracts, set up the warehouse, seed samples, run).

Connections (warehouse, dinas databases, CKAN) come from Airflow connections or their
AIRFLOW_CONN_<ID> environment variables, exactly as in the DAGs.
"""
from __future__ import annotations

import json
import os
import sys
from datetime import datetime, timezone

import typer

app = typer.Typer(help="Satu Data Bekasi: contracts, warehouse, sample sources and local runs.",
                  no_args_is_help=True, add_completion=False)
DEFAULT_PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
DEFAULT_MYSQL_ADMIN = "mysql://root@127.0.0.1:3306"


@app.command()
def check() -> None:
    """Check every contract, its SQL and its suite; errors name the file and the field."""
    from satudata.contracts import ContractError, load_catalog

    try:
        catalog = load_catalog()
    except ContractError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    for c in catalog.contracts.values():
        typer.echo(f"ok  {c.id}  ({catalog.dinas[c.dinas].singkatan}, {c.frekuensi}, {c.klasifikasi})")


@app.command("list-datasets")
def list_datasets(where: bool = typer.Option(False, help="also print each dataset's CKAN page and report")) -> None:
    """Print the dataset ids (one per line), or where a person sees each result."""
    from satudata import pipeline
    from satudata.contracts import load_catalog

    catalog = load_catalog()
    for contract in catalog.contracts.values():
        if not where:
            typer.echo(contract.id)
            continue
        latest = pipeline.latest_results(contract.id)
        typer.echo(f"{contract.id}\n  CKAN:    {latest.get('publish', {}).get('url') or '(belum diterbitkan)'}"
                   f"\n  laporan: {latest.get('validate', {}).get('report') or '(belum divalidasi)'}")


@app.command()
def migrate() -> None:
    """Apply pending warehouse migrations and (re)load the reference region codes and dinas."""
    from satudata import warehouse

    with warehouse.connect() as conn:
        applied = warehouse.migrate(conn)
        counts = warehouse.load_reference(conn)
    typer.echo(f"migrations applied: {', '.join(applied) or 'none pending'}; reference rows: {counts}")


@app.command()
def seed(dinas: list[str] = typer.Argument(None, help="dinas ids, e.g. disdukcapil dinkes"),
         all_dinas: bool = typer.Option(False, "--all", help="every dinas in contracts/dinas.yaml"),
         scale: float = typer.Option(0.01, help="1.0 = the real size of Kabupaten Bekasi"),
         random_seed: int = typer.Option(2024, "--seed"),
         pg_admin: str = typer.Option(os.environ.get("SATUDATA_PG_ADMIN_URL", DEFAULT_PG_ADMIN),
                                      help="a PostgreSQL role that may create databases and roles"),
         mysql_admin: str = typer.Option(os.environ.get("SATUDATA_MYSQL_ADMIN_URL", DEFAULT_MYSQL_ADMIN),
                                         help="a MariaDB user that may create databases and users")) -> None:
    """(Re)create sample dinas databases as their Airflow connections `dinas_<id>` describe them.

    A dinas without a database connection gets its spreadsheet drop written to the drop folder.
    """
    from importlib import import_module

    from satudata import settings
    from satudata.connections import get_connection
    from satudata.contracts import load_catalog

    catalog = load_catalog()
    chosen = list(catalog.dinas) if all_dinas else (dinas or [])
    if not chosen:
        raise typer.BadParameter("name one or more dinas, or use --all")
    for dinas_id in chosen:
        module = import_module(f"satudata.samples.{dinas_id}")
        conn_id = catalog.dinas[dinas_id].conn_id
        if conn_id is None:
            report = module.seed(settings.drop_dir(), dinas_id, scale=scale, seed=random_seed)
        else:
            conn = get_connection(conn_id)
            admin = mysql_admin if conn.conn_type in ("mysql", "mariadb") else pg_admin
            report = module.seed(admin, conn.schema, scale=scale, seed=random_seed, reader_user=conn.login,
                                 reader_password=conn.password)
        typer.echo(f"seeded {dinas_id} ({report.dbname}) in {report.seconds:.1f} s: {report.row_counts}")


@app.command("ckan-orgs")
def ckan_orgs(editor: str = typer.Option("satudata_pipeline", help="CKAN user made editor of every dinas org"),
              conn_id: str = typer.Option("ckan_admin", help="connection holding a sysadmin token")) -> None:
    """Create or update one CKAN organization per dinas and make the pipeline user their editor."""
    from satudata.connections import ckan_client
    from satudata.contracts import load_catalog
    from satudata.publish import ensure_organizations

    ids = ensure_organizations(ckan_client(conn_id), list(load_catalog().dinas.values()), editor)
    typer.echo(f"organizations ready: {', '.join(sorted(ids))}")


@app.command()
def run(dataset: str, year: int = typer.Option(..., help="the period (tahun) to extract"),
        publish: bool = typer.Option(True, help="also publish to CKAN")) -> None:
    """Run one dataset through extract → validate → load → publish, without the scheduler."""
    from satudata import pipeline
    from satudata.contracts import load_catalog
    from satudata.validate import ValidationFailed

    catalog = load_catalog()
    run_id = f"cli__{datetime.now(timezone.utc):%Y%m%dT%H%M%S}"
    start, end = datetime(year, 1, 1, tzinfo=timezone.utc), datetime(year + 1, 1, 1, tzinfo=timezone.utc)
    steps = [("extract", lambda _: pipeline.extract(dataset, run_id, start, end, catalog)),
             ("validate", lambda r: pipeline.validate(r, catalog)),
             ("load", lambda r: pipeline.load(r, catalog))]
    if publish:
        steps.append(("publish", lambda r: pipeline.publish(r, catalog)))
    result: dict = {}
    for name, step in steps:
        typer.echo(f"[{name}] ...")
        try:
            result = step(result)
        except ValidationFailed as exc:
            typer.echo(str(exc), err=True)
            raise typer.Exit(2) from None
    typer.echo(json.dumps(pipeline.summarize(dataset, run_id), ensure_ascii=False, indent=1))
