"""Mail: the SMTP settings and the one way a message is sent (dinas notifications, stewards' alerts).

SMTP settings come from the Airflow connection `smtp_default` (SATUDATA_SMTP_CONN_ID; host, port,
login, password; extra `from_email`, `ssl`, `starttls`) or, without it, from SATUDATA_SMTP_HOST /
SATUDATA_SMTP_PORT / SATUDATA_SMTP_FROM. Without any SMTP setting a message is logged, not sent.
"""
from __future__ import annotations

import smtplib
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from satudata import settings

SENDER = "walidata@bekasikab.go.id"
MESSAGE_DOMAIN = "satudata.bekasikab.go.id"


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
    return settings.stewards_emails()


def smtp_settings() -> Smtp | None:
    """The Airflow connection if it exists, else the environment, else None (log only)."""
    try:
        from satudata.connections import get_connection

        conn = get_connection(settings.smtp_conn_id())
    except Exception:  # noqa: BLE001 - a missing connection is a normal local setup
        conn = None
    if conn is not None and conn.host:
        extra = conn.extra_dejson or {}
        return Smtp(conn.host, int(conn.port or 25), conn.login or None, conn.password or None,
                    extra.get("from_email") or SENDER, bool(extra.get("ssl")), bool(extra.get("starttls")))
    env = settings.smtp_env()
    if env:
        host, port, sender = env
        return Smtp(host, port, sender=sender or SENDER)
    return None


def message(subject: str, sender: str, recipients: list[str], body: str) -> EmailMessage:
    """A plain-text UTF-8 message with the headers every message of the project carries."""
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = subject, sender, ", ".join(recipients)
    msg["Date"] = formatdate(localtime=True)
    msg["Message-ID"] = make_msgid(domain=MESSAGE_DOMAIN)
    msg.set_content(body, charset="utf-8")
    return msg


def send(msg: EmailMessage, smtp: Smtp) -> None:
    cls = smtplib.SMTP_SSL if smtp.ssl else smtplib.SMTP
    with cls(smtp.host, smtp.port, timeout=30) as client:
        if smtp.starttls:
            client.starttls()
        if smtp.login:
            client.login(smtp.login, smtp.password or "")
        client.send_message(msg)
