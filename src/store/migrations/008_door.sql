-- Version 8: the door. A check-in admits a booked ticket once; undoing one (a manager's
-- correction) keeps the row, marked, so a ticket can be admitted again only after a recorded
-- undo. The show is kept beside the ticket for the door's running count.
CREATE TABLE checkin (
    id          INTEGER PRIMARY KEY,
    ticket_id   INTEGER NOT NULL REFERENCES ticket(id),
    slot_id     INTEGER NOT NULL REFERENCES slot(id),
    at          TEXT NOT NULL,
    door        TEXT NOT NULL,
    operator    TEXT NOT NULL,
    forced      INTEGER NOT NULL DEFAULT 0 CHECK (forced IN (0, 1)),
    undone_at   TEXT,
    undone_by   TEXT,
    CHECK ((undone_at IS NULL) = (undone_by IS NULL))
);
-- A ticket is admitted once: at most one check-in of it stands.
CREATE UNIQUE INDEX checkin_once ON checkin (ticket_id) WHERE undone_at IS NULL;
CREATE INDEX checkin_by_slot ON checkin (slot_id) WHERE undone_at IS NULL;

-- Only a booked ticket of its own show is admitted.
CREATE TRIGGER checkin_booked_ticket BEFORE INSERT ON checkin
WHEN NOT EXISTS (SELECT 1 FROM ticket t WHERE t.id = NEW.ticket_id AND t.status = 'booked' AND t.slot_id = NEW.slot_id)
BEGIN
    SELECT RAISE(ABORT, 'only a booked ticket of its show can be checked in');
END;
