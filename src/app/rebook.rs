//! Rebooking from a looked-up ticket: pick a new slot (same film first), then a seat on its
//! grid (or, for the whole booking, the best seats together), then settle the price difference
//! to charge or refund, cash or card.

use super::lookup::Lookup;
use super::seats::{Purpose, SeatPicker};
use super::{Action, Ctx, InputMode, Nav, Screen};
use crate::domain::best::best_seats;
use crate::domain::model::{PaymentMethod, Slot, SlotSummary, TicketDetails, TicketStatus};
use crate::domain::money::{Cents, format_amount, parse_typed_amount};
use crate::domain::seatmap::{Seat, SeatStatus};
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
    /// Enter with `together`: where the party would sit in the chosen show (the best seats
    /// together now), and the difference to settle, before anything moves.
    fn move_booking(&mut self, ctx: &mut Ctx) -> Nav {
        let Some(summary) = self.slots.get(self.selected) else { return Nav::Stay };
        let preview = ctx.store.booking_tickets(&self.ticket.booking).and_then(|tickets| {
            let map = ctx.store.seat_map(summary.slot.id, ctx.now)?;
            Ok((tickets, map))
        });
        let (tickets, mut map) = match preview {
            Ok(found) => found,
            Err(e) => {
                ctx.error(e);
                return Nav::Stay;
            }
        };
        let old: Vec<TicketDetails> = tickets.into_iter().filter(|t| t.status == TicketStatus::Booked).collect();
        // Within the same show the party's own seats are theirs to move into.
        for seat in
            map.seats.iter_mut().filter(|s| old.iter().any(|t| t.slot.id == summary.slot.id && t.seat == s.label()))
        {
            seat.status = SeatStatus::Available;
        }
        let Some(ids) = best_seats(&map, old.len()) else {
            ctx.error(format!("'{}' has not {} seats free for the party", summary.slot.name, old.len()));
            return Nav::Stay;
        };
        let seats = map.seats.iter().filter(|s| ids.contains(&s.id)).cloned().collect();
        Nav::Push(Screen::RebookConfirm(RebookConfirm::new(old, summary.slot.clone(), seats, true)))
    }
}

/// The last step of a rebooking: where the tickets go, and how the price difference is settled
/// (cash or card, and for cash taken in, what the customer handed over).
#[derive(Debug, Clone)]
pub struct RebookConfirm {
    /// The tickets that move: one, or every booked ticket of the booking.
    pub old: Vec<TicketDetails>,
    pub slot: Slot,
    /// Where they go; for a whole booking, the best seats together when this screen opened.
    pub seats: Vec<Seat>,
    /// Moving the whole booking together.
    pub together: bool,
    pub method: PaymentMethod,
    /// Cash handed over, as typed; empty means the exact amount.
    pub tendered: String,
    pub cursor: usize,
    /// Why Enter did nothing (a short tendered amount); gone at the next edit.
    pub error: Option<String>,
    /// A manager's approval, asked for at Enter when the everyday rules refuse the move (past
    /// the cut-off, or a ticket already inside).
    pub approval: Option<super::approval::Approval>,
}

impl RebookConfirm {
    pub fn new(old: Vec<TicketDetails>, slot: Slot, mut seats: Vec<Seat>, together: bool) -> RebookConfirm {
        let method = old.first().map_or(PaymentMethod::Cash, |t| t.payment);
        // Each ticket keeps its type: the new seat costs the new show's price for that type.
        for (seat, ticket) in seats.iter_mut().zip(&old) {
            if let Some(price) = slot.price_of(&ticket.ticket_type, seat.category) {
                seat.price = price;
            }
        }
        RebookConfirm {
            old,
            slot,
            seats,
            together,
            method,
            tendered: String::new(),
            cursor: 0,
            error: None,
            approval: None,
        }
    }

    /// New prices minus old: positive to charge, negative to refund.
    pub fn difference(&self) -> Cents {
        self.seats.iter().map(|s| s.price).sum::<Cents>() - self.old.iter().map(|t| t.price).sum::<Cents>()
    }

    /// Cash is being taken in: the cashier types what the customer hands over.
    pub fn takes_cash(&self) -> bool {
        self.method == PaymentMethod::Cash && self.difference() > 0
    }

    pub fn input_mode(&self) -> InputMode {
        if self.takes_cash() || self.approval.is_some() { InputMode::Text } else { InputMode::Command }
    }

    /// Cash tendered, or `None` for exact money, card or nothing to take; an error (amounts
    /// with `currency`) when it does not cover the difference.
    pub fn tendered_amount(&self, currency: &str) -> Result<Option<Cents>, String> {
        if !self.takes_cash() || self.tendered.trim().is_empty() {
            return Ok(None);
        }
        let amount = parse_typed_amount(&self.tendered).map_err(|e| e.to_string())?;
        if amount < self.difference() {
            return Err(format!(
                "Tendered {currency}{} is less than the {currency}{} to pay",
                format_amount(amount),
                format_amount(self.difference())
            ));
        }
        Ok(Some(amount))
    }

    pub fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Nav {
        if self.approval.is_some() {
            let code = if self.together { &self.old[0].booking } else { &self.old[0].code };
            let what = |a: &super::approval::Approval| format!("rebooking: {} (rebook --force {code})", a.why);
            return match super::approval::answer(&mut self.approval, action, ctx.store, ctx.now, what) {
                Some(approved) => self.commit(ctx, Some(approved)),
                None => Nav::Stay,
            };
        }
        match action {
            Action::Back | Action::Quit => return Nav::Pop,
            Action::Confirm => match (self.refused(ctx), self.tendered_amount(ctx.currency)) {
                // A short tendered amount first: the manager is not asked twice.
                (_, Err(e)) => self.error = Some(e),
                // With operators a manager may approve what the rules refuse; without, it is refused.
                (Some(why), _) if ctx.role.is_some() => self.approval = Some(super::approval::Approval::new(why)),
                _ => return self.commit(ctx, None),
            },
            Action::NextField | Action::PrevField | Action::Toggle => {
                self.method = match self.method {
                    PaymentMethod::Cash => PaymentMethod::Card,
                    PaymentMethod::Card => PaymentMethod::Cash,
                };
                self.error = None;
            }
            edit if self.takes_cash() && super::text_edit::edit(&mut self.tendered, &mut self.cursor, edit) => {
                self.error = None;
            }
            _ => {}
        }
        Nav::Stay
    }

    /// Why the everyday rules refuse this move, if they do: the old show is past the refund
    /// cut-off, or a ticket is already inside.
    fn refused(&self, ctx: &Ctx) -> Option<String> {
        let first = self.old.first()?;
        if ctx.policy.check_refundable(&first.slot, ctx.now, false).is_err() {
            let start = crate::domain::time::local(&first.slot.start).format("%H:%M");
            return Some(format!("Past the cut-off ('{}' {start})", crate::domain::text::excerpt(&first.slot.name)));
        }
        let inside = self.old.iter().find(|t| t.checked_in.is_some())?;
        let at = inside.checked_in.map(|at| crate::domain::time::local(&at).format("%H:%M").to_string());
        Some(format!("{} was checked in at {}", inside.code, at.unwrap_or_default()))
    }

    /// Moves the tickets; `approved`: a manager's approval of what the rules refuse (journalled
    /// with the move, which it forces).
    fn commit(&mut self, ctx: &mut Ctx, approved: Option<super::approval::Approved>) -> Nav {
        let force = approved.is_some();
        let tendered = match self.tendered_amount(ctx.currency) {
            Ok(t) => t,
            Err(e) => {
                self.error = Some(e);
                return Nav::Stay;
            }
        };
        let first = &self.old[0];
        let request = RebookRequest {
            ticket: if self.together { first.booking.clone() } else { first.code.clone() },
            slot: self.slot.id,
            seat: if self.together { None } else { self.seats.first().map(|s| (s.row_label.clone(), s.number)) },
            operator: ctx.operator.to_string(),
            force,
            method: Some(self.method),
        };
        let approval = approved.as_ref().map(|a| a.for_store(ctx.operator));
        let (together, now, policy) = (self.together, ctx.now, ctx.policy);
        let done = ctx.store.approved(approval, now, |store| {
            if together {
                store.rebook_booking(&request, now, policy).map(|r| (r.new, r.difference))
            } else {
                store.rebook(&request, now, policy).map(|r| (vec![r.new], r.difference))
            }
        });
        match done {
            Ok((new, difference)) => {
                let seats: Vec<&str> = new.iter().map(|t| t.seat.as_str()).collect();
                let money = settled_words(difference, self.method, tendered, ctx);
                let (shown, words) = match &new[..] {
                    [one] if !self.together => {
                        (one.code.clone(), format!("rebooked to {} seat {}", one.code, one.seat))
                    }
                    _ => {
                        let booking = new.first().map(|t| t.booking.clone()).unwrap_or_default();
                        (booking.clone(), format!("moved together to {booking}: seats {}", seats.join(" ")))
                    }
                };
                // What to hand back comes first: the status line is cut on a narrow screen.
                ctx.info(format!("{money} · {words}"));
                Nav::Reset(Screen::Lookup(Lookup::showing(&shown, ctx)))
            }
            Err(e) => {
                ctx.error(e);
                Nav::Pop
            }
        }
    }
}

/// A settled difference as the cashier says it, what to hand over first: "Change £3.00 ·
/// charged £2.00 more (cash), tendered £5.00", "Refund £1.50 (card)". The difference is the
/// one the database made: if other counters took the previewed seats meanwhile, it can differ
/// from the screen's.
fn settled_words(difference: Cents, method: PaymentMethod, tendered: Option<Cents>, ctx: &Ctx) -> String {
    let how = method.name();
    match (difference, tendered) {
        (0, _) => "No price difference".to_string(),
        (d, Some(t)) if d > 0 && t >= d => {
            format!("Change {} · charged {} more ({how}), tendered {}", ctx.money(t - d), ctx.money(d), ctx.money(t))
        }
        (d, Some(t)) if d > 0 => {
            format!("Take {} more · charged {} ({how}), {} tendered", ctx.money(d - t), ctx.money(d), ctx.money(t))
        }
        (d, _) if d > 0 => format!("Charged {} more ({how})", ctx.money(d)),
        (d, _) => format!("Refund {} ({how})", ctx.money(-d)),
    }
}
