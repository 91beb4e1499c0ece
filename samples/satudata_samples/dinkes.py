"""Sample database of Dinas Kesehatan on MariaDB: puskesmas, toddler growth, immunisation, visits.

What it imitates and why:

* ``puskesmas`` and ``wilayah_kerja``: ~43 community health centres, one named after each
  kecamatan plus extra ones named after their desa in the populous kecamatan; each desa belongs
  to exactly one puskesmas.
* ``balita`` and ``penimbangan``: the e-PPGBM register of children under five and their
  measurements in the February and August weighing months (*bulan penimbangan*) 2019-2024.
  Height-for-age z-scores (``zs_tbu``) use approximate WHO 2006 medians, so stunting
  (``status_tbu`` ``PENDEK``/``SANGAT PENDEK``, z < -2) is both stored and recomputable; it
  falls slowly from ~11 % to ~8 % over the years, higher in the rural north. Attendance dropped
  in 2020 when posyandu closed for COVID-19.
* ``imunisasi``: one row per dose for children born 2019-2024 (ASIK style). A child has complete
  basic immunisation (IDL) when all ``IDL_VACCINES`` were given before 12 months (~85 %).
* ``kunjungan``: the monthly visit recap each puskesmas sends (per poli and sex), scaled with the
  population knob so small samples stay proportional.

Sex is written ``L``/``P`` here (unlike the civil registry), as e-PPGBM and ASIK do.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from satudata_samples import names
from satudata_samples._common import (
    AGRARIAN_KECAMATAN,
    KECAMATAN_POPULATION_K,
    Desa,
    SampleData,
    SeedReport,
    Stopwatch,
    append_duplicates,
    columns,
    date_parts,
    day,
    desa_list,
    desa_weights,
    normalise_defects,
    pick_defect_rows,
    random_days,
    rng_for,
    seed_mysql,
    zfill,
)

DINAS = "dinkes"
BIRTHS_PER_YEAR = 55_000  # Kabupaten Bekasi at scale 1.0
REGISTERED_SHARE = 0.85  # children known to e-PPGBM
SESSIONS = [day(f"{y}-{m:02d}-01") for y in range(2019, 2025) for m in (2, 8)]
ATTENDANCE = {2019: 0.78, 2020: 0.38, 2021: 0.6, 2022: 0.74, 2023: 0.78, 2024: 0.8}

# Approximate WHO 2006 growth standards: month -> (median, SD) of length/height (cm) and weight (kg).
AGE_POINTS = np.array([0, 3, 6, 9, 12, 18, 24, 36, 48, 60])
HEIGHT = {
    "L": (np.array([49.9, 61.4, 67.6, 72.0, 75.7, 82.3, 87.1, 96.1, 103.3, 110.0]),
          np.array([1.9, 2.0, 2.2, 2.3, 2.5, 2.8, 3.1, 3.7, 4.2, 4.7])),
    "P": (np.array([49.1, 59.8, 65.7, 70.1, 74.0, 80.7, 85.7, 95.1, 102.7, 109.4]),
          np.array([1.9, 2.0, 2.2, 2.4, 2.6, 2.9, 3.2, 3.7, 4.2, 4.7])),
}
WEIGHT = {
    "L": np.array([3.3, 6.4, 7.9, 8.9, 9.6, 10.9, 12.2, 14.3, 16.3, 18.3]),
    "P": np.array([3.2, 5.8, 7.3, 8.2, 8.9, 10.2, 11.5, 13.9, 16.1, 18.2]),
}

# Basic immunisation schedule: vaccine -> (target age in days, spread in days).
IDL_VACCINES = {
    "HB0": (0, 3), "BCG": (20, 15), "POLIO 1": (20, 15), "DPT-HB-HIB 1": (65, 20), "POLIO 2": (65, 20),
    "DPT-HB-HIB 2": (95, 20), "POLIO 3": (95, 20), "DPT-HB-HIB 3": (125, 25), "POLIO 4": (125, 25),
    "IPV": (125, 25), "CAMPAK RUBELLA": (280, 25),
}
POLI = (("UMUM", 46), ("KIA/KB", 16), ("LANSIA", 11), ("MTBS", 9), ("GIGI", 7), ("GIZI", 3))
POSYANDU_NAMES = ("MAWAR", "MELATI", "ANGGREK", "DAHLIA", "KENANGA", "CEMPAKA", "FLAMBOYAN", "SEROJA", "TERATAI")

DEFECT_KINDS = ("negative_weight", "null_height", "implausible_height", "duplicate_measurement",
                "unknown_puskesmas", "unknown_region", "future_date")
"""Defects in ``penimbangan``; ``SeedReport.defects[kind]`` lists ``id`` values (text).

- ``negative_weight``: ``berat_kg`` below zero; ``null_height``: ``tinggi_cm`` NULL.
- ``implausible_height``: ``tinggi_cm`` ten times too large (decimal point lost).
- ``duplicate_measurement``: an extra row with the same ``nik_balita`` and ``tanggal`` (the
  reported id is the extra row's).
- ``unknown_puskesmas``: ``kode_puskesmas`` not in ``puskesmas`` (``P32169901``).
- ``unknown_region``: ``kode_desa`` not in the reference (``32.16.99.9999``).
- ``future_date``: ``tanggal`` in 2026-2030.
"""

SCHEMA = """
CREATE TABLE puskesmas (
    kode_puskesmas varchar(12)  NOT NULL PRIMARY KEY,
    nama_puskesmas varchar(80)  NOT NULL,
    jenis          varchar(20)  NOT NULL,
    kode_desa      varchar(13)  NOT NULL,
    kecamatan      varchar(60)  NOT NULL,
    alamat         varchar(200)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE wilayah_kerja (
    kode_puskesmas varchar(12) NOT NULL,
    kode_desa      varchar(13) NOT NULL,
    PRIMARY KEY (kode_puskesmas, kode_desa)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE balita (
    nik_balita     char(16)     NOT NULL PRIMARY KEY,
    nama           varchar(100) NOT NULL,
    jenis_kelamin  char(1)      NOT NULL,
    tanggal_lahir  date         NOT NULL,
    nama_ortu      varchar(100),
    kode_desa      varchar(13)  NOT NULL,
    kode_puskesmas varchar(12)  NOT NULL,
    posyandu       varchar(60)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE penimbangan (
    id             bigint       NOT NULL PRIMARY KEY,
    nik_balita     char(16)     NOT NULL,
    tanggal        date         NOT NULL,
    umur_bulan     smallint     NOT NULL,
    jenis_kelamin  char(1)      NOT NULL,
    berat_kg       decimal(5,2),
    tinggi_cm      decimal(5,1),
    cara_ukur      varchar(12),
    zs_tbu         decimal(5,2),
    status_tbu     varchar(15),
    kode_puskesmas varchar(12),
    kode_desa      varchar(13),
    KEY penimbangan_nik (nik_balita),
    KEY penimbangan_tanggal (tanggal)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE imunisasi (
    id             bigint      NOT NULL PRIMARY KEY,
    nik_balita     char(16)    NOT NULL,
    jenis_vaksin   varchar(20) NOT NULL,
    tanggal        date        NOT NULL,
    kode_puskesmas varchar(12) NOT NULL,
    KEY imunisasi_nik (nik_balita)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE kunjungan (
    id               bigint      NOT NULL PRIMARY KEY,
    kode_puskesmas   varchar(12) NOT NULL,
    tahun            smallint    NOT NULL,
    bulan            tinyint     NOT NULL,
    poli             varchar(20) NOT NULL,
    jenis_kelamin    char(1)     NOT NULL,
    jumlah_kunjungan int         NOT NULL,
    kunjungan_baru   int         NOT NULL,
    peserta_jkn      int         NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
"""


@dataclass(frozen=True)
class Puskesmas:
    kode: str
    nama: str
    jenis: str
    desa: Desa
    desa_served: tuple[str, ...]


def puskesmas_list() -> tuple[Puskesmas, ...]:
    """The health centres: one per ~75,000 residents of a kecamatan, at least one each."""
    rng = rng_for(0, DINAS, "puskesmas")  # fixed: the facilities do not change with the seed
    out: list[Puskesmas] = []
    desas = desa_list()
    for kec_name, pop_k in KECAMATAN_POPULATION_K.items():
        kec_desas = [d for d in desas if d.kecamatan.nama == kec_name]
        k = max(1, round(pop_k / 75))
        main = next((d for d in kec_desas if d.status == "kelurahan"),
                    next((d for d in kec_desas if d.nama.replace(" ", "") == kec_name.replace(" ", "")), kec_desas[0]))
        others = [d for d in kec_desas if d is not main]
        sites = [main] + [others[i] for i in rng.choice(len(others), size=min(k - 1, len(others)), replace=False)]
        served: dict[str, list[str]] = {s.kode: [s.kode] for s in sites}
        rest = [d for d in kec_desas if d not in sites]
        for i, d in enumerate(rest):
            served[sites[i % len(sites)].kode].append(d.kode)
        kec_no = kec_desas[0].kecamatan.kode.replace(".", "")
        for j, site in enumerate(sites):
            nama = f"PUSKESMAS {kec_name.upper()}" if j == 0 else f"PUSKESMAS {site.nama.upper()}"
            jenis = "RAWAT INAP" if (j == 0 and (kec_name in AGRARIAN_KECAMATAN or pop_k >= 200)) else "NON RAWAT INAP"
            out.append(Puskesmas(f"P{kec_no}{j + 1:02d}", nama, jenis, site, tuple(sorted(served[site.kode]))))
    return tuple(sorted(out, key=lambda p: p.kode))


def _interp(points: np.ndarray, months: np.ndarray) -> np.ndarray:
    return np.interp(months, AGE_POINTS, points)


def build(scale: float = 1.0, seed: int = 2024, defects: Mapping[str, int] | None = None) -> SampleData:
    """Generate all Dinkes tables (pure, deterministic)."""
    if scale <= 0 or not math.isfinite(scale):
        raise ValueError("scale must be a positive number")
    counts = normalise_defects(defects, DEFECT_KINDS)
    rng = rng_for(seed, DINAS, "children")
    desas = desa_list()
    pusk = puskesmas_list()
    pusk_of_desa = {code: p.kode for p in pusk for code in p.desa_served}

    # Children born from mid-2014 (under five at the first 2019 session) to 2024.
    first_birth, last_birth = day("2014-02-02"), day("2024-12-31")
    n = round(BIRTHS_PER_YEAR * REGISTERED_SHARE * ((last_birth - first_birth).astype(int) / 365.25) * scale)
    births = np.sort(random_days(rng, first_birth, last_birth, n))
    sex = np.where(rng.random(n) < 0.512, "L", "P")  # sex ratio at birth ~105
    desa_idx = rng.choice(len(desas), size=n, p=desa_weights(rng_for(seed, DINAS, "desa-weights")))
    kode_desa = np.array([desas[i].kode for i in desa_idx], dtype=object)
    kec_no = np.array([int(desas[i].kecamatan.number) for i in desa_idx])
    years, months, days_ = date_parts(births)
    serial = np.arange(n) % 9000 + 1000
    nik = zfill((321600 + kec_no) * 10**10 + ((days_ + np.where(sex == "P", 40, 0)) * 10_000 + months * 100
                                              + years % 100) * 10**4 + serial, 16)
    is_male = sex == "L"
    nama = names.person_names(rng, is_male, years, np.full(n, "ISLAM"))
    ortu = names.person_names(rng, np.zeros(n, bool), years - rng.integers(20, 38, n), np.full(n, "ISLAM"))
    posyandu = np.array([f"POSYANDU {POSYANDU_NAMES[i % len(POSYANDU_NAMES)]} {r:02d}"
                         for i, r in zip(rng.integers(0, 100, n), rng.integers(1, 16, n), strict=True)], dtype=object)
    pkode = np.array([pusk_of_desa[k] for k in kode_desa], dtype=object)
    balita = columns(n, {"nik_balita": nik, "nama": nama, "jenis_kelamin": sex.astype(object), "tanggal_lahir": births,
                         "nama_ortu": ortu, "kode_desa": kode_desa, "kode_puskesmas": pkode, "posyandu": posyandu})

    # Growth: each child keeps a latent height z around a kecamatan/year mean.
    rural = np.array([desas[i].kecamatan.nama in AGRARIAN_KECAMATAN for i in desa_idx])
    z_child = rng.normal(np.where(rural, -0.95, -0.72), 1.0)
    w_child = 0.6 * z_child + rng.normal(0, 0.8, n)
    pen: dict[str, list[np.ndarray]] = {k: [] for k in ("idx", "tanggal", "umur")}
    for session in SESSIONS:
        measure_day = session + rng.integers(0, 28, n).astype("timedelta64[D]")
        age_m = ((measure_day - births).astype(int) / 30.4375).astype(int)
        year = int(str(session)[:4])
        present = (measure_day >= births) & (age_m < 60) & (rng.random(n) < ATTENDANCE[year])
        idx = np.flatnonzero(present)
        pen["idx"].append(idx)
        pen["tanggal"].append(measure_day[idx])
        pen["umur"].append(age_m[idx])
    idx = np.concatenate(pen["idx"])
    tanggal = np.concatenate(pen["tanggal"])
    umur = np.concatenate(pen["umur"])
    m_sex = sex[idx]
    t_year = date_parts(tanggal)[0]
    z = z_child[idx] + (t_year - 2019) * 0.04 + rng.normal(0, 0.25, len(idx))
    median = np.where(m_sex == "L", _interp(HEIGHT["L"][0], umur), _interp(HEIGHT["P"][0], umur))
    sd = np.where(m_sex == "L", _interp(HEIGHT["L"][1], umur), _interp(HEIGHT["P"][1], umur))
    tinggi = np.round(median + z * sd, 1)
    zs = np.round((tinggi - median) / sd, 2)
    w_median = np.where(m_sex == "L", _interp(WEIGHT["L"], umur), _interp(WEIGHT["P"], umur))
    berat = np.round(w_median * (1 + 0.11 * (w_child[idx] + rng.normal(0, 0.3, len(idx)))), 2)
    berat = np.maximum(berat, 1.5)
    status = np.select([zs < -3, zs < -2, zs <= 3], ["SANGAT PENDEK", "PENDEK", "NORMAL"], "TINGGI").astype(object)
    order = np.lexsort((idx, tanggal))
    m = len(idx)
    penimbangan = columns(m, {
        "id": np.arange(1, m + 1), "nik_balita": nik[idx][order], "tanggal": tanggal[order], "umur_bulan": umur[order],
        "jenis_kelamin": m_sex[order].astype(object), "berat_kg": berat[order], "tinggi_cm": tinggi[order],
        "cara_ukur": np.where(umur[order] < 24, "TERLENTANG", "BERDIRI").astype(object), "zs_tbu": zs[order],
        "status_tbu": status[order], "kode_puskesmas": pkode[idx][order], "kode_desa": kode_desa[idx][order],
    })
    penimbangan, report = _inject(rng_for(seed, DINAS, "defects"), penimbangan, counts)

    imunisasi = _immunisations(rng_for(seed, DINAS, "imunisasi"), nik, births, pkode)
    kunjungan = _visits(rng_for(seed, DINAS, "kunjungan"), pusk, desas, scale)
    pusk_cols = columns(len(pusk), {
        "kode_puskesmas": np.array([p.kode for p in pusk], dtype=object),
        "nama_puskesmas": np.array([p.nama for p in pusk], dtype=object),
        "jenis": np.array([p.jenis for p in pusk], dtype=object),
        "kode_desa": np.array([p.desa.kode for p in pusk], dtype=object),
        "kecamatan": np.array([p.desa.kecamatan.nama.upper() for p in pusk], dtype=object),
        "alamat": np.array([f"JL. RAYA {p.desa.nama.upper()} NO. {i * 7 % 90 + 1}" for i, p in enumerate(pusk)],
                           dtype=object),
    })
    pairs = [(p.kode, d) for p in pusk for d in p.desa_served]
    wilayah = columns(len(pairs), {"kode_puskesmas": np.array([a for a, _ in pairs], dtype=object),
                                   "kode_desa": np.array([b for _, b in pairs], dtype=object)})
    return SampleData({"puskesmas": pusk_cols, "wilayah_kerja": wilayah, "balita": balita,
                       "penimbangan": penimbangan, "imunisasi": imunisasi, "kunjungan": kunjungan}, report)


def _immunisations(rng: np.random.Generator, nik: np.ndarray, births: np.ndarray, pkode: np.ndarray) -> dict:
    """One row per dose given by 2024-12-31 to children born 2019-2024."""
    born = np.flatnonzero(births >= day("2019-01-01"))
    complete = rng.random(len(born)) < 0.9  # will get all doses; the others stop somewhere
    stop_at = np.where(complete, len(IDL_VACCINES), rng.integers(1, len(IDL_VACCINES), len(born)))
    parts: dict[str, list[np.ndarray]] = {"child": [], "vaksin": [], "tanggal": []}
    late = rng.random(len(born)) < 0.06  # some finish after their first birthday
    for k, (vaccine, (target, spread)) in enumerate(IDL_VACCINES.items()):
        given = stop_at > k
        when = births[born] + (target + np.abs(rng.normal(0, spread, len(born))) + np.where(late, 120, 0)
                               ).astype(int).astype("timedelta64[D]")
        ok = given & (when <= day("2024-12-31"))
        parts["child"].append(born[ok])
        parts["vaksin"].append(np.full(int(ok.sum()), vaccine, dtype=object))
        parts["tanggal"].append(when[ok])
    child = np.concatenate(parts["child"])
    tanggal = np.concatenate(parts["tanggal"])
    order = np.lexsort((child, tanggal))
    n = len(child)
    return columns(n, {"id": np.arange(1, n + 1), "nik_balita": nik[child][order],
                       "jenis_vaksin": np.concatenate(parts["vaksin"])[order], "tanggal": tanggal[order],
                       "kode_puskesmas": pkode[child][order]})


def _visits(rng: np.random.Generator, pusk: tuple[Puskesmas, ...], desas: tuple[Desa, ...], scale: float) -> dict:
    """Monthly visit recap per puskesmas, poli and sex (~1 visit per resident a year)."""
    weights = desa_weights(rng_for(0, DINAS, "catchment"))
    share = {d.kode: w for d, w in zip(desas, weights, strict=True)}
    rows: dict[str, list] = {k: [] for k in ("kode_puskesmas", "tahun", "bulan", "poli", "jenis_kelamin",
                                             "jumlah_kunjungan", "kunjungan_baru", "peserta_jkn")}
    poli_w = np.array([w for _, w in POLI], dtype=float) / sum(w for _, w in POLI)
    for p in pusk:
        catchment = sum(share[d] for d in p.desa_served) * 3_300_000 * scale
        for year in range(2019, 2025):
            for month in range(1, 13):
                covid = 0.65 if (year == 2020 and month >= 4) or (year == 2021 and month in (7, 8)) else 1.0
                base = catchment * 1.0 / 12 * covid * rng.normal(1.0, 0.06)
                for (poli, _), pw in zip(POLI, poli_w, strict=True):
                    for jk, sw in (("L", 0.42), ("P", 0.58)):
                        total = int(rng.poisson(max(base * pw * sw, 0.0)))
                        rows["kode_puskesmas"].append(p.kode)
                        rows["tahun"].append(year)
                        rows["bulan"].append(month)
                        rows["poli"].append(poli)
                        rows["jenis_kelamin"].append(jk)
                        rows["jumlah_kunjungan"].append(total)
                        rows["kunjungan_baru"].append(int(rng.binomial(total, 0.4)))
                        rows["peserta_jkn"].append(int(rng.binomial(total, 0.72 if year >= 2021 else 0.62)))
    n = len(rows["tahun"])
    out = {"id": np.arange(1, n + 1)}
    out.update({k: np.array(v, dtype=object if isinstance(v[0], str) else np.int64) for k, v in rows.items()})
    return out


def _inject(rng: np.random.Generator, pen: dict, counts: Mapping[str, int]) -> tuple[dict, dict[str, list[str]]]:
    n = len(pen["id"])
    single = {k: v for k, v in counts.items() if k != "duplicate_measurement"}
    # Rows whose (nik, tanggal) is unique: duplicates must be exactly the injected ones.
    targets = pick_defect_rows(rng, np.arange(n), single)
    report: dict[str, list[str]] = {}
    for kind, rows in targets.items():
        if kind == "negative_weight":
            pen["berat_kg"][rows] = -pen["berat_kg"][rows]
        elif kind == "null_height":
            pen["tinggi_cm"][rows] = np.nan
        elif kind == "implausible_height":
            pen["tinggi_cm"][rows] = pen["tinggi_cm"][rows] * 10
        elif kind == "unknown_puskesmas":
            pen["kode_puskesmas"][rows] = "P32169901"
        elif kind == "unknown_region":
            pen["kode_desa"][rows] = "32.16.99.9999"
        elif kind == "future_date":
            pen["tanggal"][rows] = random_days(rng, "2026-01-01", "2030-12-31", len(rows))
        report[kind] = [str(pen["id"][r]) for r in rows]
    if counts.get("duplicate_measurement"):
        # Entered twice: same child and day, the second time with slightly different numbers.
        pen, report["duplicate_measurement"] = append_duplicates(
            rng, pen, targets, counts["duplicate_measurement"],
            lambda cols, rows: {"berat_kg": np.round(cols["berat_kg"][rows] + 0.1, 2)})
    return pen, report


def seed(admin_url: str, dbname: str, *, scale: float = 1.0, seed: int = 2024,
         defects: Mapping[str, int] | None = None, reader_user: str | None = None,
         reader_password: str | None = None) -> SeedReport:
    """(Re)create the Dinkes sample database ``dbname`` on MariaDB (``mysql://root@127.0.0.1:3306``)."""
    watch = Stopwatch()
    data = build(scale, seed, defects)
    return seed_mysql(DINAS, admin_url, dbname, SCHEMA, data, scale=scale, seed=seed,
                      reader_user=reader_user, reader_password=reader_password, watch=watch)
