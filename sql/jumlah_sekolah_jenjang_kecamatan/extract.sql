-- Schools that reported to Dapodik in the odd semester of school year :tahun/:tahun+1 (semester_id
-- '<tahun>1'), per kecamatan, level and status. The kecamatan comes from the school's desa code;
-- a recap whose NPSN has no school row comes through with an empty code, for validation to catch.
SELECT
    LEFT(s.kode_desa, 8) AS kemendagri_kode_kecamatan,
    UPPER(TRIM(s.bentuk_pendidikan)) AS jenjang_pendidikan,
    UPPER(TRIM(s.status_sekolah)) AS status_sekolah,
    COUNT(DISTINCT r.npsn) AS jumlah_sekolah,
    CAST(:tahun AS SIGNED) AS tahun
FROM rekap_sekolah AS r
LEFT JOIN sekolah AS s ON s.npsn = r.npsn
WHERE r.semester_id = CONCAT(:tahun, '1')
GROUP BY LEFT(s.kode_desa, 8), UPPER(TRIM(s.bentuk_pendidikan)), UPPER(TRIM(s.status_sekolah))
ORDER BY LEFT(s.kode_desa, 8), UPPER(TRIM(s.bentuk_pendidikan)), UPPER(TRIM(s.status_sekolah))
