//! A counter whose connection to the PostgreSQL server drops in the middle of a sale finds out,
//! by the hold's booking code, whether the sale went through, and says so: it never sells the
//! seats twice nor leaves the cashier guessing.

use crossterm::event::KeyCode;

use super::testing::{NOW, app_on, press, t};
use super::{Message, Screen};
use crate::domain::model::{Customer, PaymentMethod, TicketStatus};
use crate::store::test_support::{backend_pid, cut_connection, each_engine};

/// Opens the upcoming show, takes the best two seats and stops at the booking form.
fn hold_two(app: &mut super::App, slot: i64) -> String {
    while app.schedule.selected_slot().map(|s| s.slot.id) != Some(slot) {
        press(app, KeyCode::Down);
    }
    for key in [KeyCode::Enter, KeyCode::Char('2'), KeyCode::Enter] {
        press(app, key);
    }
    let Some(Screen::Booking(form)) = app.screens.last() else { panic!("no booking form: {:?}", app.message) };
    form.hold.booking.clone()
}

#[test]
fn a_sale_whose_reply_was_lost_is_shown_as_sold_and_one_that_never_arrived_sells_on_enter() {
    each_engine(|db| {
        if !db.postgres {
            return;
        }
        let (mut app, slots) = app_on(db);
        let mut office = db.open();
        // The commit reached the server but its reply never came back: here another connection
        // commits the very sale, then the counter's line is cut before it hears anything.
        let booking = hold_two(&mut app, slots.upcoming);
        office.confirm_hold(&booking, &Customer::default(), PaymentMethod::Cash, "till1", t(NOW)).expect("commit");
        let pid = backend_pid(&mut app.store);
        cut_connection(&mut office, pid);
        press(&mut app, KeyCode::Enter);
        let Some(Screen::Confirmed(done)) = app.screens.last() else { panic!("not shown as sold: {:?}", app.message) };
        assert_eq!(done.sale.booking, booking);
        assert!(matches!(&app.message, Some(Message::Info(m)) if m.contains("went through")), "{:?}", app.message);
        let tickets = office.booking_tickets(&booking).expect("tickets");
        assert!(tickets.iter().all(|t| t.status == TicketStatus::Booked) && tickets.len() == 2);
        assert_eq!(office.report(t(NOW).date()).expect("report").methods[0].tickets_sold, 2 + 4, "sold once");

        // The line drops before the sale reaches the server: nothing sold, and Enter sells.
        press(&mut app, KeyCode::Esc);
        let booking = hold_two(&mut app, slots.upcoming);
        let pid = backend_pid(&mut app.store);
        cut_connection(&mut office, pid);
        press(&mut app, KeyCode::Enter);
        let Some(Screen::Booking(form)) = app.screens.last() else { panic!("left the form: {:?}", app.message) };
        assert!(form.error.as_deref().is_some_and(|e| e.contains("nothing was sold")), "{:?}", form.error);
        assert!(office.booking_tickets(&booking).expect("tickets").iter().all(|t| t.status == TicketStatus::Held));
        press(&mut app, KeyCode::Enter);
        assert!(matches!(app.screens.last(), Some(Screen::Confirmed(_))), "{:?}", app.message);
        assert!(office.booking_tickets(&booking).expect("tickets").iter().all(|t| t.status == TicketStatus::Booked));
    });
}
