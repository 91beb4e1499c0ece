"""Every sentence a dinas or the public reads, in Bahasa Indonesia, in one place.

Keys are expectation types (GX 1.x names); each gives what was found and how to fix it. Suites may
override both per expectation with `meta.pesan` and `meta.saran`.
"""
from __future__ import annotations

SEVERITY = {"critical": "KRITIS", "warning": "PERINGATAN", "info": "INFO"}

VALUE_SETS = {
    "kode_kecamatan_referensi": "kode kecamatan Kemendagri Kabupaten Bekasi (tabel referensi wilayah)",
    "kode_desa_referensi": "kode desa/kelurahan Kemendagri Kabupaten Bekasi (tabel referensi wilayah)",
}

# (what was found, how to fix it); placeholders: column, n, values, expected, total
FINDINGS: dict[str, tuple[str, str]] = {
    "expect_column_values_to_be_in_set": (
        "Kolom {column} berisi {n} nilai yang tidak dikenal: {values}. Yang diharapkan: {expected}.",
        "Periksa kode atau nama wilayah pada baris tersebut di aplikasi dinas dan gunakan kode yang "
        "terdaftar; bila wilayahnya benar tetapi belum dikenal, hubungi walidata.",
    ),
    "expect_column_values_to_be_between": (
        "Kolom {column} berisi {n} nilai di luar rentang yang diharapkan ({expected}): {values}.",
        "Periksa kembali pencatatan angka tersebut di aplikasi dinas; jumlah tidak boleh negatif atau "
        "melewati batas yang wajar.",
    ),
    "expect_column_values_to_not_be_null": (
        "Kolom {column} kosong pada {n} baris.",
        "Lengkapi isian kolom tersebut di aplikasi dinas.",
    ),
    "expect_column_values_to_be_unique": (
        "Kolom {column} berisi {n} nilai ganda: {values}.",
        "Hapus pencatatan ganda di aplikasi dinas.",
    ),
    "expect_compound_columns_to_be_unique": (
        "Kombinasi kolom {column} muncul lebih dari sekali pada {n} baris.",
        "Setiap kombinasi wilayah, kategori dan periode hanya boleh tercatat satu kali; hapus baris ganda.",
    ),
    "expect_table_row_count_to_be_between": (
        "Jumlah baris data ({total}) di luar rentang yang diharapkan ({expected}).",
        "Pastikan data untuk seluruh wilayah dan periode sudah dimasukkan di aplikasi dinas.",
    ),
    "expect_table_columns_to_match_set": (
        "Susunan kolom tidak sesuai dengan yang diharapkan ({expected}).",
        "Hubungi walidata: struktur data sumber berubah.",
    ),
    "expect_column_sum_to_be_between": (
        "Total kolom {column} di luar rentang yang diharapkan ({expected}).",
        "Periksa apakah ada data yang hilang atau tercatat ganda.",
    ),
}
DEFAULT_FINDING = (
    "Pemeriksaan {expectation} pada kolom {column} gagal untuk {n} baris.",
    "Periksa baris-baris tersebut di aplikasi dinas, atau hubungi walidata.",
)
INTERNAL_ERROR = "Pemeriksaan {expectation} tidak dapat dijalankan ({error}). Ini masalah teknis walidata, bukan data dinas."

RUN_RESULT = {
    "passed": "Semua pemeriksaan lolos. Data dimuat ke gudang data dan diterbitkan.",
    "warning": "Data dimuat dan diterbitkan, dengan {n} peringatan yang perlu ditindaklanjuti.",
    "critical": "Data TIDAK dimuat dan TIDAK diterbitkan karena {n} pemeriksaan kritis gagal. "
                "Perbaiki data di aplikasi dinas; data akan diperiksa ulang pada jadwal berikutnya.",
}

REPORT = {
    "title": "Laporan Validasi Data",
    "dataset": "Dataset",
    "producer": "Produsen data",
    "run": "Proses",
    "checked_at": "Waktu pemeriksaan",
    "rows": "Jumlah baris diperiksa",
    "period": "Periode",
    "result": "Hasil",
    "checks": "Hasil pemeriksaan",
    "check": "Pemeriksaan",
    "column": "Kolom",
    "severity": "Tingkat",
    "status": "Status",
    "found": "Temuan",
    "fix": "Cara memperbaiki",
    "rows_affected": "Baris bermasalah (kunci dan nilai)",
    "ok": "LOLOS",
    "failed": "GAGAL",
    "index_title": "Laporan Validasi {dinas}",
    "no_rows": "Tidak ada baris bermasalah.",
}

# Range descriptions for the `expected` placeholder.
def describe_range(min_value, max_value) -> str:
    if min_value is not None and max_value is not None:
        return f"antara {_num(min_value)} dan {_num(max_value)}"
    if min_value is not None:
        return f"paling sedikit {_num(min_value)}"
    if max_value is not None:
        return f"paling banyak {_num(max_value)}"
    return "tanpa batas"


def _num(value) -> str:
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return f"{value:,}".replace(",", ".") if isinstance(value, int) else str(value)
