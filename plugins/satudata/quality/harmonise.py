"""Region harmonisation: the names and codes that sources write, mapped to Kemendagri codes.

Dinas data spells regions in many ways ("Kec. Tambun Sel.", "KARANGBAHAGIA", " setu "). Before
validation, a contract that names a region column (`region.name_column`) has each value mapped to
the Kemendagri code through rules that cannot mistake one region for another: case, spaces and dots
are ignored, kind words ("KEC.", "Desa") and abbreviated last words ("SEL.") come from the reviewed
list `contracts/region_variants.yaml`, as do typos a steward has checked. BPS names and codes from
the reference table are known too. Anything else is *not* guessed: it is reported with the closest
candidates (difflib), and a steward adds it to the variants list if it is right.

Everything here is a pure function of its inputs (the reference rows, the variants file, a frame).
"""
from __future__ import annotations

import difflib
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import yaml

LEVELS = ("kecamatan", "desa")
_DOTTED = {"kecamatan": re.compile(r"^\d{2}\.\d{2}\.\d{2}$"), "desa": re.compile(r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$")}
_DIGITS = re.compile(r"^\d+$")
_NOISE = re.compile(r"[.,;:()/'\"_-]+")


@dataclass(frozen=True)
class Place:
    level: str
    kode: str
    nama: str
    bps_kode: str | None = None
    bps_nama: str | None = None
    parent: str | None = None

    @property
    def label(self) -> str:
        return f"{self.nama} ({self.kode})"


@dataclass(frozen=True)
class Match:
    """What one source value means: a place, or nothing, with the closest candidates."""

    value: object
    place: Place | None
    how: str  # kode | nama | bps | varian | kosong | tidak_dikenal | ambigu
    candidates: tuple[str, ...] = ()

    @property
    def kode(self) -> str | None:
        return self.place.kode if self.place else None


@dataclass
class Rules:
    """The reviewed list (contracts/region_variants.yaml)."""

    prefixes: tuple[str, ...] = ()
    abbreviations: dict[str, str] = field(default_factory=dict)
    variants: dict[str, dict[str, str]] = field(default_factory=dict)  # level -> variant -> kode
    names: dict[str, dict[str, str]] = field(default_factory=dict)  # level -> kode -> nama (as reviewed)


def load_rules(path: Path) -> Rules:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    rules = Rules(prefixes=tuple(str(p).upper() for p in data.get("awalan") or ()),
                  abbreviations={str(k).upper(): str(v).upper() for k, v in (data.get("singkatan") or {}).items()})
    for level in LEVELS:
        variants: dict[str, str] = {}
        names: dict[str, str] = {}
        for entry in data.get(level) or ():
            kode = str(entry["kode"])
            names[kode] = str(entry.get("nama", ""))
            for variant in entry.get("varian") or ():
                variants[str(variant)] = kode
        rules.variants[level] = variants
        rules.names[level] = names
    return rules


def normalise(text: object, rules: Rules) -> str:
    """Upper case, punctuation to spaces, kind words dropped, abbreviated words spelled out."""
    if text is None:
        return ""
    words = _NOISE.sub(" ", str(text).upper()).split()
    while len(words) > 1 and words[0] in rules.prefixes:
        words = words[1:]
    return " ".join(rules.abbreviations.get(w, w) for w in words)


def key(text: object, rules: Rules) -> str:
    """The comparison key: the normalised name without spaces ("KARANG BAHAGIA" = "KARANGBAHAGIA")."""
    return normalise(text, rules).replace(" ", "")


def is_blank(value: object) -> bool:
    if value is None or (isinstance(value, float) and math.isnan(value)) or type(value).__name__ == "NAType":
        return True
    return not str(value).strip() or str(value).strip() in {"-", "--"}


class Gazetteer:
    """Every region of the kabupaten, indexed by every spelling the rules allow."""

    def __init__(self, places: Iterable[Place], rules: Rules):
        self.rules = rules
        self.places: dict[str, dict[str, Place]] = {lvl: {} for lvl in LEVELS}
        for p in places:
            self.places[p.level][p.kode] = p
        self._codes: dict[str, dict[str, set[str]]] = {lvl: {} for lvl in LEVELS}
        self._names: dict[str, dict[str, dict[str, set[str]]]] = {lvl: {} for lvl in LEVELS}
        for level, by_code in self.places.items():
            for p in by_code.values():
                self._add_code(level, p.kode, p.kode)
                self._add_code(level, p.kode.replace(".", ""), p.kode)
                if p.bps_kode:
                    self._add_code(level, p.bps_kode, p.kode)
                self._add_name(level, "nama", p.nama, p.kode)
                if p.bps_nama:
                    self._add_name(level, "bps", p.bps_nama, p.kode)
            for variant, kode in rules.variants.get(level, {}).items():
                if kode not in by_code:
                    raise ValueError(f"region_variants.yaml: {level} variant {variant!r} names code {kode}, "
                                     "which is not in the reference table")
                self._add_name(level, "varian", variant, kode)

    def _add_code(self, level: str, text: str, kode: str) -> None:
        self._codes[level].setdefault(text, set()).add(kode)

    def _add_name(self, level: str, how: str, text: str, kode: str) -> None:
        self._names[level].setdefault(key(text, self.rules), {}).setdefault(how, set()).add(kode)

    def _pick(self, value, level: str, codes: set[str], how: str, parent: str | None) -> Match:
        if parent is not None:
            codes = {c for c in codes if self.places[level][c].parent == parent}
        if len(codes) == 1:
            return Match(value, self.places[level][next(iter(codes))], how)
        if len(codes) > 1:
            return Match(value, None, "ambigu", tuple(sorted(self.places[level][c].label for c in codes)))
        return Match(value, None, "tidak_dikenal", self.candidates(value, level, parent))

    def match(self, value: object, level: str, parent: str | None = None) -> Match:
        """Map one source value (a name or a code) to a place at `level`, within `parent` if given."""
        if is_blank(value):
            return Match(value, None, "kosong")
        text = str(value).strip()
        if _DOTTED[level].match(text) or _DIGITS.match(text):
            return self._pick(value, level, self._codes[level].get(text, set()), "kode", parent)
        found = self._names[level].get(key(text, self.rules), {})
        for how in ("nama", "bps", "varian"):
            if found.get(how):
                return self._pick(value, level, found[how], how, parent)
        return Match(value, None, "tidak_dikenal", self.candidates(value, level, parent))

    def candidates(self, value: object, level: str, parent: str | None = None, n: int = 3) -> tuple[str, ...]:
        """The closest reference names (difflib on the comparison keys), as 'Nama (kode)'."""
        wanted = key(value, self.rules)
        pool: dict[str, set[str]] = {}
        for k, hows in self._names[level].items():
            for codes in hows.values():
                for c in codes:
                    if parent is None or self.places[level][c].parent == parent:
                        pool.setdefault(k, set()).add(c)
        out: list[str] = []
        for k in difflib.get_close_matches(wanted, list(pool), n=n * 2, cutoff=0.6):
            for c in sorted(pool[k]):
                label = self.places[level][c].label
                if label not in out:
                    out.append(label)
        return tuple(out[:n])


def gazetteer_from_rows(kecamatan: Iterable[dict], desa: Iterable[dict], rules: Rules) -> Gazetteer:
    """Rows as in reference.kecamatan / reference.desa_kelurahan (or the shipped CSVs, renamed)."""
    places = [Place("kecamatan", r["kemendagri_kode"], r["nama"], r.get("bps_kode") or None,
                    r.get("bps_nama") or None) for r in kecamatan]
    places += [Place("desa", r["kemendagri_kode"], r["nama"], r.get("bps_kode") or None, None,
                     r["kecamatan_kode"]) for r in desa]
    return Gazetteer(places, rules)


def gazetteer_from_csv(rules: Rules) -> Gazetteer:
    """The gazetteer from the CSVs shipped with the package (tests; the warehouse holds the same)."""
    from satudata.warehouse.reference import gazetteer_rows_from_csv

    return gazetteer_from_rows(*gazetteer_rows_from_csv(), rules)


def gazetteer_from_db(conn, rules: Rules) -> Gazetteer:
    """The gazetteer from the warehouse's reference tables."""
    from satudata.warehouse.reference import gazetteer_rows

    return gazetteer_from_rows(*gazetteer_rows(conn), rules)


@dataclass
class Unmatched:
    """One source spelling that maps to no region (or to several): every row it occurs in."""

    column: str
    value: str
    how: str
    candidates: list[str]
    rows: list[int]


@dataclass
class Harmonised:
    frame: object
    matched: dict[str, int]  # how -> rows
    unmatched: list[Unmatched]

    @property
    def unmatched_rows(self) -> list[int]:
        return sorted({i for u in self.unmatched for i in u.rows})


def harmonise_frame(frame, gazetteer: Gazetteer, level: str, code_column: str, name_column: str | None = None,
                    parent_column: str | None = None) -> Harmonised:
    """Fill `code_column` with Kemendagri codes from the codes or names the source gave.

    A row's own code wins when it is one the reference knows (in any of its spellings); otherwise the
    name decides. For desa, `parent_column` (the kecamatan's name or code) narrows the search. Rows
    whose region stays unknown keep an empty code and are listed in `unmatched`, grouped by spelling.
    """
    out = frame.copy()
    codes: list[str | None] = []
    matched: dict[str, int] = {}
    misses: dict[tuple[str, str, str], Unmatched] = {}
    cache: dict[tuple, Match] = {}
    have_code = code_column in out.columns
    for i, row in zip(out.index, out.itertuples(index=False), strict=True):
        values = row._asdict() if hasattr(row, "_asdict") else dict(zip(out.columns, row, strict=True))
        parent = None
        if parent_column:
            pv = values.get(parent_column)
            pm = cache.setdefault(("kecamatan", str(pv), None), gazetteer.match(pv, "kecamatan"))
            parent = pm.kode
            if parent is None and not is_blank(pv):
                _miss(misses, parent_column, pv, pm, i)
                codes.append(None)
                continue
        m, column = None, code_column
        if have_code and not is_blank(values.get(code_column)):
            v = values[code_column]
            m = cache.setdefault((level, str(v), parent), gazetteer.match(v, level, parent))
        if (m is None or m.place is None) and name_column and not is_blank(values.get(name_column)):
            v = values[name_column]
            m, column = cache.setdefault((level, str(v), parent), gazetteer.match(v, level, parent)), name_column
        if m is None:
            m, column = Match(None, None, "kosong"), name_column or code_column
        if m.place is None:
            _miss(misses, column, m.value, m, i)
        else:
            matched[m.how] = matched.get(m.how, 0) + 1
        codes.append(m.kode)
    out[code_column] = codes
    return Harmonised(out, matched, list(misses.values()))


def _miss(misses: dict, column: str, value, m: Match, index) -> None:
    shown = "" if is_blank(value) else str(value).strip()
    entry = misses.setdefault((column, shown, m.how), Unmatched(column, shown, m.how, list(m.candidates), []))
    entry.rows.append(index)
