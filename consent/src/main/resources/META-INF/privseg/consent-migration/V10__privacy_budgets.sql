-- privseg consent, schema version 10: the budget each privacy-budget id was first opened with.
-- A process that opens the same id with another epsilon or delta is refused, so no process can
-- overspend a budget another process holds to.

CREATE TABLE privseg_privacy_budget (
  budget_id  VARCHAR(128)  NOT NULL PRIMARY KEY,
  epsilon    VARCHAR(200)  NOT NULL,  -- an exact fraction, e.g. 1/4
  delta      VARCHAR(200)  NOT NULL,
  pinned_at  BIGINT        NOT NULL   -- epoch milliseconds
);
