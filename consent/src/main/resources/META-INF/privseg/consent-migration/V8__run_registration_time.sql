-- privseg consent, schema version 8: when each run was registered (epoch milliseconds), so that
-- runs can be forgotten by age (storage limitation). Runs registered before this version have no
-- time recorded (NULL): they are kept until forgotten by id.

ALTER TABLE privseg_registered_run ADD COLUMN registered_at BIGINT;
