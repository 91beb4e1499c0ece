-- Luas panen negatif: an SP report of :tahun with a negative harvested area. CRITICAL: the sum per
-- kecamatan subtracts it, so the published area (and the productivity read from it) is wrong.
-- Rice rows (PS, PL) of the run's year; the key is the report id, never the officer's name.
SELECT
    CAST(l.id AS text) AS kunci,
    'luas_panen_ha' AS kolom,
    CAST(l.luas_panen_ha AS text) AS nilai
FROM laporan_tanaman_pangan AS l
WHERE l.tahun = CAST(:tahun AS integer)
    AND l.kode_komoditas IN ('PS', 'PL')
    AND l.luas_panen_ha < 0
ORDER BY l.id
