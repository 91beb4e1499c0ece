"""What a dropped file really is, read from its first bytes, never from its name alone.

Clerks' tools write files under names that lie: a workbook saved as `.csv`, an HTML table a
government application calls `.xls`, "Unicode text" (UTF-16 with tabs) called `.txt` or `.csv`. The
reader looks at the content: a ZIP (XLSX), an OLE2 compound file (legacy BIFF `.xls`), HTML markup,
or text, whose encoding is told by its byte-order mark, by UTF-16's zero bytes, by being valid
UTF-8, or else by charset-normalizer among the Windows code pages Indonesian offices use. Only the
first SNIFF_BYTES are read; the file itself is then streamed.
"""
from __future__ import annotations

import codecs
import csv
import re
from dataclasses import dataclass
from pathlib import Path

SNIFF_BYTES = 256 * 1024
KINDS = {".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".csv": "text", ".txt": "text", ".tsv": "text",
         ".htm": "html", ".html": "html"}
DELIMITERS = (",", ";", "\t", "|")
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_HTML = re.compile(rb"^\s*(<!doctype html|<html|<table|<\?xml[^>]*>\s*<html|<meta|<head|<body|<style)", re.I)
# Code pages a Windows office in Indonesia produces (Western European: rupiah texts, names with é).
CODE_PAGES = ("cp1252", "iso-8859-1", "cp850")


@dataclass(frozen=True)
class Sniffed:
    kind: str  # xlsx | xls | html | text
    encoding: str | None = None  # text and html only
    named: str | None = None  # what the extension claims, when it differs from the content

    @property
    def mismatch(self) -> bool:
        return self.named is not None and self.named != self.kind


def _text_encoding(head: bytes) -> str:
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    if len(head) >= 4:
        even, odd = head[0:200:2], head[1:200:2]
        if odd.count(0) > len(odd) // 3 and even.count(0) < len(even) // 10:
            return "utf-16-le"
        if even.count(0) > len(even) // 3 and odd.count(0) < len(odd) // 10:
            return "utf-16-be"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        if exc.start >= len(head) - 3:  # a character cut by the sniff window
            return "utf-8"
    from charset_normalizer import from_bytes

    best = from_bytes(head, cp_isolation=list(CODE_PAGES)).best()
    return best.encoding if best is not None else CODE_PAGES[0]


def sniff(path: Path) -> Sniffed:
    """The content kind (and text encoding) of `path`, with the extension's claim when it differs."""
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
    named = KINDS.get(path.suffix.lower())
    if head.startswith(b"PK\x03\x04"):
        kind, encoding = "xlsx", None
    elif head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        kind, encoding = "xls", None
    else:
        encoding = _text_encoding(head)
        text = head.decode(encoding, errors="replace").lstrip("\ufeff")
        kind = "html" if _HTML.match(text.encode("utf-8", "replace")) else "text"
    if named == "html" and kind == "html":
        named = None
    if named == "xls" and kind == "html":  # "Save as Excel" of many government applications: allowed
        named = None
    return Sniffed(kind, encoding, named if named != kind else None)


def sniff_delimiter(lines: list[str], wanted: list[str]) -> str:
    """The delimiter that splits the header line (the one holding every `wanted` cell) into them.

    Among comma, semicolon, tab and pipe, the one that makes the header's cells appear as whole cells
    wins; if none does, the one that splits most lines into the same number of cells.
    """
    need = {" ".join(w.upper().split()) for w in wanted}
    best, score = ",", (-1, -1)
    for d in DELIMITERS:
        rows = list(csv.reader(lines, delimiter=d))
        hit = any(need <= {" ".join(c.upper().split()) for c in r} for r in rows)
        widths = [len(r) for r in rows if r]
        common = max((widths.count(w) for w in set(widths) if w > 1), default=0)
        if (hit, common) > score:
            best, score = d, (hit, common)
    return best
