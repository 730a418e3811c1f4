//! Check-in at the door: a ticket code (or a booking's) admits its booked tickets once, inside
//! the door's window; a refusal says why and writes nothing. The show's lock is taken first,
//! so a check-in and a cancellation of the same ticket at a counter never cross.

use super::engine::{Engine, args};
use super::records::{booking_by_code, journal};
use super::tickets::{find_ticket_id, ticket_by_id};
use super::{Error, Result, Store};
use crate::domain::codes::{BOOKING_PREFIX, normalize_code};
use crate::domain::door::{Admission, Refusal};
use crate::domain::error::not_found;
use crate::domain::model::{SlotId, TicketDetails, TicketStatus};
use crate::domain::policy::Policy;
use crate::domain::text::excerpt;
use crate::domain::time::{Time, read_store_time, store_time};

/// Where a scan happens: which door, who is on it, and which show it admits (any show whose
/// door is open, without one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Door {
    pub name: String,
    pub operator: String,
    pub slot: Option<SlotId>,
}

impl Store {
    /// Admits the ticket `code` names, or every booked ticket of a booking not yet in. `force`
    /// admits outside the door's window (recorded in the journal). Unknown codes are not found;
    /// a ticket that may not enter comes back as the refusal, with nothing written.
    pub fn check_in(
        &mut self,
        code: &str,
        door: &Door,
        force: bool,
        now: Time,
        policy: &Policy,
    ) -> Result<std::result::Result<Vec<Admission>, Refusal>> {
        let code = normalize_code(code);
        // A scanner types letters, digits and a dash: anything else is a misread, not a code.
        if code.is_empty() || code.len() > 20 || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(crate::domain::error::invalid(format!(
                "invalid code '{}': it looks like TKT-7F3K9Q or BKG-2M8D4A",
                excerpt(&code)
            ))
            .into());
        }
        // A refusal rolls the transaction back (nothing is written, and an approval given for
        // a forced check-in is not journalled for a check-in that did not happen).
        let mut refused: Option<Refusal> = None;
        let done = self.write(|tx| {
            let tickets = scanned_tickets(tx, &code)?;
            let Some(first) = tickets.first() else {
                return Err(not_found(format!("no ticket or booking '{}'", excerpt(&code))).into());
            };
            tx.lock_slot(first.slot.id)?;
            // Read again under the show's lock: a counter may have just cancelled or rebooked it.
            let tickets = scanned_tickets(tx, &code)?;
            let mut refusal: Option<Refusal> = None;
            let mut admit = Vec::new();
            for t in &tickets {
                match admissible(tx, t, door, force, now, policy)? {
                    Ok(()) => admit.push(t),
                    // A booking that was partly rebooked: the new ticket is the news to give.
                    Err(r) if refusal.is_none() || matches!(r, Refusal::Rebooked { .. }) => refusal = Some(r),
                    Err(_) => {}
                }
            }
            if admit.is_empty() {
                refused = Some(refusal.unwrap_or(Refusal::NotLive { code: code.clone(), status: first.status }));
                return Err(Error::Database("refused at the door".into()));
            }
            let at = store_time(&now);
            let mut admitted = Vec::new();
            for t in admit {
                let id = find_ticket_id(tx, &t.code)?;
                tx.execute(
                    "INSERT INTO checkin (ticket_id, slot_id, at, door, operator, forced) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                    args![id, t.slot.id, at, door.name, door.operator, i64::from(force)],
                )?;
                // Journalled with it: a check-in row added or removed by hand is caught by verify.
                let detail = serde_json::json!({"ticket_id": id, "door": door.name}).to_string();
                super::journal::record(tx, now, &door.operator, "check-in", &detail)?;
                if force && policy.check_door(&t.slot, now).is_err() {
                    journal(tx, now, &door.operator, "checkin forced", &format!("{} at the {} door", t.code, door.name))?;
                }
                admitted.push(Admission {
                    code: t.code.clone(),
                    seat: t.seat.clone(),
                    category: t.category,
                    ticket_type: t.ticket_type.clone(),
                    slot: t.slot.clone(),
                    customer: t.customer.clone(),
                    checked_in: now,
                    forced: force,
                });
            }
            Ok(admitted)
        });
        match (done, refused) {
            (_, Some(refusal)) => Ok(Err(refusal)),
            (done, None) => done.map(Ok),
        }
    }

    /// Reverses the standing check-ins of a ticket (or a booking's), recorded with who and
    /// when; returns how many. Refused when none stands.
    pub fn undo_check_in(&mut self, code: &str, operator: &str, now: Time) -> Result<usize> {
        let code = normalize_code(code);
        self.write(|tx| {
            let tickets = scanned_tickets(tx, &code)?;
            let mut undone = 0;
            for t in &tickets {
                let id = find_ticket_id(tx, &t.code)?;
                let n = tx.execute(
                    "UPDATE checkin SET undone_at = ?2, undone_by = ?3 WHERE ticket_id = ?1 AND undone_at IS NULL",
                    args![id, store_time(&now), operator],
                )?;
                if n > 0 {
                    let detail = serde_json::json!({"ticket_id": id}).to_string();
                    super::journal::record(tx, now, operator, "check-in undone", &detail)?;
                }
                undone += n;
            }
            if undone == 0 {
                return Err(
                    crate::domain::error::conflict(format!("'{code}' is not checked in: nothing to undo")).into()
                );
            }
            journal(tx, now, operator, "checkin undone", &code)?;
            Ok(undone)
        })
    }

    /// The show someone was last admitted to (a door screen that restarts counts for it).
    pub fn last_admitted_show(&mut self) -> Result<Option<SlotId>> {
        self.read(|tx| {
            tx.query_opt("SELECT slot_id FROM checkin WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1", args![], |r| {
                r.get(0)
            })
        })
    }

    /// (admitted, booked) for the door's running count of `slot`.
    pub fn door_count(&mut self, slot: SlotId) -> Result<(usize, usize)> {
        self.read(|tx| {
            let admitted: i64 = tx.value(ADMITTED_TO_SLOT, args![slot])?;
            let booked: i64 =
                tx.value("SELECT COUNT(*) FROM ticket WHERE slot_id = ?1 AND status = 'booked'", args![slot])?;
            Ok((admitted as usize, booked as usize))
        })
    }
}

/// Tickets admitted to a show that are still its (a ticket cancelled or rebooked away after it
/// was admitted, with `--force`, no longer counts).
pub(super) const ADMITTED_TO_SLOT: &str = "SELECT COUNT(*) FROM checkin c JOIN ticket t ON t.id = c.ticket_id
  WHERE c.slot_id = ?1 AND c.undone_at IS NULL AND t.status IN ('booked', 'expired')";

/// The tickets a scanned code names: the ticket, or a booking's tickets.
fn scanned_tickets(tx: &dyn Engine, code: &str) -> Result<Vec<TicketDetails>> {
    if code.starts_with(&format!("{BOOKING_PREFIX}-")) {
        let Ok((booking, _)) = booking_by_code(tx, code) else { return Ok(Vec::new()) };
        let ids: Vec<i64> = tx.column("SELECT id FROM ticket WHERE booking_id = ?1 ORDER BY id", args![booking])?;
        return ids.into_iter().map(|id| ticket_by_id(tx, id)).collect();
    }
    match find_ticket_id(tx, code) {
        Ok(id) => Ok(vec![ticket_by_id(tx, id)?]),
        Err(super::Error::Domain(crate::domain::Error::NotFound(_))) => Ok(Vec::new()),
        Err(other) => Err(other),
    }
}

/// Whether `ticket` may enter through `door` now.
fn admissible(
    tx: &dyn Engine,
    ticket: &TicketDetails,
    door: &Door,
    force: bool,
    now: Time,
    policy: &Policy,
) -> Result<std::result::Result<(), Refusal>> {
    let code = ticket.code.clone();
    match ticket.status {
        TicketStatus::Booked => {}
        TicketStatus::Archived => return Ok(Err(Refusal::Rebooked { code, to: live_replacement(tx, ticket)? })),
        status => return Ok(Err(Refusal::NotLive { code, status })),
    }
    // Its own show's door first: a ticket for tonight's later show in the same hall is early,
    // not for another hall.
    if !force && let Err(refusal) = policy.check_door(&ticket.slot, now) {
        return Ok(Err(refusal));
    }
    if let Some(slot) = door.slot
        && slot != ticket.slot.id
    {
        return Ok(Err(Refusal::OtherShow { code, slot: Box::new(ticket.slot.clone()) }));
    }
    let standing: Option<(String, String)> = tx.query_opt(
        "SELECT c.at, c.door FROM checkin c JOIN ticket t ON t.id = c.ticket_id
          WHERE t.code = ?1 AND c.undone_at IS NULL",
        args![code],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if let Some((at, door)) = standing {
        return Ok(Err(Refusal::AlreadyIn { code, at: read_store_time(&at)?, door }));
    }
    Ok(Ok(()))
}

/// The ticket a rebooked one finally became (a ticket can be rebooked more than once).
fn live_replacement(tx: &dyn Engine, ticket: &TicketDetails) -> Result<String> {
    let mut current = ticket.clone();
    for _ in 0..100 {
        match &current.replaced_by {
            Some(next) => current = ticket_by_id(tx, find_ticket_id(tx, next)?)?,
            None => break,
        }
    }
    Ok(current.code)
}

/// When and where a ticket was admitted, if a check-in of it stands (for cancelling and
/// rebooking, which refuse a ticket that is inside without `--force`).
pub(super) fn standing_check_in(tx: &dyn Engine, ticket: i64) -> Result<Option<(Time, String)>> {
    let row: Option<(String, String)> =
        tx.query_opt("SELECT at, door FROM checkin WHERE ticket_id = ?1 AND undone_at IS NULL", args![ticket], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    row.map(|(at, door)| Ok((read_store_time(&at)?, door))).transpose()
}

/// Refuses to cancel or rebook a ticket that was checked in, unless forced.
pub(super) fn refuse_if_inside(tx: &dyn Engine, ticket: i64, code: &str, force: bool) -> Result<()> {
    if force {
        return Ok(());
    }
    if let Some((at, door)) = standing_check_in(tx, ticket)? {
        return Err(crate::domain::error::conflict(format!(
            "{code} was checked in at {} at the {door} door: that needs --force",
            crate::domain::time::local(&at).format("%H:%M")
        ))
        .into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::SeatRequest;
    use crate::store::test_support::{each_engine, small_show, t, walk_in};

    #[test]
    fn the_database_refuses_a_second_check_in_and_one_of_a_ticket_that_is_not_booked() {
        each_engine(|db| {
            let (mut store, slot) = small_show(db, 1, 4);
            let p = Policy::default();
            let sale = store.sell(&walk_in(slot, SeatRequest::Count(2)), t("2026-11-23 12:00"), &p).expect("sale");
            let door = Door { name: "main".into(), operator: "usher".into(), slot: None };
            let admitted = store.check_in(&sale.tickets[0].code, &door, false, t("2026-11-23 19:30"), &p);
            assert_eq!(admitted.expect("check-in").expect("admitted").len(), 1);
            // Straight into the table, past the program's checks: the schema's rules hold.
            let code = &sale.tickets[0].code;
            let again = format!(
                "INSERT INTO checkin (ticket_id, slot_id, at, door, operator)
                 SELECT id, slot_id, '2026-11-23 19:40:00', 'side', 'x' FROM ticket WHERE code = '{code}'"
            );
            assert!(store.write(|tx| tx.batch(&again)).is_err(), "a second check-in of one ticket");
            store.cancel(&sale.tickets[1].code, "till1", false, t("2026-11-23 12:00"), &p).expect("cancel");
            let cancelled = &sale.tickets[1].code;
            let sneak = format!(
                "INSERT INTO checkin (ticket_id, slot_id, at, door, operator)
                 SELECT id, slot_id, '2026-11-23 19:40:00', 'side', 'x' FROM ticket WHERE code = '{cancelled}'"
            );
            let refused = store.write(|tx| tx.batch(&sneak)).expect_err("a cancelled ticket");
            assert!(refused.to_string().contains("only a booked ticket"), "{refused}");
            assert_eq!(store.door_count(slot).expect("count").0, 1);
            // Journalled: a check-in row removed by hand is caught.
            assert!(store.verify_journal(None).is_ok());
            store.write(|tx| tx.batch("DELETE FROM checkin")).expect("tampered");
            let caught = store.verify_journal(None).expect_err("caught");
            assert!(caught.to_string().contains("check-ins no longer agree"), "{caught}");
        });
    }
}
