//! Rebooking from a looked-up ticket: pick a new slot (same film first), then a seat on its
//! grid, then confirm with the price difference to charge or refund.

use super::lookup::Lookup;
use super::seats::{Purpose, SeatPicker};
use super::{Action, Ctx, Nav, Screen};
use crate::domain::model::{Slot, SlotSummary, TicketDetails};
use crate::domain::money::Cents;
use crate::domain::seatmap::Seat;
use crate::store::{RebookRequest, SlotFilter};

#[derive(Debug, Clone)]
pub struct RebookSlots {
    pub ticket: TicketDetails,
    /// Slots still on sale: the same film first, then the rest by time.
    pub slots: Vec<SlotSummary>,
    pub selected: usize,
    /// Moving the ticket's whole booking together (to the best seats side by side).
    pub together: bool,
}

impl RebookSlots {
    pub fn open(ticket: TicketDetails, ctx: &mut Ctx) -> Option<RebookSlots> {
        let filter =
            SlotFilter { not_ended_at: Some(ctx.now), cinema: ctx.cinema.map(str::to_string), ..SlotFilter::default() };
        match ctx.store.slots(&filter, ctx.now) {
            Ok(all) => {
                // Shows on sale with a free seat (the ticket's own show always, to change seats).
                let mut slots: Vec<SlotSummary> = all
                    .into_iter()
                    .filter(|s| ctx.policy.check_sellable(&s.slot, ctx.now).is_ok())
                    .filter(|s| s.seats_free > 0 || s.slot.id == ticket.slot.id)
                    .collect();
                // Stable sort: same film first, each group still by start time.
                slots.sort_by_key(|s| !s.slot.name.eq_ignore_ascii_case(&ticket.slot.name));
                let selected = slots.iter().position(|s| s.slot.id != ticket.slot.id).unwrap_or(0);
                Some(RebookSlots { ticket, slots, selected, together: false })
            }
            Err(e) => {
                ctx.error(e);
                None
            }
        }
    }

    pub fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Nav {
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(self.slots.len().saturating_sub(1)),
            Action::PageUp => self.selected = self.selected.saturating_sub(10),
            Action::PageDown => self.selected = (self.selected + 10).min(self.slots.len().saturating_sub(1)),
            Action::Back | Action::Quit => return Nav::Pop,
            Action::Confirm if self.together => return self.move_booking(ctx),
            Action::Confirm => {
                let Some(summary) = self.slots.get(self.selected) else { return Nav::Stay };
                let purpose = Purpose::Rebook(Box::new(self.ticket.clone()));
                if let Some(picker) = SeatPicker::open(summary.slot.clone(), purpose, ctx) {
                    return Nav::Push(Screen::Seats(picker));
                }
            }
            _ => {}
        }
        Nav::Stay
    }
}

impl RebookSlots {
    /// Enter with `together`: the whole booking moves to the chosen show at once.
    fn move_booking(&mut self, ctx: &mut Ctx) -> Nav {
        let Some(summary) = self.slots.get(self.selected) else { return Nav::Stay };
        match ctx.store.rebook_booking(&self.ticket.booking, summary.slot.id, ctx.operator, false, ctx.now, ctx.policy)
        {
            Ok(done) => {
                let money = difference_words(done.difference, ctx);
                let seats: Vec<&str> = done.new.iter().map(|t| t.seat.as_str()).collect();
                let booking = done.new.first().map(|t| t.booking.clone()).unwrap_or_default();
                ctx.info(format!("Moved together to {booking}: seats {}; {money}", seats.join(" ")));
                Nav::Reset(Screen::Lookup(Lookup::showing(&booking, ctx)))
            }
            Err(e) => {
                ctx.error(e);
                Nav::Stay
            }
        }
    }
}

#[derive(Debug, Clone)]
pub struct RebookConfirm {
    pub ticket: TicketDetails,
    pub slot: Slot,
    pub seat: Seat,
}

impl RebookConfirm {
    pub fn new(ticket: TicketDetails, slot: Slot, seat: Seat) -> RebookConfirm {
        RebookConfirm { ticket, slot, seat }
    }

    /// New price minus old: positive to charge, negative to refund.
    pub fn difference(&self) -> Cents {
        self.seat.price - self.ticket.price
    }

    pub fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Nav {
        match action {
            Action::Back | Action::Quit => Nav::Pop,
            Action::Confirm => {
                let request = RebookRequest {
                    ticket: self.ticket.code.clone(),
                    slot: self.slot.id,
                    seat: Some((self.seat.row_label.clone(), self.seat.number)),
                    operator: ctx.operator.to_string(),
                    force: false,
                };
                match ctx.store.rebook(&request, ctx.now, ctx.policy) {
                    Ok(done) => {
                        let money = difference_words(done.difference, ctx);
                        ctx.info(format!("Rebooked to {} seat {}: {money}", done.new.code, done.new.seat));
                        let code = done.new.code.clone();
                        Nav::Reset(Screen::Lookup(Lookup::showing(&code, ctx)))
                    }
                    Err(e) => {
                        ctx.error(e);
                        Nav::Pop
                    }
                }
            }
            _ => Nav::Stay,
        }
    }
}

/// A rebooking's price difference as the cashier says it.
fn difference_words(difference: Cents, ctx: &Ctx) -> String {
    match difference {
        0 => "no price difference".to_string(),
        d if d > 0 => format!("charge {} more", ctx.money(d)),
        d => format!("refund {}", ctx.money(-d)),
    }
}
