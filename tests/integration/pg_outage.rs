//! PostgreSQL stopped the hard way (`pg_ctl stop -m immediate`) in the middle of a burst of
//! sales from four counters, then started again: every sale a counter was told had gone
//! through is there, nothing is half-written (the audit passes), and the counters sell again
//! once the server is back. On a cluster of the test's own, so the other tests never see it.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ticketly::domain::layout::HallLayout;
use ticketly::domain::model::{Customer, PaymentMethod, SaleRequest, SeatRequest, TicketStatus};
use ticketly::domain::policy::Policy;
use ticketly::domain::schedule::{NewSlot, PriceArg};
use ticketly::store::Store;
use ticketly::testdb::OwnCluster;

const COUNTERS: usize = 4;

#[test]
fn an_immediate_server_stop_during_a_burst_of_sales_loses_nothing_confirmed() {
    let Some(cluster) = OwnCluster::start() else {
        ticketly::testdb::warn_skipped("pg_outage::an_immediate_server_stop_during_a_burst_of_sales");
        return;
    };
    let url = cluster.url();
    let now = ticketly::domain::time::now();
    let mut store = Store::open(&url).expect("open");
    store.add_cinema("Rex", "Leeds").expect("cinema");
    let mut slots = Vec::new();
    for i in 0..COUNTERS {
        let hall = format!("Hall {i}");
        store.add_hall(None, &hall, &HallLayout::generate(20, 25, &[]).expect("layout")).expect("hall");
        let start = now + chrono::Duration::days(1);
        let show = NewSlot {
            name: format!("Show {i}"),
            description: String::new(),
            kind: "Movie".into(),
            genre: String::new(),
            hall,
            start,
            end: start + chrono::Duration::hours(2),
            prices: vec![PriceArg::All(900)],
            card: None,
        };
        slots.push(store.add_slot(show, now).expect("slot"));
    }
    drop(store);

    let confirmed = Arc::new(Mutex::new(Vec::<String>::new()));
    let after_restart = Arc::new(AtomicUsize::new(0));
    let (restarted, done) = (Arc::new(AtomicBool::new(false)), Arc::new(AtomicBool::new(false)));
    let counters: Vec<_> = slots
        .iter()
        .map(|&slot| {
            let (url, confirmed, after_restart) = (url.clone(), confirmed.clone(), after_restart.clone());
            let (restarted, done) = (restarted.clone(), done.clone());
            std::thread::spawn(move || {
                let mut store = Store::open(&url).expect("open");
                let policy = Policy::default();
                while !done.load(Ordering::Relaxed) {
                    let request = SaleRequest {
                        slot,
                        seats: SeatRequest::Count(2),
                        customer: Customer::default(),
                        payment: PaymentMethod::Cash,
                        operator: format!("counter {slot}"),
                        types: Vec::new(),
                        price_override: None,
                    };
                    match store.sell(&request, ticketly::domain::time::now(), &policy) {
                        Ok(sale) => {
                            confirmed.lock().expect("lock").push(sale.booking);
                            if restarted.load(Ordering::Relaxed) {
                                after_restart.fetch_add(1, Ordering::Relaxed);
                            }
                        }
                        // The server is gone: try to connect again, as the counter screen does.
                        Err(e) if e.is_connection_lost() => {
                            std::thread::sleep(Duration::from_millis(50));
                            let _ = store.reconnect();
                        }
                        Err(e) => panic!("a sale failed other than by the outage: {e}"),
                    }
                }
            })
        })
        .collect();

    let burst = Instant::now();
    while confirmed.lock().expect("lock").len() < 40 {
        assert!(burst.elapsed() < Duration::from_secs(30), "the counters are not selling");
        std::thread::sleep(Duration::from_millis(10));
    }
    cluster.crash();
    let before_crash = confirmed.lock().expect("lock").len();
    std::thread::sleep(Duration::from_millis(300));
    cluster.start_server();
    restarted.store(true, Ordering::Relaxed);
    let back = Instant::now();
    while after_restart.load(Ordering::Relaxed) < 4 * COUNTERS {
        assert!(back.elapsed() < Duration::from_secs(30), "the counters did not sell again after the restart");
        std::thread::sleep(Duration::from_millis(20));
    }
    done.store(true, Ordering::Relaxed);
    for counter in counters {
        counter.join().expect("a counter thread panicked");
    }

    let mut store = Store::open(&url).expect("open after the restart");
    let confirmed = confirmed.lock().expect("lock").clone();
    assert!(confirmed.len() > before_crash, "sales went on after the restart");
    for code in &confirmed {
        let tickets = store.booking_tickets(code).expect("a confirmed sale is there");
        assert_eq!(tickets.len(), 2, "{code}");
        assert!(tickets.iter().all(|t| t.status == TicketStatus::Booked), "{code}: {tickets:?}");
    }
    let audit = store.audit().expect("audit");
    assert!(audit.ok(), "{:?}\n{audit:#?}", audit.problems());
    assert_eq!(audit.tickets_by_status.get("booked").copied().unwrap_or(0) % 2, 0, "no half of a pair");
}
