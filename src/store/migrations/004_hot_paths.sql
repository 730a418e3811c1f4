-- Version 4: the hot paths of a large theatre (see README, Performance).
--
-- A watermark for `expire`, so that the cron job's usual run (nothing due) looks only at shows
-- that ended since the last run instead of probing every show ever held.
-- Invariant: no booked ticket belongs to a slot whose ends_at is before done_through.
-- `expire` checks slots ending from done_through up to its cutoff, then moves it to the cutoff.
CREATE TABLE expiry_mark (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    done_through  TEXT NOT NULL        -- a store time; '' (before every time) until the first run
);
INSERT INTO expiry_mark (id, done_through) VALUES (1, '');

-- A ticket booked into a show that ended behind the mark (a replayed day, an import) pulls the
-- mark back, so the next run expires it. Sales normally close before a show ends: no-op then.
CREATE TRIGGER ticket_booked_behind_expiry_mark AFTER INSERT ON ticket
WHEN NEW.status = 'booked'
 AND (SELECT ends_at FROM slot WHERE id = NEW.slot_id) < (SELECT done_through FROM expiry_mark WHERE id = 1)
BEGIN
    UPDATE expiry_mark SET done_through = (SELECT ends_at FROM slot WHERE id = NEW.slot_id) WHERE id = 1;
END;

CREATE TRIGGER ticket_rebooked_behind_expiry_mark AFTER UPDATE OF status, slot_id ON ticket
WHEN NEW.status = 'booked'
 AND (SELECT ends_at FROM slot WHERE id = NEW.slot_id) < (SELECT done_through FROM expiry_mark WHERE id = 1)
BEGIN
    UPDATE expiry_mark SET done_through = (SELECT ends_at FROM slot WHERE id = NEW.slot_id) WHERE id = 1;
END;

-- A show moved to end earlier, behind the mark, is looked at again too.
CREATE TRIGGER slot_moved_behind_expiry_mark AFTER UPDATE OF ends_at ON slot
WHEN NEW.ends_at < (SELECT done_through FROM expiry_mark WHERE id = 1)
BEGIN
    UPDATE expiry_mark SET done_through = NEW.ends_at WHERE id = 1;
END;

-- `expire` serves every live waiting list: find those without walking the list's whole history.
CREATE INDEX waitlist_live ON waitlist (status, slot_id, id);

-- A seat map reads a slot's live tickets from this index alone (seat and hold deadline included),
-- instead of looking up each ticket's row: same index count, so a sale writes no more.
DROP INDEX ticket_by_slot;
CREATE INDEX ticket_by_slot ON ticket (slot_id, status, seat_id, hold_expires_at);
