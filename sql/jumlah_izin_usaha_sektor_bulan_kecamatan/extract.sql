-- Business permits issued through OSS-RBA per kecamatan, month and KBLI section. Incremental
-- (source.watermark): a run recomputes, in full, every year that holds a permit entered in the OSS
-- copy after :watermark (the last entry date a loaded run saw; NULL on the first run: every year),
-- counting the permits entered before :periode_akhir, as the register stood when the run's interval
-- closed. A permit issued on 30 December and entered on 3 January thus completes its year in the
-- January run; a month with nothing entered extracts nothing. Runs on the DPMPTSP database; owner
-- names, NIB and addresses stay there. The section name comes from the KBLI reference.
WITH periode AS (
    SELECT CAST(:periode_akhir AS date) AS akhir, CAST(:watermark AS date) AS sejak
),

tahun_berubah AS (
    SELECT DISTINCT CAST(DATE_PART('year', i.tanggal_terbit) AS integer) AS tahun
    FROM izin_usaha AS i CROSS JOIN periode AS p
    WHERE i.tanggal_input < p.akhir AND (p.sejak IS NULL OR i.tanggal_input > p.sejak)
),

sektor AS (
    SELECT DISTINCT sektor, nama_sektor FROM ref_kbli
)

SELECT
    LEFT(i.kode_desa, 8) AS kemendagri_kode_kecamatan,
    CAST(DATE_PART('month', i.tanggal_terbit) AS integer) AS bulan,
    UPPER(TRIM(i.sektor)) AS kode_sektor_kbli,
    s.nama_sektor AS sektor_kbli,
    COUNT(*) AS jumlah_izin,
    CAST(DATE_PART('year', i.tanggal_terbit) AS integer) AS tahun
FROM izin_usaha AS i
CROSS JOIN periode AS p
LEFT JOIN sektor AS s ON s.sektor = i.sektor
WHERE CAST(DATE_PART('year', i.tanggal_terbit) AS integer) IN (SELECT tahun FROM tahun_berubah)
    AND i.tanggal_terbit < p.akhir
    AND i.tanggal_input < p.akhir
GROUP BY 1, 2, 3, 4, 6
ORDER BY 6, 1, 2, 3
