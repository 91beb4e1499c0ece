-- NISN kosong: a pupil of the odd semester of :tahun without a NISN. WARNING: the published count
-- comes from the schools' recap, which stays right; the pupil cannot be traced across schools (and
-- may be counted twice there). MariaDB. The key is Dapodik's peserta_didik_id, never the name.
SELECT
    p.peserta_didik_id AS kunci,
    'nisn' AS kolom,
    CONCAT('kosong; NPSN ', p.npsn) AS nilai
FROM peserta_didik AS p
WHERE p.semester_id = CONCAT(:tahun, '1')
    AND (p.nisn IS NULL OR TRIM(p.nisn) = '')
ORDER BY 1
