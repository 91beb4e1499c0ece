"""Sources: land a dataset's rows from its dinas as a Parquet file, by the fastest route the source offers.

One module per source kind: `postgres` (COPY as CSV parsed by Arrow), `mysql` (mysqlclient's
server-side cursor), `generic` (any other SQLAlchemy dialect), `spreadsheet` (hand-kept XLSX/CSV
drops, read, cleaned and aggregated here). `watermark` is the cursor of incremental extracts,
`checks` runs the contract's row-level source checks, `drift` explains a renamed table or column.

Sources read the dinas systems and write files; they never write to the warehouse (the pipeline
records what they did). The result is streamed in blocks, never held whole in memory.
"""
from __future__ import annotations

import hashlib
import logging
from dataclasses import asdict, dataclass, field
from datetime import date, datetime
from pathlib import Path

from satudata.catalog import Contract
from satudata.errors import ExtractError
from satudata.sources import drift
from satudata.sources.common import arrow_schema, driver_errors, reason
from satudata.sources.routes import route, scalar, source_kind

__all__ = ["Extracted", "land", "period_params", "scalar", "source_kind"]
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Extracted:
    dataset_id: str
    path: str
    rows: int
    sha256: str
    params: dict
    watermark_next: dict | None = None  # {value, type}: stored after a successful load
    problems: list = field(default_factory=list)
    problem_count: int = 0
    source_files: list = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)


def period_params(start: datetime | date, end: datetime | date) -> dict:
    """Bind parameters every extract SQL may use, taken from the run's data interval (never now())."""
    start_d = start.date() if isinstance(start, datetime) else start
    end_d = end.date() if isinstance(end, datetime) else end
    return {
        "periode_awal": start_d,
        "periode_akhir": end_d,
        "tahun": start.year,
        "bulan": start.month,
    }


def _digest(path: Path) -> str:
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def land(contract: Contract, conn_id: str, params: dict, out_dir: Path, *, gazetteer=None,
         drop_dir: Path | None = None, watermark_next: dict | None = None,
         history: list[dict] | None = None) -> Extracted:
    """Run the extract SQL with bound parameters (or read the spreadsheet drop) and write
    `<out_dir>/<dataset>.parquet`; a failure leaves no file behind. `history` (an initial load,
    satudata.sources.history) runs the SQL once per parameter set into the same file."""
    import pyarrow.parquet as pq

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / f"{contract.id}.parquet"
    tmp = path.with_suffix(".parquet.part")
    problems: list = []
    problem_count = 0
    files: list[str] = []
    try:
        with pq.ParquetWriter(tmp, arrow_schema(contract)) as writer:
            if contract.source.type == "spreadsheet":
                from satudata import settings
                from satudata.sources import spreadsheet

                if gazetteer is None:
                    raise ExtractError(f"dataset {contract.id}: a spreadsheet source needs the region gazetteer")
                used = {k: v for k, v in params.items() if k in ("periode_awal", "periode_akhir")}
                rows, problems, problem_count, files = spreadsheet.write_parquet(
                    contract, params, writer, gazetteer, drop_dir or settings.drop_dir(), out_dir)
            else:
                sql = contract.sql_path.read_text(encoding="utf-8")
                used = {k: v for k, v in params.items() if f":{k}" in sql}
                rows = sum(_route_rows(contract, conn_id, sql, p, writer) for p in (history or [params]))
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    tmp.replace(path)
    log.info("extracted %s rows of %s to %s", rows, contract.id, path)
    shown = {k: (None if v is None else str(v)) for k, v in used.items()}
    if history and len(history) > 1:
        shown["riwayat"] = f"{history[0]['tahun']}-{history[-1]['tahun']}"
    return Extracted(contract.id, str(path), rows, _digest(path), shown, watermark_next, problems,
                     problem_count, files)


def _route_rows(contract: Contract, conn_id: str, sql: str, params: dict, writer) -> int:
    """Stream the query's rows into the writer; driver and type errors become the project's own."""
    import pyarrow as pa

    try:
        return route(conn_id).write_parquet(contract, conn_id, sql, params, writer)
    except driver_errors() as exc:
        raise drift.query_failed(contract, conn_id, sql, reason(exc), "query") from None
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, ValueError) as exc:
        raise ExtractError(f"dataset {contract.id}: a value does not fit the contract's column types: {exc}") \
            from None
