"""Sample database of Disdukcapil (civil registry), shaped like a SIAK-style application on PostgreSQL.

Why it looks the way it does:

* ``penduduk`` is the resident register. Its logical key is ``nik`` but, like many local copies
  of the registry, the application never enforced it (only an index), which is how "NIK ganda"
  (two registrations under one NIK) reach the data; the ``duplicate_nik`` defect models exactly
  that. Everything else a SIAK export shows is here: upper-case values, ``LAKI-LAKI``/``PEREMPUAN``,
  SIAK's own spellings (``KATHOLIK``, ``BUDHA``, ``BELUM/TIDAK BEKERJA``), Kemendagri desa codes as
  text, and kecamatan names as the app stores them -- including BPS spellings such as
  ``KARANGBAHAGIA`` carried over from migrated records.
* ``kelahiran``, ``kematian`` and ``pindah_datang`` are the civil events of 2019-2024 and agree
  with the register: every death is a ``MENINGGAL`` resident, every move out a ``PINDAH`` one,
  every birth a resident born in that period.
* ``wilayah_desa`` is the application's own region master (SIAK keeps one); it is the reference
  list in upper case, and nothing forces ``penduduk.kode_desa`` to appear in it.

NIK: ``3216`` + kecamatan number (``01``-``23``) + birth date ``DDMMYY`` (women: day + 40) + a
4-digit serial counting people of the same kecamatan, birth date and sex. ``no_kk`` follows the
same pattern with the card's issue date.

Size: ``round(3_550_000 * scale)`` register rows, of which about 93 % are ``AKTIF`` (~3.3 million
at ``scale=1.0``), spread over the kecamatan after the BPS population figures and over ages
after the 2024 pyramid of Kabupaten Bekasi, with 50.5 % men.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from satudata_samples import names
from satudata_samples._common import (
    AGRARIAN_KECAMATAN,
    COASTAL_KECAMATAN,
    Columns,
    DefectPlan,
    Desa,
    SeedReport,
    Stopwatch,
    allocate,
    columns,
    date_parts,
    day,
    desa_list,
    desa_weights,
    draw,
    draw_by_group,
    kecamatan_upper_variants,
    n_rows,
    normalise_defects,
    pg_copy_frame,
    pg_grant_reader,
    pg_recreate_database,
    random_days,
    rank_within,
    rng_for,
    to_frame,
    zfill,
)

DINAS = "disdukcapil"
FULL_SCALE_ROWS = 3_550_000
REFERENCE_DATE = day("2024-12-31")
EVENTS_START = day("2019-01-01")
EVENTS_END = REFERENCE_DATE

DEFECT_KINDS = ("unknown_region", "null_sex", "future_birth", "duplicate_nik", "invalid_nik")
"""Defects the register can carry; ``SeedReport.defects[kind]`` lists the affected ``nik`` values.

- ``unknown_region``: ``kode_desa`` is not in the reference (e.g. ``32.16.99.9999`` with
  ``KEC. ANTAH BERANTAH``).
- ``null_sex``: ``jenis_kelamin`` is NULL.
- ``future_birth``: ``tanggal_lahir`` in 2026-2030.
- ``duplicate_nik``: one extra row under an existing NIK (another name and household); the
  reported NIK then occurs twice, so the table has ``rows + duplicate_nik`` rows.
- ``invalid_nik``: the NIK lost its last digit (15 characters, the ``char(16)`` pads it).
"""

UNKNOWN_REGIONS = (
    ("32.16.99.9999", "DESA ANTAH", "KEC. ANTAH BERANTAH"),
    ("32.16.24.2001", "SUKAMULYA", "CIKARANG RAYA"),
    ("32.17.01.2001", "NGAMPRAH", "NGAMPRAH"),
)

SCHEMA = """
CREATE TABLE wilayah_desa (
    kode_desa      varchar(13) PRIMARY KEY,
    nama_desa      varchar(60) NOT NULL,
    status_desa    varchar(10) NOT NULL,
    kode_kecamatan varchar(8)  NOT NULL,
    nama_kecamatan varchar(60) NOT NULL
);
CREATE TABLE penduduk (
    nik            char(16)     NOT NULL,
    no_kk          char(16)     NOT NULL,
    nama           varchar(100) NOT NULL,
    tempat_lahir   varchar(60),
    tanggal_lahir  date,
    jenis_kelamin  varchar(10),
    agama          varchar(40),
    status_kawin   varchar(20),
    pendidikan     varchar(40),
    pekerjaan      varchar(60),
    alamat         varchar(200),
    rt             char(3),
    rw             char(3),
    kode_desa      varchar(13),
    nama_desa      varchar(60),
    nama_kecamatan varchar(60),
    status         varchar(10)  NOT NULL,
    tanggal_update timestamp    NOT NULL
);
COMMENT ON TABLE penduduk IS 'Register penduduk; nik is the logical key but not enforced (legacy).';
CREATE TABLE kelahiran (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    no_akta         varchar(30)  NOT NULL,
    nik_anak        char(16),
    nama_anak       varchar(100) NOT NULL,
    jenis_kelamin   varchar(10),
    tanggal_lahir   date         NOT NULL,
    tempat_lahir    varchar(60),
    nik_ibu         char(16),
    kode_desa       varchar(13),
    nama_kecamatan  varchar(60),
    tanggal_terbit  date         NOT NULL
);
CREATE TABLE kematian (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    no_akta           varchar(30)  NOT NULL,
    nik               char(16)     NOT NULL,
    nama              varchar(100) NOT NULL,
    jenis_kelamin     varchar(10),
    tanggal_lahir     date,
    tanggal_meninggal date         NOT NULL,
    tempat_meninggal  varchar(30),
    sebab_kematian    varchar(40),
    kode_desa         varchar(13),
    nama_kecamatan    varchar(60),
    tanggal_lapor     date         NOT NULL
);
CREATE TABLE pindah_datang (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    no_surat            varchar(40)  NOT NULL,
    jenis               varchar(10)  NOT NULL,
    nik                 char(16)     NOT NULL,
    nama                varchar(100) NOT NULL,
    tanggal             date         NOT NULL,
    kode_desa           varchar(13),
    nama_kecamatan      varchar(60),
    daerah_asal_tujuan  varchar(80),
    klasifikasi         varchar(40),
    alasan              varchar(30)
);
"""

POST_LOAD = """
CREATE INDEX penduduk_nik_idx ON penduduk (nik);
CREATE INDEX penduduk_kode_desa_idx ON penduduk (kode_desa);
CREATE INDEX penduduk_no_kk_idx ON penduduk (no_kk);
CREATE UNIQUE INDEX kelahiran_no_akta_key ON kelahiran (no_akta);
CREATE UNIQUE INDEX kematian_no_akta_key ON kematian (no_akta);
CREATE UNIQUE INDEX pindah_datang_no_surat_key ON pindah_datang (no_surat);
CREATE INDEX kelahiran_tanggal_lahir_idx ON kelahiran (tanggal_lahir);
CREATE INDEX kematian_tanggal_meninggal_idx ON kematian (tanggal_meninggal);
CREATE INDEX pindah_datang_tanggal_idx ON pindah_datang (tanggal);
"""

# Age pyramid of Kabupaten Bekasi around 2024: share (%) per 5-year group, 0-4 ... 75-79, 80-89.
AGE_GROUP_SHARE = (8.0, 8.3, 8.2, 7.9, 7.9, 8.1, 8.6, 8.8, 8.3, 7.2, 5.9, 4.6, 3.4, 2.3, 1.4, 0.7, 0.4)
MALE_SHARE = 0.505
DEAD_SHARE = 0.03  # deaths 2019-2024 (~5 per 1000 a year)
MOVED_OUT_SHARE = 0.04
MOVED_IN_SHARE = 0.06
DEATHS_BY_YEAR = (1.0, 1.12, 1.45, 0.98, 0.96, 1.0)  # relative deaths 2019..2024

AGAMA = (("ISLAM", "KRISTEN", "KATHOLIK", "BUDHA", "HINDU", "KHONGHUCU", "KEPERCAYAAN TERHADAP TUHAN YME"),
         (95.4, 2.6, 1.2, 0.6, 0.1, 0.05, 0.05))

BIRTHPLACES = (("BEKASI", "JAKARTA", "KARAWANG", "BOGOR", "BANDUNG", "CIREBON", "TEGAL", "BREBES", "KUNINGAN",
                "GARUT", "TASIKMALAYA", "SEMARANG", "SURABAYA", "MEDAN", "PADANG", "PALEMBANG", "INDRAMAYU"),
               (62, 11, 3, 2, 2, 2, 2.5, 2.5, 1.5, 1.5, 1.5, 1.5, 1, 1.5, 1.5, 1, 2))

DESTINATIONS = (
    ("KOTA BEKASI", "ANTAR KAB/KOTA DALAM PROVINSI", 22), ("KAB. KARAWANG", "ANTAR KAB/KOTA DALAM PROVINSI", 10),
    ("KAB. BOGOR", "ANTAR KAB/KOTA DALAM PROVINSI", 7), ("KOTA DEPOK", "ANTAR KAB/KOTA DALAM PROVINSI", 4),
    ("KAB. BANDUNG", "ANTAR KAB/KOTA DALAM PROVINSI", 3), ("KAB. INDRAMAYU", "ANTAR KAB/KOTA DALAM PROVINSI", 3),
    ("DKI JAKARTA, KOTA ADM. JAKARTA TIMUR", "ANTAR PROVINSI", 14),
    ("DKI JAKARTA, KOTA ADM. JAKARTA UTARA", "ANTAR PROVINSI", 8),
    ("BANTEN, KOTA TANGERANG", "ANTAR PROVINSI", 5), ("JAWA TENGAH, KAB. BREBES", "ANTAR PROVINSI", 6),
    ("JAWA TENGAH, KAB. TEGAL", "ANTAR PROVINSI", 4), ("JAWA TIMUR, KOTA SURABAYA", "ANTAR PROVINSI", 3),
    ("SUMATERA UTARA, KOTA MEDAN", "ANTAR PROVINSI", 3), ("LAMPUNG, KAB. LAMPUNG SELATAN", "ANTAR PROVINSI", 3),
    ("DI YOGYAKARTA, KAB. SLEMAN", "ANTAR PROVINSI", 2),
)
REASONS = (("PEKERJAAN", "KELUARGA", "PERUMAHAN", "PENDIDIKAN", "KESEHATAN", "KEAMANAN", "LAINNYA"),
           (35, 25, 25, 8, 2, 1, 4))
DEATH_PLACES = (("RUMAH", "RUMAH SAKIT", "PUSKESMAS", "LAINNYA"), (45, 44, 4, 7))
DEATH_CAUSES = (("SAKIT BIASA/TUA", "PENYAKIT", "KECELAKAAN", "LAINNYA"), (52, 33, 6, 9))

EDUCATION_ADULT = (
    ("TIDAK/BELUM SEKOLAH", "BELUM TAMAT SD/SEDERAJAT", "TAMAT SD/SEDERAJAT", "SLTP/SEDERAJAT",
     "SLTA/SEDERAJAT", "DIPLOMA I/II", "AKADEMI/DIPLOMA III/S. MUDA", "DIPLOMA IV/STRATA I", "STRATA II",
     "STRATA III"),
)
EDUCATION_YOUNG_ADULT_P = (2, 3, 12, 20, 45, 1, 4, 12, 0.9, 0.1)
EDUCATION_OLD_P = (12, 15, 38, 14, 15, 1, 1.5, 3, 0.4, 0.1)


def _occupation_tables(kecamatan: str) -> dict[str, tuple[tuple[str, ...], tuple[float, ...]]]:
    """Occupation distributions per age/sex group, shifted for farming and coastal kecamatan."""
    farm = 1.0 if kecamatan in AGRARIAN_KECAMATAN else 0.15
    fish = 1.0 if kecamatan in COASTAL_KECAMATAN else 0.0
    factory = 0.5 if kecamatan in AGRARIAN_KECAMATAN else 1.0
    adult_m = {
        "KARYAWAN SWASTA": 36 * factory, "WIRASWASTA": 17, "BURUH HARIAN LEPAS": 10, "PEDAGANG": 6,
        "PETANI/PEKEBUN": 14 * farm, "BURUH TANI/PERKEBUNAN": 8 * farm, "NELAYAN/PERIKANAN": 9 * fish,
        "SOPIR": 3, "PEGAWAI NEGERI SIPIL (PNS)": 2, "GURU": 1.2, "TENTARA NASIONAL INDONESIA (TNI)": 0.4,
        "KEPOLISIAN RI (POLRI)": 0.4, "KARYAWAN BUMN": 0.8, "TUKANG BATU": 1.5, "BELUM/TIDAK BEKERJA": 5,
    }
    adult_f = {
        "MENGURUS RUMAH TANGGA": 44, "KARYAWAN SWASTA": 26 * factory, "WIRASWASTA": 8, "PEDAGANG": 5,
        "PETANI/PEKEBUN": 4 * farm, "BURUH TANI/PERKEBUNAN": 3 * farm, "BURUH HARIAN LEPAS": 2, "GURU": 2.5,
        "PEGAWAI NEGERI SIPIL (PNS)": 1.5, "PERAWAT": 0.6, "BIDAN": 0.4, "BELUM/TIDAK BEKERJA": 6,
    }
    old_m = {"PENSIUNAN": 12, "BELUM/TIDAK BEKERJA": 28, "WIRASWASTA": 15, "PETANI/PEKEBUN": 20 * farm,
             "PEDAGANG": 8, "BURUH HARIAN LEPAS": 6, "NELAYAN/PERIKANAN": 5 * fish}
    old_f = {"MENGURUS RUMAH TANGGA": 55, "BELUM/TIDAK BEKERJA": 22, "PENSIUNAN": 6, "PEDAGANG": 6,
             "PETANI/PEKEBUN": 6 * farm, "WIRASWASTA": 5}
    young = {"PELAJAR/MAHASISWA": 35, "KARYAWAN SWASTA": 30 * factory, "BELUM/TIDAK BEKERJA": 20,
             "BURUH HARIAN LEPAS": 5, "WIRASWASTA": 5, "MENGURUS RUMAH TANGGA": 5}

    def table(d: dict[str, float]) -> tuple[tuple[str, ...], tuple[float, ...]]:
        kept = {k: v for k, v in d.items() if v > 0}
        return tuple(kept), tuple(kept.values())

    return {
        "child": (("BELUM/TIDAK BEKERJA",), (1.0,)),
        "school": (("PELAJAR/MAHASISWA", "BELUM/TIDAK BEKERJA"), (95, 5)),
        "young": table(young),
        "adult_m": table(adult_m), "adult_f": table(adult_f),
        "old_m": table(old_m), "old_f": table(old_f),
    }


MARITAL = ("BELUM KAWIN", "KAWIN", "CERAI HIDUP", "CERAI MATI")
MARITAL_P = {
    "child": (1, 0, 0, 0),
    "young_m": (78, 21, 1, 0), "young_f": (55, 43, 2, 0),
    "adult1": (22, 74, 3, 1), "adult2": (5, 87, 4, 4),
    "senior_m": (2, 86, 3, 9), "senior_f": (2, 66, 5, 27),
    "old_m": (1, 70, 3, 26), "old_f": (1, 38, 4, 57),
}


class DayCounter:
    """Running serial numbers per (key, day): NIK serials, no_kk serials, certificate numbers."""

    def __init__(self, start: str, end: str) -> None:
        self.start = day(start)
        self.days = int((day(end) - self.start).astype(int)) + 1
        self.counts: dict[str, np.ndarray] = {}

    def next(self, key: str, dates: np.ndarray, sub: np.ndarray | None = None) -> np.ndarray:
        """1-based serials for ``dates`` (and an optional 0/1 sub-key such as sex) under ``key``."""
        idx = (dates - self.start).astype(np.int64)
        if idx.size and (idx.min() < 0 or idx.max() >= self.days):
            raise ValueError(f"date outside counter range for {key}")
        codes = idx * 2 + (sub.astype(np.int64) if sub is not None else 0)
        counts = self.counts.setdefault(key, np.zeros(self.days * 2, dtype=np.int64))
        serial = counts[codes] + rank_within(codes) + 1
        counts += np.bincount(codes, minlength=counts.size)
        return serial


def _ddmmyy(dates: np.ndarray, add_day: np.ndarray | int = 0) -> np.ndarray:
    years, months, days = date_parts(dates)
    return (days + add_day) * 10_000 + months * 100 + years % 100


def _dmy_text(dates: np.ndarray) -> np.ndarray:
    """``DDMMYYYY`` text as used inside certificate numbers."""
    years, months, days = date_parts(dates)
    return zfill(days * 1_000_000 + months * 10_000 + years, 8)


def _region_id(prefix: int, kec_number: int, ddmmyy: np.ndarray, serial: np.ndarray) -> np.ndarray:
    """16-digit identifiers ``3216 KK DDMMYY SSSS`` as text."""
    if serial.size and serial.max() > 9999:
        raise ValueError("serial overflow in 16-digit identifier")
    value = (prefix * 100 + kec_number) * 10**10 + ddmmyy.astype(np.int64) * 10**4 + serial
    return value.astype(str).astype(object)


@dataclass
class _Counters:
    nik: DayCounter = field(default_factory=lambda: DayCounter("1930-01-01", "2024-12-31"))
    kk: DayCounter = field(default_factory=lambda: DayCounter("2010-01-01", "2024-12-31"))
    doc: DayCounter = field(default_factory=lambda: DayCounter("2019-01-01", "2026-12-31"))


@dataclass
class DesaChunk:
    """Rows of one desa for each table (before the database assigns ids)."""

    desa: Desa
    penduduk: Columns
    kelahiran: Columns
    kematian: Columns
    pindah_datang: Columns
    defects: dict[str, list[str]]

    def frame(self, table: str) -> pd.DataFrame:
        return to_frame(getattr(self, table))


def _household_sizes(rng: np.random.Generator, n: int) -> np.ndarray:
    sizes = rng.choice(np.arange(1, 9), size=max(1, n // 2 + 2),
                       p=np.array([10, 16, 22, 24, 15, 7, 4, 2]) / 100)
    cut = int(np.searchsorted(np.cumsum(sizes), n)) + 1
    sizes = sizes[:cut].copy()
    sizes[-1] -= int(sizes.sum()) - n
    return sizes[sizes > 0]


def _addresses(rng: np.random.Generator, desa: Desa, households: int) -> tuple[np.ndarray, ...]:
    urban = desa.kecamatan.nama not in AGRARIAN_KECAMATAN
    kind = draw(rng, ("PERUM", "KP", "JL"), (55, 30, 15) if urban else (8, 82, 10), households)
    perum = names._pick(rng, names.PERUMAHAN, households)
    kampung = names._pick(rng, names.KAMPUNG, households)
    jalan = names._pick(rng, names.JALAN, households)
    blok = rng.integers(0, 26, households)
    blok_no = rng.integers(1, 25, households)
    no = rng.integers(1, 120, households)
    alamat = np.array([
        f"PERUM {p} BLOK {chr(65 + b)}{bn} NO. {x % 40 + 1}" if k == "PERUM"
        else f"KP. {kp}" if k == "KP" else f"JL. {j} NO. {x}"
        for k, p, kp, j, b, bn, x in zip(kind, perum, kampung, jalan, blok, blok_no, no, strict=True)
    ], dtype=object)
    rw_max = int(rng.integers(5, 16))
    rw = rng.integers(1, rw_max + 1, households)
    rt = rng.integers(1, 9, households) + (rw % 3)
    return alamat, zfill(rt, 3), zfill(rw, 3)


def generate_desa(desa: Desa, n: int, seed: int, counters: _Counters, defect_kinds: list[str] | None = None,
                  plan: DefectPlan | None = None, last: bool = False) -> DesaChunk:
    """Generate the residents of one desa and their civil events (pure: no database)."""
    rng = rng_for(seed, DINAS, desa.kode)
    kec = desa.kecamatan
    kec_no = int(kec.number)

    # Who: sex, age, birth date.
    is_male = rng.random(n) < MALE_SHARE
    group = draw(rng, np.arange(len(AGE_GROUP_SHARE)), AGE_GROUP_SHARE, n).astype(np.int64)
    width = np.where(group == len(AGE_GROUP_SHARE) - 1, 10, 5)
    age = group * 5 + (rng.random(n) * width).astype(np.int64)
    birth = REFERENCE_DATE - (age * 365.25 + rng.random(n) * 365).astype("timedelta64[D]")
    birth_year = date_parts(birth)[0]

    # Status: deaths weighted to the old, moves out to young adults.
    status = np.full(n, "AKTIF", dtype=object)
    n_dead, n_out = round(n * DEAD_SHARE), round(n * MOVED_OUT_SHARE)
    w_dead = np.exp(0.085 * age)
    dead = rng.choice(n, size=n_dead, replace=False, p=w_dead / w_dead.sum()) if n_dead else np.array([], int)
    status[dead] = "MENINGGAL"
    w_out = np.where(status == "AKTIF", np.exp(-((age - 30) / 12.0) ** 2) + 0.05, 0.0)
    out = rng.choice(n, size=n_out, replace=False, p=w_out / w_out.sum()) if n_out else np.array([], int)
    status[out] = "PINDAH"

    agama = draw(rng, *AGAMA, n)
    nama = names.person_names(rng, is_male, birth_year, agama)
    tempat_lahir = draw(rng, *BIRTHPLACES, n)
    local_born = rng.random(n)
    tempat_lahir[((birth >= day("2000-01-01")) & (local_born < 0.6))
                 | ((birth >= EVENTS_START) & (local_born < 0.9))] = "BEKASI"

    # Households: KK number, address, RT/RW shared.
    sizes = _household_sizes(rng, n)
    hh = np.repeat(np.arange(len(sizes)), sizes)
    kk_issue = random_days(rng, "2010-01-01", "2024-12-31", len(sizes))
    kk = _region_id(3216, kec_no, _ddmmyy(kk_issue), counters.kk.next(kec.kode, kk_issue))
    alamat, rt, rw = _addresses(rng, desa, len(sizes))

    nik = _region_id(3216, kec_no, _ddmmyy(birth, np.where(is_male, 0, 40)),
                     counters.nik.next(kec.kode, birth, ~is_male))

    # Marital status, education and occupation by age and sex.
    sex_tag = np.where(is_male, "m", "f")
    marital_group = np.select(
        [age < 17, age < 25, age < 35, age < 55, age < 65],
        [np.full(n, "child"), "young_" + sex_tag, np.full(n, "adult1"), np.full(n, "adult2"), "senior_" + sex_tag],
        "old_" + sex_tag,
    )
    status_kawin = draw_by_group(rng, marital_group, {k: (MARITAL, p) for k, p in MARITAL_P.items()})
    pendidikan = np.select(
        [age < 7, age < 13, age < 16, age < 19],
        ["TIDAK/BELUM SEKOLAH", "BELUM TAMAT SD/SEDERAJAT", "TAMAT SD/SEDERAJAT", "SLTP/SEDERAJAT"], "")
    pendidikan = pendidikan.astype(object)
    adults = age >= 19
    older = age >= 55
    pendidikan[adults & ~older] = draw(rng, EDUCATION_ADULT[0], EDUCATION_YOUNG_ADULT_P, int((adults & ~older).sum()))
    pendidikan[older] = draw(rng, EDUCATION_ADULT[0], EDUCATION_OLD_P, int(older.sum()))
    occ_group = np.select(
        [age < 5, age < 19, age < 23, age < 58], [np.full(n, "child"), "school", "young", "adult_" + sex_tag],
        "old_" + sex_tag)
    pekerjaan = draw_by_group(rng, occ_group, _occupation_tables(kec.nama))

    # How the app writes the kecamatan: mostly the Kemendagri name, older records the BPS one.
    variants = kecamatan_upper_variants(kec)
    nama_kecamatan = np.full(n, variants[0], dtype=object)
    if len(variants) > 1:
        nama_kecamatan[rng.random(n) < 0.3] = variants[1]

    # Event dates.
    first_event = np.maximum(birth, EVENTS_START)
    event_span = (EVENTS_END - first_event).astype(np.int64) + 1
    event_date = first_event + (rng.random(n) * event_span).astype("timedelta64[D]")
    # Deaths by year follow the mortality of the period: the Delta wave made 2021 the worst.
    death_year = 2019 + draw(rng, np.arange(6), DEATHS_BY_YEAR, n).astype(np.int64)
    death_day = (death_year - 1970).astype("datetime64[Y]").astype("datetime64[D]") + (
        rng.random(n) * 365).astype("timedelta64[D]")
    is_dead = status == "MENINGGAL"
    event_date[is_dead] = np.clip(death_day, first_event, EVENTS_END)[is_dead]
    moved_in = (status == "AKTIF") & (age >= 1) & (rng.random(n) < MOVED_IN_SHARE)
    update_from = np.maximum(birth, day("2015-01-01"))
    updated = update_from + (rng.random(n) * ((EVENTS_END - update_from).astype(np.int64) + 1)).astype(
        "timedelta64[D]")
    updated = np.where((status != "AKTIF") | moved_in, event_date, updated)
    updated_ts = updated.astype("datetime64[s]") + rng.integers(7 * 3600, 16 * 3600, n).astype("timedelta64[s]")

    jk = np.where(is_male, "LAKI-LAKI", "PEREMPUAN").astype(object)
    penduduk = columns(n, {
        "nik": nik, "no_kk": kk[hh], "nama": nama, "tempat_lahir": tempat_lahir, "tanggal_lahir": birth,
        "jenis_kelamin": jk, "agama": agama, "status_kawin": status_kawin, "pendidikan": pendidikan,
        "pekerjaan": pekerjaan, "alamat": alamat[hh], "rt": rt[hh], "rw": rw[hh], "kode_desa": desa.kode,
        "nama_desa": desa.nama.upper(), "nama_kecamatan": nama_kecamatan, "status": status,
        "tanggal_update": updated_ts,
    })

    # Births 2019-2024 (97 % registered), with the mother from the household when there is one.
    born = np.flatnonzero((birth >= EVENTS_START) & (rng.random(n) < 0.97))
    mother_candidate = ~is_male & (age >= 17) & (age <= 45)
    cand = np.flatnonzero(mother_candidate)
    mother_of_hh = np.full(len(sizes), -1)
    uniq, first = np.unique(hh[cand], return_index=True)
    mother_of_hh[uniq] = cand[first]
    mother = mother_of_hh[hh[born]]
    delay = np.where(rng.random(len(born)) < 0.65, rng.integers(1, 60, len(born)),
                     rng.integers(60, 900, len(born)))
    terbit = np.minimum(birth[born] + delay.astype("timedelta64[D]"), EVENTS_END)
    kelahiran = columns(len(born), {
        "no_akta": "3216-LT-" + _dmy_text(terbit) + "-" + zfill(counters.doc.next("LT", terbit), 4),
        "nik_anak": nik[born], "nama_anak": nama[born], "jenis_kelamin": jk[born], "tanggal_lahir": birth[born],
        "tempat_lahir": draw(rng, ("BEKASI", "KAB. BEKASI", "CIKARANG", "TAMBUN"), (40, 30, 20, 10), len(born)),
        "nik_ibu": np.where(mother >= 0, nik[np.maximum(mother, 0)], None),
        "kode_desa": desa.kode, "nama_kecamatan": nama_kecamatan[born], "tanggal_terbit": terbit,
    })

    dead_sorted = np.sort(dead)
    lapor = np.minimum(event_date[dead_sorted] + rng.integers(1, 90, len(dead_sorted)).astype("timedelta64[D]"),
                       EVENTS_END)
    kematian = columns(len(dead_sorted), {
        "no_akta": "3216-KM-" + _dmy_text(lapor) + "-" + zfill(counters.doc.next("KM", lapor), 4),
        "nik": nik[dead_sorted], "nama": nama[dead_sorted], "jenis_kelamin": jk[dead_sorted],
        "tanggal_lahir": birth[dead_sorted], "tanggal_meninggal": event_date[dead_sorted],
        "tempat_meninggal": draw(rng, *DEATH_PLACES, len(dead_sorted)),
        "sebab_kematian": draw(rng, *DEATH_CAUSES, len(dead_sorted)),
        "kode_desa": desa.kode, "nama_kecamatan": nama_kecamatan[dead_sorted], "tanggal_lapor": lapor,
    })

    movers = np.flatnonzero((status == "PINDAH") | moved_in)
    kind = np.where(status[movers] == "PINDAH", "PINDAH", "DATANG")
    dest = rng.choice(len(DESTINATIONS), size=len(movers),
                      p=np.array([d[2] for d in DESTINATIONS]) / sum(d[2] for d in DESTINATIONS))
    mdate = event_date[movers]
    serial = np.zeros(len(movers), dtype=np.int64)
    for k in ("PINDAH", "DATANG"):
        m = kind == k
        serial[m] = counters.doc.next(k, mdate[m])
    years, months, days = date_parts(mdate)
    pindah_datang = columns(len(movers), {
        "no_surat": [f"{'SKPWNI' if k == 'PINDAH' else 'SKDWNI'}/3216/{y}{mo:02d}{d:02d}/{s:04d}"
                     for k, y, mo, d, s in zip(kind, years, months, days, serial, strict=True)],
        "jenis": kind.astype(object), "nik": nik[movers], "nama": nama[movers], "tanggal": mdate,
        "kode_desa": desa.kode, "nama_kecamatan": nama_kecamatan[movers],
        "daerah_asal_tujuan": np.array([DESTINATIONS[i][0] for i in dest], dtype=object),
        "klasifikasi": np.array([DESTINATIONS[i][1] for i in dest], dtype=object),
        "alasan": draw(rng, *REASONS, len(movers)),
    })

    # Defects: only on residents no event table refers to, so each defect shows in one place.
    defects: dict[str, list[str]] = {}
    eligible = np.flatnonzero((status == "AKTIF") & (birth < EVENTS_START) & ~moved_in)
    if plan is not None:
        defect_kinds = plan.take(n, len(eligible), last=last)
    if defect_kinds:
        drng = rng_for(seed, DINAS, "defects", desa.kode)
        targets = drng.choice(eligible, size=len(defect_kinds), replace=False)
        penduduk, defects = _apply_defects(drng, penduduk, targets, defect_kinds)

    return DesaChunk(desa, penduduk, kelahiran, kematian, pindah_datang, defects)


def _apply_defects(rng: np.random.Generator, penduduk: Columns, targets: np.ndarray,
                   kinds: list[str]) -> tuple[Columns, dict[str, list[str]]]:
    """Spoil the ``targets`` rows of a register chunk, one defect kind each; return keys per kind."""
    cols = {name: arr.copy() for name, arr in penduduk.items()}
    defects: dict[str, list[str]] = {}
    extra: list[dict[str, object]] = []
    n = n_rows(cols)
    for row, kind in zip(targets, kinds, strict=True):
        key = str(cols["nik"][row])
        if kind == "unknown_region":
            kode, desa, kec = UNKNOWN_REGIONS[int(rng.integers(0, len(UNKNOWN_REGIONS)))]
            cols["kode_desa"][row], cols["nama_desa"][row], cols["nama_kecamatan"][row] = kode, desa, kec
        elif kind == "null_sex":
            cols["jenis_kelamin"][row] = None
        elif kind == "future_birth":
            cols["tanggal_lahir"][row] = random_days(rng, "2026-01-01", "2030-12-31", 1)[0]
        elif kind == "duplicate_nik":
            # "NIK ganda": a second registration under the same NIK, with another person's name,
            # family card and address.
            donor = int(rng.integers(0, n))
            dup = {name: arr[row] for name, arr in cols.items()}
            for name in ("no_kk", "nama", "alamat", "rt", "rw"):
                dup[name] = cols[name][donor]
            if dup["nama"] == cols["nama"][row]:
                dup["nama"] = f"{dup['nama']} BIN ABDULLAH"
            dup["tanggal_update"] = np.datetime64("2024-06-30T10:00:00", "s")
            extra.append(dup)
        elif kind == "invalid_nik":
            key = key[:15]
            cols["nik"][row] = key
        defects.setdefault(kind, []).append(key)
    if extra:
        cols = {name: np.concatenate([arr, np.array([e[name] for e in extra], dtype=arr.dtype)])
                for name, arr in cols.items()}
    return cols, defects


def generate(scale: float = 1.0, seed: int = 2024, defects: Mapping[str, int] | None = None) -> Iterator[DesaChunk]:
    """Yield the sample register desa by desa, in Kemendagri code order (pure, deterministic).

    Memory stays flat: only one desa (at most ~60,000 residents at full scale) is held at a time.
    """
    if scale <= 0 or not math.isfinite(scale):
        raise ValueError("scale must be a positive number")
    counts = normalise_defects(defects, DEFECT_KINDS)
    desas = desa_list()
    total = round(FULL_SCALE_ROWS * scale)
    per_desa = allocate(total, desa_weights(rng_for(seed, DINAS, "desa-weights")))
    plan = DefectPlan(counts, total, rng_for(seed, DINAS, "defect-plan"))
    counters = _Counters()
    for i, (desa, n) in enumerate(zip(desas, per_desa, strict=True)):
        yield generate_desa(desa, int(n), seed, counters, plan=plan, last=i == len(desas) - 1)
    plan.check_done()


def seed(admin_dsn: str, dbname: str, *, scale: float = 1.0, seed: int = 2024,
         defects: Mapping[str, int] | None = None, reader_user: str | None = None,
         reader_password: str | None = None, batch_rows: int = 200_000) -> SeedReport:
    """(Re)create the Disdukcapil sample database ``dbname`` and fill it.

    ``admin_dsn`` is a libpq DSN/URL of a role that may create databases, e.g.
    ``postgresql://postgres@127.0.0.1:5432/postgres``. Rows go in by COPY in batches of about
    ``batch_rows``; indexes are built after the load. A read-only login role is created when
    ``reader_user`` is given.
    """
    import psycopg

    watch = Stopwatch()
    report = SeedReport(DINAS, dbname, "postgresql", scale, seed)
    dsn = pg_recreate_database(admin_dsn, dbname)
    tables = ("penduduk", "kelahiran", "kematian", "pindah_datang")
    counts = dict.fromkeys(tables, 0)
    with psycopg.connect(dsn) as conn:
        conn.execute(SCHEMA)
        counts["wilayah_desa"] = pg_copy_frame(conn, "wilayah_desa", wilayah_desa_frame())
        pending: dict[str, list[Columns]] = {t: [] for t in tables}
        pending_rows = 0

        def flush() -> None:
            nonlocal pending_rows
            for t in tables:
                if pending[t]:
                    counts[t] += pg_copy_frame(conn, t, to_frame(pending[t]))
                    pending[t] = []
            pending_rows = 0

        for chunk in generate(scale, seed, defects):
            for t in tables:
                pending[t].append(getattr(chunk, t))
            pending_rows += n_rows(chunk.penduduk)
            for kind, keys in chunk.defects.items():
                report.defects.setdefault(kind, []).extend(keys)
            if pending_rows >= batch_rows:
                flush()
        flush()
        conn.execute(POST_LOAD)
        conn.commit()
        conn.autocommit = True
        conn.execute("ANALYZE")
    report.row_counts = counts
    if reader_user:
        report.reader_url = pg_grant_reader(admin_dsn, dbname, reader_user, reader_password)
    report.seconds = watch.seconds()
    return report


def wilayah_desa_frame() -> pd.DataFrame:
    """The application's region master: the reference desa list as the app writes it."""
    return pd.DataFrame(
        [(d.kode, d.nama.upper(), d.status.upper(), d.kecamatan.kode, d.kecamatan.nama.upper())
         for d in desa_list()],
        columns=["kode_desa", "nama_desa", "status_desa", "kode_kecamatan", "nama_kecamatan"],
    )
