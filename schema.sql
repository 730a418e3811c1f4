-- Ticketly schema, version 1. Applied by the program (it is embedded in the binary);
-- later versions add numbered migration steps in src/store/migrate.rs.
-- Times are local wall-clock text 'YYYY-MM-DD HH:MM:SS' (sortable); money is integer minor units.

CREATE TABLE cinema (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL UNIQUE,
    city  TEXT NOT NULL
);

CREATE TABLE hall (
    id         INTEGER PRIMARY KEY,
    cinema_id  INTEGER NOT NULL REFERENCES cinema(id),
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    layout     TEXT NOT NULL              -- canonical layout text, as in assets/*.layout
);

CREATE TABLE seat (
    id         INTEGER PRIMARY KEY,
    hall_id    INTEGER NOT NULL REFERENCES hall(id),
    row_label  TEXT NOT NULL,
    number     INTEGER NOT NULL CHECK (number > 0),
    category   TEXT NOT NULL CHECK (category IN ('Regular', 'Premium', 'Accessible', 'VIP')),
    grid_row   INTEGER NOT NULL,
    grid_col   INTEGER NOT NULL,
    UNIQUE (hall_id, row_label, number)
);

CREATE TABLE slot (
    id           INTEGER PRIMARY KEY,
    hall_id      INTEGER NOT NULL REFERENCES hall(id),
    name         TEXT NOT NULL,
    description  TEXT NOT NULL DEFAULT '',
    kind         TEXT NOT NULL DEFAULT 'Movie',
    genre        TEXT NOT NULL DEFAULT '',
    starts_at    TEXT NOT NULL,
    ends_at      TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    CHECK (ends_at > starts_at)
);
CREATE INDEX slot_by_start ON slot (starts_at);
CREATE INDEX slot_by_end ON slot (ends_at);
CREATE INDEX slot_by_hall ON slot (hall_id, starts_at);
CREATE INDEX slot_by_name ON slot (name COLLATE NOCASE, starts_at);

-- A hall never holds two slots that overlap in time.
CREATE TRIGGER slot_no_overlap BEFORE INSERT ON slot
WHEN EXISTS (SELECT 1 FROM slot s
             WHERE s.hall_id = NEW.hall_id AND s.starts_at < NEW.ends_at AND s.ends_at > NEW.starts_at)
BEGIN
    SELECT RAISE(ABORT, 'slot overlaps another slot in the same hall');
END;

CREATE TABLE slot_price (
    slot_id   INTEGER NOT NULL REFERENCES slot(id),
    category  TEXT NOT NULL,
    amount    INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (slot_id, category)
) WITHOUT ROWID;

CREATE TABLE customer (
    id     INTEGER PRIMARY KEY,
    name   TEXT,
    phone  TEXT
);

-- One sale: 1 to 10 tickets for one slot, paid one way, by one operator.
CREATE TABLE booking (
    id           INTEGER PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE,
    slot_id      INTEGER NOT NULL REFERENCES slot(id),
    customer_id  INTEGER REFERENCES customer(id),      -- NULL for a walk-in
    method       TEXT NOT NULL CHECK (method IN ('cash', 'card')),
    total        INTEGER NOT NULL CHECK (total >= 0),
    operator     TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX booking_by_slot ON booking (slot_id);

CREATE TABLE ticket (
    id               INTEGER PRIMARY KEY,
    code             TEXT NOT NULL UNIQUE,
    booking_id       INTEGER NOT NULL REFERENCES booking(id),
    slot_id          INTEGER NOT NULL REFERENCES slot(id),
    seat_id          INTEGER NOT NULL REFERENCES seat(id),
    price            INTEGER NOT NULL CHECK (price >= 0),
    status           TEXT NOT NULL CHECK (status IN ('held', 'booked', 'canceled', 'expired', 'archived')),
    hold_expires_at  TEXT,                                  -- set while status = 'held'
    created_at       TEXT NOT NULL,
    changed_at       TEXT NOT NULL,
    replaces_id      INTEGER REFERENCES ticket(id),         -- the ticket a rebooking archived
    CHECK ((status = 'held') = (hold_expires_at IS NOT NULL))
);
-- The last line against double-selling: at most one live ticket per seat of a slot.
CREATE UNIQUE INDEX ticket_one_live_per_seat ON ticket (slot_id, seat_id) WHERE status IN ('held', 'booked');
CREATE INDEX ticket_by_slot ON ticket (slot_id, status);
CREATE INDEX ticket_by_booking ON ticket (booking_id);
CREATE INDEX ticket_by_replaces ON ticket (replaces_id) WHERE replaces_id IS NOT NULL;
CREATE INDEX ticket_holds ON ticket (hold_expires_at) WHERE status = 'held';

-- A ticket's seat must belong to its slot's hall.
CREATE TRIGGER ticket_seat_in_hall BEFORE INSERT ON ticket
WHEN (SELECT hall_id FROM seat WHERE id = NEW.seat_id) IS NOT (SELECT hall_id FROM slot WHERE id = NEW.slot_id)
BEGIN
    SELECT RAISE(ABORT, 'seat is not in the slot''s hall');
END;

-- Money in and out: a sale's payment, a cancellation's refund, a rebooking's difference.
CREATE TABLE payment (
    id          INTEGER PRIMARY KEY,
    booking_id  INTEGER NOT NULL REFERENCES booking(id),
    kind        TEXT NOT NULL CHECK (kind IN ('sale', 'refund')),
    method      TEXT NOT NULL CHECK (method IN ('cash', 'card')),
    amount      INTEGER NOT NULL CHECK (amount >= 0),
    tickets     INTEGER NOT NULL CHECK (tickets >= 0),      -- tickets sold or refunded by it
    operator    TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX payment_by_time ON payment (created_at);
