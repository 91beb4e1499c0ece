-- Tinggi tidak wajar: a toddler (0-59 months) measured below 40 cm or above 130 cm, as when
-- millimetres are typed into the centimetre column (x10). CRITICAL: height is the measure of
-- stunting; a z-score computed from such a height misclassifies the child and moves the prevalence.
-- Weighings of :tahun (both weighing months, as e-PPGBM enters them). MariaDB. The key is the
-- measurement id; the child's NIK and name stay at the source.
SELECT
    CAST(t.id AS CHAR) AS kunci,
    'tinggi_cm' AS kolom,
    CAST(t.tinggi_cm AS CHAR) AS nilai
FROM penimbangan AS t
WHERE t.tanggal >= MAKEDATE(:tahun, 1)
    AND t.tanggal < MAKEDATE(:tahun + 1, 1)
    AND (t.tinggi_cm < 40 OR t.tinggi_cm > 130)
ORDER BY t.id
