"""Spreadsheet drops: hand-kept XLSX/CSV files read into clean, aggregated rows.

A dinas without a database (BPBD) drops its workbook in `<drop folder>/<dinas>/`. The contract's
`source.spreadsheet` section says which files and sheets, which cells mark the header row, which
header each field sits under, and how the cleaned rows are aggregated (there is no SQL engine at the
source). Reading copes with what clerks legitimately do: title rows above the header, a two-row
header with merged group cells, a `JUMLAH` row and a `Sumber:` footer, `-` or an empty cell for zero,
Indonesian numbers (`1.234`, `12,5`, `Rp 15.000.000`), dates as Excel dates or text (`05/01/2024`,
`2024-01-05`, `5 Januari 2024`), kecamatan spelled many ways (harmonised through satudata.quality.harmonise).

What it cannot read it never guesses: text in a numeric cell, a date that does not exist, a name
that matches no kecamatan, a row pasted twice. Each becomes a `Problem` naming file, sheet, row,
column and value; the contract decides whether problems fail the extract or drop the row.
"""
from __future__ import annotations

import csv
import fnmatch
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

from satudata.catalog.models import Contract, SheetField, Spreadsheet
from satudata.errors import SchemaDrift, SourceProblems, SpreadsheetError
from satudata.messages import SPREADSHEET as PESAN

HEADER_SCAN_ROWS = 30
MONTHS = {name: i for i, names in enumerate((
    ("JANUARI", "JAN"), ("FEBRUARI", "PEBRUARI", "FEB", "PEB"), ("MARET", "MAR"), ("APRIL", "APR"), ("MEI",),
    ("JUNI", "JUN"), ("JULI", "JUL"), ("AGUSTUS", "AGU", "AGT", "AGS"), ("SEPTEMBER", "SEP", "SEPT"),
    ("OKTOBER", "OKT"), ("NOVEMBER", "NOPEMBER", "NOV", "NOP"), ("DESEMBER", "DES")), start=1) for name in names}
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_D_MONTH_Y = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\.?\s+(\d{4})$")
_THOUSANDS = re.compile(r"^-?\d{1,3}(?:\.\d{3})+(?:,\d+)?$")
_PLAIN = re.compile(r"^-?\d+(?:,\d+)?$")
_BLANK = {"", "-", "--", "\u2013", "\u2014"}
EXCEL_EPOCH = date(1899, 12, 30)
log = logging.getLogger(__name__)

@dataclass
class Problem:
    """One cell (or row) the reader will not guess about."""

    file: str
    sheet: str
    row: int
    column: str  # spreadsheet column letter
    header: str
    value: str
    kind: str
    message: str
    candidates: list[str] = field(default_factory=list)

    @property
    def where(self) -> str:
        return PESAN["lokasi"].format(file=self.file, sheet=self.sheet, row=self.row, column=self.column,
                                      header=self.header)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Sheet:
    """The data rows of one sheet (or CSV file) under its flattened header."""

    file: str
    name: str
    headers: list[str]
    rows: list[tuple[int, list]]  # (spreadsheet row number, cells)


def _norm(text: object) -> str:
    return " ".join(str(text).upper().split()) if text is not None else ""


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


# ------------------------------------------------------------------------------------------------
# Reading files into sheets
# ------------------------------------------------------------------------------------------------


def find_header(rows: list[list], wanted: list[str]) -> int | None:
    """Index of the first row holding every `wanted` cell (case and spacing ignored)."""
    need = {_norm(w) for w in wanted}
    for i, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        if need <= {_norm(c) for c in row if c is not None}:
            return i
    return None


def flatten_header(rows: list[list], start: int, depth: int) -> list[str]:
    """One name per column from `depth` header rows: "KORBAN (JIWA) / LUKA-LUKA", repeats dropped."""
    width = max(len(r) for r in rows[start:start + depth])
    out = []
    for c in range(width):
        parts: list[str] = []
        for r in rows[start:start + depth]:
            text = " ".join(str(r[c]).split()) if c < len(r) and r[c] is not None else ""
            if text and (not parts or parts[-1] != text):
                parts.append(text)
        out.append(" / ".join(parts))
    return out


def _is_stop(cells: list, stops: list[str]) -> bool:
    first = next((c for c in cells if c is not None and str(c).strip()), None)
    return isinstance(first, str) and any(_norm(first).startswith(_norm(s)) for s in stops)


def _data_rows(rows: list[list], first: int, row_numbers: list[int], stops: list[str]) -> list[tuple[int, list]]:
    out = []
    for number, cells in zip(row_numbers[first:], rows[first:], strict=True):
        if all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
            continue
        if _is_stop(cells, stops):
            continue
        out.append((number, cells))
    return out


def read_xlsx(path: Path, spec: Spreadsheet, label: str) -> Iterator[Sheet]:
    """Every sheet whose name matches `spec.sheets`; merged cells take their top-left value."""
    from openpyxl import load_workbook

    wb = load_workbook(path, data_only=True)
    for ws in wb.worksheets:
        if not any(fnmatch.fnmatchcase(ws.title, p) for p in spec.sheets):
            continue
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        start = find_header(rows, spec.header)
        if start is None:
            raise SpreadsheetError(f"{label}, sheet {ws.title}: no row holds the header cells "
                                   f"{', '.join(spec.header)} in the first {HEADER_SCAN_ROWS} rows")
        depth = 1
        for merged in ws.merged_cells.ranges:
            top, bottom, left, right = merged.min_row - 1, merged.max_row - 1, merged.min_col - 1, merged.max_col - 1
            if top >= start and top < start + 3:
                if top == start:
                    depth = max(depth, bottom - top + 1)
                # Fill the merge with its top-left value so every column under a group gets its name.
                value = rows[top][left]
                for r in range(top, bottom + 1):
                    for c in range(left, right + 1):
                        rows[r][c] = value
        # A group cell merged across columns only: its sub-headers sit in the next row.
        if depth == 1 and any(m.min_row - 1 == start and m.max_col > m.min_col for m in ws.merged_cells.ranges):
            depth = 2
        yield Sheet(label, ws.title, flatten_header(rows, start, depth),
                    _data_rows(rows, start + depth, list(range(1, len(rows) + 1)), spec.stop_rows))


def read_csv(path: Path, spec: Spreadsheet, label: str) -> Sheet:
    """A CSV as Excel saves it (BOM, `;` in Indonesian locales); numbers stay text until parsed."""
    text = path.read_text(encoding="utf-8-sig")
    lines = text.splitlines()
    delimiter = spec.delimiter
    if delimiter is None:
        header_line = next((line for line in lines[:HEADER_SCAN_ROWS]
                            if all(_norm(h) in _norm(line) for h in spec.header)), lines[0] if lines else "")
        delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    rows = [[c if c != "" else None for c in r] for r in csv.reader(lines, delimiter=delimiter)]
    start = find_header(rows, spec.header)
    if start is None:
        raise SpreadsheetError(f"{label}: no line holds the header cells {', '.join(spec.header)} "
                               f"in the first {HEADER_SCAN_ROWS} lines")
    return Sheet(label, "-", flatten_header(rows, start, 1),
                 _data_rows(rows, start + 1, list(range(1, len(rows) + 1)), spec.stop_rows))


def drop_files(contract: Contract, drop_dir: Path) -> list[Path]:
    spec = contract.source.spreadsheet
    assert spec is not None
    folder = drop_dir / contract.dinas
    found = sorted(p for p in folder.glob(spec.files) if p.is_file() and not p.name.startswith("~$"))
    if not found:
        raise SpreadsheetError(f"dataset {contract.id}: no file matches {spec.files!r} in the drop folder of "
                               f"{contract.dinas} ({folder})")
    return found


def read_sheets(paths: Iterable[Path], spec: Spreadsheet, root: Path) -> Iterator[Sheet]:
    for path in paths:
        label = str(path.relative_to(root)) if path.is_relative_to(root) else path.name
        if path.suffix.lower() in (".xlsx", ".xlsm"):
            yield from read_xlsx(path, spec, label)
        elif path.suffix.lower() in (".csv", ".txt"):
            yield read_csv(path, spec, label)
        else:
            raise SpreadsheetError(f"{label}: cannot read {path.suffix} files (XLSX or CSV)")


def locate(sheet: Sheet, fields: dict[str, SheetField], dataset_id: str) -> dict[str, int]:
    """Column index of every field; a header the contract names but the sheet lacks is schema drift."""
    full = [_norm(h) for h in sheet.headers]
    last = [_norm(h.split(" / ")[-1]) for h in sheet.headers]
    out: dict[str, int] = {}
    for name, f in fields.items():
        wanted = [_norm(h) for h in f.headers]
        hits = [i for i, h in enumerate(full) if h in wanted] or [i for i, h in enumerate(last) if h in wanted]
        if len(hits) != 1:
            what = "is not in" if not hits else "matches several columns of"
            raise SpreadsheetError(
                f"dataset {dataset_id}: field {name!r} (header {' | '.join(f.headers)}) {what} "
                f"{sheet.file}, sheet {sheet.name}. Headers found: {'; '.join(h for h in sheet.headers if h)}")
        out[name] = hits[0]
    return out


# ------------------------------------------------------------------------------------------------
# Cells
# ------------------------------------------------------------------------------------------------


def parse_number(value: object, integer: bool) -> tuple[int | float | None, str | None]:
    """(number, None) or (None, problem kind). Blank and `-` are zero, as clerks write it."""
    if value is None:
        return 0, None
    if isinstance(value, bool):
        return None, "bukan_angka"
    if isinstance(value, int):
        return value, None
    if isinstance(value, float):
        if integer and not value.is_integer():
            return None, "bukan_bulat"
        return (int(value) if integer else value), None
    text = str(value).replace("\u00a0", " ").strip()
    text = re.sub(r"^rp\.?\s*", "", text, flags=re.IGNORECASE).replace(" ", "")
    if text in _BLANK:
        return 0, None
    if _THOUSANDS.match(text) or _PLAIN.match(text):
        number = float(text.replace(".", "").replace(",", "."))
        if integer:
            if not number.is_integer():
                return None, "bukan_bulat"
            return int(number), None
        return number, None
    return None, "bukan_angka"


def parse_date(value: object) -> tuple[date | None, str | None]:
    """(date, None), (None, None) for an empty cell, or (None, problem kind)."""
    if value is None or (isinstance(value, str) and value.strip() in _BLANK):
        return None, None
    if isinstance(value, datetime):
        return value.date(), None
    if isinstance(value, date):
        return value, None
    if isinstance(value, int | float) and not isinstance(value, bool):
        if 1 <= value < 100_000:
            return EXCEL_EPOCH + timedelta(days=int(value)), None
        return None, "tanggal_tidak_dikenal"
    text = " ".join(str(value).split())
    parts: tuple[int, int, int] | None = None
    if m := _DMY.match(text):
        parts = (int(m[3]), int(m[2]), int(m[1]))
    elif m := _YMD.match(text):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    elif (m := _D_MONTH_Y.match(text)) and m[2].upper() in MONTHS:
        parts = (int(m[3]), MONTHS[m[2].upper()], int(m[1]))
    if parts is None:
        return None, "tanggal_tidak_dikenal"
    try:
        return date(*parts), None
    except ValueError:
        return None, "tanggal_tidak_ada"


def _shown(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    return "" if value is None else str(value)


# ------------------------------------------------------------------------------------------------
# Cleaning and aggregation
# ------------------------------------------------------------------------------------------------


@dataclass
class Cleaned:
    rows: list[dict]
    problems: list[Problem]
    dropped_rows: int
    read_rows: int
    sheets: list[str]


class _RowProblems(list):
    """The problems of one row, made with the row's location filled in."""

    def __init__(self, sheet: Sheet, number: int, where: dict[str, int]):
        super().__init__()
        self.sheet, self.number, self.where = sheet, number, where

    def add(self, name: str, value: object, kind: str, candidates: tuple[str, ...] = (), **extra) -> Problem:
        col = self.where.get(name, 0)
        message = PESAN[kind].format(value=_shown(value), **extra)
        if candidates:
            message += "; " + PESAN["mungkin"].format(candidates=", ".join(candidates))
        found = Problem(self.sheet.file, self.sheet.name, self.number, _letter(col),
                        self.sheet.headers[col] or name, _shown(value), kind, message, list(candidates))
        self.append(found)
        return found


def _parse_fields(spec: Spreadsheet, cells: list, where: dict[str, int], found: _RowProblems, end: date) -> dict:
    row: dict[str, object] = {}
    for name, f in spec.fields.items():
        raw = cells[where[name]] if where[name] < len(cells) else None
        if f.type in ("integer", "numeric"):
            if f.required and (raw is None or str(raw).strip() == ""):
                found.add(name, raw, "kosong")
                continue
            value, kind = parse_number(raw, f.type == "integer")
            if kind:
                found.add(name, raw, kind)
            elif f.min is not None and value is not None and value < f.min:
                found.add(name, raw, "di_bawah_minimum", min=f"{f.min:g}")
            row[name] = value
        elif f.type == "date":
            value, kind = parse_date(raw)
            if kind:
                found.add(name, raw, kind)
            elif value is None and f.required:
                found.add(name, raw, "kosong")
            elif value is not None and value >= end:
                found.add(name, raw, "tanggal_sesudah_periode", akhir=(end - timedelta(days=1)).isoformat())
            row[name] = value
        else:
            text = " ".join(str(raw).split()) if raw is not None else ""
            if f.required and not text:
                found.add(name, raw, "kosong")
            row[name] = text or None
    return row


def clean(contract: Contract, sheets: Iterable[Sheet], gazetteer, period: tuple[date, date]) -> Cleaned:
    """Parse every field of every data row; harmonise the region; list what cannot be read.

    A row with any problem is left out of the rows (the caller decides whether problems are fatal).
    """
    spec = contract.source.spreadsheet
    assert spec is not None
    regions = {d.region for d in spec.aggregate.group_by.values() if d.region}
    years = [d.year for d in spec.aggregate.group_by.values() if d.year]
    start, end = period
    out: list[dict] = []
    problems: list[Problem] = []
    dropped = read = 0
    names: list[str] = []
    cache: dict[str, object] = {}
    for sheet in sheets:
        names.append(f"{sheet.file}:{sheet.name}")
        where = locate(sheet, spec.fields, contract.id)
        seen: dict[tuple, int] = {}
        for number, cells in sheet.rows:
            read += 1
            found = _RowProblems(sheet, number, where)
            signature = tuple(_shown(c).strip() for c in cells)
            if signature in seen:
                dup = found.add(next(iter(spec.fields)), "", "baris_ganda", other=seen[signature])
                dup.column, dup.header = "-", PESAN["whole_row"]
            else:
                seen[signature] = number
            row = _parse_fields(spec, cells, where, found, end)
            for name in regions:
                raw = row.get(name)
                if raw is None:
                    if not spec.fields[name].required:  # required ones are reported above
                        found.add(name, raw, "kosong")
                    continue
                match = cache.get(str(raw))
                if match is None:
                    match = cache[str(raw)] = gazetteer.match(raw, spec.region_level)
                if match.place is None:
                    kind = "wilayah_ambigu" if match.how == "ambigu" else "wilayah_tidak_dikenal"
                    found.add(name, raw, kind, match.candidates)
                else:
                    row[f"__kode_{name}"] = match.kode
            if found:
                problems += found
                dropped += 1
                continue
            if spec.period == "run" and years and not (start <= row[years[0]] < end):
                continue
            out.append(row)
    return Cleaned(out, problems, dropped, read, names)


def aggregate(contract: Contract, rows: list[dict]) -> list[dict]:
    """The declared aggregation: (unpivot,) group by, one measure (count or sum). Sorted by key."""
    spec = contract.source.spreadsheet
    assert spec is not None
    agg = spec.aggregate
    if agg.unpivot:
        u = agg.unpivot
        rows = [{**r, u.column: label, u.value: r[f]} for r in rows for label, f in u.fields.items()]
    types = {c.name: c.type for c in contract.columns}
    [(measure_name, measure)] = agg.measure.items()
    groups: dict[tuple, int | float] = {}
    for r in rows:
        key = []
        for d in agg.group_by.values():
            if d.region:
                key.append(r[f"__kode_{d.region}"])
            elif d.year:
                key.append(r[d.year].year)
            else:
                v = r[d.field]
                key.append(v.upper() if isinstance(v, str) else v)
        k = tuple(key)
        groups[k] = groups.get(k, 0) + (1 if measure.count else (r[measure.sum] or 0))
    out = []
    for k in sorted(groups, key=lambda t: tuple((v is None, str(v)) for v in t)):
        record = dict(zip(agg.group_by, k, strict=True))
        for name in agg.group_by:
            if types[name] == "text" and record[name] is not None:
                record[name] = str(record[name])
        value = groups[k]
        record[measure_name] = int(value) if types[measure_name] == "integer" else value
        out.append(record)
    return out


def extract_rows(contract: Contract, drop_dir: Path, gazetteer, period: tuple[date, date]
                 ) -> tuple[list[dict], Cleaned, list[Path]]:
    """Read, clean and aggregate the dinas's drop files; the caller applies the problem policy."""
    spec = contract.source.spreadsheet
    assert spec is not None
    paths = drop_files(contract, drop_dir)
    cleaned = clean(contract, read_sheets(paths, spec, drop_dir), gazetteer, period)
    return aggregate(contract, cleaned.rows), cleaned, paths


def fatal(contract: Contract, problems: list[Problem]) -> list[Problem]:
    """The problems the contract's policy makes fatal."""
    spec = contract.source.spreadsheet
    assert spec is not None
    region = {"wilayah_tidak_dikenal", "wilayah_ambigu"}
    return [p for p in problems if (spec.on_unmatched_region if p.kind in region else spec.on_invalid_value) == "fail"]


def write_parquet(contract: Contract, params: dict, writer, gazetteer, drop_dir: Path, out_dir: Path
                  ) -> tuple[int, list, int, list[str]]:
    """Read, clean and aggregate the drop into the writer: (rows, problems kept, problem count, files read).

    The problems go to `<dataset>.masalah.json` beside the landing; those the contract says must fail
    the extract raise SourceProblems, listing where they are.
    """
    import pyarrow as pa

    from satudata.messages import SOURCE_PROBLEMS
    from satudata.sources.common import PROBLEMS_KEPT, arrow_schema

    try:
        rows, cleaned, paths = extract_rows(contract, drop_dir, gazetteer,
                                            (params["periode_awal"], params["periode_akhir"]))
    except SpreadsheetError as exc:
        raise SchemaDrift(str(exc) if str(exc).startswith("dataset ") else f"dataset {contract.id}: {exc}") \
            from None
    problems = cleaned.problems
    if problems:
        (out_dir / f"{contract.id}.masalah.json").write_text(
            json.dumps([p.to_dict() for p in problems], ensure_ascii=False, indent=1), encoding="utf-8")
        for p in problems[:PROBLEMS_KEPT]:
            log.warning("%s: %s", contract.id, p)
    failing = fatal(contract, problems)
    if failing:
        listed = "\n".join(f"  - {p}" for p in failing[:20])
        more = SOURCE_PROBLEMS["more"].format(n=len(failing) - 20) if len(failing) > 20 else ""
        raise SourceProblems(SOURCE_PROBLEMS["fatal"].format(dataset=contract.id, n=len(failing), listed=listed,
                                                             more=more))
    writer.write_table(pa.Table.from_pylist(rows, schema=arrow_schema(contract)))
    log.info("%s: %d data rows read from %s, %d left out for problems, %d rows after aggregation", contract.id,
             cleaned.read_rows, ", ".join(cleaned.sheets), cleaned.dropped_rows, len(rows))
    return len(rows), [p.to_dict() for p in problems[:PROBLEMS_KEPT]], len(problems), [
        str(p.relative_to(drop_dir)) for p in paths]
