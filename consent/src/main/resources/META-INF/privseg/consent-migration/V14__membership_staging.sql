-- privseg consent, schema version 14: memberships staged by other processes before a run is
-- registered. Spark's executors each write their part of a run's assignments in a transaction
-- of their own, and a retried or speculative task may write its part again; the run is then
-- registered from what was staged in one transaction, each member once, and the staging is
-- deleted. A staged run that was never completed (its driver died) is deleted with the runs
-- registered before the same cutoff.

CREATE TABLE privseg_staged_run (
  run_key    BIGINT        NOT NULL PRIMARY KEY,
  run_id     VARCHAR(36)   NOT NULL,
  staged_at  BIGINT        NOT NULL  -- epoch milliseconds
);

CREATE TABLE privseg_membership_staging (
  run_key    BIGINT       NOT NULL,
  part       INT          NOT NULL,
  pseudonym  VARCHAR(64)  NOT NULL,
  segment    INT          NOT NULL
);

CREATE INDEX privseg_membership_staging_part ON privseg_membership_staging (run_key, part);

UPDATE privseg_setting SET setting = '14' WHERE name = 'schema_version';
