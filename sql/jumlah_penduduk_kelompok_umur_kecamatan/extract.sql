-- Residents registered as active at the end of :tahun, per kecamatan, sex and BPS 5-year age group
-- (0-4 … 70-74, 75+; age on 31 December). Every kecamatan × sex × group of the app's own region
-- master appears, with 0 where nobody lives; rows whose kecamatan is not in the master still come
-- through (FULL JOIN) so that validation sees unknown codes. NIK, names and addresses stay here.
WITH akhir AS (
    SELECT make_date(CAST(:tahun AS integer), 12, 31) AS tanggal
),
hitung AS (
    SELECT
        left(p.kode_desa, 8)                                             AS kemendagri_kode_kecamatan,
        upper(trim(p.jenis_kelamin))                                     AS jenis_kelamin,
        least(CAST(date_part('year', age(a.tanggal, p.tanggal_lahir)) AS integer) / 5, 15) AS kelompok,
        count(*)                                                         AS jumlah_penduduk
    FROM penduduk AS p CROSS JOIN akhir AS a
    WHERE p.status = 'AKTIF'
      AND p.tanggal_lahir <= a.tanggal
    GROUP BY 1, 2, 3
),
kerangka AS (
    SELECT k.kode_kecamatan AS kemendagri_kode_kecamatan, jk.jenis_kelamin, g.kelompok
    FROM (SELECT DISTINCT kode_kecamatan FROM wilayah_desa) AS k
    CROSS JOIN (VALUES ('LAKI-LAKI'), ('PEREMPUAN')) AS jk (jenis_kelamin)
    CROSS JOIN generate_series(0, 15) AS g (kelompok)
)
SELECT
    kemendagri_kode_kecamatan,
    jenis_kelamin,
    CASE WHEN kelompok = 15 THEN '75+'
         ELSE (kelompok * 5)::text || '-' || (kelompok * 5 + 4)::text END AS kelompok_umur,
    coalesce(h.jumlah_penduduk, 0)                                       AS jumlah_penduduk,
    CAST(:tahun AS integer)                                              AS tahun
FROM kerangka
FULL JOIN hitung AS h USING (kemendagri_kode_kecamatan, jenis_kelamin, kelompok)
ORDER BY kemendagri_kode_kecamatan, jenis_kelamin, kelompok
