-- Sektor kosong: a permit without its KBLI section. CRITICAL: it would be counted under no sector in
-- the published table. Same period as the extract: the year holding the last day before
-- :periode_akhir, up to :periode_akhir. The key is the permit row's id.
SELECT
    CAST(i.id AS text)                    AS kunci,
    'sektor'                              AS kolom,
    'kosong; KBLI ' || coalesce(i.kbli, '-')   AS nilai
FROM izin_usaha AS i
WHERE i.tanggal_terbit >= make_date(CAST(date_part('year', CAST(:periode_akhir AS date) - 1) AS integer), 1, 1)
  AND i.tanggal_terbit < CAST(:periode_akhir AS date)
  AND (i.sektor IS NULL OR trim(i.sektor) = '')
ORDER BY i.id
