-- Tingkat tidak sesuai jenjang: a pupil's grade outside the school's level (SD 1-6, SMP 7-9,
-- SMA/SMK 10-12). WARNING: the recap counts the school's pupils, which stays right; the pupil's
-- record is wrong. Odd semester of :tahun. MariaDB. The key is the peserta_didik_id.
SELECT
    p.peserta_didik_id AS kunci,
    'tingkat_pendidikan' AS kolom,
    CONCAT(CAST(p.tingkat_pendidikan AS CHAR), ' di ', s.bentuk_pendidikan) AS nilai
FROM peserta_didik AS p
JOIN sekolah AS s ON s.npsn = p.npsn
WHERE p.semester_id = CONCAT(:tahun, '1')
    AND NOT (
        (s.bentuk_pendidikan = 'SD' AND p.tingkat_pendidikan BETWEEN 1 AND 6)
        OR (s.bentuk_pendidikan = 'SMP' AND p.tingkat_pendidikan BETWEEN 7 AND 9)
        OR (s.bentuk_pendidikan IN ('SMA', 'SMK') AND p.tingkat_pendidikan BETWEEN 10 AND 12)
    )
ORDER BY 1
