-- Harvested area (hectares) of palawija per kecamatan and commodity in :tahun, summed from the
-- desa-level monthly SP reports; the commodity name comes from the app's own commodity master, joined
-- on its code. Runs on the Dinas Pertanian database.
SELECT
    LEFT(l.kode_desa, 8) AS kemendagri_kode_kecamatan,
    UPPER(TRIM(k.nama_komoditas)) AS komoditas,
    ROUND(SUM(l.luas_panen_ha), 2) AS luas_panen,
    CAST(:tahun AS integer) AS tahun
FROM laporan_tanaman_pangan AS l
LEFT JOIN komoditas AS k ON k.kode_komoditas = l.kode_komoditas
WHERE l.tahun = CAST(:tahun AS integer)
    AND l.kode_komoditas NOT IN ('PS', 'PL')
GROUP BY 1, 2
ORDER BY 1, 2
