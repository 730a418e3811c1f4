//! End-to-end key flows through `App::update`, checked against the database afterwards.

use crossterm::event::{KeyCode, KeyModifiers};
use proptest::prelude::*;

use super::testing::{self, NOW, Slots, app, app_on, draw, press, press_with, t, type_text};
use super::{App, Message, Screen};
use crate::domain::model::{PaymentMethod, TicketStatus};
use crate::domain::policy::Policy;
use crate::store::Store;
use crate::store::test_support::each_engine;

fn highlight(app: &mut App, slot: i64) {
    while app.schedule.selected_slot().map(|s| s.slot.id) != Some(slot) {
        let before = app.schedule.selected;
        press(app, KeyCode::Down);
        assert_ne!(before, app.schedule.selected, "slot {slot} is not on the schedule");
    }
}

#[test]
fn a_walk_in_buys_two_seats_for_exact_cash_in_four_keys() {
    each_engine(|db| {
        // A real database file, read back through a second connection afterwards.
        let path = &db.target;
        let slots = testing::fill(&mut Store::open(path).expect("create"));
        let mut app = App::new(Store::open(path).expect("open"), Policy::default(), "till1".into(), t(NOW));
        highlight(&mut app, slots.upcoming);
        let before = app.store.slot_tickets(slots.upcoming).expect("tickets").len();
        for key in [KeyCode::Enter, KeyCode::Char('2'), KeyCode::Enter, KeyCode::Enter] {
            press(&mut app, key);
        }
        let Some(Screen::Confirmed(done)) = app.screens.last() else { panic!("not confirmed: {:?}", app.message) };
        assert_eq!(done.sale.tickets.len(), 2);
        assert_eq!(done.sale.payment, PaymentMethod::Cash);
        let tickets = app.store.slot_tickets(slots.upcoming).expect("tickets");
        assert_eq!(tickets.len(), before + 2);
        let sold: Vec<_> = tickets.iter().filter(|t| t.booking == done.sale.booking).collect();
        assert_eq!(sold.len(), 2);
        assert!(sold.iter().all(|t| t.customer.name.is_none() && t.operator == "till1" && t.price == 950));
        let mut reader = Store::open(path).expect("second connection");
        let report = reader.report(t(NOW).date()).expect("report");
        assert_eq!(report.methods[0].sales, 1900 + 950 * 3 + 1250, "the sale is in the cash takings");
        assert_eq!(reader.ticket(&done.sale.tickets[1].code).expect("ticket").status, TicketStatus::Booked);
    });
}

#[test]
fn escape_backs_out_without_selling() {
    each_engine(|db| {
        let (mut app, slots) = app_on(db);
        highlight(&mut app, slots.upcoming);
        for key in [KeyCode::Enter, KeyCode::Char('3'), KeyCode::Enter, KeyCode::Esc, KeyCode::Esc] {
            press(&mut app, key);
        }
        assert!(app.screens.is_empty());
        // 6 sold and 2 held by another counter, as before: backing out released our hold at once.
        assert_eq!(app.store.slot_tickets(slots.upcoming).expect("tickets").len(), 8);
        assert_eq!(app.store.seat_map(slots.upcoming, t(NOW)).expect("map").free_count(), 56);
    });
}

#[test]
fn seats_are_held_while_the_customer_pays_and_held_again_when_the_hold_runs_out() {
    each_engine(|db| {
        let (mut app, slots) = app_on(db);
        highlight(&mut app, slots.upcoming);
        for key in [KeyCode::Enter, KeyCode::Char('2'), KeyCode::Enter] {
            press(&mut app, key);
        }
        let held = |app: &mut App| {
            let map = app.store.seat_map(slots.upcoming, app.now).expect("map");
            map.seats.iter().filter(|s| s.status == crate::domain::seatmap::SeatStatus::Held).count()
        };
        assert_eq!(held(&mut app), 4, "ours and the other counter's");
        // Six minutes at the counter: our hold and the other counter's have run out.
        app.set_now(t("2026-11-23 12:06"));
        assert_eq!(held(&mut app), 0);
        press(&mut app, KeyCode::Enter);
        assert!(matches!(app.screens.last(), Some(Screen::Booking(_))), "the first Enter holds again");
        assert_eq!(held(&mut app), 2);
        press(&mut app, KeyCode::Enter);
        assert!(matches!(app.screens.last(), Some(Screen::Confirmed(_))), "{:?}", app.message);
    });
}

#[test]
fn ctrl_c_releases_the_seats_held() {
    each_engine(|db| {
        let (mut app, slots) = app_on(db);
        highlight(&mut app, slots.upcoming);
        for key in [KeyCode::Enter, KeyCode::Char('4'), KeyCode::Enter] {
            press(&mut app, key);
        }
        assert_eq!(app.store.seat_map(slots.upcoming, t(NOW)).expect("map").free_count(), 52);
        press_with(&mut app, KeyCode::Char('c'), KeyModifiers::CONTROL);
        assert!(app.quit);
        assert_eq!(app.store.seat_map(slots.upcoming, t(NOW)).expect("map").free_count(), 56);
    });
}

#[test]
fn cash_tendered_must_cover_the_total() {
    each_engine(|db| {
        let (mut app, slots) = app_on(db);
        highlight(&mut app, slots.upcoming);
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('2'));
        press(&mut app, KeyCode::Enter);
        type_text(&mut app, "Zoë");
        for _ in 0..3 {
            press(&mut app, KeyCode::Tab);
        }
        type_text(&mut app, "10");
        press(&mut app, KeyCode::Enter);
        let Some(Screen::Booking(form)) = app.screens.last() else { panic!("left the form") };
        assert!(form.error.as_deref().is_some_and(|e| e.contains("less than the total")), "{:?}", form.error);
        press(&mut app, KeyCode::Backspace);
        press(&mut app, KeyCode::Backspace);
        type_text(&mut app, "20");
        press(&mut app, KeyCode::Enter);
        let Some(Screen::Confirmed(done)) = app.screens.last() else { panic!("not sold") };
        assert_eq!((done.tendered, done.change), (Some(2000), Some(100)));
        assert_eq!(done.sale.customer.name.as_deref(), Some("Zoë"));
    });
}

#[test]
fn sell_look_up_rebook_and_cancel() {
    each_engine(|db| {
        let (mut app, slots) = app_on(db);
        highlight(&mut app, slots.upcoming);
        for key in [KeyCode::Enter, KeyCode::Char('2'), KeyCode::Enter, KeyCode::Enter] {
            press(&mut app, key);
        }
        let Some(Screen::Confirmed(done)) = app.screens.last() else { panic!("not sold") };
        let code = done.sale.tickets[0].code.clone();
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('t'));
        type_text(&mut app, &code.to_lowercase());
        press(&mut app, KeyCode::Enter);
        let Some(Screen::Lookup(lookup)) = app.screens.last() else { panic!("no lookup") };
        assert_eq!(lookup.tickets[0].code, code);

        // Rebook to the later Starfall... the chooser lists the same film first, so pick by id.
        press(&mut app, KeyCode::Char('r'));
        let Some(Screen::RebookSlots(pick)) = app.screens.last_mut() else { panic!("no slot chooser") };
        pick.selected = pick.slots.iter().position(|s| s.slot.id == slots.late).expect("late show on sale");
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('1'));
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Enter);
        let Some(Screen::Lookup(lookup)) = app.screens.last() else {
            panic!("rebook did not finish: {:?}", app.message)
        };
        let new = lookup.tickets[0].clone();
        assert_eq!(new.replaces.as_deref(), Some(code.as_str()));
        assert_eq!(new.slot.id, slots.late);
        let old = app.store.ticket(&code).expect("old");
        assert_eq!(old.status, TicketStatus::Archived);
        assert_eq!(old.replaced_by.as_deref(), Some(new.code.as_str()));

        press(&mut app, KeyCode::Char('c'));
        press(&mut app, KeyCode::Enter);
        assert!(matches!(&app.message, Some(Message::Info(m)) if m.contains("refund £9.50")), "{:?}", app.message);
        assert_eq!(app.store.ticket(&new.code).expect("new").status, TicketStatus::Canceled);
        let map = app.store.seat_map(slots.late, t(NOW)).expect("map");
        assert_eq!(map.free_count(), map.seats.len(), "the seat is free again");
    });
}

#[test]
fn ended_shows_cannot_be_sold() {
    each_engine(|db| {
        let (mut app, slots) = app_on(db);
        while app.schedule.selected > 0 {
            press(&mut app, KeyCode::Up);
        }
        assert_eq!(app.schedule.selected_slot().map(|s| s.slot.id), Some(slots.ended));
        press(&mut app, KeyCode::Enter);
        assert!(app.screens.is_empty());
        assert!(matches!(&app.message, Some(Message::Error(m)) if m.contains("sales closed")), "{:?}", app.message);
    });
}

#[test]
fn a_click_on_a_seat_selects_it() {
    each_engine(|db| {
        let (mut app, slots) = app_on(db);
        highlight(&mut app, slots.upcoming);
        press(&mut app, KeyCode::Enter);
        let terminal = draw(&mut app, 80, 24);
        let buffer = terminal.backend().buffer();
        let (x, y) = (0..24u16)
            .flat_map(|y| (0..80u16).map(move |x| (x, y)))
            .find(|&(x, y)| buffer[(x, y)].symbol() == "[")
            .expect("the cursor is drawn");
        app.update(super::Action::Click(x + 1, y));
        let Some(Screen::Seats(picker)) = app.screens.last() else { panic!("left the grid") };
        assert_eq!(picker.selected.len(), 1);
        assert_eq!(picker.selected[0], picker.cursor_seat().expect("cursor").id);
    });
}

#[test]
fn another_counters_sale_shows_up_on_the_next_tick() {
    each_engine(|db| {
        let path = &db.target;
        let slots = testing::fill(&mut Store::open(path).expect("create"));
        let mut app = App::new(Store::open(path).expect("open"), Policy::default(), "till1".into(), t(NOW));
        highlight(&mut app, slots.upcoming);
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('2'));
        let Some(Screen::Seats(picker)) = app.screens.last() else { panic!("no grid") };
        let picked = picker.selected_seats()[0].label();
        let mut other = Store::open(path).expect("second counter");
        testing::sell(&mut other, slots.upcoming, &picked, None, PaymentMethod::Cash);
        // PostgreSQL's notification travels to this connection after the other's commit:
        // tick as the counter does until it arrives (a few milliseconds; at most 5 s here).
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
        loop {
            app.update(super::Action::Tick);
            let Some(Screen::Seats(picker)) = app.screens.last() else { panic!("no grid") };
            if picker.selected.len() == 1 || std::time::Instant::now() > deadline {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let Some(Screen::Seats(picker)) = app.screens.last() else { panic!("no grid") };
        assert_eq!(picker.selected.len(), 1, "the seat sold elsewhere left the selection");
        assert!(matches!(&app.message, Some(Message::Error(m)) if m.contains(&picked)), "{:?}", app.message);
    });
}

/// Every key the keyboard can send in the tests below.
fn any_key() -> impl Strategy<Value = (KeyCode, KeyModifiers)> {
    let plain = prop_oneof![
        Just(KeyCode::Enter),
        Just(KeyCode::Esc),
        Just(KeyCode::Up),
        Just(KeyCode::Down),
        Just(KeyCode::Left),
        Just(KeyCode::Right),
        Just(KeyCode::Tab),
        Just(KeyCode::BackTab),
        Just(KeyCode::Backspace),
        Just(KeyCode::PageUp),
        Just(KeyCode::PageDown),
        Just(KeyCode::F(1)),
        Just(KeyCode::Home),
        prop::sample::select("0123456789 hjklq?/[]<>gftrcCpdxXA-é".chars().collect::<Vec<_>>()).prop_map(KeyCode::Char),
    ];
    plain.prop_map(|k| (k, KeyModifiers::NONE))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// No key in any screen panics, at any terminal size, and the screen always draws.
    #[test]
    fn no_key_sequence_panics(keys in prop::collection::vec(any_key(), 1..80), tiny in 1u16..12) {
        let (mut app, Slots { .. }) = app();
        for (code, modifiers) in keys {
            press_with(&mut app, code, modifiers);
            if app.quit {
                break;
            }
            draw(&mut app, 80, 24);
            draw(&mut app, tiny * 3, tiny);
        }
    }
}

#[test]
fn a_sold_out_show_takes_a_waiting_list_and_offers_freed_seats_in_order() {
    each_engine(|db| {
        let path = &db.target;
        let slots = testing::fill(&mut Store::open(path).expect("create"));
        let mut app = App::new(Store::open(path).expect("open"), Policy::default(), "till1".into(), t(NOW));
        highlight(&mut app, slots.sold_out);
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('w'));
        type_text(&mut app, "Ravi");
        press(&mut app, KeyCode::Tab);
        type_text(&mut app, "0113 496 0001");
        press(&mut app, KeyCode::Enter);
        let Some(Screen::Waitlist(view)) = app.screens.last() else { panic!("no waiting list: {:?}", app.message) };
        assert_eq!((view.entries.len(), view.entries[0].seats), (1, 2));
        assert_eq!(view.entries[0].status, crate::domain::waitlist::WaitStatus::Waiting);
        // Another counter cancels the school trip's booking: the seats go to Ravi, held for him,
        // and this counter sees it on its next tick.
        let mut other = Store::open(path).expect("other counter");
        let booking = other.slot_tickets(slots.sold_out).expect("tickets")[0].booking.clone();
        other.cancel(&booking, "till2", false, t(NOW), &Policy::default()).expect("cancel");
        app.update(super::Action::Tick);
        let Some(Screen::Waitlist(view)) = app.screens.last() else { panic!("left the list") };
        assert_eq!(view.entries[0].status, crate::domain::waitlist::WaitStatus::Offered);
        assert_eq!(view.entries[0].held_seats.len(), 2);
        // Ravi comes to pay: the sale screen, with his details and the total, as any sale.
        press(&mut app, KeyCode::Enter);
        let Some(Screen::Booking(form)) = app.screens.last() else { panic!("no booking form: {:?}", app.message) };
        assert_eq!((form.name.as_str(), form.hold.seats.len()), ("Ravi", 2));
        assert_eq!(form.total(), 2 * 950);
        // Backing out keeps his offer; Enter again, then Enter sells.
        press(&mut app, KeyCode::Esc);
        let Some(Screen::Waitlist(view)) = app.screens.last() else { panic!("not back on the list") };
        assert_eq!(view.entries[0].status, crate::domain::waitlist::WaitStatus::Offered);
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Enter);
        let Some(Screen::Confirmed(done)) = app.screens.last() else { panic!("not sold: {:?}", app.message) };
        assert_eq!(done.sale.tickets.len(), 2);
        assert_eq!(done.sale.customer.name.as_deref(), Some("Ravi"));
        let list = app.store.waitlist(Some(slots.sold_out), t(NOW), &Policy::default()).expect("list");
        assert_eq!(list[0].status, crate::domain::waitlist::WaitStatus::Served);
    });
}

#[test]
fn a_busy_database_is_an_inline_error_and_the_cashier_can_retry() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("busy.db");
    let slots = testing::fill(&mut Store::open(&path).expect("create"));
    let store = Store::open_with_timeout(&path, std::time::Duration::from_millis(50)).expect("open");
    let mut app = App::new(store, Policy::default(), "till1".into(), t(NOW));
    highlight(&mut app, slots.upcoming);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('2'));
    let blocker = rusqlite::Connection::open(&path).expect("blocker");
    blocker.execute_batch("BEGIN IMMEDIATE").expect("lock");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screens.last(), Some(Screen::Seats(_))), "still on the grid");
    assert!(matches!(&app.message, Some(Message::Error(m)) if m.contains("busy")), "{:?}", app.message);
    blocker.execute_batch("ROLLBACK").expect("unlock");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screens.last(), Some(Screen::Booking(_))), "{:?}", app.message);
}

#[test]
fn cancelling_the_booking_from_one_ticket_shows_and_refunds_every_ticket_of_it() {
    each_engine(|db| {
        let (mut app, slots) = app_on(db);
        let tickets = app.store.slot_tickets(slots.upcoming).expect("tickets");
        let walk_in = tickets.iter().find(|t| t.seat == "B7").expect("B7").clone();
        press(&mut app, KeyCode::Char('t'));
        type_text(&mut app, &walk_in.code);
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('C'));
        let Some(Screen::CancelConfirm(confirm)) = app.screens.last() else { panic!("no dialog: {:?}", app.message) };
        assert_eq!(confirm.tickets.len(), 3, "B7, B8 and B9 were sold together");
        assert_eq!(confirm.refund(), 3 * 950);
        press(&mut app, KeyCode::Enter);
        assert!(matches!(&app.message, Some(Message::Info(m)) if m.contains("refund £28.50")), "{:?}", app.message);
        // Back on the schedule, the three seats are free again without another counter's write.
        press(&mut app, KeyCode::Esc);
        let upcoming = app.schedule.slots.iter().find(|s| s.slot.id == slots.upcoming).expect("listed");
        assert_eq!(upcoming.seats_free, 59);
    });
}

#[test]
fn taking_a_party_off_the_waiting_list_needs_a_second_x() {
    each_engine(|db| {
        let (mut app, slots) = app_on(db);
        highlight(&mut app, slots.sold_out);
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('w'));
        type_text(&mut app, "Ravi");
        press(&mut app, KeyCode::Enter);
        press(&mut app, KeyCode::Char('x'));
        press(&mut app, KeyCode::Down);
        press(&mut app, KeyCode::Char('x'));
        let Some(Screen::Waitlist(view)) = app.screens.last() else { panic!("left the list") };
        assert_eq!(
            view.entries[0].status,
            crate::domain::waitlist::WaitStatus::Waiting,
            "x, another key, x: still waiting"
        );
        press(&mut app, KeyCode::Char('x'));
        let Some(Screen::Waitlist(view)) = app.screens.last() else { panic!("left the list") };
        assert_eq!(view.entries[0].status, crate::domain::waitlist::WaitStatus::Removed);
    });
}

#[test]
fn a_booking_code_typed_without_its_prefix_is_found() {
    each_engine(|db| {
        let (mut app, slots) = app_on(db);
        let booking = app.store.slot_tickets(slots.upcoming).expect("tickets")[0].booking.clone();
        press(&mut app, KeyCode::Char('t'));
        type_text(&mut app, &booking[4..].to_lowercase());
        press(&mut app, KeyCode::Enter);
        let Some(Screen::Lookup(lookup)) = app.screens.last() else { panic!("left the lookup") };
        assert!(!lookup.tickets.is_empty(), "{:?}", app.message);
        assert!(lookup.tickets.iter().all(|t| t.booking == booking));
    });
}

#[test]
fn an_offer_that_runs_out_passes_on_while_the_list_is_on_screen() {
    each_engine(|db| {
        let (mut app, slots) = app_on(db);
        highlight(&mut app, slots.sold_out);
        press(&mut app, KeyCode::Char('w'));
        for name in ["First", "Second"] {
            press(&mut app, KeyCode::Char('a'));
            type_text(&mut app, name);
            press(&mut app, KeyCode::Tab);
            press(&mut app, KeyCode::Tab);
            press(&mut app, KeyCode::Backspace);
            type_text(&mut app, "1");
            press(&mut app, KeyCode::Enter);
        }
        let ticket = app.store.slot_tickets(slots.sold_out).expect("tickets")[0].code.clone();
        app.store.cancel(&ticket, "till2", false, t(NOW), &Policy::default()).expect("cancel");
        app.update(super::Action::Tick);
        let status = |app: &App, i: usize| match app.screens.last() {
            Some(Screen::Waitlist(view)) => view.entries[i].status,
            _ => panic!("left the list"),
        };
        assert_eq!(status(&app, 0), crate::domain::waitlist::WaitStatus::Offered);
        app.set_now(t("2026-11-23 12:31"));
        app.update(super::Action::Tick);
        assert_eq!(
            (status(&app, 0), status(&app, 1)),
            (crate::domain::waitlist::WaitStatus::Lapsed, crate::domain::waitlist::WaitStatus::Offered)
        );
    });
}
