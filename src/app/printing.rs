//! `p` with a receipt printer: the sale's tickets and its receipt in ESC/POS, sent at once. A
//! printer that is off or unplugged is a message on the status line: the sale stands, and `p`
//! tries again.

use super::Ctx;
use crate::domain::model::Sale;
use crate::domain::money::Cents;
use crate::escpos::{Document, Receipt, TicketFace};

/// Prints every ticket of `sale`, then its receipt (with the cash tendered, when known).
pub fn print_sale(ctx: &mut Ctx, sale: &Sale, tendered: Option<Cents>) {
    let Some(printer) = ctx.printer else { return };
    let mut doc = Document::new(printer.width, ctx.currency);
    for t in &sale.tickets {
        let face = TicketFace {
            code: &t.code,
            booking: &sale.booking,
            seat: &t.seat,
            category: t.category,
            ticket_type: &t.ticket_type,
            price: t.price,
            slot: &sale.slot,
        };
        doc.ticket(ctx.theatre, &face);
    }
    let receipt = Receipt {
        booking: &sale.booking,
        total: sale.total,
        payment: sale.payment,
        tendered,
        operator: ctx.operator,
        at: ctx.now,
    };
    doc.receipt(ctx.theatre, &receipt);
    let device = printer.device.clone();
    match crate::escpos::send(&device, &doc.into_bytes()) {
        Ok(()) => {
            let n = sale.tickets.len();
            ctx.info(format!("Printed {n} ticket{} and the receipt on {device}", if n == 1 { "" } else { "s" }));
        }
        Err(e) => ctx.error(format!("{e}: the sale stands; p prints again")),
    }
}

#[cfg(test)]
mod tests {
    use crossterm::event::KeyCode;

    use super::super::testing::{app, press};
    use super::super::{Message, Printer, Screen};

    #[test]
    fn p_after_a_sale_prints_the_tickets_and_the_receipt_and_an_offline_printer_loses_nothing() {
        let (device, printer) = crate::escpos::loopback_printer();
        let (mut app, slots) = app();
        app.printer = Some(Printer { device, width: 42 });
        let index = app.schedule.visible().iter().position(|s| s.slot.id == slots.upcoming).expect("listed");
        app.schedule.selected = index;
        for key in [KeyCode::Enter, KeyCode::Char('2'), KeyCode::Enter, KeyCode::Enter] {
            press(&mut app, key);
        }
        let Some(Screen::Confirmed(done)) = app.screens.last() else { panic!("not sold: {:?}", app.message) };
        let codes: Vec<String> = done.sale.tickets.iter().map(|t| t.code.clone()).collect();
        press(&mut app, KeyCode::Char('p'));
        assert!(
            matches!(&app.message, Some(Message::Info(m)) if m.starts_with("Printed 2 tickets")),
            "{:?}",
            app.message
        );
        let bytes = printer.join().expect("printer");
        let text = crate::escpos::dump(&bytes);
        assert!(codes.iter().all(|c| text.contains(c.as_str())), "every ticket's code: {text}");
        assert_eq!(text.matches("<1D>VB<03>").count(), 3, "a cut after each ticket and after the receipt");
        assert!(text.contains("RECEIPT"));
        // Nothing listens any more: a message, and the sale stands.
        press(&mut app, KeyCode::Char('p'));
        assert!(matches!(&app.message, Some(Message::Error(m)) if m.contains("the sale stands")), "{:?}", app.message);
        assert!(matches!(app.screens.last(), Some(Screen::Confirmed(_))));
        assert!(codes.iter().all(|c| app.store.ticket(c).expect("ticket").status.name() == "booked"));
    }
}
