-- privseg consent, schema version 18: a registered run keeps its processing record (JSON; counts,
-- names and parameters only, never personal data), so that the records of processing (GDPR
-- Art. 30) and a DPIA's evidence are generated from what actually ran. Its SHA-256 is the run's
-- record digest. Runs registered before this version have none (NULL).

ALTER TABLE privseg_registered_run ADD COLUMN record_json VARCHAR(1000000);

UPDATE privseg_setting SET setting = '18' WHERE name = 'schema_version';
