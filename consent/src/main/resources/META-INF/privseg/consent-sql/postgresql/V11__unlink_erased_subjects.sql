-- privseg consent, schema version 11, for PostgreSQL, in SQL: what privseg's own migration does
-- in Java (UnlinkErasedSubjects), for hosts that apply the consent schema themselves. Apply it in
-- place of version 11, between consent-migration/V10 and V12.
-- After erasure nothing stored may link the remaining records to the person: request-log entries
-- of erased subjects lose their subject key (the keyed hash of the identifier, as 32 hexadecimal
-- digits of the tombstone's two 64-bit halves), and tombstones lose their erasure time.

UPDATE privseg_subject_request SET subject_key = '00000000000000000000000000000000'
 WHERE subject_key IN (
   SELECT lpad(to_hex(lookup_high), 16, '0') || lpad(to_hex(lookup_low), 16, '0')
     FROM privseg_erased_subject);

ALTER TABLE privseg_erased_subject DROP COLUMN erased_at;
