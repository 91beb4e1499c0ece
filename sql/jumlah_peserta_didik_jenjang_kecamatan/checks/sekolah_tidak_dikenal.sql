-- Sekolah tidak dikenal: a pupil enrolled under an NPSN that is no school in Dapodik's school list.
-- WARNING: the recap (per known school) stays right; the pupil belongs to no school. Odd semester of
-- :tahun. MariaDB. The key is the peserta_didik_id, the value the NPSN (a school, public).
SELECT
    p.peserta_didik_id AS kunci,
    'npsn' AS kolom,
    COALESCE(p.npsn, '(kosong)') AS nilai
FROM peserta_didik AS p
LEFT JOIN sekolah AS s ON s.npsn = p.npsn
WHERE p.semester_id = CONCAT(:tahun, '1')
    AND s.npsn IS NULL
ORDER BY 1
