-- Incremental extracts: the high-water mark each dataset's source had reached at its last successful load.
-- Written only after the load committed (satudata.extract.advance_watermark), read before the next extract
-- and bound to the extract SQL as :watermark. Deleting a row makes the next run a full extract.
CREATE TABLE IF NOT EXISTS audit.watermarks (
    dataset_id      text        PRIMARY KEY,
    value           text        NOT NULL,   -- ISO text of the source value (timestamp, date, integer, text)
    value_type      text        NOT NULL CHECK (value_type IN ('timestamp', 'date', 'integer', 'text')),
    previous_value  text,
    run_id          text        NOT NULL,
    advanced_at     timestamptz NOT NULL DEFAULT clock_timestamp()
);
