"""Notify: one e-mail per run to the dinas contact and the stewards, when validation found something.

Sent on a critical failure, on quarantined rows and on warnings; a clean run sends nothing. The
message is in Bahasa Indonesia (satudata.messages.NOTIFY) and says what was found and how to fix
it, with the path (or URL, when SATUDATA_REPORTS_URL is set) of the full report.

SMTP settings come from the Airflow connection `smtp_default` (host, port, login, password; extra
`from_email`, `ssl`, `starttls`) or, without it, from SATUDATA_SMTP_HOST / SATUDATA_SMTP_PORT /
SATUDATA_SMTP_FROM. Stewards are SATUDATA_STEWARDS_EMAIL (comma-separated). Without any SMTP
setting the message is logged, not sent. audit.notifications keeps one row per run so that a
re-run report task does not write to the dinas twice.
"""
from __future__ import annotations

import logging
import os
import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from satudata import messages, settings
from satudata.contracts import Contract, Dinas

log = logging.getLogger(__name__)
NOTIFY_STATUSES = ("critical", "quarantined", "warning")
SENDER = "walidata@bekasikab.go.id"
SMTP_CONN_ID = os.environ.get("SATUDATA_SMTP_CONN_ID", "smtp_default")


@dataclass(frozen=True)
class Smtp:
    host: str
    port: int = 25
    login: str | None = None
    password: str | None = None
    sender: str = SENDER
    ssl: bool = False
    starttls: bool = False


def stewards() -> list[str]:
    return [a.strip() for a in os.environ.get("SATUDATA_STEWARDS_EMAIL", "").split(",") if a.strip()]


def smtp_settings() -> Smtp | None:
    """The Airflow connection if it exists, else the environment, else None (log only)."""
    try:
        from satudata.connections import get_connection

        conn = get_connection(SMTP_CONN_ID)
    except Exception:  # noqa: BLE001 - a missing connection is a normal local setup
        conn = None
    if conn is not None and conn.host:
        extra = conn.extra_dejson or {}
        return Smtp(conn.host, int(conn.port or 25), conn.login or None, conn.password or None,
                    extra.get("from_email") or SENDER, bool(extra.get("ssl")), bool(extra.get("starttls")))
    host = os.environ.get("SATUDATA_SMTP_HOST")
    if host:
        return Smtp(host, int(os.environ.get("SATUDATA_SMTP_PORT", "25")),
                    sender=os.environ.get("SATUDATA_SMTP_FROM") or SENDER)
    return None


def report_link(page: str | None) -> str:
    """The report's URL under SATUDATA_REPORTS_URL when set, else its path."""
    if not page:
        return "-"
    base = os.environ.get("SATUDATA_REPORTS_URL")
    if base:
        try:
            rel = os.path.relpath(page, settings.reports_dir()).replace(os.sep, "/")
            return f"{base.rstrip('/')}/{rel}"
        except ValueError:
            pass
    return page


def compose(validated: dict, contract: Contract, dinas: Dinas, sender: str = SENDER,
            recipients: list[str] | None = None) -> EmailMessage:
    """The message for one run's validation result (the validate stage's kept dict)."""
    t = messages.NOTIFY
    period = validated.get("period") or "-"
    msg = EmailMessage()
    msg["Subject"] = t["subject"].format(status=messages.STATUS[validated["status"]], title=contract.title,
                                         period=period)
    msg["From"] = sender
    msg["To"] = ", ".join(recipients if recipients is not None else [dinas.kontak, *stewards()])
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain="satudata.bekasikab.go.id")
    lines = [t["greeting"].format(dinas=dinas.nama), "",
             t["intro"].format(title=contract.title, period=period, checked_at=validated.get("checked_at", "-")),
             "", t["result"].format(summary=validated["summary"])]
    failed = [f for f in validated.get("findings", []) if not f.get("success")]
    if failed:
        lines += ["", t["findings"]]
        for f in failed:
            lines.append(t["item"].format(severity=messages.SEVERITY.get(f["severity"], f["severity"]),
                                          message=f["message"], fix=f["fix"]))
    lines += ["", t["report"].format(report=report_link(validated.get("report"))), "", t["closing"]]
    msg.set_content("\n".join(lines), charset="utf-8")
    return msg


def send(msg: EmailMessage, smtp: Smtp) -> None:
    cls = smtplib.SMTP_SSL if smtp.ssl else smtplib.SMTP
    with cls(smtp.host, smtp.port, timeout=30) as client:
        if smtp.starttls:
            client.starttls()
        if smtp.login:
            client.login(smtp.login, smtp.password or "")
        client.send_message(msg)


def already_sent(conn, dataset_id: str, run_id: str) -> bool:
    row = conn.execute("SELECT 1 FROM audit.notifications WHERE dataset_id = %s AND run_id = %s",
                       (dataset_id, run_id)).fetchone()
    return row is not None


def notify(validated: dict, contract: Contract, dinas: Dinas, conn=None) -> dict:
    """Send the run's message if its validation found something; return what was done."""
    status = validated.get("status")
    if status not in NOTIFY_STATUSES:
        return {"sent": False, "reason": f"status {status}: nothing to report"}
    run_id = validated["run_id"]
    if conn is not None and already_sent(conn, contract.id, run_id):
        return {"sent": False, "reason": "already sent for this run"}
    smtp = smtp_settings()
    recipients = [dinas.kontak, *stewards()]
    msg = compose(validated, contract, dinas, smtp.sender if smtp else SENDER, recipients)
    if smtp is None:
        log.warning("no SMTP connection %r nor SATUDATA_SMTP_HOST: not sent to %s: %s", SMTP_CONN_ID,
                    ", ".join(recipients), msg["Subject"])
        return {"sent": False, "reason": "no SMTP settings", "subject": msg["Subject"], "to": recipients}
    send(msg, smtp)
    if conn is not None:
        with conn.transaction():
            conn.execute("INSERT INTO audit.notifications (dataset_id, run_id, status, recipients, subject)"
                         " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (dataset_id, run_id) DO NOTHING",
                         (contract.id, run_id, status, recipients, msg["Subject"]))
    log.info("notified %s: %s", ", ".join(recipients), msg["Subject"])
    return {"sent": True, "subject": msg["Subject"], "to": recipients}
