-- Jumlah peserta didik negatif: a school's Dapodik recap with a negative pupil count. CRITICAL: the
-- published count is the sum of these recaps, so the kecamatan's pupils are understated. Both
-- semesters of school year :tahun/:tahun+1 (the even one is the same school's next recap, equally
-- wrong). MariaDB. The key is NPSN/semester (a school, not a person).
SELECT
    CONCAT(r.npsn, '/', r.semester_id) AS kunci,
    CASE WHEN r.jumlah_pd_l < 0 THEN 'jumlah_pd_l' ELSE 'jumlah_pd_p' END AS kolom,
    CAST(LEAST(r.jumlah_pd_l, r.jumlah_pd_p) AS CHAR) AS nilai
FROM rekap_sekolah AS r
WHERE r.semester_id IN (CONCAT(:tahun, '1'), CONCAT(:tahun, '2'))
    AND (r.jumlah_pd_l < 0 OR r.jumlah_pd_p < 0)
ORDER BY 1
