-- Planned investment (rupiah) of the businesses licensed in :tahun per kecamatan and capital status
-- (PMDN domestic, PMA foreign), from OSS-RBA permits. A business with several KBLI rows states its
-- investment per KBLI, so the rows add up. Runs on the DPMPTSP database; names and NIB stay there.
SELECT
    LEFT(i.kode_desa, 8) AS kemendagri_kode_kecamatan,
    UPPER(TRIM(i.status_penanaman_modal)) AS status_penanaman_modal,
    CAST(ROUND(SUM(i.nilai_investasi)) AS bigint) AS nilai_investasi,
    CAST(:tahun AS integer) AS tahun
FROM izin_usaha AS i
WHERE i.tanggal_terbit >= MAKE_DATE(CAST(:tahun AS integer), 1, 1)
    AND i.tanggal_terbit < MAKE_DATE(CAST(:tahun AS integer) + 1, 1, 1)
GROUP BY 1, 2
ORDER BY 1, 2
