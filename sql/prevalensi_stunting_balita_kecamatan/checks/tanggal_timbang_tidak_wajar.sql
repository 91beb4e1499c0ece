-- Tanggal timbang tidak wajar: a weighing dated after today, or on a date that does not fit the age
-- in months recorded with it (more than 2 months apart from the child's birth date), as when a
-- year is mistyped (2029 for 2024). WARNING: such a weighing falls out of the month it belongs to,
-- so one child is missing from that month's counts; the prevalence over the others holds. Whole
-- table (a mistyped year may land in no run's year). MariaDB. The key is the measurement id.
SELECT
    CAST(t.id AS CHAR) AS kunci,
    'tanggal' AS kolom,
    CONCAT(CAST(t.tanggal AS CHAR), '; umur ', CAST(t.umur_bulan AS CHAR), ' bulan') AS nilai
FROM penimbangan AS t
JOIN balita AS b ON b.nik_balita = t.nik_balita
WHERE t.tanggal > CURRENT_DATE
    OR ABS(FLOOR(DATEDIFF(t.tanggal, b.tanggal_lahir) / 30.4375) - t.umur_bulan) > 2
ORDER BY t.id
