-- Warehouse layout: reference data, landed extracts, curated datasets, rejected rows, audit trail.
CREATE SCHEMA IF NOT EXISTS reference;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS curated;
CREATE SCHEMA IF NOT EXISTS quarantine;
CREATE SCHEMA IF NOT EXISTS audit;

-- Kemendagri codes are the key (text, with dots); BPS codes stand alongside where known.
CREATE TABLE IF NOT EXISTS reference.kecamatan (
    kemendagri_kode   text PRIMARY KEY,
    kode_nodot        text NOT NULL UNIQUE,
    nama              text NOT NULL,
    bps_kode          text,
    bps_nama          text,
    sumber            text NOT NULL
);

CREATE TABLE IF NOT EXISTS reference.desa_kelurahan (
    kemendagri_kode   text PRIMARY KEY,
    kode_nodot        text NOT NULL UNIQUE,
    nama              text NOT NULL,
    status            text NOT NULL CHECK (status IN ('desa', 'kelurahan')),
    kecamatan_kode    text NOT NULL REFERENCES reference.kecamatan (kemendagri_kode),
    bps_kode          text,
    sumber_kode_bps   text,
    sumber            text NOT NULL
);

CREATE TABLE IF NOT EXISTS audit.runs (
    dataset_id     text        NOT NULL,
    run_id         text        NOT NULL,
    stage          text        NOT NULL,
    status         text        NOT NULL,
    started_at     timestamptz NOT NULL,
    finished_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
    rows_in        bigint,
    rows_out       bigint,
    checksum       text,
    details        jsonb       NOT NULL DEFAULT '{}'::jsonb,
    PRIMARY KEY (dataset_id, run_id, stage)
);

CREATE TABLE IF NOT EXISTS audit.validation_results (
    dataset_id        text    NOT NULL,
    run_id            text    NOT NULL,
    expectation       text    NOT NULL,
    kolom             text,
    severity          text    NOT NULL,
    success           boolean NOT NULL,
    unexpected_count  bigint,
    sample            jsonb   NOT NULL DEFAULT '[]'::jsonb,
    recorded_at       timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (dataset_id, run_id, expectation)
);

CREATE TABLE IF NOT EXISTS audit.publications (
    dataset_id     text        NOT NULL,
    run_id         text        NOT NULL,
    ckan_package   text        NOT NULL,
    ckan_resource  text,
    content_sha256 text        NOT NULL,
    action         text        NOT NULL,
    published_at   timestamptz NOT NULL DEFAULT clock_timestamp(),
    PRIMARY KEY (dataset_id, run_id)
);
