"""Sample spreadsheet drop of BPBD (disaster management agency): disaster events 2019-2024.

BPBD keeps its event log by hand in Excel and sends it as a workbook (plus, sometimes, a CSV
"export" from the same sheet). Reading it is the hard part, so the files carry the mess such
spreadsheets really have -- all of it *legitimate* (the pipeline must cope, not reject):

* one sheet per year, titled ``2019`` ... ``2024``; two title rows (merged across the table) and a
  blank row above a two-row header whose group cells ``KORBAN (JIWA)`` and ``KERUSAKAN RUMAH
  (UNIT)`` are merged over their sub-columns; a ``JUMLAH`` total row and a ``Sumber:`` footer below;
* dates as real Excel dates in some rows and as text in others: ``05/01/2024``, ``2024-01-05``,
  ``5 Januari 2024``;
* kecamatan written many ways: ``Tambun Selatan``, ``TAMBUN SELATAN``, ``Kec. Tambun Selatan``,
  ``TAMBUN SEL.``, BPS spellings (``KARANGBAHAGIA``, ``MUARA GEMBONG``), stray spaces; desa with
  or without ``Desa``/``Kel.``;
* numbers: ``-`` or an empty cell for zero, Indonesian thousands/decimal separators in text
  (``1.234``, ``12,5``), losses as ``Rp 15.000.000``.

The CSV (``;``-separated, UTF-8 with BOM, as Excel in an Indonesian locale saves it) has one title
line, a one-row header, and the same data for all years.

``scale`` is ignored: ~1,600 events in six years is what the real log holds and stays small.
``events(seed, defects)`` returns the clean truth (one row per event with Kemendagri codes) the
tests compare the pipeline's reading with.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd

from satudata_samples._common import (
    KECAMATAN_POPULATION_K,
    SeedReport,
    Stopwatch,
    desa_list,
    normalise_defects,
    pick_defect_rows,
    rng_for,
)

DINAS = "bpbd"
YEARS = range(2019, 2025)
MONTHS_ID = ("Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus", "September", "Oktober",
             "November", "Desember")

# jenis -> (events per year, monthly weights Jan..Dec, kecamatan weighting)
HAZARDS = {
    "BANJIR": ({2019: 45, 2020: 110, 2021: 70, 2022: 55, 2023: 40, 2024: 75},
               (30, 25, 14, 6, 2, 1, 1, 1, 1, 3, 7, 9), "flood"),
    "BANJIR ROB": (dict.fromkeys(YEARS, 8), (4, 3, 2, 2, 8, 12, 12, 6, 3, 3, 5, 10), "coast"),
    "PUTING BELIUNG": ({2019: 22, 2020: 30, 2021: 28, 2022: 25, 2023: 20, 2024: 31},
                       (12, 14, 14, 10, 5, 2, 1, 1, 3, 9, 14, 15), "people"),
    "KEBAKARAN": ({2019: 150, 2020: 105, 2021: 110, 2022: 100, 2023: 175, 2024: 120},
                  (6, 5, 6, 7, 8, 9, 11, 13, 13, 10, 6, 6), "people"),
    "TANAH LONGSOR": (dict.fromkeys(YEARS, 3), (20, 20, 15, 10, 3, 1, 1, 1, 2, 7, 10, 10), "hill"),
    "KEKERINGAN": ({2019: 12, 2020: 0, 2021: 0, 2022: 0, 2023: 15, 2024: 4},
                   (0, 0, 0, 0, 0, 2, 10, 30, 35, 20, 3, 0), "farm"),
}
FLOOD_PRONE = {"Babelan": 5, "Tarumajaya": 4, "Muaragembong": 5, "Tambun Utara": 3, "Cabangbungin": 3,
               "Sukawangi": 2, "Pebayuran": 3, "Tambun Selatan": 3, "Cikarang Utara": 2, "Sukatani": 2,
               "Karang Bahagia": 2, "Cibitung": 2}
HILLY = {"Bojongmangu": 5, "Cibarusah": 3, "Serang Baru": 2}
COASTAL = {"Muaragembong": 5, "Tarumajaya": 3, "Babelan": 3}
FARMING = {"Cabangbungin": 3, "Sukakarya": 3, "Pebayuran": 3, "Sukawangi": 2, "Bojongmangu": 2, "Sukatani": 2,
           "Kedung Waringin": 2, "Tambelang": 2, "Cibarusah": 1}
ABBREVIATIONS = {"Selatan": "SEL.", "Utara": "UT.", "Barat": "BRT.", "Timur": "TIM."}

COLUMNS = ("no", "tanggal", "jenis_bencana", "kecamatan", "desa", "lokasi", "meninggal", "luka", "mengungsi",
           "rusak_berat", "rusak_sedang", "rusak_ringan", "terendam", "kerugian_rp", "keterangan")
HEADER_TOP = ("NO", "TANGGAL KEJADIAN", "JENIS BENCANA", "KECAMATAN", "DESA/KELURAHAN", "LOKASI",
              "KORBAN (JIWA)", None, None, "KERUSAKAN RUMAH (UNIT)", None, None, None, "TAKSIRAN KERUGIAN",
              "KETERANGAN")
HEADER_SUB = (None, None, None, None, None, None, "MENINGGAL", "LUKA-LUKA", "MENGUNGSI", "RUSAK BERAT",
              "RUSAK SEDANG", "RUSAK RINGAN", "TERENDAM", None, None)
NUMERIC = ("meninggal", "luka", "mengungsi", "rusak_berat", "rusak_sedang", "rusak_ringan", "terendam", "kerugian_rp")

DEFECT_KINDS = ("unknown_region", "text_in_number", "negative_number", "future_year", "duplicate_row",
                "missing_date", "invalid_date")
"""Defects; ``SeedReport.defects[kind]`` lists ``"<year>/<no>"`` (sheet and its ``NO`` column).

- ``unknown_region``: kecamatan ``KEC. ANTAH BERANTAH`` (desa ``-``).
- ``text_in_number``: ``LUKA-LUKA`` holds ``belum didata``.
- ``negative_number``: ``RUSAK RINGAN`` below zero.
- ``future_year``: the date's year typed 2052 (text ``dd/mm/2052``).
- ``duplicate_row``: the row is pasted twice (the second copy has the same ``NO``).
- ``missing_date``: ``TANGGAL KEJADIAN`` empty.
- ``invalid_date``: a date that does not exist (``31/02/<year>``).
"""


def _kecamatan_weights(kind: str) -> np.ndarray:
    kec = list(KECAMATAN_POPULATION_K)
    if kind == "people":
        w = np.array([KECAMATAN_POPULATION_K[k] for k in kec], dtype=float)
    else:
        table = {"flood": FLOOD_PRONE, "hill": HILLY, "coast": COASTAL, "farm": FARMING}[kind]
        w = np.array([table.get(k, 0.0) for k in kec], dtype=float)
    return w / w.sum()


def events(seed: int = 2024, defects: Mapping[str, int] | None = None) -> tuple[pd.DataFrame, dict[str, list[str]]]:
    """The clean event log (truth) and which rows the written files spoil, keyed ``year/no``."""
    counts = normalise_defects(defects, DEFECT_KINDS)
    rng = rng_for(seed, DINAS, "events")
    kec_names = list(KECAMATAN_POPULATION_K)
    desas_by_kec = {k: [d for d in desa_list() if d.kecamatan.nama == k] for k in kec_names}
    rows = []
    for year in YEARS:
        for jenis, (per_year, months, where) in HAZARDS.items():
            k = int(rng.poisson(per_year[year])) if per_year[year] else 0
            mw = np.array(months, dtype=float)
            for _ in range(k):
                month = int(rng.choice(12, p=mw / mw.sum())) + 1
                day_ = int(rng.integers(1, [31, 29 if year % 4 == 0 else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
                                        [month - 1] + 1))
                kec = kec_names[int(rng.choice(len(kec_names), p=_kecamatan_weights(where)))]
                desa = desas_by_kec[kec][int(rng.integers(0, len(desas_by_kec[kec])))]
                rows.append({"tanggal": pd.Timestamp(year, month, day_), "jenis_bencana": jenis, "kecamatan": kec,
                             "kode_desa": desa.kode, "desa": desa.nama, **_impact(rng, jenis, year, month)})
    df = pd.DataFrame(rows).sort_values(["tanggal", "jenis_bencana", "kode_desa"], kind="stable")
    df["tahun"] = df["tanggal"].dt.year
    df["no"] = df.groupby("tahun").cumcount() + 1
    df = df.reset_index(drop=True)
    df["lokasi"] = [f"RT {int(a):02d}/RW {int(b):02d}" if rng.random() < 0.7 else f"Kp. {k}"
                    for a, b, k in zip(rng.integers(1, 12, len(df)), rng.integers(1, 15, len(df)),
                                       rng.choice(["Pulo", "Bulak", "Rawa", "Gabus", "Poncol", "Babakan"], len(df)),
                                       strict=True)]
    chosen = pick_defect_rows(rng_for(seed, DINAS, "defects"), np.arange(len(df)), counts)
    spoiled = {kind: [f"{df.at[i, 'tahun']}/{df.at[i, 'no']}" for i in rows] for kind, rows in chosen.items()}
    return df, spoiled


def _impact(rng: np.random.Generator, jenis: str, year: int, month: int) -> dict[str, int]:
    z = dict.fromkeys(("meninggal", "luka", "mengungsi", "rusak_berat", "rusak_sedang", "rusak_ringan", "terendam"), 0)
    if jenis in ("BANJIR", "BANJIR ROB"):
        big = 8.0 if (jenis == "BANJIR" and year == 2020 and month <= 2) else 1.0
        z["terendam"] = int(rng.lognormal(np.log(120 * big), 1.0))
        z["mengungsi"] = int(z["terendam"] * 3.2 * rng.random() * (rng.random() < 0.35))
        z["meninggal"] = int(rng.random() < 0.03 * big)
        z["rusak_ringan"] = int(z["terendam"] * 0.02 * rng.random())
    elif jenis == "PUTING BELIUNG":
        z["rusak_ringan"] = int(rng.lognormal(np.log(15), 0.8))
        z["rusak_sedang"] = int(rng.poisson(3))
        z["rusak_berat"] = int(rng.poisson(1))
        z["luka"] = int(rng.poisson(0.4))
    elif jenis == "KEBAKARAN":
        z["rusak_berat"] = int(rng.poisson(1.2) + (rng.random() < 0.6))
        z["rusak_sedang"] = int(rng.poisson(0.3))
        z["luka"] = int(rng.poisson(0.15))
        z["meninggal"] = int(rng.random() < 0.02)
    elif jenis == "TANAH LONGSOR":
        z["rusak_berat"] = int(rng.poisson(1))
        z["rusak_sedang"] = int(rng.poisson(2))
    loss = 0
    if jenis != "KEKERINGAN":
        loss = round((z["rusak_berat"] * 60e6 + z["rusak_sedang"] * 20e6 + z["rusak_ringan"] * 4e6
                      + z["terendam"] * 1.5e6) * rng.uniform(0.7, 1.3), -5)
    return {**z, "kerugian_rp": int(loss)}


# ------------------------------------------------------------------------------------------
# How a clerk writes things
# ------------------------------------------------------------------------------------------


def _kecamatan_text(rng: np.random.Generator, name: str) -> str:
    bps = {"Karang Bahagia": "KARANGBAHAGIA", "Kedung Waringin": "KEDUNGWARINGIN", "Muaragembong": "MUARA GEMBONG"}
    u = rng.random()
    if name in bps and u < 0.35:
        return bps[name]
    last = name.split()[-1]
    if last in ABBREVIATIONS and u < 0.3:
        return f"{name.rsplit(' ', 1)[0].upper()} {ABBREVIATIONS[last]}"
    if u < 0.45:
        return name.upper()
    if u < 0.6:
        return f"Kec. {name}"
    if u < 0.65:
        return f" {name.upper()} "
    if u < 0.7:
        return name.lower()
    return name


def _desa_text(rng: np.random.Generator, name: str, kode: str) -> str:
    kel = kode.split(".")[3].startswith("1")
    u = rng.random()
    if u < 0.25:
        return f"{'Kel.' if kel else 'Desa'} {name}"
    if u < 0.5:
        return name.upper()
    return name


def _date_value(rng: np.random.Generator, ts: pd.Timestamp) -> object:
    """A real date (datetime) for half the rows; text in one of three formats for the rest."""
    u = rng.random()
    if u < 0.5:
        return ts.to_pydatetime()
    if u < 0.7:
        return ts.strftime("%d/%m/%Y")
    if u < 0.85:
        return ts.strftime("%Y-%m-%d")
    return f"{ts.day} {MONTHS_ID[ts.month - 1]} {ts.year}"


def _id_number(value: float, decimals: int = 0) -> str:
    """Indonesian notation: ``.`` for thousands, ``,`` for decimals."""
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _count_value(rng: np.random.Generator, v: int, for_csv: bool) -> object:
    if v == 0:
        return "-" if rng.random() < 0.5 else None
    if v >= 1000 or (for_csv and rng.random() < 0.2):
        return _id_number(v)
    return v


def _messy_rows(df: pd.DataFrame, spoiled: dict[str, list[str]], rng: np.random.Generator,
                for_csv: bool) -> list[tuple[int, list[object]]]:
    """(year, cells) per written row, defects applied, duplicates repeated."""
    kind_of = {key: kind for kind, keys in spoiled.items() for key in keys}
    out: list[tuple[int, list[object]]] = []
    for r in df.itertuples(index=False):
        key = f"{r.tahun}/{r.no}"
        kind = kind_of.get(key)
        cells: dict[str, object] = {
            "no": int(r.no), "tanggal": _date_value(rng, r.tanggal), "jenis_bencana": r.jenis_bencana.title()
            if rng.random() < 0.3 else r.jenis_bencana, "kecamatan": _kecamatan_text(rng, r.kecamatan),
            "desa": _desa_text(rng, r.desa, r.kode_desa), "lokasi": r.lokasi,
        }
        for col in NUMERIC[:-1]:
            cells[col] = _count_value(rng, int(getattr(r, col)), for_csv)
        loss = int(r.kerugian_rp)
        cells["kerugian_rp"] = (None if loss == 0 else f"Rp {_id_number(loss)}" if (for_csv or rng.random() < 0.5)
                                else loss)
        cells["keterangan"] = _note(rng, r.jenis_bencana)
        if for_csv and not isinstance(cells["tanggal"], str):
            cells["tanggal"] = r.tanggal.strftime("%d/%m/%Y")
        if kind == "unknown_region":
            cells["kecamatan"], cells["desa"] = "KEC. ANTAH BERANTAH", "-"
        elif kind == "text_in_number":
            cells["luka"] = "belum didata"
        elif kind == "negative_number":
            cells["rusak_ringan"] = -max(int(r.rusak_ringan), 3)
        elif kind == "future_year":
            cells["tanggal"] = r.tanggal.strftime("%d/%m/") + "2052"
        elif kind == "missing_date":
            cells["tanggal"] = None
        elif kind == "invalid_date":
            cells["tanggal"] = f"31/02/{r.tahun}"
        row = [cells[c] for c in COLUMNS]
        out.append((int(r.tahun), row))
        if kind == "duplicate_row":
            out.append((int(r.tahun), list(row)))
    return out


def _note(rng: np.random.Generator, jenis: str) -> str | None:
    notes = {"BANJIR": ("Curah hujan tinggi", "Luapan Kali Bekasi", "Tanggul jebol", "Luapan Kali CBL"),
             "BANJIR ROB": ("Air pasang laut",), "PUTING BELIUNG": ("Angin kencang disertai hujan",),
             "KEBAKARAN": ("Korsleting listrik", "Kompor gas", "Pembakaran sampah", "Lahan kosong"),
             "TANAH LONGSOR": ("Tebing sungai",), "KEKERINGAN": ("Krisis air bersih", "Sawah puso")}
    return str(rng.choice(notes[jenis])) if rng.random() < 0.7 else None


# ------------------------------------------------------------------------------------------
# Writers
# ------------------------------------------------------------------------------------------


def write(out_dir: str | Path, *, scale: float = 1.0, seed: int = 2024,
          defects: Mapping[str, int] | None = None) -> SeedReport:
    """Write ``kejadian_bencana_2019_2024.xlsx`` and ``kejadian_bencana_2019_2024.csv`` to ``out_dir``."""
    if scale <= 0 or not math.isfinite(scale):
        raise ValueError("scale must be a positive number")
    watch = Stopwatch()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    df, spoiled = events(seed, defects)
    xlsx_rows = _messy_rows(df, spoiled, rng_for(seed, DINAS, "xlsx"), for_csv=False)
    csv_rows = _messy_rows(df, spoiled, rng_for(seed, DINAS, "csv"), for_csv=True)
    xlsx = out / "kejadian_bencana_2019_2024.xlsx"
    sheets = []
    for year in YEARS:
        data = [cells for y, cells in xlsx_rows if y == year]
        sheets.append((str(year), _sheet_rows(year, data)))
    write_xlsx(xlsx, sheets)
    csv_path = out / "kejadian_bencana_2019_2024.csv"
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    writer.writerow(["REKAPITULASI KEJADIAN BENCANA KABUPATEN BEKASI TAHUN 2019-2024"])
    writer.writerow(["No", "Tanggal Kejadian", "Jenis Bencana", "Kecamatan", "Desa/Kelurahan", "Lokasi",
                     "Meninggal", "Luka-luka", "Mengungsi", "Rusak Berat", "Rusak Sedang", "Rusak Ringan",
                     "Terendam", "Taksiran Kerugian", "Keterangan"])
    for _, cells in csv_rows:
        writer.writerow(["" if c is None else c for c in cells])
    csv_path.write_text(buf.getvalue(), encoding="utf-8-sig", newline="")
    report = SeedReport(DINAS, str(out), "files", scale, seed, defects=spoiled, files=[xlsx, csv_path])
    report.row_counts = {"events": len(df), "xlsx_data_rows": len(xlsx_rows), "csv_data_rows": len(csv_rows)}
    report.seconds = watch.seconds()
    return report


def seed(out_dir: str | Path, dbname: str = "bpbd", *, scale: float = 1.0, seed: int = 2024,
         defects: Mapping[str, int] | None = None, reader_user: str | None = None,
         reader_password: str | None = None) -> SeedReport:
    """Same call shape as the database modules; ``dbname`` names a sub-folder of ``out_dir``."""
    return write(Path(out_dir) / dbname, scale=scale, seed=seed, defects=defects)


def _sheet_rows(year: int, data: list[list[object]]) -> dict:
    width = len(COLUMNS)
    last = _col(width - 1)
    rows: list[list[object]] = [
        ["REKAPITULASI KEJADIAN BENCANA KABUPATEN BEKASI"] + [None] * (width - 1),
        [f"BADAN PENANGGULANGAN BENCANA DAERAH - TAHUN {year}"] + [None] * (width - 1),
        [None] * width,
        list(HEADER_TOP),
        list(HEADER_SUB),
        *data,
    ]
    numeric_cols = [COLUMNS.index(c) for c in NUMERIC]
    total = ["JUMLAH"] + [None] * (width - 1)
    first_data, last_data = 6, 5 + len(data)
    for i in numeric_cols:
        total[i] = f"=SUM({_col(i)}{first_data}:{_col(i)}{last_data})"
    rows += [total, [None] * width, [f"Sumber: Pusdalops BPBD Kabupaten Bekasi, diolah {year + 1}"] + [None] * (width - 1)]
    merges = [f"A1:{last}1", f"A2:{last}2", "G4:I4", "J4:M4"]
    merges += [f"{_col(i)}4:{_col(i)}5" for i in (0, 1, 2, 3, 4, 5, 13, 14)]
    merges.append(f"A{last_data + 1}:F{last_data + 1}")
    return {"rows": rows, "merges": merges, "bold_rows": {1, 2, 4, 5, last_data + 1}}


def _col(i: int) -> str:
    """Spreadsheet column letters of a 0-based index."""
    from openpyxl.utils import get_column_letter

    return get_column_letter(i + 1)


def write_xlsx(path: Path, sheets: Sequence[tuple[str, dict]]) -> None:
    """Write a workbook: each sheet ``{"rows": [[...]], "merges": ["A1:O1"], "bold_rows": {1}}``.

    Dates become real date cells (``dd/mm/yyyy``), strings starting with ``=`` formulas.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    wb.remove(wb.active)
    bold = Font(bold=True)
    fixed = datetime(2025, 1, 15, 9, 0, 0)
    wb.properties.created = wb.properties.modified = fixed  # same bytes for the same seed
    for name, sheet in sheets:
        ws = wb.create_sheet(name)
        for r, row in enumerate(sheet["rows"], start=1):
            for c, value in enumerate(row, start=1):
                if value is None:
                    continue
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, datetime):
                    cell.number_format = "dd/mm/yyyy"
                if r in sheet.get("bold_rows", set()):
                    cell.font = bold
        for ref in sheet.get("merges", []):
            ws.merge_cells(ref)
        ws.column_dimensions["B"].width = 18
        ws.column_dimensions["D"].width = 22
        ws.column_dimensions["E"].width = 22
    wb.save(path)
