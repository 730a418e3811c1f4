//! A chain on one database: a counter that belongs to one cinema sees only its shows; an office
//! PC sees them all and steps through the cinemas with `v`.

use crossterm::event::KeyCode;

use super::testing::{NOW, app, press, t};
use crate::domain::layout::HallLayout;
use crate::domain::schedule::{NewSlot, PriceArg};

/// The fixture's Rex Cinema (Leeds), plus the Odeon in York with one show today.
fn with_odeon() -> (super::App, i64) {
    let (mut app, _) = app();
    app.store.add_cinema("Odeon", "York").expect("cinema");
    app.store.add_hall(Some("Odeon"), "York 1", &HallLayout::generate(2, 5, &[]).expect("layout")).expect("hall");
    let show = NewSlot {
        name: "Northern Lights".into(),
        description: String::new(),
        kind: "Movie".into(),
        genre: "Documentary".into(),
        hall: "York 1".into(),
        start: t("2026-11-23 19:00"),
        end: t("2026-11-23 21:00"),
        prices: vec![PriceArg::All(800)],
        card: None,
    };
    let id = app.store.add_slot(show, t(NOW)).expect("slot");
    (app, id)
}

fn shown(app: &super::App) -> Vec<i64> {
    app.schedule.visible().iter().map(|s| s.slot.id).collect()
}

#[test]
fn an_office_pc_steps_through_the_cinemas_and_back_to_the_chain() {
    let (mut app, odeon_show) = with_odeon();
    app.set_cinema(None);
    assert_eq!(app.theatre, "all cinemas");
    let all = shown(&app);
    assert!(all.contains(&odeon_show) && all.len() > 1);
    press(&mut app, KeyCode::Char('v'));
    assert_eq!(app.theatre, "Rex Cinema");
    assert!(!shown(&app).contains(&odeon_show) && !shown(&app).is_empty());
    press(&mut app, KeyCode::Char('v'));
    assert_eq!((app.theatre.as_str(), shown(&app)), ("Odeon", vec![odeon_show]));
    press(&mut app, KeyCode::Char('v'));
    assert_eq!((app.theatre.as_str(), shown(&app)), ("all cinemas", all));
}

#[test]
fn a_counter_that_belongs_to_a_cinema_shows_only_its_shows() {
    let (mut app, odeon_show) = with_odeon();
    app.set_cinema(Some("Odeon".into()));
    assert_eq!((app.theatre.as_str(), shown(&app)), ("Odeon", vec![odeon_show]));
    press(&mut app, KeyCode::Char('v'));
    assert_eq!(shown(&app), vec![odeon_show], "a counter does not switch cinemas");
    assert!(matches!(&app.message, Some(super::Message::Info(m)) if m.contains("one cinema")));
}
