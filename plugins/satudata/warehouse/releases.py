"""Releases: every publish that changes a dataset's public data becomes a numbered release in `history`.

A release (history.releases) has a number `versi` (year of release + sequence in that year, e.g.
2026.2), its date, run, the steward's catatan, the change log (satudata.warehouse.changelog) and the
sha256 of its CSV. Rows live in history.rows as validity ranges over release sequence numbers: a row
unchanged between releases is stored once. Each row keeps its exact CSV text (without the row number),
taken from the published file itself, so `as_of` rebuilds the published CSV byte for byte.

A release is prepared `pending` in one transaction (rows + entry together), the portal writes follow,
then it is marked `published`; a rerun with the same content reuses a pending release, one with other
content replaces it. An advisory lock per dataset makes concurrent runs produce one release.
"""
from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import psycopg
from psycopg.types.json import Jsonb

from satudata.catalog import Contract
from satudata.warehouse import changelog
from satudata.warehouse.curated import public_columns

WIB = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class Release:
    dataset_id: str
    seq: int
    versi: str
    released_at: str
    run_id: str
    catatan: str | None
    changes: dict
    row_count: int
    content_sha256: str
    state: str
    new: bool = False  # prepared by this call

    def to_dict(self) -> dict:
        return asdict(self)

    @property
    def tanggal(self) -> str:
        return self.released_at[:10]


def records(path: Path) -> tuple[str, list[str]]:
    """The header line and every record's raw text (a quoted value may hold a newline), as written."""
    text = path.read_text(encoding="utf-8")
    out, start, quoted = [], 0, False
    for i, ch in enumerate(text):
        if ch == '"':
            quoted = not quoted
        elif ch == "\n" and not quoted:
            out.append(text[start:i])
            start = i + 1
    if start < len(text):
        out.append(text[start:])
    return (out[0], out[1:]) if out else ("", [])


def _sort_value(value: str, typ: str):
    if typ in ("bigint", "numeric"):
        try:
            return int(value) if typ == "bigint" else float(value)
        except ValueError:
            return value
    return value


def parse(contract: Contract, path: Path) -> tuple[str, list[tuple[list, list, str, dict]]]:
    """(header line, [(row key, sort key, line without its row number, row)]) of a published CSV."""
    header_line, raw = records(path)
    header = next(csv.reader([header_line]))[1:]  # without `id`
    types = dict(public_columns(contract))
    order = [contract.period_column, *[k for k in contract.primary_key if k != contract.period_column]]
    out = []
    for line in raw:
        body = line.split(",", 1)[1]
        row = dict(zip(header, next(csv.reader(io.StringIO(body))), strict=True))
        out.append(([row[k] for k in contract.primary_key], [_sort_value(row[k], types.get(k, "text")) for k in order],
                    body, row))
    return header_line, out


def _snapshot(header_line: str, lines: list[tuple[list, str]]) -> changelog.Snapshot:
    header = next(csv.reader([header_line]))[1:]
    snap = changelog.Snapshot(header)
    for key, body in lines:
        snap.rows[tuple(key)] = dict(zip(header, next(csv.reader(io.StringIO(body))), strict=True))
    return snap


_COLUMNS = "dataset_id, seq, versi, released_at, run_id, catatan, changes, row_count, content_sha256, state"


def _release(row) -> Release:
    return Release(row[0], row[1], row[2], row[3].astimezone(WIB).isoformat(timespec="seconds"), row[4], row[5],
                   row[6], row[7], row[8], row[9])


def latest(conn: psycopg.Connection, dataset_id: str, state: str | None = None) -> Release | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM history.releases WHERE dataset_id = %s"
                       " AND (%s::text IS NULL OR state = %s) ORDER BY seq DESC LIMIT 1",
                       (dataset_id, state, state)).fetchone()
    return _release(row) if row else None


def published(conn: psycopg.Connection, dataset_id: str) -> list[Release]:
    """Every published release, newest first (the public change log)."""
    rows = conn.execute(f"SELECT {_COLUMNS} FROM history.releases WHERE dataset_id = %s AND state = 'published'"
                        " ORDER BY seq DESC", (dataset_id,)).fetchall()
    return [_release(r) for r in rows]


def _commit(conn: psycopg.Connection) -> None:
    """End the caller's open (read) transaction: a release is durable before the portal hears of it."""
    if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
        conn.commit()


def _discard_pending(conn: psycopg.Connection, dataset_id: str, seq: int) -> None:
    conn.execute("DELETE FROM history.rows WHERE dataset_id = %s AND valid_from = %s", (dataset_id, seq))
    conn.execute("UPDATE history.rows SET valid_to = NULL WHERE dataset_id = %s AND valid_to = %s", (dataset_id, seq))
    conn.execute("DELETE FROM history.releases WHERE dataset_id = %s AND seq = %s", (dataset_id, seq))


def _versi(conn: psycopg.Connection, dataset_id: str, at: datetime) -> str:
    year = at.astimezone(WIB).year
    n = conn.execute("SELECT count(*) FROM history.releases WHERE dataset_id = %s AND versi LIKE %s",
                     (dataset_id, f"{year}.%")).fetchone()[0]
    return f"{year}.{n + 1}"


def prepare(conn: psycopg.Connection, contract: Contract, csv_path: Path, run_id: str,
            catatan: str | None = None, now: datetime | None = None) -> Release:
    """The release holding the CSV's content: the latest one when the content is unchanged, else a new
    pending release (its rows and change log written together, in one transaction)."""
    digest = hashlib.sha256(csv_path.read_bytes()).hexdigest()
    _commit(conn)
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", (f"satudata:release:{contract.id}",))
        last = latest(conn, contract.id)
        if last and last.content_sha256 == digest:
            return last
        if last and last.state == "pending":
            _discard_pending(conn, contract.id, last.seq)
        previous = latest(conn, contract.id, "published")
        header_line, rows = parse(contract, csv_path)
        old = None
        if previous:
            head = conn.execute("SELECT header FROM history.releases WHERE dataset_id = %s AND seq = %s",
                                (contract.id, previous.seq)).fetchone()[0]
            current = conn.execute("SELECT row_key, line FROM history.rows WHERE dataset_id = %s AND valid_to IS NULL",
                                   (contract.id,)).fetchall()
            old = _snapshot(head, current)
        new = changelog.Snapshot(next(csv.reader([header_line]))[1:], {tuple(k): r for k, _, _, r in rows})
        changes = changelog.diff(contract, old, new, catatan)
        at = now or datetime.now(UTC)
        seq = (previous.seq if previous else 0) + 1
        versi = _versi(conn, contract.id, at)
        conn.execute("INSERT INTO history.releases (dataset_id, seq, versi, released_at, run_id, catatan, header,"
                     " changes, row_count, content_sha256) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)",
                     (contract.id, seq, versi, at, run_id, catatan, header_line, Jsonb(changes), len(rows), digest))
        conn.execute("CREATE TEMP TABLE release_rows (row_key jsonb, sort_key jsonb, line text) ON COMMIT DROP")
        with conn.cursor().copy("COPY release_rows (row_key, sort_key, line) FROM STDIN") as cp:
            for key, sort_key, body, _ in rows:
                cp.write_row([json.dumps(key, ensure_ascii=False), json.dumps(sort_key, ensure_ascii=False), body])
        # rows that changed or went: their range ends here; rows that are new or changed: a range starts
        conn.execute("UPDATE history.rows r SET valid_to = %s WHERE r.dataset_id = %s AND r.valid_to IS NULL"
                     " AND NOT EXISTS (SELECT 1 FROM release_rows t WHERE t.row_key = r.row_key AND t.line = r.line)",
                     (seq, contract.id))
        conn.execute("INSERT INTO history.rows (dataset_id, row_key, sort_key, line, valid_from)"
                     " SELECT %s, t.row_key, t.sort_key, t.line, %s FROM release_rows t WHERE NOT EXISTS ("
                     " SELECT 1 FROM history.rows r WHERE r.dataset_id = %s AND r.valid_to IS NULL"
                     " AND r.row_key = t.row_key AND r.valid_from < %s)", (contract.id, seq, contract.id, seq))
        release = latest(conn, contract.id)
    return Release(**(release.to_dict() | {"new": True}))


def mark_published(conn: psycopg.Connection, dataset_id: str, seq: int) -> bool:
    """Mark a release published; True when this call did it (the one that tells followers)."""
    _commit(conn)
    with conn.transaction():
        done = conn.execute("UPDATE history.releases SET state = 'published' WHERE dataset_id = %s AND seq = %s"
                            " AND state = 'pending'", (dataset_id, seq)).rowcount
    return bool(done)


def release_on(conn: psycopg.Connection, dataset_id: str, day: date) -> Release | None:
    """The release the public saw at the end of `day` (WIB)."""
    row = conn.execute(f"SELECT {_COLUMNS} FROM history.releases WHERE dataset_id = %s AND state = 'published'"
                       " AND (released_at AT TIME ZONE 'Asia/Jakarta')::date <= %s ORDER BY seq DESC LIMIT 1",
                       (dataset_id, day)).fetchone()
    return _release(row) if row else None


def rebuild(conn: psycopg.Connection, dataset_id: str, seq: int) -> bytes:
    """The CSV of release `seq`, byte for byte as it was published."""
    header = conn.execute("SELECT header FROM history.releases WHERE dataset_id = %s AND seq = %s",
                          (dataset_id, seq)).fetchone()[0]
    lines = conn.execute("SELECT line FROM history.rows WHERE dataset_id = %s AND valid_from <= %s"
                         " AND (valid_to IS NULL OR valid_to > %s) ORDER BY sort_key", (dataset_id, seq, seq))
    out = io.StringIO()
    out.write(header + "\n")
    for i, (line,) in enumerate(lines, start=1):
        out.write(f"{i},{line}\n")
    return out.getvalue().encode("utf-8")


def as_of(conn: psycopg.Connection, dataset_id: str, day: date) -> tuple[Release | None, bytes | None]:
    release = release_on(conn, dataset_id, day)
    return (release, rebuild(conn, dataset_id, release.seq)) if release else (None, None)
