-- Operations: one alert per incident, the freshness checks of each day, the late runs.

-- One row per incident: a DAG run with a task that failed after its retries, a run past its
-- deadline, or a freshness check that found newly late datasets. The callback inserts first and
-- mails only when the insert took, so a second failing task of the same run sends nothing.
CREATE TABLE IF NOT EXISTS audit.alerts (
    dag_id      text        NOT NULL,
    run_id      text        NOT NULL,
    kind        text        NOT NULL CHECK (kind IN ('failure', 'late', 'freshness')),
    task_id     text,
    try_number  integer,
    error       text,
    recipients  text[]      NOT NULL DEFAULT '{}',
    sent        boolean     NOT NULL DEFAULT false,
    raised_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (dag_id, run_id, kind)
);
CREATE INDEX IF NOT EXISTS alerts_time ON audit.alerts (raised_at);

-- What freshness_monitor found for each dataset on each checked day (its logical date).
CREATE TABLE IF NOT EXISTS audit.freshness (
    dataset_id    text        NOT NULL,
    checked_for   timestamptz NOT NULL,
    frekuensi     text        NOT NULL,
    level         text        NOT NULL CHECK (level IN ('hijau', 'kuning', 'merah', 'tidak_tentu')),
    last_success  timestamptz,
    recorded_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (dataset_id, checked_for)
);
