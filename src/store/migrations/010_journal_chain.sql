-- Version 10: the journal is a hash chain. Each entry holds the SHA-256 of the one before and
-- its own (over a canonical encoding, see src/store/journal.rs); entries written before this
-- version are chained by the program the first time it writes or verifies. Once an entry has
-- its hash the database refuses to change or remove it.
ALTER TABLE journal ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE journal ADD COLUMN hash TEXT NOT NULL DEFAULT '';

CREATE TRIGGER journal_no_edit BEFORE UPDATE ON journal WHEN OLD.hash <> ''
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only');
END;
CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
BEGIN
    SELECT RAISE(ABORT, 'the journal is append-only');
END;
