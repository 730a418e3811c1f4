//! Price cards at the counter (issue 12): the booking form's ticket types, a family sold in a
//! few keys, and the four-key walk-in sale unchanged.

use crossterm::event::KeyCode;

use super::Screen;
use super::testing::{app, form, press, t, type_text};
use crate::domain::layout::Category;
use crate::domain::model::SlotId;
use crate::domain::schedule::NewSlot;

/// The fixture plus an Evening card (Adult, Child without VIP, Senior) and a show priced
/// from it in Hall 1 at 16:00.
pub fn app_with_card() -> (super::App, SlotId) {
    let (mut app, _) = app();
    for (ticket_type, prices) in [
        ("Adult", &[(Category::Regular, 1000), (Category::Premium, 1250), (Category::Vip, 1800)][..]),
        ("Child", &[(Category::Regular, 650), (Category::Premium, 900)][..]),
        ("Senior", &[(Category::Regular, 700), (Category::Premium, 950), (Category::Vip, 1400)][..]),
    ] {
        app.store.card_set("Evening", ticket_type, prices).expect("card");
    }
    let show = NewSlot {
        name: "Family Film".into(),
        description: String::new(),
        kind: "Movie".into(),
        genre: "Animation".into(),
        hall: "Hall 1".into(),
        start: t("2026-11-23 16:00"),
        end: t("2026-11-23 17:40"),
        prices: vec![],
        card: Some("Evening".into()),
    };
    let slot = app.store.add_slot(show, t("2026-11-23 08:00")).expect("show");
    app.reload_schedule();
    (app, slot)
}

/// From the schedule: the show's seats, best `n`, on to the booking form.
pub fn open_form(app: &mut super::App, slot: SlotId, n: char) {
    let target = app.schedule.visible().iter().position(|s| s.slot.id == slot).expect("listed");
    app.schedule.selected = target;
    for key in [KeyCode::Enter, KeyCode::Char(n), KeyCode::Enter] {
        press(app, key);
    }
}

#[test]
fn a_family_is_sold_in_a_few_keys_and_the_total_follows_the_types() {
    let (mut app, slot) = app_with_card();
    open_form(&mut app, slot, '4');
    assert_eq!(form(&app).types, vec![("Adult".into(), 4), ("Child".into(), 0), ("Senior".into(), 0)]);
    // Up to the types, `c` picks Child, `2` is the count; `s` then `+` adds a senior.
    press(&mut app, KeyCode::Up);
    type_text(&mut app, "c2s+");
    let f = form(&app);
    assert_eq!(f.types, vec![("Adult".into(), 1), ("Child".into(), 2), ("Senior".into(), 1)]);
    let seats = f.hold.seats.clone();
    let expected: i64 = f.priced().expect("priced").iter().map(|(_, p)| p).sum();
    assert_eq!(f.total(), expected);
    assert!(seats.iter().all(|s| s.category == Category::Regular), "best 4 are Regular seats here");
    assert_eq!(f.total(), 1000 + 2 * 650 + 700);
    // More children than seats are not possible: the count stops at what the others leave.
    type_text(&mut app, "c9");
    assert_eq!(form(&app).types[1].1, 3);
    type_text(&mut app, "-");
    press(&mut app, KeyCode::Enter);
    let Some(Screen::Confirmed(done)) = app.screens.last() else { panic!("not sold: {:?}", app.message) };
    let mut types: Vec<&str> = done.sale.tickets.iter().map(|t| t.ticket_type.as_str()).collect();
    types.sort();
    assert_eq!(types, vec!["Adult", "Child", "Child", "Senior"]);
    assert_eq!(done.sale.total, 1000 + 2 * 650 + 700);
    let report = app.store.report(t("2026-11-23 12:00").date()).expect("report");
    let child = report.types.iter().find(|(name, _)| name == "Child").expect("child");
    assert_eq!((child.1.tickets_sold, child.1.sales), (2, 1300));
}

#[test]
fn a_type_without_a_price_for_a_chosen_seat_is_refused_on_the_form() {
    let (mut app, slot) = app_with_card();
    // Hall 1's VIP seats: the Child row of the card has no VIP price.
    let map = app.store.seat_map(slot, app.now).expect("map");
    let vip = map.seats.iter().find(|s| s.category == Category::Vip).expect("a VIP seat").clone();
    let target = app.schedule.visible().iter().position(|s| s.slot.id == slot).expect("listed");
    app.schedule.selected = target;
    press(&mut app, KeyCode::Enter);
    let Some(Screen::Seats(picker)) = app.screens.last_mut() else { panic!("no seats") };
    picker.cursor = picker.map.seats.iter().position(|s| s.id == vip.id).expect("vip on the map");
    press(&mut app, KeyCode::Char(' '));
    press(&mut app, KeyCode::Enter);
    press(&mut app, KeyCode::Up);
    type_text(&mut app, "c1");
    press(&mut app, KeyCode::Enter);
    let f = form(&app).clone();
    assert!(f.error.as_deref().is_some_and(|e| e.contains("no Child price for VIP seats")), "{:?}", f.error);
    assert!(app.store.booking_tickets(&f.hold.booking).expect("hold").iter().all(|t| t.ticket_type == "Adult"));
}

#[test]
fn the_four_key_walk_in_sale_on_a_card_priced_show_is_all_the_default_type() {
    let (mut app, slot) = app_with_card();
    open_form(&mut app, slot, '2');
    press(&mut app, KeyCode::Enter);
    let Some(Screen::Confirmed(done)) = app.screens.last() else { panic!("not sold: {:?}", app.message) };
    assert!(done.sale.tickets.iter().all(|t| t.ticket_type == "Adult"));
}
