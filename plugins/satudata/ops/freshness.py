"""Freshness: is each dataset as recent as its promised frequency (`frekuensi`) says it should be?

A dataset is *fresh* from the time of its last successful load (audit.runs, stage `load`) for as
long as its frequency promises, then *kuning* (late, within a grace period), then *merah* (overdue,
or never loaded). `classify` is a pure function of the dates it is given: the freshness_monitor DAG
passes its logical date, never the clock, so a re-run of a past day gives the same answer.

The stewards get one e-mail per check when a dataset turned kuning or merah since the previous check
(not every day while it stays late: the status board shows that).
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from satudata.catalog import Catalog
from satudata.messages import FRESHNESS
from satudata.warehouse import audit

log = logging.getLogger(__name__)

# What each frequency promises, and how long after that a dataset is only "late" (kuning) before
# it is "overdue" (merah). Tidak Tentu promises nothing: it is never late.
PROMISE: dict[str, timedelta] = {
    "Harian": timedelta(days=1),
    "Mingguan": timedelta(days=7),
    "Bulanan": timedelta(days=31),
    "Triwulanan": timedelta(days=92),
    "Semesteran": timedelta(days=183),
    "Tahunan": timedelta(days=366),
}
GRACE: dict[str, timedelta] = {
    "Harian": timedelta(days=1),
    "Mingguan": timedelta(days=3),
    "Bulanan": timedelta(days=7),
    "Triwulanan": timedelta(days=14),
    "Semesteran": timedelta(days=30),
    "Tahunan": timedelta(days=30),
}
LEVELS = ("hijau", "kuning", "merah", "tidak_tentu")
SEVERITY = {"tidak_tentu": 0, "hijau": 0, "kuning": 1, "merah": 2}



@dataclass(frozen=True)
class Freshness:
    frekuensi: str
    level: str
    last_success: datetime | None
    age: timedelta | None
    due: datetime | None  # the moment the dataset stops being fresh

    @property
    def label(self) -> str:
        return FRESHNESS[self.level]

    @property
    def detail(self) -> str:
        if self.last_success is None:
            return FRESHNESS["never"]
        when = self.last_success.strftime("%Y-%m-%d %H:%M UTC")
        if self.frekuensi not in PROMISE:
            return FRESHNESS["age_free"].format(age=human(self.age), when=when)
        return FRESHNESS["age"].format(age=human(self.age), when=when, frekuensi=self.frekuensi,
                                  promise=human(PROMISE[self.frekuensi]))


def human(delta: timedelta | None) -> str:
    """'3 hari', '5 jam', '12 menit' (rounded down: a steward wants the order of magnitude)."""
    if delta is None:
        return "-"
    seconds = max(int(delta.total_seconds()), 0)
    if seconds >= 86_400:
        return f"{seconds // 86_400} hari"
    if seconds >= 3_600:
        return f"{seconds // 3_600} jam"
    return f"{seconds // 60} menit"


def classify(frekuensi: str, last_success: datetime | None, at: datetime) -> Freshness:
    """The freshness of a dataset last loaded at `last_success`, seen at `at` (both time-zone aware)."""
    promise = PROMISE.get(frekuensi)
    if last_success is None:
        return Freshness(frekuensi, "merah" if promise else "tidak_tentu", None, None, None)
    age = max(at - last_success, timedelta(0))
    if promise is None:
        return Freshness(frekuensi, "tidak_tentu", last_success, age, None)
    if age <= promise:
        level = "hijau"
    elif age <= promise + GRACE[frekuensi]:
        level = "kuning"
    else:
        level = "merah"
    return Freshness(frekuensi, level, last_success, age, last_success + promise)


def check(catalog: Catalog, conn, at: datetime) -> dict[str, Freshness]:
    loaded = audit.last_successes(conn, at)
    return {c.id: classify(c.frekuensi, loaded.get(c.id), at) for c in catalog.contracts.values()}


def newly_late(found: dict[str, Freshness], before: dict[str, str]) -> list[str]:
    """Datasets that are kuning or merah now and were better (or unchecked) at the previous check."""
    return sorted(d for d, f in found.items()
                  if SEVERITY[f.level] > 0 and SEVERITY[f.level] > SEVERITY.get(before.get(d, "hijau"), 0))


def compose(catalog: Catalog, found: dict[str, Freshness], new: list[str], at: datetime,
            board_url: str | None = None) -> tuple[str, str]:
    """Subject and body of the stewards' message: every late dataset, the new ones marked."""
    late = sorted((d for d, f in found.items() if SEVERITY[f.level] > 0),
                  key=lambda d: (-SEVERITY[found[d].level], d))
    date = at.strftime("%Y-%m-%d")
    lines = [FRESHNESS["greeting"], "", FRESHNESS["intro"].format(date=date), ""]
    for dataset_id in late:
        contract, f = catalog.contracts[dataset_id], found[dataset_id]
        lines.append(FRESHNESS["item"].format(label=f.label.upper(), title=contract.title,
                                         dinas=catalog.dinas[contract.dinas].singkatan, frekuensi=f.frekuensi,
                                         detail=f.detail, new=FRESHNESS["new"] if dataset_id in new else ""))
    if board_url:
        lines += ["", FRESHNESS["board"].format(url=board_url)]
    lines += ["", FRESHNESS["closing"]]
    return FRESHNESS["subject"].format(n=len(late), date=date), "\n".join(lines)


def monitor(catalog: Catalog, conn, at: datetime, run_id: str) -> dict:
    """Check every dataset at `at`, keep the result, tell the stewards about what newly turned late."""
    from satudata.ops import alerts

    found = check(catalog, conn, at)
    new = newly_late(found, audit.previous_freshness(conn, at))
    audit.record_freshness(conn, found, at)
    summary = {"checked_for": at.isoformat(), "levels": {d: f.level for d, f in found.items()}, "newly_late": new}
    if new:
        subject, body = compose(catalog, found, new, at, alerts.board_url())
        summary["notification"] = alerts.raise_incident(conn, "freshness_monitor", run_id, "freshness",
                                                        subject, body)
    log.info("freshness at %s: %s", at.isoformat(), summary)
    return summary
