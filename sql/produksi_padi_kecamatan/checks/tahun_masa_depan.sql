-- Tahun masa depan: a report dated in a year that has not come yet (2052 for 2025: digits swapped).
-- WARNING: such a report falls out of every year's extract, so its harvest is missing, but the
-- published years stay consistent; told at every run until fixed. Whole table (no run's year would
-- ever hold these rows), rice rows (PS, PL); the key is the report id.
SELECT
    CAST(l.id AS text) AS kunci,
    'tahun' AS kolom,
    CAST(l.tahun AS text) AS nilai
FROM laporan_tanaman_pangan AS l
WHERE l.kode_komoditas IN ('PS', 'PL')
    AND l.tahun > CAST(DATE_PART('year', CURRENT_DATE) AS integer)
ORDER BY l.id
