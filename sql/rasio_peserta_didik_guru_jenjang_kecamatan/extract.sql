-- Pupil-teacher ratio per kecamatan (of the school) and level in the odd semester of school year
-- :tahun/:tahun+1: all pupils over all teachers of the level's schools in the kecamatan (not a mean
-- of school ratios). A kecamatan-level without teachers gets no ratio (NULL), for validation to flag.
SELECT
    LEFT(s.kode_desa, 8) AS kemendagri_kode_kecamatan,
    UPPER(TRIM(s.bentuk_pendidikan)) AS jenjang_pendidikan,
    SUM(r.jumlah_pd_l + r.jumlah_pd_p) AS jumlah_peserta_didik,
    SUM(r.jumlah_guru) AS jumlah_guru,
    ROUND(SUM(r.jumlah_pd_l + r.jumlah_pd_p) / NULLIF(SUM(r.jumlah_guru), 0), 2)
        AS rasio_peserta_didik_guru,
    CAST(:tahun AS SIGNED) AS tahun
FROM rekap_sekolah AS r
LEFT JOIN sekolah AS s ON s.npsn = r.npsn
WHERE r.semester_id = CONCAT(:tahun, '1')
GROUP BY LEFT(s.kode_desa, 8), UPPER(TRIM(s.bentuk_pendidikan))
ORDER BY LEFT(s.kode_desa, 8), UPPER(TRIM(s.bentuk_pendidikan))
