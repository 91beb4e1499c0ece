-- Stunting prevalence per kecamatan at the August weighing month (bulan timbang) of :tahun, from
-- e-PPGBM measurements: the share of toddlers (0-59 months) measured whose height-for-age z-score is
-- below -2 SD (WHO 2006). A child counts once even when entered twice; a measurement without a
-- z-score (no height) cannot be classified and is left out of both counts. MariaDB; names stay here.
SELECT
    LEFT(t.kode_desa, 8) AS kemendagri_kode_kecamatan,
    COUNT(DISTINCT t.nik_balita) AS jumlah_balita_diukur,
    COUNT(DISTINCT CASE WHEN t.zs_tbu < -2 THEN t.nik_balita END) AS jumlah_balita_stunting,
    ROUND(
        100 * COUNT(DISTINCT CASE WHEN t.zs_tbu < -2 THEN t.nik_balita END)
        / COUNT(DISTINCT t.nik_balita), 2
    ) AS prevalensi_stunting,
    CAST(:tahun AS SIGNED) AS tahun
FROM penimbangan AS t
WHERE t.tanggal >= MAKEDATE(:tahun, 1) + INTERVAL 7 MONTH
    AND t.tanggal < MAKEDATE(:tahun, 1) + INTERVAL 8 MONTH
    AND t.umur_bulan BETWEEN 0 AND 59
    AND t.zs_tbu IS NOT NULL
GROUP BY LEFT(t.kode_desa, 8)
ORDER BY LEFT(t.kode_desa, 8)
