//! Fixtures shared by the store's unit tests.

use super::Store;
use crate::domain::layout::HallLayout;
use crate::domain::model::{Customer, PaymentMethod, SaleRequest, SeatRequest, SlotId};
use crate::domain::schedule::{NewSlot, PriceArg};
use crate::domain::time::{Time, parse_time};

pub fn t(s: &str) -> Time {
    parse_time(s).expect("time")
}

/// An in-memory store: cinema "Rex", hall "Small" of `rows` × `seats`, and the slot "Avatar"
/// on 23 Nov 2026 20:00-22:00 at 10.00 a seat.
pub fn small_show(rows: u32, seats: u32) -> (Store, SlotId) {
    let mut store = Store::open_in_memory().expect("store");
    store.add_cinema("Rex", "Leeds").expect("cinema");
    store.add_hall(None, "Small", &HallLayout::generate(rows, seats, &[]).expect("layout")).expect("hall");
    let slot = store
        .add_slot(
            NewSlot {
                name: "Avatar".into(),
                description: String::new(),
                kind: "Movie".into(),
                genre: String::new(),
                hall: "Small".into(),
                start: t("2026-11-23 20:00"),
                end: t("2026-11-23 22:00"),
                prices: vec![PriceArg::All(1000)],
            },
            t("2026-11-23 10:00"),
        )
        .expect("slot");
    (store, slot)
}

/// A cash sale to a walk-in by till1.
pub fn walk_in(slot: SlotId, seats: SeatRequest) -> SaleRequest {
    SaleRequest { slot, seats, customer: Customer::default(), payment: PaymentMethod::Cash, operator: "till1".into() }
}
