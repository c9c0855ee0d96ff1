-- privseg consent, schema version 16: activation checks. A run remembers how many members it
-- registered, so that members forgotten since (erased) can be counted; each activation of a
-- run's segments on a channel is recorded with its counts, for the audit trail. Runs registered
-- before this version have no registered count (NULL).

ALTER TABLE privseg_registered_run ADD COLUMN registered_members BIGINT;

CREATE TABLE privseg_activation (
  activation_id  VARCHAR(36)   NOT NULL PRIMARY KEY,
  run_id         VARCHAR(36)   NOT NULL,
  purpose        VARCHAR(64)   NOT NULL,
  channel        VARCHAR(64)   NOT NULL,
  actor          VARCHAR(128)  NOT NULL,
  activated_at   BIGINT        NOT NULL,  -- epoch milliseconds
  members        BIGINT        NOT NULL,
  allowed        BIGINT        NOT NULL,
  logged_seq     BIGINT        NOT NULL
);

-- The members left out of an activation, by the reason their lawful basis no longer holds.
CREATE TABLE privseg_activation_exclusion (
  activation_id  VARCHAR(36)   NOT NULL,
  reason         VARCHAR(40)   NOT NULL,
  members        BIGINT        NOT NULL,
  PRIMARY KEY (activation_id, reason)
);

UPDATE privseg_setting SET setting = '16' WHERE name = 'schema_version';
