-- privseg consent, schema version 5: segment memberships of registered runs, keyed by pseudonym,
-- so access requests can list them with the purpose and logic of each run.

CREATE TABLE privseg_segment_membership (
  pseudonym   VARCHAR(64)   NOT NULL,
  run_id      VARCHAR(36)   NOT NULL,
  purpose     VARCHAR(64)   NOT NULL,
  algorithm   VARCHAR(128)  NOT NULL,
  segment     INT           NOT NULL,
  logic       VARCHAR(1000) NOT NULL,
  PRIMARY KEY (pseudonym, run_id)
);
