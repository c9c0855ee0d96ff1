-- privseg consent, schema version 9: memberships keyed by run, then pseudonym (version 5 keyed
-- them by pseudonym first). A run's members now lie together in the index: registering a run
-- fills one range of it instead of inserting all over an index of every run's pseudonyms, which
-- grew slower with each run held, and forgetting a run deletes that range instead of reading
-- the whole table. Runs get a numeric key for this: comparing a 36-character run id under the
-- database's collation in every index comparison made PostgreSQL's inserts a third slower.
-- A subject's memberships are looked up run by run.

ALTER TABLE privseg_registered_run ADD COLUMN run_key BIGINT;

UPDATE privseg_registered_run SET run_key = (
  SELECT n FROM (
    SELECT run_id, ROW_NUMBER() OVER (ORDER BY run_id) AS n FROM privseg_registered_run
  ) numbered WHERE numbered.run_id = privseg_registered_run.run_id);

ALTER TABLE privseg_registered_run ALTER COLUMN run_key SET NOT NULL;

CREATE UNIQUE INDEX privseg_registered_run_key ON privseg_registered_run (run_key);

CREATE TABLE privseg_run_membership (
  run_key    BIGINT       NOT NULL,
  pseudonym  VARCHAR(64)  NOT NULL,
  segment    INT          NOT NULL,
  PRIMARY KEY (run_key, pseudonym)
);

INSERT INTO privseg_run_membership (run_key, pseudonym, segment)
  SELECT r.run_key, m.pseudonym, m.segment
  FROM privseg_segment_membership m
  JOIN privseg_registered_run r ON r.run_id = m.run_id;

DROP TABLE privseg_segment_membership;
