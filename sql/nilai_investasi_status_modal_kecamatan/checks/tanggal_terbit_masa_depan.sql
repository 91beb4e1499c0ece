-- Tanggal terbit masa depan: a permit "issued" after the day it was entered in the OSS copy. WARNING:
-- the permit drops out of its real year (it waits in a future one), so that year is undercounted a little.
-- Permits entered in :tahun, keyed by id (the issue date is compared with the record's own entry date,
-- not the clock, so the count is exact whenever the check runs).
SELECT
    CAST(i.id AS text) AS kunci,
    'tanggal_terbit' AS kolom,
    'terbit ' || CAST(i.tanggal_terbit AS text) || ', diinput ' || CAST(i.tanggal_input AS text) AS nilai
FROM izin_usaha AS i
WHERE i.tanggal_input >= MAKE_DATE(CAST(:tahun AS integer), 1, 1)
    AND i.tanggal_input < MAKE_DATE(CAST(:tahun AS integer) + 1, 1, 1)
    AND i.tanggal_terbit > i.tanggal_input
ORDER BY i.id
