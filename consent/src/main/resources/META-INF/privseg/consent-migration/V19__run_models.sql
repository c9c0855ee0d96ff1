-- privseg consent, schema version 19: a registered run keeps its segments as a model (JSON: the
-- feature encoding, the centroids and the anonymization scheme; aggregates and category labels,
-- never a row), so that new or newly consenting subjects can be assigned to its segments later
-- without a new fit (incremental assignment). Runs registered before this version, and runs whose
-- segmenter saves no model, have none (NULL).

ALTER TABLE privseg_registered_run ADD COLUMN model_json VARCHAR(1000000);

UPDATE privseg_setting SET setting = '19' WHERE name = 'schema_version';
