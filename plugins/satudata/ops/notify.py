"""Notify: one e-mail per run to the dinas contact and the stewards, when validation found something.

Sent on a critical failure, on quarantined rows and on warnings; a clean run sends nothing. The
message is in Bahasa Indonesia (satudata.messages.NOTIFY) and says what was found and how to fix
it, with the path (or URL, when SATUDATA_REPORTS_URL is set) of the full report. Transport and
SMTP settings are satudata.ops.mail's; audit.notifications keeps one row per run so that a re-run
report task does not write to the dinas twice.
"""
from __future__ import annotations

import logging
import os
from email.message import EmailMessage

from satudata import messages, settings
from satudata.catalog import Contract, Dinas
from satudata.ops import mail
from satudata.warehouse import audit

log = logging.getLogger(__name__)
NOTIFY_STATUSES = ("critical", "quarantined", "warning")


def report_link(page: str | None) -> str:
    """The report's URL under SATUDATA_REPORTS_URL when set, else its path."""
    if not page:
        return "-"
    base = settings.reports_url()
    if base:
        try:
            rel = os.path.relpath(page, settings.reports_dir()).replace(os.sep, "/")
            return f"{base}/{rel}"
        except ValueError:
            pass
    return page


def compose(validated: dict, contract: Contract, dinas: Dinas, sender: str = mail.SENDER,
            recipients: list[str] | None = None) -> EmailMessage:
    """The message for one run's validation result (the validate stage's kept dict)."""
    t = messages.NOTIFY
    period = validated.get("period") or "-"
    subject = t["subject"].format(status=messages.STATUS[validated["status"]], title=contract.title, period=period)
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
    return mail.message(subject, sender, recipients if recipients is not None else [dinas.kontak, *mail.stewards()],
                        "\n".join(lines))


def notify(validated: dict, contract: Contract, dinas: Dinas, conn=None) -> dict:
    """Send the run's message if its validation found something; return what was done."""
    status = validated.get("status")
    if status not in NOTIFY_STATUSES:
        return {"sent": False, "reason": f"status {status}: nothing to report"}
    run_id = validated["run_id"]
    if conn is not None and audit.notification_sent(conn, contract.id, run_id):
        return {"sent": False, "reason": "already sent for this run"}
    smtp = mail.smtp_settings()
    recipients = [dinas.kontak, *mail.stewards()]
    msg = compose(validated, contract, dinas, smtp.sender if smtp else mail.SENDER, recipients)
    if smtp is None:
        log.warning("no SMTP connection %r nor SATUDATA_SMTP_HOST: not sent to %s: %s", settings.smtp_conn_id(),
                    ", ".join(recipients), msg["Subject"])
        return {"sent": False, "reason": "no SMTP settings", "subject": msg["Subject"], "to": recipients}
    mail.send(msg, smtp)
    if conn is not None:
        audit.record_notification(conn, contract.id, run_id, status, recipients, msg["Subject"])
    log.info("notified %s: %s", ", ".join(recipients), msg["Subject"])
    return {"sent": True, "subject": msg["Subject"], "to": recipients}
