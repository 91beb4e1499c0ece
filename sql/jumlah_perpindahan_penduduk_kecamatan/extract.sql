-- Moves recorded in :tahun (SKPWNI out, SKDWNI in), per kecamatan, direction and scope.
-- Runs on the Disdukcapil (SIAK) database; NIK, names and origin/destination addresses stay there.
SELECT
    LEFT(d.kode_desa, 8) AS kemendagri_kode_kecamatan,
    CASE UPPER(
        TRIM(d.jenis)) WHEN 'PINDAH' THEN 'PINDAH KELUAR'
        WHEN 'DATANG' THEN 'DATANG'
        ELSE UPPER(TRIM(d.jenis))
    END AS jenis_perpindahan,
    UPPER(TRIM(d.klasifikasi)) AS klasifikasi_perpindahan,
    COUNT(*) AS jumlah_penduduk,
    CAST(:tahun AS integer) AS tahun
FROM pindah_datang AS d
WHERE d.tanggal >= MAKE_DATE(CAST(:tahun AS integer), 1, 1)
    AND d.tanggal < MAKE_DATE(CAST(:tahun AS integer) + 1, 1, 1)
GROUP BY 1, 2, 3
ORDER BY 1, 2, 3
