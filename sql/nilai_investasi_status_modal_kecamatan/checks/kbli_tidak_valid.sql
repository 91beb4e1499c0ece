-- KBLI tidak valid: a KBLI code not in the KBLI reference (99999, or a digit lost: 4 digits).
-- WARNING here: the investment is still counted in the right kecamatan and capital status; the
-- permit's business field is unknown and must be corrected in OSS. Permits of :tahun, keyed by id.
SELECT
    CAST(i.id AS text) AS kunci,
    'kbli' AS kolom,
    COALESCE(i.kbli, '(kosong)') AS nilai
FROM izin_usaha AS i
LEFT JOIN ref_kbli AS r ON r.kbli = i.kbli
WHERE i.tanggal_terbit >= MAKE_DATE(CAST(:tahun AS integer), 1, 1)
    AND i.tanggal_terbit < MAKE_DATE(CAST(:tahun AS integer) + 1, 1, 1)
    AND r.kbli IS NULL
ORDER BY i.id
