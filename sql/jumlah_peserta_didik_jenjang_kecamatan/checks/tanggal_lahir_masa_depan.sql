-- Tanggal lahir tidak mungkin: a pupil born after today, or in or after the first year of the school
-- year they are enrolled in (no pupil is under one year old; this holds when the check runs years
-- later). WARNING: the recap stays right; the pupil's record is wrong. Odd semester of :tahun.
-- MariaDB. The key is the peserta_didik_id; the value the stored date.
SELECT
    p.peserta_didik_id AS kunci,
    'tanggal_lahir' AS kolom,
    CAST(p.tanggal_lahir AS CHAR) AS nilai
FROM peserta_didik AS p
WHERE p.semester_id = CONCAT(:tahun, '1')
    AND (p.tanggal_lahir > CURRENT_DATE OR YEAR(p.tanggal_lahir) >= CAST(LEFT(p.semester_id, 4) AS SIGNED))
ORDER BY 1
