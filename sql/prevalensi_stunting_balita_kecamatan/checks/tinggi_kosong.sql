-- Tinggi kosong: a weighing without a height. WARNING: the child cannot be classified and is left
-- out of both counts (the extract says so), so the prevalence stays a fair estimate over the
-- children measured; the posyandu should still complete the record. Weighings of :tahun. MariaDB.
SELECT
    CAST(t.id AS CHAR) AS kunci,
    'tinggi_cm' AS kolom,
    CONCAT('kosong; umur ', CAST(t.umur_bulan AS CHAR), ' bulan') AS nilai
FROM penimbangan AS t
WHERE t.tanggal >= MAKEDATE(:tahun, 1)
    AND t.tanggal < MAKEDATE(:tahun + 1, 1)
    AND t.tinggi_cm IS NULL
ORDER BY t.id
