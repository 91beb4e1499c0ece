-- Wilayah tidak dikenal: a permit located in a desa code that is no desa/kelurahan of Kabupaten
-- Bekasi valid in the run's period (:kode_desa_referensi, the warehouse's Kemendagri codes).
-- CRITICAL: it is counted in a kecamatan that does not exist. Same period as the extract: the year
-- holding the last day before :periode_akhir, up to :periode_akhir. The key is the permit row's id.
SELECT
    CAST(i.id AS text)                    AS kunci,
    'kode_desa'                           AS kolom,
    coalesce(i.kode_desa, '(kosong)')     AS nilai
FROM izin_usaha AS i
WHERE i.tanggal_terbit >= make_date(CAST(date_part('year', CAST(:periode_akhir AS date) - 1) AS integer), 1, 1)
  AND i.tanggal_terbit < CAST(:periode_akhir AS date)
  AND (i.kode_desa IS NULL OR i.kode_desa NOT IN :kode_desa_referensi)
ORDER BY i.id
