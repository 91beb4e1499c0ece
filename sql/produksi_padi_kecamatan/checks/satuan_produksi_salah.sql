-- Satuan produksi salah: production far above harvested area x productivity (the report's own
-- figures), as when kilograms are typed into the ton column (x1000). CRITICAL: one such report can
-- outweigh a whole kecamatan's production. Tolerance: 1.5 x the expected tons plus 1 ton.
-- Rice rows (PS, PL) of the run's year with a harvest; the key is the report id.
SELECT
    CAST(l.id AS text) AS kunci,
    'produksi_ton' AS kolom,
    CAST(l.produksi_ton AS text) || ' ton; diharapkan sekitar '
    || CAST(ROUND(l.luas_panen_ha * l.produktivitas_ku_ha / 10, 1) AS text) || ' ton' AS nilai
FROM laporan_tanaman_pangan AS l
WHERE l.tahun = CAST(:tahun AS integer)
    AND l.kode_komoditas IN ('PS', 'PL')
    AND l.luas_panen_ha > 0
    AND l.produksi_ton > 1.5 * l.luas_panen_ha * l.produktivitas_ku_ha / 10 + 1
ORDER BY l.id
