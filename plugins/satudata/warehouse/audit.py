"""The audit and quarantine schemas: every read and write of them is here, nowhere else.

audit.runs holds one row per stage of a run; audit.validation_results every expectation result;
quarantine.rows what was set aside and why; audit.publications what CKAN got; audit.watermarks the
marks of incremental extracts; audit.notifications, audit.alerts and audit.freshness what the
dinas and stewards were told, so that nothing is said twice. The status board, freshness monitor
and the idempotency checks read them back through the functions below.
"""
from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import psycopg

# ------------------------------------------------------------------ runs and validation

def record_stage(conn: psycopg.Connection, dataset_id: str, run_id: str, stage: str, status: str, *,
                 started_at=None, rows_in: int | None = None, rows_out: int | None = None,
                 checksum: str | None = None, details: dict | None = None) -> None:
    """One audit.runs row per stage of a run; a retried stage overwrites its own row, never adds one."""
    from psycopg.types.json import Jsonb

    conn.execute(
        "INSERT INTO audit.runs (dataset_id, run_id, stage, status, started_at, rows_in, rows_out, checksum, details)"
        " VALUES (%s, %s, %s, %s, coalesce(%s, clock_timestamp()), %s, %s, %s, %s)"
        " ON CONFLICT (dataset_id, run_id, stage) DO UPDATE SET status = EXCLUDED.status,"
        " started_at = EXCLUDED.started_at, finished_at = clock_timestamp(), rows_in = EXCLUDED.rows_in,"
        " rows_out = EXCLUDED.rows_out, checksum = EXCLUDED.checksum, details = EXCLUDED.details",
        (dataset_id, run_id, stage, status, started_at, rows_in, rows_out, checksum, Jsonb(details or {})))


def record_validation(conn, outcome, checked_at: str | None = None, report: str | None = None) -> None:
    """Keep every expectation result, the quarantined rows and the run's counts in the warehouse.

    audit.validation_results feeds trends and the stewards' board; quarantine.rows holds what was
    set aside with its reason; audit.runs gets the `validate` stage (rows in, rows going on).
    """
    with conn.transaction():
        conn.execute("DELETE FROM audit.validation_results WHERE dataset_id = %s AND run_id = %s",
                     (outcome.dataset_id, outcome.run_id))
        seen: dict[str, int] = {}
        for f in outcome.findings:
            name = f.rule
            seen[name] = seen.get(name, 0) + 1
            if seen[name] > 1:
                name = f"{name}:{seen[name]}"
            conn.execute(
                "INSERT INTO audit.validation_results (dataset_id, run_id, expectation, kolom, severity,"
                " success, unexpected_count, sample, judul, pesan, saran, diharapkan, dikarantina)"
                " VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                (outcome.dataset_id, outcome.run_id, name, f.column, f.severity, f.success,
                 f.unexpected_count, json.dumps(f.rows or f.values, default=str), f.title, f.message or None,
                 f.fix or None, f.expected or None, f.quarantined),
            )
        conn.execute("DELETE FROM quarantine.rows WHERE dataset_id = %s AND run_id = %s",
                     (outcome.dataset_id, outcome.run_id))
        if outcome.quarantine_records:
            with conn.cursor() as cur, cur.copy(
                    "COPY quarantine.rows (dataset_id, run_id, row_number, rule, alasan, kunci, nilai) FROM STDIN") as cp:
                for r in outcome.quarantine_records:
                    cp.write_row((outcome.dataset_id, outcome.run_id, r["row_number"], r["rule"], r["alasan"],
                                  json.dumps(r["kunci"], default=str), json.dumps(r["nilai"], default=str)))
        details = {"summary": outcome.summary, "critical": len(outcome.critical_failures),
                   "warnings": len(outcome.warnings), "quarantined_rows": outcome.quarantined_rows,
                   "harmonised": outcome.harmonised, "checked_at": checked_at, "report": report,
                   "datadocs": outcome.datadocs}
        record_stage(conn, outcome.dataset_id, outcome.run_id, "validate", outcome.status, rows_in=outcome.rows,
                     rows_out=0 if outcome.status == "critical" else outcome.rows - outcome.quarantined_rows,
                     details=details)


# ------------------------------------------------------------------ publications

def record_publication(conn: psycopg.Connection, dataset_id: str, run_id: str, published) -> None:
    """The CKAN ids and content hash a publish left (satudata.portal.publish.Published)."""
    conn.execute(
        "INSERT INTO audit.publications (dataset_id, run_id, ckan_package, ckan_resource,"
        " content_sha256, action) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (dataset_id, run_id)"
        " DO UPDATE SET ckan_package = EXCLUDED.ckan_package, ckan_resource = EXCLUDED.ckan_resource,"
        " content_sha256 = EXCLUDED.content_sha256, action = EXCLUDED.action,"
        " published_at = clock_timestamp()",
        (dataset_id, run_id, published.package_id, published.resource_id, published.sha256, published.action))


# ------------------------------------------------------------------ watermarks

def stored_watermark(conn: psycopg.Connection, dataset_id: str) -> dict | None:
    """The mark the last successful load of an incremental dataset reached, as {value, type}."""
    row = conn.execute("SELECT value, value_type FROM audit.watermarks WHERE dataset_id = %s",
                       (dataset_id,)).fetchone()
    return {"value": row[0], "type": row[1]} if row else None


def store_watermark(conn: psycopg.Connection, dataset_id: str, mark: dict, run_id: str) -> None:
    conn.execute(
        "INSERT INTO audit.watermarks (dataset_id, value, value_type, previous_value, run_id)"
        " VALUES (%s, %s, %s, NULL, %s) ON CONFLICT (dataset_id) DO UPDATE SET"
        " previous_value = audit.watermarks.value, value = EXCLUDED.value, value_type = EXCLUDED.value_type,"
        " run_id = EXCLUDED.run_id, advanced_at = clock_timestamp()",
        (dataset_id, mark["value"], mark["type"], run_id))


# ------------------------------------------------------------------ notifications and alerts

def notification_sent(conn: psycopg.Connection, dataset_id: str, run_id: str) -> bool:
    row = conn.execute("SELECT 1 FROM audit.notifications WHERE dataset_id = %s AND run_id = %s",
                       (dataset_id, run_id)).fetchone()
    return row is not None


def record_notification(conn: psycopg.Connection, dataset_id: str, run_id: str, status: str,
                        recipients: list[str], subject: str) -> None:
    with conn.transaction():
        conn.execute("INSERT INTO audit.notifications (dataset_id, run_id, status, recipients, subject)"
                     " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (dataset_id, run_id) DO NOTHING",
                     (dataset_id, run_id, status, recipients, subject))


def claim_alert(conn: psycopg.Connection, dag_id: str, run_id: str, kind: str, task_id: str | None,
                try_number: int | None, error: str | None, recipients: list[str]) -> bool:
    """Claim the incident; True when this call is the first for (dag_id, run_id, kind)."""
    with conn.transaction():
        row = conn.execute(
            "INSERT INTO audit.alerts (dag_id, run_id, kind, task_id, try_number, error, recipients)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (dag_id, run_id, kind) DO NOTHING RETURNING 1",
            (dag_id, run_id, kind, task_id, try_number, error, recipients)).fetchone()
    return row is not None


def mark_alert_sent(conn: psycopg.Connection, dag_id: str, run_id: str, kind: str) -> None:
    with conn.transaction():
        conn.execute("UPDATE audit.alerts SET sent = true WHERE dag_id = %s AND run_id = %s AND kind = %s",
                     (dag_id, run_id, kind))


# ------------------------------------------------------------------ freshness

def ever_loaded(conn: psycopg.Connection, dataset_id: str) -> bool:
    """Whether any run loaded the dataset (else its next run is the initial load of its whole history)."""
    return conn.execute("SELECT EXISTS (SELECT 1 FROM audit.runs WHERE dataset_id = %s AND stage = 'load'"
                        " AND status = 'success')", (dataset_id,)).fetchone()[0]


def last_successes(conn: psycopg.Connection, at: datetime) -> dict[str, datetime]:
    """The last successful load of every dataset up to `at` (later loads do not count for `at`).

    An incremental dataset whose run found nothing new since its watermark is as fresh as that run:
    the warehouse already holds everything the source had.
    """
    rows = conn.execute("SELECT dataset_id, max(finished_at) FROM audit.runs"
                        " WHERE status = 'success' AND finished_at <= %s AND (stage = 'load' OR"
                        "  (stage = 'extract' AND rows_out = 0 AND (details ->> 'incremental')::boolean))"
                        " GROUP BY dataset_id", (at,)).fetchall()
    return dict(rows)


def previous_freshness(conn: psycopg.Connection, at: datetime) -> dict[str, str]:
    """Each dataset's freshness level at the check before `at`."""
    rows = conn.execute("SELECT DISTINCT ON (dataset_id) dataset_id, level FROM audit.freshness"
                        " WHERE checked_for < %s ORDER BY dataset_id, checked_for DESC", (at,)).fetchall()
    return dict(rows)


def record_freshness(conn: psycopg.Connection, found: dict, at: datetime) -> None:
    """found: dataset id -> satudata.ops.freshness.Freshness."""
    with conn.transaction():
        conn.cursor().executemany(
            "INSERT INTO audit.freshness (dataset_id, checked_for, frekuensi, level, last_success)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (dataset_id, checked_for) DO UPDATE SET"
            " level = EXCLUDED.level, last_success = EXCLUDED.last_success, recorded_at = clock_timestamp()",
            [(dataset_id, at, f.frekuensi, f.level, f.last_success) for dataset_id, f in found.items()])


# ------------------------------------------------------------------ the status board's reads

def latest_runs(conn: psycopg.Connection) -> dict[str, tuple[str, datetime]]:
    """The newest run of each dataset over every trace a run leaves (stages, publications, alerts)."""
    rows = conn.execute(
        "SELECT DISTINCT ON (dataset_id) dataset_id, run_id, at FROM ("
        " SELECT dataset_id, run_id, finished_at AS at FROM audit.runs"
        " UNION ALL SELECT dataset_id, run_id, published_at FROM audit.publications"
        " UNION ALL SELECT dag_id, run_id, raised_at FROM audit.alerts WHERE kind IN ('failure', 'late')"
        ") t ORDER BY dataset_id, at DESC").fetchall()
    return {d: (r, at) for d, r, at in rows}


def run_traces(conn: psycopg.Connection, dataset_id: str, run_id: str) -> tuple[dict, dict, str | None]:
    """What one run left: stage -> status, alert kind -> task id, and the CKAN action (or None)."""
    stages = dict(conn.execute("SELECT stage, status FROM audit.runs WHERE dataset_id = %s AND run_id = %s",
                               (dataset_id, run_id)).fetchall())
    alerts = dict(conn.execute("SELECT kind, task_id FROM audit.alerts WHERE dag_id = %s AND run_id = %s",
                               (dataset_id, run_id)).fetchall())
    published = conn.execute("SELECT action FROM audit.publications WHERE dataset_id = %s AND run_id = %s",
                             (dataset_id, run_id)).fetchone()
    return stages, alerts, published[0] if published else None


def validation_counts(conn: psycopg.Connection) -> list[tuple]:
    """Per dataset and run, oldest first: (dataset, run, passed, total, any critical failed, any warning)."""
    return [r[:6] for r in conn.execute(
        "SELECT dataset_id, run_id, count(*) FILTER (WHERE success), count(*),"
        " bool_or(NOT success AND severity = 'critical'), bool_or(NOT success AND severity = 'warning'),"
        " min(recorded_at) FROM audit.validation_results GROUP BY dataset_id, run_id ORDER BY dataset_id, 7"
    ).fetchall()]


def latest_validations(conn: psycopg.Connection) -> dict[str, tuple]:
    """dataset -> (status, summary, rows in, report) of its latest validation."""
    return {r[0]: r[1:] for r in conn.execute(
        "SELECT dataset_id, validation_status, details ->> 'summary', rows_in, details ->> 'report'"
        " FROM audit.latest_validation").fetchall()}


def loaded_rows(conn: psycopg.Connection) -> dict[str, int]:
    """dataset -> rows its latest successful load put in curated."""
    return dict(conn.execute(
        "SELECT DISTINCT ON (dataset_id) dataset_id, rows_out FROM audit.runs WHERE stage = 'load'"
        " AND status = 'success' ORDER BY dataset_id, finished_at DESC").fetchall())


def published_datasets(conn: psycopg.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT DISTINCT dataset_id FROM audit.publications").fetchall()}


# ------------------------------------------------------------------ what the portal holds

def portal_state(conn: psycopg.Connection, dataset_id: str) -> dict | None:
    """What the pipeline last left on CKAN for the dataset (satudata.portal.visibility), or None."""
    from psycopg.rows import dict_row

    with conn.cursor(row_factory=dict_row) as cur:
        return cur.execute("SELECT * FROM audit.portal_state WHERE dataset_id = %s", (dataset_id,)).fetchone()


def ever_published(conn: psycopg.Connection, dataset_id: str) -> bool:
    return conn.execute("SELECT EXISTS (SELECT 1 FROM audit.publications WHERE dataset_id = %s)",
                        (dataset_id,)).fetchone()[0]


def store_portal_state(conn: psycopg.Connection, dataset_id: str, package: str | None, private: bool | None,
                       withdrawn: bool, takedown_at=None, takedown_what: str | None = None) -> None:
    """Committed at once: a publish failing after this write must still find it (not a transaction block)."""
    conn.execute(
        "INSERT INTO audit.portal_state (dataset_id, ckan_package, private, withdrawn, takedown_at,"
        " takedown_what) VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (dataset_id) DO UPDATE SET"
        " ckan_package = EXCLUDED.ckan_package, private = EXCLUDED.private, withdrawn = EXCLUDED.withdrawn,"
        " takedown_at = EXCLUDED.takedown_at, takedown_what = EXCLUDED.takedown_what,"
        " updated_at = clock_timestamp()",
        (dataset_id, package, private, withdrawn, takedown_at, takedown_what))
    conn.commit()
