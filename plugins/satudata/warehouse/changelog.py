"""The change log of a release: what differs between the public rows of two releases, in Indonesian.

Pure functions of two snapshots (header + rows by primary key, values as the CSV writes them):
periods added/removed with row counts, values revised per period (counts, regions, the largest
old → new), region codes changed (a row whose key lost one code and gained another with the same
region name, e.g. a desa re-coded as kelurahan), columns added, removed or renamed, the steward's
catatan. A revision by the contract's `faktor_revisi_besar` or more is flagged.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from satudata.catalog import Contract
from satudata.messages import RELEASES

EXAMPLES = 3  # largest revisions shown per period
REGION_NAMES = {"kecamatan": "nama_kecamatan", "desa": "nama_desa_kelurahan"}


@dataclass
class Snapshot:
    header: list[str]  # public columns, without the row number `id`
    rows: dict[tuple, dict[str, str]] = field(default_factory=dict)  # primary key values -> row


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _listed(items: list[str]) -> str:
    shown = items[:EXAMPLES]
    rest = len(items) - len(shown)
    return ", ".join(shown) + (f" {RELEASES['more'].format(n=rest)}" if rest > 0 else "")


def _factor(old: str, new: str) -> float | None:
    a, b = _number(old), _number(new)
    if a is None or b is None or a == b:
        return None
    if a == 0 or b == 0:
        return float("inf")
    return max(abs(b / a), abs(a / b))


def diff(contract: Contract, old: Snapshot | None, new: Snapshot, catatan: str | None = None) -> dict:
    """{"lines": [...], "large": [...], counts...}: the change log entry of `new` after `old`."""
    period, label = contract.period_column, RELEASES["period_label"]
    fmt = {"period_label": label, "period_label_cap": label.capitalize()}
    region = contract.region.column if contract.region.level != "kabupaten" else None
    region_name = REGION_NAMES.get(contract.region.level)
    lines: list[str] = []
    facts: dict = {"periods_added": {}, "periods_removed": {}, "revised": 0, "recoded": 0, "large": []}

    def periods(snap: Snapshot) -> dict[str, int]:
        counts: dict[str, int] = {}
        for row in snap.rows.values():
            counts[row[period]] = counts.get(row[period], 0) + 1
        return counts

    now = periods(new)
    if old is None:
        span = sorted(now)
        lines.append(RELEASES["first"].format(rows=len(new.rows), periods=(
            f"{span[0]}–{span[-1]}" if len(span) > 1 else span[0]) if span else "-"))
        facts["periods_added"] = now
        if catatan:
            lines.append(RELEASES["catatan"].format(catatan=catatan))
        return {"lines": lines, **facts}

    before = periods(old)
    # columns
    added = [c for c in new.header if c not in old.header]
    removed = [c for c in old.header if c not in new.header]
    common = set(old.rows) & set(new.rows)
    renamed = {}
    for gone in removed:
        for came in added:
            if came not in renamed.values() and common and all(
                    old.rows[k][gone] == new.rows[k][came] for k in common):
                renamed[gone] = came
                break
    for gone, came in renamed.items():
        lines.append(RELEASES["column_renamed"].format(old=gone, new=came))
    lines += [RELEASES["column_added"].format(column=c) for c in added if c not in renamed.values()]
    lines += [RELEASES["column_removed"].format(column=c) for c in removed if c not in renamed]

    # periods
    for p in sorted(set(now) - set(before)):
        lines.append(RELEASES["period_added"].format(period=p, rows=now[p], **fmt))
        facts["periods_added"][p] = now[p]
    for p in sorted(set(before) - set(now)):
        lines.append(RELEASES["period_removed"].format(period=p, rows=before[p], **fmt))
        facts["periods_removed"][p] = before[p]
    shared = set(now) & set(before)

    # region codes changed: a key gone and a key come in the same period, same region name and other keys
    gone_keys = [k for k in old.rows if k not in new.rows and old.rows[k][period] in shared]
    came_keys = [k for k in new.rows if k not in old.rows and new.rows[k][period] in shared]
    recoded: dict[tuple, int] = {}
    if region and region_name and region_name in old.header and region_name in new.header:
        others = [c for c in contract.primary_key if c != region]

        def ident(row):
            return (row[region_name], *(row[c] for c in others))

        came_by = {ident(new.rows[k]): k for k in came_keys}
        for k in list(gone_keys):
            match = came_by.get(ident(old.rows[k]))
            if match is not None:
                o, n = old.rows[k], new.rows[match]
                recoded[(o[region_name], o[region], n[region])] = recoded.get(
                    (o[region_name], o[region], n[region]), 0) + 1
                gone_keys.remove(k)
                came_keys.remove(match)
                common.add((k, match))  # compared below as one row
    for (name, a, b), n in sorted(recoded.items()):
        lines.append(RELEASES["recoded"].format(name=name, old=a, new=b, rows=n))
        facts["recoded"] += n

    # rows added/removed inside a period that stays
    for keys, snap, text in ((came_keys, new, "rows_added"), (gone_keys, old, "rows_removed")):
        per: dict[str, int] = {}
        for k in keys:
            per[snap.rows[k][period]] = per.get(snap.rows[k][period], 0) + 1
        lines += [RELEASES[text].format(period=p, n=n, **fmt) for p, n in sorted(per.items())]

    # values revised
    compared = [c for c in new.header if c in old.header and c not in contract.primary_key
                and c not in (region_name or "",) and not c.startswith(("kode_", "nama_", "bps_kode_"))]
    compared += [renamed[c] for c in renamed]
    revisions: dict[str, list] = {}
    threshold = contract.faktor_revisi_besar
    for key in common:
        ko, kn = key if isinstance(key[0], tuple) else (key, key)
        o, n = old.rows[ko], new.rows[kn]
        if o[period] not in shared:
            continue
        for col in compared:
            before_col = next((g for g, c in renamed.items() if c == col), col)
            if o.get(before_col) != n.get(col):
                place = n.get(region_name or "", "") or n.get(region or "", "") or "-"
                a, b = _number(o.get(before_col)), _number(n.get(col))
                size = abs(b - a) if a is not None and b is not None else 0.0
                factor = _factor(o.get(before_col), n.get(col))
                revisions.setdefault(n[period], []).append((size, place, col, o.get(before_col), n.get(col), factor))
    for p in sorted(revisions):
        found = sorted(revisions[p], key=lambda r: (-r[0], r[1], r[2]))
        regions = sorted({r[1] for r in found})
        examples = [RELEASES["revised_example"].format(region=r[1], column=r[2], old=r[3], new=r[4])
                    for r in found[:EXAMPLES]]
        lines.append(RELEASES["revised"].format(period=p, n=len(found), regions=_listed(regions), **fmt)
                     + " " + "; ".join(examples) + ".")
        facts["revised"] += len(found)
        big = [r for r in found if r[5] is not None and r[5] >= threshold]
        if big:
            shown = [f"{p} " + RELEASES["revised_example"].format(region=r[1], column=r[2], old=r[3], new=r[4])
                     for r in big[:EXAMPLES]]
            lines.append(RELEASES["large"].format(n=len(big), factor=_plain(threshold), examples="; ".join(shown)))
            facts["large"] += shown
    if catatan:
        lines.append(RELEASES["catatan"].format(catatan=catatan))
    return {"lines": lines, **facts}


def _plain(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
