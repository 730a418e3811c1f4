-- Version 10 (see ../010_journal_chain.sql): the journal as a hash chain holding every payment.
ALTER TABLE journal ADD COLUMN seq BIGINT;
ALTER TABLE journal ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE journal ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE UNIQUE INDEX journal_by_seq ON journal (seq) WHERE seq IS NOT NULL;
CREATE INDEX journal_unsealed ON journal (id) WHERE hash = '';

CREATE FUNCTION journal_append_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path FROM CURRENT
    AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.hash <> '' OR NEW.id IS DISTINCT FROM OLD.id
       OR (NEW.at IS DISTINCT FROM OLD.at AND (SELECT converted FROM time_zone WHERE id = 1) <> '')
       OR NEW.operator IS DISTINCT FROM OLD.operator OR NEW.action IS DISTINCT FROM OLD.action
       OR NEW.detail IS DISTINCT FROM OLD.detail THEN
        RAISE EXCEPTION 'the journal is append-only' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER journal_append_only BEFORE UPDATE OR DELETE ON journal
    FOR EACH ROW EXECUTE FUNCTION journal_append_only();

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
