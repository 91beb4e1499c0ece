"""Numbers as people and machines write them, decided per column, never per cell.

`1.234` is one thousand two hundred thirty-four to an Indonesian clerk and one point two three four
to a program that wrote `2019.0` in the row above. A cell alone cannot say which, so the style is
decided for the whole column from what its cells show (`column_style`):

- machine: a dot followed by other than three digits (`2019.0`, `12.5`, `3216100005.0`), or an
  exponent (`1e3`);
- indonesia: a decimal comma (`12,5`), dot groups with more than one dot (`1.234.567`), `Rp`;
- a column with both is `campuran` and every cell that disagrees with the majority is reported;
- a column with neither (plain `12`, or only `1.234`) is read in the contract's `number_style`
  (default indonesia: the office convention).

Percent signs (`12,5%`) are accepted in numeric fields (the column holds percentages); units inside
a number (`150 jiwa`, `12 ha`) and year ranges (`2019-2020`) are refused with their own message.
"""
from __future__ import annotations

import math
import re

MACHINE, INDONESIA = "mesin", "indonesia"
_MACHINE = re.compile(r"^[-+]?\d+(?:\.(?:\d{1,2}|\d{4,}))?(?:[eE][-+]?\d+)?$")
_MACHINE_ONLY = re.compile(r"^[-+]?\d+(?:\.(?:\d{1,2}|\d{4,})|(?:\.\d+)?[eE][-+]?\d+)$")
_INDONESIA = re.compile(r"^[-+]?\d{1,3}(?:\.\d{3})*(?:,\d+)?$|^[-+]?\d+(?:,\d+)?$")
_INDONESIA_ONLY = re.compile(r"^[-+]?\d+,\d+$|^[-+]?\d{1,3}(?:\.\d{3}){2,}(?:,\d+)?$|^[-+]?\d{1,3}(?:\.\d{3})+,\d+$")
_AMBIGUOUS = re.compile(r"^[-+]?\d{1,3}\.\d{3}$")
_RP = re.compile(r"^rp\.?\s*", re.I)
_YEAR_RANGE = re.compile(r"^(\d{4})\s*[-/\u2013]\s*(\d{2,4})$")
_UNIT = re.compile(r"^([-+]?[\d.,]+)\s*([A-Za-z][A-Za-z./²]*)$")
BLANK = {"", "-", "--", "\u2013", "\u2014"}


def _text(value: object) -> str:
    text = str(value).replace("\u00a0", " ").strip()
    return _RP.sub("", text).replace(" ", "")


def evidence(value: object) -> str | None:
    """What one cell says about its column's style (None: nothing either way)."""
    if value is None or isinstance(value, bool | int | float):
        return None
    text = _text(value).rstrip("%")
    if _RP.match(str(value).strip()) or _INDONESIA_ONLY.match(text):
        return INDONESIA
    if _MACHINE_ONLY.match(text):
        return MACHINE
    return None


def column_style(values, default: str = INDONESIA) -> str:
    """The style of a column from a sample of its cells: the majority of the cells that tell."""
    machine = indonesia = 0
    for v in values:
        e = evidence(v)
        machine += e == MACHINE
        indonesia += e == INDONESIA
    if machine == indonesia:
        return default
    return MACHINE if machine > indonesia else INDONESIA


def parse_number(value: object, integer: bool, style: str = INDONESIA, percent: bool = True
                 ) -> tuple[int | float | None, str | None]:
    """(number, None) or (None, problem kind). Blank and `-` are zero, as clerks write it."""
    if value is None:
        return 0, None
    if isinstance(value, bool):
        return None, "bukan_angka"
    if isinstance(value, int):
        return value, None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None, "bukan_angka"
        if integer and not value.is_integer():
            return None, "bukan_bulat"
        return (int(value) if integer else value), None
    raw = str(value).replace("\u00a0", " ").strip()
    text = _text(value)
    if text in BLANK:
        return 0, None
    if _YEAR_RANGE.match(raw):
        return None, "tahun_rentang"
    if text.endswith("%"):
        if not percent or integer:
            return None, "persen"
        text = text[:-1]
    number: float | None = None
    if style == MACHINE and _MACHINE.match(text):
        number = float(text)
    elif style == INDONESIA and _INDONESIA.match(text):
        number = float(text.replace(".", "").replace(",", "."))
    elif evidence(text) not in (None, style):
        return None, "gaya_angka"
    elif _UNIT.match(raw) and _UNIT.match(raw)[2].upper() not in ("E",):
        return None, "satuan_dalam_angka"
    if number is None:
        return None, "bukan_angka"
    if not math.isfinite(number):
        return None, "bukan_angka"
    if integer:
        if not number.is_integer():
            return None, "bukan_bulat"
        return int(number), None
    return number, None


def parse_year(value: object, style: str = MACHINE) -> tuple[int | None, str | None]:
    """A year cell (`2019`, `2019.0`); a range (`2019-2020`) is refused: which year is it?"""
    if isinstance(value, str) and _YEAR_RANGE.match(value.strip()):
        return None, "tahun_rentang"
    number, kind = parse_number(value, integer=True, style=style, percent=False)
    if kind:
        return None, kind
    return number, None


def is_ambiguous(value: object) -> bool:
    return isinstance(value, str) and bool(_AMBIGUOUS.match(_text(value)))
