"""Classification changes on CKAN as a state machine: tighten first, loosen last, withdraw completely.

The state on CKAN is one of `absent`, `terbuka` (public), `terbatas` (private to the organization);
the contract's `klasifikasi` is the target. Every pair has its steps (TRANSITIONS):

- tightening happens before anything else is written: terbuka → terbatas makes the dataset private
  before one new row is sent, so a failure later leaves it private, never public with new rows;
- terbuka/terbatas → tertutup withdraws it: DataStore tables dropped, files removed, dataset purged
  (`satudata_dataset_withdraw` of the project's CKAN extension), nothing else written;
- loosening (→ terbuka) is the last write of a publish, after the new content is complete.

A steward's takedown by hand in CKAN (the dataset deleted, made private while the pipeline had it
public, or purged) is recognised against what the pipeline last left (audit.portal_state) and holds:
nothing is published again until the contract's `publish.tayang_ulang` is a date on or after the day
the takedown was found. Withdrawing (→ tertutup) is always allowed.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime

from satudata.catalog import Contract
from satudata.warehouse import audit

log = logging.getLogger(__name__)

TRANSITIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("absent", "terbuka"): ("create_private", "content", "loosen"),
    ("absent", "terbatas"): ("create_private", "content"),
    ("absent", "tertutup"): (),
    ("terbuka", "terbuka"): ("content",),
    ("terbuka", "terbatas"): ("tighten", "content"),
    ("terbuka", "tertutup"): ("withdraw",),
    ("terbatas", "terbuka"): ("content", "loosen"),
    ("terbatas", "terbatas"): ("content",),
    ("terbatas", "tertutup"): ("withdraw",),
}


@dataclass(frozen=True)
class Plan:
    current: str
    target: str
    steps: tuple[str, ...]
    held: str | None = None  # why a takedown by hand holds (no write at all)

    @property
    def tighten(self) -> bool:
        return "tighten" in self.steps


def current_state(package: dict | None) -> str:
    if package is None or package.get("state") == "deleted":
        return "absent"
    return "terbatas" if package.get("private") else "terbuka"


def takedown(package: dict | None, recorded: dict | None) -> str | None:
    """What a steward did by hand since the pipeline's last write, or None."""
    if not recorded or recorded.get("withdrawn") or not recorded.get("ckan_package"):
        return recorded.get("takedown_what") if recorded and recorded.get("takedown_at") else None
    if recorded.get("takedown_at"):
        return recorded.get("takedown_what")
    if package is None:
        return "purged"
    if package.get("state") == "deleted":
        return "deleted"
    if package.get("private") and recorded.get("private") is False:
        return "private"
    return None


def cleared(contract: Contract, recorded: dict | None) -> bool:
    """The contract says the dataset may return (tayang_ulang on or after the day the takedown was found)."""
    when = contract.publish.tayang_ulang
    found = (recorded or {}).get("takedown_at")
    return bool(when and (found is None or when >= found.date()))


def plan(contract: Contract, package: dict | None, recorded: dict | None) -> Plan:
    target = contract.klasifikasi
    current = current_state(package)
    steps = TRANSITIONS[(current, target)]
    if package is not None and package.get("state") == "deleted" and target != "tertutup":
        steps = ("withdraw", *TRANSITIONS[("absent", target)])  # start again from nothing
    elif package is not None and package.get("state") == "deleted":
        steps = ("withdraw",)
    what = takedown(package, recorded)
    if (what and target != "tertutup" and not cleared(contract, recorded)
            and not (what == "private" and target == "terbatas")):
        return Plan(current, target, (), held=what)
    return Plan(current, target, steps)


def find(call, contract: Contract) -> dict | None:
    from ckanapi import NotFound

    try:
        return call("package_show", id=contract.ckan_name)
    except NotFound:
        return None


def may_be_on_ckan(conn, contract: Contract) -> bool:
    """Whether the dataset may be on CKAN (so a tertutup one must be looked up and withdrawn)."""
    recorded = audit.portal_state(conn, contract.id)
    if recorded is not None:
        return not recorded["withdrawn"]
    return audit.ever_published(conn, contract.id)


def record(conn, contract: Contract, package: dict | None, withdrawn: bool = False) -> None:
    audit.store_portal_state(conn, contract.id, package["id"] if package else None,
                             bool(package["private"]) if package else None, withdrawn)


def record_takedown(conn, contract: Contract, recorded: dict | None, what: str) -> None:
    recorded = recorded or {}
    if recorded.get("takedown_at"):
        return
    log.warning("%s was taken down by hand on CKAN (%s): it stays down until publish.tayang_ulang says "
                "otherwise", contract.id, what)
    audit.store_portal_state(conn, contract.id, recorded.get("ckan_package"), recorded.get("private"),
                             bool(recorded.get("withdrawn")), datetime.now(UTC), what)
