"""Which source module reads a connection: PostgreSQL, MariaDB/MySQL, or any other SQLAlchemy dialect."""
from __future__ import annotations

from types import ModuleType

from satudata import connections


def source_kind(conn_id: str) -> str:
    """postgres, mysql or another SQLAlchemy dialect, from the connection's type."""
    kind = connections.get_connection(conn_id).conn_type
    return {"postgresql": "postgres", "mariadb": "mysql"}.get(kind, kind)


def route(conn_id: str) -> ModuleType:
    """The module that streams this connection's rows (each offers write_parquet and scalar)."""
    from satudata.sources import generic, mysql, postgres

    return {"postgres": postgres, "mysql": mysql}.get(source_kind(conn_id), generic)


def scalar(conn_id: str, sql: str, params: dict):
    """One value from the source, through the driver its extract uses."""
    return route(conn_id).scalar(conn_id, sql, params)
