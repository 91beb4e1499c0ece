-- Wilayah tidak dikenal: a school whose desa code is no desa/kelurahan of Kabupaten Bekasi
-- (:kode_desa_referensi, every Kemendagri code the warehouse has known). CRITICAL: the school is
-- counted in a kecamatan that does not exist. The school list is Dapodik's master data, the same for
-- every year, so the whole table is checked. MariaDB. The key is the NPSN (a school, public).
SELECT
    s.npsn AS kunci,
    'kode_desa' AS kolom,
    COALESCE(s.kode_desa, '(kosong)') AS nilai
FROM sekolah AS s
WHERE s.kode_desa IS NULL OR s.kode_desa NOT IN :kode_desa_referensi
ORDER BY s.npsn
