"""The central warehouse (PostgreSQL): the only code that speaks its schemas.

`migrate` applies the ordered migrations in sql/migrations/; `reference` keeps the region codes and
the dinas; `curated` is the shape of each dataset's table; `load` stages and promotes rows; `export`
reads curated rows out for publishing; `audit` owns every read and write of the audit and quarantine
schemas (runs, validation results, quarantined rows, publications, watermarks, notifications,
alerts, freshness).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from satudata import settings

if TYPE_CHECKING:
    import psycopg


def connect(conn_id: str | None = None, **kwargs) -> psycopg.Connection:
    """A psycopg connection to the warehouse (the `warehouse` Airflow connection unless told otherwise)."""
    from satudata.connections import psycopg_connect

    return psycopg_connect(conn_id or settings.warehouse_conn_id(), **kwargs)
