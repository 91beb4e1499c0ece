-- Residents registered as active at the end of :tahun, per kecamatan and religion (SIAK list).
-- Runs on the Disdukcapil (SIAK) database; NIK, names and addresses never leave it.
SELECT
    LEFT(p.kode_desa, 8) AS kemendagri_kode_kecamatan,
    UPPER(TRIM(p.agama)) AS agama,
    COUNT(*) AS jumlah_penduduk,
    CAST(:tahun AS integer) AS tahun
FROM penduduk AS p
WHERE p.status = 'AKTIF'
    AND p.tanggal_lahir < MAKE_DATE(CAST(:tahun AS integer) + 1, 1, 1)
GROUP BY 1, 2
ORDER BY 1, 2
