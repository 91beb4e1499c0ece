-- What the pipeline last left on CKAN for each dataset (satudata.portal.visibility), so that a
-- steward's takedown by hand (dataset deleted, made private or purged in CKAN) is recognised and kept,
-- and a dataset reclassified tertutup is known to have to be withdrawn.
CREATE TABLE IF NOT EXISTS audit.portal_state (
    dataset_id    text        PRIMARY KEY,
    ckan_package  text,
    private       boolean,
    withdrawn     boolean     NOT NULL DEFAULT false,
    takedown_at   timestamptz,
    takedown_what text,
    updated_at    timestamptz NOT NULL DEFAULT clock_timestamp()
);
