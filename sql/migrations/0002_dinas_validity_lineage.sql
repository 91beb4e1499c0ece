-- The dinas catalogue, validity periods on region codes, and the lineage stewards query.

-- One row per data producer, filled from contracts/dinas.yaml (warehouse.load_dinas).
CREATE TABLE IF NOT EXISTS reference.dinas (
    id                 text PRIMARY KEY,
    nama               text NOT NULL,
    singkatan          text NOT NULL,
    ckan_organization  text NOT NULL UNIQUE,
    kontak             text NOT NULL,
    conn_id            text NOT NULL
);

-- A code is valid from berlaku_mulai to berlaku_sampai (inclusive; NULL = open-ended); `sumber` is the
-- decree or source the code comes from. Codes change: Setia Asih was desa 32.16.01.2007, then became
-- kelurahan 32.16.01.1007 (warehouse.load_region_history records both).
ALTER TABLE reference.kecamatan
    ADD COLUMN IF NOT EXISTS berlaku_mulai date,
    ADD COLUMN IF NOT EXISTS berlaku_sampai date,
    ADD COLUMN IF NOT EXISTS keterangan text;
ALTER TABLE reference.desa_kelurahan
    ADD COLUMN IF NOT EXISTS berlaku_mulai date,
    ADD COLUMN IF NOT EXISTS berlaku_sampai date,
    ADD COLUMN IF NOT EXISTS keterangan text;
ALTER TABLE reference.desa_kelurahan DROP CONSTRAINT IF EXISTS desa_kelurahan_berlaku_check;
ALTER TABLE reference.desa_kelurahan ADD CONSTRAINT desa_kelurahan_berlaku_check
    CHECK (berlaku_sampai IS NULL OR berlaku_mulai IS NULL OR berlaku_sampai >= berlaku_mulai);

-- The desa/kelurahan codes valid on a given day, e.g. the end of a dataset's period.
CREATE OR REPLACE FUNCTION reference.desa_kelurahan_pada(tanggal date)
RETURNS SETOF reference.desa_kelurahan LANGUAGE sql STABLE AS $$
    SELECT * FROM reference.desa_kelurahan
    WHERE (berlaku_mulai IS NULL OR berlaku_mulai <= tanggal)
      AND (berlaku_sampai IS NULL OR berlaku_sampai >= tanggal)
$$;

-- For each curated table and period: the source, the query and suite (their sha256), the run that
-- loaded it, when, how many rows and their checksum. `is_current` marks the load whose rows curated
-- holds now (the latest successful one for that period).
CREATE OR REPLACE VIEW audit.lineage AS
SELECT r.dataset_id,
       p.period,
       r.details ->> 'source_conn_id'                        AS source_conn_id,
       r.details ->> 'query_sha256'                          AS query_sha256,
       r.details ->> 'suite_sha256'                          AS suite_sha256,
       r.run_id,
       r.finished_at                                         AS loaded_at,
       (r.details -> 'period_rows' ->> p.period)::bigint     AS rows,
       r.details -> 'period_checksums' ->> p.period          AS checksum,
       r.checksum                                            AS table_checksum,
       row_number() OVER (PARTITION BY r.dataset_id, p.period ORDER BY r.finished_at DESC, r.run_id DESC) = 1
                                                             AS is_current
FROM audit.runs r
CROSS JOIN LATERAL jsonb_array_elements_text(r.details -> 'periods') AS p(period)
WHERE r.stage = 'load' AND r.status = 'success';
