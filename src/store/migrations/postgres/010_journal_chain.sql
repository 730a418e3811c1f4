-- Version 10 (see ../010_journal_chain.sql): the journal as a hash chain, append-only.
ALTER TABLE journal ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE journal ADD COLUMN hash TEXT NOT NULL DEFAULT '';

CREATE FUNCTION journal_append_only() RETURNS trigger
    LANGUAGE plpgsql SET search_path FROM CURRENT
    AS $$
BEGIN
    IF TG_OP = 'DELETE' OR OLD.hash <> '' THEN
        RAISE EXCEPTION 'the journal is append-only' USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER journal_append_only BEFORE UPDATE OR DELETE ON journal
    FOR EACH ROW EXECUTE FUNCTION journal_append_only();
