-- NISN ganda: one NISN enrolled at more than one school in the same semester (a transfer never
-- closed). WARNING here: the published count comes from the schools' recap; the pupil records behind
-- it still count one child twice and must be closed. One row per NISN; the key masks it (a pupil's
-- national number is personal): first and last three digits. Odd semester of :tahun. MariaDB.
SELECT
    CONCAT(LEFT(p.nisn, 3), '****', RIGHT(p.nisn, 3)) AS kunci,
    'nisn' AS kolom,
    CONCAT(CAST(COUNT(*) AS CHAR), ' sekolah') AS nilai
FROM peserta_didik AS p
WHERE p.semester_id = CONCAT(:tahun, '1')
    AND p.nisn IS NOT NULL
GROUP BY p.nisn
HAVING COUNT(*) > 1
ORDER BY kunci
