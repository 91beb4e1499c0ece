-- Investasi negatif: a permit of :tahun stating a negative planned investment. CRITICAL: the sum per
-- kecamatan and capital status subtracts it, so the published rupiah figure is wrong.
-- The key is the permit row's id; owner names and NIB stay in OSS.
SELECT
    CAST(i.id AS text) AS kunci,
    'nilai_investasi' AS kolom,
    CAST(i.nilai_investasi AS text) AS nilai
FROM izin_usaha AS i
WHERE i.tanggal_terbit >= MAKE_DATE(CAST(:tahun AS integer), 1, 1)
    AND i.tanggal_terbit < MAKE_DATE(CAST(:tahun AS integer) + 1, 1, 1)
    AND i.nilai_investasi < 0
ORDER BY i.id
