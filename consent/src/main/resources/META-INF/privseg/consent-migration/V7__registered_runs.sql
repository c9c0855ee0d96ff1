-- privseg consent, schema version 7: a registered run's purpose, algorithm and logic are kept
-- once per run instead of once per member, so that registering a run of a million subjects
-- writes a million narrow rows (pseudonym, run, segment) rather than a million copies of the
-- run's description. Memberships registered before this version keep their description.

CREATE TABLE privseg_registered_run (
  run_id     VARCHAR(36)   NOT NULL PRIMARY KEY,
  purpose    VARCHAR(64)   NOT NULL,
  algorithm  VARCHAR(128)  NOT NULL,
  logic      VARCHAR(1000) NOT NULL
);

INSERT INTO privseg_registered_run (run_id, purpose, algorithm, logic)
  SELECT run_id, MIN(purpose), MIN(algorithm), MIN(logic)
  FROM privseg_segment_membership GROUP BY run_id;

ALTER TABLE privseg_segment_membership DROP COLUMN purpose;
ALTER TABLE privseg_segment_membership DROP COLUMN algorithm;
ALTER TABLE privseg_segment_membership DROP COLUMN logic;
