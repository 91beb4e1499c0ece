-- Wilayah tidak dikenal: a permit located in a desa code that is no desa/kelurahan of Kabupaten
-- Bekasi (:kode_desa_referensi, every Kemendagri code the warehouse has known). CRITICAL: it is
-- counted in a kecamatan that does not exist. Same rows as the (incremental) extract: the years it
-- landed (:periode_diekstrak), as entered before :periode_akhir. The key is the permit row's id.
SELECT
    CAST(i.id AS text) AS kunci,
    'kode_desa' AS kolom,
    COALESCE(i.kode_desa, '(kosong)') AS nilai
FROM izin_usaha AS i
WHERE CAST(DATE_PART('year', i.tanggal_terbit) AS integer) IN :periode_diekstrak
    AND i.tanggal_terbit < CAST(:periode_akhir AS date)
    AND i.tanggal_input < CAST(:periode_akhir AS date)
    AND (i.kode_desa IS NULL OR i.kode_desa NOT IN :kode_desa_referensi)
ORDER BY i.id
