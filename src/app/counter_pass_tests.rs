//! The counter's second pass (issue 11): what a cashier with a queue stumbled on.

use crossterm::event::KeyCode;

use super::Screen;
use super::testing::{app, form, open_booking, press, press_with, type_text};
use crate::domain::model::PaymentMethod;

/// The screen at 100 × 30, as text.
fn screen_text(app: &mut super::App) -> String {
    let terminal = super::testing::draw(app, 100, 30);
    let buffer = terminal.backend().buffer();
    let area = buffer.area;
    (0..area.height)
        .map(|y| (0..area.width).map(|x| buffer[(x, y)].symbol().to_string()).collect::<String>())
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn going_back_to_the_seats_keeps_what_was_typed_for_the_same_customer_only() {
    let (mut app, slots) = app();
    open_booking(&mut app, slots.upcoming);
    type_text(&mut app, "Ann Lee");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "0301234");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Char(' '));
    assert_eq!(form(&app).method, PaymentMethod::Card);
    // The customer wants other seats: back to the map, choose again, on to the form.
    press(&mut app, KeyCode::Esc);
    for key in [KeyCode::Char('3'), KeyCode::Enter] {
        press(&mut app, key);
    }
    let again = form(&app);
    assert_eq!((again.name.as_str(), again.phone.as_str(), again.method), ("Ann Lee", "0301234", PaymentMethod::Card));
    assert_eq!(again.hold.seats.len(), 3, "with the seats chosen now");
    // An Esc too many, back to the schedule, loses nothing either, and the form says so.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    open_booking(&mut app, slots.upcoming);
    assert_eq!((form(&app).name.as_str(), form(&app).method), ("Ann Lee", PaymentMethod::Card));
    assert!(screen_text(&mut app).contains("Kept from before"));
    // Another show's form starts empty: the details were for this show's customer.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    open_booking(&mut app, slots.evening);
    assert_eq!((form(&app).name.as_str(), form(&app).method), ("", PaymentMethod::Cash));
    // The customer moved on to another show: the details do not come back to the first.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    open_booking(&mut app, slots.upcoming);
    assert_eq!(form(&app).name, "", "the draft went to the other show's form");
}

#[test]
fn cash_tendered_may_be_typed_with_the_currency_symbol_and_messages_carry_it() {
    let (mut app, slots) = app();
    open_booking(&mut app, slots.upcoming);
    for _ in 0..3 {
        press(&mut app, KeyCode::Tab);
    }
    type_text(&mut app, "£20");
    press(&mut app, KeyCode::Enter);
    let Some(Screen::Confirmed(done)) = app.screens.last() else { panic!("not sold: {:?}", app.message) };
    assert_eq!((done.tendered, done.change), (Some(2000), Some(100)));
    assert!(matches!(&app.message, Some(super::Message::Info(m)) if m.contains(" · £19.00")), "{:?}", app.message);
}

#[test]
fn best_n_says_when_the_seats_it_found_are_not_together() {
    use crate::domain::layout::HallLayout;
    use crate::domain::model::{Customer, SaleRequest, SeatRequest};
    use crate::domain::policy::Policy;
    use crate::domain::schedule::{NewSlot, PriceArg};
    let (mut app, _) = app();
    app.store.add_hall(None, "Tiny", &HallLayout::generate(2, 3, &[]).expect("layout")).expect("hall");
    let start = super::testing::t("2026-11-23 16:00");
    let show = NewSlot {
        name: "Apart".into(),
        description: String::new(),
        kind: "Movie".into(),
        genre: String::new(),
        hall: "Tiny".into(),
        start,
        end: start + chrono::Duration::hours(2),
        prices: vec![PriceArg::All(900)],
        card: None,
    };
    let slot = app.store.add_slot(show, super::testing::t("2026-11-23 08:00")).expect("slot");
    // The middle seat of each row is sold: no two free seats are side by side.
    let middle = SeatRequest::Seats(vec![("A".into(), 2), ("B".into(), 2)]);
    let sale = SaleRequest {
        slot,
        seats: middle,
        customer: Customer::default(),
        payment: PaymentMethod::Cash,
        operator: "t".into(),
        types: Vec::new(),
        price_override: None,
    };
    app.store.sell(&sale, super::testing::t(super::testing::NOW), &Policy::default()).expect("sale");
    app.update(super::Action::Today);
    while app.schedule.selected_slot().map(|s| s.slot.id) != Some(slot) {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('2'));
    assert!(
        matches!(&app.message, Some(super::Message::Info(m)) if m.starts_with("not together: ")),
        "{:?}",
        app.message
    );
    let Some(Screen::Seats(picker)) = app.screens.last() else { panic!("not on the seat map") };
    let labels: Vec<String> = picker.selected_seats().iter().map(|s| s.label()).collect();
    let mut sorted = labels.clone();
    sorted.sort_by_key(|l| (l[..1].to_string(), l[1..].parse::<u32>().unwrap_or(0)));
    assert_eq!(labels, sorted, "listed in seat order");
}

#[test]
fn the_lookup_finds_a_customer_s_bookings_by_name() {
    let (mut app, _) = app();
    press(&mut app, KeyCode::Char('t'));
    type_text(&mut app, "ann lee");
    press(&mut app, KeyCode::Enter);
    let Some(Screen::Lookup(lookup)) = app.screens.last() else { panic!("not on the lookup") };
    let seats: Vec<&str> = lookup.tickets.iter().map(|t| t.seat.as_str()).collect();
    assert_eq!(seats, vec!["A5", "A6"], "{:?}", app.message);
    assert!(lookup.tickets.iter().all(|t| t.customer.name.as_deref() == Some("Ann Lee")));
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "nobody");
    press(&mut app, KeyCode::Enter);
    assert!(
        matches!(&app.message, Some(super::Message::Error(m)) if m.contains("no ticket, booking or customer 'nobody'")),
        "{:?}",
        app.message
    );
}

#[test]
fn p_on_the_lookup_prints_a_booking_again_with_each_seat_s_category() {
    let (mut app, _) = app();
    press(&mut app, KeyCode::Char('t'));
    type_text(&mut app, "ann lee");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('p'));
    let Some(Screen::Confirmed(view)) = app.screens.last() else { panic!("no print view: {:?}", app.message) };
    assert!(view.printing && view.reprint);
    assert_eq!(view.print_index, 1, "from the ticket chosen");
    let seats: Vec<(&str, crate::domain::layout::Category)> =
        view.sale.tickets.iter().map(|t| (t.seat.as_str(), t.category)).collect();
    assert_eq!(
        seats,
        vec![("A5", crate::domain::layout::Category::Regular), ("A6", crate::domain::layout::Category::Regular)]
    );
    // Leaving the reprint goes back to the lookup, not to the schedule.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert!(matches!(app.screens.last(), Some(Screen::Lookup(_))), "{:?}", app.screens.len());
}

#[test]
fn the_schedule_keeps_after_midnight_shows_on_the_evening_and_follows_the_day() {
    use crate::domain::schedule::{NewSlot, PriceArg};
    let (mut app, _) = app();
    let start = super::testing::t("2026-11-24 00:30");
    let late = NewSlot {
        name: "Midnight Movie".into(),
        description: String::new(),
        kind: "Movie".into(),
        genre: String::new(),
        hall: "Studio".into(),
        start,
        end: start + chrono::Duration::hours(2),
        prices: vec![PriceArg::All(800)],
        card: None,
    };
    let id = app.store.add_slot(late, super::testing::t("2026-11-23 08:00")).expect("slot");
    app.update(super::Action::Today);
    assert!(app.schedule.visible().iter().any(|s| s.slot.id == id), "on the 23rd's schedule, after midnight");
    press(&mut app, KeyCode::Char(']'));
    assert!(!app.schedule.visible().iter().any(|s| s.slot.id == id), "not on the 24th's");
    press(&mut app, KeyCode::Char('['));
    let mut screen = screen_text(&mut app);
    assert!(screen.contains("Midnight Movie (Tue 24)"), "marked with its real date:\n{screen}");
    // The counter stays open through the night: at 03:59 it is still the 23rd's programme; at
    // 04:00 the schedule moves on to the 24th by itself.
    app.set_now(super::testing::t("2026-11-24 03:59"));
    app.update(super::Action::Tick);
    assert_eq!(app.schedule.date.to_string(), "2026-11-23");
    app.set_now(super::testing::t("2026-11-24 04:00"));
    app.update(super::Action::Tick);
    assert_eq!(app.schedule.date.to_string(), "2026-11-24");
    screen = screen_text(&mut app);
    assert!(screen.contains("(today)"), "{screen}");
}

#[test]
fn the_waiting_list_is_for_shows_without_enough_seats_and_offers_show_on_the_schedule() {
    use crate::domain::policy::Policy;
    let (mut app, slots) = app();
    // A show with 56 free seats: a party of two is sold seats, not queued.
    while app.schedule.selected_slot().map(|s| s.slot.id) != Some(slots.upcoming) {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('w'));
    type_text(&mut app, "Walk In");
    press(&mut app, KeyCode::Enter);
    let Some(Screen::WaitlistForm(form)) = app.screens.last() else { panic!("left the form") };
    assert!(form.error.as_deref().is_some_and(|e| e.contains("seats are free: sell them")), "{:?}", form.error);
    assert!(
        app.store
            .waitlist(Some(slots.upcoming), super::testing::t(super::testing::NOW), &Policy::default())
            .expect("list")
            .is_empty()
    );
    // The sold-out show: a party waits, a seat comes free and is offered to them; the
    // schedule says so.
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    let now = super::testing::t(super::testing::NOW);
    app.store.waitlist_add(slots.sold_out, "Mei", Some("0113 496 0002"), 1, now, &Policy::default()).expect("add");
    let ticket = app.store.slot_tickets(slots.sold_out).expect("tickets")[0].code.clone();
    app.store.cancel(&ticket, "till2", false, now, &Policy::default()).expect("cancel");
    app.update(super::Action::Today);
    let summary = app.schedule.slots.iter().find(|s| s.slot.id == slots.sold_out).expect("on the schedule");
    assert_eq!(summary.seats_offered, 1);
    assert!(screen_text(&mut app).contains("1 offered"));
}

#[test]
fn the_booking_form_s_fields_edit_at_a_cursor() {
    use crossterm::event::KeyModifiers;
    let (mut app, slots) = app();
    open_booking(&mut app, slots.upcoming);
    type_text(&mut app, "Ann Lee");
    press(&mut app, KeyCode::Home);
    type_text(&mut app, "Dr ");
    assert_eq!((form(&app).name.as_str(), form(&app).cursor), ("Dr Ann Lee", 3));
    press(&mut app, KeyCode::End);
    super::testing::press_with(&mut app, KeyCode::Char('w'), KeyModifiers::CONTROL);
    assert_eq!(form(&app).name, "Dr Ann ");
    press(&mut app, KeyCode::Left);
    press(&mut app, KeyCode::Backspace);
    assert_eq!(form(&app).name, "Dr An ");
    super::testing::press_with(&mut app, KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert_eq!(form(&app).name, "");
    // The payment field still switches with ←/→.
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    assert_eq!(form(&app).method, PaymentMethod::Card);
}

#[test]
fn the_till_opens_shows_the_drawer_and_closes_at_the_counter() {
    let (mut app, slots) = app();
    press(&mut app, KeyCode::Char('m'));
    assert!(matches!(app.screens.last(), Some(Screen::Till(view)) if view.open.is_none()));
    type_text(&mut app, "£100");
    press(&mut app, KeyCode::Enter);
    let Some(Screen::Till(view)) = app.screens.last() else { panic!("left the till") };
    assert!(view.open.is_some(), "{:?} {:?}", view.error, app.message);
    // A walk-in pays cash for two seats; the drawer expects the float and the 19.00.
    press(&mut app, KeyCode::Esc);
    open_booking(&mut app, slots.upcoming);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('m'));
    let Some(Screen::Till(view)) = app.screens.last() else { panic!("no till") };
    assert_eq!(view.cash_up.as_ref().map(|c| c.cash_expected), Some(10_000 + 1_900));
    assert!(screen_text(&mut app).contains("cash expected"));
    type_text(&mut app, "118.50");
    press(&mut app, KeyCode::Enter);
    let Some(Screen::Till(view)) = app.screens.last() else { panic!("no till") };
    assert!(view.open.is_none());
    assert_eq!(view.cash_up.as_ref().and_then(|c| c.variance), Some(-50), "50p short");
}

#[test]
fn r_on_the_lookup_moves_a_whole_booking_together_and_settles_the_difference_in_cash() {
    let (mut app, _) = app();
    // A gala at 12.00 a seat: Ann Lee's two 9.50 seats (paid by card) cost 5.00 more there.
    let gala = super::testing::add_show(&mut app.store, "Gala", "Hall 1", "2026-11-23 23:00", "2026-11-23 23:50", 1200);
    let cash_before = cash_sales(&mut app);
    press(&mut app, KeyCode::Char('t'));
    type_text(&mut app, "ann lee");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('R'));
    let Some(Screen::RebookSlots(pick)) = app.screens.last() else { panic!("no show list: {:?}", app.message) };
    assert!(pick.together);
    super::testing::choose_rebook_show(&mut app, gala);
    press(&mut app, KeyCode::Enter);
    let Some(Screen::RebookConfirm(confirm)) = app.screens.last() else { panic!("no settling: {:?}", app.message) };
    assert_eq!((confirm.difference(), confirm.method), (500, PaymentMethod::Card), "as the booking was paid");
    assert_eq!(confirm.seats.len(), 2);
    // The customer pays the difference in cash: £20 handed over is not enough for a wrong key.
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "£3");
    press(&mut app, KeyCode::Enter);
    assert!(matches!(app.screens.last(), Some(Screen::RebookConfirm(_))), "short tendered is refused");
    let Some(Screen::RebookConfirm(confirm)) = app.screens.last() else { panic!("left the settling") };
    assert_eq!(confirm.error.as_deref(), Some("Tendered £3.00 is less than the £5.00 to pay"));
    for _ in 0..2 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "£20");
    assert!(screen_text(&mut app).contains("£15.00"), "the change shows before Enter");
    assert!(!screen_text(&mut app).contains("less than"), "the refusal goes once the amount is edited");
    press(&mut app, KeyCode::Enter);
    let Some(Screen::Lookup(lookup)) = app.screens.last() else { panic!("not back on the lookup: {:?}", app.message) };
    assert_eq!(lookup.tickets.len(), 2);
    assert!(lookup.tickets.iter().all(|t| t.slot.id == gala && t.booking == lookup.tickets[0].booking));
    assert!(
        matches!(&app.message, Some(super::Message::Info(m))
            if m.starts_with("Change £15.00 · charged £5.00 more (cash), tendered £20.00 · moved together")),
        "{:?}",
        app.message
    );
    assert_eq!(cash_sales(&mut app), cash_before + 500, "the difference is taken in cash");
}

fn cash_sales(app: &mut super::App) -> i64 {
    let report = app.store.report(super::testing::t("2026-11-23 12:00").date()).expect("report");
    report.methods.iter().find(|m| m.method == PaymentMethod::Cash).expect("cash").sales
}

#[test]
fn q_on_the_schedule_asks_first_when_a_customer_is_half_typed_but_ctrl_c_does_not() {
    let (mut app, slots) = app();
    open_booking(&mut app, slots.upcoming);
    type_text(&mut app, "Ann Lee");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    assert!(app.screens.is_empty(), "back on the schedule");
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.quit, "a stray q does not lose the customer");
    assert!(
        matches!(&app.message, Some(super::Message::Error(m)) if m.contains("'Ann Lee' is still typed")),
        "{:?}",
        app.message
    );
    // Any other key means stay: the next q asks again.
    press(&mut app, KeyCode::Down);
    press(&mut app, KeyCode::Char('q'));
    assert!(!app.quit);
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit, "q twice quits");

    // Ctrl-C quits at once, with the same details typed.
    let (mut app, slots) = super::testing::app();
    open_booking(&mut app, slots.upcoming);
    type_text(&mut app, "Raj");
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Esc);
    press_with(&mut app, KeyCode::Char('c'), crossterm::event::KeyModifiers::CONTROL);
    assert!(app.quit, "Ctrl-C quits at once");
    let (mut app, _) = super::testing::app();
    press(&mut app, KeyCode::Char('q'));
    assert!(app.quit, "nothing typed: q quits at once");
}
