-- NIK tidak valid: not exactly 16 digits (e.g. a digit lost on entry: 15 characters). WARNING: the
-- resident is still counted in the right kecamatan and sex, so the published numbers hold; only the
-- identifier is broken (and such a record cannot be matched with other registers), so Disdukcapil
-- is told at every run until it is corrected. The key masks the NIK as stored.
SELECT
    LEFT(TRIM(CAST(p.nik AS text)), 6) || '******' || RIGHT(TRIM(CAST(p.nik AS text)), 4) AS kunci,
    'nik' AS kolom,
    CAST(LENGTH(TRIM(CAST(p.nik AS text))) AS text) || ' karakter' AS nilai
FROM penduduk AS p
WHERE p.nik IS NULL
    OR TRIM(CAST(p.nik AS text)) !~ '^[0-9]{16}$'
ORDER BY 1
