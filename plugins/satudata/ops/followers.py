"""Followers told: after a release that changed a dataset's data, each CKAN follower gets one e-mail.

CKAN lists a dataset's followers only to a sysadmin (`dataset_follower_list`), so this reads them
with the admin connection; each follower's address comes from `user_show`. Called once per release
(the publish that marked it published), never for an unchanged rerun.
"""
from __future__ import annotations

import logging

from satudata.messages import FOLLOWER_MAIL
from satudata.ops import mail

log = logging.getLogger(__name__)


def tell(admin, package: str, title: str, release: dict, url: str, download: str) -> list[str]:
    """Send each follower of `package` the release's change summary; return the addresses written to."""
    smtp = mail.smtp_settings()
    sent = []
    for follower in admin.action.dataset_follower_list(id=package):
        user = admin.action.user_show(id=follower["id"])
        if not user.get("email") or user.get("state") != "active":
            continue
        body = FOLLOWER_MAIL["body"].format(
            name=user.get("fullname") or user["name"], title=title, versi=release["versi"],
            tanggal=release["released_at"][:10], lines="\n".join(f"- {line}" for line in release["changes"]["lines"]),
            url=url, download=download or url)
        msg = mail.message(FOLLOWER_MAIL["subject"].format(versi=release["versi"], title=title), smtp.sender
                           if smtp else mail.SENDER, [user["email"]], body)
        if smtp is None:
            log.info("no SMTP configured; follower mail for %s not sent", package)
            continue
        mail.send(msg, smtp)
        sent.append(user["email"])
    log.info("release %s of %s: %d follower(s) told", release["versi"], package, len(sent))
    return sent
