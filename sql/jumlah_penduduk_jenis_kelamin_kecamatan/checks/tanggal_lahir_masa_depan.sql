-- Tanggal lahir di masa depan: a birth date after today, or after the record was last written (no one
-- is registered before being born; this also holds when the check runs years later). WARNING: the
-- extract counts residents born before the end of the period, so such a resident silently drops out
-- of every count (and every age group) until the date is fixed; the rest of the data stays right.
-- Whole register, active residents. The key is the masked NIK, the value the stored date.
SELECT
    LEFT(TRIM(CAST(p.nik AS text)), 6) || '******' || RIGHT(TRIM(CAST(p.nik AS text)), 4) AS kunci,
    'tanggal_lahir' AS kolom,
    CAST(p.tanggal_lahir AS text) AS nilai
FROM penduduk AS p
WHERE p.status = 'AKTIF'
    AND (p.tanggal_lahir > CURRENT_DATE OR p.tanggal_lahir > CAST(p.tanggal_update AS date))
ORDER BY 1
