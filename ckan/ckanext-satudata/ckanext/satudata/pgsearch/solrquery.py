"""Translate the Solr query subset that CKAN generates into PostgreSQL.

This module is pure Python (no CKAN import) so it can be unit-tested on its
own. It knows the field types of CKAN's Solr schema (``ckan/config/solr/
schema.xml``) and compiles:

* the standard ("lucene") query syntax used in ``q`` when it contains a colon
  and in every ``fq``: ``field:value``, ``field:"a phrase"``,
  ``field:(a OR b)``, ``field:[a TO b]`` / ``{a TO b}`` (dates understand
  ``NOW``, ``NOW-1DAY``, ``NOW/DAY``), ``field:*``, ``*:*``, wildcards
  (``abc*``), ``+``/``-``/``NOT``/``!`` prefixes, ``AND``/``OR``/``&&``/``||``,
  parentheses, and bare terms against the default field ``text``. Boosts
  (``^2``) and fuzziness (``~1``) are accepted and ignored. ``q.op`` (AND by
  default, as CKAN sends it) is the operator between adjacent clauses.
* the ``dismax`` user query used for free text in ``q``: words, quoted
  phrases, ``-word``, ``+word`` and ``OR``, with CKAN's minimum-match rule
  ``2<-1 5<80%`` (1-2 words: all must match; 3-5: all but one; more: 80%).
* ``sort`` (``score desc, metadata_modified desc``, ``name asc``,
  ``title_string asc`` ...) and facets.

Documents are stored as a row of ``satudata_search_index`` whose ``fields``
column holds every indexed Solr field as a JSON list of strings (dates
normalised to a sortable UTC ISO form), and whose ``search_vector`` holds the
Solr ``text`` catch-all field (the copyFields of the schema) with the dismax
weights ``name^4 title^4 tags^2 groups^2 text`` as tsvector weights A, B, D.
Full text uses PostgreSQL's ``simple`` configuration (lower-casing, no
stemming: there is no Indonesian stemmer in PostgreSQL).

Every value reaches SQL as a bind parameter; field names are bind parameters
too, so no query text is ever spliced into SQL.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import re
from dataclasses import dataclass, field as dc_field
from typing import Any, Iterable, Optional

TS_CONFIG = "simple"
TABLE = "satudata_search_index"

# --- field types, after CKAN's Solr schema ---------------------------------

DATE_FIELDS = {"metadata_created", "metadata_modified", "indexed_ts"}
NUMERIC_FIELDS = {
    "num_resources", "num_tags", "views_total", "views_recent",
    "resources_accessed_total", "resources_accessed_recent",
}
# tokenized ("text"/"text_general") fields other than the catch-all ``text``
TEXT_FIELDS = {
    "title", "notes", "author", "author_email", "maintainer",
    "maintainer_email", "res_name", "res_description", "urls",
    "depends_on", "dependency_of", "derives_from", "has_derivation",
    "links_to", "linked_from", "child_of", "parent_of",
    "title_ngram", "name_ngram",
}
TEXT_PREFIXES = ("extras_", "res_extras_")
DEFAULT_FIELD = "text"
# fields that are not indexed at all (stored only)
STORED_ONLY = {"data_dict", "validated_data_dict"}
# indexed but not stored: never returned in documents
NOT_STORED = {"text", "urls", "permission_labels", "title_string"}


def field_kind(name: str) -> str:
    if name == DEFAULT_FIELD:
        return "fulltext"
    if name in DATE_FIELDS or name.endswith("_date"):
        return "date"
    if name in NUMERIC_FIELDS:
        return "numeric"
    if name in TEXT_FIELDS or name.startswith(TEXT_PREFIXES):
        return "text"
    return "string"


class QuerySyntaxError(ValueError):
    """The query is outside the supported Solr subset or malformed."""


# --- dates -----------------------------------------------------------------

_UNITS = {
    "YEAR": "years", "YEARS": "years", "MONTH": "months", "MONTHS": "months",
    "DAY": "days", "DAYS": "days", "DATE": "days", "HOUR": "hours",
    "HOURS": "hours", "MINUTE": "minutes", "MINUTES": "minutes",
    "SECOND": "seconds", "SECONDS": "seconds", "MILLI": "milliseconds",
    "MILLIS": "milliseconds", "MILLISECOND": "milliseconds",
    "MILLISECONDS": "milliseconds",
}
_DATE_MATH_RE = re.compile(r"([+-]\d+[A-Z]+|/[A-Z]+)")


def normalize_date(value: Any) -> Optional[str]:
    """A sortable UTC string for a date value, or None if it is not a date."""
    if isinstance(value, _dt.datetime):
        dt = value
    elif isinstance(value, _dt.date):
        dt = _dt.datetime(value.year, value.month, value.day)
    else:
        text = str(value).strip()
        if not text:
            return None
        if text.endswith("Z"):
            text = text[:-1] + "+00:00"
        try:
            dt = _dt.datetime.fromisoformat(text)
        except ValueError:
            try:
                from dateutil.parser import parse  # CKAN depends on it
                dt = parse(str(value))
            except Exception:
                return None
    if dt.tzinfo is not None:
        dt = dt.astimezone(_dt.timezone.utc).replace(tzinfo=None)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _add(dt: _dt.datetime, amount: int, unit: str) -> _dt.datetime:
    if unit == "years":
        return _safe_replace(dt, year=dt.year + amount)
    if unit == "months":
        month0 = dt.month - 1 + amount
        return _safe_replace(dt, year=dt.year + month0 // 12, month=month0 % 12 + 1)
    return dt + _dt.timedelta(**{unit: amount})


def _safe_replace(dt: _dt.datetime, **kw: int) -> _dt.datetime:
    while True:
        try:
            return dt.replace(**kw)
        except ValueError:  # 31 Feb -> 28/29 Feb
            dt = dt - _dt.timedelta(days=1)


def _round(dt: _dt.datetime, unit: str) -> _dt.datetime:
    if unit == "years":
        return dt.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    if unit == "months":
        return dt.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    if unit == "days":
        return dt.replace(hour=0, minute=0, second=0, microsecond=0)
    if unit == "hours":
        return dt.replace(minute=0, second=0, microsecond=0)
    if unit == "minutes":
        return dt.replace(second=0, microsecond=0)
    if unit == "seconds":
        return dt.replace(microsecond=0)
    return dt


def solr_date(value: str, now: Optional[_dt.datetime] = None) -> str:
    """Normalise a Solr date literal (ISO, ``NOW``, with date math)."""
    text = value.strip()
    m = re.match(r"^(NOW|[^+/]+?(?:Z|[+-]\d\d:\d\d)?)((?:[+-]\d+[A-Z]+|/[A-Z]+)*)$", text)
    if not m:
        raise QuerySyntaxError("Invalid Date String:'%s'" % value)
    base, math_part = m.group(1), m.group(2)
    if base == "NOW":
        dt = now or _dt.datetime.now(_dt.timezone.utc).replace(tzinfo=None)
    else:
        norm = normalize_date(base)
        if norm is None:
            raise QuerySyntaxError("Invalid Date String:'%s'" % value)
        dt = _dt.datetime.strptime(norm, "%Y-%m-%dT%H:%M:%S.%fZ")
    for op in _DATE_MATH_RE.findall(math_part):
        if op.startswith("/"):
            unit = _UNITS.get(op[1:])
            if not unit:
                raise QuerySyntaxError("Invalid date math unit in '%s'" % value)
            dt = _round(dt, unit)
        else:
            um = re.match(r"([+-]\d+)([A-Z]+)", op)
            assert um
            unit = _UNITS.get(um.group(2))
            if not unit:
                raise QuerySyntaxError("Invalid date math unit in '%s'" % value)
            dt = _add(dt, int(um.group(1)), unit)
    return dt.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


# --- index side ---------------------------------------------------------------

def index_values(name: str, value: Any) -> list[str]:
    """The list of strings a Solr field value is indexed as."""
    out: list[str] = []
    items: Iterable[Any] = value if isinstance(value, (list, tuple, set)) else [value]
    kind = field_kind(name)
    for item in items:
        if item is None:
            continue
        if isinstance(item, bool):
            text = "true" if item else "false"
        elif isinstance(item, (dict, list)):
            text = json.dumps(item, sort_keys=True, default=str)
        elif isinstance(item, float) and item.is_integer():
            text = str(int(item))
        else:
            text = str(item)
        if text == "":
            continue
        if kind == "date":
            norm = normalize_date(text)
            if norm is None:
                continue
            text = norm
        out.append(text)
    return out


_HYPHEN_RE = re.compile(r"(?<=\w)[-_/](?=\w)")


# a tsvector holds at most 1 MB: index the first 200,000 characters of each weight class
MAX_TEXT = 200_000


def _texts(values: Iterable[str]) -> str:
    parts = []
    for v in values:
        parts.append(v)
        split = _HYPHEN_RE.sub(" ", v)
        if split != v:
            parts.append(split)
    return "\n".join(parts)[:MAX_TEXT]


# Solr copyFields into ``text`` (schema.xml)
_TEXT_SOURCES = (
    "url", "ckan_url", "download_url", "res_url", "name", "title", "text",
    "license", "notes", "tags", "groups", "organization", "res_name",
    "res_description", "maintainer", "author",
)
_TEXT_SOURCE_PREFIXES = ("extras_", "res_extras_", "vocab_")


def search_texts(fields: dict[str, list[str]]) -> tuple[str, str, str]:
    """Texts for tsvector weights A (name, title), B (tags, groups), D (text)."""
    a = _texts(fields.get("name", []) + fields.get("title", []))
    b = _texts(fields.get("tags", []) + fields.get("groups", []))
    d_values: list[str] = []
    for key, values in fields.items():
        if key in _TEXT_SOURCES or key.startswith(_TEXT_SOURCE_PREFIXES):
            d_values.extend(values)
    return a, b, _texts(d_values)


# --- tokenizer ------------------------------------------------------------------

@dataclass
class Tok:
    kind: str  # LP RP PLUS MINUS NOT AND OR FIELD TERM PHRASE RANGE
    value: Any = None


@dataclass
class Term:
    text: str                  # unescaped text (wildcards kept as * ?)
    like: Optional[str] = None  # LIKE pattern when it has unescaped wildcards
    prefix: Optional[str] = None  # 'abc' when the term is exactly 'abc*'


_SPECIAL = set(' \t\r\n()"[]{}:')


def _read_term(s: str, i: int) -> tuple[str, list[tuple[str, bool]], int]:
    """Read a bare term; returns (raw, [(char, escaped)], end)."""
    chars: list[tuple[str, bool]] = []
    start = i
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            chars.append((s[i + 1], True))
            i += 2
            continue
        if c in _SPECIAL:
            break
        chars.append((c, False))
        i += 1
    return s[start:i], chars, i


def _strip_modifiers(chars: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    for n, (c, esc) in enumerate(chars):
        if not esc and c in "^~" and n > 0:
            return chars[:n]
    return chars


def _make_term(chars: list[tuple[str, bool]]) -> Term:
    chars = _strip_modifiers(chars)
    text = "".join(c for c, _ in chars)
    wild = [n for n, (c, esc) in enumerate(chars) if not esc and c in "*?"]
    if not wild:
        return Term(text)
    like = []
    for c, esc in chars:
        if not esc and c == "*":
            like.append("%")
        elif not esc and c == "?":
            like.append("_")
        elif c in "%_\\":
            like.append("\\" + c)
        else:
            like.append(c)
    prefix = None
    if wild == [len(chars) - 1] and chars[-1][0] == "*" and len(chars) > 1:
        prefix = text[:-1]
    return Term(text, "".join(like), prefix)


def _skip_suffix(s: str, i: int) -> int:
    # ^boost or ~slop after a phrase, range or group
    while i < len(s) and s[i] in "^~":
        i += 1
        while i < len(s) and (s[i].isdigit() or s[i] == "."):
            i += 1
    return i


def _read_quoted(s: str, i: int) -> tuple[str, int]:
    assert s[i] == '"'
    i += 1
    out = []
    while i < len(s):
        c = s[i]
        if c == "\\" and i + 1 < len(s):
            out.append(s[i + 1])
            i += 2
            continue
        if c == '"':
            return "".join(out), i + 1
        out.append(c)
        i += 1
    raise QuerySyntaxError("Cannot parse '%s': unterminated phrase" % s)


def tokenize(s: str) -> list[Tok]:
    toks: list[Tok] = []
    i = 0
    n = len(s)
    while i < n:
        c = s[i]
        if c.isspace():
            i += 1
            continue
        if c == "(":
            toks.append(Tok("LP"))
            i += 1
        elif c == ")":
            toks.append(Tok("RP"))
            i = _skip_suffix(s, i + 1)
        elif c == '"':
            text, i = _read_quoted(s, i)
            toks.append(Tok("PHRASE", text))
            i = _skip_suffix(s, i)
        elif c in "[{":
            j = i + 1
            parts: list[str] = []
            cur: list[str] = []
            close = None
            while j < n:
                ch = s[j]
                if ch == '"':
                    text, j = _read_quoted(s, j)
                    cur.append(text)
                    continue
                if ch == "\\" and j + 1 < n:
                    cur.append(s[j + 1])
                    j += 2
                    continue
                if ch in "]}":
                    close = ch
                    j += 1
                    break
                if ch.isspace():
                    if cur:
                        parts.append("".join(cur))
                        cur = []
                    j += 1
                    continue
                cur.append(ch)
                j += 1
            if cur:
                parts.append("".join(cur))
            if close is None or len(parts) != 3 or parts[1] != "TO":
                raise QuerySyntaxError("Cannot parse '%s': bad range" % s)
            toks.append(Tok("RANGE", (parts[0], parts[2], c == "[", close == "]")))
            i = _skip_suffix(s, j)
        elif c == "+" and i + 1 < n and not s[i + 1].isspace():
            toks.append(Tok("PLUS"))
            i += 1
        elif c == "-" and i + 1 < n and not s[i + 1].isspace():
            toks.append(Tok("MINUS"))
            i += 1
        elif c == "!" and i + 1 < n:
            toks.append(Tok("NOT"))
            i += 1
        elif s.startswith("&&", i):
            toks.append(Tok("AND"))
            i += 2
        elif s.startswith("||", i):
            toks.append(Tok("OR"))
            i += 2
        elif c == ":":
            raise QuerySyntaxError("Cannot parse '%s': unexpected ':'" % s)
        else:
            raw, chars, j = _read_term(s, i)
            if j == i:
                raise QuerySyntaxError("Cannot parse '%s'" % s)
            if j < n and s[j] == ":":
                name = "".join(ch for ch, _ in chars)
                toks.append(Tok("FIELD", name))
                i = j + 1
                continue
            if raw in ("AND", "OR", "NOT"):
                toks.append(Tok(raw))
            else:
                toks.append(Tok("TERM", _make_term(chars)))
            i = j
    return toks


# --- parser ----------------------------------------------------------------------
# AST: ("all",) ("none",) ("and", [..]) ("or", [..]) ("not", node)
#      ("match", field, kind, payload)  kind: term phrase range

class _Parser:
    def __init__(self, toks: list[Tok], default_op: str, text: str):
        self.toks = toks
        self.i = 0
        self.default_op = default_op
        self.text = text

    def peek(self) -> Optional[Tok]:
        return self.toks[self.i] if self.i < len(self.toks) else None

    def take(self) -> Tok:
        tok = self.toks[self.i]
        self.i += 1
        return tok

    def fail(self, why: str) -> QuerySyntaxError:
        return QuerySyntaxError("Cannot parse '%s': %s" % (self.text, why))

    def parse(self) -> tuple:
        if not self.toks:
            return ("all",)
        node = self.or_expr(DEFAULT_FIELD)
        if self.peek() is not None:
            raise self.fail("unexpected %s" % self.peek().kind)
        return node

    def or_expr(self, fld: str) -> tuple:
        items = [self.and_expr(fld)]
        while self.peek() is not None and self.peek().kind == "OR":
            self.take()
            items.append(self.and_expr(fld))
        return items[0] if len(items) == 1 else ("or", items)

    def and_expr(self, fld: str) -> tuple:
        # clauses joined by AND, or adjacent (q.op); explicit AND binds them
        groups: list[list[tuple]] = [[self.unary(fld)]]
        while True:
            tok = self.peek()
            if tok is None or tok.kind in ("OR", "RP"):
                break
            if tok.kind == "AND":
                self.take()
                groups[-1].append(self.unary(fld))
                continue
            nxt = self.unary(fld)
            if self.default_op == "OR":
                groups.append([nxt])
            else:
                groups[-1].append(nxt)
        ands = [g[0] if len(g) == 1 else ("and", g) for g in groups]
        return ands[0] if len(ands) == 1 else ("or", ands)

    def unary(self, fld: str) -> tuple:
        tok = self.peek()
        if tok is None:
            raise self.fail("unexpected end")
        if tok.kind == "PLUS":
            self.take()
            return self.unary(fld)
        if tok.kind in ("MINUS", "NOT"):
            self.take()
            return ("not", self.unary(fld))
        return self.primary(fld)

    def primary(self, fld: str) -> tuple:
        tok = self.take()
        if tok.kind == "LP":
            node = self.or_expr(fld)
            if self.peek() is None or self.peek().kind != "RP":
                raise self.fail("missing ')'")
            self.take()
            return node
        if tok.kind == "FIELD":
            name = tok.value
            if not re.match(r"^[\w.\-*]+$", name):
                raise self.fail("bad field name %r" % name)
            nxt = self.peek()
            if nxt is None:
                raise self.fail("missing value for %s" % name)
            if nxt.kind == "LP":
                self.take()
                node = self.or_expr(name)
                if self.peek() is None or self.peek().kind != "RP":
                    raise self.fail("missing ')'")
                self.take()
                return node
            if nxt.kind in ("PLUS", "MINUS", "NOT"):
                return self.unary(name)
            return self.value(name, self.take())
        return self.value(fld, tok)

    def value(self, fld: str, tok: Tok) -> tuple:
        if tok.kind == "TERM":
            term: Term = tok.value
            if fld == "*" and term.text == "*":
                return ("all",)
            if fld == "*":
                raise self.fail("field '*' only takes '*'")
            return ("match", fld, "term", term)
        if tok.kind == "PHRASE":
            return ("match", fld, "phrase", tok.value)
        if tok.kind == "RANGE":
            return ("match", fld, "range", tok.value)
        raise self.fail("unexpected %s" % tok.kind)


def parse_lucene(q: str, default_op: str = "AND") -> tuple:
    if re.match(r"^\s*\{!", q or ""):
        raise QuerySyntaxError("Local parameters are not supported: %s" % q)
    return _Parser(tokenize(q or ""), default_op.upper(), q or "").parse()


# --- compiler ----------------------------------------------------------------------

@dataclass
class Compiled:
    params: dict[str, Any] = dc_field(default_factory=dict)
    rank: list[str] = dc_field(default_factory=list)  # tsquery SQL snippets
    _n: int = 0

    def p(self, value: Any) -> str:
        name = "p%d" % self._n
        self._n += 1
        self.params[name] = value
        return ":" + name


_NUM_RE = r"'^-?[0-9]+(\.[0-9]+)?$'"


def _fvals(c: Compiled, name: str) -> str:
    return "jsonb_array_elements_text(coalesce(s.fields -> %s, '[]'))" % c.p(name)


def _tsquery_for(c: Compiled, kind: str, payload: Any) -> Optional[str]:
    """tsquery SQL for a term/phrase on a tokenized field; None = any value."""
    if kind == "phrase":
        return "phraseto_tsquery('%s', %s)" % (TS_CONFIG, c.p(payload))
    term: Term = payload
    if term.like is None:
        return "plainto_tsquery('%s', %s)" % (TS_CONFIG, c.p(term.text))
    if term.prefix is not None:
        words = re.findall(r"\w+", term.prefix.lower())
        if not words:
            return None
        # 'jumlah-pend*' -> 'jumlah' & 'pend':*
        lexemes = ["'%s'" % w for w in words[:-1]] + ["'%s':*" % words[-1]]
        return "to_tsquery('%s', %s)" % (TS_CONFIG, c.p(" & ".join(lexemes)))
    return None


def _range_sql(c: Compiled, name: str, kind: str, rng: tuple) -> str:
    lo, hi, inc_lo, inc_hi = rng
    conds = []
    for bound, inclusive, op in ((lo, inc_lo, ">"), (hi, inc_hi, "<")):
        if bound == "*":
            continue
        op = op + "=" if inclusive else op
        if kind == "date":
            conds.append("v %s %s" % (op, c.p(solr_date(bound))))
        elif kind == "numeric":
            try:
                num = float(bound)
            except ValueError:
                raise QuerySyntaxError("Invalid number: %s" % bound)
            conds.append("(v ~ %s AND CAST(v AS numeric) %s %s)" % (_NUM_RE, op, c.p(num)))
        else:
            conds.append('v COLLATE "C" %s %s' % (op, c.p(bound)))
    where = " AND ".join(conds) or "TRUE"
    return "EXISTS (SELECT 1 FROM %s v WHERE %s)" % (_fvals(c, name), where)


def _match_sql(c: Compiled, name: str, how: str, payload: Any, ranked: bool) -> str:
    kind = field_kind(name)
    if how == "range":
        if kind == "fulltext":
            raise QuerySyntaxError("Range queries on 'text' are not supported")
        lo, hi = payload[0], payload[1]
        if lo == "*" and hi == "*":
            return "(s.fields ? %s)" % c.p(name)
        return _range_sql(c, name, kind, payload)

    if how == "term" and payload.text == "*":
        if kind == "fulltext":
            return "TRUE"
        return "(s.fields ? %s)" % c.p(name)

    if kind in ("fulltext", "text"):
        tsq = _tsquery_for(c, how, payload)
        if tsq is None:  # inner wildcard: fall back to a case-insensitive LIKE
            if kind == "fulltext":  # on any indexed value
                return ("EXISTS (SELECT 1 FROM jsonb_each(s.fields) kv, "
                        "jsonb_array_elements_text(kv.value) v WHERE v ILIKE %s)"
                        % c.p(payload.like))
            return "EXISTS (SELECT 1 FROM %s v WHERE v ILIKE %s)" % (
                _fvals(c, name), c.p(payload.like))
        if ranked:
            c.rank.append(tsq)
        if kind == "fulltext":
            return "(s.search_vector @@ %s)" % tsq
        return ("coalesce(jsonb_to_tsvector('%s', s.fields -> %s, '[\"string\"]') @@ %s, false)"
                % (TS_CONFIG, c.p(name), tsq))

    value = payload if how == "phrase" else payload.text
    if how == "term" and payload.like is not None:
        return "EXISTS (SELECT 1 FROM %s v WHERE v LIKE %s)" % (_fvals(c, name), c.p(payload.like))
    if kind == "date":
        return "(s.fields @> CAST(%s AS jsonb))" % c.p(json.dumps({name: [solr_date(value)]}))
    if kind == "numeric":
        try:
            num = float(value)
        except ValueError:
            raise QuerySyntaxError("Invalid number: %s" % value)
        return "EXISTS (SELECT 1 FROM %s v WHERE v ~ %s AND CAST(v AS numeric) = %s)" % (
            _fvals(c, name), _NUM_RE, c.p(num))
    return "(s.fields @> CAST(%s AS jsonb))" % c.p(json.dumps({name: [value]}))


def compile_node(c: Compiled, node: tuple, ranked: bool = True) -> str:
    op = node[0]
    if op == "all":
        return "TRUE"
    if op == "none":
        return "FALSE"
    if op == "and":
        return "(" + " AND ".join(compile_node(c, n, ranked) for n in node[1]) + ")"
    if op == "or":
        return "(" + " OR ".join(compile_node(c, n, ranked) for n in node[1]) + ")"
    if op == "not":
        return "(NOT %s)" % compile_node(c, node[1], False)
    if op == "match":
        return _match_sql(c, node[1], node[2], node[3], ranked)
    raise AssertionError(node)


def compile_lucene(c: Compiled, q: str, default_op: str = "AND", ranked: bool = True) -> str:
    return compile_node(c, parse_lucene(q, default_op), ranked)


# --- dismax ------------------------------------------------------------------------

_DISMAX_TOKEN_RE = re.compile(r'([+-]?)"((?:[^"\\]|\\.)*)"|(\S+)')


def min_should_match(n: int) -> int:
    """CKAN's mm '2<-1 5<80%'."""
    if n <= 2:
        return n
    if n <= 5:
        return n - 1
    return max(1, int(math.floor(n * 0.8)))


def compile_dismax(c: Compiled, q: str) -> str:
    q = (q or "").strip()
    if q in ("", "*", "*:*"):
        return "TRUE"
    tokens = [m for m in _DISMAX_TOKEN_RE.finditer(q)]
    if any(m.group(3) in ("OR", "||") for m in tokens):
        tsq = "websearch_to_tsquery('%s', %s)" % (TS_CONFIG, c.p(q))
        c.rank.append(tsq)
        return "(s.search_vector @@ %s)" % tsq
    should: list[str] = []
    must: list[str] = []
    must_not: list[str] = []
    for m in tokens:
        if m.group(2) is not None or m.group(1):
            sign, text, phrase = m.group(1), m.group(2), True
            if text is None:
                text, phrase = m.group(3), False
        else:
            word = m.group(3)
            sign = ""
            if word[0] in "+-" and len(word) > 1:
                sign, word = word[0], word[1:]
            text, phrase = word, False
        if text in ("AND", "&&"):
            continue
        if not re.search(r"\w", text):
            continue
        fn = "phraseto_tsquery" if phrase else "plainto_tsquery"
        tsq = "%s('%s', %s)" % (fn, TS_CONFIG, c.p(text))
        if sign == "-":
            must_not.append(tsq)
        elif sign == "+":
            must.append(tsq)
        else:
            should.append(tsq)
    c.rank.extend(must + should)
    conds = ["(s.search_vector @@ %s)" % t for t in must]
    conds += ["(NOT (s.search_vector @@ %s))" % t for t in must_not]
    if should:
        need = min_should_match(len(should) + len(must)) - len(must)
        if need >= len(should):
            conds += ["(s.search_vector @@ %s)" % t for t in should]
        elif need > 0:
            conds.append("((%s) >= %d)" % (
                " + ".join("CAST(s.search_vector @@ %s AS int)" % t for t in should), need))
    if not conds:
        return "TRUE"
    return "(" + " AND ".join(conds) + ")"


# --- sort -----------------------------------------------------------------------------

def compile_sort(c: Compiled, sort: Optional[str], score_sql: str) -> str:
    clauses = []
    for part in (sort or "").split(","):
        part = part.strip()
        if not part:
            continue
        m = re.match(r"^([\w.\-]+)\s+(asc|desc)$", part, re.IGNORECASE)
        if not m:
            raise QuerySyntaxError("Can't determine a Sort Order (asc or desc) in sort spec '%s'" % part)
        name, direction = m.group(1), m.group(2).upper()
        if name == "score":
            clauses.append("%s %s" % (score_sql, direction))
            continue
        kind = field_kind(name)
        val = "(s.fields -> %s ->> 0)" % c.p(name)
        if kind == "numeric":
            expr = "CASE WHEN %s ~ %s THEN CAST(%s AS numeric) END" % (val, _NUM_RE, val)
        else:
            expr = '%s COLLATE "C"' % val
        clauses.append("%s %s NULLS LAST" % (expr, direction))
    clauses.append("s.index_id")
    return ", ".join(clauses)


def parse_fl(fl: Any) -> Optional[list[str]]:
    """Field list; None means every stored field."""
    if fl is None:
        return None
    if isinstance(fl, (list, tuple)):
        names = [str(x) for x in fl]
    else:
        names = re.split(r"[\s,]+", str(fl))
    names = [n for n in names if n]
    if not names or "*" in names:
        return None
    return names


# --- whole statements ----------------------------------------------------------------

UPSERT_SQL = """
INSERT INTO {t} (index_id, site_id, id, name, entity_type, doc, fields,
                 data_dict, validated_data_dict, search_vector, indexed_at)
VALUES (:index_id, :site_id, :id, :name, :entity_type,
        CAST(:doc AS jsonb), CAST(:fields AS jsonb),
        :data_dict, :validated_data_dict,
        setweight(to_tsvector('{cfg}', :text_a), 'A') ||
        setweight(to_tsvector('{cfg}', :text_b), 'B') ||
        setweight(to_tsvector('{cfg}', :text_d), 'D'),
        now())
ON CONFLICT (index_id) DO UPDATE SET
    site_id = EXCLUDED.site_id, id = EXCLUDED.id, name = EXCLUDED.name,
    entity_type = EXCLUDED.entity_type, doc = EXCLUDED.doc,
    fields = EXCLUDED.fields, data_dict = EXCLUDED.data_dict,
    validated_data_dict = EXCLUDED.validated_data_dict,
    search_vector = EXCLUDED.search_vector, indexed_at = EXCLUDED.indexed_at
""".format(t=TABLE, cfg=TS_CONFIG)


def prepare_row(doc: dict[str, Any]) -> dict[str, Any]:
    """Bind parameters of :data:`UPSERT_SQL` for one Solr document."""
    if not doc.get("id"):
        raise QuerySyntaxError("[doc] missing required field: id")
    stored = {k: v for k, v in doc.items() if k not in STORED_ONLY}
    fields: dict[str, list[str]] = {}
    for key, value in stored.items():
        values = index_values(key, value)
        if values:
            fields[key] = values
    index_id = doc.get("index_id") or doc["id"]
    fields.setdefault("index_id", [index_id])
    text_a, text_b, text_d = search_texts(fields)
    public_doc = {k: v for k, v in stored.items() if k not in NOT_STORED}
    return {
        "index_id": index_id,
        "site_id": doc.get("site_id") or "",
        "id": doc["id"],
        "name": doc.get("name"),
        "entity_type": doc.get("entity_type"),
        "doc": json.dumps(public_doc, default=str),
        "fields": json.dumps(fields),
        "data_dict": doc.get("data_dict"),
        "validated_data_dict": doc.get("validated_data_dict"),
        "text_a": text_a,
        "text_b": text_b,
        "text_d": text_d,
    }


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return list(value)
    return [value]


def _int(value: Any, default: int) -> int:
    if value is None or value == "":
        return default
    try:
        return int(value)
    except (TypeError, ValueError):
        raise QuerySyntaxError("invalid integer %r" % (value,))


@dataclass
class SearchPlan:
    """SQL for one Solr ``select``: count, one page, facets (or None)."""
    count_sql: str
    page_sql: Optional[str]
    facet_sql: Optional[str]
    params: dict[str, Any]
    facet_fields: list[str]
    fl: Optional[list[str]]


def plan_search(q: Optional[str], params: dict[str, Any]) -> SearchPlan:
    """Compile Solr request parameters (as CKAN passes them to pysolr)."""
    c = Compiled()
    q = q or "*:*"
    default_op = str(params.get("q.op") or "AND").upper()
    def_type = params.get("defType") or "lucene"

    if def_type in ("dismax", "edismax") and not (def_type == "edismax" and ":" in q):
        conds = [compile_dismax(c, q)]
    else:
        conds = [compile_lucene(c, q, default_op)]
    for fq in _as_list(params.get("fq")):
        if fq is None or not str(fq).strip():
            continue
        conds.append(compile_lucene(c, str(fq), default_op, ranked=False))
    where = " AND ".join(conds)

    if c.rank:
        score_sql = "ts_rank(s.search_vector, %s)" % " || ".join("(%s)" % r for r in c.rank)
    else:
        score_sql = "1.0"
    order = compile_sort(c, params.get("sort"), "score")
    rows = _int(params.get("rows"), 10)
    start = max(_int(params.get("start"), 0), 0)

    count_sql = "SELECT count(*) FROM %s s WHERE %s" % (TABLE, where)
    page_sql = None
    if rows > 0:
        page_sql = (
            "SELECT s.doc, s.data_dict, s.validated_data_dict, {score} AS score "
            "FROM {t} s WHERE {w} ORDER BY {o} LIMIT {rows} OFFSET {start}".format(
                score=score_sql, t=TABLE, w=where, o=order, rows=rows, start=start))

    facet_sql = None
    names: list[str] = []
    if str(params.get("facet", "false")).lower() in ("true", "on", "1"):
        names = [str(n) for n in _as_list(params.get("facet.field")) if n]
    if names:
        limit = _int(params.get("facet.limit"), 100)
        mincount = max(_int(params.get("facet.mincount"), 1), 1)
        parts = []
        for name in names:
            pname = c.p(name)
            parts.append(
                "SELECT CAST({p} AS text) AS facet, v AS value FROM "
                "jsonb_array_elements_text(coalesce(s.fields -> {p}, '[]')) v".format(p=pname))
        facet_sql = """
            SELECT facet, value, cnt FROM (
                SELECT f.facet, f.value, count(*) AS cnt,
                       row_number() OVER (PARTITION BY f.facet
                                          ORDER BY count(*) DESC, f.value COLLATE "C") AS rn
                FROM {t} s CROSS JOIN LATERAL ({union}) f
                WHERE {w}
                GROUP BY f.facet, f.value
                HAVING count(*) >= {mincount}
            ) x {lim} ORDER BY facet, rn
            """.format(t=TABLE, union=" UNION ALL ".join(parts), w=where, mincount=mincount,
                       lim="" if limit < 0 else "WHERE rn <= %d" % limit)
    return SearchPlan(count_sql, page_sql, facet_sql, c.params, names, parse_fl(params.get("fl")))


def result_doc(doc: Any, data_dict: Optional[str], validated: Optional[str],
               score: Any, fl: Optional[list[str]]) -> dict[str, Any]:
    """One returned document, restricted to ``fl``."""
    if isinstance(doc, str):
        doc = json.loads(doc)
    full = dict(doc or {})
    if data_dict is not None:
        full["data_dict"] = data_dict
    if validated is not None:
        full["validated_data_dict"] = validated
    if fl is None:
        return full
    out: dict[str, Any] = {}
    for name in fl:
        if name == "score":
            out["score"] = float(score)
        elif name in full:
            out[name] = full[name]
    return out


def facet_result(names: list[str], rows: Iterable[tuple[str, str, int]]) -> dict[str, Any]:
    """Solr's ``facet_counts`` from (facet, value, count) rows."""
    out: dict[str, list[Any]] = {name: [] for name in names}
    for facet, value, cnt in rows:
        out[facet].extend([value, int(cnt)])
    return {"facet_fields": out, "facet_queries": {}, "facet_ranges": {},
            "facet_intervals": {}, "facet_heatmaps": {}}


def plan_delete(id: Any = None, q: Optional[str] = None) -> tuple[str, dict[str, Any]]:
    c = Compiled()
    conds = []
    if id is not None:
        conds.append("s.index_id = ANY(%s)" % c.p([str(i) for i in _as_list(id)]))
    if q is not None:
        conds.append(compile_lucene(c, q, ranked=False))
    if not conds:
        raise ValueError('You must specify "id" or "q".')
    return "DELETE FROM %s s WHERE %s" % (TABLE, " OR ".join(conds)), c.params
