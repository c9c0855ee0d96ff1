-- privseg consent, schema version 6: settings of the database, such as the scheme subject keys
-- are derived with. A database from before this version that already holds subjects was keyed
-- with scheme privseg-ledger-v1.

CREATE TABLE privseg_setting (
  name     VARCHAR(64)  NOT NULL PRIMARY KEY,
  setting  VARCHAR(256) NOT NULL
);
