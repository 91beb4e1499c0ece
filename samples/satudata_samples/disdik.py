"""Sample database of Dinas Pendidikan on MariaDB, shaped like a Dapodik extract.

Dapodik (the national school database) is what the dinas pulls its education statistics from:
schools (``sekolah``, keyed by NPSN but identified internally by UUIDs), students
(``peserta_didik``, with NISN whose first three digits come from the birth year), teachers and
staff (``guru``, many honorary teachers without NUPTK) and Dapodik's own per-semester recap
(``rekap_sekolah``), the only place history lives. SMA/SMK are run by the province but appear in
Dapodik for the kabupaten, so they are here too.

Dapodik writes values in its own way, unlike the civil registry: ``L``/``P``, religion in title
case (``Islam``), kecamatan as ``Kec. Tambun Selatan``. The student snapshot is semester
``20241`` (2024/2025 odd semester); ``rekap_sekolah`` covers 20191 ... 20242 and its ``20241``
row matches the clean snapshot (injected defects excluded).

``scale`` sizes students and teachers (~670,000 and ~38,000 at 1.0) and the number of schools
(~1,840 at 1.0), but never below a floor that keeps an SD and an SMP negeri in every kecamatan.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping

import numpy as np

from satudata_samples import names
from satudata_samples._common import (
    KECAMATAN_POPULATION_K,
    SampleData,
    SeedReport,
    Stopwatch,
    append_rows,
    columns,
    desa_list,
    desa_weights,
    draw,
    normalise_defects,
    pick_defect_rows,
    random_days,
    rng_for,
    seed_mysql,
    zfill,
)

DINAS = "disdik"
SNAPSHOT_SEMESTER = "20241"
SEMESTERS = [f"{y}{s}" for y in range(2019, 2025) for s in (1, 2)]

# (jenjang, status) -> (schools at scale 1, minimum schools, mean students per school)
SCHOOLS = {
    ("SD", "NEGERI"): (740, 23, 330), ("SD", "SWASTA"): (260, 5, 220),
    ("SMP", "NEGERI"): (110, 23, 800), ("SMP", "SWASTA"): (330, 5, 280),
    ("SMA", "NEGERI"): (35, 5, 1000), ("SMA", "SWASTA"): (110, 3, 300),
    ("SMK", "NEGERI"): (15, 3, 1300), ("SMK", "SWASTA"): (240, 5, 420),
}
GRADES = {"SD": range(1, 7), "SMP": range(7, 10), "SMA": range(10, 13), "SMK": range(10, 13)}
STUDENTS_PER_TEACHER = {"SD": 22, "SMP": 18, "SMA": 16, "SMK": 17}
ROMAN = {10: "X", 11: "XI", 12: "XII"}
SMK_MAJORS = ("TKJ", "AKL", "OTKP", "TKR", "TBSM", "RPL", "MM", "BDP")
PRIVATE_SCHOOL_NAMES = {
    "SD": ("SD IT AL-HIKMAH", "SD ISLAM AL-AZHAR", "SD MUHAMMADIYAH", "SD KRISTEN PENABUR", "SD IT NURUL FIKRI",
           "SD PGRI", "SD TUNAS BANGSA", "SD MUTIARA", "SD ISLAM TERPADU DARUL ULUM"),
    "SMP": ("SMP PGRI", "SMP IT AL-HIKMAH", "SMP MUHAMMADIYAH", "SMP ISLAM NURUL HUDA", "SMP BINA BANGSA",
            "SMP KARYA BHAKTI", "SMP MATHLA'UL ANWAR", "SMP PUSAKA"),
    "SMA": ("SMA PGRI", "SMA MUHAMMADIYAH", "SMA ISLAM AL-AZHAR", "SMA TAMBUN", "SMA BINA BANGSA", "SMA KARYA BHAKTI"),
    "SMK": ("SMK BINA KARYA", "SMK PGRI", "SMK TARUNA BANGSA", "SMK MITRA INDUSTRI", "SMK AL-HIKMAH",
            "SMK TEKNOLOGI BEKASI", "SMK MUHAMMADIYAH", "SMK PELITA"),
}
AGAMA = (("Islam", "Kristen", "Katholik", "Budha", "Hindu", "Khonghucu"), (95.0, 2.9, 1.3, 0.6, 0.15, 0.05))
DEGREES = ((", S.Pd.", ", S.Pd.I.", ", S.Ag.", ", M.Pd.", ", S.Kom.", ", S.T.", ", S.Si.", ""),
           (58, 10, 4, 8, 4, 3, 3, 10))

DEFECT_KINDS = ("duplicate_nisn", "missing_nisn", "invalid_tingkat", "future_birth", "unknown_school",
                "unknown_region", "negative_count")
"""Defects and the keys ``SeedReport.defects`` lists for them.

- ``peserta_didik`` (key ``peserta_didik_id``): ``missing_nisn`` (NULL), ``invalid_tingkat``
  (a grade outside the school's jenjang), ``future_birth`` (2026-2030), ``unknown_school``
  (``npsn`` ``99999999``); ``duplicate_nisn`` (key ``nisn``): an extra row at another school
  repeating a student's NISN.
- ``sekolah`` (key ``npsn``): ``unknown_region`` (``kode_desa`` ``32.16.99.9999``).
- ``rekap_sekolah`` (key ``npsn/semester_id``): ``negative_count`` (``jumlah_pd_l`` < 0).
"""

SCHEMA = """
CREATE TABLE sekolah (
    sekolah_id        char(36)     NOT NULL PRIMARY KEY,
    npsn              char(8)      NOT NULL,
    nama              varchar(100) NOT NULL,
    bentuk_pendidikan varchar(5)   NOT NULL,
    status_sekolah    varchar(10)  NOT NULL,
    alamat_jalan      varchar(200),
    desa_kelurahan    varchar(60),
    kode_desa         varchar(13),
    kecamatan         varchar(60),
    akreditasi        varchar(20),
    UNIQUE KEY sekolah_npsn (npsn)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE peserta_didik (
    peserta_didik_id   char(36)     NOT NULL PRIMARY KEY,
    nisn               char(10),
    nik                char(16),
    nama               varchar(100) NOT NULL,
    jenis_kelamin      char(1)      NOT NULL,
    tempat_lahir       varchar(60),
    tanggal_lahir      date,
    agama              varchar(20),
    nama_ibu_kandung   varchar(100),
    npsn               char(8)      NOT NULL,
    tingkat_pendidikan tinyint      NOT NULL,
    nama_rombel        varchar(20),
    semester_id        char(5)      NOT NULL,
    kode_desa_domisili varchar(13),
    KEY peserta_didik_npsn (npsn),
    KEY peserta_didik_nisn (nisn)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE guru (
    ptk_id              char(36)     NOT NULL PRIMARY KEY,
    nuptk               char(16),
    nip                 char(18),
    nama                varchar(120) NOT NULL,
    jenis_kelamin       char(1)      NOT NULL,
    tanggal_lahir       date,
    npsn                char(8)      NOT NULL,
    jenis_ptk           varchar(30)  NOT NULL,
    status_kepegawaian  varchar(40)  NOT NULL,
    pendidikan_terakhir varchar(5),
    semester_id         char(5)      NOT NULL,
    KEY guru_npsn (npsn)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
CREATE TABLE rekap_sekolah (
    npsn          char(8)  NOT NULL,
    semester_id   char(5)  NOT NULL,
    jumlah_pd_l   int      NOT NULL,
    jumlah_pd_p   int      NOT NULL,
    jumlah_rombel int      NOT NULL,
    jumlah_guru   int      NOT NULL,
    PRIMARY KEY (npsn, semester_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci
"""


def _uuids(rng: np.random.Generator, n: int) -> np.ndarray:
    raw = rng.bytes(16 * n)
    return np.array([str(uuid.UUID(bytes=raw[i * 16:(i + 1) * 16], version=4)) for i in range(n)], dtype=object)


def _schools(rng: np.random.Generator, scale: float, seed: int) -> dict[str, np.ndarray]:
    desas = desa_list()
    weights = desa_weights(rng_for(seed, DINAS, "desa-weights"))
    kec_names = list(KECAMATAN_POPULATION_K)
    rows: list[dict] = []
    for (jenjang, status), (full, minimum, mean_students) in SCHOOLS.items():
        k = max(minimum, round(full * scale))
        if status == "NEGERI" and jenjang in ("SD", "SMP"):
            # One in every kecamatan first, then where people live.
            first = [rng.choice([i for i, d in enumerate(desas) if d.kecamatan.nama == kec]) for kec in kec_names]
            more = rng.choice(len(desas), size=max(0, k - len(first)), p=weights)
            sites = list(first)[:k] + list(more)
        else:
            sites = list(rng.choice(len(desas), size=k, p=weights))
        for j, di in enumerate(sites):
            rows.append({"jenjang": jenjang, "status": status, "desa": desas[di], "mean": mean_students, "j": j})
    n = len(rows)
    used: dict[str, int] = {}
    nama = []
    for r in rows:
        d, jj, st = r["desa"], r["jenjang"], r["status"]
        if st == "NEGERI" and jj == "SD":
            base = f"SD NEGERI {d.nama.upper()}"
        elif st == "NEGERI":
            base = f"{jj} NEGERI {{k}} {d.kecamatan.nama.upper()}"
        else:
            base = f"{PRIVATE_SCHOOL_NAMES[jj][int(rng.integers(0, len(PRIVATE_SCHOOL_NAMES[jj])))]}"
        if "{k}" in base:
            key = base
            used[key] = used.get(key, 0) + 1
            nama.append(base.format(k=used[key]))
        elif st == "NEGERI":  # SD NEGERI <desa> 01, 02, ...
            used[base] = used.get(base, 0) + 1
            nama.append(f"{base} {used[base]:02d}")
        else:
            used[base] = used.get(base, 0) + 1
            nama.append(base if used[base] == 1 else f"{base} {used[base]}")
    npsn = zfill(20_220_000 + rng.permutation(np.arange(n) * 3 + 17)[:n] % 79_000, 8)
    npsn = np.array([p if i % 5 else "699" + p[3:] for i, p in enumerate(npsn)], dtype=object)  # newer NPSN range
    return {
        "sekolah_id": _uuids(rng, n), "npsn": npsn, "nama": np.array(nama, dtype=object),
        "bentuk_pendidikan": np.array([r["jenjang"] for r in rows], dtype=object),
        "status_sekolah": np.array([r["status"] for r in rows], dtype=object),
        "alamat_jalan": np.array([f"JL. {names.JALAN[int(rng.integers(0, len(names.JALAN)))]} NO. "
                                  f"{int(rng.integers(1, 150))}" for _ in rows], dtype=object),
        "desa_kelurahan": np.array([r["desa"].nama for r in rows], dtype=object),
        "kode_desa": np.array([r["desa"].kode for r in rows], dtype=object),
        "kecamatan": np.array([f"Kec. {r['desa'].kecamatan.nama}" for r in rows], dtype=object),
        "akreditasi": draw(rng, ("A", "B", "C", "Belum Terakreditasi"), (45, 38, 7, 10), n),
        "_mean": np.array([r["mean"] for r in rows], dtype=float),
    }


def build(scale: float = 1.0, seed: int = 2024, defects: Mapping[str, int] | None = None) -> SampleData:
    """Generate the Dapodik-like tables (pure, deterministic)."""
    if scale <= 0 or not math.isfinite(scale):
        raise ValueError("scale must be a positive number")
    counts = normalise_defects(defects, DEFECT_KINDS)
    rng = rng_for(seed, DINAS, "schools")
    sk = _schools(rng, scale, seed)
    n_sch = len(sk["npsn"])

    # Students: the kabupaten total at this scale, spread over schools by their typical size.
    total_students = round(sum(full * mean for full, _, mean in SCHOOLS.values()) * scale)
    size_w = sk["_mean"] * rng.gamma(6.0, 1 / 6.0, n_sch)
    school_of = np.sort(rng.choice(n_sch, size=total_students, p=size_w / size_w.sum()))
    n = total_students
    jenjang = sk["bentuk_pendidikan"][school_of]
    grade = np.empty(n, dtype=np.int64)
    for j, grades in GRADES.items():
        m = jenjang == j
        g = np.array(list(grades))
        grade[m] = g[rng.integers(0, len(g), int(m.sum()))]
    # Age in July 2024: grade 1 at about 6.5 years.
    birth = (np.datetime64("2024-07-15") - ((grade + 5.6 + rng.gamma(4.0, 0.2, n)) * 365.25).astype(int)
             .astype("timedelta64[D]"))
    sex = np.where(rng.random(n) < 0.51, "L", "P").astype(object)
    is_male = sex == "L"
    by = birth.astype("datetime64[Y]").astype(int) + 1970
    agama = draw(rng, *AGAMA, n)
    nama = names.person_names(rng, is_male, by, np.char.upper(agama.astype(str)).astype(object))
    ibu = names.person_names(rng, np.zeros(n, bool), by - rng.integers(20, 40, n), np.full(n, "ISLAM"))
    nisn = zfill((by % 1000) * 10**7 + rng.permutation(n) * 13 % 9_999_991, 10)
    kode_desa_sekolah = sk["kode_desa"][school_of]
    kec_no = np.array([int(k[6:8]) for k in kode_desa_sekolah])
    nik = zfill((321600 + kec_no) * 10**10 + np.arange(n) % 10**10, 16)
    nik = np.array([k[:6] + _ddmmyy(b, m) + k[12:] for k, b, m in zip(nik, birth, is_male, strict=True)], dtype=object)
    rombel = _rombel_names(rng, school_of, grade, jenjang)
    pd_ = {
        "peserta_didik_id": _uuids(rng, n), "nisn": nisn, "nik": nik, "nama": nama, "jenis_kelamin": sex,
        "tempat_lahir": draw(rng, ("BEKASI", "JAKARTA", "KARAWANG", "BOGOR", "BREBES"), (80, 10, 4, 3, 3), n),
        "tanggal_lahir": birth, "agama": agama, "nama_ibu_kandung": ibu, "npsn": sk["npsn"][school_of],
        "tingkat_pendidikan": grade, "nama_rombel": rombel, "semester_id": np.full(n, SNAPSHOT_SEMESTER, dtype=object),
        "kode_desa_domisili": kode_desa_sekolah,
    }

    # Teachers per school.
    per_school = np.bincount(school_of, minlength=n_sch)
    ratio = np.array([STUDENTS_PER_TEACHER[j] for j in sk["bentuk_pendidikan"]])
    n_guru = np.maximum(1, np.ceil(per_school / ratio).astype(int))
    guru = _teachers(rng, sk, n_guru)

    rekap = _recap(rng, sk, school_of, is_male, rombel, n_guru)
    sk.pop("_mean")
    report: dict[str, list[str]] = {}
    pd_, sk, rekap = _inject(rng_for(seed, DINAS, "defects"), pd_, sk, rekap, counts, report)
    return SampleData({"sekolah": columns(len(sk["npsn"]), sk), "peserta_didik": pd_, "guru": guru,
                       "rekap_sekolah": rekap}, report)


def _ddmmyy(b: np.datetime64, male: bool) -> str:
    y, m, d = str(b)[:10].split("-")
    return f"{int(d) + (0 if male else 40):02d}{m}{y[2:]}"


def _rombel_names(rng: np.random.Generator, school_of: np.ndarray, grade: np.ndarray, jenjang: np.ndarray) -> np.ndarray:
    """Class names: ~32 students a class; ``1A``, ``7B``, ``X-2``, ``XI TKJ 1``."""
    out = np.empty(len(grade), dtype=object)
    key = school_of * 100 + grade
    order = np.argsort(key, kind="stable")
    ks = key[order]
    starts = np.r_[0, np.flatnonzero(ks[1:] != ks[:-1]) + 1]
    sizes = np.diff(np.r_[starts, len(ks)])
    for s, size in zip(starts, sizes, strict=True):
        members = order[s:s + size]
        classes = max(1, math.ceil(size / 32))
        which = np.arange(size) % classes
        g = int(grade[members[0]])
        j = jenjang[members[0]]
        for c in range(classes):
            if j in ("SD", "SMP"):
                label = f"{g}{chr(65 + c)}"
            elif j == "SMA":
                label = f"{ROMAN[g]}-{c + 1}"
            else:
                label = f"{ROMAN[g]} {SMK_MAJORS[c % len(SMK_MAJORS)]} {c // len(SMK_MAJORS) + 1}"
            out[members[which == c]] = label
    return out


def _teachers(rng: np.random.Generator, sk: dict, n_guru: np.ndarray) -> dict:
    school = np.repeat(np.arange(len(n_guru)), n_guru)
    n = len(school)
    negeri = sk["status_sekolah"][school] == "NEGERI"
    first = np.r_[True, school[1:] != school[:-1]]
    status = np.where(
        negeri,
        draw(rng, ("PNS", "PPPK", "HONOR DAERAH TK.II KAB/KOTA", "GURU HONOR SEKOLAH"), (45, 25, 15, 15), n),
        draw(rng, ("GTY/PTY", "GURU HONOR SEKOLAH"), (60, 40), n),
    ).astype(object)
    status[first & negeri] = "PNS"
    male = rng.random(n) < 0.3
    born = random_days(rng, "1964-01-01", "2000-12-31", n)
    by = born.astype("datetime64[Y]").astype(int) + 1970
    nama = names.person_names(rng, male, by, np.full(n, "ISLAM")) + draw(rng, *DEGREES, n)
    civil = np.isin(status, ("PNS", "PPPK"))
    tmt = by + rng.integers(23, 30, n)
    nip = np.array([
        f"{str(b)[:10].replace('-', '')}{min(t, 2023)}{int(mm):02d}{1 if m else 2}{int(s):03d}" if c else None
        for b, t, mm, m, s, c in zip(born, tmt, rng.integers(1, 13, n), male, rng.integers(1, 999, n), civil,
                                     strict=True)
    ], dtype=object)
    has_nuptk = civil | (rng.random(n) < 0.45)
    nuptk = np.where(has_nuptk, zfill(rng.integers(10**15, 10**16 - 1, n, dtype=np.int64), 16), None)
    jenis = np.where(first, "KEPALA SEKOLAH",
                     np.where(sk["bentuk_pendidikan"][school] == "SD", "GURU KELAS", "GURU MAPEL")).astype(object)
    return columns(n, {
        "ptk_id": _uuids(rng, n), "nuptk": nuptk, "nip": nip, "nama": nama,
        "jenis_kelamin": np.where(male, "L", "P").astype(object), "tanggal_lahir": born,
        "npsn": sk["npsn"][school], "jenis_ptk": jenis, "status_kepegawaian": status,
        "pendidikan_terakhir": draw(rng, ("S1", "S2", "D3", "SMA"), (86, 8, 3, 3), n),
        "semester_id": np.full(n, SNAPSHOT_SEMESTER, dtype=object),
    })


def _recap(rng: np.random.Generator, sk: dict, school_of: np.ndarray, is_male: np.ndarray, rombel: np.ndarray,
           n_guru: np.ndarray) -> dict:
    """Per-semester recap; 20241 equals the snapshot, other semesters follow a gentle trend."""
    n_sch = len(sk["npsn"])
    male = np.bincount(school_of, weights=is_male, minlength=n_sch).astype(int)
    female = np.bincount(school_of, minlength=n_sch) - male
    classes = np.zeros(n_sch, dtype=int)
    pairs = {(int(s), r) for s, r in zip(school_of, rombel, strict=True)}
    for s, _ in pairs:
        classes[s] += 1
    rows: dict[str, list] = {k: [] for k in ("npsn", "semester_id", "jumlah_pd_l", "jumlah_pd_p", "jumlah_rombel",
                                             "jumlah_guru")}
    snap = SEMESTERS.index(SNAPSHOT_SEMESTER)
    for s in range(n_sch):
        for k, sem in enumerate(SEMESTERS):
            f = 1.0 if k == snap else (1 - 0.008 * (snap - k)) * rng.normal(1.0, 0.02)
            if sk["status_sekolah"][s] == "SWASTA" and sem in ("20201", "20202", "20211"):
                f *= 0.94  # private schools lost students in the pandemic
            rows["npsn"].append(sk["npsn"][s])
            rows["semester_id"].append(sem)
            rows["jumlah_pd_l"].append(round(male[s] * f))
            rows["jumlah_pd_p"].append(round(female[s] * f))
            rows["jumlah_rombel"].append(int(classes[s]) if k == snap else max(1, round(classes[s] * f)))
            rows["jumlah_guru"].append(int(n_guru[s]) if k == snap else max(1, round(n_guru[s] * f)))
    return {k: np.array(v, dtype=object if k in ("npsn", "semester_id") else np.int64) for k, v in rows.items()}


def _inject(rng: np.random.Generator, pd_: dict, sk: dict, rekap: dict, counts: Mapping[str, int],
            report: dict[str, list[str]]) -> tuple[dict, dict, dict]:
    student_kinds = {k: counts[k] for k in ("missing_nisn", "invalid_tingkat", "future_birth", "unknown_school")}
    n = len(pd_["nisn"])
    targets = pick_defect_rows(rng, np.arange(n), student_kinds)
    for kind, rows in targets.items():
        if kind == "missing_nisn":
            pd_["nisn"][rows] = None
        elif kind == "invalid_tingkat":
            pd_["tingkat_pendidikan"][rows] = np.where(pd_["tingkat_pendidikan"][rows] <= 6, 9, 3)
        elif kind == "future_birth":
            pd_["tanggal_lahir"][rows] = random_days(rng, "2026-01-01", "2030-12-31", len(rows))
        elif kind == "unknown_school":
            pd_["npsn"][rows] = "99999999"
        report[kind] = [str(pd_["peserta_didik_id"][r]) for r in rows]
    if counts["duplicate_nisn"]:
        spoiled = np.concatenate(list(targets.values())) if targets else np.array([], int)
        rows = rng.choice(np.setdiff1d(np.arange(n), spoiled), size=counts["duplicate_nisn"], replace=False)
        # The copy sits at another school of the same grade (a transfer never closed).
        clean = np.setdiff1d(np.arange(n), spoiled)
        grade = pd_["tingkat_pendidikan"]
        other = np.array([pd_["npsn"][rng.choice(clean[grade[clean] == grade[r]])] for r in rows], dtype=object)
        pd_ = append_rows(pd_, rows, {"peserta_didik_id": _uuids(rng, len(rows)), "npsn": other})
        report["duplicate_nisn"] = [str(pd_["nisn"][r]) for r in rows]
    if counts["unknown_region"]:
        rows = pick_defect_rows(rng, np.arange(len(sk["npsn"])), {"x": counts["unknown_region"]})["x"]
        sk["kode_desa"][rows] = "32.16.99.9999"
        sk["kecamatan"][rows] = "Kec. Antah Berantah"
        report["unknown_region"] = [str(sk["npsn"][r]) for r in rows]
    if counts["negative_count"]:
        rows = pick_defect_rows(rng, np.arange(len(rekap["npsn"])), {"x": counts["negative_count"]})["x"]
        rekap["jumlah_pd_l"][rows] = -np.maximum(rekap["jumlah_pd_l"][rows], 1)
        report["negative_count"] = [f"{rekap['npsn'][r]}/{rekap['semester_id'][r]}" for r in rows]
    return pd_, sk, rekap


def seed(admin_url: str, dbname: str, *, scale: float = 1.0, seed: int = 2024,
         defects: Mapping[str, int] | None = None, reader_user: str | None = None,
         reader_password: str | None = None) -> SeedReport:
    """(Re)create the Disdik (Dapodik-like) sample database ``dbname`` on MariaDB."""
    watch = Stopwatch()
    data = build(scale, seed, defects)
    return seed_mysql(DINAS, admin_url, dbname, SCHEMA, data, scale=scale, seed=seed,
                      reader_user=reader_user, reader_password=reader_password, watch=watch)
