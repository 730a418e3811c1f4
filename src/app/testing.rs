//! Test fixtures for the TUI: a small theatre with shows in every state, a fixed clock, and
//! helpers to press keys and draw frames exactly as the terminal loop does.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::App;
use super::action::action_for_key;
use crate::domain::layout::{Category, HallLayout};
use crate::domain::model::{Customer, PaymentMethod, SaleRequest, SeatRequest, SlotId};
use crate::domain::policy::Policy;
use crate::domain::schedule::{NewSlot, PriceArg};
use crate::domain::seatmap::parse_seat_list;
use crate::domain::time::{Time, parse_time};
use crate::store::Store;

/// The fixed "now" of every TUI test: noon on Monday 23 November 2026.
pub const NOW: &str = "2026-11-23 12:00";

pub fn t(text: &str) -> Time {
    parse_time(text).expect("fixture time")
}

/// Ids of the fixture's slots, in the order the schedule lists today's.
pub struct Slots {
    pub ended: SlotId,
    pub running: SlotId,
    pub upcoming: SlotId,
    pub sold_out: SlotId,
    pub evening: SlotId,
    pub late: SlotId,
    pub tomorrow: SlotId,
}

const HALL_1: &str =
    "A: RRRR.RRRRRR.RRRR\nB: RRRR.RRRRRR.RRRR\nC: RRRR.RRRRRR.RRRR\n-\nD: PPPP.PPPPPP.PPPP\nE: AA...VVVV...AA\n";

/// A store with two halls and shows that ended, are running, are upcoming, and are sold out.
pub fn store() -> (Store, Slots) {
    let mut store = Store::open_in_memory().expect("store");
    let slots = fill(&mut store);
    (store, slots)
}

/// Adds the fixture's theatre, shows and sales to an empty store.
pub fn fill(store: &mut Store) -> Slots {
    store.add_cinema("Rex Cinema", "Leeds").expect("cinema");
    store.add_hall(None, "Hall 1", &HallLayout::parse(HALL_1).expect("layout")).expect("hall");
    store.add_hall(None, "Studio", &HallLayout::generate(2, 3, &[]).expect("layout")).expect("hall");
    let mut add = |name: &str, genre: &str, kind: &str, hall: &str, start: &str, end: &str| {
        store
            .add_slot(
                NewSlot {
                    name: name.into(),
                    description: String::new(),
                    kind: kind.into(),
                    genre: genre.into(),
                    hall: hall.into(),
                    start: t(start),
                    end: t(end),
                    prices: vec![
                        PriceArg::All(950),
                        PriceArg::For(Category::Premium, 1250),
                        PriceArg::For(Category::Vip, 1800),
                    ],
                    card: None,
                },
                t("2026-11-23 08:00"),
            )
            .expect("slot")
    };
    let slots = Slots {
        ended: add("Morning Matinee", "Drama", "Movie", "Hall 1", "2026-11-23 09:00", "2026-11-23 11:00"),
        running: add("Starfall", "Sci-Fi", "Movie", "Hall 1", "2026-11-23 11:50", "2026-11-23 13:50"),
        upcoming: add("Paper Tigers", "Comedy", "Movie", "Hall 1", "2026-11-23 14:00", "2026-11-23 15:40"),
        sold_out: add("Little Fox", "Animation", "Movie", "Studio", "2026-11-23 15:00", "2026-11-23 16:30"),
        evening: add("Deep Blue Planet", "Nature", "Documentary", "Hall 1", "2026-11-23 18:00", "2026-11-23 19:30"),
        late: add("Starfall", "Sci-Fi", "Movie", "Hall 1", "2026-11-23 20:30", "2026-11-23 22:52"),
        tomorrow: add("Starfall", "Sci-Fi", "Movie", "Studio", "2026-11-24 12:00", "2026-11-24 14:22"),
    };
    sell(store, slots.upcoming, "A5,A6", Some("Ann Lee"), PaymentMethod::Card);
    sell(store, slots.upcoming, "B7,B8,B9", None, PaymentMethod::Cash);
    sell(store, slots.upcoming, "D1", Some("Raj"), PaymentMethod::Cash);
    sell(store, slots.sold_out, "A1,A2,A3,B1,B2,B3", Some("School trip"), PaymentMethod::Card);
    // Another counter is in the middle of a sale: its hold runs until 12:03.
    let held = SeatRequest::Seats(parse_seat_list("C1,C2").expect("seats"));
    store.hold(slots.upcoming, &held, "till2", t("2026-11-23 11:58"), &Policy::default()).expect("fixture hold");
    slots
}

pub fn sell(store: &mut Store, slot: SlotId, seats: &str, name: Option<&str>, payment: PaymentMethod) -> String {
    let request = SaleRequest {
        slot,
        seats: SeatRequest::Seats(parse_seat_list(seats).expect("seats")),
        customer: Customer { name: name.map(str::to_string), phone: name.map(|_| "0113 496 0000".to_string()) },
        payment,
        operator: "till2".into(),
        types: Vec::new(),
        price_override: None,
    };
    store.sell(&request, t("2026-11-23 08:30"), &Policy::default()).expect("fixture sale").booking
}

/// The app on the fixture, at noon, colours off, 80×24.
pub fn app() -> (App, Slots) {
    app_with(store())
}

/// The counter on the fixture's theatre in `db` (a SQLite file or a PostgreSQL schema).
pub fn app_on(db: &crate::store::test_support::TestDb) -> (App, Slots) {
    let mut store = db.open();
    let slots = fill(&mut store);
    app_with((store, slots))
}

fn app_with((store, slots): (Store, Slots)) -> (App, Slots) {
    let mut app = App::new(store, Policy::default(), "till1".into(), t(NOW));
    app.color = false;
    app.currency = "£".into();
    (app, slots)
}

/// Adds a show at one price for every seat, for tests that need prices the fixture lacks.
pub fn add_show(store: &mut Store, name: &str, hall: &str, start: &str, end: &str, price: i64) -> SlotId {
    let slot = NewSlot {
        name: name.into(),
        description: String::new(),
        kind: "Movie".into(),
        genre: String::new(),
        hall: hall.into(),
        start: t(start),
        end: t(end),
        prices: vec![PriceArg::All(price)],
        card: None,
    };
    store.add_slot(slot, t("2026-11-23 08:00")).expect("show")
}

/// On the rebooking's show list: moves the cursor to `slot`, as a cashier would.
pub fn choose_rebook_show(app: &mut App, slot: SlotId) {
    loop {
        let Some(super::Screen::RebookSlots(pick)) = app.screens.last() else { panic!("not on the show list") };
        let target = pick.slots.iter().position(|s| s.slot.id == slot).expect("the show is listed");
        match pick.selected.cmp(&target) {
            std::cmp::Ordering::Equal => return,
            std::cmp::Ordering::Less => press(app, KeyCode::Down),
            std::cmp::Ordering::Greater => press(app, KeyCode::Up),
        }
    }
}

/// The booking form on top, or a panic naming what is there instead.
pub fn form(app: &App) -> &super::booking::BookingForm {
    match app.screens.last() {
        Some(super::Screen::Booking(form)) => form,
        other => panic!("not on the booking form: {other:?}"),
    }
}

/// Presses one key, read as the terminal loop reads it in the app's current input mode.
pub fn press(app: &mut App, code: KeyCode) {
    press_with(app, code, KeyModifiers::NONE);
}

pub fn press_with(app: &mut App, code: KeyCode, modifiers: KeyModifiers) {
    if let Some(action) = action_for_key(KeyEvent::new(code, modifiers), app.input_mode()) {
        app.update(action);
    }
}

/// Types text into whatever has the focus.
pub fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        press(app, KeyCode::Char(c));
    }
}

/// Draws the app at `width` × `height` into a test terminal.
pub fn draw(app: &mut App, width: u16, height: u16) -> Terminal<TestBackend> {
    app.size = (width, height);
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    terminal.draw(|frame| crate::ui::draw(app, frame)).expect("draw");
    terminal
}

/// The booking form for the best two seats of `slot`, from the schedule.
pub fn open_booking(app: &mut App, slot: i64) {
    let target = app.schedule.visible().iter().position(|s| s.slot.id == slot).expect("the show is listed");
    while app.schedule.selected != target {
        press(app, if app.schedule.selected < target { KeyCode::Down } else { KeyCode::Up });
    }
    for key in [KeyCode::Enter, KeyCode::Char('2'), KeyCode::Enter] {
        press(app, key);
    }
}
