-- privseg consent, schema version 12: erasure and membership registration serialize on this
-- row. An erasure locks it, deletes the subject's directory entry and records when it happened
-- (the time of the latest erasure only, naming no one); a registration locks it and, if a subject
-- was erased since its run started, registers only pseudonyms the directory still holds.

INSERT INTO privseg_setting (name, setting) VALUES ('last_erasure_at', '0');
