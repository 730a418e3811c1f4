//! Demo data for `ticketly init --demo`: a cinema with three halls and a week of shows from
//! today, some of them partly sold, one almost full and one sold out. Deterministic for a given
//! day, so two counters set up the same morning see the same theatre.

use chrono::{Duration, NaiveTime};

use crate::domain::layout::Category;
use crate::domain::layout::HallLayout;
use crate::domain::model::{Customer, PaymentMethod, SaleRequest, SeatRequest};
use crate::domain::policy::Policy;
use crate::domain::rng::Rng;
use crate::domain::schedule::NewSlot;
use crate::domain::time::Time;
use crate::store::{Result, Store};

/// What the demo added.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub slots: usize,
    pub tickets: usize,
}

struct Film {
    title: &'static str,
    genre: &'static str,
    kind: &'static str,
    minutes: i64,
    about: &'static str,
}

const FILMS: [Film; 7] = [
    Film {
        title: "Starfall",
        genre: "Sci-Fi",
        kind: "Movie",
        minutes: 142,
        about: "A salvage crew finds a signal where no star should be.",
    },
    Film {
        title: "The Lighthouse Keeper",
        genre: "Drama",
        kind: "Movie",
        minutes: 118,
        about: "One winter, one keeper, one ship that never arrives.",
    },
    Film {
        title: "Paper Tigers",
        genre: "Comedy",
        kind: "Movie",
        minutes: 96,
        about: "Three retired stuntmen take one last job.",
    },
    Film {
        title: "Deep Blue Planet",
        genre: "Nature",
        kind: "Documentary",
        minutes: 88,
        about: "Life in the ocean's twilight zone.",
    },
    Film {
        title: "Midnight Express Line",
        genre: "Thriller",
        kind: "Movie",
        minutes: 124,
        about: "A night train, a missing passenger, nine suspects.",
    },
    Film {
        title: "Little Fox",
        genre: "Animation",
        kind: "Movie",
        minutes: 84,
        about: "A fox cub looks for the way home.",
    },
    Film {
        title: "Symphony No. 9 Live",
        genre: "Classical",
        kind: "Concert",
        minutes: 75,
        about: "Beethoven's Ninth, recorded live.",
    },
];

const NAMES: [&str; 10] = [
    "Ada Lovelace",
    "Grace Hopper",
    "Alan Turing",
    "Zoë Müller",
    "Ravi Patel",
    "Mei Chen",
    "Tom O'Brien",
    "Fatima Zahra",
    "Lars Nilsson",
    "Ana Souza",
];

/// Halls with their show times.
const HALLS: [(&str, &[(u32, u32)]); 3] = [
    ("The Grand", &[(13, 0), (16, 30), (20, 0)]),
    ("Hall 2", &[(11, 0), (14, 0), (17, 0), (20, 30)]),
    ("Studio", &[(12, 0), (15, 0), (18, 30), (21, 0)]),
];

/// The demo's price cards: (card, type, Regular and Accessible, Premium, VIP).
const CARDS: &[(&str, &str, i64, i64, i64)] = &[
    ("Evening", "Adult", 950, 1250, 1800),
    ("Evening", "Child", 650, 900, 1400),
    ("Evening", "Senior", 700, 950, 1500),
    ("Evening", "Student", 750, 1000, 1500),
    ("Matinee", "Adult", 750, 1000, 1500),
    ("Matinee", "Child", 500, 700, 1200),
    ("Matinee", "Senior", 550, 750, 1250),
    ("Matinee", "Student", 600, 800, 1250),
];

/// Fills an empty database. `now` decides "today"; shows earlier today are included (and ended).
pub fn load(store: &mut Store, now: Time) -> Result<DemoSummary> {
    // One transaction: a demo interrupted half-way leaves an empty database, not half a theatre.
    store.set_bulk_load(true)?;
    let result = store.all_or_nothing(|store| fill(store, now));
    store.set_bulk_load(false)?;
    result
}

fn fill(store: &mut Store, now: Time) -> Result<DemoSummary> {
    store.add_cinema("Ticketly Picturehouse", "Leeds")?;
    store.add_hall(None, "The Grand", &HallLayout::parse(include_str!("../assets/grand.layout"))?)?;
    store.add_hall(None, "Hall 2", &HallLayout::generate(8, 12, &["H".into()])?)?;
    store.add_hall(None, "Studio", &HallLayout::parse(include_str!("../assets/studio.layout"))?)?;
    for (card, ticket_type, regular, premium, vip) in CARDS {
        let prices = [
            (Category::Regular, *regular),
            (Category::Accessible, *regular),
            (Category::Premium, *premium),
            (Category::Vip, *vip),
        ];
        store.card_set(card, ticket_type, &prices)?;
    }
    let today = crate::domain::time::local(&now).date();
    let midnight = crate::domain::time::from_local(&today.and_time(NaiveTime::MIN));
    let mut random = Rng::new(u64::from(today.to_string().bytes().map(u32::from).sum::<u32>()));
    let policy = Policy::default();
    let mut summary = DemoSummary { slots: 0, tickets: 0 };
    for day in 0..7 {
        for (hall_index, (hall, times)) in HALLS.iter().enumerate() {
            for (i, (h, m)) in times.iter().enumerate() {
                let film = &FILMS[(day * 3 + hall_index * 2 + i) % FILMS.len()];
                let start = crate::domain::time::from_local(
                    &(today + Duration::days(day as i64))
                        .and_time(NaiveTime::from_hms_opt(*h, *m, 0).unwrap_or_default()),
                );
                let slot = store.add_slot(
                    NewSlot {
                        name: film.title.into(),
                        description: film.about.into(),
                        kind: film.kind.into(),
                        genre: film.genre.into(),
                        hall: (*hall).into(),
                        start,
                        end: start + Duration::minutes(film.minutes),
                        prices: vec![],
                        card: Some(if *h < 17 { "Matinee" } else { "Evening" }.into()),
                    },
                    midnight,
                )?;
                summary.slots += 1;
                // Fuller today and tomorrow; today's Studio evening show sells out.
                let sold_out = day == 0 && *hall == "Studio" && i == 2;
                let fill_percent = if sold_out {
                    100
                } else if day < 2 {
                    20 + random.below(60)
                } else {
                    random.below(35)
                };
                let sale_time = (start - Duration::hours(1)).min(now.max(midnight));
                summary.tickets += sell_share(store, slot, fill_percent, sale_time, &policy, &mut random)?;
            }
        }
    }
    Ok(summary)
}

/// Sells bookings of 1-4 seats until about `percent` of the slot is sold.
fn sell_share(
    store: &mut Store,
    slot: i64,
    percent: u64,
    at: Time,
    policy: &Policy,
    random: &mut Rng,
) -> Result<usize> {
    let total = store.seat_map(slot, at)?.seats.len() as u64;
    let target = (total * percent / 100) as usize;
    let mut sold = 0;
    while sold < target {
        let free = store.seat_map(slot, at)?.free_count();
        let count = (1 + random.below(4) as usize).min(target - sold).min(free);
        if count == 0 {
            break;
        }
        let walk_in = random.below(3) == 0;
        let request = SaleRequest {
            slot,
            seats: SeatRequest::Count(count),
            customer: Customer {
                name: (!walk_in).then(|| NAMES[random.below(NAMES.len() as u64) as usize].to_string()),
                phone: (!walk_in).then(|| format!("07700 900{:03}", random.below(1000))),
            },
            payment: if random.below(2) == 0 { PaymentMethod::Cash } else { PaymentMethod::Card },
            operator: "demo".into(),
            // Families bring children; some couples are seniors or students.
            types: match (count, random.below(6)) {
                (3.., 0 | 1) => vec![("Child".into(), count - 2)],
                (_, 2) => vec![("Senior".into(), count)],
                (_, 3) => vec![("Student".into(), 1)],
                _ => Vec::new(),
            },
            price_override: None,
        };
        sold += store.sell(&request, at, policy)?.tickets.len();
    }
    Ok(sold)
}
