-- privseg consent, schema version 20: status snapshots. Each purpose's subjects' consent states,
-- folded under one policy up to one ledger position (head_seq, head_hash) and instant
-- (folded_at), with the weekly flows until then, so that a compliance status reads them and the
-- events appended since instead of every event. One snapshot per purpose; a new one replaces it.
-- The parts are binary (ledger keys and states, never an identifier); their SHA-256 is digest.

CREATE TABLE privseg_status_snapshot (
  snapshot_id  BIGINT       NOT NULL PRIMARY KEY,
  purpose      VARCHAR(64)  NOT NULL,
  policy       VARCHAR(512) NOT NULL,
  head_seq     BIGINT       NOT NULL,
  head_hash    VARCHAR(64)  NOT NULL,
  folded_at    BIGINT       NOT NULL,  -- epoch milliseconds
  taken_at     BIGINT       NOT NULL,  -- epoch milliseconds
  subjects     BIGINT       NOT NULL,
  digest       CHAR(64)     NOT NULL
);

CREATE TABLE privseg_status_snapshot_part (
  snapshot_id  BIGINT  NOT NULL,
  part         INT     NOT NULL,
  data         BYTEA   NOT NULL,
  PRIMARY KEY (snapshot_id, part)
);

UPDATE privseg_setting SET setting = '20' WHERE name = 'schema_version';
