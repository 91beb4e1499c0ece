-- Validation a dinas can act on: quarantined rows, fuller validation results, notifications sent.

-- One row per (source row, failed rule) set aside by a contract with `quarantine: true`.
CREATE TABLE IF NOT EXISTS quarantine.rows (
    dataset_id      text        NOT NULL,
    run_id          text        NOT NULL,
    row_number      bigint      NOT NULL,   -- 1-based position in the landed extract
    rule            text        NOT NULL,   -- expectation type and column, as in audit.validation_results
    alasan          text        NOT NULL,   -- the reason, in Bahasa Indonesia
    kunci           jsonb       NOT NULL,   -- the contract's primary key values of the row
    nilai           jsonb       NOT NULL,   -- every value of the row as landed
    quarantined_at  timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (dataset_id, run_id, row_number, rule)
);
CREATE INDEX IF NOT EXISTS rows_dataset_time ON quarantine.rows (dataset_id, quarantined_at);

-- What the stewards' board shows next to each expectation result.
ALTER TABLE audit.validation_results
    ADD COLUMN IF NOT EXISTS judul       text,
    ADD COLUMN IF NOT EXISTS pesan       text,
    ADD COLUMN IF NOT EXISTS saran       text,
    ADD COLUMN IF NOT EXISTS diharapkan  text,
    ADD COLUMN IF NOT EXISTS dikarantina bigint NOT NULL DEFAULT 0;

-- One message per run at most: a re-run report task does not write to the dinas twice.
CREATE TABLE IF NOT EXISTS audit.notifications (
    dataset_id  text        NOT NULL,
    run_id      text        NOT NULL,
    status      text        NOT NULL,
    recipients  text[]      NOT NULL,
    subject     text        NOT NULL,
    sent_at     timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (dataset_id, run_id)
);

-- The latest validation of every dataset, for the stewards' board.
CREATE OR REPLACE VIEW audit.latest_validation AS
SELECT DISTINCT ON (dataset_id)
       dataset_id, run_id, status AS validation_status, rows_in, rows_out, details, finished_at
  FROM audit.runs
 WHERE stage = 'validate'
 ORDER BY dataset_id, finished_at DESC;
