-- Izin ganda: the same business (NIB) and KBLI recorded more than once. CRITICAL: its investment is
-- summed again (and its permit counted again), inflating the published figures.
-- Permits of :tahun; one row per extra record (the lowest id is taken as the original), keyed by id.
SELECT
    CAST(i.id AS text) AS kunci,
    'nib, kbli' AS kolom,
    'KBLI ' || i.kbli || ', terbit ' || CAST(i.tanggal_terbit AS text) AS nilai
FROM izin_usaha AS i
WHERE i.tanggal_terbit >= MAKE_DATE(CAST(:tahun AS integer), 1, 1)
    AND i.tanggal_terbit < MAKE_DATE(CAST(:tahun AS integer) + 1, 1, 1)
    AND EXISTS (SELECT 1 FROM izin_usaha AS o WHERE o.nib = i.nib AND o.kbli = i.kbli AND o.id < i.id)
ORDER BY i.id
