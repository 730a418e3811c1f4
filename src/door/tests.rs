//! The door screen: scanner bursts through the same key handling as the terminal, the
//! database after them, and a snapshot of each panel.

use crossterm::event::{KeyCode, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::run::handle_key;
use super::{DoorScreen, Outcome};
use crate::app::testing::{store, t};
use crate::domain::policy::Policy;
use crate::store::Door;

/// The door screen on the counter tests' fixture, in front of `slot` (any show: None).
fn door(slot: Option<i64>, now: &str) -> (DoorScreen, crate::app::testing::Slots) {
    let (store, slots) = store();
    let place = Door { name: "main".into(), operator: "usher".into(), slot };
    let mut screen = DoorScreen::new(store, Policy::default(), place, t(now)).expect("door");
    screen.color = false;
    (screen, slots)
}

/// A scanner's burst: the code's characters, then Enter.
fn scan(screen: &mut DoorScreen, code: &str) {
    for c in code.chars() {
        handle_key(screen, KeyCode::Char(c), KeyModifiers::NONE);
    }
    handle_key(screen, KeyCode::Enter, KeyModifiers::NONE);
}

fn frame(screen: &DoorScreen) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(80, 24)).expect("terminal");
    terminal.draw(|f| super::ui::draw(screen, f)).expect("draw");
    terminal
}

fn snapshot(name: &str, screen: &DoorScreen) {
    let terminal = frame(screen);
    insta::with_settings!({
        filters => vec![(r"TKT-[0-9A-Z]{6}", "TKT-######"), (r"BKG-[0-9A-Z]{6}", "BKG-######")],
        prepend_module_to_snapshot => false,
        snapshot_path => "../ui/snapshots",
    }, {
        insta::assert_snapshot!(name, terminal.backend());
    });
}

#[test]
fn a_scanner_burst_admits_once_and_refuses_the_copy() {
    let (mut screen, slots) = door(None, "2026-11-23 13:30");
    let tickets = screen.store.slot_tickets(slots.upcoming).expect("tickets");
    let ann = tickets.iter().find(|t| t.seat == "A5").expect("A5").code.clone();
    snapshot("door_ready", &screen);
    // As a scanner types it: lower case, no dash, then Enter.
    scan(&mut screen, &ann.to_lowercase().replace('-', ""));
    assert!(matches!(&screen.scans[0].outcome, Outcome::Admit(a) if a.len() == 1));
    assert_eq!(screen.store.ticket(&ann).expect("ticket").checked_in, Some(t("2026-11-23 13:30")));
    assert_eq!(screen.count, (1, 6), "one of the show's six booked tickets");
    snapshot("door_admit", &screen);
    screen.now = t("2026-11-23 13:32");
    scan(&mut screen, &ann);
    assert!(matches!(&screen.scans[0].outcome, Outcome::Refused(r) if r.headline() == "ALREADY IN"));
    assert_eq!(screen.count, (1, 6), "the copy is not counted");
    snapshot("door_refused_copy", &screen);
    scan(&mut screen, "TKT-ZZZZZZ");
    assert!(matches!(&screen.scans[0].outcome, Outcome::Unknown { .. }));
    assert_eq!(screen.scans.len(), 3);
    // The door PC restarts: it counts for the show it last admitted to, from the start.
    let DoorScreen { store, place, .. } = screen;
    let again = DoorScreen::new(store, Policy::default(), place, t("2026-11-23 13:40")).expect("door");
    assert_eq!((again.show.as_ref().map(|s| s.id), again.count), (Some(slots.upcoming), (1, 6)));
}

#[test]
fn a_door_in_front_of_one_hall_sends_other_shows_customers_on() {
    // The door of Little Fox (Studio, 15:00); a Paper Tigers ticket (Hall 1, 14:00) is scanned.
    let (mut screen, slots) = door(Some(crate::app::testing::store().1.sold_out), "2026-11-23 14:30");
    let paper_tigers = screen.store.slot_tickets(slots.upcoming).expect("tickets")[0].code.clone();
    scan(&mut screen, &paper_tigers);
    let Outcome::Refused(refusal) = &screen.scans[0].outcome else { panic!("admitted to the wrong show") };
    assert!(refusal.reason().contains("send the customer to Hall 1"), "{}", refusal.reason());
    assert_eq!(screen.store.ticket(&paper_tigers).expect("ticket").checked_in, None);
    snapshot("door_refused_other_show", &screen);
}

#[test]
fn a_ticket_too_early_is_let_in_with_f4_once_a_manager_approves() {
    use crate::domain::staff::Role;
    // Paper Tigers starts at 14:00: its door opens at 13:00.
    let (mut screen, slots) = door(None, "2026-11-23 12:30");
    screen.store.add_operator("Boss", Role::Admin, "4711", "setup", screen.now).expect("admin");
    screen.store.add_operator("Mia", Role::Manager, "2222", "Boss", screen.now).expect("manager");
    let tickets = screen.store.slot_tickets(slots.upcoming).expect("tickets");
    let ann = tickets.iter().find(|t| t.seat == "A5").expect("A5").code.clone();
    scan(&mut screen, &ann);
    assert!(matches!(&screen.scans[0].outcome, Outcome::Refused(r) if r.headline() == "TOO EARLY"));
    assert!(screen.overridable().is_some());
    handle_key(&mut screen, KeyCode::F(4), KeyModifiers::NONE);
    assert!(screen.approval.is_some(), "a manager must approve");
    snapshot("door_override_approval", &screen);
    // Esc keeps the customer out; F4 asks again; Mia approves.
    handle_key(&mut screen, KeyCode::Esc, KeyModifiers::NONE);
    assert!(screen.approval.is_none());
    assert_eq!(screen.store.ticket(&ann).expect("ticket").checked_in, None);
    handle_key(&mut screen, KeyCode::F(4), KeyModifiers::NONE);
    for c in "Mia".chars() {
        handle_key(&mut screen, KeyCode::Char(c), KeyModifiers::NONE);
    }
    handle_key(&mut screen, KeyCode::Tab, KeyModifiers::NONE);
    for c in "2222".chars() {
        handle_key(&mut screen, KeyCode::Char(c), KeyModifiers::NONE);
    }
    handle_key(&mut screen, KeyCode::Tab, KeyModifiers::NONE);
    handle_key(&mut screen, KeyCode::Right, KeyModifiers::NONE);
    handle_key(&mut screen, KeyCode::Enter, KeyModifiers::NONE);
    assert!(screen.approval.is_none());
    assert!(matches!(&screen.scans[0].outcome, Outcome::Admit(_)), "{:?}", screen.scans[0].outcome);
    assert_eq!(screen.store.ticket(&ann).expect("ticket").checked_in, Some(t("2026-11-23 12:30")));
    assert_eq!(screen.count, (1, 6), "the forced admission counts for its show");
    let journal = screen.store.journal_entries(None, Some("usher")).expect("journal");
    assert!(
        journal.iter().any(|e| e.action == "approved" && e.detail.contains("approved by Mia · show-problem")),
        "{journal:?}"
    );
    assert!(screen.store.verify_journal(None).is_ok());
}

#[test]
fn without_operators_f4_lets_a_ticket_in_outside_the_window_at_once() {
    let (mut screen, slots) = door(None, "2026-11-23 12:30");
    let code = screen.store.slot_tickets(slots.upcoming).expect("tickets")[0].code.clone();
    scan(&mut screen, &code);
    handle_key(&mut screen, KeyCode::F(4), KeyModifiers::NONE);
    assert!(matches!(&screen.scans[0].outcome, Outcome::Admit(_)), "{:?}", screen.scans[0].outcome);
    // Nothing to override after an admission (or an unknown code): F4 does nothing.
    handle_key(&mut screen, KeyCode::F(4), KeyModifiers::NONE);
    assert_eq!(screen.scans.len(), 2);
}

#[test]
fn an_approved_forced_check_in_that_is_refused_anyway_journals_no_approval() {
    let (mut screen, slots) = door(None, "2026-11-23 12:30");
    let code = screen.store.slot_tickets(slots.upcoming).expect("tickets")[0].code.clone();
    screen.store.cancel(&code, "till1", false, screen.now, &Policy::default()).expect("cancel");
    let (place, now) = (screen.place.clone(), screen.now);
    let approval = Some(("check-in outside the door's window", "usher", "Mia", "other"));
    let checked = screen
        .store
        .approved(approval, now, |store| store.check_in(&code, &place, true, now, &Policy::default()))
        .expect("answered");
    assert!(matches!(checked, Err(ref r) if r.headline() == "CANCELLED"), "{checked:?}");
    let journal = screen.store.journal_entries(None, None).expect("journal");
    assert!(!journal.iter().any(|e| e.action == "approved"), "no check-in, no approval: {journal:?}");
}
