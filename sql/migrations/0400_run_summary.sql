-- One row per dataset run, gathered from its stages: what the stewards' board and the audit read.
CREATE OR REPLACE VIEW audit.run_summary AS
SELECT r.dataset_id,
       r.run_id,
       min(r.started_at)                                                        AS started_at,
       max(r.finished_at)                                                       AS finished_at,
       max(r.rows_out) FILTER (WHERE r.stage = 'extract')                       AS rows_extracted,
       max(r.rows_in) FILTER (WHERE r.stage = 'validate')                       AS rows_validated,
       max((r.details ->> 'quarantined_rows')::bigint) FILTER (WHERE r.stage = 'validate') AS rows_quarantined,
       max(r.rows_out) FILTER (WHERE r.stage = 'load')                          AS rows_loaded,
       max(r.status) FILTER (WHERE r.stage = 'validate')                        AS validation_status,
       max(r.checksum) FILTER (WHERE r.stage = 'load')                          AS content_checksum,
       max(r.details ->> 'watermark') FILTER (WHERE r.stage = 'extract')        AS source_watermark,
       max(r.finished_at - r.started_at) FILTER (WHERE r.stage = 'extract')     AS extract_duration,
       max(r.finished_at - r.started_at) FILTER (WHERE r.stage = 'validate')    AS validate_duration,
       max(r.finished_at - r.started_at) FILTER (WHERE r.stage = 'load')        AS load_duration,
       max(r.finished_at - r.started_at) FILTER (WHERE r.stage = 'publish')     AS publish_duration,
       max(p.action)                                                            AS publication
FROM audit.runs AS r
LEFT JOIN audit.publications AS p USING (dataset_id, run_id)
GROUP BY r.dataset_id, r.run_id;
