-- Complete basic immunisation (IDL) coverage per kecamatan for the infants who turned one in :tahun
-- (born in :tahun - 1): the share who received all 11 basic doses before their first birthday.
-- The kecamatan is the child's desa of residence in the register. MariaDB; names and NIK stay here.
SELECT
    LEFT(b.kode_desa, 8) AS kemendagri_kode_kecamatan,
    COUNT(*) AS jumlah_bayi,
    SUM(CASE WHEN d.jumlah_vaksin = 11 THEN 1 ELSE 0 END) AS jumlah_bayi_idl,
    ROUND(100 * SUM(CASE WHEN d.jumlah_vaksin = 11 THEN 1 ELSE 0 END) / COUNT(*), 2)
        AS cakupan_idl,
    CAST(:tahun AS SIGNED) AS tahun
FROM balita AS b
LEFT JOIN (
    SELECT i.nik_balita, COUNT(DISTINCT i.jenis_vaksin) AS jumlah_vaksin
    FROM imunisasi AS i
    JOIN balita AS c ON c.nik_balita = i.nik_balita
    WHERE i.tanggal < c.tanggal_lahir + INTERVAL 1 YEAR
        AND i.jenis_vaksin IN (
            'HB0', 'BCG', 'POLIO 1', 'POLIO 2', 'POLIO 3', 'POLIO 4', 'DPT-HB-HIB 1',
            'DPT-HB-HIB 2', 'DPT-HB-HIB 3', 'IPV', 'CAMPAK RUBELLA'
        )
    GROUP BY i.nik_balita
) AS d ON d.nik_balita = b.nik_balita
WHERE b.tanggal_lahir >= MAKEDATE(:tahun - 1, 1)
    AND b.tanggal_lahir < MAKEDATE(:tahun, 1)
GROUP BY LEFT(b.kode_desa, 8)
ORDER BY LEFT(b.kode_desa, 8)
