"""Sample database of Dinas Pertanian (food crops) on PostgreSQL.

Food-crop statistics in Indonesia are collected monthly per kecamatan/desa by the extension
workers (PPL, KCD) on the SP forms: planted, harvested and failed (*puso*) area and production
per commodity. This sample keeps one report per desa, month and commodity in
``laporan_tanaman_pangan`` (only months with activity are reported, as on paper), plus the
commodity list ``komoditas`` and the desa's rice-field area ``lahan_sawah``.

Magnitudes follow Kabupaten Bekasi: about 50,000 ha of rice fields in the north and east,
two seasons a year (harvests peaking in March-April and August-September), ~57-60 quintal/ha,
so 550-600 thousand ton GKG (dry unhusked rice) a year; palawija are small (hundreds of ha).
2019 and 2023 were dry years (El Niño), 2020-2021 were wetter with more flood *puso*.

``scale`` does not shrink these figures: the table is small (~17,000 rows) and its totals are
what the published statistics must show. It only thins out the desa reporting palawija below
``scale=0.1`` so tiny samples stay tiny.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

import numpy as np

from satudata_samples._common import (
    AGRARIAN_KECAMATAN,
    SampleData,
    SeedReport,
    Stopwatch,
    append_duplicates,
    columns,
    desa_list,
    normalise_defects,
    pick_defect_rows,
    rng_for,
    seed_postgres,
)
from satudata_samples.names import MID_MALE, MID_SECOND_MALE

DINAS = "distan"
YEARS = range(2019, 2025)
TOTAL_SAWAH_HA = 50_000.0
YEAR_FACTOR = {2019: 0.95, 2020: 1.01, 2021: 1.02, 2022: 1.0, 2023: 0.92, 2024: 0.97}
PUSO_SHARE = {2019: 0.004, 2020: 0.02, 2021: 0.018, 2022: 0.006, 2023: 0.012, 2024: 0.008}

# code, name, unit of production, productivity (quintal/ha), kabupaten harvested area (ha/year)
COMMODITIES = (
    ("PS", "PADI SAWAH", "TON GKG", 58.5, None),
    ("PL", "PADI LADANG", "TON GKG", 38.0, 150.0),
    ("JG", "JAGUNG", "TON PIPILAN KERING", 52.0, 320.0),
    ("KD", "KEDELAI", "TON BIJI KERING", 14.5, 90.0),
    ("KT", "KACANG TANAH", "TON BIJI KERING", 12.5, 380.0),
    ("UK", "UBI KAYU", "TON UMBI BASAH", 225.0, 650.0),
    ("UJ", "UBI JALAR", "TON UMBI BASAH", 150.0, 260.0),
)
# Share of a season's rice harvest per month: MT I (rendeng) Jan-Apr, MT II (gadu) Jul-Oct.
RICE_HARVEST_MONTHS = {1: 0.04, 2: 0.17, 3: 0.33, 4: 0.22, 5: 0.04, 7: 0.03, 8: 0.24, 9: 0.32, 10: 0.14, 11: 0.02}
RICE_PLANT_LAG = 4  # months from planting to harvest

DEFECT_KINDS = ("negative_area", "null_production", "unknown_region", "future_year", "duplicate_report",
                "unit_error")
"""Defects in ``laporan_tanaman_pangan``; ``SeedReport.defects[kind]`` lists ``id`` values (text).

- ``negative_area``: ``luas_panen_ha`` below zero.
- ``null_production``: ``produksi_ton`` NULL although there was a harvest.
- ``unknown_region``: ``kode_desa`` not in the reference (``32.16.99.9999``).
- ``future_year``: ``tahun`` typed as 2052 or 2204 (digits swapped).
- ``duplicate_report``: an extra row repeating an existing (desa, tahun, bulan, komoditas); the
  reported id is the extra row's.
- ``unit_error``: ``produksi_ton`` entered in kilogram (x1000).
"""

SCHEMA = """
CREATE TABLE komoditas (
    kode_komoditas   varchar(4)  PRIMARY KEY,
    nama_komoditas   varchar(40) NOT NULL,
    satuan_produksi  varchar(30) NOT NULL
);
CREATE TABLE lahan_sawah (
    kode_desa      varchar(13)   PRIMARY KEY,
    nama_desa      varchar(60)   NOT NULL,
    kecamatan      varchar(60)   NOT NULL,
    luas_sawah_ha  numeric(10,2) NOT NULL,
    irigasi_teknis boolean       NOT NULL
);
CREATE TABLE laporan_tanaman_pangan (
    id                  bigint        PRIMARY KEY,
    kode_desa           varchar(13),
    kecamatan           varchar(60),
    tahun               smallint      NOT NULL,
    bulan               smallint      NOT NULL,
    kode_komoditas      varchar(4)    NOT NULL REFERENCES komoditas,
    luas_tanam_ha       numeric(10,2),
    luas_panen_ha       numeric(10,2),
    luas_puso_ha        numeric(10,2),
    produktivitas_ku_ha numeric(8,2),
    produksi_ton        numeric(14,2),
    petugas             varchar(80),
    tanggal_input       date
);
"""
POST_LOAD = "CREATE INDEX laporan_periode_idx ON laporan_tanaman_pangan (tahun, bulan);"


def build(scale: float = 1.0, seed: int = 2024, defects: Mapping[str, int] | None = None) -> SampleData:
    """Generate the monthly food-crop reports 2019-2024 (pure, deterministic)."""
    if scale <= 0 or not math.isfinite(scale):
        raise ValueError("scale must be a positive number")
    counts = normalise_defects(defects, DEFECT_KINDS)
    rng = rng_for(seed, DINAS, "crops")
    desas = desa_list()

    # Rice fields: large in agrarian kecamatan, small at the urban fringe, none in town centres.
    raw = np.array([
        rng.gamma(4.0, 150.0) if d.kecamatan.nama in AGRARIAN_KECAMATAN
        else (0.0 if d.status == "kelurahan" else rng.gamma(1.5, 40.0))
        for d in desas
    ])
    sawah = np.round(raw / raw.sum() * TOTAL_SAWAH_HA, 2)
    irrigated = np.array([d.kecamatan.nama in AGRARIAN_KECAMATAN and rng.random() < 0.8 for d in desas])
    has_rice = sawah > 0
    officers = {d.kecamatan.kode: f"{MID_MALE[i % len(MID_MALE)]} {MID_SECOND_MALE[(i * 7) % len(MID_SECOND_MALE)]}"
                for i, d in enumerate(desas)}

    rows: dict[str, list] = {k: [] for k in ("kode_desa", "kecamatan", "tahun", "bulan", "kode_komoditas",
                                                 "luas_tanam_ha", "luas_panen_ha", "luas_puso_ha",
                                                 "produktivitas_ku_ha", "produksi_ton", "petugas",
                                                 "tanggal_input")}

    def add(di: int, year: int, month: int, code: str, tanam: float, panen: float, puso: float,
            prod_ku: float | None) -> None:
        d = desas[di]
        rows["kode_desa"].append(d.kode)
        rows["kecamatan"].append(d.kecamatan.nama.upper())
        rows["tahun"].append(year)
        rows["bulan"].append(month)
        rows["kode_komoditas"].append(code)
        rows["luas_tanam_ha"].append(round(tanam, 2))
        rows["luas_panen_ha"].append(round(panen, 2))
        rows["luas_puso_ha"].append(round(puso, 2))
        rows["produktivitas_ku_ha"].append(None if prod_ku is None else round(prod_ku, 2))
        rows["produksi_ton"].append(round(panen * (prod_ku or 0) / 10, 2))
        rows["petugas"].append(officers[d.kecamatan.kode])
        m_next = month % 12 + 1
        y_next = year + (month == 12)
        rows["tanggal_input"].append(np.datetime64(f"{y_next}-{m_next:02d}-{int(rng.integers(1, 11)):02d}"))

    for year in YEARS:
        for di in np.flatnonzero(has_rice):
            seasons = 2.0 if irrigated[di] else 1.7
            season_area = sawah[di] * seasons / 2 * YEAR_FACTOR[year]
            productivity = 58.5 * YEAR_FACTOR[year] ** 0.5 * rng.normal(1.0, 0.05) * (1.03 if irrigated[di] else 0.96)
            harvest_share = {m: s * rng.normal(1.0, 0.08) for m, s in RICE_HARVEST_MONTHS.items()}
            for month in range(1, 13):
                panen = season_area * 2 * harvest_share.get(month, 0.0) / sum(RICE_HARVEST_MONTHS.values())
                plant_month = (month + RICE_PLANT_LAG - 1) % 12 + 1
                tanam = season_area * 2 * RICE_HARVEST_MONTHS.get(plant_month, 0.0) * rng.normal(1.0, 0.05)
                puso = panen * PUSO_SHARE[year] * rng.gamma(1.0, 1.0) if month in (1, 2, 3, 8, 9) else 0.0
                if panen <= 0 and tanam <= 0:
                    continue
                add(int(di), year, month, "PS", max(tanam, 0.0), max(panen - puso, 0.0), puso,
                    productivity if panen > 0 else None)
        # Palawija: a few desa per commodity, harvests spread over the dry months.
        for code, _name, _unit, ku_ha, area in COMMODITIES[1:]:
            n_desa = max(3, round(40 * min(1.0, scale * 10)))
            pool = np.flatnonzero(has_rice)
            growers = rng.choice(pool, size=min(n_desa, len(pool)), replace=False)
            share = rng.dirichlet(np.ones(len(growers)))
            for di, s in zip(growers, share, strict=True):
                months = rng.choice(np.arange(1, 13), size=3, replace=False,
                                    p=np.array([4, 4, 6, 8, 10, 12, 12, 12, 10, 8, 8, 6]) / 100)
                for month in sorted(months):
                    panen = float(area) * s / 3 * YEAR_FACTOR[year] * rng.normal(1.0, 0.1)
                    add(int(di), year, int(month), code, panen * rng.normal(1.0, 0.1), panen, 0.0,
                        ku_ha * rng.normal(1.0, 0.06))

    n = len(rows["tahun"])
    lap = columns(n, {k: np.array(v, dtype=object) if k not in ("tahun", "bulan", "tanggal_input")
                      else np.array(v) for k, v in rows.items()})
    lap = {"id": np.arange(1, n + 1), **lap}
    for k in ("luas_tanam_ha", "luas_panen_ha", "luas_puso_ha", "produksi_ton"):
        lap[k] = lap[k].astype(float)
    lap, report = _inject(rng_for(seed, DINAS, "defects"), lap, counts)

    kom = columns(len(COMMODITIES), {
        "kode_komoditas": np.array([c[0] for c in COMMODITIES], dtype=object),
        "nama_komoditas": np.array([c[1] for c in COMMODITIES], dtype=object),
        "satuan_produksi": np.array([c[2] for c in COMMODITIES], dtype=object),
    })
    lahan = columns(int(has_rice.sum()), {
        "kode_desa": np.array([d.kode for d, h in zip(desas, has_rice, strict=True) if h], dtype=object),
        "nama_desa": np.array([d.nama.upper() for d, h in zip(desas, has_rice, strict=True) if h], dtype=object),
        "kecamatan": np.array([d.kecamatan.nama.upper() for d, h in zip(desas, has_rice, strict=True) if h],
                              dtype=object),
        "luas_sawah_ha": sawah[has_rice], "irigasi_teknis": irrigated[has_rice],
    })
    return SampleData({"komoditas": kom, "lahan_sawah": lahan, "laporan_tanaman_pangan": lap}, report)


def _inject(rng: np.random.Generator, lap: dict, counts: Mapping[str, int]) -> tuple[dict, dict[str, list[str]]]:
    harvested = np.flatnonzero(lap["luas_panen_ha"] > 0)
    single = {k: v for k, v in counts.items() if k != "duplicate_report"}
    targets = pick_defect_rows(rng, harvested, single)
    report: dict[str, list[str]] = {}
    for kind, rows in targets.items():
        if kind == "negative_area":
            lap["luas_panen_ha"][rows] = -lap["luas_panen_ha"][rows]
        elif kind == "null_production":
            lap["produksi_ton"][rows] = np.nan
        elif kind == "unknown_region":
            lap["kode_desa"][rows] = "32.16.99.9999"
            lap["kecamatan"][rows] = "ANTAH BERANTAH"
        elif kind == "future_year":
            lap["tahun"][rows] = np.where(rng.random(len(rows)) < 0.5, 2052, 2204)
        elif kind == "unit_error":
            lap["produksi_ton"][rows] = lap["produksi_ton"][rows] * 1000
        report[kind] = [str(lap["id"][r]) for r in rows]
    if counts.get("duplicate_report"):
        lap, report["duplicate_report"] = append_duplicates(rng, lap, targets, counts["duplicate_report"])
    return lap, report


def seed(admin_dsn: str, dbname: str, *, scale: float = 1.0, seed: int = 2024,
         defects: Mapping[str, int] | None = None, reader_user: str | None = None,
         reader_password: str | None = None) -> SeedReport:
    """(Re)create the Dinas Pertanian sample database ``dbname`` on PostgreSQL and fill it."""
    watch = Stopwatch()
    data = build(scale, seed, defects)
    return seed_postgres(DINAS, admin_dsn, dbname, SCHEMA, data, scale=scale, seed=seed,
                         reader_user=reader_user, reader_password=reader_password, post_load=POST_LOAD,
                         watch=watch)
