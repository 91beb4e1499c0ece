-- Puskesmas tidak dikenal: a weighing filed under a puskesmas code not in the puskesmas master.
-- WARNING: the kecamatan comes from the desa code, so the counts hold; the record cannot be traced
-- to the puskesmas responsible. Weighings of :tahun. MariaDB. The key is the measurement id.
SELECT
    CAST(t.id AS CHAR) AS kunci,
    'kode_puskesmas' AS kolom,
    COALESCE(t.kode_puskesmas, '(kosong)') AS nilai
FROM penimbangan AS t
LEFT JOIN puskesmas AS p ON p.kode_puskesmas = t.kode_puskesmas
WHERE t.tanggal >= MAKEDATE(:tahun, 1)
    AND t.tanggal < MAKEDATE(:tahun + 1, 1)
    AND p.kode_puskesmas IS NULL
ORDER BY t.id
