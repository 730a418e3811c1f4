//! Property test on the library: no sequence of sell / rebook / cancel / expire (with a clock
//! that moves forward) leaves two live tickets on one seat, money that does not add up, or a
//! trace of a refused operation.
//!
//! The money invariant, from the model: a sale's payment is the sum of its tickets' prices (each at its type's price); a
//! cancellation refunds the prices of the booked tickets it cancels; a rebooking archives a
//! ticket and charges (or refunds) the new ticket's price minus the old one's; expiry moves no
//! money. So, summed over every day, report sales − refunds equals the sum of the prices of the
//! tickets that are booked or expired now (an archived ticket's value lives on in its
//! replacement, a canceled ticket's went back to the customer).

use std::collections::BTreeSet;

use chrono::Duration;
use proptest::prelude::*;
use ticketly::domain::layout::HallLayout;
use ticketly::domain::model::{Customer, PaymentMethod, SaleRequest, SeatRequest, SlotId, TicketStatus};
use ticketly::domain::money::Cents;
use ticketly::domain::policy::Policy;
use ticketly::domain::schedule::{NewSlot, PriceArg};
use ticketly::domain::time::{Time, parse_time};
use ticketly::store::{RebookRequest, Store};

const SEATS: [(&str, u32); 10] =
    [("A", 1), ("A", 2), ("A", 3), ("A", 4), ("A", 5), ("B", 1), ("B", 2), ("B", 3), ("B", 4), ("B", 5)];

#[derive(Debug, Clone)]
enum Op {
    Sell { slot: usize, seats: SeatRequest, card: bool, children: usize, seniors: usize },
    Rebook { ticket: usize, slot: usize, seat: Option<usize>, force: bool },
    Cancel { ticket: usize, booking: bool, force: bool },
    Expire { later_hours: i64 },
    Advance { minutes: i64 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        5 => (0..3usize, seats(), any::<bool>(), 0..3usize, 0..2usize)
            .prop_map(|(slot, seats, card, children, seniors)| Op::Sell { slot, seats, card, children, seniors }),
        3 => (any::<usize>(), 0..3usize, proptest::option::of(0..SEATS.len()), any::<bool>())
            .prop_map(|(ticket, slot, seat, force)| Op::Rebook { ticket, slot, seat, force }),
        2 => (any::<usize>(), any::<bool>(), any::<bool>())
            .prop_map(|(ticket, booking, force)| Op::Cancel { ticket, booking, force }),
        1 => (0..30i64).prop_map(|later_hours| Op::Expire { later_hours }),
        2 => (0..240i64).prop_map(|minutes| Op::Advance { minutes }),
    ]
}

/// By count (best available), or up to three named seats.
fn seats() -> impl Strategy<Value = SeatRequest> {
    prop_oneof![
        (1..=4usize).prop_map(SeatRequest::Count),
        proptest::sample::subsequence((0..SEATS.len()).collect::<Vec<_>>(), 1..=3)
            .prop_map(|picked| SeatRequest::Seats(picked.into_iter().map(seat).collect())),
    ]
}

fn seat(i: usize) -> (String, u32) {
    (SEATS[i].0.to_string(), SEATS[i].1)
}

fn t(text: &str) -> Time {
    parse_time(text).expect("time")
}

/// A hall of 2 × 5 seats (row B Premium) and three slots: this morning, this afternoon, tomorrow.
fn setup(target: &std::path::Path) -> (Store, Vec<SlotId>) {
    let mut store = Store::open(target).expect("store");
    store.add_cinema("Rex", "Berlin").expect("cinema");
    let layout = HallLayout::generate(2, 5, &["B".to_string()]).expect("layout");
    store.add_hall(None, "H", &layout).expect("hall");
    // Children are priced everywhere, seniors on Regular seats only by day, and differently on
    // each card: rebooking between them reprices every type.
    use ticketly::domain::layout::Category::{Premium, Regular};
    for (card, ticket_type, prices) in [
        ("Day", "Child", &[(Regular, 500), (Premium, 700)][..]),
        ("Day", "Senior", &[(Regular, 600)][..]),
        ("Late", "Child", &[(Regular, 450), (Premium, 900)][..]),
        ("Late", "Senior", &[(Regular, 650), (Premium, 1000)][..]),
    ] {
        store.card_set(card, ticket_type, prices).expect("card");
    }
    let slot = |name: &str, start: &str, end: &str, regular: Cents, premium: Cents| NewSlot {
        name: name.into(),
        description: String::new(),
        kind: "Movie".into(),
        genre: "Drama".into(),
        hall: "H".into(),
        start: t(start),
        end: t(end),
        prices: vec![
            PriceArg::For(ticketly::domain::layout::Category::Regular, regular),
            PriceArg::For(ticketly::domain::layout::Category::Premium, premium),
        ],
        card: Some(if name == "Tomorrow" { "Late" } else { "Day" }.into()),
    };
    let created = t("2026-11-23 08:00");
    let ids = [
        slot("Morning", "2026-11-23 10:00", "2026-11-23 12:00", 950, 1200),
        slot("Afternoon", "2026-11-23 14:00", "2026-11-23 16:00", 950, 1200),
        slot("Tomorrow", "2026-11-24 10:00", "2026-11-24 12:00", 800, 1500),
    ]
    .into_iter()
    .map(|s| store.add_slot(s, created).expect("slot"))
    .collect();
    (store, ids)
}

/// What a refused operation must leave untouched: every ticket's status, the seat maps, the money.
fn state(store: &mut Store, slots: &[SlotId], codes: &[String], now: Time) -> String {
    let tickets: Vec<_> = codes.iter().map(|c| store.ticket(c).expect("ticket")).collect();
    let maps: Vec<_> = slots.iter().map(|s| store.seat_map(*s, now).expect("map")).collect();
    format!("{tickets:?}\n{maps:?}\n{}", net_takings(store, now))
}

/// Sales minus refunds over every day the test can have touched.
fn net_takings(store: &mut Store, now: Time) -> Cents {
    let mut day = t("2026-11-22 00:00").date();
    let mut net = 0;
    while day <= now.date() + Duration::days(1) {
        let report = store.report(day).expect("report");
        net += report.net();
        day = day.succ_opt().expect("next day");
    }
    net
}

/// Checks the invariants after a step.
fn check(store: &mut Store, slots: &[SlotId], codes: &[String], now: Time) -> Result<(), TestCaseError> {
    let mut live_seats = BTreeSet::new();
    for &slot in slots {
        let live = store.slot_tickets(slot).expect("slot tickets");
        let mut seats = BTreeSet::new();
        for ticket in &live {
            prop_assert!(ticket.status.is_live(), "slot_tickets listed a {:?} ticket", ticket.status);
            prop_assert!(seats.insert(ticket.seat.clone()), "seat {} of slot {slot} has two live tickets", ticket.seat);
            live_seats.insert((slot, ticket.seat.clone(), ticket.code.clone()));
        }
        let map = store.seat_map(slot, now).expect("map");
        prop_assert_eq!(map.seats.len() - map.free_count(), live.len(), "seat map and live tickets disagree");
    }
    let mut owed: Cents = 0;
    let mut tracked_live = BTreeSet::new();
    for code in codes {
        let ticket = store.ticket(code).expect("ticket");
        if ticket.status.is_live() {
            tracked_live.insert((ticket.slot.id, ticket.seat.clone(), ticket.code.clone()));
        }
        if matches!(ticket.status, TicketStatus::Booked | TicketStatus::Expired) {
            owed += ticket.price;
        }
        if ticket.status == TicketStatus::Archived {
            let next = ticket.replaced_by.as_deref().expect("an archived ticket names its replacement");
            let replacement = store.ticket(next).expect("replacement");
            prop_assert_eq!(replacement.replaces.as_deref(), Some(code.as_str()));
        }
    }
    prop_assert_eq!(&tracked_live, &live_seats, "the live tickets issued are exactly the ones the slots list");
    prop_assert_eq!(net_takings(store, now), owed, "sales − refunds ≠ value of booked and expired tickets");
    Ok(())
}

/// Runs `ops` on a fresh database of this suite's engine.
fn run(ops: &[Op]) -> Result<(), TestCaseError> {
    let dir = tempfile::tempdir().expect("temp dir");
    let (target, postgres) = super::support::fresh_target(dir.path());
    let outcome = run_on(&target, ops);
    if postgres {
        ticketly::testdb::drop_postgres_url(&target.to_string_lossy());
    }
    outcome
}

fn run_on(target: &std::path::Path, ops: &[Op]) -> Result<(), TestCaseError> {
    let (mut store, slots) = setup(target);
    let policy = Policy::default();
    let mut now = t("2026-11-23 09:00");
    let mut codes: Vec<String> = Vec::new();
    let mut bookings: Vec<String> = Vec::new();
    for op in ops {
        let before = state(&mut store, &slots, &codes, now);
        let pick = |i: usize, from: &[String]| (!from.is_empty()).then(|| from[i % from.len()].clone());
        let outcome = match op {
            Op::Sell { slot, seats, card, children, seniors } => {
                let request = SaleRequest {
                    slot: slots[*slot],
                    seats: seats.clone(),
                    customer: Customer { name: Some("Prop".into()), phone: None },
                    payment: if *card { PaymentMethod::Card } else { PaymentMethod::Cash },
                    operator: "prop".into(),
                    // Typed tickets, priced by each show's card; some combinations are refused
                    // (more typed tickets than seats, a senior on a Premium seat at a day show).
                    types: vec![("Child".into(), *children), ("Senior".into(), *seniors)],
                    price_override: None,
                };
                Some(store.sell(&request, now, &policy).map(|sale| {
                    bookings.push(sale.booking);
                    codes.extend(sale.tickets.into_iter().map(|t| t.code));
                }))
            }
            Op::Rebook { ticket, slot, seat: to, force } => pick(*ticket, &codes).map(|code| {
                let request = RebookRequest {
                    ticket: code,
                    slot: slots[*slot],
                    seat: to.map(seat),
                    operator: "prop".into(),
                    force: *force,
                    method: None,
                };
                store.rebook(&request, now, &policy).map(|r| codes.push(r.new.code))
            }),
            Op::Cancel { ticket, booking, force } => {
                let code = if *booking { pick(*ticket, &bookings) } else { pick(*ticket, &codes) };
                code.map(|c| store.cancel(&c, "prop", *force, now, &policy).map(|_| ()))
            }
            Op::Expire { later_hours } => Some(
                store
                    .expire(now + Duration::hours(*later_hours), now + Duration::hours(*later_hours), "cron", &policy)
                    .map(|_| ()),
            ),
            Op::Advance { minutes } => {
                now += Duration::minutes(*minutes);
                None
            }
        };
        if let Some(Err(e)) = outcome {
            prop_assert!(matches!(e, ticketly::store::Error::Domain(_)), "{op:?} failed with an internal error: {e}");
            prop_assert_eq!(&state(&mut store, &slots, &codes, now), &before, "refused {:?} changed the database", op);
        }
        check(&mut store, &slots, &codes, now)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn no_double_sale_and_the_money_adds_up(ops in proptest::collection::vec(op(), 1..=30)) {
        run(&ops)?;
    }
}
