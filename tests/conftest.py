"""Test-wide settings: a private var/ folder and Airflow home, set before anything imports Airflow."""
import email
import email.policy
import os

import pytest

from .support import ROOT, VAR, free_port

os.environ["SATUDATA_HOME"] = str(ROOT)
os.environ["SATUDATA_VAR_DIR"] = str(VAR)
os.environ["AIRFLOW_HOME"] = str(VAR / "airflow")
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(ROOT / "dags")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ.setdefault("AIRFLOW__LOGGING__LOGGING_LEVEL", "WARNING")


@pytest.fixture
def smtp(monkeypatch):
    """A real SMTP server (aiosmtpd) on a free port that notify sends to; yields the messages it got, parsed
    as a mail client reads them (`email.policy.default`: decoded headers, `get_body()`). The server stores a
    message before it answers the sender, so a message is in the list as soon as sending returns."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Message

    received: list = []

    class Keep(Message):
        def handle_message(self, message):
            received.append(email.message_from_bytes(message.as_bytes(), policy=email.policy.default))

    port = free_port()
    controller = Controller(Keep(), hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("SATUDATA_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("SATUDATA_SMTP_PORT", str(port))
    monkeypatch.setenv("SATUDATA_STEWARDS_EMAIL", "walidata@bekasikab.go.id")
    monkeypatch.setenv("SATUDATA_SMTP_CONN_ID", "satudata_test_no_such_connection")
    yield received
    controller.stop()
