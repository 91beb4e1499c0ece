-- Berat negatif: a weighing with a negative weight. WARNING here: stunting is read from height for
-- age, so the published prevalence holds; the record is still wrong (and would break a wasting or
-- underweight figure). Weighings of :tahun. MariaDB. The key is the measurement id.
SELECT
    CAST(t.id AS CHAR) AS kunci,
    'berat_kg' AS kolom,
    CAST(t.berat_kg AS CHAR) AS nilai
FROM penimbangan AS t
WHERE t.tanggal >= MAKEDATE(:tahun, 1)
    AND t.tanggal < MAKEDATE(:tahun + 1, 1)
    AND t.berat_kg < 0
ORDER BY t.id
