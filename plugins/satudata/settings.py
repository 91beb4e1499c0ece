"""Every setting the project reads from the environment, in one place, read when asked (never at import).

Paths come from here so that compose can point every worker at the same shared landing, report and
drop locations; the defaults suit a checkout of the repository. Connection ids name Airflow
connections (secrets live there, never here).
"""
from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path


def _env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(name) or default


# ------------------------------------------------------------------ where the files are

def home() -> Path:
    """The project root holding contracts/, sql/ and expectations/ (SATUDATA_HOME overrides)."""
    env = _env("SATUDATA_HOME")
    return Path(env) if env else Path(__file__).resolve().parents[2]


def contracts_dir() -> Path:
    return home() / "contracts"


def sql_dir() -> Path:
    return home() / "sql"


def region_variants_path() -> Path:
    """The reviewed list of region spellings (satudata.quality.harmonise)."""
    return contracts_dir() / "region_variants.yaml"


def migrations_dir() -> Path:
    return sql_dir() / "migrations"


def expectations_dir() -> Path:
    return home() / "expectations"


def var_dir() -> Path:
    return Path(_env("SATUDATA_VAR_DIR") or home() / "var")


def landing_dir() -> Path:
    """Extracted files before validation; shared storage in production (one setting)."""
    return Path(_env("SATUDATA_LANDING_DIR") or var_dir() / "landing")


def reports_dir() -> Path:
    """Validation reports per dinas, served as static files in production."""
    return Path(_env("SATUDATA_REPORTS_DIR") or var_dir() / "reports")


def drop_dir() -> Path:
    """Where dinas without a database drop their spreadsheets (one folder per dinas)."""
    return Path(_env("SATUDATA_DROP_DIR") or var_dir() / "drop")


def safe_name(run_id: str) -> str:
    """A run id as a file name (Airflow run ids hold ':' and '+')."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in run_id)


def run_dir(dataset_id: str, run_id: str) -> Path:
    """The folder one run of one dataset keeps its landed files and stage results in."""
    return landing_dir() / dataset_id / safe_name(run_id)


def history_from() -> int:
    """The first year an initial load reaches back to when a contract names none (`source.sejak`)."""
    return int(_env("SATUDATA_HISTORY_FROM", "2019"))  # type: ignore[arg-type]


# ------------------------------------------------------------------ connections (ids, not secrets)

def warehouse_conn_id() -> str:
    return _env("SATUDATA_WAREHOUSE_CONN_ID", "warehouse")  # type: ignore[return-value]


def ckan_conn_id() -> str:
    return _env("SATUDATA_CKAN_CONN_ID", "ckan_default")  # type: ignore[return-value]


def ckan_admin_conn_id() -> str:
    """A CKAN sysadmin's connection: only a sysadmin may list a dataset's followers (issue 13)."""
    return _env("SATUDATA_CKAN_ADMIN_CONN_ID", "ckan_admin")  # type: ignore[return-value]


def smtp_conn_id() -> str:
    return _env("SATUDATA_SMTP_CONN_ID", "smtp_default")  # type: ignore[return-value]


def pg_admin_url() -> str:
    """A PostgreSQL role that may create databases and roles (seeding the sample dinas)."""
    return _env("SATUDATA_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")  # type: ignore[return-value]


def mysql_admin_url() -> str:
    """A MariaDB user that may create databases and users (seeding the sample dinas)."""
    return _env("SATUDATA_MYSQL_ADMIN_URL", "mysql://root@127.0.0.1:3306")  # type: ignore[return-value]


# ------------------------------------------------------------------ mail and links

def stewards_emails() -> list[str]:
    """The walidata's addresses (SATUDATA_STEWARDS_EMAIL, comma-separated)."""
    return [a.strip() for a in (_env("SATUDATA_STEWARDS_EMAIL") or "").split(",") if a.strip()]


def smtp_env() -> tuple[str, int, str | None] | None:
    """(host, port, sender) from SATUDATA_SMTP_HOST / _PORT / _FROM when no SMTP connection exists."""
    host = _env("SATUDATA_SMTP_HOST")
    if not host:
        return None
    return host, int(_env("SATUDATA_SMTP_PORT", "25")), _env("SATUDATA_SMTP_FROM")  # type: ignore[arg-type]


def reports_url() -> str | None:
    """The public base URL of the reports site (SATUDATA_REPORTS_URL); None: links are file paths."""
    base = _env("SATUDATA_REPORTS_URL")
    return base.rstrip("/") if base else None


# ------------------------------------------------------------------ scheduling

def late_after() -> timedelta | None:
    """How long after it was queued a dataset run counts as late (SATUDATA_LATE_AFTER_MINUTES); None: off."""
    minutes = _env("SATUDATA_LATE_AFTER_MINUTES")
    return timedelta(minutes=int(minutes)) if minutes else None
