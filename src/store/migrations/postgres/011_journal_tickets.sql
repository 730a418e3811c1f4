-- Version 11 (see ../011_journal_tickets.sql): the tickets written before the journal knew them.
INSERT INTO journal (at, operator, action, detail)
SELECT MAX(created_at), 'ticketly', 'tickets before the journal', '{"through_ticket_id":' || MAX(id) || '}'
  FROM ticket HAVING COUNT(*) > 0;
