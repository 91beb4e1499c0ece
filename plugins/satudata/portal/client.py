"""The CKAN client of one publish: every call goes through here, transient failures retried, writes listed.

CKAN answers ~1 in 100 parallel DataStore writes with a 500 that wrote nothing, so idempotent writes
are retried with backoff; creates are not (a lost answer may hide a success: the next run finds the
object by name instead).
"""
from __future__ import annotations

import logging
import re
import time
from pathlib import Path

log = logging.getLogger(__name__)
RETRY_DELAYS = (0.5, 1.0, 2.0)
_NOT_RETRIED = {"package_create", "resource_create"}
_MIMETYPES = {".csv": "text/csv", ".md": "text/markdown"}
_STATUS = re.compile(r"^\[?'[^']*', (\d{3}),")


class Calls:
    """Every CKAN call of one publish goes through here: retries transient failures, lists the writes."""

    def __init__(self, ckan):
        self.ckan = ckan
        self.writes: list[str] = []

    def __call__(self, action: str, files: dict[str, Path] | None = None, **data):
        from ckanapi.errors import CKANAPIError
        from requests.exceptions import ConnectionError as RequestsConnectionError
        from requests.exceptions import Timeout

        write = not action.endswith(("_show", "_search"))
        delays = () if action in _NOT_RETRIED else RETRY_DELAYS
        for attempt in range(len(delays) + 1):
            handles = {k: (p.name, p.open("rb"), _MIMETYPES.get(p.suffix, "application/octet-stream"))
                       for k, p in (files or {}).items()}
            try:
                result = self.ckan.call_action(action, data_dict=data, files=handles or None)
                if write:
                    self.writes.append(action)
                return result
            except (CKANAPIError, RequestsConnectionError, Timeout) as exc:
                transient = not isinstance(exc, CKANAPIError) or _server_error(exc)
                if not transient or attempt == len(delays):
                    raise
                log.warning("CKAN %s failed (%s); retrying in %.1f s", action, str(exc)[:200], delays[attempt])
                time.sleep(delays[attempt])
            finally:
                for _, handle, _ in handles.values():
                    handle.close()
        raise AssertionError("unreachable")


def _server_error(exc: Exception) -> bool:
    """A CKANAPIError that is an HTTP 5xx (ckanapi puts [url, status, body] in its message)."""
    from ckanapi.errors import NotAuthorized, NotFound, ValidationError

    if isinstance(exc, (NotFound, NotAuthorized, ValidationError)):
        return False
    match = _STATUS.match(str(exc.args[0]) if exc.args else "")
    return bool(match) and match.group(1).startswith("5")
