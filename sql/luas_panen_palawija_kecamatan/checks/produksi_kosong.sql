-- Produksi kosong: an SP report of :tahun with a harvest but no production. WARNING here: this
-- dataset publishes the harvested area only, which stays right; the report is still incomplete.
-- Palawija rows (not PS, PL) of the run's year; the key is the report id.
SELECT
    CAST(l.id AS text) AS kunci,
    'produksi_ton' AS kolom,
    'kosong; luas panen ' || CAST(l.luas_panen_ha AS text) || ' ha' AS nilai
FROM laporan_tanaman_pangan AS l
WHERE l.tahun = CAST(:tahun AS integer)
    AND l.kode_komoditas NOT IN ('PS', 'PL')
    AND l.produksi_ton IS NULL
ORDER BY l.id
