//! The large benchmark theatre (`ticketly demo --tickets N`): 20 halls of 150-1,000 seats, a year
//! of shows around today, and N tickets in every status with their bookings, customers and
//! payments. Rows are written directly, in one transaction with prepared statements, because
//! going through the selling rules a million times would take minutes; the data still obeys
//! every constraint of the schema (one live ticket a seat, money that adds up).

use chrono::{Duration, NaiveDate, NaiveTime};

use super::engine::{Arg, Engine, Value, args};
use crate::domain::cards::FIRST_TYPE;

use super::{Result, Store};
use crate::domain::codes::{BOOKING_PREFIX, TICKET_PREFIX, sequence_code};
use crate::domain::error::conflict;
use crate::domain::layout::HallLayout;
use crate::domain::rng::Rng;
use crate::domain::time::{from_local, store_time};

/// What to generate.
#[derive(Debug, Clone, Copy)]
pub struct BulkSpec {
    pub tickets: u64,
    pub seed: u64,
    /// The middle of the year of shows: half before, half after.
    pub today: NaiveDate,
}

/// What was generated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct BulkSummary {
    pub halls: usize,
    pub slots: usize,
    pub tickets: u64,
    pub bookings: u64,
}

const HALLS: usize = 20;
const SHOW_TIMES: [(u32, u32); 4] = [(10, 0), (13, 30), (17, 0), (20, 30)];
const SHOW_MINUTES: i64 = 150;
const TITLES: [(&str, &str); 8] = [
    ("Starfall", "Sci-Fi"),
    ("Paper Tigers", "Comedy"),
    ("The Lighthouse Keeper", "Drama"),
    ("Deep Blue Planet", "Nature"),
    ("Midnight Express Line", "Thriller"),
    ("Little Fox", "Animation"),
    ("Symphony No. 9 Live", "Classical"),
    ("Northern Lights", "Documentary"),
];

struct HallInfo {
    id: i64,
    seat_ids: Vec<i64>,
}

impl Store {
    /// Fills an empty database with the benchmark theatre.
    pub fn bulk_generate(&mut self, spec: BulkSpec) -> Result<BulkSummary> {
        if !self.is_empty()? {
            return Err(conflict("the large demo needs an empty database: pass a new --db file").into());
        }
        let mut random = Rng::new(spec.seed);
        self.set_bulk_load(true)?;
        let result = self.all_or_nothing(|store| {
            store.add_cinema("Benchmark Multiplex", "Leeds")?;
            let mut halls = Vec::new();
            for h in 0..HALLS {
                // Hall 1 has exactly 1,000 seats (25 × 40): the seat-map benchmark's hall.
                let (rows, seats) =
                    if h == 0 { (25, 40) } else { (10 + random.below(16) as u32, 15 + random.below(26) as u32) };
                let premium =
                    vec![crate::domain::layout::row_label(rows - 2), crate::domain::layout::row_label(rows - 1)];
                let layout = HallLayout::generate(rows, seats, &premium)?;
                let summary = store.add_hall(None, &format!("Screen {:02}", h + 1), &layout)?;
                halls.push(summary.id);
            }
            store.write(|tx| generate(tx, &halls, spec, &mut random))
        });
        self.set_bulk_load(false)?;
        // Fresh statistics, so the planner knows a million tickets are there (PostgreSQL's
        // autovacuum would get round to it, but the first counter should not wait for it).
        if result.is_ok() {
            self.db.batch("ANALYZE")?;
        }
        result
    }
}

fn generate(tx: &dyn Engine, hall_ids: &[i64], spec: BulkSpec, random: &mut Rng) -> Result<BulkSummary> {
    let mut halls = Vec::new();
    for id in hall_ids {
        let seat_ids = tx.column("SELECT id FROM seat WHERE hall_id = ?1 ORDER BY grid_row, grid_col", args![id])?;
        halls.push(HallInfo { id: *id, seat_ids });
    }
    let first_day = spec.today - Duration::days(182);
    let days = 365;
    let slots_total = days * HALLS * SHOW_TIMES.len();
    let per_slot = spec.tickets as f64 / slots_total as f64;
    let now = from_local(&spec.today.and_time(NaiveTime::from_hms_opt(12, 0, 0).unwrap_or_default()));
    let expired_before = now - Duration::hours(8);
    // The database is empty: rows get their ids here, and go in many to a statement (one round
    // trip per few hundred rows on PostgreSQL, not one per row).
    let mut out = Rows::default();
    let (mut tickets, mut bookings, mut slots) = (0u64, 0u64, 0usize);
    let mut carry = 0.0;
    for day in 0..days {
        let date = first_day + Duration::days(day as i64);
        for (h, hall) in halls.iter().enumerate() {
            for (i, (hour, minute)) in SHOW_TIMES.iter().enumerate() {
                let (title, genre) = TITLES[(day + h + i) % TITLES.len()];
                let start = from_local(&date.and_time(NaiveTime::from_hms_opt(*hour, *minute, 0).unwrap_or_default()));
                let end = start + Duration::minutes(SHOW_MINUTES);
                let kind = if genre == "Documentary" { "Documentary" } else { "Movie" };
                slots += 1;
                let slot = slots as i64;
                out.slot.push(vec![
                    Cell::Int(slot),
                    Cell::Int(hall.id),
                    Cell::Text(title.into()),
                    Cell::Text(kind.into()),
                    Cell::Text(genre.into()),
                    Cell::Text(store_time(&start)),
                    Cell::Text(store_time(&end)),
                    Cell::Text(store_time(&(start - Duration::days(30)))),
                ]);
                for (category, amount) in [("Regular", 950), ("Premium", 1250)] {
                    out.slot_price.push(vec![
                        Cell::Int(slot),
                        Cell::Text(FIRST_TYPE.into()),
                        Cell::Text(category.into()),
                        Cell::Int(amount),
                    ]);
                }
                // Fill varies from half to one and a half times the average, within capacity.
                carry += per_slot * (50 + random.below(101)) as f64 / 100.0;
                let want = (carry as usize).min(hall.seat_ids.len());
                carry -= want as f64;
                let offset = random.below(hall.seat_ids.len() as u64) as usize;
                let mut next_seat = 0;
                let ended = end <= expired_before;
                while next_seat < want && tickets < spec.tickets {
                    let party =
                        (1 + random.below(4) as usize).min(want - next_seat).min((spec.tickets - tickets) as usize);
                    let sold_at = start - Duration::hours(1 + random.below(24 * 14) as i64);
                    let at = store_time(&sold_at.min(now));
                    let method = if random.chance(50) { "cash" } else { "card" };
                    let customer = if random.chance(70) {
                        out.customers += 1;
                        out.customer.push(vec![
                            Cell::Int(out.customers),
                            Cell::Text(format!("Customer {bookings}")),
                            Cell::Text("0113 496 0000".into()),
                        ]);
                        Some(out.customers)
                    } else {
                        None
                    };
                    // Each seat's fate: 8% cancelled, 2% rebooked to the next seat, 1% a stale
                    // hold left by a counter that crashed (future shows only, under a booking of
                    // its own, unpaid), the rest booked, or expired once the show is long over.
                    let kept = if ended { "expired" } else { "booked" };
                    let mut fates = Vec::new();
                    for _ in 0..party {
                        let seat = hall.seat_ids[(offset + next_seat) % hall.seat_ids.len()];
                        next_seat += 1;
                        let roll = random.below(100);
                        let rebooked = (8..10).contains(&roll)
                            && next_seat < hall.seat_ids.len()
                            && tickets + (fates.len() as u64) + 1 < spec.tickets;
                        let fate = match roll {
                            0..8 => "canceled",
                            _ if rebooked => "archived",
                            10 if start > now => "held",
                            _ => kept,
                        };
                        let to = rebooked.then(|| {
                            let seat = hall.seat_ids[(offset + next_seat) % hall.seat_ids.len()];
                            next_seat += 1;
                            seat
                        });
                        fates.push((seat, fate, to));
                    }
                    // When an expired ticket expired: the night after its show.
                    let expired_at = store_time(&(end + Duration::hours(8)).min(now));
                    let changed = |fate: &str| if fate == "expired" { expired_at.clone() } else { at.clone() };
                    let sold: Vec<_> = fates.iter().filter(|f| f.1 != "held").collect();
                    if !sold.is_empty() {
                        let booking =
                            out.booking(&mut bookings, spec.seed, slot, customer, method, price_of(sold.len()), &at);
                        out.payment(booking, "sale", method, price_of(sold.len()), sold.len() as i64, &at);
                        let mut refunded = 0;
                        for (seat, fate, to) in &sold {
                            let at_seat = (booking, slot, *seat);
                            let ticket =
                                out.ticket(&mut tickets, spec.seed, at_seat, fate, None, (&at, &changed(fate)), None);
                            if *fate == "canceled" {
                                refunded += 1;
                            }
                            // A rebooking: the replacement under a booking of its own, at the same
                            // price, so no money moves.
                            if let Some(to) = to {
                                let new = out.booking(&mut bookings, spec.seed, slot, customer, method, PRICE, &at);
                                let replacement = (new, slot, *to);
                                let times = (at.as_str(), changed(kept));
                                out.ticket(
                                    &mut tickets,
                                    spec.seed,
                                    replacement,
                                    kept,
                                    None,
                                    (times.0, &times.1),
                                    Some(ticket),
                                );
                            }
                        }
                        if refunded > 0 {
                            out.payment(booking, "refund", method, price_of(refunded), refunded as i64, &at);
                        }
                    }
                    let held: Vec<_> = fates.iter().filter(|f| f.1 == "held").collect();
                    if !held.is_empty() {
                        let until = store_time(&(now - Duration::minutes(1)));
                        let booking =
                            out.booking(&mut bookings, spec.seed, slot, None, "cash", price_of(held.len()), &at);
                        for (seat, _, _) in held {
                            let at_seat = (booking, slot, *seat);
                            out.ticket(&mut tickets, spec.seed, at_seat, "held", Some(&until), (&at, &at), None);
                        }
                    }
                }
                if out.len() >= FLUSH_ROWS {
                    out.flush(tx)?;
                }
            }
        }
    }
    out.flush(tx)?;
    for table in ["slot", "customer", "booking", "ticket", "payment"] {
        tx.follow_ids(table)?;
    }
    // The journal records every payment, as a sale would have (sealed on first verify).
    tx.execute(super::journal::JOURNAL_EVERY_PAYMENT, args![])?;
    // Its tickets are written directly too: they stand behind the mark, vouched for by payments.
    tx.execute(super::journal_tables::MARK_TICKETS_BEFORE, args![])?;
    Ok(BulkSummary { halls: halls.len(), slots, tickets, bookings })
}

/// Every generated seat costs the Regular price (sales, refunds and totals follow from it).
const PRICE: i64 = 950;

fn price_of(tickets: usize) -> i64 {
    PRICE * tickets as i64
}

/// Rows kept before they are written (a few statements' worth).
const FLUSH_ROWS: usize = 20_000;
/// Values in one statement, inside both engines' limits on parameters.
const VALUES_PER_STATEMENT: usize = 4_000;

/// One value of a generated row.
enum Cell {
    Int(i64),
    Text(String),
    Null,
}

impl Arg for Cell {
    fn value(&self) -> Value<'_> {
        match self {
            Cell::Int(i) => Value::Int(*i),
            Cell::Text(t) => Value::Text(t),
            Cell::Null => Value::Null,
        }
    }
}

/// Generated rows waiting to be written, by table, in the order that keeps references valid.
#[derive(Default)]
struct Rows {
    slot: Vec<Vec<Cell>>,
    slot_price: Vec<Vec<Cell>>,
    customer: Vec<Vec<Cell>>,
    booking: Vec<Vec<Cell>>,
    ticket: Vec<Vec<Cell>>,
    payment: Vec<Vec<Cell>>,
    /// Ids given out so far (rows written are no longer in the vectors above).
    customers: i64,
    payments: i64,
}

impl Rows {
    fn len(&self) -> usize {
        self.slot.len()
            + self.slot_price.len()
            + self.customer.len()
            + self.booking.len()
            + self.ticket.len()
            + self.payment.len()
    }

    fn payment(&mut self, booking: i64, kind: &str, method: &str, amount: i64, tickets: i64, at: &str) {
        self.payments += 1;
        self.payment.push(vec![
            Cell::Int(self.payments),
            Cell::Int(booking),
            Cell::Text(kind.into()),
            Cell::Text(method.into()),
            Cell::Int(amount),
            Cell::Int(tickets),
            Cell::Text(at.into()),
        ]);
    }

    /// Adds a booking (the next of `count`, which it advances) and returns its id.
    #[allow(clippy::too_many_arguments)]
    fn booking(
        &mut self,
        count: &mut u64,
        seed: u64,
        slot: i64,
        customer: Option<i64>,
        method: &str,
        total: i64,
        at: &str,
    ) -> i64 {
        let id = *count as i64 + 1;
        self.booking.push(vec![
            Cell::Int(id),
            Cell::Text(sequence_code(BOOKING_PREFIX, *count, seed)),
            Cell::Int(slot),
            customer.map_or(Cell::Null, Cell::Int),
            Cell::Text(method.into()),
            Cell::Int(total),
            Cell::Text(at.into()),
        ]);
        *count += 1;
        id
    }

    /// Adds a ticket (the next of `count`, which it advances) at [`PRICE`]: held until `hold`
    /// when given, replacing ticket `replaces` when a rebooking's; returns its id.
    #[allow(clippy::too_many_arguments)]
    fn ticket(
        &mut self,
        count: &mut u64,
        seed: u64,
        (booking, slot, seat): (i64, i64, i64),
        status: &str,
        hold: Option<&str>,
        (created, changed): (&str, &str),
        replaces: Option<i64>,
    ) -> i64 {
        let id = *count as i64 + 1;
        self.ticket.push(vec![
            Cell::Int(id),
            Cell::Text(sequence_code(TICKET_PREFIX, *count, seed)),
            Cell::Int(booking),
            Cell::Int(slot),
            Cell::Int(seat),
            Cell::Int(PRICE),
            Cell::Text(status.into()),
            hold.map_or(Cell::Null, |h| Cell::Text(h.into())),
            Cell::Text(created.into()),
            Cell::Text(changed.into()),
            replaces.map_or(Cell::Null, Cell::Int),
        ]);
        *count += 1;
        id
    }

    fn flush(&mut self, tx: &dyn Engine) -> Result<()> {
        let tables: [(&str, &str, &mut Vec<Vec<Cell>>); 6] = [
            ("slot", "id, hall_id, name, kind, genre, starts_at, ends_at, created_at", &mut self.slot),
            ("slot_price", "slot_id, ticket_type, category, amount", &mut self.slot_price),
            ("customer", "id, name, phone", &mut self.customer),
            ("booking", "id, code, slot_id, customer_id, method, total, created_at", &mut self.booking),
            (
                "ticket",
                "id, code, booking_id, slot_id, seat_id, price, status, hold_expires_at, created_at, changed_at, replaces_id",
                &mut self.ticket,
            ),
            ("payment", "id, booking_id, kind, method, amount, tickets, created_at", &mut self.payment),
        ];
        for (table, columns, rows) in tables {
            let Some(width) = rows.first().map(Vec::len) else { continue };
            // Every generated booking and payment is the bulk loader's.
            let (columns, operator) = match table {
                "booking" | "payment" => (format!("{columns}, operator"), ", 'bulk'"),
                _ => (columns.to_string(), ""),
            };
            for chunk in rows.chunks(VALUES_PER_STATEMENT / width) {
                let values: Vec<&dyn Arg> = chunk.iter().flatten().map(|c| c as &dyn Arg).collect();
                let tuples: Vec<String> = (0..chunk.len())
                    .map(|r| {
                        let marks: Vec<String> = (1..=width).map(|c| format!("?{}", r * width + c)).collect();
                        format!("({}{operator})", marks.join(", "))
                    })
                    .collect();
                tx.execute(&format!("INSERT INTO {table} ({columns}) VALUES {}", tuples.join(", ")), &values)?;
            }
            rows.clear();
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::each_engine;

    #[test]
    fn the_benchmark_theatre_obeys_every_rule_of_the_audit() {
        each_engine(|db| {
            let mut store = db.open();
            let today = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
            let summary = store.bulk_generate(BulkSpec { tickets: 3_000, seed: 7, today }).expect("generate");
            assert_eq!((summary.halls, summary.slots, summary.tickets), (20, 29_200, 3_000));
            let audit = store.audit().expect("audit");
            assert!(audit.ok(), "{:?}", audit.problems());
            assert_eq!((audit.tickets as u64, audit.bookings as u64), (summary.tickets, summary.bookings));
            // Its payments are in the journal, as a sale's would be, and a mark for its tickets
            // (written directly); the chain verifies.
            let chain = store.verify_journal(None).expect("the journal agrees with the payments");
            assert_eq!(chain.entries, audit.payments + 1);
            // The ids the database hands out next follow the generated ones.
            store.add_cinema("Next", "York").expect("a new row after the bulk load");
            assert!(
                store.bulk_generate(BulkSpec { tickets: 10, seed: 7, today }).is_err(),
                "only into an empty database"
            );
        });
    }
}
