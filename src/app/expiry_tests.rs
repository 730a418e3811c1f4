//! Holds run out by the clock, not by a write: an open counter shows another counter's lapsed
//! hold as free at once, in the grid and for best N, without waiting for someone to write.

use crossterm::event::KeyCode;

use super::testing::{app, press, t};
use super::{Action, Screen};
use crate::domain::seatmap::SeatStatus;

fn status_of(app: &super::App, label: &str) -> SeatStatus {
    let Some(Screen::Seats(picker)) = app.screens.last() else { panic!("not on the seat map") };
    picker.map.seats.iter().find(|s| s.label() == label).map(|s| s.status).expect("seat")
}

#[test]
fn another_counter_s_hold_shows_free_as_soon_as_it_runs_out() {
    let (mut app, slots) = app();
    while app.schedule.selected_slot().map(|s| s.slot.id) != Some(slots.upcoming) {
        press(&mut app, KeyCode::Down);
    }
    press(&mut app, KeyCode::Enter);
    // till2 holds C1 C2 until 12:03 (see the fixture).
    assert_eq!(status_of(&app, "C1"), SeatStatus::Held);
    app.set_now(t("2026-11-23 12:02"));
    app.update(Action::Tick);
    assert_eq!(status_of(&app, "C1"), SeatStatus::Held, "not yet");
    app.set_now(t("2026-11-23 12:03"));
    app.update(Action::Tick);
    assert_eq!((status_of(&app, "C1"), status_of(&app, "C2")), (SeatStatus::Available, SeatStatus::Available));
    let Some(Screen::Seats(picker)) = app.screens.last() else { panic!("not on the seat map") };
    assert_eq!(picker.map.stale_at, None, "no hold left to run out");
}
