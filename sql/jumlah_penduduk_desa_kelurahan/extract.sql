-- Residents registered as active at the end of :tahun, per desa/kelurahan (Kemendagri code) and sex.
-- Runs on the Disdukcapil (SIAK) database; NIK, names and addresses never leave it.
SELECT
    p.kode_desa AS kemendagri_kode_desa_kelurahan,
    UPPER(TRIM(p.jenis_kelamin)) AS jenis_kelamin,
    COUNT(*) AS jumlah_penduduk,
    CAST(:tahun AS integer) AS tahun
FROM penduduk AS p
WHERE p.status = 'AKTIF'
    AND p.tanggal_lahir < MAKE_DATE(CAST(:tahun AS integer) + 1, 1, 1)
GROUP BY 1, 2
ORDER BY 1, 2
