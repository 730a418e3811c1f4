//! The counter's approvals (issue 14): what a manager approves at the counter, journalled
//! with the action; without operators the counter refuses instead.

use crossterm::event::KeyCode;

use super::testing::{app, press, t, type_text};
use super::{App, Message, Screen};
use crate::domain::staff::Role;

/// Boss (admin), Mia (manager, PIN 2222) and Ann (cashier, PIN 3333), with Ann at the counter.
fn staffed(app: &mut App) {
    for (name, role, pin) in
        [("Boss", Role::Admin, "4711"), ("Mia", Role::Manager, "2222"), ("Ann", Role::Cashier, "3333")]
    {
        app.store.add_operator(name, role, pin, "setup", app.now).expect("operator");
    }
    (app.operator, app.role) = ("Ann".into(), Some(Role::Cashier));
}

/// Mia approves in the open dialog: her name, her PIN, the reason `right` steps on, Enter.
fn mia_approves(app: &mut App, right: usize) {
    type_text(app, "Mia");
    press(app, KeyCode::Tab);
    type_text(app, "2222");
    press(app, KeyCode::Tab);
    for _ in 0..right {
        press(app, KeyCode::Right);
    }
    press(app, KeyCode::Enter);
}

#[test]
fn a_cashier_refunds_past_the_start_only_with_a_managers_approval_which_is_journalled() {
    let (mut app, slots) = app();
    staffed(&mut app);
    let booking = crate::app::testing::sell(
        &mut app.store,
        slots.upcoming,
        "E1",
        Some("Kim"),
        crate::domain::model::PaymentMethod::Cash,
    );
    let code = app.store.booking_tickets(&booking).expect("tickets")[0].code.clone();
    // Paper Tigers (14:00) has started: the refund is past the cut-off.
    app.set_now(t("2026-11-23 14:20"));
    press(&mut app, KeyCode::Char('t'));
    type_text(&mut app, &code);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('c'));
    let Some(Screen::CancelConfirm(confirm)) = app.screens.last() else { panic!("no dialog: {:?}", app.message) };
    assert!(confirm.approval.is_some(), "a manager must approve");
    let screen = super::testing::draw(&mut app, 80, 24);
    let text: String = screen.backend().buffer().content().iter().map(|c| c.symbol()).collect();
    assert!(text.contains("A manager approves the refund"), "{text}");
    // The cashier cannot approve herself; a wrong PIN is refused; then Mia approves.
    type_text(&mut app, "Ann");
    press(&mut app, KeyCode::Tab);
    type_text(&mut app, "3333");
    press(&mut app, KeyCode::Tab);
    press(&mut app, KeyCode::Right);
    press(&mut app, KeyCode::Enter);
    let Some(Screen::CancelConfirm(confirm)) = app.screens.last() else { panic!("left the dialog") };
    let error = confirm.approval.as_ref().and_then(|a| a.error.clone()).unwrap_or_default();
    assert!(error.contains("Ann is a cashier"), "{error}");
    let journal = app.store.journal_entries(None, Some("Ann")).expect("journal");
    assert!(journal.iter().any(|e| e.action == "not allowed"), "the attempt is journalled: {journal:?}");
    assert_eq!(app.store.ticket(&code).expect("ticket").status.name(), "booked");
    press(&mut app, KeyCode::Up);
    for _ in 0..3 {
        press(&mut app, KeyCode::Backspace);
    }
    mia_approves(&mut app, 0);
    assert!(
        matches!(&app.message, Some(Message::Info(m)) if m.contains("approved by Mia (show-problem)")),
        "{:?}",
        app.message
    );
    assert_eq!(app.store.ticket(&code).expect("ticket").status.name(), "canceled");
    let journal = app.store.journal_entries(None, Some("Ann")).expect("journal");
    assert!(journal.iter().any(|e| e.action == "approved" && e.detail.contains("approved by Mia · show-problem")));
}

#[test]
fn cancelling_a_ticket_already_inside_needs_a_manager_and_without_operators_is_refused() {
    let (mut app, slots) = app();
    let booking = crate::app::testing::sell(
        &mut app.store,
        slots.upcoming,
        "E1",
        Some("Kim"),
        crate::domain::model::PaymentMethod::Cash,
    );
    let code = app.store.booking_tickets(&booking).expect("tickets")[0].code.clone();
    app.set_now(t("2026-11-23 13:30"));
    let door = crate::store::Door { name: "Main".into(), operator: "door".into(), slot: None };
    let admitted = app.store.check_in(&code, &door, false, app.now, &app.policy).expect("check-in");
    assert!(admitted.is_ok(), "{admitted:?}");
    let open_cancel = |app: &mut crate::app::App| {
        press(app, KeyCode::Char('t'));
        type_text(app, &code);
        press(app, KeyCode::Enter);
        press(app, KeyCode::Char('c'));
    };
    // No operators: no one to approve, so the counter refuses and says how it is done.
    open_cancel(&mut app);
    assert!(
        matches!(&app.message, Some(Message::Error(m)) if m.contains("was checked in at 13:30")),
        "{:?}",
        app.message
    );
    assert!(!matches!(app.screens.last(), Some(Screen::CancelConfirm(_))));
    press(&mut app, KeyCode::Esc);
    staffed(&mut app);
    open_cancel(&mut app);
    let Some(Screen::CancelConfirm(confirm)) = app.screens.last() else { panic!("no dialog: {:?}", app.message) };
    let why = confirm.approval.as_ref().map(|a| a.why.clone()).unwrap_or_default();
    assert!(why.contains("checked in at 13:30"), "{why}");
    mia_approves(&mut app, 0);
    assert_eq!(app.store.ticket(&code).expect("ticket").status.name(), "canceled", "{:?}", app.message);
    let journal = app.store.journal_entries(None, Some("Ann")).expect("journal");
    assert!(journal.iter().any(|e| e.action == "approved" && e.detail.contains("was checked in")), "{journal:?}");
}

#[test]
fn reopening_a_till_closed_today_at_the_counter_needs_a_manager() {
    let (mut app, _) = app();
    staffed(&mut app);
    app.store.open_till("Ann", 10_000, t("2026-11-23 09:00")).expect("open");
    app.store.close_till("Ann", 10_000, t("2026-11-23 11:00")).expect("close");
    press(&mut app, KeyCode::Char('m'));
    type_text(&mut app, "50");
    press(&mut app, KeyCode::Enter);
    let till = |app: &crate::app::App| match app.screens.last() {
        Some(Screen::Till(view)) => view.clone(),
        _ => panic!("left the till"),
    };
    assert!(till(&app).approval.is_some(), "a manager must approve");
    assert!(till(&app).open.is_none());
    crate::ui::snapshot_tests::assert_screen("till_reopen_approval", &mut app, 80, 24);
    // Esc leaves it closed; Enter asks again.
    press(&mut app, KeyCode::Esc);
    assert!(till(&app).approval.is_none() && till(&app).open.is_none());
    press(&mut app, KeyCode::Enter);
    mia_approves(&mut app, 2);
    let view = till(&app);
    assert!(view.open.is_some(), "{:?} {:?}", view.error, app.message);
    let journal = app.store.journal_entries(None, Some("Ann")).expect("journal");
    let approval = journal.iter().find(|e| e.action == "approved").expect("approval journalled");
    assert!(
        approval.detail.contains("reopening Ann's till") && approval.detail.contains("staff-error"),
        "{approval:?}"
    );
}

#[test]
fn rebooking_past_the_start_at_the_counter_needs_a_manager() {
    let (mut app, slots) = app();
    staffed(&mut app);
    let booking = crate::app::testing::sell(
        &mut app.store,
        slots.upcoming,
        "E1",
        Some("Kim"),
        crate::domain::model::PaymentMethod::Cash,
    );
    let code = app.store.booking_tickets(&booking).expect("tickets")[0].code.clone();
    let gala =
        crate::app::testing::add_show(&mut app.store, "Gala", "Hall 1", "2026-11-23 23:00", "2026-11-23 23:50", 1200);
    app.set_now(t("2026-11-23 14:20"));
    press(&mut app, KeyCode::Char('t'));
    type_text(&mut app, &code);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Char('R'));
    crate::app::testing::choose_rebook_show(&mut app, gala);
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Enter);
    let Some(Screen::RebookConfirm(confirm)) = app.screens.last() else { panic!("left: {:?}", app.message) };
    let why = confirm.approval.as_ref().map(|a| a.why.clone()).unwrap_or_default();
    assert!(why.contains("Past the cut-off"), "{why}");
    assert_eq!(app.store.ticket(&code).expect("ticket").status.name(), "booked", "nothing moved yet");
    mia_approves(&mut app, 0);
    assert_eq!(app.store.ticket(&code).expect("ticket").status.name(), "archived", "{:?}", app.message);
    let journal = app.store.journal_entries(None, Some("Ann")).expect("journal");
    assert!(journal.iter().any(|e| e.action == "approved" && e.detail.contains("rebook --force")), "{journal:?}");
}

#[test]
fn free_tickets_at_the_counter_need_a_managers_approval_and_a_price_is_never_raised() {
    let (mut app, slots) = app();
    staffed(&mut app);
    super::testing::open_booking(&mut app, slots.upcoming);
    press(&mut app, KeyCode::F(4));
    assert_eq!(super::testing::form(&app).focus, super::booking::Field::Price);
    // More than the card's price is refused on the form.
    type_text(&mut app, "99");
    press(&mut app, KeyCode::Enter);
    let error = super::testing::form(&app).error.clone().unwrap_or_default();
    assert!(error.contains("only lowers a price"), "{error}");
    for _ in 0..2 {
        press(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "0");
    press(&mut app, KeyCode::Enter);
    assert!(super::testing::form(&app).approval.is_some(), "a manager must approve");
    crate::ui::snapshot_tests::assert_screen("booking_free_tickets_approval", &mut app, 80, 24);
    mia_approves(&mut app, 4);
    let Some(Screen::Confirmed(done)) = app.screens.last() else { panic!("not sold: {:?}", app.message) };
    assert_eq!(done.sale.total, 0);
    assert!(
        matches!(&app.message, Some(Message::Info(m)) if m.contains("£0.00 · approved by Mia (other)")),
        "{:?}",
        app.message
    );
    assert!(done.sale.tickets.iter().all(|t| t.price == 0));
    let journal = app.store.journal_entries(None, Some("Ann")).expect("journal");
    let approval = journal.iter().find(|e| e.action == "approved").expect("journalled");
    let detail = &approval.detail;
    assert!(detail.contains("Free tickets (£19.00 at the card's prices)") && detail.contains("other"), "{detail}");
    assert!(app.store.verify_journal(None).is_ok());
}

#[test]
fn without_operators_a_price_override_needs_no_approval() {
    let (mut app, slots) = app();
    super::testing::open_booking(&mut app, slots.upcoming);
    press(&mut app, KeyCode::F(4));
    type_text(&mut app, "4");
    press(&mut app, KeyCode::Enter);
    let Some(Screen::Confirmed(done)) = app.screens.last() else { panic!("not sold: {:?}", app.message) };
    assert_eq!(done.sale.total, 800, "two seats at 4.00");
}
