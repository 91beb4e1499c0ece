"""Readers per file kind, each a stream of raw rows per sheet: (sheet name, rows, merged ranges).

XLSX is read with openpyxl in read-only mode (rows streamed from the sheet XML; the merged ranges,
which read-only mode does not give, are found by scanning the same XML's `<mergeCell>` tags).
Legacy BIFF `.xls` goes through xlrd, HTML tables (what many government applications save as `.xls`)
through the standard library's HTML parser fed in chunks, text through the csv module over a
decoding stream. No reader holds a whole file: memory stays flat however long the file is.
"""
from __future__ import annotations

import csv
import re
import zipfile
from collections.abc import Iterator
from datetime import datetime
from html.parser import HTMLParser
from pathlib import Path

from satudata.sources.spreadsheet.sniff import sniff_delimiter

CHUNK = 1 << 16
MAX_CELL = 32_767  # Excel's own limit for a cell; longer is not a cell a clerk typed
_CONTROL = dict.fromkeys([*range(9), 11, 12, *range(14, 32), 127])
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
csv.field_size_limit(64 * 1024 * 1024)

Merge = tuple[int, int, int, int]  # top row, bottom row, left col, right col (0-based, inclusive)
RawSheet = tuple[str, Iterator[tuple[int, list]], list[Merge]]  # name, (row number, cells), merges


def clean_text(value: str) -> str:
    """A cell's text without stray control bytes (NUL, form feeds from old exports)."""
    return value.translate(_CONTROL)


def _col(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ch - 64
    return n - 1


def _xlsx_merges(archive: zipfile.ZipFile, member: str) -> list[Merge]:
    out: list[Merge] = []
    tail = b""
    with archive.open(member) as f:
        while chunk := f.read(CHUNK):
            data = tail + chunk
            for m in _MERGE.finditer(data):
                if m[3] is not None:
                    out.append((int(m[2]) - 1, int(m[4]) - 1, _col(m[1]), _col(m[3])))
            tail = data[-200:]
            if tail and _MERGE.search(tail):  # a tag across the chunk border is seen once, in the next chunk
                cut = tail.rfind(b"<")
                tail = tail[cut:] if cut >= 0 else b""
    return sorted(set(out))


def xlsx_sheets(path: Path) -> Iterator[RawSheet]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        archive = wb._archive  # the open ZIP openpyxl streams from
        for ws in wb.worksheets:
            merges = _xlsx_merges(archive, ws._worksheet_path) if hasattr(ws, "_worksheet_path") else []
            yield ws.title, _xlsx_rows(ws), merges
    finally:
        wb.close()


def _xlsx_rows(ws) -> Iterator[tuple[int, list]]:
    ws.reset_dimensions()  # files written by other tools often state a wrong size
    expected = 1
    for row in ws.iter_rows():
        numbers = [c.row for c in row if getattr(c, "row", None) is not None]
        number = numbers[0] if numbers else expected
        yield number, [c.value for c in row]
        expected = number + 1


def xls_sheets(path: Path) -> Iterator[RawSheet]:
    import xlrd

    book = xlrd.open_workbook(str(path), formatting_info=True, on_demand=True)
    try:
        for index in range(book.nsheets):
            sheet = book.sheet_by_index(index)
            merges = [(r0, r1 - 1, c0, c1 - 1) for r0, r1, c0, c1 in sheet.merged_cells]
            yield sheet.name, _xls_rows(book, sheet), merges
            book.unload_sheet(index)
    finally:
        book.release_resources()


def _xls_rows(book, sheet) -> Iterator[tuple[int, list]]:
    import xlrd

    for r in range(sheet.nrows):
        out = []
        for cell in sheet.row(r):
            if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                out.append(None)
            elif cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    out.append(xlrd.xldate_as_datetime(cell.value, book.datemode))
                except (ValueError, OverflowError, xlrd.xldate.XLDateError):
                    out.append(cell.value)
            elif cell.ctype == xlrd.XL_CELL_ERROR:
                out.append(xlrd.error_text_from_code.get(cell.value, "#ERR"))
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                out.append(bool(cell.value))
            else:
                out.append(cell.value)
        yield r + 1, out


class _Tables(HTMLParser):
    """Rows of every <table>, with colspan/rowspan spread as merged cells are."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.done: list[list] = []
        self.row: list | None = None
        self.cell: list[str] | None = None
        self.span = (1, 1)
        self.pending: dict[int, tuple[int, object]] = {}  # column -> (rows still spanned, value)

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self._end_row()
            self.row = []
        elif tag in ("td", "th"):
            self._end_cell()
            if self.row is None:
                self.row = []
            a = dict(attrs)
            self.span = (_int(a.get("colspan")), _int(a.get("rowspan")))
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" ")

    def handle_endtag(self, tag):
        if tag in ("td", "th"):
            self._end_cell()
        elif tag in ("tr", "table"):
            self._end_row()

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)

    def _fill_pending(self):
        assert self.row is not None
        while len(self.row) in self.pending:
            col = len(self.row)
            left, value = self.pending.pop(col)
            self.row.append(value)
            if left > 1:
                self.pending[col] = (left - 1, value)

    def _end_cell(self):
        if self.cell is None or self.row is None:
            return
        text = " ".join("".join(self.cell).split()) or None
        cols, rows = self.span
        for _ in range(cols):
            self._fill_pending()
            if rows > 1:
                self.pending[len(self.row)] = (rows - 1, text)
            self.row.append(text)
        self.cell = None

    def _end_row(self):
        self._end_cell()
        if self.row is not None:
            self._fill_pending()
            self.done.append(self.row)
        self.row = None


def _int(text) -> int:
    try:
        return max(1, min(int(str(text).strip()), 1000))
    except (TypeError, ValueError):
        return 1


def html_sheets(path: Path, encoding: str) -> Iterator[RawSheet]:
    yield "-", _html_rows(path, encoding), []


def _html_rows(path: Path, encoding: str) -> Iterator[tuple[int, list]]:
    """Table rows numbered as a spreadsheet program shows them (1, 2, ... over all tables)."""
    parser = _Tables()
    number = 0
    with path.open(encoding=encoding, errors="replace", newline="") as f:
        while chunk := f.read(CHUNK):
            parser.feed(clean_text(chunk))
            for row in parser.done:
                number += 1
                yield number, row
            parser.done.clear()
    parser.close()
    parser._end_row()
    for row in parser.done:
        number += 1
        yield number, row


def text_sheets(path: Path, encoding: str, delimiter: str | None, header: list[str]) -> Iterator[RawSheet]:
    if delimiter is None:
        with path.open(encoding=encoding, errors="replace", newline="") as f:
            head = [clean_text(line) for _, line in zip(range(30), f, strict=False)]
        delimiter = sniff_delimiter(head, header)
    yield "-", _text_rows(path, encoding, delimiter), []


def _text_rows(path: Path, encoding: str, delimiter: str) -> Iterator[tuple[int, list]]:
    """Rows of a delimited text file; a row's number is the line it starts on."""
    with path.open(encoding=encoding, errors="replace", newline="") as f:
        reader = csv.reader((clean_text(line) for line in f), delimiter=delimiter)
        for cells in reader:
            yield reader.line_num - sum(c.count("\n") for c in cells), [c if c != "" else None for c in cells]


def shown_value(value: object) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    return "" if value is None else str(value)


