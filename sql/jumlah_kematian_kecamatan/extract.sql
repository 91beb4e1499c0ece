-- Deaths registered with a death certificate in :tahun (by date of death), per kecamatan and sex.
-- Runs on the Disdukcapil (SIAK) database; NIK and names never leave it.
SELECT
    LEFT(m.kode_desa, 8) AS kemendagri_kode_kecamatan,
    UPPER(TRIM(m.jenis_kelamin)) AS jenis_kelamin,
    COUNT(*) AS jumlah_kematian,
    CAST(:tahun AS integer) AS tahun
FROM kematian AS m
WHERE m.tanggal_meninggal >= MAKE_DATE(CAST(:tahun AS integer), 1, 1)
    AND m.tanggal_meninggal < MAKE_DATE(CAST(:tahun AS integer) + 1, 1, 1)
GROUP BY 1, 2
ORDER BY 1, 2
