-- Version 7: price cards. Ticket types (Adult, Child, Senior, …) are theatre-wide, one of them
-- the default; a price card prices types per seat category; a show's prices are copied from a
-- card (or typed) per type and category when it is scheduled, so editing a card never reprices
-- a show already on sale. Every ticket, and every payment line, records its type.
CREATE TABLE ticket_type (
    name        TEXT NOT NULL PRIMARY KEY COLLATE NOCASE,
    position    INTEGER NOT NULL,
    is_default  INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1))
);
CREATE UNIQUE INDEX ticket_type_one_default ON ticket_type (is_default) WHERE is_default = 1;
INSERT INTO ticket_type (name, position, is_default) VALUES ('Adult', 1, 1);

CREATE TABLE price_card (
    card         TEXT NOT NULL COLLATE NOCASE,
    ticket_type  TEXT NOT NULL COLLATE NOCASE REFERENCES ticket_type(name),
    category     TEXT NOT NULL CHECK (category IN ('Regular', 'Premium', 'Accessible', 'VIP')),
    amount       INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (card, ticket_type, category)
) WITHOUT ROWID;

-- The card a show was priced from, for reports (NULL: priced with --price only).
ALTER TABLE slot ADD COLUMN card TEXT;

-- The shows priced so far priced the default type.
CREATE TABLE slot_price_by_type (
    slot_id      INTEGER NOT NULL REFERENCES slot(id),
    ticket_type  TEXT NOT NULL COLLATE NOCASE REFERENCES ticket_type(name),
    category     TEXT NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (slot_id, ticket_type, category)
) WITHOUT ROWID;
INSERT INTO slot_price_by_type (slot_id, ticket_type, category, amount)
    SELECT slot_id, 'Adult', category, amount FROM slot_price;
DROP TABLE slot_price;
ALTER TABLE slot_price_by_type RENAME TO slot_price;

ALTER TABLE ticket ADD COLUMN ticket_type TEXT NOT NULL DEFAULT 'Adult' COLLATE NOCASE;
ALTER TABLE payment ADD COLUMN ticket_type TEXT NOT NULL DEFAULT 'Adult' COLLATE NOCASE;

-- A ticket's type must be one its show prices for its seat's category.
CREATE TRIGGER ticket_type_priced BEFORE INSERT ON ticket
WHEN NOT EXISTS (SELECT 1 FROM slot_price p JOIN seat s ON s.id = NEW.seat_id
                  WHERE p.slot_id = NEW.slot_id AND p.ticket_type = NEW.ticket_type AND p.category = s.category)
BEGIN
    SELECT RAISE(ABORT, 'the show does not price this ticket type for this seat');
END;
CREATE TRIGGER ticket_type_priced_on_change BEFORE UPDATE OF ticket_type ON ticket
WHEN NOT EXISTS (SELECT 1 FROM slot_price p JOIN seat s ON s.id = NEW.seat_id
                  WHERE p.slot_id = NEW.slot_id AND p.ticket_type = NEW.ticket_type AND p.category = s.category)
BEGIN
    SELECT RAISE(ABORT, 'the show does not price this ticket type for this seat');
END;
