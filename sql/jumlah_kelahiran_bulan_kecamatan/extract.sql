-- Births registered with a birth certificate, per kecamatan, month of birth and sex, for the year
-- that holds the last day before :periode_akhir (the whole year so far: a monthly run refreshes its
-- year, and the January run still completes December). Runs on the Disdukcapil (SIAK) database.
WITH periode AS (
    SELECT
        CAST(DATE_PART('year', CAST(:periode_akhir AS date) - 1) AS integer) AS tahun,
        CAST(:periode_akhir AS date) AS akhir
)

SELECT
    LEFT(k.kode_desa, 8) AS kemendagri_kode_kecamatan,
    CAST(DATE_PART('month', k.tanggal_lahir) AS integer) AS bulan,
    UPPER(TRIM(k.jenis_kelamin)) AS jenis_kelamin,
    COUNT(*) AS jumlah_kelahiran,
    p.tahun
FROM kelahiran AS k CROSS JOIN periode AS p
WHERE k.tanggal_lahir >= MAKE_DATE(p.tahun, 1, 1)
    AND k.tanggal_lahir < p.akhir
GROUP BY 1, 2, 3, 5
ORDER BY 1, 2, 3
