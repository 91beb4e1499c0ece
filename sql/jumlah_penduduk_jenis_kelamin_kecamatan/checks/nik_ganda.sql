-- NIK ganda: one NIK registered for more than one resident (SIAK's `penduduk.nik` is not enforced
-- unique). CRITICAL: each extra registration is one more person in every count published from the
-- register, and two people under one NIK is an identity problem Disdukcapil must resolve first.
-- Whole register (every status): the population counts are snapshots of it. One row per NIK;
-- the key is the masked NIK (kecamatan and serial, birth date hidden), never the full one.
SELECT
    LEFT(CAST(p.nik AS text), 6) || '******' || RIGHT(CAST(p.nik AS text), 4) AS kunci,
    'nik' AS kolom,
    CAST(COUNT(*) AS text) || ' pencatatan' AS nilai
FROM penduduk AS p
GROUP BY p.nik
HAVING COUNT(*) > 1
ORDER BY kunci
