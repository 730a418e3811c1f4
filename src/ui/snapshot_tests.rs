//! Every screen that matters, drawn from the fixture at a fixed clock, at 80×24 and larger.
//! Ticket and booking codes are random, so they are masked (same width, layout unchanged).

use crossterm::event::KeyCode;

use crate::app::testing::{app, draw, press, type_text};
use crate::app::{App, Screen};
use crate::domain::layout::HallLayout;
use crate::domain::schedule::{NewSlot, PriceArg};

/// The snapshot of `app`'s screen, for tests elsewhere in the crate.
pub(crate) fn assert_screen(name: &str, app: &mut App, width: u16, height: u16) {
    snapshot(name, app, width, height);
}

fn snapshot(name: &str, app: &mut App, width: u16, height: u16) {
    let terminal = draw(app, width, height);
    insta::with_settings!({
        // Codes are drawn at random, and the journal's head hashes them.
        filters => vec![
            (r"TKT-[0-9A-Z]{6}", "TKT-######"),
            (r"BKG-[0-9A-Z]{6}", "BKG-######"),
            (r"head [0-9a-f]{64}", "head ################################################################"),
        ],
        prepend_module_to_snapshot => false,
    }, {
        insta::assert_snapshot!(name, terminal.backend());
    });
}

fn highlight(app: &mut App, slot: i64) {
    let index = app.schedule.visible().iter().position(|s| s.slot.id == slot).expect("slot listed");
    app.schedule.selected = index;
}

fn keys(app: &mut App, keys: &[KeyCode]) {
    for key in keys {
        press(app, *key);
    }
}

#[test]
fn schedule() {
    let (mut app, _) = app();
    snapshot("schedule_today", &mut app, 80, 24);
    snapshot("schedule_today_wide", &mut app, 120, 30);
    // Narrow and short: the clock and cashier stay in the header, the title column keeps its
    // room, and the list says there are more shows below.
    snapshot("schedule_narrow_short", &mut app, 60, 10);
    press(&mut app, KeyCode::Char('f'));
    press(&mut app, KeyCode::Char('f'));
    press(&mut app, KeyCode::Char('f'));
    press(&mut app, KeyCode::Char('f'));
    snapshot("schedule_genre_filter", &mut app, 80, 24);
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('/'));
    type_text(&mut app, "star");
    snapshot("schedule_search", &mut app, 80, 24);
    keys(&mut app, &[KeyCode::Esc, KeyCode::Right, KeyCode::Right]);
    snapshot("schedule_empty_day", &mut app, 80, 24);
}

#[test]
fn seat_grid() {
    let (mut app, slots) = app();
    highlight(&mut app, slots.upcoming);
    keys(&mut app, &[KeyCode::Enter, KeyCode::Char('2'), KeyCode::Up, KeyCode::Char(' ')]);
    snapshot("seats_mixed_with_selection", &mut app, 80, 24);
    snapshot("seats_mixed_with_selection_wide", &mut app, 120, 30);
    keys(&mut app, &[KeyCode::Esc]);
    highlight(&mut app, slots.sold_out);
    keys(&mut app, &[KeyCode::Enter, KeyCode::Char('2')]);
    snapshot("seats_sold_out", &mut app, 80, 24);
}

/// Adds hall `name` with `layout` and one show in it today: (title, start, hours, price).
fn hall_with_show(app: &mut crate::app::App, name: &str, layout: &HallLayout, show: (&str, &str, i64, i64)) -> i64 {
    app.store.add_hall(None, name, layout).expect("hall");
    let start = crate::app::testing::t(show.1);
    let slot = NewSlot {
        name: show.0.into(),
        description: String::new(),
        kind: "Movie".into(),
        genre: "Drama".into(),
        hall: name.into(),
        start,
        end: start + chrono::Duration::hours(show.2),
        prices: vec![PriceArg::All(show.3)],
        card: None,
    };
    app.store.add_slot(slot, crate::app::testing::t("2026-11-23 08:00")).expect("slot")
}

#[test]
fn a_deep_hall_takes_one_key_to_its_back_row_and_keeps_two_letter_rows_readable() {
    let (mut app, _) = app();
    let layout = HallLayout::generate(40, 25, &[]).expect("layout");
    let id = hall_with_show(&mut app, "Deep", &layout, ("Long Hall", "2026-11-23 16:00", 2, 900));
    app.update(crate::app::Action::Today);
    highlight(&mut app, id);
    keys(&mut app, &[KeyCode::Enter, KeyCode::End]);
    let row = |app: &crate::app::App| match app.screens.last() {
        Some(crate::app::Screen::Seats(p)) => p.cursor_seat().map(|s| s.grid_row).expect("cursor"),
        _ => panic!("not on the seat map"),
    };
    assert_eq!(row(&app), 39, "End: the back row in one key");
    snapshot("seats_back_row_of_a_deep_hall", &mut app, 80, 24);
    keys(&mut app, &[KeyCode::PageUp]);
    assert_eq!(row(&app), 29, "PageUp: ten rows nearer the screen");
    keys(&mut app, &[KeyCode::Char('g')]);
    assert_eq!(row(&app), 0, "g: the front row");
    keys(&mut app, &[KeyCode::PageDown, KeyCode::Char('G'), KeyCode::Home]);
    assert_eq!(row(&app), 0, "Home: the front row");
}

#[test]
fn a_large_hall_scrolls_to_the_cursor() {
    let (mut app, _) = app();
    let layout = HallLayout::generate(25, 40, &["T".into(), "U".into()]).expect("layout");
    let id = hall_with_show(&mut app, "Arena", &layout, ("Premiere Night", "2026-11-23 17:00", 3, 1500));
    app.update(crate::app::Action::Today);
    highlight(&mut app, id);
    keys(&mut app, &[KeyCode::Enter, KeyCode::Down, KeyCode::Down, KeyCode::Down, KeyCode::Down]);
    for _ in 0..8 {
        press(&mut app, KeyCode::Right);
    }
    snapshot("seats_large_hall_scrolled", &mut app, 80, 24);
}

#[test]
fn booking_and_confirmation() {
    let (mut app, slots) = app();
    highlight(&mut app, slots.upcoming);
    keys(&mut app, &[KeyCode::Enter, KeyCode::Char('2'), KeyCode::Enter]);
    type_text(&mut app, "Ada Lovelace");
    keys(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Tab]);
    type_text(&mut app, "15");
    press(&mut app, KeyCode::Enter);
    snapshot("booking_form_error", &mut app, 80, 24);
    keys(&mut app, &[KeyCode::Backspace, KeyCode::Backspace]);
    type_text(&mut app, "20");
    snapshot("booking_form_change_due", &mut app, 80, 24);
    press(&mut app, KeyCode::Enter);
    snapshot("booking_confirmed", &mut app, 80, 24);
    // Codes are random; the QR code drawn from them must not be, so fix them for this frame.
    if let Some(Screen::Confirmed(done)) = app.screens.last_mut() {
        done.sale.booking = "BKG-2M8D4A".into();
        for (t, code) in done.sale.tickets.iter_mut().zip(["TKT-7F3K9Q", "TKT-7F3K9R"]) {
            t.code = code.into();
        }
    }
    press(&mut app, KeyCode::Char('p'));
    snapshot("ticket_print_view", &mut app, 80, 24);
    press(&mut app, KeyCode::Right);
    snapshot("ticket_print_view_second", &mut app, 80, 24);
}

#[test]
fn lookup_rebook_and_cancel() {
    let (mut app, slots) = app();
    let code = app.store.slot_tickets(slots.upcoming).expect("tickets")[0].code.clone();
    press(&mut app, KeyCode::Char('t'));
    snapshot("lookup_empty", &mut app, 80, 24);
    type_text(&mut app, &code);
    press(&mut app, KeyCode::Enter);
    snapshot("lookup_ticket", &mut app, 80, 24);
    press(&mut app, KeyCode::Char('r'));
    snapshot("rebook_choose_show", &mut app, 80, 24);
    // Narrow: the title gives way, never the count of free seats.
    snapshot("rebook_choose_show_narrow", &mut app, 60, 20);
    let Some(Screen::RebookSlots(pick)) = app.screens.last_mut() else { panic!("no chooser") };
    pick.selected = pick.slots.iter().position(|s| s.slot.id == slots.evening).expect("evening on sale");
    keys(&mut app, &[KeyCode::Enter, KeyCode::Char('1')]);
    snapshot("rebook_seat", &mut app, 80, 24);
    press(&mut app, KeyCode::Enter);
    snapshot("rebook_confirm", &mut app, 80, 24);
    press(&mut app, KeyCode::Enter);
    snapshot("lookup_after_rebook", &mut app, 80, 24);
    press(&mut app, KeyCode::Char('c'));
    snapshot("cancel_confirm", &mut app, 80, 24);
    press(&mut app, KeyCode::Enter);
    snapshot("lookup_after_cancel", &mut app, 80, 24);
}

#[test]
fn lookup_of_a_booking_lists_its_tickets() {
    let (mut app, slots) = app();
    let booking = app.store.slot_tickets(slots.upcoming).expect("tickets")[2].booking.clone();
    press(&mut app, KeyCode::Char('t'));
    type_text(&mut app, &booking);
    keys(&mut app, &[KeyCode::Enter, KeyCode::Down]);
    snapshot("lookup_booking", &mut app, 80, 24);
    press(&mut app, KeyCode::Char('C'));
    snapshot("cancel_booking_confirm", &mut app, 80, 24);
}

#[test]
fn help_overlay() {
    let (mut app, _) = app();
    press(&mut app, KeyCode::Char('?'));
    snapshot("help_schedule", &mut app, 80, 24);
    // On a small terminal the overlay scrolls.
    snapshot("help_schedule_small", &mut app, 60, 20);
    keys(&mut app, &[KeyCode::Down, KeyCode::Down, KeyCode::Down, KeyCode::Down, KeyCode::Down, KeyCode::Down]);
    snapshot("help_schedule_small_scrolled", &mut app, 60, 20);
}

#[test]
fn waiting_list() {
    let (mut app, slots) = app();
    highlight(&mut app, slots.sold_out);
    keys(&mut app, &[KeyCode::Enter, KeyCode::Char('w')]);
    type_text(&mut app, "Ravi Patel");
    keys(&mut app, &[KeyCode::Tab]);
    type_text(&mut app, "0113 496 0001");
    keys(&mut app, &[KeyCode::Tab, KeyCode::Backspace]);
    type_text(&mut app, "12");
    press(&mut app, KeyCode::Enter);
    snapshot("waitlist_form_error", &mut app, 80, 24);
    keys(&mut app, &[KeyCode::Backspace, KeyCode::Backspace]);
    type_text(&mut app, "3");
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('a'));
    type_text(&mut app, "Mei Chen");
    keys(&mut app, &[KeyCode::Tab, KeyCode::Tab, KeyCode::Backspace]);
    type_text(&mut app, "1");
    press(&mut app, KeyCode::Enter);
    // A single seat comes free: Ravi's party of three does not fit, Mei (next) gets it.
    let ticket = app.store.slot_tickets(slots.sold_out).expect("tickets")[0].code.clone();
    app.store.cancel(&ticket, "till2", false, app.now, &app.policy.clone()).expect("cancel");
    if let Some(Screen::Waitlist(view)) = app.screens.last_mut() {
        view.selected = 1;
    }
    press(&mut app, KeyCode::Esc);
    press(&mut app, KeyCode::Char('w'));
    snapshot("waitlist_offered", &mut app, 80, 24);
}

#[test]
fn dashboard() {
    let (mut app, _) = app();
    press(&mut app, KeyCode::Char('d'));
    snapshot("dashboard", &mut app, 80, 24);
    snapshot("dashboard_wide", &mut app, 120, 30);
}

#[test]
fn till_screen() {
    let (mut app, _) = app();
    press(&mut app, KeyCode::Char('m'));
    type_text(&mut app, "100");
    press(&mut app, KeyCode::Enter);
    type_text(&mut app, "95");
    snapshot("till_open", &mut app, 80, 24);
}

#[test]
fn rebook_a_booking_together_settling_in_cash() {
    let (mut app, _) = app();
    let gala =
        crate::app::testing::add_show(&mut app.store, "Gala", "Hall 1", "2026-11-23 23:00", "2026-11-23 23:50", 1200);
    press(&mut app, KeyCode::Char('t'));
    type_text(&mut app, "ann lee");
    keys(&mut app, &[KeyCode::Enter, KeyCode::Char('R')]);
    crate::app::testing::choose_rebook_show(&mut app, gala);
    keys(&mut app, &[KeyCode::Enter, KeyCode::Tab]);
    type_text(&mut app, "£20");
    snapshot("rebook_together_settle_cash", &mut app, 80, 24);
}

#[test]
fn booking_with_ticket_types_and_a_child_ticket_printed() {
    let (mut app, slot) = crate::app::price_card_tests::app_with_card();
    app.schedule.date = crate::domain::time::show_day(&app.now);
    snapshot("schedule_with_a_card", &mut app, 100, 30);
    crate::app::price_card_tests::open_form(&mut app, slot, '3');
    snapshot("booking_types_default", &mut app, 80, 24);
    press(&mut app, KeyCode::Up);
    type_text(&mut app, "c1");
    snapshot("booking_types_child", &mut app, 80, 24);
    press(&mut app, KeyCode::Enter);
    snapshot("booking_types_sold", &mut app, 80, 24);
    // Fixed codes for a fixed QR code (see booking_and_confirmation).
    if let Some(Screen::Confirmed(done)) = app.screens.last_mut() {
        done.sale.booking = "BKG-2M8D4A".into();
        for (t, code) in done.sale.tickets.iter_mut().zip(["TKT-7F3K9Q", "TKT-7F3K9R", "TKT-7F3K9S"]) {
            t.code = code.into();
        }
    }
    press(&mut app, KeyCode::Char('p'));
    snapshot("booking_types_print_child", &mut app, 80, 24);
    // The door admits one of the family: the dashboard counts tickets by type and attendance.
    let door = crate::store::Door { name: "main".into(), operator: "usher".into(), slot: None };
    let at = crate::app::testing::t("2026-11-23 15:30");
    let admitted = app.store.check_in("TKT-7F3K9Q", &door, false, at, &app.policy);
    assert!(admitted.is_err(), "the print view's codes are made up; the real ones are in the store");
    let code = app.store.slot_tickets(slot).expect("tickets")[0].code.clone();
    app.store.check_in(&code, &door, false, at, &app.policy).expect("check-in").expect("admitted");
    keys(&mut app, &[KeyCode::Esc, KeyCode::Esc, KeyCode::Char('d')]);
    snapshot("dashboard_types_and_attendance", &mut app, 80, 24);
}

#[test]
fn the_sign_in_dialog_over_a_locked_counter() {
    let (mut app, _) = app();
    app.store.add_operator("Ann", crate::domain::staff::Role::Admin, "3333", "setup", app.now).expect("admin");
    (app.operator, app.role) = ("Ann".into(), Some(crate::domain::staff::Role::Admin));
    app.set_now(crate::app::testing::t("2026-11-23 12:10"));
    app.update(crate::app::Action::Tick);
    type_text(&mut app, "12");
    snapshot("sign_in_locked", &mut app, 80, 24);
}

#[test]
fn a_refund_past_the_start_asks_a_manager_to_approve() {
    let (mut app, slots) = app();
    use crate::domain::staff::Role;
    for (name, role) in [("Boss", Role::Admin), ("Mia", Role::Manager), ("Ann", Role::Cashier)] {
        app.store.add_operator(name, role, "2222", "setup", app.now).expect("operator");
    }
    (app.operator, app.role) = ("Ann".into(), Some(crate::domain::staff::Role::Cashier));
    let code = app.store.slot_tickets(slots.upcoming).expect("tickets")[0].code.clone();
    app.set_now(crate::app::testing::t("2026-11-23 14:20"));
    press(&mut app, KeyCode::Char('t'));
    type_text(&mut app, &code);
    keys(&mut app, &[KeyCode::Enter, KeyCode::Char('c')]);
    type_text(&mut app, "Mia");
    keys(&mut app, &[KeyCode::Tab]);
    type_text(&mut app, "22");
    snapshot("cancel_needs_approval", &mut app, 80, 24);
}
