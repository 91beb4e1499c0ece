-- Puskesmas visits per kecamatan (where the puskesmas stands), month and clinic (poli), from the
-- monthly recaps, for the year that holds the last day before :periode_akhir (the whole year so far:
-- a monthly run refreshes its year, and the January run still completes December). MariaDB.
SELECT
    LEFT(p.kode_desa, 8) AS kemendagri_kode_kecamatan,
    CAST(k.bulan AS SIGNED) AS bulan,
    UPPER(TRIM(k.poli)) AS poli,
    SUM(k.jumlah_kunjungan) AS jumlah_kunjungan,
    CAST(k.tahun AS SIGNED) AS tahun
FROM kunjungan AS k
LEFT JOIN puskesmas AS p ON p.kode_puskesmas = k.kode_puskesmas
WHERE k.tahun = YEAR(DATE_SUB(:periode_akhir, INTERVAL 1 DAY))
    AND MAKEDATE(k.tahun, 1) + INTERVAL (k.bulan - 1) MONTH < :periode_akhir
GROUP BY LEFT(p.kode_desa, 8), k.bulan, UPPER(TRIM(k.poli)), k.tahun
ORDER BY LEFT(p.kode_desa, 8), CAST(k.bulan AS SIGNED), UPPER(TRIM(k.poli))
