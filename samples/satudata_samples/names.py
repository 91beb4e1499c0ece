"""Indonesian personal names, street and housing names for the sample registries.

Names in Kabupaten Bekasi mix Betawi, Sundanese and Javanese traditions and change with the
generation: people born before the 1970s often carry one name (``SUPARDI``, ``SITI AMINAH``),
younger people two or three (``MUHAMMAD RIZKY PRATAMA``). Registries write them in upper case.
"""

from __future__ import annotations

import numpy as np

# Born before 1975.
OLD_MALE = (
    "SUPARDI", "SUKARDI", "SAMSUDIN", "ASMAT", "MUHAMAD", "ABDUL", "ACHMAD", "SUHENDAR", "SAPRI", "JAENUDIN",
    "MADSUKI", "NAMAN", "ENTONG", "SAIMAN", "SARMAN", "RASIMAN", "WARSIM", "KARTA", "DARSA", "SUTISNA",
    "UJANG", "ENDANG", "DEDI", "ASEP", "DADANG", "NANANG", "SOLEH", "NURDIN", "MAMAN", "UDIN",
    "HASAN", "HUSEN", "ROHIMAN", "SUPRIYADI", "SUGIANTO", "BAMBANG", "SLAMET", "SUPARMAN", "MUHTAR", "SANUSI",
)
OLD_FEMALE = (
    "SITI", "AMINAH", "ROHAYATI", "MASTINAH", "SAMIAH", "SARIPAH", "ENTIN", "NENGSIH", "KARSINAH", "WASTI",
    "ROSIDAH", "MARYAMAH", "ENAH", "NURHAYATI", "KOMARIAH", "ATIKAH", "ROKAYAH", "SUNARSIH", "SRI", "SUMIATI",
    "TATI", "EUIS", "IMAS", "ENENG", "YATI", "MURNI", "MULYANI", "RUKMINI", "JUBAEDAH", "HALIMAH",
    "NURJANAH", "SAODAH", "KHODIJAH", "UMAYAH", "MUNAWAROH", "SULASTRI", "SUPARTI", "WARTINI", "SUNINGSIH",
)
OLD_SECOND_MALE = (
    "SANUSI", "ABDULLAH", "HIDAYAT", "RAHMAN", "SUPRIATNA", "SUHERMAN", "SOBARI", "KURNIA", "SAEPUDIN",
    "JAYA", "MULYA", "SUBARDJA", "SUTARNO", "ROHIM",
)
OLD_SECOND_FEMALE = (
    "AMINAH", "FATIMAH", "ZAENAB", "MAESAROH", "WATI", "SUMARNI", "HASANAH", "ROHMAH", "KURNIASIH",
    "ROSMIATI", "SAMSIAH",
)
# Born 1975-1995.
MID_MALE = (
    "AGUS", "DEDE", "RUDI", "HENDRA", "IWAN", "ANDI", "ARIF", "BUDI", "DENI", "EKO", "FERRY", "GUNAWAN",
    "HERI", "IRFAN", "JOKO", "KURNIAWAN", "LUKMAN", "MUHAMMAD", "AHMAD", "NANDANG", "RIDWAN", "SAEPUL",
    "TAUFIK", "WAHYU", "YUDI", "ZAENAL", "ROHMAT", "ADE", "DONI", "FAJAR", "HARIS", "IMAM", "SYAIFUL",
)
MID_FEMALE = (
    "DEWI", "SRI", "RINA", "YANTI", "NURLELA", "FITRI", "LINA", "EKA", "ENDAH", "IKA", "LILIS", "MEGA",
    "NENG", "NOVI", "RATNA", "RIKA", "SITI", "TUTI", "WULAN", "YULI", "ANI", "DIAN", "EVI", "HENI",
    "INDAH", "LISNA", "MARLINA", "NIA", "RENI", "SUSI", "TRI", "UMI", "YAYAH",
)
MID_SECOND_MALE = (
    "SETIAWAN", "HIDAYAT", "SAPUTRA", "KURNIAWAN", "SUPRIYADI", "NURHALIM", "RAHMAT", "FIRMANSYAH",
    "HERMAWAN", "SANTOSO", "WIBOWO", "HAERUDIN", "MAULANA", "SUPRIATNA", "SURYANA", "SUHENDRA", "ROHMAN",
)
MID_SECOND_FEMALE = (
    "SARI", "LESTARI", "WATI", "NINGSIH", "RAHAYU", "HANDAYANI", "SURYANI", "PUSPITA", "YULIANTI", "FITRIANI",
    "KOMALASARI", "MARLIANI", "NURHASANAH", "APRIANI",
)
# Born after 1995.
YOUNG_MALE = (
    "MUHAMMAD", "MUHAMAD", "AHMAD", "RIZKY", "FAJAR", "DIMAS", "ADITYA", "RAFFI", "ARKAN", "ALIF", "FARHAN",
    "RAFA", "GALIH", "BAGAS", "RAKA", "ILHAM", "YOGA", "KEVIN", "DAFFA", "AZKA", "RAYYAN", "ABIDZAR",
    "ALFARIZI", "FATIH", "HAFIZ", "NAUFAL", "RANGGA", "REZA", "SATRIA", "ZIDAN", "ARSYA", "KENZO",
)
YOUNG_FEMALE = (
    "NUR", "SITI", "PUTRI", "AULIA", "NAYLA", "ZAHRA", "SALSABILA", "AISYAH", "KEYSHA", "ALYA", "NADIA",
    "AZZAHRA", "CITRA", "DINDA", "FAKHIRA", "HANIFAH", "INTAN", "KHANZA", "LAILA", "NABILA", "QUEENSHA",
    "RAISA", "SHAKILA", "TIARA", "ANINDYA", "ARSYILA", "ASYIFA", "CALLISTA", "ELVINA", "HUMAIRA",
)
YOUNG_SECOND_MALE = (
    "PRATAMA", "RAMADHAN", "SAPUTRA", "MAULANA", "AKBAR", "FIRMANSYAH", "HIDAYAT", "NUGRAHA", "PRASETYO",
    "ALFATIH", "ALGHIFARI", "SYAHPUTRA", "FADILLAH", "ARDIANSYAH", "HAIKAL", "ALFARIZKI", "RIZKI",
    "ABDILLAH", "WIJAYA", "KURNIAWAN", "SETIAWAN", "HAKIM", "IBRAHIM", "ZULKARNAIN",
)
YOUNG_SECOND_FEMALE = (
    "PUTRI", "AULIA", "RAHMA", "AZZAHRA", "RAMADHANI", "NURHALIZA", "SALSABILA", "FEBRIANTI", "KHAIRUNNISA",
    "ANGGRAINI", "PERMATASARI", "LESTARI", "ZAHIRA", "MAHARANI", "AZKIA", "ALMAHYRA", "KIRANA", "NAFISA",
    "HUMAIRA", "SAFITRI", "AMELIA", "RAHMAWATI",
)
CHRISTIAN_MALE = ("YOHANES", "PAULUS", "PETRUS", "YOSEF", "ANDREAS", "STEFANUS", "MARKUS", "DANIEL", "MICHAEL")
CHRISTIAN_FEMALE = ("MARIA", "THERESIA", "MAGDALENA", "YOHANA", "CHRISTINA", "MONICA", "AGNES", "LIDYA")
BATAK_MANADO_FAMILY = ("SIMANJUNTAK", "SIHOMBING", "NAINGGOLAN", "SITUMORANG", "PANJAITAN", "TAMBUNAN",
                       "SINAGA", "MANURUNG", "WOWOR", "LUMBAN TOBING")
CHINESE_INDONESIAN_FAMILY = ("WIJAYA", "SANTOSO", "GUNAWAN", "HALIM", "TANOTO", "SUGIHARTO", "HARTONO",
                             "KUSUMA", "LIMANTO", "SETIADI")
CHINESE_INDONESIAN_GIVEN = ("HENDRA", "WILLIAM", "FELIX", "JESSICA", "VANESSA", "STEVEN", "MELISA",
                            "KEVIN", "CINDY", "ANTON", "LINDA", "SUSANTO")

# Addresses.
KAMPUNG = (
    "PULO", "GABUS", "BULAK", "RAWA BANGKONG", "BABAKAN", "CIKEDOKAN", "PONCOL", "KALIBARU", "WARUNG BONGKOK",
    "SEMPU", "CIBEBER", "TANJUNG", "KANDANG SAPI", "PEDAGANGAN", "BUARAN", "RAWA SENTUL", "PISANGAN",
    "KEBON KELAPA", "GEMPOL", "CABANG", "BENDUNGAN", "TANGKIL", "SIUNGGAS", "BOJONG", "KRAMAT", "PANGKALAN",
    "CIMAHI", "LEUWI MALANG", "SAWAH", "BLENDUNG", "TELUK BUYUNG", "PAYUNG", "JATI", "KRAJAN", "UTAN",
)
PERUMAHAN = (
    "GRAHA PRIMA", "TAMAN WISMA ASRI", "BUMI SENTOSA", "MUTIARA GADING TIMUR", "PONDOK UNGU PERMAI",
    "BEKASI TIMUR REGENCY", "GRIYA ASRI", "VILLA MUTIARA", "TAMAN ALAMANDA", "KOTA SERANG BARU",
    "GRAND CIKARANG CITY", "PESONA PRIMA CIKARANG", "CIKARANG BARU", "LIPPO CIKARANG", "TELAGA MURNI",
    "BUMI CIKARANG MAKMUR", "TAMBUN CITY", "GRAHA MUSTIKA", "VILLA JAKASETIA", "GRIYA SETU PERMAI",
    "BABELAN INDAH", "PURI HARAPAN", "WAHANA PONDOK UNGU", "TAMAN KENARI", "SUKAMANAH BARU",
)
JALAN = (
    "RAYA SETU", "IMAM BONJOL", "RAYA KALIMALANG", "SULTAN HASANUDIN", "RAYA CIBARUSAH", "RAYA SERANG",
    "INSPEKSI KALIMALANG", "MH. THAMRIN", "RAYA TAMBUN", "RAYA BABELAN", "RAYA PEBAYURAN", "KH. NOER ALI",
    "RAYA CABANGBUNGIN", "RAYA SUKATANI", "RAYA LEMAHABANG", "PERJUANGAN", "MERDEKA", "MAWAR", "MELATI",
    "KENANGA", "ANGGREK", "CEMPAKA", "DAHLIA", "FLAMBOYAN", "SWADAYA", "BUDI MULIA",
)


def _pick(rng: np.random.Generator, pool: tuple[str, ...], n: int) -> np.ndarray:
    return np.asarray(pool, dtype=object)[rng.integers(0, len(pool), size=n)]


def person_names(
    rng: np.random.Generator, is_male: np.ndarray, birth_year: np.ndarray, agama: np.ndarray
) -> np.ndarray:
    """Upper-case full names fitting each person's sex, generation and religion."""
    n = len(is_male)
    out = np.empty(n, dtype=object)
    gen = np.where(birth_year < 1975, 0, np.where(birth_year < 1996, 1, 2))
    u = rng.random(n)
    for g, (male_first, female_first, second_m, second_f, p_words) in enumerate((
        (OLD_MALE, OLD_FEMALE, OLD_SECOND_MALE, OLD_SECOND_FEMALE, (0.55, 0.45, 0.0)),
        (MID_MALE, MID_FEMALE, MID_SECOND_MALE, MID_SECOND_FEMALE, (0.2, 0.65, 0.15)),
        (YOUNG_MALE, YOUNG_FEMALE, YOUNG_SECOND_MALE, YOUNG_SECOND_FEMALE, (0.0, 0.5, 0.5)),
    )):
        for male, first_pool, second_pool in ((True, male_first, second_m), (False, female_first, second_f)):
            mask = (gen == g) & (is_male == male)
            k = int(mask.sum())
            if not k:
                continue
            first = _pick(rng, first_pool, k)
            second = _pick(rng, second_pool, k)
            third = _pick(rng, second_pool, k)
            words = np.where(u[mask] < p_words[0], 1, np.where(u[mask] < p_words[0] + p_words[1], 2, 3))
            names = np.where(words == 1, first, first + " " + second)
            names = np.where(words == 3, names + " " + np.where(third == second, "", third), names)
            out[mask] = names
    # Religion-specific given names and family names.
    christian = np.isin(agama, ("KRISTEN", "KATHOLIK"))
    for male, pool in ((True, CHRISTIAN_MALE), (False, CHRISTIAN_FEMALE)):
        mask = christian & (is_male == male)
        k = int(mask.sum())
        if k:
            out[mask] = _pick(rng, pool, k) + " " + _pick(rng, BATAK_MANADO_FAMILY + MID_SECOND_MALE[:8], k)
    buddhist = np.isin(agama, ("BUDHA", "KHONGHUCU"))
    k = int(buddhist.sum())
    if k:
        out[buddhist] = _pick(rng, CHINESE_INDONESIAN_GIVEN, k) + " " + _pick(rng, CHINESE_INDONESIAN_FAMILY, k)
    return np.array([s.strip() for s in out], dtype=object)
