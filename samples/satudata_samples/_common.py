"""Shared machinery of the sample dinas databases: regions, random draws, report, server admin.

The samples stand in for the departmental (dinas) systems the pipeline extracts from, so they are
built to look like those systems (their own table names, upper-case values, spelling variants) and
to be exactly reproducible: every random draw comes from a numpy ``Generator`` seeded from the
caller's ``seed`` plus a fixed label, so the same ``(scale, seed, defects)`` gives the same rows on
every machine, whatever order modules are seeded in.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import math
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from satudata.warehouse.reference_data import reference_paths

# --------------------------------------------------------------------------------------------
# Report
# --------------------------------------------------------------------------------------------


@dataclass
class SeedReport:
    """What a ``seed()`` call built, so tests and the local runner can check it exactly.

    ``defects`` maps each defect kind to the keys of the rows that carry it (one defect per row;
    the kinds never share a row), in the key format of the table the module documents.
    """

    dinas: str
    dbname: str
    dialect: str  # "postgresql", "mysql" or "files"
    scale: float
    seed: int
    row_counts: dict[str, int] = field(default_factory=dict)
    defects: dict[str, list[str]] = field(default_factory=dict)
    seconds: float = 0.0
    reader_url: str | None = None
    files: list[Path] = field(default_factory=list)

    def defect_count(self, kind: str | None = None) -> int:
        """Number of injected defect rows of one kind, or of all kinds."""
        if kind is not None:
            return len(self.defects.get(kind, []))
        return sum(len(keys) for keys in self.defects.values())


class Stopwatch:
    """Tiny wall-clock timer for ``SeedReport.seconds``."""

    def __init__(self) -> None:
        self._start = time.perf_counter()

    def seconds(self) -> float:
        return round(time.perf_counter() - self._start, 3)


# --------------------------------------------------------------------------------------------
# Regions
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Kecamatan:
    kode: str  # Kemendagri, '32.16.01'
    nama: str  # Kemendagri spelling, title case
    kode_bps: str  # '3216100'
    nama_bps: str  # BPS spelling, upper case

    @property
    def number(self) -> str:
        """The two-digit kecamatan number used inside NIK and other local identifiers."""
        return self.kode.split(".")[2]


@dataclass(frozen=True)
class Desa:
    kode: str  # Kemendagri, '32.16.01.2001'
    nama: str
    status: str  # 'desa' / 'kelurahan'
    kecamatan: Kecamatan
    kode_bps: str


@lru_cache(maxsize=1)
def kecamatan_list() -> tuple[Kecamatan, ...]:
    """The 23 kecamatan in Kemendagri code order."""
    with reference_paths()["kecamatan"].open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    return tuple(
        Kecamatan(r["kode_kemendagri"], r["nama_kecamatan"], r["kode_bps"], r["nama_bps"]) for r in rows
    )


@lru_cache(maxsize=1)
def desa_list() -> tuple[Desa, ...]:
    """The 187 desa/kelurahan in Kemendagri code order."""
    kec = {k.kode: k for k in kecamatan_list()}
    with reference_paths()["desa_kelurahan"].open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    out = [
        Desa(r["kode_kemendagri"], r["nama_desa_kelurahan"], r["status"], kec[r["kode_kecamatan_kemendagri"]],
             r["kode_bps"])
        for r in rows
    ]
    return tuple(sorted(out, key=lambda d: d.kode))


# Approximate resident population per kecamatan (thousands), shaped after BPS "Kabupaten Bekasi
# Dalam Angka" after the 2020 census and rounded: plausible proportions for samples, not official
# figures. Sums to ~3.33 million.
KECAMATAN_POPULATION_K: Mapping[str, int] = {
    "Setu": 150, "Serang Baru": 165, "Cikarang Pusat": 90, "Cikarang Selatan": 210, "Cibarusah": 100,
    "Bojongmangu": 30, "Cikarang Timur": 110, "Kedung Waringin": 70, "Cikarang Utara": 260,
    "Karang Bahagia": 120, "Cibitung": 240, "Cikarang Barat": 250, "Tambun Selatan": 470,
    "Tambun Utara": 180, "Babelan": 300, "Tarumajaya": 170, "Tambelang": 42, "Sukawangi": 50,
    "Sukatani": 80, "Sukakarya": 50, "Pebayuran": 100, "Cabangbungin": 55, "Muaragembong": 40,
}

#: Kecamatan whose economy is mostly farming (rice fields of the north and east).
AGRARIAN_KECAMATAN = frozenset({
    "Cabangbungin", "Sukakarya", "Sukawangi", "Tambelang", "Pebayuran", "Sukatani", "Bojongmangu",
    "Muaragembong", "Kedung Waringin", "Karang Bahagia", "Cibarusah",
})
#: Kecamatan on the Java Sea coast, where fishing is a common occupation.
COASTAL_KECAMATAN = frozenset({"Muaragembong", "Tarumajaya", "Babelan"})


def kecamatan_upper_variants(kec: Kecamatan) -> tuple[str, ...]:
    """Upper-case names a local application stores for a kecamatan; the first is the usual one.

    Systems in Bekasi write the Kemendagri name in upper case, but records migrated from older
    systems carry the BPS spelling (``KARANGBAHAGIA``, ``KEDUNGWARINGIN``, ``MUARA GEMBONG``).
    Those variants are legitimate data, not defects: the region code is right, and the pipeline
    must harmonise the names to codes.
    """
    main = kec.nama.upper()
    variants = [main]
    if kec.nama_bps != main:
        variants.append(kec.nama_bps)
    return tuple(variants)


def desa_weights(rng: np.random.Generator) -> np.ndarray:
    """Share of the kabupaten population living in each desa (order of ``desa_list()``).

    Kecamatan totals follow ``KECAMATAN_POPULATION_K``; inside a kecamatan the desa get gamma
    distributed shares (kelurahan, the urban centres, somewhat larger).
    """
    desas = desa_list()
    total = sum(KECAMATAN_POPULATION_K.values())
    weights = np.empty(len(desas))
    by_kec: dict[str, list[int]] = {}
    for i, d in enumerate(desas):
        by_kec.setdefault(d.kecamatan.nama, []).append(i)
    for kec_name, idx in by_kec.items():
        raw = rng.gamma(4.0, 1.0, size=len(idx))
        raw *= np.array([1.5 if desas[i].status == "kelurahan" else 1.0 for i in idx])
        weights[idx] = raw / raw.sum() * KECAMATAN_POPULATION_K[kec_name] / total
    return weights


def allocate(total: int, weights: Sequence[float] | np.ndarray) -> np.ndarray:
    """Split ``total`` into integers proportional to ``weights`` (largest remainder), exactly."""
    w = np.asarray(weights, dtype=float)
    exact = w / w.sum() * total
    base = np.floor(exact).astype(np.int64)
    rest = total - int(base.sum())
    if rest:
        order = np.argsort(-(exact - base), kind="stable")
        base[order[:rest]] += 1
    return base


# --------------------------------------------------------------------------------------------
# Randomness
# --------------------------------------------------------------------------------------------


def rng_for(seed: int, *labels: str | int) -> np.random.Generator:
    """A generator seeded from ``seed`` and labels, independent of any other draws made before.

    Labels (e.g. the module and a desa code) keep streams separate, so adding a table or a
    chunk never changes the rows of another.
    """
    digest = hashlib.sha256("|".join(str(x) for x in (seed, *labels)).encode()).digest()
    return np.random.default_rng(np.frombuffer(digest[:16], dtype=np.uint32))


def draw(rng: np.random.Generator, values: Sequence[Any], probs: Sequence[float], size: int) -> np.ndarray:
    """``size`` draws of ``values`` with (unnormalised) ``probs``."""
    p = np.asarray(probs, dtype=float)
    idx = rng.choice(len(values), size=size, p=p / p.sum())
    return np.asarray(values, dtype=object)[idx]


def draw_by_group(
    rng: np.random.Generator,
    groups: np.ndarray,
    tables: Mapping[Any, tuple[Sequence[Any], Sequence[float]]],
) -> np.ndarray:
    """For each row draw from the value/probability table of its group (``groups[i]``)."""
    out = np.empty(len(groups), dtype=object)
    for key, (values, probs) in tables.items():
        mask = groups == key
        n = int(mask.sum())
        if n:
            out[mask] = draw(rng, values, probs, n)
    return out


def rank_within(codes: np.ndarray) -> np.ndarray:
    """0-based running number of each element among equal ``codes`` (stable, in array order)."""
    order = np.argsort(codes, kind="stable")
    sorted_codes = codes[order]
    starts = np.r_[0, np.flatnonzero(sorted_codes[1:] != sorted_codes[:-1]) + 1]
    group_start = np.repeat(starts, np.diff(np.r_[starts, len(codes)]))
    ranks = np.empty(len(codes), dtype=np.int64)
    ranks[order] = np.arange(len(codes)) - group_start
    return ranks


# --------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------


def zfill(values: np.ndarray, width: int) -> np.ndarray:
    """Zero-padded text of integers (object array); safe for empty arrays, unlike ``np.char.zfill``."""
    a = np.asarray(values)
    if a.size == 0:
        return np.array([], dtype=object)
    return np.char.zfill(a.astype(str), width).astype(object)


def day(s: str) -> np.datetime64:
    return np.datetime64(s, "D")


def random_days(rng: np.random.Generator, start: str | np.datetime64, end: str | np.datetime64,
                size: int) -> np.ndarray:
    """Uniform dates in ``[start, end]`` (inclusive) as ``datetime64[D]``."""
    a, b = np.datetime64(start, "D"), np.datetime64(end, "D")
    return a + rng.integers(0, int((b - a).astype(int)) + 1, size=size).astype("timedelta64[D]")


def date_parts(d: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Year, month (1-12) and day (1-31) arrays of a ``datetime64[D]`` array."""
    years = d.astype("datetime64[Y]").astype(np.int64) + 1970
    months_since = d.astype("datetime64[M]")
    months = months_since.astype(np.int64) % 12 + 1
    days = (d - months_since.astype("datetime64[D]")).astype(np.int64) + 1
    return years, months, days


# --------------------------------------------------------------------------------------------
# Defect bookkeeping
# --------------------------------------------------------------------------------------------


def normalise_defects(defects: Mapping[str, int] | None, known: Iterable[str]) -> dict[str, int]:
    """Validate a ``defects`` mapping: known kinds, non-negative integer counts."""
    known = tuple(known)
    out: dict[str, int] = dict.fromkeys(known, 0)
    for kind, count in (defects or {}).items():
        if kind not in out:
            raise ValueError(f"unknown defect kind {kind!r}; known: {', '.join(known)}")
        if int(count) != count or count < 0:
            raise ValueError(f"defect count for {kind!r} must be a non-negative integer, got {count!r}")
        out[kind] = int(count)
    return out


class DefectPlan:
    """Spreads an exact number of defect rows over the chunks of a generation run.

    Chunks (e.g. desa) are visited in order; each takes the share its size warrants so far, never
    more than ``max_share`` of its eligible rows, and passes what it could not take on. The kinds
    are shuffled once, so which row gets which kind is fixed by the seed alone.
    """

    def __init__(self, counts: Mapping[str, int], total_rows: int, rng: np.random.Generator,
                 max_share: float = 0.5) -> None:
        kinds = [k for k, n in counts.items() for _ in range(n)]
        self.queue: list[str] = [kinds[i] for i in rng.permutation(len(kinds))] if kinds else []
        self.total = len(self.queue)
        self.total_rows = max(total_rows, 1)
        self.max_share = max_share
        self.rows_seen = 0
        self.taken = 0

    def take(self, chunk_rows: int, eligible: int, last: bool = False) -> list[str]:
        """Defect kinds for this chunk (its length is how many eligible rows to spoil)."""
        self.rows_seen += chunk_rows
        target = self.total if last else round(self.total * self.rows_seen / self.total_rows)
        want = max(0, target - self.taken)
        cap = eligible if last else int(eligible * self.max_share)
        n = min(want, cap, len(self.queue) - self.taken)
        kinds = self.queue[self.taken:self.taken + n]
        self.taken += n
        return kinds

    def check_done(self) -> None:
        if self.taken != self.total:
            raise ValueError(
                f"could not place {self.total - self.taken} of {self.total} defect rows: "
                "too many defects for this scale"
            )


# --------------------------------------------------------------------------------------------
# PostgreSQL administration
# --------------------------------------------------------------------------------------------


def _pg_conninfo(dsn: str, **overrides: Any) -> str:
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(dsn)
    params.update({k: v for k, v in overrides.items() if v is not None})
    return make_conninfo(**params)


def pg_recreate_database(admin_dsn: str, dbname: str) -> str:
    """Drop (forcing out sessions) and create ``dbname``; return a DSN for it."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
        conn.execute(sql.SQL("CREATE DATABASE {} ENCODING 'UTF8' TEMPLATE template0").format(
            sql.Identifier(dbname)))
    return _pg_conninfo(admin_dsn, dbname=dbname)


def pg_drop_database(admin_dsn: str, dbname: str, reader_user: str | None = None) -> None:
    """Drop a sample database (and its reader role, if given and no longer used elsewhere)."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(dbname)))
        if reader_user:
            # the role may still read another sample database: then it stays
            with contextlib.suppress(psycopg.errors.DependentObjectsStillExist):
                conn.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(reader_user)))


def pg_grant_reader(admin_dsn: str, dbname: str, user: str, password: str | None) -> str:
    """Create or update a login role that can only read the tables of ``dbname``; return its URL."""
    import psycopg
    from psycopg import sql

    ident = sql.Identifier(user)
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (user,)).fetchone()
        verb = "ALTER" if exists else "CREATE"
        conn.execute(sql.SQL(verb + " ROLE {} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD {}").format(
            ident, sql.Literal(password)))
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(sql.Identifier(dbname), ident))
    with psycopg.connect(_pg_conninfo(admin_dsn, dbname=dbname), autocommit=True) as conn:
        conn.execute("REVOKE CREATE ON SCHEMA public FROM PUBLIC")
        conn.execute(sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(ident))
        conn.execute(sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA public TO {}").format(ident))
    from psycopg.conninfo import conninfo_to_dict

    params = conninfo_to_dict(admin_dsn)
    host = params.get("host", "localhost")
    port = params.get("port", "5432")
    auth = user if not password else f"{user}:{password}"
    return f"postgresql://{auth}@{host}:{port}/{dbname}"


def pg_copy_frame(conn: Any, table: str, frame: Any) -> int:
    """COPY a pandas DataFrame (column names = table columns; None/NaN/NaT is NULL) into ``table``.

    The frame goes through CSV text, which is several times faster than row-by-row ``write_row``
    for the million-row tables: empty unquoted fields are NULL, empty strings are written quoted.
    """
    if len(frame) == 0:
        return 0
    buf = io.StringIO()
    frame.to_csv(buf, header=False, index=False, na_rep="")
    cols = ", ".join(frame.columns)
    with conn.cursor() as cur, cur.copy(f"COPY {table} ({cols}) FROM STDIN (FORMAT csv)") as copy:
        copy.write(buf.getvalue())
    return len(frame)


# --------------------------------------------------------------------------------------------
# MariaDB administration
# --------------------------------------------------------------------------------------------


def mysql_params(url: str) -> dict[str, Any]:
    """Connection keywords for PyMySQL/mysqlclient from ``mysql://user:pass@host:port[/db]``."""
    from urllib.parse import unquote, urlsplit

    parts = urlsplit(url)
    if parts.scheme not in ("mysql", "mariadb", "mysql+pymysql", "mysql+mysqldb"):
        raise ValueError(f"not a MySQL/MariaDB URL: {parts.scheme}://…")
    params: dict[str, Any] = {
        "host": parts.hostname or "127.0.0.1",
        "port": parts.port or 3306,
        "user": unquote(parts.username or "root"),
        "password": unquote(parts.password or ""),
        "charset": "utf8mb4",
    }
    if parts.path.strip("/"):
        params["database"] = parts.path.strip("/")
    return params


def mysql_connect(url: str, database: str | None = None, **extra: Any) -> Any:
    """A PyMySQL connection (utf8mb4, autocommit off) to the server of ``url``."""
    import pymysql

    params = mysql_params(url)
    if database:
        params["database"] = database
    params.update(extra)
    return pymysql.connect(**params)


# --------------------------------------------------------------------------------------------
# Column batches
# --------------------------------------------------------------------------------------------

Columns = dict[str, np.ndarray]
"""A table chunk as named numpy columns: far cheaper than a DataFrame per small chunk."""


def columns(n: int, spec: Mapping[str, Any]) -> Columns:
    """Build a column batch of ``n`` rows; scalars are broadcast, arrays must have length ``n``."""
    out: Columns = {}
    for name, value in spec.items():
        if isinstance(value, np.ndarray):
            arr = value
        elif isinstance(value, list | tuple):
            arr = np.asarray(value, dtype=object)
        else:
            arr = np.full(n, value, dtype=object)
        if len(arr) != n:
            raise ValueError(f"column {name} has {len(arr)} rows, expected {n}")
        out[name] = arr
    return out


def concat_columns(batches: Sequence[Columns]) -> Columns:
    """Concatenate column batches with the same column names."""
    if not batches:
        return {}
    return {name: np.concatenate([b[name] for b in batches]) for name in batches[0]}


def n_rows(cols: Columns) -> int:
    return len(next(iter(cols.values()))) if cols else 0


def to_frame(cols: Columns | Sequence[Columns]) -> Any:
    """A pandas DataFrame of one column batch or a sequence of them."""
    import pandas as pd

    if not isinstance(cols, dict):
        cols = concat_columns(list(cols))
    return pd.DataFrame(cols)


_SAFE_NAME = __import__("re").compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


def safe_name(name: str) -> str:
    """Refuse database/user names that would need quoting tricks (they go into DDL)."""
    if not _SAFE_NAME.match(name):
        raise ValueError(f"unsafe database or user name: {name!r}")
    return name


def mysql_recreate_database(admin_url: str, dbname: str) -> None:
    """Drop and create ``dbname`` with utf8mb4 (the charset Indonesian names with accents need)."""
    db = safe_name(dbname)
    conn = mysql_connect(admin_url)
    try:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{db}`")
            cur.execute(f"CREATE DATABASE `{db}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci")
        conn.commit()
    finally:
        conn.close()


def mysql_drop_database(admin_url: str, dbname: str, reader_user: str | None = None) -> None:
    """Drop a sample database (and its reader account, if given)."""
    db = safe_name(dbname)
    conn = mysql_connect(admin_url)
    try:
        with conn.cursor() as cur:
            cur.execute(f"DROP DATABASE IF EXISTS `{db}`")
            if reader_user:
                cur.execute("DROP USER IF EXISTS %s@'%%'", (safe_name(reader_user),))
        conn.commit()
    finally:
        conn.close()


def mysql_grant_reader(admin_url: str, dbname: str, user: str, password: str | None) -> str:
    """Create or update an account that may only SELECT in ``dbname``; return its URL."""
    db, user = safe_name(dbname), safe_name(user)
    conn = mysql_connect(admin_url)
    try:
        with conn.cursor() as cur:
            cur.execute("CREATE USER IF NOT EXISTS %s@'%%' IDENTIFIED BY %s", (user, password or ""))
            cur.execute("ALTER USER %s@'%%' IDENTIFIED BY %s", (user, password or ""))
            cur.execute(f"GRANT SELECT ON `{db}`.* TO %s@'%%'", (user,))
        conn.commit()
    finally:
        conn.close()
    params = mysql_params(admin_url)
    auth = user if not password else f"{user}:{password}"
    return f"mysql://{auth}@{params['host']}:{params['port']}/{db}"


def _python_values(arr: np.ndarray) -> list[Any]:
    """Column values as plain Python objects the DB drivers understand (NaN/NaT -> None)."""
    if arr.dtype.kind == "f":
        return [None if math.isnan(v) else v for v in arr.tolist()]
    if arr.dtype.kind == "M":
        mask = np.isnat(arr)
        values = arr.tolist()
        return [None if m else v for v, m in zip(values, mask, strict=True)] if mask.any() else values
    if arr.dtype.kind == "O":
        return [None if v is None or (isinstance(v, float) and math.isnan(v)) else
                (v.item() if isinstance(v, np.generic) else v) for v in arr]
    return arr.tolist()


def mysql_insert_columns(conn: Any, table: str, cols: Columns, batch: int = 5000) -> int:
    """Insert a column batch with multi-row INSERTs (PyMySQL ``executemany``)."""
    n = n_rows(cols)
    if not n:
        return 0
    names = list(cols)
    values = [_python_values(cols[c]) for c in names]
    sql = f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join(['%s'] * len(names))})"
    rows = list(zip(*values, strict=True))
    with conn.cursor() as cur:
        for start in range(0, n, batch):
            cur.executemany(sql, rows[start:start + batch])
    return n


def pg_copy_columns(conn: Any, table: str, cols: Columns | Sequence[Columns]) -> int:
    """COPY one or more column batches into a PostgreSQL table."""
    return pg_copy_frame(conn, table, to_frame(cols))


# --------------------------------------------------------------------------------------------
# Whole-sample loading (modules whose data fits in memory at any scale)
# --------------------------------------------------------------------------------------------


@dataclass
class SampleData:
    """All tables of a sample (load order = dict order) and the injected defect keys."""

    tables: dict[str, Columns]
    defects: dict[str, list[str]] = field(default_factory=dict)


def pick_defect_rows(rng: np.random.Generator, eligible: np.ndarray,
                     counts: Mapping[str, int]) -> dict[str, np.ndarray]:
    """Disjoint random row positions per defect kind, drawn from ``eligible`` positions."""
    wanted = sum(counts.values())
    if wanted > len(eligible):
        raise ValueError(f"too many defects for this scale: {wanted} asked, {len(eligible)} rows eligible")
    chosen = rng.choice(eligible, size=wanted, replace=False)
    out: dict[str, np.ndarray] = {}
    start = 0
    for kind, n in counts.items():
        if n:
            out[kind] = np.sort(chosen[start:start + n])
            start += n
    return out


def append_rows(cols: Columns, rows: np.ndarray, overrides: Mapping[str, Sequence[Any]] | None = None) -> Columns:
    """Append copies of ``rows`` (positions) to ``cols``, with some columns overridden."""
    extra = {name: arr[rows].copy() for name, arr in cols.items()}
    for name, values in (overrides or {}).items():
        extra[name] = np.asarray(values, dtype=extra[name].dtype)
    return {name: np.concatenate([cols[name], extra[name]]) for name in cols}


def append_duplicates(rng: np.random.Generator, cols: Columns, spoiled: Mapping[str, np.ndarray], count: int,
                      changes: Callable[[Columns, np.ndarray], dict] | None = None) -> tuple[Columns, list[str]]:
    """Append ``count`` copies of rows no other defect touched (``spoiled``: kind -> positions), under new
    ids after the last; ``changes`` may alter the copies (a record typed twice, slightly differently).
    Returns the table and the new ids as text, the keys a test expects the duplicate checks to find."""
    n = len(cols["id"])
    taken = np.concatenate(list(spoiled.values())) if spoiled else np.array([], int)
    rows = rng.choice(np.setdiff1d(np.arange(n), taken), size=count, replace=False)
    new_ids = np.arange(n + 1, n + 1 + len(rows))
    cols = append_rows(cols, rows, {"id": new_ids} | (changes(cols, rows) if changes else {}))
    return cols, [str(i) for i in new_ids]


def split_sql(script: str) -> list[str]:
    """Statements of a DDL script (no semicolons inside statements in our scripts)."""
    return [s.strip() for s in script.split(";") if s.strip()]


def seed_postgres(dinas: str, admin_dsn: str, dbname: str, schema: str, data: SampleData, *, scale: float,
                  seed: int, reader_user: str | None, reader_password: str | None,
                  post_load: str = "", watch: Stopwatch | None = None) -> SeedReport:
    """Recreate ``dbname`` on PostgreSQL, run ``schema``, COPY every table, grant the reader."""
    import psycopg

    watch = watch or Stopwatch()
    report = SeedReport(dinas, dbname, "postgresql", scale, seed, defects=data.defects)
    dsn = pg_recreate_database(admin_dsn, dbname)
    with psycopg.connect(dsn) as conn:
        conn.execute(schema)
        for table, cols in data.tables.items():
            report.row_counts[table] = pg_copy_columns(conn, table, cols)
        if post_load:
            conn.execute(post_load)
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE")
    if reader_user:
        report.reader_url = pg_grant_reader(admin_dsn, dbname, reader_user, reader_password)
    report.seconds = watch.seconds()
    return report


def seed_mysql(dinas: str, admin_url: str, dbname: str, schema: str, data: SampleData, *, scale: float,
               seed: int, reader_user: str | None, reader_password: str | None,
               watch: Stopwatch | None = None) -> SeedReport:
    """Recreate ``dbname`` on MariaDB/MySQL (utf8mb4), run ``schema``, insert every table."""
    watch = watch or Stopwatch()
    report = SeedReport(dinas, dbname, "mysql", scale, seed, defects=data.defects)
    mysql_recreate_database(admin_url, dbname)
    conn = mysql_connect(admin_url, database=dbname)
    try:
        with conn.cursor() as cur:
            for statement in split_sql(schema):
                cur.execute(statement)
        for table, cols in data.tables.items():
            report.row_counts[table] = mysql_insert_columns(conn, table, cols)
        conn.commit()
    finally:
        conn.close()
    if reader_user:
        report.reader_url = mysql_grant_reader(admin_url, dbname, reader_user, reader_password)
    report.seconds = watch.seconds()
    return report
