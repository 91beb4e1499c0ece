-- Sektor kosong: a permit without its KBLI section. CRITICAL: it would be counted under no sector in
-- the published table. Same rows as the (incremental) extract: the years it
-- landed (:periode_diekstrak), as entered before :periode_akhir. The key is the permit row's id.
SELECT
    CAST(i.id AS text) AS kunci,
    'sektor' AS kolom,
    'kosong; KBLI ' || COALESCE(i.kbli, '-') AS nilai
FROM izin_usaha AS i
WHERE CAST(DATE_PART('year', i.tanggal_terbit) AS integer) IN :periode_diekstrak
    AND i.tanggal_terbit < CAST(:periode_akhir AS date)
    AND i.tanggal_input < CAST(:periode_akhir AS date)
    AND (i.sektor IS NULL OR TRIM(i.sektor) = '')
ORDER BY i.id
