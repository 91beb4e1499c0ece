-- Wilayah tidak dikenal: a permit of :tahun located in a desa code that is no desa/kelurahan of
-- Kabupaten Bekasi (:kode_desa_referensi, every Kemendagri code the warehouse has known).
-- CRITICAL: its investment is summed into a kecamatan that does not exist. The key is the permit
-- row's id; owner names and NIB stay in OSS.
SELECT
    CAST(i.id AS text) AS kunci,
    'kode_desa' AS kolom,
    COALESCE(i.kode_desa, '(kosong)') AS nilai
FROM izin_usaha AS i
WHERE i.tanggal_terbit >= MAKE_DATE(CAST(:tahun AS integer), 1, 1)
    AND i.tanggal_terbit < MAKE_DATE(CAST(:tahun AS integer) + 1, 1, 1)
    AND (i.kode_desa IS NULL OR i.kode_desa NOT IN :kode_desa_referensi)
ORDER BY i.id
