-- Rice production (padi sawah and padi ladang, ton of dry unhusked grain, GKG) and harvested area per
-- kecamatan in :tahun, summed from the desa-level monthly SP reports of the agricultural extension
-- workers. Runs on the Dinas Pertanian database; the reporting officer's name stays there.
SELECT
    LEFT(l.kode_desa, 8) AS kemendagri_kode_kecamatan,
    ROUND(SUM(l.luas_panen_ha), 2) AS luas_panen_ha,
    ROUND(SUM(l.produksi_ton), 2) AS produksi_padi,
    CAST(:tahun AS integer) AS tahun
FROM laporan_tanaman_pangan AS l
WHERE l.tahun = CAST(:tahun AS integer)
    AND l.kode_komoditas IN ('PS', 'PL')
GROUP BY 1
ORDER BY 1
