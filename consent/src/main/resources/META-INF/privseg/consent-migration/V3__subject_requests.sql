-- privseg consent, schema version 3: the log of data subject requests (who asked, when, what was
-- done), naming the subject only by its lookup key and holding no personal values.

CREATE TABLE privseg_subject_request (
  request_id   VARCHAR(36)   NOT NULL PRIMARY KEY,
  request_type VARCHAR(20)   NOT NULL,
  subject_key  CHAR(32)      NOT NULL,
  received_at  BIGINT        NOT NULL,  -- epoch milliseconds
  actor        VARCHAR(128)  NOT NULL,
  outcome      VARCHAR(512)  NOT NULL,
  logged_seq   BIGINT        NOT NULL
);
