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
        ("Periksa kode atau nama wilayah pada baris tersebut di aplikasi dinas dan gunakan kode yang "
         "terdaftar; bila wilayahnya benar tetapi belum dikenal, hubungi walidata."),
    ),
    "expect_column_values_to_be_between": (
        "Kolom {column} berisi {n} nilai di luar rentang yang diharapkan ({expected}): {values}.",
        ("Periksa kembali pencatatan angka tersebut di aplikasi dinas; jumlah tidak boleh negatif atau "
         "melewati batas yang wajar."),
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
    "quarantined": "Data dimuat dan diterbitkan tanpa {q} baris yang dikarantina karena gagal pemeriksaan "
                   "kritis; perbaiki baris tersebut di aplikasi dinas.",
    "critical": "Data TIDAK dimuat dan TIDAK diterbitkan karena {n} pemeriksaan kritis gagal. "
                "Perbaiki data di aplikasi dinas; data akan diperiksa ulang pada jadwal berikutnya.",
}
WARNINGS_TAIL = "Ada juga {n} peringatan yang perlu ditindaklanjuti."

# Source checks (satudata.checks): row-level queries run on the dinas database; expectation
# `source_check:<rule>`. The contract gives each its pesan and saran; these are the fallbacks.
SOURCE_CHECK_PREFIX = "source_check:"
SOURCE_CHECK = {
    "title": "Pemeriksaan di sumber data: {rule}",
    "pesan": "Pemeriksaan di basis data dinas menemukan {n} baris bermasalah pada kolom {column}: {values}.",
    "saran": "Perbaiki baris-baris tersebut di aplikasi dinas; kunci baris tercantum di bawah.",
    "expected": "tidak ada baris yang melanggar aturan ini di basis data dinas",
}


class _Titles(dict):
    """Check titles; a source check is named by its rule (`nik_ganda` -> "... : nik ganda")."""

    def get(self, key, default=None):
        if key in self:
            return self[key]
        if isinstance(key, str) and key.startswith(SOURCE_CHECK_PREFIX):
            return SOURCE_CHECK["title"].format(rule=key[len(SOURCE_CHECK_PREFIX):].replace("_", " "))
        return default


# Short names of the checks, for the report's table and the CKAN note (no values: those stay internal).
CHECK_TITLES = _Titles({
    "expect_column_values_to_be_in_set": "Nilai termasuk daftar yang diizinkan",
    "expect_column_values_to_be_between": "Nilai dalam rentang yang wajar",
    "expect_column_values_to_not_be_null": "Kolom terisi",
    "expect_column_values_to_be_unique": "Nilai tidak ganda",
    "expect_compound_columns_to_be_unique": "Kombinasi kolom tidak ganda",
    "expect_table_row_count_to_be_between": "Jumlah baris sesuai harapan",
    "expect_table_columns_to_match_set": "Susunan kolom sesuai kontrak",
    "expect_column_sum_to_be_between": "Total kolom dalam rentang yang wajar",
    "harmonisasi_wilayah": "Nama/kode wilayah dikenal (referensi Kemendagri)",
})
PUBLIC_NOTE = "Temuan: {items}."
PUBLIC_ITEM_COLUMN = "{title} (kolom {column}): {n} baris tidak memenuhi"
PUBLIC_ITEM_TABLE = "{title}: tidak terpenuhi"

# Region harmonisation (satudata.harmonise): one finding per unknown spelling.
REGION = {
    "tidak_dikenal": "Kolom {column} berisi nama wilayah \"{value}\" pada {n} baris yang tidak ada dalam "
                     "tabel referensi wilayah Kemendagri.",
    "ambigu": "Kolom {column} berisi \"{value}\" pada {n} baris yang cocok dengan lebih dari satu wilayah.",
    "kosong": "Kolom {column} kosong pada {n} baris, sehingga wilayahnya tidak dapat ditentukan.",
    "candidates": "Kemungkinan yang dimaksud: {candidates}.",
    "no_candidates": "Tidak ada nama wilayah yang mirip.",
    "expected": "nama atau kode wilayah Kemendagri Kabupaten Bekasi",
    "maybe": "(kemungkinan: {candidates})",
}
REGION_FIX = ("Tulis nama wilayah sesuai nama resmi Kemendagri di data dinas. Bila ejaan tersebut memang "
              "benar, minta walidata menambahkannya ke daftar varian nama wilayah; sistem tidak menebak.")

# Row quarantine (contracts with `quarantine: true`).
QUARANTINE = {
    "finding": "{n} baris ini dikarantina: tidak dimuat dan tidak diterbitkan, sedangkan baris lain tetap dimuat.",
    "reason": "{title}: {message}",
    "row": "kolom {column} bernilai {value}; yang diharapkan: {expected}.",
    "row_compound": "kombinasi kolom {column} tercatat lebih dari sekali.",
    "heading": "Baris yang dikarantina",
    "count": "Jumlah baris dikarantina",
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
    "expected": "Yang diharapkan",
    "rows_affected": "Baris bermasalah (kunci dan nilai)",
    "ok": "LOLOS",
    "failed": "GAGAL",
    "index_title": "Laporan Validasi {dinas}",
    "steward_title": "Laporan Validasi Seluruh Dinas (walidata)",
    "no_rows": "Tidak ada baris bermasalah.",
    "quarantined": "Baris dikarantina",
    "datadocs": "Rincian teknis (GX Data Docs)",
    "latest": "Hasil terakhir",
    "never": "Belum pernah diperiksa",
    "dinas": "Dinas",
    "report": "Laporan",
    "open": "buka",
    "more_rows": "... dan {n} baris lain (semua tercatat di tabel karantina/audit gudang data).",
}
STATUS = {"passed": "LOLOS", "warning": "PERINGATAN", "quarantined": "DIKARANTINA SEBAGIAN",
          "critical": "GAGAL (KRITIS)", "none": "BELUM DIPERIKSA"}

# Notification e-mail (satudata.notify) to the dinas contact and the stewards.
NOTIFY = {
    "subject": "[Satu Data Bekasi] {status}: {title} ({period})",
    "greeting": "Yth. {dinas},",
    "intro": "Data \"{title}\" periode {period} telah diperiksa oleh sistem Satu Data Kabupaten Bekasi "
             "pada {checked_at}.",
    "result": "Hasil: {summary}",
    "findings": "Temuan yang perlu ditindaklanjuti:",
    "item": "- [{severity}] {message} Cara memperbaiki: {fix}",
    "report": "Laporan lengkap (baris, kunci dan nilai yang bermasalah): {report}",
    "closing": "Pesan ini dikirim otomatis. Pertanyaan dapat disampaikan kepada walidata (Diskominfosantik "
               "Kabupaten Bekasi) dengan membalas pesan ini.",
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
