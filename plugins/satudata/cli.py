"""`satudata`: the stewards' command line (check contracts, set up the warehouse, seed samples, run).

Connections (warehouse, dinas databases, CKAN) come from Airflow connections or their
AIRFLOW_CONN_<ID> environment variables, exactly as in the DAGs.
"""
from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from satudata.messages import CLI

app = typer.Typer(help="Satu Data Bekasi: contracts, warehouse, sample sources and local runs.",
                  no_args_is_help=True, add_completion=False)


@app.command()
def check(dataset: str = typer.Argument(None, help="one dataset id; default: every contract")) -> None:
    """Check contracts, their SQL and suites; errors name the file, the field and what is allowed.

    With a dataset id, also name its three places: the contract, sql/<id>/ and the suite.
    """
    from satudata import settings
    from satudata.catalog import ContractError, check_contract, dataset_files, load_catalog, load_dinas

    try:
        if dataset:
            path = settings.contracts_dir() / "datasets" / f"{dataset}.yaml"
            if not path.is_file():
                known = sorted(p.stem for p in path.parent.glob("*.yaml"))
                raise ContractError(f"{path}: no such contract (known: {', '.join(known) or 'none'})")
            dinas = load_dinas()
            contracts = {dataset: check_contract(path, dinas)}
        else:
            catalog = load_catalog()
            dinas, contracts = catalog.dinas, catalog.contracts
    except ContractError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    from satudata.quality.derived import redundant

    for c in contracts.values():
        typer.echo(f"ok  {c.id}  ({dinas[c.dinas].singkatan}, {c.source.type}, {c.frekuensi}, {c.klasifikasi})")
        for i in redundant(c, json.loads(c.suite_path.read_text(encoding="utf-8"))):
            typer.echo(f"    note: {c.shown(c.suite_path)}: expectations.{i} repeats what the contract already "
                       "implies (derived at run time); it can be removed")
        if dataset:
            typer.echo(f"    contract: {c.shown(settings.contracts_dir() / 'datasets' / f'{c.id}.yaml')}")
            typer.echo(f"    sql:      {c.shown(c.sql_folder)}/")
            for label, path in dataset_files(c):
                if path.suffix == ".sql":
                    typer.echo(f"      {label}: {c.shown(path)}")
            typer.echo(f"    suite:    {c.shown(c.suite_path)}")


@app.command("list-datasets")
def list_datasets(where: bool = typer.Option(False, help="also print each dataset's CKAN page and report")) -> None:
    """Print the dataset ids (one per line), or where a person sees each result."""
    from satudata import pipeline
    from satudata.catalog import load_catalog

    catalog = load_catalog()
    for contract in catalog.contracts.values():
        if not where:
            typer.echo(contract.id)
            continue
        latest = pipeline.latest_results(contract.id)
        typer.echo(f"{contract.id}\n  CKAN:    {latest.get('publish', {}).get('url') or CLI['not_published']}"
                   f"\n  laporan: {latest.get('validate', {}).get('report') or CLI['not_validated']}")


@app.command()
def migrate() -> None:
    """Apply pending warehouse migrations and (re)load the reference region codes and dinas."""
    from satudata import warehouse
    from satudata.warehouse.migrate import migrate as apply
    from satudata.warehouse.reference import load_reference

    with warehouse.connect() as conn:
        applied = apply(conn)
        counts = load_reference(conn)
    typer.echo(f"migrations applied: {', '.join(applied) or 'none pending'}; reference rows: {counts}")


@app.command()
def seed(dinas: Annotated[list[str] | None, typer.Argument(help="dinas ids, e.g. disdukcapil dinkes")] = None,
         all_dinas: bool = typer.Option(False, "--all", help="every dinas in contracts/dinas.yaml"),
         scale: float = typer.Option(0.01, help="1.0 = the real size of Kabupaten Bekasi"),
         random_seed: int = typer.Option(2024, "--seed"),
         pg_admin: str = typer.Option(None, help="a PostgreSQL role that may create databases and roles "
                                                 "(default: SATUDATA_PG_ADMIN_URL)"),
         mysql_admin: str = typer.Option(None, help="a MariaDB user that may create databases and users "
                                                    "(default: SATUDATA_MYSQL_ADMIN_URL)")) -> None:
    """(Re)create sample dinas databases as their Airflow connections `dinas_<id>` describe them.

    A dinas without a database connection gets its spreadsheet drop written to the drop folder. The
    samples are their own package (satudata_samples), installed beside the product for the demo.
    """
    from importlib import import_module

    from satudata import settings
    from satudata.catalog import load_catalog
    from satudata.connections import get_connection

    pg_admin = pg_admin or settings.pg_admin_url()
    mysql_admin = mysql_admin or settings.mysql_admin_url()

    catalog = load_catalog()
    chosen = list(catalog.dinas) if all_dinas else (dinas or [])
    if not chosen:
        raise typer.BadParameter("name one or more dinas, or use --all")
    for dinas_id in chosen:
        try:
            module = import_module(f"satudata_samples.{dinas_id}")
        except ModuleNotFoundError:
            typer.echo(f"no sample for dinas {dinas_id!r}: install the samples package (samples/) "
                       "or name another dinas", err=True)
            raise typer.Exit(1) from None
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
    from satudata.catalog import load_catalog
    from satudata.connections import ckan_client
    from satudata.portal.admin import ensure_organizations

    ids = ensure_organizations(ckan_client(conn_id), list(load_catalog().dinas.values()), editor)
    typer.echo(f"organizations ready: {', '.join(sorted(ids))}")


def _interval(year: int) -> tuple[datetime, datetime]:
    return datetime(year, 1, 1, tzinfo=UTC), datetime(year + 1, 1, 1, tzinfo=UTC)


def _facts(stage: str, result: dict) -> str:
    if stage == "extract":
        extra = CLI["file_problems"].format(n=result["problem_count"]) if result.get("problem_count") else ""
        return CLI["rows"].format(n=result["rows"]) + extra
    if stage == "validate":
        return str(result.get("summary", ""))
    if stage == "load":
        return CLI["loaded"].format(n=result["rows"], periods=", ".join(map(str, result.get("periods", []))))
    if stage == "publish":
        return f"{result['action']} {result.get('url') or ''}".strip()
    return ""


@app.command()
def run(dataset: str, year: int = typer.Option(..., help="the period (tahun) to extract"),
        publish: bool = typer.Option(True, help="also publish to CKAN"),
        catatan: str = typer.Option(None, help="the steward's reason, shown in the change log")) -> None:
    """Run one dataset through extract → validate → load → publish, without the scheduler."""
    from rich.console import Console
    from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from satudata import pipeline
    from satudata.catalog import load_catalog
    from satudata.errors import ExtractError, ValidationFailed

    catalog = load_catalog()
    catalog.contract(dataset)
    run_id = f"cli__{datetime.now(UTC):%Y%m%dT%H%M%S}"
    start, end = _interval(year)
    steps = [("extract", lambda _: pipeline.extract(dataset, run_id, start, end, catalog)),
             ("validate", lambda r: pipeline.validate(r, catalog)),
             ("load", lambda r: pipeline.load(r, catalog))]
    if publish:
        steps.append(("publish", lambda r: pipeline.publish(r, catalog, catatan=catatan)))
    console = Console(stderr=True)
    result: dict = {}
    code = 0
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), BarColumn(bar_width=20),
                  TimeElapsedColumn(), console=console) as progress:
        overall = progress.add_task(f"[bold]{dataset}[/bold] {year}", total=len(steps))
        for name, step in steps:
            task = progress.add_task(f"  {name}", total=1)
            try:
                result = step(result)
            except (ValidationFailed, ExtractError) as exc:
                progress.update(task, description=f"  [red]{name}: {CLI['failed']}[/red]")
                console.print(f"[red]{exc}[/red]")
                code = 2 if isinstance(exc, ValidationFailed) else 3
                break
            progress.update(task, completed=1, description=f"  [green]{name}[/green]: {_facts(name, result)}")
            progress.advance(overall)
    typer.echo(json.dumps(pipeline.summarize(dataset, run_id), ensure_ascii=False, indent=1))
    if code:
        raise typer.Exit(code)


@app.command()
def preview(dataset: str, year: int = typer.Option(..., help="the period (tahun) to extract"),
            rows: int = typer.Option(10, help="how many CSV rows to show")) -> None:
    """Dry run: what would be published (CKAN metadata and the CSV's first rows); CKAN is not touched.

    The rows are extracted and validated for real, then loaded and exported inside a warehouse
    transaction that is rolled back: curated, audit and CKAN stay as they were.
    """
    from rich.console import Console

    from satudata import pipeline, warehouse
    from satudata.catalog import load_catalog
    from satudata.errors import ExtractError
    from satudata.portal.payload import dataset_metadata
    from satudata.quality.validation import validate_landed
    from satudata.warehouse import reference
    from satudata.warehouse.export import export_csv
    from satudata.warehouse.load import load as load_rows

    catalog = load_catalog()
    contract = catalog.contract(dataset)
    run_id = f"preview__{datetime.now(UTC):%Y%m%dT%H%M%S}"
    console = Console()
    try:
        extracted = pipeline.extract(dataset, run_id, *_interval(year), catalog)
    except ExtractError as exc:
        console.print(f"[red]{exc}[/red]")
        raise typer.Exit(3) from None
    folder = pipeline.run_dir(dataset, run_id)
    with warehouse.connect() as conn:
        regions = pipeline.gazetteer(conn) if contract.region.name_column else None
        outcome = validate_landed(contract, extracted["path"], run_id, reference.expectation_parameters(conn),
                                  gazetteer=regions)
        console.print(f"[bold]{CLI['validation']}[/bold] {outcome.summary}")
        for finding in outcome.critical_failures + outcome.warnings:
            console.print(f"  - [{finding.severity}] {finding.message}")
        if outcome.critical_failures:
            console.print(f"[red]{CLI['not_loaded']}[/red]")
            raise typer.Exit(2)
        csv_path = folder / f"{contract.ckan_name}.csv"
        with conn.transaction(force_rollback=True):
            loaded = load_rows(conn, contract, outcome.path, run_id)
            export_csv(conn, contract, csv_path)
    meta = dataset_metadata(contract, catalog.dinas[contract.dinas], [str(p) for p in loaded.periods],
                            {"summary": outcome.public_note, "checked_at": datetime.now(UTC).isoformat()})
    if contract.klasifikasi == "tertutup":
        console.print(f"[yellow]{CLI['tertutup']}[/yellow]")
    console.print(f"[bold]{CLI['metadata']}[/bold] {CLI['not_sent']}:")
    console.print_json(json.dumps(meta, ensure_ascii=False))
    console.print(f"[bold]CSV[/bold] {csv_path.name}: " + CLI["first_rows"].format(rows=loaded.rows, n=rows))
    with csv_path.open(encoding="utf-8") as f:
        for i, line in enumerate(f):
            if i > rows:
                break
            console.print(line.rstrip("\n"), highlight=False, soft_wrap=True)
    console.print(CLI["full_csv"].format(path=csv_path))


def _dialect(dinas) -> str:
    """The SQL dialect of a dinas database, from its Airflow connection (postgres when it has none)."""
    from satudata.connections import get_connection

    try:
        kind = get_connection(dinas.conn_id or f"dinas_{dinas.id}").conn_type
    except Exception:  # noqa: BLE001 - no connection defined here: the scaffold's default dialect
        return "postgres"
    return "mariadb" if kind in ("mysql", "mariadb") else "postgres"


@app.command()
def scaffold(dataset: str = typer.Argument(..., help="the new dataset id (lower case, digits, _)"),
             dinas: str = typer.Option(..., help="the producing dinas id (contracts/dinas.yaml)"),
             title: str = typer.Option(..., help="the Indonesian title, e.g. 'Jumlah ... di Kabupaten Bekasi'"),
             table: str = typer.Option(None, help="source table to count rows of per kecamatan (skeleton SQL)"),
             region_column: str = typer.Option("kode_desa", help="its column holding desa or kecamatan codes"),
             measure: str = typer.Option("jumlah", help="name of the measure column"),
             satuan: str = typer.Option("UNIT", help="unit of the measure"),
             dialect: str = typer.Option(None, help="postgres or mariadb: the dinas database's SQL dialect "
                                                    "(default: the type of its Airflow connection)"),
             force: bool = typer.Option(False, help="overwrite existing files")) -> None:
    """Write a dataset's three places (contract, sql/<id>/extract.sql, suite) so that it passes `satudata
    check` and runs."""
    from satudata import settings
    from satudata.catalog import ContractError, load_dinas
    from satudata.catalog import scaffold as make
    from satudata.catalog.loading import slug_ok

    if not slug_ok(dataset):
        raise typer.BadParameter("lower case letters, digits and _; starting with a letter; 2-63 characters",
                                 param_hint="DATASET")
    known = load_dinas()
    if dinas not in known:
        raise typer.BadParameter(f"{dinas!r} is not in dinas.yaml (known: {', '.join(sorted(known))})",
                                 param_hint="--dinas")
    dialect = dialect or _dialect(known[dinas])
    if dialect not in make.DIALECTS:
        raise typer.BadParameter(f"one of {', '.join(make.DIALECTS)}", param_hint="--dialect")
    try:
        paths = make.write(dataset, known, dinas, title, table=table, region_column=region_column,
                           measure=measure, satuan=satuan, dialect=dialect, force=force)
    except (ContractError, FileExistsError) as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(1) from None
    for label, path in paths.items():
        typer.echo(f"wrote {label}: {path.relative_to(settings.home()) if path.is_relative_to(settings.home()) else path}")


@app.command()
def pools(apply: bool = typer.Option(True, help="create/update them with `airflow pools import`; "
                                                "--no-apply prints the JSON only")) -> None:
    """One Airflow pool per dinas (`dinas_<id>`, size max_concurrent_queries) for the extract tasks."""
    import subprocess
    import sys
    import tempfile

    from satudata.catalog import load_dinas
    from satudata.ops.access import dinas_pools

    wanted = dinas_pools(load_dinas())
    if not apply:
        typer.echo(json.dumps(wanted, ensure_ascii=False, indent=1))
        return
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(wanted, f)
    try:
        airflow = Path(sys.executable).with_name("airflow")
        done = subprocess.run([str(airflow) if airflow.exists() else "airflow", "pools", "import", f.name],
                              capture_output=True, text=True, check=False)
    finally:
        Path(f.name).unlink(missing_ok=True)
    if done.returncode:
        typer.echo(done.stderr.strip() or done.stdout.strip(), err=True)
        raise typer.Exit(done.returncode)
    for name, pool in wanted.items():
        typer.echo(f"pool {name}: {pool['slots']} slot(s)")


@app.command("airflow-roles")
def airflow_roles() -> None:
    """One Airflow role per dinas (dinas_<id>) that sees only that dinas's DAGs; the CKAN write pool.

    Needs Airflow's metadata database and the FAB auth manager (docker-compose runs it in airflow-init).
    """
    from satudata.catalog import load_catalog
    from satudata.ops import access

    for role, dag_ids in access.sync_roles(load_catalog()).items():
        typer.echo(f"{role}: {', '.join(dag_ids) or CLI['no_dags']}")
    for pool, slots in access.ensure_pools().items():
        typer.echo(f"pool {pool}: {slots} slot")


@app.command("as-of")
def as_of(dataset: str, date: str = typer.Argument(..., help="YYYY-MM-DD (WIB)"),
          output: Annotated[Path | None, typer.Option("--output", "-o", help="write the CSV here")] = None) -> None:
    """What was published of a dataset on a date: that release's CSV, byte for byte, from the warehouse."""
    import hashlib
    import sys
    from datetime import date as day

    from satudata import warehouse
    from satudata.messages import RELEASES
    from satudata.warehouse import releases

    with warehouse.connect() as conn:
        release, data = releases.as_of(conn, dataset, day.fromisoformat(date))
    if release is None:
        typer.echo(RELEASES["asof_none"].format(dataset=dataset, date=date), err=True)
        raise typer.Exit(1)
    if hashlib.sha256(data).hexdigest() != release.content_sha256:
        typer.echo(RELEASES["asof_mismatch"].format(versi=release.versi), err=True)
        raise typer.Exit(4)
    typer.echo(f"versi {release.versi} ({release.tanggal}), {release.row_count} baris", err=True)
    if output:
        output.write_bytes(data)
    else:
        sys.stdout.buffer.write(data)
