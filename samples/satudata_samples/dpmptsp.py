"""Sample database of DPMPTSP (investment and one-stop permits) on PostgreSQL.

Business licensing in Indonesia runs through OSS-RBA: every business gets a NIB (13 digits) and,
per activity (KBLI 2020 code), a permit whose kind follows its risk level. The dinas keeps a
local copy of the OSS records for its kabupaten; that copy is what this sample imitates:

* ``izin_usaha`` -- one row per issued permit/NIB activity, 2019-2024, with the KBLI code, its
  section (``sektor``), business scale, investment value and workers, and the location as OSS
  writes it (desa code, kecamatan name in title case as typed in OSS, sometimes with ``Kec.``).
* ``ref_kbli`` -- the KBLI codes the dinas sees most (titles shortened), with their sections.

Volumes follow the OSS wave: few permits in 2019-2020, a jump with OSS-RBA for micro businesses
from late 2021. Large and foreign (PMA) investment concentrates in the industrial estates of
Cikarang (Jababeka, MM2100, EJIP, Delta Silicon, GIIC).
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from satudata_samples._common import (
    SampleData,
    SeedReport,
    Stopwatch,
    append_duplicates,
    columns,
    desa_list,
    desa_weights,
    draw,
    normalise_defects,
    pick_defect_rows,
    random_days,
    rng_for,
    seed_postgres,
    zfill,
)
from satudata_samples.names import person_names

DINAS = "dpmptsp"
PERMITS_PER_YEAR = {2019: 12_000, 2020: 15_000, 2021: 42_000, 2022: 60_000, 2023: 55_000, 2024: 52_000}

DEFECT_KINDS = ("unknown_region", "future_date", "duplicate_nib", "negative_investment", "invalid_kbli",
                "null_sector")
"""Defects in ``izin_usaha``; ``SeedReport.defects[kind]`` lists ``id`` values (as text).

- ``unknown_region``: ``kode_desa`` not in the reference (``32.16.99.9999``).
- ``future_date``: ``tanggal_terbit`` in 2026-2030 (after the record's own ``tanggal_input``).
- ``duplicate_nib``: an extra row repeating an existing row's NIB and KBLI (the reported id is the
  extra row's); ``(nib, kbli)`` is then not unique.
- ``negative_investment``: ``nilai_investasi`` below zero.
- ``invalid_kbli``: a ``kbli`` missing from ``ref_kbli`` (4 digits or ``99999``).
- ``null_sector``: ``sektor`` NULL.
"""

# (KBLI 2020 code, shortened title, section, weight among micro/small businesses, weight among large)
KBLI = (
    ("47112", "PERDAGANGAN ECERAN BERBAGAI MACAM BARANG UTAMANYA MAKANAN, MINUMAN (TRADISIONAL)", "G", 22, 0),
    ("47111", "PERDAGANGAN ECERAN BERBAGAI MACAM BARANG DI MINIMARKET/SUPERMARKET", "G", 2, 2),
    ("47711", "PERDAGANGAN ECERAN PAKAIAN", "G", 5, 0),
    ("47411", "PERDAGANGAN ECERAN KOMPUTER DAN PERLENGKAPANNYA", "G", 1.5, 0),
    ("46900", "PERDAGANGAN BESAR BERBAGAI MACAM BARANG", "G", 3, 6),
    ("46100", "PERDAGANGAN BESAR ATAS DASAR BALAS JASA (FEE) ATAU KONTRAK", "G", 1, 2),
    ("45201", "REPARASI MOBIL", "G", 1.5, 0.5),
    ("45407", "REPARASI DAN PERAWATAN SEPEDA MOTOR", "G", 3, 0),
    ("56102", "RUMAH/WARUNG MAKAN", "I", 14, 0),
    ("56101", "RESTORAN", "I", 2, 1),
    ("56303", "RUMAH MINUM/KAFE", "I", 4, 0),
    ("10710", "INDUSTRI PRODUK ROTI DAN KUE", "C", 6, 1),
    ("10792", "INDUSTRI KUE-KUE BASAH", "C", 4, 0),
    ("13121", "INDUSTRI PERTENUNAN", "C", 0.3, 3),
    ("22220", "INDUSTRI BARANG DARI PLASTIK UNTUK PENGEMASAN", "C", 0.3, 8),
    ("25111", "INDUSTRI BARANG DARI LOGAM SIAP PASANG UNTUK BANGUNAN", "C", 0.5, 6),
    ("29300", "INDUSTRI SUKU CADANG DAN AKSESORI KENDARAAN BERMOTOR RODA EMPAT ATAU LEBIH", "C", 0.2, 14),
    ("27900", "INDUSTRI PERALATAN LISTRIK LAINNYA", "C", 0.1, 6),
    ("41011", "KONSTRUKSI GEDUNG HUNIAN", "F", 1.5, 4),
    ("43211", "INSTALASI LISTRIK", "F", 1.5, 1),
    ("49431", "ANGKUTAN BERMOTOR UNTUK BARANG UMUM", "H", 2, 4),
    ("52101", "PERGUDANGAN DAN PENYIMPANAN", "H", 0.5, 8),
    ("53201", "AKTIVITAS KURIR", "H", 1, 1),
    ("68111", "REAL ESTAT YANG DIMILIKI SENDIRI ATAU DISEWA", "L", 1, 7),
    ("62019", "AKTIVITAS PEMROGRAMAN KOMPUTER LAINNYA", "J", 0.7, 1),
    ("73100", "PERIKLANAN", "M", 0.7, 0.5),
    ("81210", "AKTIVITAS KEBERSIHAN UMUM BANGUNAN", "N", 0.8, 1),
    ("86901", "AKTIVITAS PELAYANAN KESEHATAN TENAGA KESEHATAN SELAIN DOKTER", "Q", 0.8, 0.2),
    ("96012", "AKTIVITAS BINATU", "S", 3, 0),
    ("01122", "PERTANIAN PADI INBRIDA", "A", 1.5, 0.2),
    ("03221", "PEMBESARAN IKAN AIR TAWAR DI KOLAM", "A", 1, 0.2),
    ("85131", "PENDIDIKAN DASAR SWASTA", "P", 0.3, 0.3),
)
SECTIONS = {
    "A": "PERTANIAN, KEHUTANAN DAN PERIKANAN", "C": "INDUSTRI PENGOLAHAN", "F": "KONSTRUKSI",
    "G": "PERDAGANGAN BESAR DAN ECERAN; REPARASI DAN PERAWATAN MOBIL DAN SEPEDA MOTOR",
    "H": "PENGANGKUTAN DAN PERGUDANGAN", "I": "PENYEDIAAN AKOMODASI DAN PENYEDIAAN MAKAN MINUM",
    "J": "INFORMASI DAN KOMUNIKASI", "L": "REAL ESTAT", "M": "AKTIVITAS PROFESIONAL, ILMIAH DAN TEKNIS",
    "N": "AKTIVITAS PENYEWAAN DAN SEWA GUNA USAHA TANPA HAK OPSI, KETENAGAKERJAAN, AGEN PERJALANAN DAN "
         "PENUNJANG USAHA LAINNYA",
    "P": "PENDIDIKAN", "Q": "AKTIVITAS KESEHATAN MANUSIA DAN AKTIVITAS SOSIAL", "S": "AKTIVITAS JASA LAINNYA",
}
INDUSTRIAL_KECAMATAN = {"Cikarang Utara", "Cikarang Selatan", "Cikarang Pusat", "Cikarang Barat", "Serang Baru",
                        "Setu", "Cikarang Timur", "Cibitung"}
SCALES = ("MIKRO", "KECIL", "MENENGAH", "BESAR")
RISK = {"MIKRO": (("RENDAH", "MENENGAH RENDAH"), (80, 20)),
        "KECIL": (("RENDAH", "MENENGAH RENDAH", "MENENGAH TINGGI"), (45, 40, 15)),
        "MENENGAH": (("MENENGAH RENDAH", "MENENGAH TINGGI", "TINGGI"), (30, 50, 20)),
        "BESAR": (("MENENGAH RENDAH", "MENENGAH TINGGI", "TINGGI"), (20, 50, 30))}
PERMIT_FOR_RISK = {"RENDAH": "NIB", "MENENGAH RENDAH": "SERTIFIKAT STANDAR",
                   "MENENGAH TINGGI": "SERTIFIKAT STANDAR", "TINGGI": "IZIN"}
BUSINESS_WORDS = ("MAJU", "JAYA", "SENTOSA", "BERKAH", "MANDIRI", "SEJAHTERA", "ABADI", "MAKMUR", "KARYA", "PRIMA",
                  "BERSAMA", "UTAMA", "SINAR", "CAHAYA", "MULIA", "ANUGERAH", "BAROKAH", "LESTARI", "PERKASA")
ESTATE_COMPANIES = ("INDONESIA", "MANUFACTURING INDONESIA", "PRECISION INDONESIA", "AUTOPARTS INDONESIA",
                    "PACKAGING INDONESIA", "ELECTRIC INDONESIA", "LOGISTIK INDONESIA")
FOREIGN_STEMS = ("TOYO", "HANWA", "DAESUNG", "NIPPON", "SHINWA", "KYORAKU", "SAMJIN", "YAMATO", "FUJI", "HYOSUNG")
MICRO_PREFIX = ("WARUNG", "TOKO", "KEDAI", "DAPUR", "BENGKEL", "LAUNDRY", "KONVEKSI", "KUE")

SCHEMA = """
CREATE TABLE ref_kbli (
    kbli        varchar(5)   PRIMARY KEY,
    judul_kbli  varchar(200) NOT NULL,
    sektor      char(1)      NOT NULL,
    nama_sektor varchar(200) NOT NULL
);
CREATE TABLE izin_usaha (
    id                     bigint       PRIMARY KEY,
    nib                    varchar(13)  NOT NULL,
    nama_pelaku_usaha      varchar(150) NOT NULL,
    nama_usaha             varchar(150) NOT NULL,
    jenis_pelaku_usaha     varchar(40)  NOT NULL,
    skala_usaha            varchar(10)  NOT NULL,
    status_penanaman_modal varchar(4)   NOT NULL,
    kbli                   varchar(5)   NOT NULL,
    sektor                 char(1),
    tingkat_risiko         varchar(20)  NOT NULL,
    jenis_izin             varchar(30)  NOT NULL,
    tanggal_terbit         date         NOT NULL,
    tanggal_input          date         NOT NULL,
    nilai_investasi        numeric(20,2),
    jumlah_tenaga_kerja    integer,
    alamat_usaha           varchar(200),
    kode_desa              varchar(13),
    kecamatan              varchar(60)
);
"""
POST_LOAD = """
CREATE INDEX izin_usaha_nib_idx ON izin_usaha (nib);
CREATE INDEX izin_usaha_tanggal_idx ON izin_usaha (tanggal_terbit);
"""


def build(scale: float = 1.0, seed: int = 2024, defects: Mapping[str, int] | None = None) -> SampleData:
    """Generate the permit register (pure, deterministic; ~236,000 rows at ``scale=1.0``)."""
    if scale <= 0 or not math.isfinite(scale):
        raise ValueError("scale must be a positive number")
    counts = normalise_defects(defects, DEFECT_KINDS)
    rng = rng_for(seed, DINAS, "permits")
    desas = desa_list()
    per_year = {y: round(n * scale) for y, n in PERMITS_PER_YEAR.items()}
    n = sum(per_year.values())

    dates = np.concatenate([random_days(rng, f"{y}-01-01", f"{y}-12-31", k) for y, k in per_year.items()])
    dates.sort()
    skala = draw(rng, SCALES, (88, 8.5, 2.5, 1.0), n)
    big = np.isin(skala, ("MENENGAH", "BESAR"))

    # Where: micro businesses follow the population; larger ones the industrial kecamatan.
    pop_w = desa_weights(rng_for(seed, DINAS, "desa-weights"))
    ind_w = pop_w * np.array([6.0 if d.kecamatan.nama in INDUSTRIAL_KECAMATAN else 0.3 for d in desas])
    desa_idx = np.where(big, rng.choice(len(desas), n, p=ind_w / ind_w.sum()),
                        rng.choice(len(desas), n, p=pop_w / pop_w.sum()))

    kbli_idx = np.where(big, rng.choice(len(KBLI), n, p=_weights(4)), rng.choice(len(KBLI), n, p=_weights(3)))
    kbli = np.array([KBLI[i][0] for i in kbli_idx], dtype=object)
    sektor = np.array([KBLI[i][2] for i in kbli_idx], dtype=object)

    pma = big & (skala == "BESAR") & (rng.random(n) < 0.45)
    pelaku = np.where(skala == "MIKRO",
                      draw(rng, ("ORANG PERSEORANGAN", "PERSEROAN TERBATAS (PT) PERORANGAN", "CV", "KOPERASI"),
                           (86, 8, 5, 1), n),
                      draw(rng, ("PERSEROAN TERBATAS (PT)", "CV", "KOPERASI"), (85, 13, 2), n))
    pelaku = np.where(pma, "PERSEROAN TERBATAS (PT)", pelaku).astype(object)
    owners = person_names(rng, rng.random(n) < 0.55, rng.integers(1960, 2003, n), np.full(n, "ISLAM"))
    words = np.array(BUSINESS_WORDS, dtype=object)
    w1, w2 = words[rng.integers(0, len(words), n)], words[rng.integers(0, len(words), n)]
    prefix = np.array(MICRO_PREFIX, dtype=object)[rng.integers(0, len(MICRO_PREFIX), n)]
    stems = np.array(FOREIGN_STEMS, dtype=object)[rng.integers(0, len(FOREIGN_STEMS), n)]
    tails = np.array(ESTATE_COMPANIES, dtype=object)[rng.integers(0, len(ESTATE_COMPANIES), n)]
    nama_usaha = np.where(
        pelaku == "ORANG PERSEORANGAN", prefix + " " + w1 + " " + w2,
        np.where(pelaku == "CV", "CV " + w1 + " " + w2,
                 np.where(pelaku == "KOPERASI", "KOPERASI " + w1 + " " + w2,
                          np.where(pma, "PT " + stems + " " + tails, "PT " + w1 + " " + w2 + " " + draw(
                              rng, ("INDONESIA", "NUSANTARA", "PERSADA", "GEMILANG", "ABADI"), (1,) * 5, n)))))
    nama_pelaku = np.where(pelaku == "ORANG PERSEORANGAN", owners, nama_usaha).astype(object)

    # Money (rupiah, excluding land and buildings) and workers by scale.
    invest = np.select(
        [skala == "MIKRO", skala == "KECIL", skala == "MENENGAH"],
        [np.clip(rng.lognormal(np.log(40e6), 0.9, n), 1e6, 999e6),
         np.clip(rng.lognormal(np.log(2e9), 0.4, n), 1e9, 4.99e9),
         np.clip(rng.lognormal(np.log(7e9), 0.2, n), 5e9, 9.99e9)],
        np.clip(rng.lognormal(np.log(60e9), 1.2, n), 10e9, 5e12),
    )
    invest = np.round(invest / 1e5) * 1e5
    workers = np.select([skala == "MIKRO", skala == "KECIL", skala == "MENENGAH"],
                        [rng.integers(1, 5, n), rng.integers(5, 20, n), rng.integers(20, 100, n)],
                        rng.integers(100, 3000, n))
    risk = np.empty(n, dtype=object)
    for s, (values, probs) in RISK.items():
        m = skala == s
        risk[m] = draw(rng, values, probs, int(m.sum()))
    jenis_izin = np.array([PERMIT_FOR_RISK[r] for r in risk], dtype=object)

    # NIB: 13 digits, issued in sequence. About 10 % of rows add another KBLI to the business of
    # the row before (same NIB, owner, name, place, never the same KBLI twice).
    share = rng.random(n) < 0.12
    share[0] = False
    share &= ~np.roll(share, 1) & (kbli != np.roll(kbli, 1))
    src = np.arange(n) - share
    for arr in (nama_pelaku, nama_usaha, pelaku, skala, desa_idx, pma):
        arr[share] = arr[src[share]]
    nib_serial = np.arange(n) - share.cumsum()
    nib = zfill(9_120_000_000_000 + (nib_serial * 37) % 880_000_000_000, 13)
    kecamatan = np.array([_oss_kecamatan(rng, desas[i].kecamatan.nama) for i in desa_idx], dtype=object)
    streets = ("JL. RAYA", "JL.", "KP.", "PERUM", "KAWASAN INDUSTRI")
    alamat = np.array([
        f"KAWASAN INDUSTRI {e} BLOK {b}" if big_i else f"{s} {w} NO. {k}"
        for big_i, e, b, s, w, k in zip(
            big, draw(rng, ("JABABEKA", "MM2100", "EJIP", "DELTA SILICON", "GIIC", "HYUNDAI"), (30, 20, 12, 15, 15, 8), n),
            rng.integers(1, 40, n), draw(rng, streets[:4], (30, 25, 30, 15), n), w2, rng.integers(1, 200, n),
            strict=True)
    ], dtype=object)

    izin = columns(n, {
        "id": np.arange(1, n + 1), "nib": nib, "nama_pelaku_usaha": nama_pelaku, "nama_usaha": nama_usaha,
        "jenis_pelaku_usaha": pelaku, "skala_usaha": skala,
        "status_penanaman_modal": np.where(pma, "PMA", "PMDN").astype(object), "kbli": kbli, "sektor": sektor,
        "tingkat_risiko": risk, "jenis_izin": jenis_izin, "tanggal_terbit": dates,
        "tanggal_input": _input_dates(rng_for(seed, DINAS, "input-dates"), dates), "nilai_investasi": invest,
        "jumlah_tenaga_kerja": workers, "alamat_usaha": alamat,
        "kode_desa": np.array([desas[i].kode for i in desa_idx], dtype=object), "kecamatan": kecamatan,
    })
    izin, report = _inject(rng_for(seed, DINAS, "defects"), izin, counts)
    ref = columns(len(KBLI), {
        "kbli": np.array([k[0] for k in KBLI], dtype=object), "judul_kbli": np.array([k[1] for k in KBLI], dtype=object),
        "sektor": np.array([k[2] for k in KBLI], dtype=object),
        "nama_sektor": np.array([SECTIONS[k[2]] for k in KBLI], dtype=object),
    })
    return SampleData({"ref_kbli": ref, "izin_usaha": izin}, report)


def _weights(col: int) -> np.ndarray:
    w = np.array([k[col] for k in KBLI], dtype=float)
    return w / w.sum()


def _oss_kecamatan(rng: np.random.Generator, name: str) -> str:
    """Kecamatan as typed into OSS: title case, sometimes with a prefix, sometimes upper case."""
    u = rng.random()
    if u < 0.6:
        return name
    if u < 0.8:
        return name.upper()
    return f"Kec. {name}"


def _input_dates(rng: np.random.Generator, issued: np.ndarray) -> np.ndarray:
    """When each permit was entered in the OSS copy: 0-3 days after it was issued, at most on the day the
    copy was taken (31 December 2024). A permit "issued" after it was entered is a typing error."""
    later = issued.astype("datetime64[D]") + rng.integers(0, 4, len(issued)).astype("timedelta64[D]")
    return np.minimum(later, np.datetime64("2024-12-31"))


def _inject(rng: np.random.Generator, izin: dict, counts: Mapping[str, int]) -> tuple[dict, dict[str, list[str]]]:
    n = len(izin["id"])
    targets = pick_defect_rows(rng, np.arange(n), {k: v for k, v in counts.items() if k != "duplicate_nib"})
    report: dict[str, list[str]] = {}
    for kind, rows in targets.items():
        if kind == "unknown_region":
            izin["kode_desa"][rows] = "32.16.99.9999"
            izin["kecamatan"][rows] = "Kec. Antah Berantah"
        elif kind == "future_date":
            izin["tanggal_terbit"][rows] = random_days(rng, "2026-01-01", "2030-12-31", len(rows))
        elif kind == "negative_investment":
            izin["nilai_investasi"][rows] = -np.abs(izin["nilai_investasi"][rows])
        elif kind == "invalid_kbli":
            izin["kbli"][rows] = np.where(rng.random(len(rows)) < 0.5, "99999",
                                          np.array([k[:4] for k in izin["kbli"][rows]], dtype=object))
        elif kind == "null_sector":
            izin["sektor"][rows] = None
        report[kind] = [str(izin["id"][r]) for r in rows]
    if counts.get("duplicate_nib"):
        # Only rows whose (nib, kbli) is unique so far, so the duplicates are exactly the injected ones.
        izin, report["duplicate_nib"] = append_duplicates(rng, izin, targets, counts["duplicate_nib"])
    return izin, report


def seed(admin_dsn: str, dbname: str, *, scale: float = 1.0, seed: int = 2024,
         defects: Mapping[str, int] | None = None, reader_user: str | None = None,
         reader_password: str | None = None) -> SeedReport:
    """(Re)create the DPMPTSP sample database ``dbname`` on PostgreSQL and fill it."""
    watch = Stopwatch()
    data = build(scale, seed, defects)
    return seed_postgres(DINAS, admin_dsn, dbname, SCHEMA, data, scale=scale, seed=seed,
                         reader_user=reader_user, reader_password=reader_password, post_load=POST_LOAD,
                         watch=watch)
