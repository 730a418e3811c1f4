//! Slots (scheduled shows), their prices, the schedule with availability, and seat maps.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::sync::{Arc, LazyLock, Mutex, PoisonError};

use super::cards::{Pricer, insert_prices};
use super::engine::{Cell, Engine, Row, args};
use super::halls::hall_id;
use super::{Result, Store};
use crate::domain::cards::{FIRST_TYPE, TypePrice};
use crate::domain::error::{conflict, invalid, not_found};
use crate::domain::layout::Category;
use crate::domain::model::{Slot, SlotId, SlotSummary};
use crate::domain::money::Cents;
use crate::domain::schedule::{NewSlot as SlotRequest, TITLE_CHARS};
use crate::domain::seatmap::{Seat, SeatId, SeatMap, SeatStatus};
use crate::domain::text::excerpt;
use crate::domain::time::{Time, format_time, read_store_time, show_day_span, store_time};
use chrono::NaiveDate;

pub use crate::domain::schedule::NewSlot;

/// Which slots a schedule lists. Empty fields do not filter.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SlotFilter {
    /// Slots starting on this day.
    pub date: Option<NaiveDate>,
    /// Exact genre, any case.
    pub genre: Option<String>,
    /// Part of the title, any case.
    pub search: Option<String>,
    /// Only slots that have not ended at this moment.
    pub not_ended_at: Option<Time>,
    /// Only the shows of this cinema (by name, any case): a counter's own cinema.
    pub cinema: Option<String>,
    /// Only the shows of cinemas in this city (any case).
    pub city: Option<String>,
}

impl Store {
    /// Schedules a slot; refuses one that overlaps another in the same hall.
    pub fn add_slot(&mut self, request: SlotRequest, now: Time) -> Result<SlotId> {
        let slot = request.validate(now)?;
        self.write(|tx| insert_slot(tx, &slot, now))
    }

    /// The schedule: slots matching `filter`, by start time, with free seats counted at `now`.
    pub fn slots(&mut self, filter: &SlotFilter, now: Time) -> Result<Vec<SlotSummary>> {
        let (sql, args) = schedule_query(filter, now)?;
        let args: Vec<&dyn super::engine::Arg> = args.iter().map(|a| a as &dyn super::engine::Arg).collect();
        self.read(|tx| {
            tx.query_vec(&sql, &args, |r| {
                let total: usize = r.get(11)?;
                let booked: usize = r.get(12)?;
                let held: usize = r.get(13)?;
                let offered: usize = r.get(14)?;
                let checked_in: usize = r.get(15)?;
                Ok(SlotSummary {
                    slot: slot_row(r)?,
                    seats_total: total,
                    seats_free: total.saturating_sub(booked + held),
                    seats_held: held,
                    seats_offered: offered,
                    checked_in,
                })
            })
        })
    }

    /// One slot by id.
    pub fn slot(&mut self, id: SlotId) -> Result<Slot> {
        self.read(|tx| slot_by_id(tx, id))
    }

    /// The slot of film `name` starting at `start` (the seed's movieName + movieStartTime).
    pub fn find_slot(&mut self, name: &str, start: Time) -> Result<Slot> {
        self.read(|tx| {
            let id: Option<SlotId> = tx.query_opt(
                "SELECT id FROM slot WHERE lower(name) = lower(?1) AND starts_at = ?2",
                args![name.trim(), store_time(&start)],
                |r| r.get(0),
            )?;
            let id = id.ok_or_else(|| {
                not_found(format!("no slot of '{}' starting at {}", excerpt(name), format_time(&start)))
            })?;
            slot_by_id(tx, id)
        })
    }

    /// The seat map of a slot as it stands at `now` (expired holds count as free).
    pub fn seat_map(&mut self, slot: SlotId, now: Time) -> Result<SeatMap> {
        let halls = self.halls.clone();
        self.read(|tx| seat_map_with(tx, &halls, slot, now))
    }
}

/// Inserts a validated slot with its prices, refusing an unknown hall, a missing price and an
/// overlap with another slot of the hall (the trigger would too; this names the other slot).
fn insert_slot(tx: &dyn Engine, slot: &SlotRequest, now: Time) -> Result<SlotId> {
    let hall = hall_id(tx, &slot.hall)?;
    let (card, prices) = Pricer::new(tx)?.price(tx, slot, &hall_categories(tx, hall)?)?;
    if let Some((name, start)) = clash(tx, hall, slot.start, slot.end)? {
        return Err(
            conflict(format!("hall '{}' already has '{name}' at {} then", slot.hall, format_time(&start))).into()
        );
    }
    let id = insert_priced_slot(tx, hall, slot, card.as_deref(), &prices, now)?;
    announce_slot(tx, id)?;
    Ok(id)
}

/// The seat categories a hall has (a slot must price each).
pub(super) fn hall_categories(tx: &dyn Engine, hall: i64) -> Result<Vec<Category>> {
    let found: Vec<String> = tx.column("SELECT DISTINCT category FROM seat WHERE hall_id = ?1", args![hall])?;
    // In the layout's order, so that a missing price is named the same way on both engines.
    Ok(Category::ALL.into_iter().filter(|c| found.iter().any(|f| f == c.name())).collect())
}

/// The show in `hall` that a new one from `start` to `end` would overlap, if any: one starting
/// within it, or the last one starting before it if that runs past its start (the shows of a
/// hall never overlap each other, so no other can). Two probes of the (hall_id, starts_at)
/// index, not a scan of the hall's history.
pub(super) fn clash(tx: &dyn Engine, hall: i64, start: Time, end: Time) -> Result<Option<(String, Time)>> {
    let (start, end) = (store_time(&start), store_time(&end));
    let within: Option<(String, String)> = tx.query_opt(
        "SELECT name, starts_at FROM slot WHERE hall_id = ?1 AND starts_at >= ?2 AND starts_at < ?3
          ORDER BY starts_at LIMIT 1",
        args![hall, start, end],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let before: Option<(String, String, String)> = tx.query_opt(
        "SELECT name, starts_at, ends_at FROM slot WHERE hall_id = ?1 AND starts_at < ?2
          ORDER BY starts_at DESC LIMIT 1",
        args![hall, start],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let found = within.or(before.filter(|(_, _, ends)| *ends > start).map(|(name, starts, _)| (name, starts)));
    found.map(|(name, starts)| Ok((name, read_store_time(&starts)?))).transpose()
}

/// Inserts a checked slot and its prices.
fn insert_priced_slot(
    tx: &dyn Engine,
    hall: i64,
    slot: &SlotRequest,
    card: Option<&str>,
    prices: &[TypePrice],
    now: Time,
) -> Result<SlotId> {
    let id = tx.insert(
        "INSERT INTO slot (hall_id, name, description, kind, genre, starts_at, ends_at, created_at, card)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) RETURNING id",
        args![
            hall,
            slot.name,
            slot.description,
            slot.kind,
            slot.genre,
            store_time(&slot.start),
            store_time(&slot.end),
            store_time(&now),
            card
        ],
    )?;
    insert_prices(tx, &prices.iter().map(|p| (id, p)).collect::<Vec<_>>())?;
    Ok(id)
}

/// Tells live screens that the schedule changed (a show was added): on PostgreSQL a
/// notification naming the new show, as every change to a show sends.
pub(super) fn announce_slot(tx: &dyn Engine, id: SlotId) -> Result<()> {
    tx.lock_slot(id)
}

/// The schedule's SQL and its arguments for `filter`: slots with seats total, booked and held.
/// Refuses a day outside the years a time may have, and a search longer than any title (SQLite
/// also refuses LIKE patterns over 50,000 bytes, as a database error).
pub(super) fn schedule_query(filter: &SlotFilter, now: Time) -> Result<(String, Vec<String>)> {
    let mut sql = format!(
        "{SLOT_SELECT},
           (SELECT COUNT(*) FROM seat WHERE hall_id = sl.hall_id),
           (SELECT COUNT(*) FROM ticket t WHERE t.slot_id = sl.id AND t.status = 'booked'),
           (SELECT COUNT(*) FROM ticket t WHERE t.slot_id = sl.id AND t.status = 'held' AND t.hold_expires_at > ?1),
           (SELECT COUNT(*) FROM waitlist w JOIN ticket t ON t.booking_id = w.booking_id
             WHERE w.slot_id = sl.id AND w.status = 'offered' AND t.status = 'held' AND t.hold_expires_at > ?1),
           (SELECT COUNT(*) FROM checkin c JOIN ticket t ON t.id = c.ticket_id
             WHERE c.slot_id = sl.id AND c.undone_at IS NULL AND t.status IN ('booked', 'expired'))
         FROM slot sl JOIN hall h ON h.id = sl.hall_id WHERE 1 = 1"
    );
    let mut args: Vec<String> = vec![store_time(&now)];
    if let Some(date) = filter.date {
        // The day's shows run until the small hours (see DAY_END_HOURS), as programmes print them.
        let (from, to) = show_day_span(date)?;
        args.push(store_time(&from));
        sql.push_str(&format!(" AND sl.starts_at >= ?{}", args.len()));
        args.push(store_time(&to));
        sql.push_str(&format!(" AND sl.starts_at < ?{}", args.len()));
    }
    if let Some(genre) = &filter.genre {
        args.push(genre.trim().to_string());
        sql.push_str(&format!(" AND lower(sl.genre) = lower(?{})", args.len()));
    }
    if let Some(search) = &filter.search {
        let search = search.trim();
        if search.chars().count() > TITLE_CHARS {
            return Err(invalid(format!(
                "the search text is longer than {TITLE_CHARS} characters, the longest a title can be"
            ))
            .into());
        }
        args.push(format!("%{}%", search.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")));
        sql.push_str(&format!(" AND lower(sl.name) LIKE lower(?{}) ESCAPE '\\'", args.len()));
    }
    if let Some(cinema) = &filter.cinema {
        args.push(cinema.trim().to_string());
        sql.push_str(&format!(
            " AND h.cinema_id IN (SELECT id FROM cinema WHERE lower(name) = lower(?{}))",
            args.len()
        ));
    }
    if let Some(city) = &filter.city {
        args.push(city.trim().to_string());
        sql.push_str(&format!(
            " AND h.cinema_id IN (SELECT id FROM cinema WHERE lower(city) = lower(?{}))",
            args.len()
        ));
    }
    if let Some(at) = filter.not_ended_at {
        args.push(store_time(&at));
        sql.push_str(&format!(" AND sl.ends_at > ?{}", args.len()));
    }
    sql.push_str(" ORDER BY sl.starts_at, h.name");
    Ok((sql, args))
}

/// The slot columns, in the order [`slot_row`] reads them (indices 0..=10). The prices come
/// as one text, "position:default:type:category=amount;…" (see [`parse_prices`]).
const SLOT_SELECT: &str = "SELECT sl.id, sl.name, sl.description, sl.kind, sl.genre,
        (SELECT h.name FROM hall h WHERE h.id = sl.hall_id), sl.starts_at, sl.ends_at,
        (SELECT group_concat(tt.position || ':' || tt.is_default || ':' || p.ticket_type || ':' || p.category || '=' || p.amount, ';')
           FROM slot_price p JOIN ticket_type tt ON tt.name = p.ticket_type WHERE p.slot_id = sl.id),
        sl.hall_id, sl.card";

/// Reads a slot from a row of [`SLOT_SELECT`].
fn slot_row(r: &Row) -> Result<Slot> {
    let start: String = r.get(6)?;
    let end: String = r.get(7)?;
    let prices: Option<String> = r.get(8)?;
    let (default_type, type_prices) = parse_prices(prices.as_deref().unwrap_or(""));
    let mut prices: Vec<(Category, Cents)> =
        type_prices.iter().filter(|p| p.ticket_type == default_type).map(|p| (p.category, p.amount)).collect();
    prices.sort();
    Ok(Slot {
        id: r.get(0)?,
        name: r.get(1)?,
        description: r.get(2)?,
        kind: r.get(3)?,
        genre: r.get(4)?,
        hall: r.get(5)?,
        start: read_store_time(&start)?,
        end: read_store_time(&end)?,
        prices,
        card: r.get(10)?,
        default_type,
        type_prices,
    })
}

/// A show's prices from [`SLOT_SELECT`]'s text, in the theatre's type order, and its default
/// type: the theatre's default if the show prices it, else its first type.
fn parse_prices(text: &str) -> (String, Vec<TypePrice>) {
    let mut rows: Vec<(i64, bool, TypePrice)> = text
        .split(';')
        .filter_map(|p| {
            let (position, rest) = p.split_once(':')?;
            let (is_default, rest) = rest.split_once(':')?;
            let (ticket_type, rest) = rest.split_once(':')?;
            let (category, amount) = rest.split_once('=')?;
            let price = TypePrice {
                ticket_type: ticket_type.to_string(),
                category: Category::parse(category).ok()?,
                amount: amount.parse().ok()?,
            };
            Some((position.parse().ok()?, is_default == "1", price))
        })
        .collect();
    rows.sort_by(|a, b| (a.0, &a.2.ticket_type, a.2.category).cmp(&(b.0, &b.2.ticket_type, b.2.category)));
    let default_type =
        rows.iter().find(|r| r.1).or(rows.first()).map_or_else(|| FIRST_TYPE.to_string(), |r| r.2.ticket_type.clone());
    (default_type, rows.into_iter().map(|r| r.2).collect())
}

/// One slot by id, in [`SLOT_SELECT`]'s columns. Without a join: SQLite marks a cached join on
/// a bound key to be prepared again whenever its bindings are cleared, which costs every sale.
static SLOT_BY_ID: LazyLock<String> = LazyLock::new(|| format!("{SLOT_SELECT} FROM slot sl WHERE sl.id = ?1"));

pub(super) fn slot_by_id(tx: &dyn Engine, id: SlotId) -> Result<Slot> {
    let slot = tx.query_opt(&SLOT_BY_ID, args![id], slot_row)?;
    slot.ok_or_else(|| not_found(format!("no slot with id '{id}' (see: ticketly slot list)")).into())
}

/// Every seat of a hall (read once per hall and connection, see [`HallSeats`]).
pub(super) const HALL_SEATS: &str =
    "SELECT id, row_label, number, category, grid_row, grid_col FROM seat WHERE hall_id = ?1";

/// The live tickets of a slot: all a seat map needs to read once the hall's seats are known.
pub(super) const LIVE_TICKETS: &str =
    "SELECT seat_id, status, hold_expires_at FROM ticket WHERE slot_id = ?1 AND status IN ('held', 'booked')";

/// The seats of each hall this connection has read, so that a seat map (every sale reads one)
/// reads only the slot's live tickets, not a thousand seat rows. Seats never change once their
/// hall is added, and halls are neither edited nor removed, so what was read stays true; a
/// hall is added in a transaction of its own, which reads no seat map.
#[derive(Debug, Clone, Default)]
pub(super) struct HallSeats(Arc<Mutex<HashMap<i64, HallMap>>>);

/// One hall's seats as a seat map that is refilled for each slot in place (no allocation).
#[derive(Debug)]
struct HallMap {
    /// In seat-map order (front row first, left to right).
    map: SeatMap,
    /// (seat id, index in `map.seats`), by seat id.
    index: Vec<(SeatId, usize)>,
    /// Each seat's category as an index into `Category::ALL`, for pricing.
    categories: Vec<usize>,
}

impl HallSeats {
    /// Runs `work` on the seat map of `slot` at `now` (expired holds count as free), priced
    /// for the show's default ticket type.
    fn with_map<T>(&self, tx: &dyn Engine, slot: SlotId, now: Time, work: impl FnOnce(&SeatMap) -> T) -> Result<T> {
        let show = show_for_sale(tx, slot)?;
        Ok(with_sale_map(tx, self, &show, now, work)?.0)
    }

    /// Runs `work` on the seat map of `slot` in `hall` at these prices (by category, in
    /// `Category::ALL`'s order), reading only its live tickets; also says whether a hold that
    /// ran out still stands on a seat (to be released before that seat is sold again).
    fn with_priced_map<T>(
        &self,
        tx: &dyn Engine,
        slot: SlotId,
        hall: i64,
        prices: &[Cents; Category::ALL.len()],
        now: Time,
        work: impl FnOnce(&SeatMap) -> T,
    ) -> Result<(T, bool)> {
        let mut halls = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let entry = match halls.entry(hall) {
            Entry::Occupied(entry) => entry.into_mut(),
            Entry::Vacant(entry) => entry.insert(read_hall(tx, hall)?),
        };
        for (seat, category) in entry.map.seats.iter_mut().zip(&entry.categories) {
            seat.price = prices[*category];
            seat.status = SeatStatus::Available;
        }
        let now_text = store_time(&now);
        let mut first_deadline: Option<String> = None;
        let mut lapsed = false;
        tx.query(LIVE_TICKETS, args![slot], &mut |r| {
            let status = match (r.cell(1)?, r.cell(2)?) {
                (Cell::Text("booked"), _) => SeatStatus::Booked,
                (Cell::Text("held"), Cell::Text(until)) if until > now_text.as_str() => {
                    if first_deadline.as_deref().is_none_or(|first| until < first) {
                        first_deadline = Some(until.to_string());
                    }
                    SeatStatus::Held
                }
                _ => {
                    lapsed = true;
                    return Ok(());
                }
            };
            let seat: SeatId = r.get(0)?;
            if let Ok(found) = entry.index.binary_search_by_key(&seat, |(id, _)| *id) {
                let i = entry.index[found].1;
                entry.map.seats[i].status = status;
            }
            Ok(())
        })?;
        entry.map.stale_at = first_deadline.map(|until| read_store_time(&until)).transpose()?;
        Ok((work(&entry.map), lapsed))
    }
}

fn read_hall(tx: &dyn Engine, hall: i64) -> Result<HallMap> {
    let seats = tx.query_vec(HALL_SEATS, args![hall], |r| {
        let category: String = r.get(3)?;
        Ok(Seat {
            id: r.get(0)?,
            row_label: r.get(1)?,
            number: r.get(2)?,
            category: Category::parse(&category).unwrap_or(Category::Regular),
            grid_row: r.get(4)?,
            grid_col: r.get(5)?,
            price: 0,
            status: SeatStatus::Available,
        })
    })?;
    let map = SeatMap::new(seats);
    let mut index: Vec<(SeatId, usize)> = map.seats.iter().enumerate().map(|(i, s)| (s.id, i)).collect();
    index.sort_unstable();
    let categories =
        map.seats.iter().map(|s| Category::ALL.iter().position(|c| *c == s.category).unwrap_or(0)).collect();
    Ok(HallMap { map, index, categories })
}

/// The seat map of a slot at `now` (expired holds count as free), reading the hall afresh.
pub(super) fn seat_map(tx: &dyn Engine, slot: SlotId, now: Time) -> Result<SeatMap> {
    seat_map_with(tx, &HallSeats::default(), slot, now)
}

/// The seat map of a slot at `now`, with the hall's seats from `halls` when it has them.
pub(super) fn seat_map_with(tx: &dyn Engine, halls: &HallSeats, slot: SlotId, now: Time) -> Result<SeatMap> {
    halls.with_map(tx, slot, now, SeatMap::clone)
}

/// A show as a sale reads it, in one statement: the show, its hall, and whether it has a live
/// waiting list (which then goes first).
pub(super) struct ShowForSale {
    pub slot: Slot,
    pub hall: i64,
    pub waiting: bool,
}

pub(super) static SLOT_FOR_SALE: LazyLock<String> = LazyLock::new(|| {
    format!(
        "{SLOT_SELECT}, CASE WHEN EXISTS (SELECT 1 FROM waitlist w WHERE w.slot_id = sl.id
                                      AND w.status IN ('waiting', 'offered')) THEN 1 ELSE 0 END
           FROM slot sl WHERE sl.id = ?1"
    )
});

pub(super) fn show_for_sale(tx: &dyn Engine, id: SlotId) -> Result<ShowForSale> {
    let show = tx.query_opt(&SLOT_FOR_SALE, args![id], |r| {
        Ok(ShowForSale { slot: slot_row(r)?, hall: r.get(9)?, waiting: r.get::<i64>(11)? == 1 })
    })?;
    show.ok_or_else(|| not_found(format!("no slot with id '{id}' (see: ticketly slot list)")).into())
}

/// Runs `work` on the seat map of a show read by [`show_for_sale`], without copying it and
/// without reading the show's hall and prices again (what a sale needs); also says whether a
/// hold that ran out still stands on one of its seats.
pub(super) fn with_sale_map<T>(
    tx: &dyn Engine,
    halls: &HallSeats,
    show: &ShowForSale,
    now: Time,
    work: impl FnOnce(&SeatMap) -> T,
) -> Result<(T, bool)> {
    let mut prices = [0; Category::ALL.len()];
    for (category, amount) in &show.slot.prices {
        if let Some(i) = Category::ALL.iter().position(|c| c == category) {
            prices[i] = *amount;
        }
    }
    halls.with_priced_map(tx, show.slot.id, show.hall, &prices, now, work)
}
