"""Schema drift: a steward's sentence for a source table or column the query names but the dinas dropped.

Retrying cannot help (the errors are `SchemaDrift`): the message names dataset, table and column.
"""
from __future__ import annotations

import re

from satudata.catalog import Contract
from satudata.errors import ExtractError, SchemaDrift

_TABLES = re.compile(r"\b(?:FROM|JOIN)\s+([A-Za-z_][\w.]*)(?:\s+(?:AS\s+)?([A-Za-z_]\w*))?", re.IGNORECASE)
_NOT_ALIAS = {"where", "on", "using", "group", "order", "left", "right", "inner", "outer", "full", "cross", "join",
              "limit", "having", "union", "natural", "lateral", "window"}
_DRIFT = (
    (re.compile(r'column "?(?:(\w+)\.)?(\w+)"? does not exist'), "column"),  # PostgreSQL
    (re.compile(r"Unknown column '(?:(\w+)\.)?(\w+)'"), "column"),  # MariaDB / MySQL
    (re.compile(r'relation "(?:\w+\.)?(\w+)" does not exist'), "table"),
    (re.compile(r"Table '(?:\w+\.)?(\w+)' doesn't exist"), "table"),
    (re.compile(r"no such (?:table|column): (?:\w+\.)?(\w+)"), "other"),  # SQLite
)


def source_tables(sql: str) -> dict[str, str]:
    """alias (or name) -> table for the tables a query reads, for naming them in drift messages."""
    out: dict[str, str] = {}
    for table, alias in _TABLES.findall(re.sub(r"--[^\n]*", "", sql)):
        if table.lower() in _NOT_ALIAS or table.startswith("("):
            continue
        out[table.split(".")[-1]] = table
        if alias and alias.lower() not in _NOT_ALIAS:
            out[alias] = table
    return out


def drift_message(contract: Contract, conn_id: str, sql: str, reason: str) -> str | None:
    """A steward's sentence for a missing table or column, or None when the error is something else."""
    tables = source_tables(sql)
    for pattern, kind in _DRIFT:
        m = pattern.search(reason)
        if not m:
            continue
        where = f"the query {contract.shown(contract.sql_path)} on connection {conn_id!r}"
        if kind == "table":
            return (f"dataset {contract.id}: source table {m[1]} does not exist (renamed or dropped?); "
                    f"{where}: {reason}")
        if kind == "column":
            qualifier, column = m[1], m[2]
            table = tables.get(qualifier, qualifier) if qualifier else " or ".join(sorted(set(tables.values())))
            return (f"dataset {contract.id}: source table {table or '?'} has no column {column} (renamed or "
                    f"dropped?); {where}: {reason}")
        return f"dataset {contract.id}: {where}: {reason}"
    return None


def query_failed(contract: Contract, conn_id: str, sql: str, why: str, query: str) -> ExtractError:
    """The error for a query that failed at the source: SchemaDrift when a table or column is gone (retrying
    cannot help), else an ExtractError naming the query (`query`: "query" or "watermark query") and the
    connection."""
    drifted = drift_message(contract, conn_id, sql, why)
    if drifted:
        return SchemaDrift(drifted)
    path = contract.watermark_sql_path if query == "watermark query" else contract.sql_path
    return ExtractError(f"dataset {contract.id}: the {query} {contract.shown(path)} failed on connection "
                        f"{conn_id!r}: {why}")
