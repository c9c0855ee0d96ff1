-- privseg consent, schema version 17: a registered run keeps the SHA-256 of its processing
-- record's JSON, so that a signed checkpoint can seal it and an auditor can show a record file
-- is the one the run registered. Runs registered before this version have none (NULL).

ALTER TABLE privseg_registered_run ADD COLUMN record_digest VARCHAR(64);

UPDATE privseg_setting SET setting = '17' WHERE name = 'schema_version';
