-- Sektor kosong: a permit without its KBLI section. CRITICAL: it would be counted under no sector in
-- the published table. Same rows as the (incremental) extract: the years holding a permit entered
-- after :watermark, as entered before :periode_akhir. The key is the permit row's id.
SELECT
    CAST(i.id AS text)                    AS kunci,
    'sektor'                              AS kolom,
    'kosong; KBLI ' || coalesce(i.kbli, '-')   AS nilai
FROM izin_usaha AS i
WHERE i.tanggal_terbit < CAST(:periode_akhir AS date)
  AND i.tanggal_input < CAST(:periode_akhir AS date)
  AND CAST(date_part('year', i.tanggal_terbit) AS integer) IN (
      SELECT CAST(date_part('year', b.tanggal_terbit) AS integer) FROM izin_usaha AS b
      WHERE b.tanggal_input < CAST(:periode_akhir AS date)
        AND (CAST(:watermark AS date) IS NULL OR b.tanggal_input > CAST(:watermark AS date)))
  AND (i.sektor IS NULL OR trim(i.sektor) = '')
ORDER BY i.id
