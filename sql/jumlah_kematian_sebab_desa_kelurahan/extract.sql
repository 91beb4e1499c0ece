-- Deaths in :tahun (by date of death) per desa/kelurahan, cause as recorded and place of death.
-- Runs on the Disdukcapil (SIAK) database; NIK and names never leave it.
SELECT
    m.kode_desa AS kemendagri_kode_desa_kelurahan,
    UPPER(TRIM(m.sebab_kematian)) AS sebab_kematian,
    UPPER(TRIM(m.tempat_meninggal)) AS tempat_meninggal,
    COUNT(*) AS jumlah_kematian,
    CAST(:tahun AS integer) AS tahun
FROM kematian AS m
WHERE m.tanggal_meninggal >= MAKE_DATE(CAST(:tahun AS integer), 1, 1)
    AND m.tanggal_meninggal < MAKE_DATE(CAST(:tahun AS integer) + 1, 1, 1)
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
