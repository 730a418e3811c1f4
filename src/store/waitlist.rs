//! The waiting list of a slot, first come first served. When seats come free (a hold runs out
//! or is released, a ticket is cancelled or rebooked away), [`serve_waitlist`] runs in the same
//! transaction: in arrival order, the first waiting customer whose party fits gets the best
//! seats held for them. One whose party cannot be seated now (fewer seats left than wanted and
//! none held that might come back) gets a note saying so, for the counter to tell them, and keeps
//! their place in case of cancellations; once sales close, the rest of the list is unfulfillable.

use super::engine::{Engine, args};
use super::records::{confirm_in, insert_booking, insert_ticket, release_expired_holds};
use super::slots::{seat_map, slot_by_id};
use super::{Result, Store};
use crate::domain::best::best_seats;
use crate::domain::error::{conflict, invalid, not_found};
use crate::domain::model::{Customer, PaymentMethod, Sale, SlotId};
use crate::domain::policy::Policy;
use crate::domain::seatmap::SeatStatus;
use crate::domain::text::{clean, clean_phone};
use crate::domain::time::{Time, read_store_time, store_time};
pub use crate::domain::waitlist::{WaitStatus, WaitlistEntry};

impl Store {
    /// Puts a party on a slot's waiting list, and serves the list at once (seats may be free).
    pub fn waitlist_add(
        &mut self,
        slot: SlotId,
        name: &str,
        phone: Option<&str>,
        seats: usize,
        now: Time,
        policy: &Policy,
    ) -> Result<WaitlistEntry> {
        let name = clean("name", name, 100)?;
        let phone = clean_phone(phone)?;
        policy.check_count(seats)?;
        self.write(|tx| {
            tx.lock_slot(slot)?;
            let slot = slot_by_id(tx, slot)?;
            policy.check_sellable(&slot, now)?;
            let id = tx.insert(
                "INSERT INTO waitlist (slot_id, name, phone, seats, status, created_at, changed_at)
                 VALUES (?1, ?2, ?3, ?4, 'waiting', ?5, ?5) RETURNING id",
                args![slot.id, name, phone, seats, store_time(&now)],
            )?;
            serve_waitlist(tx, slot.id, now, policy)?;
            entry(tx, id)
        })
    }

    /// The waiting list of one slot, or of every slot, in arrival order, as it stands at `now`:
    /// offers that ran out are passed on first (so the list never shows a stale offer, with or
    /// without cron). Only then does reading it write; otherwise it is a plain read, so a
    /// counter showing the list takes no write lock.
    pub fn waitlist(&mut self, slot: Option<SlotId>, now: Time, policy: &Policy) -> Result<Vec<WaitlistEntry>> {
        let lapsed: Vec<SlotId> = self.read(|tx| tx.column(LAPSED_OFFERS, args![slot, store_time(&now)]))?;
        if !lapsed.is_empty() {
            self.write(|tx| {
                lapsed.iter().try_for_each(|s| {
                    tx.lock_slot(*s)?;
                    serve_waitlist(tx, *s, now, policy)
                })
            })?;
        }
        self.read(|tx| {
            let ids: Vec<i64> = tx.column(
                "SELECT id FROM waitlist WHERE CAST(?1 AS BIGINT) IS NULL OR slot_id = ?1 ORDER BY id",
                args![slot],
            )?;
            ids.into_iter().map(|id| entry(tx, id)).collect()
        })
    }

    /// Takes a party off the list; seats held for them go back on sale (and to the next in line).
    pub fn waitlist_remove(&mut self, id: i64, now: Time, policy: &Policy) -> Result<WaitlistEntry> {
        self.write(|tx| {
            tx.lock_slot(entry(tx, id)?.slot)?;
            let current = entry(tx, id)?;
            if !matches!(current.status, WaitStatus::Waiting | WaitStatus::Offered) {
                return Err(conflict(format!("waiting-list entry {id} is already {}", current.status.name())).into());
            }
            tx.execute(
                "UPDATE ticket SET status = 'canceled', hold_expires_at = NULL, changed_at = ?2
                  WHERE booking_id = (SELECT booking_id FROM waitlist WHERE id = ?1) AND status = 'held'",
                args![id, store_time(&now)],
            )?;
            set_status(tx, id, WaitStatus::Removed, "", now)?;
            serve_waitlist(tx, current.slot, now, policy)?;
            entry(tx, id)
        })
    }

    /// Sells the seats offered to a waiting party, when they come to pay.
    /// Sells the seats offered to entry `id`, as tickets of the types named in `types` (the
    /// rest the show's default type).
    pub fn waitlist_confirm(
        &mut self,
        id: i64,
        payment: PaymentMethod,
        types: &[(String, usize)],
        operator: &str,
        now: Time,
    ) -> Result<Sale> {
        // One transaction: the sale and the entry marked served, or neither.
        self.write(|tx| {
            tx.lock_slot(entry(tx, id)?.slot)?;
            let current = entry(tx, id)?;
            let (WaitStatus::Offered, Some(booking)) = (current.status, &current.booking) else {
                return Err(conflict(format!(
                    "waiting-list entry {id} has no seats offered (it is {})",
                    current.status.name()
                ))
                .into());
            };
            let customer = Customer { name: Some(current.name.clone()), phone: current.phone.clone() };
            let sale = confirm_in(tx, booking, &customer, payment, types, None, operator, now)?;
            set_status(tx, id, WaitStatus::Served, "", now)?;
            Ok(sale)
        })
    }
}

fn set_status(tx: &dyn Engine, id: i64, status: WaitStatus, note: &str, now: Time) -> Result<()> {
    tx.execute(
        "UPDATE waitlist SET status = ?2, note = ?3, changed_at = ?4 WHERE id = ?1",
        args![id, status.name(), note, store_time(&now)],
    )?;
    Ok(())
}

/// A slot's live waiting list (read on every sale, usually empty); sorted into arrival order
/// by the caller, because SQLite prepares this again on every use when it has an ORDER BY.
pub(super) const WAITLIST_QUEUE: &str = "SELECT id, status, seats, booking_id FROM waitlist
  WHERE slot_id = ?1 AND status IN ('waiting', 'offered')";

/// Slots with an offer whose hold has run out (`?1` one slot or all, `?2` now).
const LAPSED_OFFERS: &str = "SELECT DISTINCT w.slot_id FROM waitlist w JOIN ticket t ON t.booking_id = w.booking_id
  WHERE w.status = 'offered' AND (CAST(?1 AS BIGINT) IS NULL OR w.slot_id = ?1) AND t.status = 'held' AND t.hold_expires_at <= ?2";

/// Gives seats that came free to the waiting list of `slot`, first come first served. The
/// caller has locked the slot.
pub(super) fn serve_waitlist(tx: &dyn Engine, slot: SlotId, now: Time, policy: &Policy) -> Result<()> {
    let mut queue: Vec<(i64, String, usize, Option<i64>)> =
        tx.query_vec(WAITLIST_QUEUE, args![slot], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
    if queue.is_empty() {
        return Ok(());
    }
    queue.sort_by_key(|entry| entry.0);
    release_expired_holds(tx, slot, now)?;
    // Offers that were sold at a counter are served; offers whose hold ran out have lapsed.
    for (id, status, _, booking) in &queue {
        let Some(booking) = booking.filter(|_| status == "offered") else { continue };
        let (held, booked): (i64, i64) = tx.query_row(
            "SELECT COUNT(CASE WHEN status = 'held' THEN 1 END), COUNT(CASE WHEN status = 'booked' THEN 1 END)
               FROM ticket WHERE booking_id = ?1",
            args![booking],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        if booked > 0 {
            set_status(tx, *id, WaitStatus::Served, "", now)?;
        } else if held == 0 {
            set_status(tx, *id, WaitStatus::Lapsed, "the seats offered were not collected in time", now)?;
        }
    }
    let slot_info = slot_by_id(tx, slot)?;
    let on_sale = policy.check_sellable(&slot_info, now);
    let mut map = seat_map(tx, slot, now)?;
    let mut still_waiting = Vec::new();
    for (id, _, wanted, _) in queue.iter().filter(|q| q.1 == "waiting") {
        if let Err(e) = &on_sale {
            set_status(tx, *id, WaitStatus::Unfulfillable, &e.to_string(), now)?;
            continue;
        }
        let Some(ids) = best_seats(&map, *wanted) else {
            still_waiting.push((*id, *wanted));
            continue;
        };
        let seats: Vec<_> = ids.iter().filter_map(|i| map.by_id(*i).cloned()).collect();
        let total = seats.iter().map(|s| s.price).sum();
        let expires = now + chrono::Duration::minutes(policy.offer_minutes);
        let (booking_id, _) = insert_booking(tx, slot, None, PaymentMethod::Cash, total, "waiting list", now)?;
        for seat in &seats {
            insert_ticket(tx, booking_id, slot, seat, &slot_info.default_type, None, now, Some(expires))?;
        }
        tx.execute(
            "UPDATE waitlist SET status = 'offered', booking_id = ?2, note = '', changed_at = ?3 WHERE id = ?1",
            args![id, booking_id, store_time(&now)],
        )?;
        for seat in map.seats.iter_mut().filter(|s| ids.contains(&s.id)) {
            seat.status = SeatStatus::Held;
        }
    }
    // Told, not dropped: a cancellation may still free enough seats before sales close.
    let free = map.free_count();
    let held = map.seats.iter().filter(|s| s.status == SeatStatus::Held).count();
    for (id, wanted) in still_waiting {
        let note = if free + held < wanted {
            format!("cannot be seated now: {free} free, {held} held")
        } else {
            format!("waits for held seats to come free ({free} free)")
        };
        tx.execute(
            "UPDATE waitlist SET note = ?2, changed_at = ?3 WHERE id = ?1 AND note <> ?2",
            args![id, note, store_time(&now)],
        )?;
    }
    Ok(())
}

fn entry(tx: &dyn Engine, id: i64) -> Result<WaitlistEntry> {
    let row = tx
        .query_opt(
            "SELECT w.id, w.slot_id, w.name, w.phone, w.seats, w.status, b.code, w.note, w.created_at, w.booking_id
               FROM waitlist w LEFT JOIN booking b ON b.id = w.booking_id WHERE w.id = ?1",
            args![id],
            |r| {
                Ok((
                    (r.get::<i64>(0)?, r.get::<SlotId>(1)?, r.get::<String>(2)?, r.get::<Option<String>>(3)?),
                    (r.get::<i64>(4)?, r.get::<String>(5)?, r.get::<Option<String>>(6)?),
                    (r.get::<String>(7)?, r.get::<String>(8)?, r.get::<Option<i64>>(9)?),
                ))
            },
        )?
        .ok_or_else(|| not_found(format!("no waiting-list entry {id}")))?;
    let ((id, slot, name, phone), (seats, status, booking), (note, created, booking_id)) = row;
    let status = WaitStatus::parse(&status);
    let mut held_seats = Vec::new();
    let mut hold_expires = None;
    if let (WaitStatus::Offered, Some(b)) = (status, booking_id) {
        let held: Vec<(String, String)> = tx.query_vec(
            "SELECT s.row_label || s.number, t.hold_expires_at FROM ticket t JOIN seat s ON s.id = t.seat_id
              WHERE t.booking_id = ?1 AND t.status = 'held' ORDER BY s.grid_row, s.grid_col",
            args![b],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )?;
        for (seat, until) in held {
            held_seats.push(seat);
            hold_expires = Some(read_store_time(&until)?);
        }
    }
    if seats == 0 {
        return Err(invalid("corrupt waiting-list entry").into());
    }
    Ok(WaitlistEntry {
        id,
        slot,
        name,
        phone,
        seats: seats as usize,
        status,
        booking,
        held_seats,
        hold_expires,
        note,
        created: read_store_time(&created)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::model::SeatRequest;
    use crate::store::test_support::{TestDb, each_engine, small_show, t, walk_in};

    /// A sold-out four-seat show: bookings of 2 (A1 A2) and 2 (A3 A4).
    fn sold_out(db: &TestDb) -> (Store, SlotId, Vec<String>) {
        let (mut store, slot) = small_show(db, 1, 4);
        let mut bookings = Vec::new();
        for _ in 0..2 {
            let request = walk_in(slot, SeatRequest::Count(2));
            bookings.push(store.sell(&request, t("2026-11-23 11:00"), &Policy::default()).expect("sale").booking);
        }
        (store, slot, bookings)
    }

    #[test]
    fn freed_seats_go_to_the_first_party_that_fits_in_arrival_order() {
        each_engine(|db| {
            let (mut store, slot, bookings) = sold_out(db);
            let p = Policy::default();
            let now = t("2026-11-23 12:00");
            let family = store.waitlist_add(slot, "Family", None, 3, now, &p).expect("add");
            let couple = store.waitlist_add(slot, "Couple", None, 2, now, &p).expect("add");
            let single = store.waitlist_add(slot, "Single", None, 1, now, &p).expect("add");
            assert_eq!(family.status, WaitStatus::Waiting);
            assert!(family.note.contains("cannot be seated now"), "{}", family.note);
            // Two seats come free: the family of three does not fit, the couple is next in line.
            store.cancel(&bookings[0], "till1", false, now, &p).expect("cancel");
            let list = store.waitlist(Some(slot), now, &p).expect("list");
            assert_eq!(list[0].status, WaitStatus::Waiting);
            assert_eq!(list[1].status, WaitStatus::Offered);
            assert_eq!(list[1].held_seats.len(), 2);
            assert_eq!(list[2].status, WaitStatus::Waiting, "nothing left for the single");
            assert_eq!(store.seat_map(slot, now).expect("map").free_count(), 0, "the seats are held for the couple");
            // The couple pays; the counter cannot sell those seats to anyone else meanwhile.
            let sale = store.waitlist_confirm(couple.id, PaymentMethod::Card, &[], "till1", now).expect("confirm");
            assert_eq!(sale.total, 2000);
            assert_eq!(store.waitlist(Some(slot), now, &p).expect("list")[1].status, WaitStatus::Served);
            let _ = single;
        });
    }

    /// The sold-out show with two couples waiting, then a booking of two cancelled at 12:00:
    /// the first couple is offered its seats.
    fn two_parties_and_two_seats_free(db: &TestDb) -> (Store, SlotId, WaitlistEntry, WaitlistEntry) {
        let (mut store, slot, bookings) = sold_out(db);
        let (p, now) = (Policy::default(), t("2026-11-23 12:00"));
        let first = store.waitlist_add(slot, "First", None, 2, now, &p).expect("add");
        let second = store.waitlist_add(slot, "Second", None, 2, now, &p).expect("add");
        store.cancel(&bookings[1], "till1", false, now, &p).expect("cancel");
        (store, slot, first, second)
    }

    #[test]
    fn an_offer_not_collected_in_time_lapses_and_passes_on() {
        each_engine(|db| {
            let (mut store, slot, first, second) = two_parties_and_two_seats_free(db);
            let (p, now) = (Policy::default(), t("2026-11-23 12:00"));
            assert_eq!(store.waitlist(Some(slot), now, &p).expect("list")[0].status, WaitStatus::Offered);
            // Half an hour later nobody came: cron's expire passes the seats to the next in line.
            store.expire(t("2026-11-23 12:31"), t("2026-11-23 12:31"), "cron", &p).expect("expire");
            let list = store.waitlist(Some(slot), now, &p).expect("list");
            assert_eq!((list[0].id, list[0].status), (first.id, WaitStatus::Lapsed));
            assert_eq!((list[1].id, list[1].status), (second.id, WaitStatus::Offered));
            assert!(store.waitlist_confirm(first.id, PaymentMethod::Cash, &[], "till1", now).is_err());
            store.waitlist_remove(second.id, t("2026-11-23 12:32"), &p).expect("remove");
            assert_eq!(store.seat_map(slot, t("2026-11-23 12:32")).expect("map").free_count(), 2);
        });
    }

    #[test]
    fn an_expire_as_of_a_stale_past_time_makes_offers_by_the_real_clock() {
        each_engine(|db| {
            let (mut store, slot, first, second) = two_parties_and_two_seats_free(db);
            let p = Policy::default();
            // Cron runs at 13:05 with a stale `--at 12:30`: the first offer lapsed (by 12:30),
            // and the second party's offer is made from 13:05, not dead on arrival.
            let real = t("2026-11-23 13:05");
            store.expire(t("2026-11-23 12:30"), real, "cron", &p).expect("expire");
            let list = store.waitlist(Some(slot), real, &p).expect("list");
            assert_eq!((list[0].id, list[0].status), (first.id, WaitStatus::Lapsed));
            assert_eq!((list[1].id, list[1].status), (second.id, WaitStatus::Offered), "{list:#?}");
            assert!(list[1].hold_expires.is_some_and(|until| until > real), "{list:#?}");
            store.waitlist_confirm(second.id, PaymentMethod::Cash, &[], "till1", t("2026-11-23 13:10")).expect("pays");
        });
    }

    #[test]
    fn a_walk_in_cannot_jump_the_queue() {
        each_engine(|db| {
            let (mut store, slot, bookings) = sold_out(db);
            let p = Policy::default();
            let now = t("2026-11-23 12:00");
            store.waitlist_add(slot, "Waiting", None, 1, now, &p).expect("add");
            store.cancel(&bookings[0], "till1", false, now, &p).expect("cancel");
            let request = walk_in(slot, SeatRequest::Count(2));
            assert!(store.sell(&request, now, &p).is_err(), "one of the two seats is held for the waiting customer");
        });
    }

    #[test]
    fn a_rebooking_cannot_take_seats_the_waiting_list_is_owed() {
        each_engine(|db| {
            let (mut store, slot, bookings) = sold_out(db);
            let p = Policy::default();
            let later = crate::store::test_support::avatar_in_small(&mut store, "2026-11-24 20:00", "2026-11-24 22:00");
            let elsewhere =
                store.sell(&walk_in(later, SeatRequest::Count(1)), t("2026-11-23 11:00"), &p).expect("sale");
            let now = t("2026-11-23 12:00");
            store.waitlist_add(slot, "First", None, 2, now, &p).expect("add");
            store.waitlist_add(slot, "Second", None, 2, now, &p).expect("add");
            store.cancel(&bookings[0], "till1", false, now, &p).expect("cancel");
            // First's offer lapses unseen; a rebooking into the show must not get there before Second.
            let late = t("2026-11-23 12:31");
            let request = crate::store::RebookRequest {
                ticket: elsewhere.tickets[0].code.clone(),
                slot,
                seat: None,
                operator: "till1".into(),
                force: false,
                method: None,
            };
            assert!(store.rebook(&request, late, &p).is_err(), "the two freed seats are held for Second");
            // The refused rebooking wrote nothing; cron's next expire passes the seats on.
            store.expire(late, late, "cron", &p).expect("expire");
            let list = store.waitlist(Some(slot), now, &p).expect("list");
            assert_eq!((list[0].status, list[1].status), (WaitStatus::Lapsed, WaitStatus::Offered));
        });
    }

    #[test]
    fn the_list_passes_on_a_lapsed_offer_without_waiting_for_cron() {
        each_engine(|db| {
            let (mut store, slot, bookings) = sold_out(db);
            let p = Policy::default();
            let now = t("2026-11-23 12:00");
            store.waitlist_add(slot, "First", None, 2, now, &p).expect("add");
            store.waitlist_add(slot, "Second", None, 2, now, &p).expect("add");
            store.cancel(&bookings[0], "till1", false, now, &p).expect("cancel");
            let list = store.waitlist(Some(slot), t("2026-11-23 12:31"), &p).expect("list");
            assert_eq!((list[0].status, list[1].status), (WaitStatus::Lapsed, WaitStatus::Offered));
        });
    }

    #[test]
    fn sales_closing_ends_the_wait() {
        each_engine(|db| {
            let (mut store, slot, _) = sold_out(db);
            let p = Policy::default();
            store.waitlist_add(slot, "Late", None, 1, t("2026-11-23 12:00"), &p).expect("add");
            store.expire(t("2026-11-23 20:30"), t("2026-11-23 20:30"), "cron", &p).expect("expire");
            let at = t("2026-11-23 20:30");
            assert_eq!(store.waitlist(Some(slot), at, &p).expect("list")[0].status, WaitStatus::Unfulfillable);
        });
    }
}
