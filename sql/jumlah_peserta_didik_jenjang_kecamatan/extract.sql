-- Pupils per kecamatan (of the school), level and sex in the odd semester of school year
-- :tahun/:tahun+1, from Dapodik's per-school recap (jumlah_pd_l / jumlah_pd_p). No pupil row leaves.
SELECT
    LEFT(s.kode_desa, 8) AS kemendagri_kode_kecamatan,
    UPPER(TRIM(s.bentuk_pendidikan)) AS jenjang_pendidikan,
    jk.jenis_kelamin,
    SUM(CASE jk.jenis_kelamin WHEN 'LAKI-LAKI' THEN r.jumlah_pd_l ELSE r.jumlah_pd_p END)
        AS jumlah_peserta_didik,
    CAST(:tahun AS SIGNED) AS tahun
FROM rekap_sekolah AS r
LEFT JOIN sekolah AS s ON s.npsn = r.npsn
CROSS JOIN (
    SELECT 'LAKI-LAKI' AS jenis_kelamin
    UNION ALL
    SELECT 'PEREMPUAN'
) AS jk
WHERE r.semester_id = CONCAT(:tahun, '1')
GROUP BY LEFT(s.kode_desa, 8), UPPER(TRIM(s.bentuk_pendidikan)), jk.jenis_kelamin
ORDER BY LEFT(s.kode_desa, 8), UPPER(TRIM(s.bentuk_pendidikan)), jk.jenis_kelamin
