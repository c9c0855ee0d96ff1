-- privseg consent, schema version 15: data subject requests with their time limits. A request
-- is logged when it is received (OPEN), may be extended once with a reason (EXTENDED), and is
-- answered (COMPLETED or REFUSED) at closed_at. Requests logged before this version were
-- handled on receipt: they are COMPLETED, closed when received, with no regime or due time.

ALTER TABLE privseg_subject_request ADD COLUMN status VARCHAR(12) DEFAULT 'COMPLETED' NOT NULL;
ALTER TABLE privseg_subject_request ADD COLUMN regime VARCHAR(8);
ALTER TABLE privseg_subject_request ADD COLUMN due_at BIGINT;        -- epoch milliseconds
ALTER TABLE privseg_subject_request ADD COLUMN extension VARCHAR(512);
ALTER TABLE privseg_subject_request ADD COLUMN closed_at BIGINT;     -- epoch milliseconds

UPDATE privseg_subject_request SET closed_at = received_at;

-- Open and overdue requests are listed by status and due time.
CREATE INDEX privseg_subject_request_open ON privseg_subject_request (status, due_at);

UPDATE privseg_setting SET setting = '15' WHERE name = 'schema_version';
