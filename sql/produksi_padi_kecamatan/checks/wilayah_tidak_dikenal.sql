-- Wilayah tidak dikenal: an SP report of :tahun filed under a desa code that is no desa/kelurahan of
-- Kabupaten Bekasi (:kode_desa_referensi, every Kemendagri code the warehouse has known).
-- CRITICAL: the harvest is summed into a kecamatan that does not exist. rice rows (PS, PL); the key
-- is the report id.
SELECT
    CAST(l.id AS text) AS kunci,
    'kode_desa' AS kolom,
    COALESCE(l.kode_desa, '(kosong)') AS nilai
FROM laporan_tanaman_pangan AS l
WHERE l.tahun = CAST(:tahun AS integer)
    AND l.kode_komoditas IN ('PS', 'PL')
    AND (l.kode_desa IS NULL OR l.kode_desa NOT IN :kode_desa_referensi)
ORDER BY l.id
