-- Pengukuran ganda: one child measured twice on one day (entered twice). WARNING: the extract counts
-- each child once (COUNT DISTINCT), so the prevalence holds; the extra record should be removed.
-- Weighings of :tahun; one row per extra record (the lowest id is the original), keyed by its id.
-- MariaDB.
SELECT
    CAST(t.id AS CHAR) AS kunci,
    'nik_balita, tanggal' AS kolom,
    CAST(t.tanggal AS CHAR) AS nilai
FROM penimbangan AS t
WHERE t.tanggal >= MAKEDATE(:tahun, 1)
    AND t.tanggal < MAKEDATE(:tahun + 1, 1)
    AND EXISTS (
        SELECT 1 FROM penimbangan AS o
        WHERE o.nik_balita = t.nik_balita AND o.tanggal = t.tanggal AND o.id < t.id
    )
ORDER BY t.id
