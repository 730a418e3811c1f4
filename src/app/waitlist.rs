//! The waiting list at the counter: put a party on a show's list, see the queue with the seats
//! offered to it, sell offered seats when the customer comes to pay, take entries off.

use super::{Action, Ctx, InputMode, Nav, Screen};
use crate::domain::model::{PaymentMethod, Slot};
use crate::domain::waitlist::{WaitStatus, WaitlistEntry};

/// A show's waiting list.
#[derive(Debug, Clone)]
pub struct WaitlistView {
    pub slot: Slot,
    pub entries: Vec<WaitlistEntry>,
    pub selected: usize,
    /// How the next offered seats are paid.
    pub method: PaymentMethod,
    /// The entry `x` was pressed on once: a second `x` removes it, any other key keeps it.
    pub confirm_remove: Option<i64>,
}

impl WaitlistView {
    pub fn open(slot: Slot, ctx: &mut Ctx) -> WaitlistView {
        let mut view =
            WaitlistView { slot, entries: Vec::new(), selected: 0, method: PaymentMethod::Cash, confirm_remove: None };
        view.refresh(ctx);
        view
    }

    pub fn refresh(&mut self, ctx: &mut Ctx) {
        match ctx.store.waitlist(Some(self.slot.id), ctx.now, ctx.policy) {
            Ok(entries) => {
                self.entries = entries;
                self.selected = self.selected.min(self.entries.len().saturating_sub(1));
            }
            Err(e) => ctx.error(e),
        }
    }

    pub fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Nav {
        let confirming = self.confirm_remove.take();
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(self.entries.len().saturating_sub(1)),
            Action::Toggle | Action::NextField => {
                self.method = match self.method {
                    PaymentMethod::Cash => PaymentMethod::Card,
                    PaymentMethod::Card => PaymentMethod::Cash,
                }
            }
            Action::Add => return Nav::Push(Screen::WaitlistForm(WaitlistForm::new(self.slot.clone(), 2))),
            Action::Remove => self.remove(confirming, ctx),
            Action::Confirm => return self.sell(ctx),
            Action::Back | Action::Quit => return Nav::Pop,
            _ => {}
        }
        Nav::Stay
    }

    /// Enter on a party with seats offered: the booking form, as for any sale (total, payment,
    /// cash tendered), then the sold screen with the ticket codes and printing.
    fn sell(&mut self, ctx: &mut Ctx) -> Nav {
        let Some(entry) = self.entries.get(self.selected).cloned() else { return Nav::Stay };
        let (WaitStatus::Offered, Some(booking), Some(expires)) = (entry.status, &entry.booking, entry.hold_expires)
        else {
            ctx.error(format!("{} has no seats offered yet ({})", entry.name, entry.status.name()));
            return Nav::Stay;
        };
        let Some(picker) = super::seats::SeatPicker::open(self.slot.clone(), super::seats::Purpose::Sale, ctx) else {
            return Nav::Stay;
        };
        let seats = picker.map.seats.iter().filter(|s| entry.held_seats.contains(&s.label())).cloned().collect();
        let hold = crate::store::Hold { booking: booking.clone(), slot: self.slot.clone(), seats, expires };
        Nav::Push(Screen::Booking(Box::new(super::booking::BookingForm::for_offer(picker, hold, &entry, self.method))))
    }

    /// Takes the chosen party off the list on the second `x` (their offered seats pass on).
    fn remove(&mut self, confirming: Option<i64>, ctx: &mut Ctx) {
        let Some(entry) = self.entries.get(self.selected) else { return };
        if confirming != Some(entry.id) {
            self.confirm_remove = Some(entry.id);
            let seats = if entry.held_seats.is_empty() { String::new() } else { " and release their seats".into() };
            ctx.error(format!("Press x again to take {} off the list{seats}; any other key keeps them", entry.name));
            return;
        }
        match ctx.store.waitlist_remove(entry.id, ctx.now, ctx.policy) {
            Ok(e) => ctx.info(format!("{} is off the waiting list", e.name)),
            Err(e) => ctx.error(e),
        }
        self.refresh(ctx);
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WaitField {
    Name,
    Phone,
    Seats,
}

/// "Put this party on the waiting list."
#[derive(Debug, Clone)]
pub struct WaitlistForm {
    pub slot: Slot,
    pub name: String,
    pub phone: String,
    pub seats: String,
    pub focus: WaitField,
    pub error: Option<String>,
    /// Where the cursor is in the focused field (in characters).
    pub cursor: usize,
}

impl WaitlistForm {
    pub fn new(slot: Slot, seats: usize) -> WaitlistForm {
        WaitlistForm {
            slot,
            name: String::new(),
            phone: String::new(),
            seats: seats.to_string(),
            focus: WaitField::Name,
            error: None,
            cursor: 0,
        }
    }

    pub fn input_mode(&self) -> InputMode {
        InputMode::Text
    }

    pub fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Nav {
        let field = match self.focus {
            WaitField::Name => &mut self.name,
            WaitField::Phone => &mut self.phone,
            WaitField::Seats => &mut self.seats,
        };
        match action {
            edit if super::text_edit::edit(field, &mut self.cursor, edit) => return Nav::Stay,
            Action::NextField | Action::Down => {
                self.focus = match self.focus {
                    WaitField::Name => WaitField::Phone,
                    WaitField::Phone => WaitField::Seats,
                    WaitField::Seats => WaitField::Name,
                }
            }
            Action::PrevField | Action::Up => {
                self.focus = match self.focus {
                    WaitField::Name => WaitField::Seats,
                    WaitField::Phone => WaitField::Name,
                    WaitField::Seats => WaitField::Phone,
                }
            }
            Action::Back => return Nav::Pop,
            Action::Confirm => return self.add(ctx),
            _ => {}
        }
        // On another field: the cursor goes to its end.
        self.cursor = match self.focus {
            WaitField::Name => &self.name,
            WaitField::Phone => &self.phone,
            WaitField::Seats => &self.seats,
        }
        .chars()
        .count();
        Nav::Stay
    }

    fn add(&mut self, ctx: &mut Ctx) -> Nav {
        let Ok(seats) = self.seats.trim().parse::<usize>() else {
            self.error = Some(format!("Seats must be a number from 1 to 10, not '{}'", self.seats));
            return Nav::Stay;
        };
        let phone = Some(self.phone.as_str()).filter(|p| !p.trim().is_empty());
        // A show with enough free seats sells them; the list is for a party that cannot be seated.
        match ctx.store.seat_map(self.slot.id, ctx.now) {
            Ok(map) if map.free_count() >= seats => {
                self.error = Some(format!(
                    "{} seats are free: sell them (Esc, then pick seats); the list is for when too few are",
                    map.free_count()
                ));
                return Nav::Stay;
            }
            _ => {}
        }
        match ctx.store.waitlist_add(self.slot.id, &self.name, phone, seats, ctx.now, ctx.policy) {
            Ok(entry) => {
                let news = match entry.status {
                    WaitStatus::Offered => format!("seats {} held for them now", entry.held_seats.join(" ")),
                    _ => "they will be offered seats as they come free".to_string(),
                };
                let place = WaitlistView::open(self.slot.clone(), ctx)
                    .entries
                    .iter()
                    .filter(|e| matches!(e.status, WaitStatus::Waiting | WaitStatus::Offered))
                    .position(|e| e.id == entry.id)
                    .map_or(0, |i| i + 1);
                ctx.info(format!("{} is number {place} on the waiting list: {news}", entry.name));
                Nav::Reset(Screen::Waitlist(WaitlistView::open(self.slot.clone(), ctx)))
            }
            Err(e) => {
                self.error = Some(e.to_string());
                Nav::Stay
            }
        }
    }
}
