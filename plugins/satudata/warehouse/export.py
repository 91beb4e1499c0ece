"""Export: the public rows of a curated table, as the portal publishes them (CSV, UTF-8, comma, header).

Only `public_columns` leave (never a personal column), ordered by period then key, with a row
number `id`, the layout of Open Data Jabar's files.
"""
from __future__ import annotations

import hashlib
from pathlib import Path

import psycopg
from psycopg import sql

from satudata.catalog import Contract
from satudata.warehouse.curated import public_columns

# OWASP "CSV Injection": a text cell a spreadsheet would read as a formula gets a leading apostrophe.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value):
    """One public cell, safe for a spreadsheet: text starting with = + - @ tab or CR is prefixed with `'`.

    Numbers (and None) are returned untouched. Every public file writer (CSV, XLSX, JSON) applies this.
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _neutralised(name: str, typ: str) -> sql.Composable:
    """The SQL twin of `neutralise` for a text column (the CSV is written by COPY, not row by row)."""
    column = sql.Identifier(name)
    if typ != "text":
        return column
    return sql.SQL("CASE WHEN left({c}, 1) IN ('=', '+', '-', '@', chr(9), chr(13)) THEN {q} || {c} "
                   "ELSE {c} END AS {c}").format(c=column, q=sql.Literal("'"))


def export_query(contract: Contract) -> sql.Composed:
    cols = public_columns(contract)
    order = sql.SQL(", ").join(map(sql.Identifier, [contract.period_column, *[
        k for k in contract.primary_key if k != contract.period_column]]))
    return sql.SQL("SELECT row_number() OVER (ORDER BY {order}) AS id, {cols} FROM curated.{t} ORDER BY {order}").format(
        order=order, cols=sql.SQL(", ").join(_neutralised(n, t) for n, t in cols), t=sql.Identifier(contract.table))


def export_csv(conn: psycopg.Connection, contract: Contract, path: Path) -> str:
    """Write the public CSV (UTF-8, comma, header, codes as text) and return its sha256."""
    path.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    copy = sql.SQL("COPY ({q}) TO STDOUT WITH (FORMAT csv, HEADER true)").format(q=export_query(contract))
    with path.open("wb") as out, conn.cursor() as cur, cur.copy(copy) as cp:
        for block in cp:
            out.write(block)
            digest.update(block)
    return digest.hexdigest()
