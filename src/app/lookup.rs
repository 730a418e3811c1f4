//! Ticket lookup by ticket or booking code, and cancellation with refund from there.

use super::rebook::RebookSlots;
use super::{Action, Ctx, InputMode, Nav, Screen};
use crate::domain::codes::{BOOKING_PREFIX, normalize_code};
use crate::domain::model::TicketDetails;
use crate::domain::money::Cents;

/// How many of a customer's bookings the lookup lists.
const FOUND: usize = 10;

/// The tickets of the bookings of the customer `typed` names (see `Store::find_bookings`),
/// newest booking first; `None` when nobody matches.
fn by_customer(typed: &str, ctx: &mut Ctx) -> Option<Vec<TicketDetails>> {
    let codes = ctx.store.find_bookings(typed, FOUND).ok()?;
    let mut tickets = Vec::new();
    for code in codes {
        tickets.extend(ctx.store.booking_tickets(&code).ok()?);
    }
    (!tickets.is_empty()).then_some(tickets)
}

#[derive(Debug, Clone, Default)]
pub struct Lookup {
    pub input: String,
    /// Where the cursor is in `input` (in characters).
    pub cursor: usize,
    /// The code typed is being edited (text mode).
    pub editing: bool,
    /// The ticket found, or all tickets of the booking found.
    pub tickets: Vec<TicketDetails>,
    pub selected: usize,
    /// What was last looked up, to re-read it after a change.
    pub looked_up: Option<String>,
}

impl Lookup {
    pub fn new() -> Lookup {
        Lookup { editing: true, ..Lookup::default() }
    }

    /// A lookup already showing these tickets (after a rebooking).
    pub fn showing(code: &str, ctx: &mut Ctx) -> Lookup {
        let mut lookup = Lookup { input: code.to_string(), cursor: code.chars().count(), ..Lookup::default() };
        lookup.search(code, ctx);
        lookup
    }

    pub fn input_mode(&self) -> InputMode {
        if self.editing { InputMode::Text } else { InputMode::Command }
    }

    pub fn selected_ticket(&self) -> Option<&TicketDetails> {
        self.tickets.get(self.selected)
    }

    pub fn refresh(&mut self, ctx: &mut Ctx) {
        if let Some(code) = self.looked_up.clone() {
            let keep = self.selected;
            self.search(&code, ctx);
            self.selected = keep.min(self.tickets.len().saturating_sub(1));
        }
    }

    fn search(&mut self, code: &str, ctx: &mut Ctx) {
        let code_typed = code;
        let code = normalize_code(code);
        let found = if code.starts_with(BOOKING_PREFIX) {
            ctx.store.booking_tickets(&code)
        } else {
            // A bare six characters may be either; a ticket first, then a booking.
            ctx.store.ticket(&code).map(|t| vec![t]).or_else(|e| {
                let bare = !code.contains('-');
                if bare {
                    ctx.store.booking_tickets(&format!("{BOOKING_PREFIX}-{code}")).map_err(|_| e)
                } else {
                    Err(e)
                }
            })
        };
        // Not a code: a customer's name or phone; their bookings, newest first.
        let found = found.or_else(|e| match by_customer(code_typed, ctx) {
            Some(tickets) => Ok(tickets),
            None if e.exit_code() == 3 || e.exit_code() == 5 => {
                Err(crate::store::Error::Domain(crate::domain::error::not_found(format!(
                    "no ticket, booking or customer '{}'",
                    crate::domain::text::excerpt(code_typed.trim())
                ))))
            }
            None => Err(e),
        });
        match found {
            Ok(tickets) => {
                self.tickets = tickets;
                self.selected = 0;
                self.looked_up = Some(code_typed.to_string());
                self.editing = false;
            }
            Err(e) => {
                self.tickets.clear();
                self.looked_up = None;
                ctx.error(e);
            }
        }
    }

    pub fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Nav {
        if self.editing {
            match action {
                edit if super::text_edit::edit(&mut self.input, &mut self.cursor, edit) => {}
                Action::Confirm if !self.input.trim().is_empty() => {
                    let code = self.input.clone();
                    self.search(&code, ctx);
                }
                Action::Back if !self.tickets.is_empty() => self.editing = false,
                Action::Back => return Nav::Pop,
                _ => {}
            }
            return Nav::Stay;
        }
        match action {
            Action::Up => self.selected = self.selected.saturating_sub(1),
            Action::Down => self.selected = (self.selected + 1).min(self.tickets.len().saturating_sub(1)),
            Action::Search | Action::Lookup => {
                self.input.clear();
                self.cursor = 0;
                self.editing = true;
            }
            Action::Rebook => return self.rebook(ctx, false),
            Action::RebookBooking => return self.rebook(ctx, true),
            Action::Print => return self.reprint(ctx),
            Action::CancelTicket => return self.cancel(false, ctx),
            Action::CancelBooking => return self.cancel(true, ctx),
            Action::Back | Action::Quit => return Nav::Pop,
            _ => {}
        }
        Nav::Stay
    }

    /// `p`: the print view of the chosen ticket's booking (its booked tickets, from the chosen
    /// one), to print them again.
    fn reprint(&mut self, ctx: &mut Ctx) -> Nav {
        let Some(chosen) = self.selected_ticket() else { return Nav::Stay };
        let booked: Vec<TicketDetails> = self
            .tickets
            .iter()
            .filter(|t| t.booking == chosen.booking && t.status == crate::domain::model::TicketStatus::Booked)
            .cloned()
            .collect();
        let Some(sale) = super::sold::sold(&booked) else {
            ctx.error(format!("{} is {}: only booked tickets are printed", chosen.code, chosen.status.name()));
            return Nav::Stay;
        };
        let print_index = booked.iter().position(|t| t.code == chosen.code).unwrap_or(0);
        if ctx.printer.is_some() {
            super::printing::print_sale(ctx, &sale, None);
        }
        Nav::Push(Screen::Confirmed(super::sold::Confirmed {
            sale,
            tendered: None,
            change: None,
            printing: true,
            print_index,
            reprint: true,
        }))
    }

    /// `r`: the chosen ticket to another show or seat; `R`: its whole booking, together.
    fn rebook(&mut self, ctx: &mut Ctx, together: bool) -> Nav {
        let Some(ticket) = self.selected_ticket() else { return Nav::Stay };
        if ticket.status != crate::domain::model::TicketStatus::Booked {
            ctx.error(format!("{} is {}: only a booked ticket can be rebooked", ticket.code, ticket.status.name()));
            return Nav::Stay;
        }
        match RebookSlots::open(ticket.clone(), ctx) {
            Some(pick) => Nav::Push(Screen::RebookSlots(RebookSlots { together, ..pick })),
            None => Nav::Stay,
        }
    }

    fn cancel(&mut self, whole_booking: bool, ctx: &mut Ctx) -> Nav {
        let Some(ticket) = self.selected_ticket().cloned() else { return Nav::Stay };
        let tickets: Vec<TicketDetails> = if whole_booking {
            // The whole booking, not just the tickets this lookup happens to show: the dialog
            // must list (and refund) exactly what the store will cancel.
            match ctx.store.booking_tickets(&ticket.booking) {
                Ok(all) => all.into_iter().filter(|t| t.status.is_live()).collect(),
                Err(e) => {
                    ctx.error(e);
                    return Nav::Stay;
                }
            }
        } else if ticket.status.is_live() {
            vec![ticket.clone()]
        } else {
            Vec::new()
        };
        if tickets.is_empty() {
            ctx.error(format!("Nothing to cancel: {} is {}", ticket.code, ticket.status.name()));
            return Nav::Stay;
        }
        // Past the cut-off, or a ticket already inside: refused, unless the theatre has
        // operators and a manager approves.
        let inside = tickets.iter().find(|t| t.checked_in.is_some());
        let refused = match (ctx.policy.check_refundable(&ticket.slot, ctx.now, false), inside) {
            (Ok(()), None) => None,
            (Err(e), _) if ctx.role.is_none() => {
                ctx.error(e);
                return Nav::Stay;
            }
            (Err(_), _) => Some(format!(
                "Past the refund cut-off ('{}' {})",
                crate::domain::text::excerpt(&ticket.slot.name),
                crate::domain::time::local(&ticket.slot.start).format("%H:%M")
            )),
            (Ok(()), Some(t)) => Some(format!(
                "{} was checked in at {}",
                t.code,
                t.checked_in.map(|at| crate::domain::time::local(&at).format("%H:%M").to_string()).unwrap_or_default()
            )),
        };
        let approval = match refused {
            Some(why) if ctx.role.is_none() => {
                ctx.error(format!("{why}: cancelling it needs 'ticketly cancel --force'"));
                return Nav::Stay;
            }
            why => why.map(super::approval::Approval::new),
        };
        let code = if whole_booking { ticket.booking.clone() } else { ticket.code.clone() };
        Nav::Push(Screen::CancelConfirm(CancelConfirm { code, tickets, approval }))
    }
}

/// "Cancel these tickets and refund this much?"
#[derive(Debug, Clone)]
pub struct CancelConfirm {
    /// The ticket or booking code to cancel.
    pub code: String,
    pub tickets: Vec<TicketDetails>,
    /// A manager's approval, when the refund is past the cut-off.
    pub approval: Option<super::approval::Approval>,
}

impl CancelConfirm {
    pub fn refund(&self) -> Cents {
        self.tickets.iter().filter(|t| t.status == crate::domain::model::TicketStatus::Booked).map(|t| t.price).sum()
    }

    pub fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Nav {
        if matches!(action, Action::Back | Action::Quit) {
            return Nav::Pop;
        }
        let approved = if self.approval.is_some() {
            let code = &self.code;
            let what = |a: &super::approval::Approval| format!("refund: {} (cancel --force {code})", a.why);
            match super::approval::answer(&mut self.approval, action, ctx.store, ctx.now, what) {
                Some(approved) => Some(approved),
                None => return Nav::Stay,
            }
        } else if action == Action::Confirm {
            None
        } else {
            return Nav::Stay;
        };
        // An approved refund is journalled in its own transaction, and forces it: both or neither.
        let force = approved.is_some();
        let approval = approved.as_ref().map(|a| a.for_store(ctx.operator));
        let (operator, now, policy) = (ctx.operator, ctx.now, ctx.policy);
        match ctx.store.approved(approval, now, |store| store.cancel(&self.code, operator, force, now, policy)) {
            Ok(done) => {
                let note = approved.map(|a| format!(" · approved by {} ({})", a.manager, a.reason)).unwrap_or_default();
                ctx.info(format!(
                    "Canceled {}; refund {} ({}){note}",
                    done.canceled.join(", "),
                    ctx.money(done.refund),
                    done.payment.name()
                ));
                Nav::Pop
            }
            Err(e) => {
                ctx.error(e);
                Nav::Pop
            }
        }
    }
}
