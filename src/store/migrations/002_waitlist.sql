-- Version 2: the waiting list. Customers wait for a slot in arrival order (id order); when
-- seats come free, the first whose request fits gets them held under a booking ('offered').
CREATE TABLE waitlist (
    id          INTEGER PRIMARY KEY,
    slot_id     INTEGER NOT NULL REFERENCES slot(id),
    name        TEXT NOT NULL,
    phone       TEXT,
    seats       INTEGER NOT NULL CHECK (seats BETWEEN 1 AND 10),
    status      TEXT NOT NULL CHECK (status IN ('waiting', 'offered', 'served', 'removed', 'unfulfillable', 'lapsed')),
    booking_id  INTEGER REFERENCES booking(id),       -- the hold made when the seats were offered
    note        TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL,
    changed_at  TEXT NOT NULL,
    CHECK (status NOT IN ('offered', 'served', 'lapsed') OR booking_id IS NOT NULL)
);
CREATE INDEX waitlist_queue ON waitlist (slot_id, status, id);
