//! The seating-grid picker: a cursor over the hall, a selection of up to ten seats (one when
//! rebooking), best-available by digit, and mouse clicks on seats.

use super::booking::BookingForm;
use super::rebook::RebookConfirm;
use super::{Action, Ctx, Nav, Screen};
use crate::domain::best::{best_seats, best_seats_in, by_rows, cheaper_block, together};
use crate::domain::model::{SeatRequest, Slot, TicketDetails};
use crate::domain::money::Cents;
use crate::domain::policy::MAX_SEATS_PER_SALE;
use crate::domain::seatmap::{Seat, SeatId, SeatMap, SeatStatus};

/// How many rows PageUp and PageDown move the cursor.
const PAGE_ROWS: usize = 10;

/// Why the picker is open.
#[derive(Debug, Clone)]
pub enum Purpose {
    Sale,
    /// Choosing the new seat for this ticket.
    Rebook(Box<TicketDetails>),
}

#[derive(Debug, Clone)]
pub struct SeatPicker {
    pub slot: Slot,
    pub map: SeatMap,
    /// Index into `map.seats`.
    pub cursor: usize,
    pub selected: Vec<SeatId>,
    pub purpose: Purpose,
}

impl SeatPicker {
    /// Loads the slot's seat map; `None` (with a message) when it cannot be read.
    pub fn open(slot: Slot, purpose: Purpose, ctx: &mut Ctx) -> Option<SeatPicker> {
        match ctx.store.seat_map(slot.id, ctx.now) {
            Ok(map) => {
                let cursor = centre_seat(&map);
                Some(SeatPicker { slot, map, cursor, selected: Vec::new(), purpose })
            }
            Err(e) => {
                ctx.error(e);
                None
            }
        }
    }

    pub fn max_seats(&self) -> usize {
        match self.purpose {
            Purpose::Sale => MAX_SEATS_PER_SALE,
            Purpose::Rebook(_) => 1,
        }
    }

    pub fn selected_seats(&self) -> Vec<&Seat> {
        self.selected.iter().filter_map(|id| self.map.by_id(*id)).collect()
    }

    pub fn total(&self) -> Cents {
        self.selected_seats().iter().map(|s| s.price).sum()
    }

    pub fn cursor_seat(&self) -> Option<&Seat> {
        self.map.seats.get(self.cursor)
    }

    /// Re-reads the map; seats another counter took meanwhile leave the selection, with a note.
    pub fn refresh(&mut self, ctx: &mut Ctx) {
        match ctx.store.seat_map(self.slot.id, ctx.now) {
            Ok(map) => {
                let lost: Vec<String> = self
                    .selected
                    .iter()
                    .filter_map(|id| map.by_id(*id))
                    .filter(|s| !s.is_free())
                    .map(Seat::label)
                    .collect();
                self.map = map;
                self.selected.retain(|id| self.map.by_id(*id).is_some_and(Seat::is_free));
                self.cursor = self.cursor.min(self.map.seats.len().saturating_sub(1));
                if !lost.is_empty() {
                    ctx.error(format!("Taken by another counter meanwhile: {}", lost.join(", ")));
                }
            }
            Err(e) => ctx.error(e),
        }
    }

    pub fn handle(&mut self, action: Action, ctx: &mut Ctx, size: (u16, u16)) -> Nav {
        match action {
            Action::Left => self.step_sideways(-1),
            Action::Right => self.step_sideways(1),
            Action::Up => self.step_rows(-1),
            Action::Down => self.step_rows(1),
            Action::PageUp => (0..PAGE_ROWS).for_each(|_| self.step_rows(-1)),
            Action::PageDown => (0..PAGE_ROWS).for_each(|_| self.step_rows(1)),
            // `g` is "today" on the schedule; on the grid it goes to the front, as Home does.
            Action::Home | Action::Today => self.jump_to_row(false),
            Action::End => self.jump_to_row(true),
            Action::Toggle => self.toggle(self.cursor, ctx),
            Action::BestSeats(n) => self.pick_best(n, ctx),
            Action::Click(x, y) => {
                if let Some(index) = crate::ui::seats::seat_at(self, size, x, y) {
                    self.cursor = index;
                    self.toggle(index, ctx);
                }
            }
            // What was typed for this show's customer is kept (see `Ctx::draft`): an Esc too
            // many must not lose it, and `q` on the schedule asks before dropping it.
            Action::Back | Action::Quit => return Nav::Pop,
            Action::Confirm => return self.proceed(ctx),
            Action::Waitlist if matches!(self.purpose, Purpose::Sale) => {
                let party = self.selected.len().max(2);
                return Nav::Push(Screen::WaitlistForm(super::waitlist::WaitlistForm::new(self.slot.clone(), party)));
            }
            _ => {}
        }
        Nav::Stay
    }

    fn proceed(&mut self, ctx: &mut Ctx) -> Nav {
        if self.selected.is_empty() {
            ctx.error("Select seats first: space on a seat, or a digit for the best N");
            return Nav::Stay;
        }
        match &self.purpose {
            Purpose::Sale => {
                let seats = self.selected_seats().iter().map(|s| (s.row_label.clone(), s.number)).collect();
                match ctx.store.hold(self.slot.id, &SeatRequest::Seats(seats), ctx.operator, ctx.now, ctx.policy) {
                    Ok(hold) => {
                        Nav::Push(Screen::Booking(Box::new(BookingForm::resume(self.clone(), hold, ctx.draft.take()))))
                    }
                    Err(e) => {
                        ctx.error(e);
                        self.refresh(ctx);
                        Nav::Stay
                    }
                }
            }
            Purpose::Rebook(ticket) => match self.selected_seats().first() {
                Some(seat) => Nav::Push(Screen::RebookConfirm(RebookConfirm::new(
                    vec![(**ticket).clone()],
                    self.slot.clone(),
                    vec![(*seat).clone()],
                    false,
                ))),
                None => Nav::Stay,
            },
        }
    }

    fn toggle(&mut self, index: usize, ctx: &mut Ctx) {
        let Some(seat) = self.map.seats.get(index) else { return };
        if let Some(pos) = self.selected.iter().position(|id| *id == seat.id) {
            self.selected.remove(pos);
            return;
        }
        match seat.status {
            SeatStatus::Booked => ctx.error(format!("{} is sold", seat.label())),
            SeatStatus::Held => ctx.error(format!("{} is held by another counter", seat.label())),
            SeatStatus::Available if self.max_seats() == 1 => self.selected = vec![seat.id],
            SeatStatus::Available if self.selected.len() >= self.max_seats() => {
                ctx.error(format!("At most {} seats in one sale", self.max_seats()))
            }
            SeatStatus::Available => self.selected.push(seat.id),
        }
    }

    fn pick_best(&mut self, count: usize, ctx: &mut Ctx) {
        if count > self.max_seats() {
            ctx.error(format!("This picks at most {} seat(s)", self.max_seats()));
            return;
        }
        // A rebooking keeps the ticket's category where it can, so the price stays the same.
        let same_category = match &self.purpose {
            Purpose::Rebook(ticket) => best_seats_in(&self.map, count, Some(ticket.category)),
            Purpose::Sale => None,
        };
        match same_category.or_else(|| best_seats(&self.map, count)) {
            Some(mut ids) => {
                // In seat order, front row first, left to right.
                ids.sort_by_key(|id| self.map.seats.iter().position(|s| s.id == *id));
                self.selected = ids;
                if let Some(first) = self.selected.first() {
                    self.cursor = self.map.seats.iter().position(|s| s.id == *first).unwrap_or(self.cursor);
                }
                // What the cashier should ask the customer about.
                let mut notes = Vec::new();
                if !together(&self.map, &self.selected) {
                    notes.push(format!("not together: {}", by_rows(&self.map, &self.selected)));
                }
                if matches!(self.purpose, Purpose::Sale)
                    && let Some((category, ids, total)) = cheaper_block(&self.map, count, self.total())
                {
                    notes.push(format!(
                        "{category} seats together for {}: {} (these cost {})",
                        ctx.money(total),
                        by_rows(&self.map, &ids),
                        ctx.money(self.total())
                    ));
                }
                if !notes.is_empty() {
                    ctx.info(notes.join("; "));
                }
            }
            None => {
                let waitlist =
                    if matches!(self.purpose, Purpose::Sale) { "; w puts the party on the waiting list" } else { "" };
                ctx.error(format!("Not enough seats: {count} wanted, {} free{waitlist}", self.map.free_count()))
            }
        }
    }

    fn step_sideways(&mut self, delta: isize) {
        let Some(current) = self.cursor_seat() else { return };
        let row = current.grid_row;
        let next = self.cursor as isize + delta;
        if next >= 0 && (next as usize) < self.map.seats.len() && self.map.seats[next as usize].grid_row == row {
            self.cursor = next as usize;
        }
    }

    /// To the front row (nearest the screen) or the back row, keeping the column as near as
    /// it can.
    fn jump_to_row(&mut self, back: bool) {
        let rows = self.map.seats.iter().map(|s| s.grid_row);
        let Some(target) = (if back { rows.max() } else { rows.min() }) else { return };
        let Some(col) = self.cursor_seat().map(|s| i64::from(s.grid_col)) else { return };
        if let Some((index, _)) = self
            .map
            .seats
            .iter()
            .enumerate()
            .filter(|(_, s)| s.grid_row == target)
            .min_by_key(|(_, s)| (i64::from(s.grid_col) - col).abs())
        {
            self.cursor = index;
        }
    }

    /// Moves to the nearest seat (by column) in the next row up or down that has seats.
    fn step_rows(&mut self, delta: i64) {
        let Some(current) = self.cursor_seat() else { return };
        let (row, col) = (i64::from(current.grid_row), i64::from(current.grid_col));
        let target_row = self
            .map
            .seats
            .iter()
            .map(|s| i64::from(s.grid_row))
            .filter(|r| if delta < 0 { *r < row } else { *r > row })
            .min_by_key(|r| (r - row).abs());
        let Some(target_row) = target_row else { return };
        if let Some((index, _)) = self
            .map
            .seats
            .iter()
            .enumerate()
            .filter(|(_, s)| i64::from(s.grid_row) == target_row)
            .min_by_key(|(_, s)| (i64::from(s.grid_col) - col).abs())
        {
            self.cursor = index;
        }
    }
}

/// The seat nearest the middle of the hall, where the cursor starts.
fn centre_seat(map: &SeatMap) -> usize {
    let (rows, cols) = map.grid_size();
    let (mid_row, mid_col) = (i64::from(rows) / 2, i64::from(cols) / 2);
    map.seats
        .iter()
        .enumerate()
        .min_by_key(|(_, s)| (i64::from(s.grid_row) - mid_row).abs() * 2 + (i64::from(s.grid_col) - mid_col).abs())
        .map_or(0, |(i, _)| i)
}
