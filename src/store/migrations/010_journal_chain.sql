-- Version 10: the journal is a hash chain, and it holds every payment. An entry is written in
-- the transaction of what it records, then chained ("sealed") in the order it is sealed:
-- `seq`, the SHA-256 of the entry before and its own (over a canonical encoding, see
-- src/store/journal.rs). Sealing takes the journal's lock only for itself, so sales of
-- different shows never wait for each other. The database refuses to remove an entry, or to
-- change one except to seal it once.
ALTER TABLE journal ADD COLUMN seq INTEGER;
ALTER TABLE journal ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE journal ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX journal_by_seq ON journal (seq) WHERE seq IS NOT NULL;
CREATE INDEX journal_unsealed ON journal (id) WHERE hash = '';

CREATE TRIGGER journal_no_edit BEFORE UPDATE ON journal
WHEN OLD.hash <> '' OR NEW.id IS NOT OLD.id OR NEW.operator IS NOT OLD.operator
  -- A database from before version 6 has its wall-clock times converted once, after this step.
  OR (NEW.at IS NOT OLD.at AND (SELECT converted FROM time_zone WHERE id = 1) <> '')
  OR NEW.action IS NOT OLD.action OR NEW.detail IS NOT OLD.detail
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only');
END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only');
END;

-- The payments made before this version, as the program journals every payment since.
INSERT INTO journal (at, operator, action, detail)
SELECT created_at, operator, 'payment',
       '{"booking_id":' || booking_id || ',"kind":"' || kind || '","method":"' || method || '","amount":' || amount
       || ',"tickets":' || tickets || ',"type":"' || ticket_type || '"}'
  FROM payment ORDER BY id;

-- The check-ins made before, as the program journals every check-in and undo since.
INSERT INTO journal (at, operator, action, detail)
SELECT at, operator, 'check-in', '{"ticket_id":' || ticket_id || '}' FROM checkin ORDER BY id;
INSERT INTO journal (at, operator, action, detail)
SELECT undone_at, undone_by, 'check-in undone', '{"ticket_id":' || ticket_id || '}'
  FROM checkin WHERE undone_at IS NOT NULL ORDER BY id;

-- The till sessions before, as the program journals every opening and closing since.
INSERT INTO journal (at, operator, action, detail)
SELECT opened_at, operator, 'till opened', '{"session_id":' || id || ',"float":' || float || '}' FROM till_session ORDER BY id;
INSERT INTO journal (at, operator, action, detail)
SELECT closed_at, operator, 'till closed', '{"session_id":' || id || ',"counted":' || counted || '}'
  FROM till_session WHERE closed_at IS NOT NULL ORDER BY id;
