//! The large benchmark theatre (`ticketly demo --tickets N`): 20 halls of 150-1,000 seats, a year
//! of shows around today, and N tickets in every status with their bookings, customers and
//! payments. Rows are written directly, in one transaction with prepared statements, because
//! going through the selling rules a million times would take minutes; the data still obeys
//! every constraint of the schema (one live ticket a seat, money that adds up).

use chrono::{Duration, NaiveDate, NaiveTime};

use super::engine::{Engine, args};

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
    let insert_slot = "INSERT INTO slot (hall_id, name, description, kind, genre, starts_at, ends_at, created_at)
         VALUES (?1, ?2, '', ?3, ?4, ?5, ?6, ?7) RETURNING id";
    let insert_price = "INSERT INTO slot_price (slot_id, category, amount) VALUES (?1, ?2, ?3)";
    let insert_customer = "INSERT INTO customer (name, phone) VALUES (?1, ?2) RETURNING id";
    let insert_booking = "INSERT INTO booking (code, slot_id, customer_id, method, total, operator, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'bulk', ?6) RETURNING id";
    let insert_ticket = "INSERT INTO ticket (code, booking_id, slot_id, seat_id, price, status, hold_expires_at, created_at, changed_at, replaces_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) RETURNING id";
    let insert_payment = "INSERT INTO payment (booking_id, kind, method, amount, tickets, operator, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, 'bulk', ?6)";
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
                let created = store_time(&(start - Duration::days(30)));
                let slot = tx.insert(
                    insert_slot,
                    args![hall.id, title, kind, genre, store_time(&start), store_time(&end), created],
                )?;
                tx.execute(insert_price, args![slot, "Regular", 950])?;
                tx.execute(insert_price, args![slot, "Premium", 1250])?;
                slots += 1;
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
                    let sold_at = sold_at.min(now);
                    let method = if random.chance(50) { "cash" } else { "card" };
                    let customer: Option<i64> = if random.chance(70) {
                        Some(tx.insert(insert_customer, args![format!("Customer {}", bookings), "0113 496 0000"])?)
                    } else {
                        None
                    };
                    let price = 950;
                    let total = price * party as i64;
                    let booking = tx.insert(
                        insert_booking,
                        args![
                            sequence_code(BOOKING_PREFIX, bookings, spec.seed),
                            slot,
                            customer,
                            method,
                            total,
                            store_time(&sold_at)
                        ],
                    )?;
                    bookings += 1;
                    tx.execute(
                        insert_payment,
                        args![booking, "sale", method, total, party as i64, store_time(&sold_at)],
                    )?;
                    let mut refund = 0;
                    let kept = if ended { "expired" } else { "booked" };
                    for _ in 0..party {
                        let seat = hall.seat_ids[(offset + next_seat) % hall.seat_ids.len()];
                        next_seat += 1;
                        let roll = random.below(100);
                        // 8% cancelled, 2% rebooked to the next seat, 1% stale holds left by a
                        // counter that crashed (future shows only), the rest booked or expired.
                        let rebooked =
                            (8..10).contains(&roll) && next_seat < hall.seat_ids.len() && tickets + 1 < spec.tickets;
                        let (status, hold) = match roll {
                            0..8 => ("canceled", None),
                            _ if rebooked => ("archived", None),
                            10 if start > now => ("held", Some(store_time(&(now - Duration::minutes(1))))),
                            _ => (kept, None),
                        };
                        let code = sequence_code(TICKET_PREFIX, tickets, spec.seed);
                        let at = store_time(&sold_at);
                        let ticket_id = tx.insert(
                            insert_ticket,
                            args![code, booking, slot, seat, price, status, hold, at, at, None::<i64>],
                        )?;
                        tickets += 1;
                        match status {
                            "canceled" => refund += price,
                            "archived" => {
                                let seat = hall.seat_ids[(offset + next_seat) % hall.seat_ids.len()];
                                next_seat += 1;
                                let code = sequence_code(TICKET_PREFIX, tickets, spec.seed);
                                tx.insert(
                                    insert_ticket,
                                    args![code, booking, slot, seat, price, kept, None::<String>, at, at, ticket_id],
                                )?;
                                tickets += 1;
                            }
                            _ => {}
                        }
                    }
                    if refund > 0 {
                        tx.execute(
                            insert_payment,
                            args![booking, "refund", method, refund, refund / price, store_time(&sold_at)],
                        )?;
                    }
                }
            }
        }
    }
    Ok(BulkSummary { halls: halls.len(), slots, tickets, bookings })
}
