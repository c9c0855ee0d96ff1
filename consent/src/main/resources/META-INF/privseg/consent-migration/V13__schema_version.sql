-- privseg consent, schema version 13: the schema's version, readable without Flyway's history,
-- so that a host that applies these scripts itself (ConsentDatabase.openWithoutMigrations) can be
-- told which to apply. Every later migration updates this row to its own version.

INSERT INTO privseg_setting (name, setting) VALUES ('schema_version', '13');
