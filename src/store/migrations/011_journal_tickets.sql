-- Version 11: a sale, refund or rebooking journals the tickets it touched with its payments
-- (src/store/journal_tables.rs), so `journal verify` catches a ticket edited by hand (its seat,
-- type, price or status). The tickets already here were written before the journal knew them:
-- one mark entry says up to which ticket, and those stay vouched for by their payments.
INSERT INTO journal (at, operator, action, detail)
SELECT MAX(created_at), 'ticketly', 'tickets before the journal', '{"through_ticket_id":' || MAX(id) || '}'
  FROM ticket HAVING COUNT(*) > 0;
