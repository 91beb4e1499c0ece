"""Alerts to the stewards: one message per incident, never one per retry.

`on_failure` is the `on_failure_callback` of every task (set once, in the DAG factory's default
args). Airflow calls it only when a task has failed for good, after its retries. An incident is a
DAG run: audit.alerts keeps one row per (dag_id, run_id, kind) and the message goes out only when
that row is new, so a second failing task of the same run, or a callback that runs twice, sends
nothing more. `late_run` is the deadline callback of the dataset DAGs (a run still going long after
it was queued). Messages go through satudata.ops.mail to SATUDATA_STEWARDS_EMAIL.

A callback must never break the task's own handling: every error here is logged, not raised. When
the warehouse cannot be reached (it may be the incident itself) the message is sent anyway: a rare
duplicate is better than silence.
"""
from __future__ import annotations

import logging

from satudata import settings
from satudata.messages import ALERT
from satudata.ops import mail
from satudata.warehouse import audit

log = logging.getLogger(__name__)
ERROR_CHARS = 2_000



def board_url() -> str:
    """Where the stewards read the status board: under SATUDATA_REPORTS_URL when set, else the file."""
    base = settings.reports_url()
    if base:
        return f"{base}/status/"
    return str(settings.reports_dir() / "status" / "index.html")


def raise_incident(conn, dag_id: str, run_id: str, kind: str, subject: str, body: str, *,
                   task_id: str | None = None, try_number: int | None = None, error: str | None = None) -> dict:
    """Record the incident and, if it is new, mail the stewards. `conn` None: send without de-duplication."""
    recipients = mail.stewards()
    if conn is not None and not audit.claim_alert(conn, dag_id, run_id, kind, task_id, try_number, error,
                                                  recipients):
        log.info("alert %s for %s %s already raised: not sent again", kind, dag_id, run_id)
        return {"sent": False, "reason": "already raised for this run"}
    smtp = mail.smtp_settings()
    if smtp is None or not recipients:
        log.warning("alert not sent (no SMTP settings or no SATUDATA_STEWARDS_EMAIL): %s", subject)
        return {"sent": False, "reason": "no SMTP settings or no stewards", "subject": subject}
    mail.send(mail.message(subject, smtp.sender, recipients, body), smtp)
    if conn is not None:
        audit.mark_alert_sent(conn, dag_id, run_id, kind)
    log.info("alert sent to %s: %s", ", ".join(recipients), subject)
    return {"sent": True, "subject": subject, "to": recipients}


def _dataset_line(dag_id: str) -> str | None:
    try:
        from satudata.catalog import load_catalog

        catalog = load_catalog()
        contract = catalog.contracts.get(dag_id)
    except Exception:  # noqa: BLE001 - the message matters more than its decoration
        return None
    if contract is None:
        return None
    return ALERT["dataset"].format(title=contract.title, dinas=catalog.dinas[contract.dinas].nama)


def failure_message(dag_id: str, run_id: str, task_id: str, tries: int, logical_date: str, error: str,
                    log_url: str | None) -> tuple[str, str]:
    lines = [ALERT["greeting"], "", ALERT["failure_intro"].format(task_id=task_id, dag_id=dag_id, tries=tries)]
    dataset = _dataset_line(dag_id)
    if dataset:
        lines.append(dataset)
    lines += [ALERT["run"].format(run_id=run_id, logical_date=logical_date), "",
              ALERT["error"].format(error=error[:ERROR_CHARS])]
    if log_url:
        lines += ["", ALERT["log"].format(url=log_url)]
    lines += [ALERT["board"].format(url=board_url()), "", ALERT["closing"]]
    return ALERT["failure_subject"].format(dag_id=dag_id, run_id=run_id), "\n".join(lines)


def _warehouse():
    from satudata import warehouse

    try:
        return warehouse.connect(connect_timeout=10)
    except Exception as exc:  # noqa: BLE001
        log.warning("warehouse unreachable, alert sent without de-duplication: %s", exc)
        return None


def on_failure(context) -> None:
    """on_failure_callback of every task: one message per failed DAG run."""
    try:
        ti = context["ti"]
        exc = context.get("exception")
        error = f"{type(exc).__name__}: {exc}" if exc is not None else "(tanpa keterangan)"
        logical = context.get("logical_date")
        try:
            log_url = ti.log_url
        except Exception:  # noqa: BLE001 - the API server's base URL may not be configured
            log_url = None
        subject, body = failure_message(ti.dag_id, ti.run_id, ti.task_id, int(ti.try_number or 1),
                                        logical.isoformat() if logical else "-", error, log_url)
        conn = _warehouse()
        try:
            raise_incident(conn, ti.dag_id, ti.run_id, "failure", subject, body, task_id=ti.task_id,
                           try_number=ti.try_number, error=error[:ERROR_CHARS])
        finally:
            if conn is not None:
                conn.close()
    except Exception:  # a callback must not fail the scheduler's handling
        log.exception("failure alert could not be raised")


def late_run(context: dict, **_: object) -> None:
    """Deadline callback: the run was queued long ago and has not finished."""
    try:
        run = context.get("dag_run") or {}
        dag_id, run_id = run.get("dag_id", "-"), run.get("dag_run_id") or run.get("run_id", "-")
        deadline = (context.get("deadline") or {}).get("deadline_time", "-")
        lines = [ALERT["greeting"], "", ALERT["late_intro"].format(run_id=run_id, dag_id=dag_id, deadline=deadline)]
        dataset = _dataset_line(dag_id)
        if dataset:
            lines.append(dataset)
        lines += [ALERT["run"].format(run_id=run_id, logical_date=run.get("logical_date") or "-"),
                  ALERT["board"].format(url=board_url()), "", ALERT["closing"]]
        conn = _warehouse()
        try:
            raise_incident(conn, dag_id, run_id, "late", ALERT["late_subject"].format(dag_id=dag_id, run_id=run_id),
                           "\n".join(lines))
        finally:
            if conn is not None:
                conn.close()
    except Exception:  # a callback must not fail the scheduler's handling
        log.exception("late-run alert could not be raised")
