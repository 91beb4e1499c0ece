-- Business permits issued through OSS-RBA per kecamatan, month and KBLI section, for the year that
-- holds the last day before :periode_akhir (the whole year so far: a monthly run refreshes its year,
-- and the January run still completes December). Runs on the DPMPTSP database; owner names, NIB and
-- addresses stay there. The section name comes from the KBLI reference joined on the section letter.
WITH periode AS (
    SELECT CAST(date_part('year', CAST(:periode_akhir AS date) - 1) AS integer) AS tahun,
           CAST(:periode_akhir AS date)                                        AS akhir
),
sektor AS (
    SELECT DISTINCT sektor, nama_sektor FROM ref_kbli
)
SELECT
    left(i.kode_desa, 8)                                       AS kemendagri_kode_kecamatan,
    CAST(date_part('month', i.tanggal_terbit) AS integer)      AS bulan,
    upper(trim(i.sektor))                                      AS kode_sektor_kbli,
    s.nama_sektor                                              AS sektor_kbli,
    count(*)                                                   AS jumlah_izin,
    p.tahun                                                    AS tahun
FROM izin_usaha AS i
CROSS JOIN periode AS p
LEFT JOIN sektor AS s ON s.sektor = i.sektor
WHERE i.tanggal_terbit >= make_date(p.tahun, 1, 1)
  AND i.tanggal_terbit < p.akhir
GROUP BY 1, 2, 3, 4, p.tahun
ORDER BY 1, 2, 3
