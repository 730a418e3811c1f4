-- Version 5: the journal. What was done outside the everyday rules (an `expire --at` a future
-- time with --force, a refund past the cut-off with --force, ...) is written here, in the same
-- transaction as the change itself, so nobody can do it without a trace.
CREATE TABLE journal (
    id        INTEGER PRIMARY KEY,
    at        TEXT NOT NULL,             -- the real clock when it was done, a store time
    operator  TEXT NOT NULL,
    action    TEXT NOT NULL,             -- e.g. 'expire --force', 'cancel --force'
    detail    TEXT NOT NULL DEFAULT ''
);
CREATE INDEX journal_by_time ON journal (at);

-- The overlap rule, index-backed. The old trigger scanned every earlier show of the hall for
-- each insert (an import of 50,000 shows into one hall took minutes). Shows already in a hall
-- never overlap each other, so only two places can clash with a new one: a show starting
-- within it, and the last show starting before it, if that one runs past its start. Both are
-- one probe of slot_by_hall (hall_id, starts_at).
DROP TRIGGER slot_no_overlap;
CREATE TRIGGER slot_no_overlap BEFORE INSERT ON slot
WHEN EXISTS (SELECT 1 FROM slot s
             WHERE s.hall_id = NEW.hall_id AND s.starts_at >= NEW.starts_at AND s.starts_at < NEW.ends_at)
  OR (SELECT s.ends_at FROM slot s
       WHERE s.hall_id = NEW.hall_id AND s.starts_at < NEW.starts_at
       ORDER BY s.starts_at DESC LIMIT 1) > NEW.starts_at
BEGIN
    SELECT RAISE(ABORT, 'slot overlaps another slot in the same hall');
END;
