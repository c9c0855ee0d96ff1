-- privseg consent, schema version 4: privacy-budget spends, so spent budget survives restarts
-- and is shared by every process releasing from the same budget. One row per accepted release;
-- the (budget, seq) key makes concurrent appends of the same position fail for all but one.

CREATE TABLE privseg_privacy_spend (
  budget_id   VARCHAR(128)  NOT NULL,
  seq         INT           NOT NULL,
  release_name VARCHAR(256) NOT NULL,
  kind        VARCHAR(8)    NOT NULL,
  amount      VARCHAR(200)  NOT NULL,  -- an exact fraction, e.g. 1/4
  spent_at    BIGINT        NOT NULL,  -- epoch milliseconds
  PRIMARY KEY (budget_id, seq)
);
