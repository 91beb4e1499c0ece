"""What every source route shares: the contract's Arrow schema, column checks, bind parameters, driver errors.

Aggregation happens in the SQL, at the source, so personal columns never leave the dinas database. A
query that returns other columns than the contract lists fails here: that is schema drift or a leak,
and nothing downstream may run.
"""
from __future__ import annotations

import re

from satudata.catalog import Contract
from satudata.errors import SchemaDrift

CHUNK_ROWS = 50_000
PROBLEMS_KEPT = 200  # problems listed in the stage result; the full list is a file next to the landing
_ARROW_TYPES = {"text": "string", "integer": "int64", "numeric": "float64", "date": "date32", "boolean": "bool"}
# Drivers hand SUM()/AVG() back as Decimal; the contract's type decides what it becomes.
CASTS = {"integer": int, "numeric": float}


def arrow_schema(contract: Contract):
    import pyarrow as pa

    return pa.schema([(c.name, pa.type_for_alias(_ARROW_TYPES[c.type])) for c in contract.columns])


def check_columns(contract: Contract, returned: list[str], conn_id: str) -> None:
    expected = [c.name for c in contract.columns]
    missing = [c for c in expected if c not in returned]
    extra = [c for c in returned if c not in expected]
    problems = []
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}")
    if extra:
        problems.append(f"unexpected column(s) {', '.join(extra)} (not in the contract; never published)")
    if problems:
        raise SchemaDrift(f"dataset {contract.id}: the query {contract.shown(contract.sql_path)} on connection "
                          f"{conn_id!r} returned {'; '.join(problems)}. Returned: {', '.join(returned)}")


# SQLAlchemy's rule for `:name` (not `::cast`, not `\\:`), without importing SQLAlchemy on fast routes.
_BIND = re.compile(r"(?<![:\w\\]):(\w+)(?!:)")


def bind(sql: str, params: dict) -> tuple[str, dict]:
    """The SQL with its `:name` parameters in the drivers' `%(name)s` style, and the values it uses."""
    used = {k: params[k] for k in _BIND.findall(sql) if k in params}
    return _BIND.sub(lambda m: f"%({m.group(1)})s" if m.group(1) in used else m.group(0),
                     sql.replace("%", "%%")), used


def used_params(sql: str, params: dict) -> dict:
    """The parameters a query names (`:name`), for SQLAlchemy's own binding."""
    return {k: v for k, v in params.items() if f":{k}" in sql}


def driver_errors() -> tuple[type[BaseException], ...]:
    import psycopg
    from sqlalchemy.exc import DBAPIError

    errors: tuple[type[BaseException], ...] = (psycopg.Error, DBAPIError)
    try:
        import MySQLdb

        errors += (MySQLdb.Error,)
    except ImportError:
        pass
    return errors


def reason(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    if getattr(orig, "args", None) and len(orig.args) == 2 and isinstance(orig.args[0], int):
        orig = orig.args[1]  # MySQLdb: (errno, message)
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(exc).__name__
