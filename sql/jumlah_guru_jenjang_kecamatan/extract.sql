-- Teachers (PTK: head teachers, class and subject teachers) per kecamatan (of the school) and level in
-- the odd semester of school year :tahun/:tahun+1, from Dapodik's per-school recap.
SELECT
    LEFT(s.kode_desa, 8) AS kemendagri_kode_kecamatan,
    UPPER(TRIM(s.bentuk_pendidikan)) AS jenjang_pendidikan,
    SUM(r.jumlah_guru) AS jumlah_guru,
    CAST(:tahun AS SIGNED) AS tahun
FROM rekap_sekolah AS r
LEFT JOIN sekolah AS s ON s.npsn = r.npsn
WHERE r.semester_id = CONCAT(:tahun, '1')
GROUP BY LEFT(s.kode_desa, 8), UPPER(TRIM(s.bentuk_pendidikan))
ORDER BY LEFT(s.kode_desa, 8), UPPER(TRIM(s.bentuk_pendidikan))
