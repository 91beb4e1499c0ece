-- The high-water mark of the permits extract: the last entry date in the OSS copy before the run's
-- interval closed. Stored after a successful load; the next run extracts the years of later entries.
SELECT MAX(i.tanggal_input) FROM izin_usaha AS i WHERE i.tanggal_input < CAST(:periode_akhir AS date)
