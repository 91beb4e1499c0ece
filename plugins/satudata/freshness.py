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

from satudata.contracts import Catalog

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

# Every sentence the stewards read about freshness (board and e-mail).
TEXT = {
    "hijau": "Segar",
    "kuning": "Terlambat",
    "merah": "Sangat terlambat",
    "tidak_tentu": "Tidak berjadwal",
    "never": "Belum pernah berhasil dimuat.",
    "age": "Dimuat terakhir {age} lalu ({when}); dijanjikan {frekuensi} (setiap {promise}).",
    "age_free": "Dimuat terakhir {age} lalu ({when}); frekuensi tidak tentu.",
    "subject": "[Satu Data Bekasi] Kesegaran data: {n} dataset terlambat ({date})",
    "greeting": "Yth. Walidata,",
    "intro": "Pemeriksaan kesegaran data tanggal {date} menemukan dataset yang lebih lama dari frekuensi "
             "yang dijanjikan:",
    "item": "- [{label}] {title} ({dinas}, {frekuensi}): {detail}{new}",
    "new": " (baru)",
    "closing": "Periksa papan status, lalu jalankan ulang DAG dataset tersebut di Airflow atau hubungi dinas "
               "produsennya.\n\nSalam,\nSatu Data Bekasi",
    "board": "Papan status: {url}",
}


@dataclass(frozen=True)
class Freshness:
    frekuensi: str
    level: str
    last_success: datetime | None
    age: timedelta | None
    due: datetime | None  # the moment the dataset stops being fresh

    @property
    def label(self) -> str:
        return TEXT[self.level]

    @property
    def detail(self) -> str:
        if self.last_success is None:
            return TEXT["never"]
        when = self.last_success.strftime("%Y-%m-%d %H:%M UTC")
        if self.frekuensi not in PROMISE:
            return TEXT["age_free"].format(age=human(self.age), when=when)
        return TEXT["age"].format(age=human(self.age), when=when, frekuensi=self.frekuensi,
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


def last_successes(conn, at: datetime) -> dict[str, datetime]:
    """The last successful load of every dataset up to `at` (later loads do not count for `at`).

    An incremental dataset whose run found nothing new since its watermark is as fresh as that run:
    the warehouse already holds everything the source had.
    """
    rows = conn.execute("SELECT dataset_id, max(finished_at) FROM audit.runs"
                        " WHERE status = 'success' AND finished_at <= %s AND (stage = 'load' OR"
                        "  (stage = 'extract' AND rows_out = 0 AND (details ->> 'incremental')::boolean))"
                        " GROUP BY dataset_id", (at,)).fetchall()
    return dict(rows)


def check(catalog: Catalog, conn, at: datetime) -> dict[str, Freshness]:
    loaded = last_successes(conn, at)
    return {c.id: classify(c.frekuensi, loaded.get(c.id), at) for c in catalog.contracts.values()}


def previous_levels(conn, at: datetime) -> dict[str, str]:
    rows = conn.execute("SELECT DISTINCT ON (dataset_id) dataset_id, level FROM audit.freshness"
                        " WHERE checked_for < %s ORDER BY dataset_id, checked_for DESC", (at,)).fetchall()
    return dict(rows)


def record(conn, found: dict[str, Freshness], at: datetime) -> None:
    with conn.transaction():
        conn.cursor().executemany(
            "INSERT INTO audit.freshness (dataset_id, checked_for, frekuensi, level, last_success)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT (dataset_id, checked_for) DO UPDATE SET"
            " level = EXCLUDED.level, last_success = EXCLUDED.last_success, recorded_at = clock_timestamp()",
            [(dataset_id, at, f.frekuensi, f.level, f.last_success) for dataset_id, f in found.items()])


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
    lines = [TEXT["greeting"], "", TEXT["intro"].format(date=date), ""]
    for dataset_id in late:
        contract, f = catalog.contracts[dataset_id], found[dataset_id]
        lines.append(TEXT["item"].format(label=f.label.upper(), title=contract.title,
                                         dinas=catalog.dinas[contract.dinas].singkatan, frekuensi=f.frekuensi,
                                         detail=f.detail, new=TEXT["new"] if dataset_id in new else ""))
    if board_url:
        lines += ["", TEXT["board"].format(url=board_url)]
    lines += ["", TEXT["closing"]]
    return TEXT["subject"].format(n=len(late), date=date), "\n".join(lines)


def monitor(catalog: Catalog, conn, at: datetime, run_id: str) -> dict:
    """Check every dataset at `at`, keep the result, tell the stewards about what newly turned late."""
    from satudata import alerts

    found = check(catalog, conn, at)
    new = newly_late(found, previous_levels(conn, at))
    record(conn, found, at)
    summary = {"checked_for": at.isoformat(), "levels": {d: f.level for d, f in found.items()}, "newly_late": new}
    if new:
        subject, body = compose(catalog, found, new, at, alerts.board_url())
        summary["notification"] = alerts.raise_incident(conn, "freshness_monitor", run_id, "freshness",
                                                        subject, body)
    log.info("freshness at %s: %s", at.isoformat(), summary)
    return summary
