-- Release history (issue 13): one row per release that changed a dataset's public data, and the
-- public rows as validity ranges over release sequence numbers (an unchanged row is stored once).
CREATE SCHEMA IF NOT EXISTS history;

CREATE TABLE IF NOT EXISTS history.releases (
    dataset_id text NOT NULL,
    seq integer NOT NULL,
    versi text NOT NULL,
    released_at timestamptz NOT NULL DEFAULT now(),
    run_id text NOT NULL,
    catatan text,
    header text NOT NULL,
    changes jsonb NOT NULL,
    row_count integer NOT NULL,
    content_sha256 text NOT NULL,
    state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'published')),
    PRIMARY KEY (dataset_id, seq),
    UNIQUE (dataset_id, versi)
);

CREATE TABLE IF NOT EXISTS history.rows (
    dataset_id text NOT NULL,
    row_key jsonb NOT NULL,
    sort_key jsonb NOT NULL,
    line text NOT NULL,
    valid_from integer NOT NULL,
    valid_to integer,
    PRIMARY KEY (dataset_id, row_key, valid_from)
);

CREATE INDEX IF NOT EXISTS rows_current ON history.rows (dataset_id) WHERE valid_to IS NULL;
