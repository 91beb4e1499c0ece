"""Where the project's files live, resolved once per call from the environment.

Paths come from settings (environment variables) so that compose can point every worker at the same
shared landing and report locations; the defaults suit a checkout of the repository.
"""
from __future__ import annotations

import os
from pathlib import Path


def home() -> Path:
    """The project root holding contracts/, sql/ and expectations/ (SATUDATA_HOME overrides)."""
    env = os.environ.get("SATUDATA_HOME")
    return Path(env) if env else Path(__file__).resolve().parents[2]


def contracts_dir() -> Path:
    return home() / "contracts"


def sql_dir() -> Path:
    return home() / "sql"


def expectations_dir() -> Path:
    return home() / "expectations"


def var_dir() -> Path:
    return Path(os.environ.get("SATUDATA_VAR_DIR") or home() / "var")


def landing_dir() -> Path:
    """Extracted files before validation; shared storage in production (one setting)."""
    return Path(os.environ.get("SATUDATA_LANDING_DIR") or var_dir() / "landing")


def reports_dir() -> Path:
    """Validation reports per dinas, served as static files in production."""
    return Path(os.environ.get("SATUDATA_REPORTS_DIR") or var_dir() / "reports")


def drop_dir() -> Path:
    """Where dinas without a database drop their spreadsheets (one folder per dinas)."""
    return Path(os.environ.get("SATUDATA_DROP_DIR") or var_dir() / "drop")


def late_after():
    """How long after it was queued a dataset run counts as late (SATUDATA_LATE_AFTER_MINUTES); None: off."""
    from datetime import timedelta

    minutes = os.environ.get("SATUDATA_LATE_AFTER_MINUTES")
    return timedelta(minutes=int(minutes)) if minutes else None


WAREHOUSE_CONN_ID = os.environ.get("SATUDATA_WAREHOUSE_CONN_ID", "warehouse")
CKAN_CONN_ID = os.environ.get("SATUDATA_CKAN_CONN_ID", "ckan_default")
