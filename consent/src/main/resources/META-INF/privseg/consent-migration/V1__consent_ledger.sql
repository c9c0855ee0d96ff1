-- privseg consent ledger, schema version 1. Portable SQL for H2 and PostgreSQL.
-- Append-only: the library never updates or deletes a row of privseg_consent_event.

CREATE TABLE privseg_consent_event (
  seq              BIGINT       NOT NULL PRIMARY KEY,
  subject_high     BIGINT       NOT NULL,
  subject_low      BIGINT       NOT NULL,
  purpose          VARCHAR(64)  NOT NULL,
  event_type       VARCHAR(40)  NOT NULL,
  occurred_at      BIGINT       NOT NULL,  -- epoch milliseconds
  recorded_at      BIGINT       NOT NULL,  -- epoch milliseconds
  source           VARCHAR(20)  NOT NULL,
  notice_version   VARCHAR(64)  NOT NULL,
  actor            VARCHAR(128) NOT NULL,
  proof_reference  VARCHAR(256) NOT NULL,
  previous_hash    CHAR(64)     NOT NULL,
  hash             CHAR(64)     NOT NULL
);

-- State lookups read one subject's events in order of effect.
CREATE INDEX privseg_consent_event_subject
  ON privseg_consent_event (subject_high, subject_low, occurred_at, seq);

-- One row: the last sequence number and hash. Appenders lock it (SELECT ... FOR UPDATE), which
-- serializes appends across threads and processes and keeps the chain in one order.
CREATE TABLE privseg_consent_head (
  id         INT      NOT NULL PRIMARY KEY,
  last_seq   BIGINT   NOT NULL,
  last_hash  CHAR(64) NOT NULL
);

INSERT INTO privseg_consent_head (id, last_seq, last_hash)
  VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
