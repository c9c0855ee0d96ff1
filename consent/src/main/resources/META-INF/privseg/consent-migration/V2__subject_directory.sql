-- privseg consent, schema version 2: the subject directory that makes erasure real.
-- A subject's ledger key and pseudonym are random and live only here; erasing the subject
-- deletes its row and leaves a tombstone of the lookup key (a keyed hash of the identifier).

CREATE TABLE privseg_subject_directory (
  lookup_high  BIGINT       NOT NULL,
  lookup_low   BIGINT       NOT NULL,
  ledger_high  BIGINT       NOT NULL,
  ledger_low   BIGINT       NOT NULL,
  pseudonym    VARCHAR(64)  NOT NULL,
  PRIMARY KEY (lookup_high, lookup_low)
);

CREATE TABLE privseg_erased_subject (
  lookup_high  BIGINT NOT NULL,
  lookup_low   BIGINT NOT NULL,
  erased_at    BIGINT NOT NULL,  -- epoch milliseconds
  PRIMARY KEY (lookup_high, lookup_low)
);
