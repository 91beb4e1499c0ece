"""Every secret comes from an Airflow connection (or its AIRFLOW_CONN_<ID> environment variable).

Connection ids follow one convention: `warehouse`, `ckan_default`, and `dinas_<dinas id>` for each
departmental database. Nothing here logs a password.
"""
from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import quote

if TYPE_CHECKING:
    import psycopg
    from ckanapi import RemoteCKAN
    from sqlalchemy.engine import Engine

_DRIVERS = {
    "postgres": "postgresql+psycopg",
    "postgresql": "postgresql+psycopg",
    "mysql": "mysql+mysqldb",
    "mariadb": "mysql+mysqldb",
}


def get_connection(conn_id: str):
    from airflow.sdk import BaseHook

    return BaseHook.get_connection(conn_id)


def sqlalchemy_url(conn_id: str) -> str:
    conn = get_connection(conn_id)
    driver = _DRIVERS.get(conn.conn_type)
    if driver is None:
        raise ValueError(f"connection {conn_id!r}: type {conn.conn_type!r} is not a supported database "
                         f"(supported: {', '.join(sorted(_DRIVERS))})")
    auth = quote(conn.login or "", safe="")
    if conn.password:
        auth += ":" + quote(conn.password, safe="")
    port = f":{conn.port}" if conn.port else ""
    query = "?charset=utf8mb4" if driver.startswith("mysql") else ""
    return f"{driver}://{auth}@{conn.host}{port}/{conn.schema or ''}{query}"


def sqlalchemy_engine(conn_id: str) -> Engine:
    from sqlalchemy import create_engine

    return create_engine(sqlalchemy_url(conn_id), pool_pre_ping=True)


def psycopg_connect(conn_id: str, **kwargs) -> psycopg.Connection:
    import psycopg

    conn = get_connection(conn_id)
    if conn.conn_type not in ("postgres", "postgresql"):
        raise ValueError(f"connection {conn_id!r} must be a PostgreSQL connection, not {conn.conn_type!r}")
    return psycopg.connect(host=conn.host, port=conn.port or 5432, user=conn.login, password=conn.password,
                           dbname=conn.schema, application_name="satudata", **kwargs)


def ckan_client(conn_id: str) -> RemoteCKAN:
    """CKAN's URL is the connection's host (with scheme); its API token is the password."""
    from ckanapi import RemoteCKAN

    conn = get_connection(conn_id)
    url = conn.host if "://" in (conn.host or "") else f"http://{conn.host}"
    if conn.port and url.count(":") < 2:
        url = f"{url}:{conn.port}"
    return RemoteCKAN(url.rstrip("/"), apikey=conn.password, user_agent="satudata-bekasi/0.1")
