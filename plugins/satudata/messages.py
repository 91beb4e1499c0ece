"""Every sentence a dinas, a steward or the public reads, in Bahasa Indonesia, in one place.

Validation findings are keyed by expectation type (GX 1.x names); each gives what was found and how
to fix it, and suites may override both per expectation with `meta.pesan` and `meta.saran`. The
other sections are named after the part of the system that shows them (reports, e-mails, the
status board, the portal, the DAG documentation).
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
UNKNOWN_ERROR = "kesalahan tak dikenal"
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

# Source checks (satudata.sources.checks): row-level queries run on the dinas database; expectation
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

# Region harmonisation (satudata.quality.harmonise): one finding per unknown spelling.
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
    "empty": "(kosong)",
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

# Notification e-mail (satudata.ops.notify) to the dinas contact and the stewards.
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

# Spreadsheet drops (satudata.sources.spreadsheet): what the dinas reads about its own file.
SPREADSHEET = {
    "bukan_angka": "'{value}' bukan angka (contoh yang diterima: 1.234 atau 12,5; kosong atau - berarti 0)",
    "bukan_bulat": "{value} bukan bilangan bulat",
    "di_bawah_minimum": "{value} lebih kecil dari {min}",
    "tanggal_tidak_dikenal": "'{value}' bukan tanggal yang dikenali (contoh yang diterima: 05/01/2024, "
                             "2024-01-05, 5 Januari 2024)",
    "tanggal_tidak_ada": "tanggal '{value}' tidak ada di kalender",
    "tanggal_sesudah_periode": "tanggal {value} sesudah akhir periode laporan ({akhir})",
    "kosong": "sel wajib diisi tetapi kosong",
    "wilayah_tidak_dikenal": "'{value}' tidak cocok dengan kecamatan mana pun di Kabupaten Bekasi",
    "wilayah_ambigu": "'{value}' cocok dengan lebih dari satu wilayah",
    "baris_ganda": "baris ini sama persis dengan baris {other} (tertempel dua kali?)",
    "mungkin": "mungkin yang dimaksud: {candidates}",
    "lokasi": "{file}, sheet {sheet}, baris {row}, kolom {column} ({header})",
    "whole_row": "(seluruh baris)",
}
SOURCE_PROBLEMS = {
    "fatal": "dataset {dataset}: {n} sel di berkas sumber tidak dapat dibaca (kontrak: gagal bila ada):\n{listed}{more}",
    "more": "\n  ... dan {n} lainnya",
}

# The portal (satudata.portal): Satu Data metadata, resource texts, column labels, topic groups.
PORTAL = {
    "walidata": "Dinas Komunikasi, Informatika, Persandian dan Statistik Kabupaten Bekasi",
    "cakupan": "Kabupaten Bekasi",
    "csv_resource": "Data (CSV)",
    "csv_description": "Data {title} dalam format CSV (UTF-8, pemisah koma); baris yang sama tersedia di "
                       "DataStore (pratinjau dan API).",
    "dictionary_resource": "Kamus Data",
    "dictionary_description": "Kamus data: nama kolom, tipe, label, deskripsi, satuan dan kunci utama.",
    "dictionary_title": "# Kamus Data: {title}",
    "dictionary_intro": "Satuan: {satuan}. Kunci utama (unik per baris): {key}.",
    "dictionary_header": "| kolom | tipe | tipe DataStore | label | deskripsi | satuan | kunci utama |",
    "yes": "ya",
    "no": "tidak",
    "unit_suffix": " (satuan: {satuan})",
    "unit_of": "Satuan dari nilai {measure}",
    "notes_heading": "Penjelasan kolom:",
    "notes_unit": "- satuan: satuan dari nilai {measure}",
    "type_labels": {"text": "teks", "int8": "bilangan bulat", "numeric": "bilangan desimal", "date": "tanggal",
                    "bool": "ya/tidak"},
    "labels": {"kode_provinsi": "Kode provinsi", "nama_provinsi": "Nama provinsi",
               "kode_kabupaten_kota": "Kode kabupaten/kota", "nama_kabupaten_kota": "Nama kabupaten/kota",
               "bps_kode_kecamatan": "Kode kecamatan (BPS)", "nama_kecamatan": "Nama kecamatan",
               "kemendagri_kode_kecamatan": "Kode kecamatan (Kemendagri)",
               "bps_kode_desa_kelurahan": "Kode desa/kelurahan (BPS)", "nama_desa_kelurahan": "Nama desa/kelurahan",
               "kemendagri_kode_desa_kelurahan": "Kode desa/kelurahan (Kemendagri)",
               "satuan": "Satuan", "id": "Nomor baris"},
    "notes": {"kode_provinsi": "Kode provinsi menurut BPS (Jawa Barat: 32)",
              "nama_provinsi": "Nama provinsi", "kode_kabupaten_kota": "Kode kabupaten/kota menurut BPS (3216)",
              "nama_kabupaten_kota": "Nama kabupaten/kota", "id": "Nomor urut baris",
              "bps_kode_kecamatan": "Kode kecamatan menurut BPS", "nama_kecamatan": "Nama kecamatan",
              "bps_kode_desa_kelurahan": "Kode desa/kelurahan menurut BPS",
              "nama_desa_kelurahan": "Nama desa/kelurahan"},
    # Satu Data topic groups (data.go.id / Open Data Jabar topics): name -> (title, description).
    "groups": {
        "kependudukan": ("Kependudukan", "Data kependudukan dan pencatatan sipil."),
        "kesehatan": ("Kesehatan", "Data kesehatan masyarakat dan fasilitas kesehatan."),
        "pendidikan": ("Pendidikan", "Data sekolah, peserta didik dan tenaga pendidik."),
        "pertanian": ("Pertanian", "Data pertanian, perkebunan dan ketahanan pangan."),
        "kebencanaan": ("Kebencanaan", "Data kejadian bencana dan penanggulangannya."),
        "ekonomi": ("Ekonomi", "Data perekonomian daerah."),
        "sosial": ("Sosial", "Data kesejahteraan sosial."),
        "infrastruktur": ("Infrastruktur", "Data jalan, jembatan dan prasarana wilayah."),
        "lingkungan-hidup": ("Lingkungan Hidup", "Data lingkungan hidup."),
        "pemerintahan": ("Pemerintahan", "Data penyelenggaraan pemerintahan daerah."),
    },
}

# Alerts to the stewards (satudata.ops.alerts): one message per incident.
ALERT = {
    "failure_subject": "[Satu Data Bekasi] GAGAL: {dag_id} ({run_id})",
    "failure_intro": "Tugas {task_id} pada DAG {dag_id} gagal setelah {tries} kali percobaan.",
    "late_subject": "[Satu Data Bekasi] TERLAMBAT: {dag_id} ({run_id})",
    "late_intro": "Run {run_id} DAG {dag_id} belum selesai pada batas waktunya ({deadline}).",
    "dataset": "Dataset: {title} ({dinas}).",
    "run": "Run: {run_id}, tanggal logis {logical_date}.",
    "error": "Galat:\n{error}",
    "log": "Log: {url}",
    "board": "Papan status: {url}",
    "greeting": "Yth. Walidata,",
    "closing": "Pesan ini dikirim sekali untuk setiap run yang bermasalah; percobaan ulang tidak mengirim "
               "pesan baru.\n\nSalam,\nSatu Data Bekasi",
}

# Freshness (satudata.ops.freshness): every sentence the stewards read about it (board and e-mail).
FRESHNESS = {
    "hijau": "Segar",
    "kuning": "Terlambat",
    "merah": "Sangat terlambat",
    "tidak_tentu": "Tidak berjadwal",
    "never": "Belum pernah berhasil dimuat.",
    "age": "Dimuat terakhir {age} lalu ({when}); dijanjikan {frekuensi} (setiap {promise}).",
    "age_free": "Dimuat terakhir {age} lalu ({when}); frekuensi tidak tentu.",
    "subject": "[Satu Data Bekasi] Kesegaran data: {n} dataset terlambat ({date})",
    "greeting": "Yth. Walidata,",
    "intro": "Pemeriksaan kesegaran data tanggal {date} menemukan dataset yang lebih lama dari frekuensi "
             "yang dijanjikan:",
    "item": "- [{label}] {title} ({dinas}, {frekuensi}): {detail}{new}",
    "new": " (baru)",
    "closing": "Periksa papan status, lalu jalankan ulang DAG dataset tersebut di Airflow atau hubungi dinas "
               "produsennya.\n\nSalam,\nSatu Data Bekasi",
    "board": "Papan status: {url}",
}

# The stewards' status board (satudata.ops.board).
BOARD = {
    "title": "Papan Status Satu Data Bekasi",
    "generated": "Diperbarui {at}",
    "summary": "{n} dataset: {hijau} segar, {kuning} terlambat, {merah} sangat terlambat, {tidak_tentu} tidak berjadwal.",
    "dinas": "Dinas", "dataset": "Dataset", "frequency": "Frekuensi", "last_run": "Run terakhir",
    "validation": "Validasi terakhir", "rows": "Baris", "freshness": "Kesegaran", "links": "Tautan",
    "trend": "Tren validasi", "ckan": "CKAN", "report": "Laporan", "none": "-", "late": "terlambat",
    "never_run": "Belum pernah dijalankan",
    "task": "tugas {task}",
    "legend": "Tren: satu batang per run (terlama di kiri); tinggi = bagian pemeriksaan yang lolos; "
              "hijau = lolos, kuning = ada peringatan, merah = ada kegagalan kritis.",
    "help": "Yang merah lebih dulu: buka laporannya, perbaiki bersama dinasnya, lalu jalankan ulang DAG dataset "
            "itu di Airflow. Panduan: docs/operations.md.",
}
RUN_STATE = {
    "failed": "Gagal",
    "published": "Diterbitkan",
    "loaded": "Dimuat, belum diterbitkan",
    "rejected": "Ditolak validasi",
    "validated": "Divalidasi",
    "running": "Berjalan",
    "none": "Belum pernah dijalankan",
}
PUBLISH_ACTION = {"created": "baru", "updated": "diperbarui", "unchanged": "tidak berubah", "skipped": "dilewati"}

# Airflow pools (satudata.ops.access), as the stewards read them in the Airflow UI.
POOLS = {
    "ckan": "Penulisan serentak ke CKAN (publish)",
    "dinas": "Kueri serentak ke basis data {dinas} (ekstraksi)",
}

# Airflow's import error for the contracts that cannot be used (their DAGs are left out).
CONTRACT_ERRORS = "{n} kontrak dataset tidak dapat dipakai; DAG-nya tidak dimuat sampai diperbaiki:\n\n{errors}"

# The DAGs' documentation in the Airflow UI (satudata.dag_factory).
DAG_DOCS = {
    "dataset": "### {title}\n\n{description}\n\n- Produsen data: {dinas}\n- Frekuensi: {frekuensi}\n"
               "- Klasifikasi: {klasifikasi}\n- Kontrak: `contracts/datasets/{id}.yaml`\n",
    "warehouse_setup": "Menerapkan migrasi gudang data dan memuat ulang kode wilayah referensi (Kemendagri/BPS).",
    "freshness_monitor": "Memeriksa kesegaran setiap dataset terhadap frekuensi yang dijanjikan (hijau / kuning / "
                         "merah) dan memberi tahu walidata tentang dataset yang baru terlambat. Pukul 07.00 WIB.",
    "status_board": "Membangun ulang papan status walidata (`status/index.html` di situs laporan).",
}

# `satudata scaffold`: the first words of a new contract and suite, for the steward to rewrite.
SCAFFOLD = {
    "description": "Dataset ini berisi data {title} dari tahun ke tahun, yang dihasilkan oleh {dinas} dan "
                   "dikeluarkan setiap tahun.",
    "row_count_fix": "Pastikan data untuk seluruh wilayah dan periode sudah dimasukkan di aplikasi dinas.",
}

# The stewards' command line (`satudata`): what it prints in Indonesian.
CLI = {
    "not_published": "(belum diterbitkan)",
    "not_validated": "(belum divalidasi)",
    "file_problems": ", {n} masalah di berkas",
    "rows": "{n} baris",
    "loaded": "{n} baris di curated (periode {periods})",
    "failed": "gagal",
    "validation": "Validasi:",
    "not_loaded": "Data ini TIDAK akan dimuat dan TIDAK akan diterbitkan.",
    "tertutup": "Klasifikasi tertutup: dataset ini tidak akan diterbitkan ke CKAN.",
    "metadata": "Metadata CKAN",
    "not_sent": "(tidak dikirim)",
    "first_rows": "{rows} baris; {n} pertama:",
    "full_csv": "CSV lengkap (tidak diunggah): {path}",
    "no_dags": "(belum ada DAG)",
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


# ------------------------------------------------------------------ releases (issue 13)
# The public change log (Riwayat Perubahan) of a dataset, one line per change of a release.
RELEASES = {
    "first": "Rilis pertama: {rows} baris, periode {periods}.",
    "period_added": "Data {period_label} {period} ditambahkan: {rows} baris.",
    "period_removed": "Data {period_label} {period} dihapus: {rows} baris.",
    "revised": "{period_label_cap} {period}: {n} nilai direvisi di {regions}.",
    "revised_example": "{region} ({column}): {old} → {new}",
    "large": "PERHATIAN: {n} revisi mengubah nilai {factor}× atau lebih — mohon diperiksa: {examples}.",
    "recoded": "Kode wilayah {name} berubah: {old} → {new} ({rows} baris).",
    "rows_added": "{period_label_cap} {period}: {n} baris ditambahkan.",
    "rows_removed": "{period_label_cap} {period}: {n} baris dihapus.",
    "column_added": "Kolom {column} ditambahkan.",
    "column_removed": "Kolom {column} dihapus.",
    "column_renamed": "Kolom {old} berganti nama menjadi {new}.",
    "catatan": "Catatan walidata: {catatan}",
    "more": "dan {n} lainnya",
    "period_label": "tahun",
    "release_resource": "Rilis {versi} (CSV)",
    "release_description": "Data sebagaimana diterbitkan pada rilis {versi} ({tanggal}). Berkas ini tidak "
                           "pernah diubah.",
    "asof_none": "Dataset {dataset} belum punya rilis pada atau sebelum {date}.",
    "asof_mismatch": "PERINGATAN: isi yang dibangun ulang tidak sama dengan sidik rilis {versi}.",
}

FOLLOWER_MAIL = {
    "subject": "[Satu Data Bekasi] Rilis {versi}: {title}",
    "body": "Yth. {name},\n\nAnda mengikuti dataset \"{title}\" di Satu Data Kabupaten Bekasi. Datanya "
            "berubah pada rilis {versi} ({tanggal}):\n\n{lines}\n\nLihat dataset: {url}\n"
            "Unduh data rilis ini: {download}\n\nSalam,\nWalidata Satu Data Kabupaten Bekasi\n\n"
            "Anda menerima pesan ini karena mengikuti dataset ini; berhenti mengikuti di halaman dataset.\n",
}
