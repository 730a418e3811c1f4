-- Version 7 (see ../007_price_cards.sql): ticket types, price cards, shows priced per type.
CREATE TABLE ticket_type (
    name        TEXT NOT NULL PRIMARY KEY,
    position    BIGINT NOT NULL,
    is_default  BIGINT NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1))
);
CREATE UNIQUE INDEX ticket_type_by_lower_name ON ticket_type (lower(name));
CREATE UNIQUE INDEX ticket_type_one_default ON ticket_type (is_default) WHERE is_default = 1;
INSERT INTO ticket_type (name, position, is_default) VALUES ('Adult', 1, 1);

CREATE TABLE price_card (
    card         TEXT NOT NULL,
    ticket_type  TEXT NOT NULL REFERENCES ticket_type(name),
    category     TEXT NOT NULL CHECK (category IN ('Regular', 'Premium', 'Accessible', 'VIP')),
    amount       BIGINT NOT NULL CHECK (amount >= 0),
    PRIMARY KEY (card, ticket_type, category)
);

ALTER TABLE slot ADD COLUMN card TEXT;

ALTER TABLE slot_price ADD COLUMN ticket_type TEXT NOT NULL DEFAULT 'Adult' REFERENCES ticket_type(name);
ALTER TABLE slot_price ALTER COLUMN ticket_type DROP DEFAULT;
ALTER TABLE slot_price DROP CONSTRAINT slot_price_pkey;
ALTER TABLE slot_price ADD PRIMARY KEY (slot_id, ticket_type, category);

ALTER TABLE ticket ADD COLUMN ticket_type TEXT NOT NULL DEFAULT 'Adult';
ALTER TABLE payment ADD COLUMN ticket_type TEXT NOT NULL DEFAULT 'Adult';

-- A ticket's type must be one its show prices for its seat's category.
CREATE FUNCTION ticket_type_priced() RETURNS trigger
    LANGUAGE plpgsql SET search_path FROM CURRENT
    AS $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM slot_price p JOIN seat s ON s.id = NEW.seat_id
                    WHERE p.slot_id = NEW.slot_id AND p.ticket_type = NEW.ticket_type AND p.category = s.category) THEN
        RAISE EXCEPTION 'the show does not price this ticket type for this seat' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER ticket_type_priced BEFORE INSERT OR UPDATE OF ticket_type ON ticket
    FOR EACH ROW EXECUTE FUNCTION ticket_type_priced();
