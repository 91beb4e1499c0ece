-- Residents registered as active at the end of :tahun, per kecamatan, sex and BPS 5-year age group
-- (0-4 … 70-74, 75+; age on 31 December). Every kecamatan × sex × group of the app's own region
-- master appears, with 0 where nobody lives; rows whose kecamatan is not in the master still come
-- through (FULL JOIN) so that validation sees unknown codes. NIK, names and addresses stay here.
WITH akhir AS (
    SELECT MAKE_DATE(CAST(:tahun AS integer), 12, 31) AS tanggal
),

hitung AS (
    SELECT
        LEFT(p.kode_desa, 8) AS kemendagri_kode_kecamatan,
        UPPER(TRIM(p.jenis_kelamin)) AS jenis_kelamin,
        LEAST(CAST(DATE_PART('year', AGE(a.tanggal, p.tanggal_lahir)) AS integer) / 5, 15) AS kelompok,
        COUNT(*) AS jumlah_penduduk
    FROM penduduk AS p CROSS JOIN akhir AS a
    WHERE p.status = 'AKTIF'
        AND p.tanggal_lahir <= a.tanggal
    GROUP BY
        LEFT(p.kode_desa, 8),
        UPPER(TRIM(p.jenis_kelamin)),
        LEAST(CAST(DATE_PART('year', AGE(a.tanggal, p.tanggal_lahir)) AS integer) / 5, 15)
),

kerangka AS (
    SELECT k.kode_kecamatan AS kemendagri_kode_kecamatan, jk.jenis_kelamin, g.kelompok
    FROM (SELECT DISTINCT kode_kecamatan FROM wilayah_desa) AS k
    CROSS JOIN (VALUES ('LAKI-LAKI'), ('PEREMPUAN')) AS jk (jenis_kelamin)
    CROSS JOIN GENERATE_SERIES(0, 15) AS g (kelompok)
)

SELECT
    kemendagri_kode_kecamatan,
    jenis_kelamin,
    CASE WHEN kelompok = 15 THEN '75+'
        ELSE (kelompok * 5)::text || '-' || (kelompok * 5 + 4)::text
    END AS kelompok_umur,
    COALESCE(h.jumlah_penduduk, 0) AS jumlah_penduduk,
    CAST(:tahun AS integer) AS tahun
FROM kerangka
FULL JOIN hitung AS h USING (kemendagri_kode_kecamatan, jenis_kelamin, kelompok)
ORDER BY kemendagri_kode_kecamatan, jenis_kelamin, kelompok
