-- Wilayah tidak dikenal: a weighing filed under a desa code that is no desa/kelurahan of Kabupaten
-- Bekasi (:kode_desa_referensi, every Kemendagri code the warehouse has known). CRITICAL:
-- the kecamatan is read from the desa code, so the child lands in a kecamatan that does not exist.
-- Weighings of :tahun. MariaDB. The key is the measurement id.
SELECT
    CAST(t.id AS CHAR) AS kunci,
    'kode_desa' AS kolom,
    COALESCE(t.kode_desa, '(kosong)') AS nilai
FROM penimbangan AS t
WHERE t.tanggal >= MAKEDATE(:tahun, 1)
    AND t.tanggal < MAKEDATE(:tahun + 1, 1)
    AND (t.kode_desa IS NULL OR t.kode_desa NOT IN :kode_desa_referensi)
ORDER BY t.id
