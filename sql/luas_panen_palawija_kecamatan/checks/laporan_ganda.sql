-- Laporan ganda: more than one SP report for one desa, year, month and commodity. CRITICAL: the
-- extra report is summed again, doubling that desa's area and production for the month.
-- Palawija rows (not PS, PL) of the run's year; one row per extra report, keyed by its id (the first report,
-- the lowest id, is taken as the original).
SELECT
    CAST(l.id AS text) AS kunci,
    'id' AS kolom,
    l.kode_desa || ' ' || CAST(l.tahun AS text) || '-' || LPAD(CAST(l.bulan AS text), 2, '0') || ' '
    || l.kode_komoditas AS nilai
FROM laporan_tanaman_pangan AS l
WHERE l.tahun = CAST(:tahun AS integer)
    AND l.kode_komoditas NOT IN ('PS', 'PL')
    AND EXISTS (
        SELECT 1 FROM laporan_tanaman_pangan AS o
        WHERE o.kode_desa = l.kode_desa AND o.tahun = l.tahun AND o.bulan = l.bulan
            AND o.kode_komoditas = l.kode_komoditas AND o.id < l.id
    )
ORDER BY l.id
