//! The sale is made: the sold screen (codes to read out, change to hand back, tickets to print)
//! and the sale a booking's tickets record.

use super::{Action, Ctx, Nav, Screen};
use crate::domain::model::{IssuedTicket, Sale, TicketDetails, TicketStatus};
use crate::domain::money::Cents;

/// The sale is made: codes to read out, change to hand back, a ticket view to print.
#[derive(Debug, Clone)]
pub struct Confirmed {
    pub sale: Sale,
    pub tendered: Option<Cents>,
    pub change: Option<Cents>,
    /// Showing the printable ticket view.
    pub printing: bool,
    /// Which ticket the print view shows.
    pub print_index: usize,
    /// A reprint from the lookup: leaving goes back there, not to the schedule.
    pub reprint: bool,
}

impl Confirmed {
    pub fn handle(&mut self, action: Action, ctx: &mut Ctx) -> Nav {
        match action {
            // With a receipt printer `p` prints the tickets and the receipt; without, it shows them.
            Action::Print if ctx.printer.is_some() => super::printing::print_sale(ctx, &self.sale, self.tendered),
            Action::Print => self.printing = !self.printing,
            Action::Back if self.printing => self.printing = false,
            Action::Right | Action::Down if self.printing => {
                self.print_index = (self.print_index + 1).min(self.sale.tickets.len().saturating_sub(1));
            }
            Action::Left | Action::Up if self.printing => self.print_index = self.print_index.saturating_sub(1),
            Action::Confirm | Action::Back | Action::Quit if self.reprint => return Nav::Pop,
            Action::Confirm | Action::Back | Action::Quit => return Nav::Home,
            _ => {}
        }
        Nav::Stay
    }
}

/// The sold screen for `sale`, with the change due; the customer's draft is done with.
pub(super) fn sold_screen(sale: Sale, tendered: Option<Cents>, ctx: &mut Ctx) -> Nav {
    let change = tendered.map(|t| t - sale.total);
    *ctx.draft = None;
    Nav::Reset(Screen::Confirmed(Confirmed { sale, tendered, change, printing: false, print_index: 0, reprint: false }))
}

/// The sale a booking's tickets record, if they were sold (all booked).
pub(super) fn sold(tickets: &[TicketDetails]) -> Option<Sale> {
    let first = tickets.first()?;
    if !tickets.iter().all(|t| t.status == TicketStatus::Booked) {
        return None;
    }
    Some(Sale {
        booking: first.booking.clone(),
        slot: first.slot.clone(),
        tickets: tickets
            .iter()
            .map(|t| IssuedTicket {
                code: t.code.clone(),
                seat: t.seat.clone(),
                category: t.category,
                ticket_type: t.ticket_type.clone(),
                price: t.price,
            })
            .collect(),
        total: tickets.iter().map(|t| t.price).sum(),
        customer: first.customer.clone(),
        payment: first.payment,
    })
}
