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
