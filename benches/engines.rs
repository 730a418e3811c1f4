//! Issue 9's engine comparison, in one run: 8 counter processes selling 2 seats at a time into
//! 4 shows (2 processes a show) until they are full, on SQLite and on PostgreSQL, each beside
//! its raw engine doing the same inserts (a booking, two tickets, a payment per transaction) at
//! the same concurrency. Both engines are durable: SQLite `synchronous=FULL`, PostgreSQL with
//! fsync on (a throwaway cluster started with `TICKETLY_TEST_PG_DURABLE=1`, or `TICKETLY_TEST_PG`).
//!
//! The raw engine again with the show's lock taken first, as ticketly must (one show's sales are
//! serialised; SQLite's raw writer holds the whole file's lock already, so there it is the same
//! figure). Then one counter alone on each engine: the median sale beside the median raw
//! transaction.
//!
//!     TICKETLY_TEST_PG_DURABLE=1 cargo bench --bench engines

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use chrono::NaiveDateTime;
use ticketly::domain::error::Error as Refusal;
use ticketly::domain::layout::HallLayout;
use ticketly::domain::model::{Customer, PaymentMethod, SaleRequest, SeatRequest, SlotId};
use ticketly::domain::policy::Policy;
use ticketly::domain::schedule::{NewSlot, PriceArg};
use ticketly::store::{Error, Store};

const PROCESSES: usize = 8;
const SHOWS: usize = 4;

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--worker") {
        return worker(&args[1..]);
    }
    if std::env::var_os("TICKETLY_TEST_PG").is_none() && std::env::var_os("TICKETLY_TEST_PG_DURABLE").is_none() {
        eprintln!("engines: set TICKETLY_TEST_PG_DURABLE=1, or the throwaway PostgreSQL runs without fsync");
    }
    let dir = std::env::temp_dir().join(format!("ticketly-engines-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    let mut targets = vec![("SQLite", dir.join("engines.db"))];
    match ticketly::testdb::fresh_postgres_url() {
        Some(url) => targets.push(("PostgreSQL", PathBuf::from(url))),
        None => eprintln!("engines: no PostgreSQL server; measuring SQLite only"),
    }
    println!(
        "| engine | ticketly, {PROCESSES} processes × {SHOWS} shows | raw inserts, same concurrency | ratio | raw, show locked | ratio | one counter's sale, median | raw insert transaction, median | ratio |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    for (name, target) in &targets {
        let shows = setup(target, 4)?;
        let app = run(target, &shows[..SHOWS], "app", PROCESSES)?.0;
        let raw = run(target, &shows[SHOWS..2 * SHOWS], "raw", PROCESSES)?.0;
        let locked = run(target, &shows[2 * SHOWS..3 * SHOWS], "locked", PROCESSES)?.0;
        // One counter alone: how long one sale takes, beside the same inserts without checks.
        let one_app = run(target, &shows[3 * SHOWS..3 * SHOWS + 1], "app", 1)?.1;
        let one_raw = run(target, &shows[3 * SHOWS + 1..3 * SHOWS + 2], "raw", 1)?.1;
        println!(
            "| {name} | {app:.0} sales/s | {raw:.0} sales/s | {:.2}× | {locked:.0} sales/s | {:.2}× | {:.2} ms | {:.2} ms | {:.2}× |",
            app / raw,
            app / locked,
            one_app.as_secs_f64() * 1e3,
            one_raw.as_secs_f64() * 1e3,
            one_app.as_secs_f64() / one_raw.as_secs_f64()
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}

fn now() -> NaiveDateTime {
    ticketly::domain::time::now()
}

/// A cinema with `SHOWS` halls of 500 seats and `rounds` × `SHOWS` shows from tomorrow on.
fn setup(target: &Path, rounds: usize) -> Result<Vec<SlotId>> {
    let mut store = Store::open(target)?;
    store.add_cinema("Bench", "Leeds")?;
    let layout = HallLayout::generate(20, 25, &[])?;
    let start = now().date().and_hms_opt(10, 0, 0).context("time")? + chrono::Duration::days(1);
    let mut shows = Vec::new();
    for hall in 0..SHOWS {
        store.add_hall(None, &format!("H{hall}"), &layout)?;
    }
    for round in 0..rounds {
        for hall in 0..SHOWS {
            let begins = start + chrono::Duration::hours(3 * round as i64);
            shows.push(store.add_slot(
                NewSlot {
                    name: format!("Show {round}-{hall}"),
                    description: String::new(),
                    kind: "Movie".into(),
                    genre: String::new(),
                    hall: format!("H{hall}"),
                    start: begins,
                    end: begins + chrono::Duration::hours(2),
                    prices: vec![PriceArg::All(950)],
                    card: None,
                },
                now(),
            )?);
        }
    }
    Ok(shows)
}

/// Starts the processes (two a show when there are several), lets them all connect, then
/// times them to the end: sales a second, and the median of one process's sales.
fn run(target: &Path, shows: &[SlotId], mode: &str, processes: usize) -> Result<(f64, Duration)> {
    let me = std::env::current_exe()?;
    let mut children = Vec::new();
    for i in 0..processes {
        let (show, part) = (shows[i % shows.len()], i / shows.len());
        children.push(
            Command::new(&me)
                .args(["--worker", mode, &target.to_string_lossy(), &show.to_string(), &part.to_string()])
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .spawn()?,
        );
    }
    std::thread::sleep(Duration::from_millis(500));
    let start = Instant::now();
    for child in &mut children {
        child.stdin.take().context("worker stdin")?.write_all(b"go\n")?;
    }
    let mut sales = 0u64;
    let mut median = Duration::ZERO;
    for child in children {
        let out = child.wait_with_output()?;
        if !out.status.success() {
            bail!("a {mode} worker failed");
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let mut words = text.split_whitespace();
        sales += words.next().context("sales")?.parse::<u64>()?;
        median = Duration::from_micros(words.next().context("median")?.parse()?);
    }
    Ok((sales as f64 / start.elapsed().as_secs_f64(), median))
}

/// Times each of `sales` calls of `one`, until it says there is no more; gives how many and
/// their median.
fn timed(mut one: impl FnMut(usize) -> Result<bool>) -> Result<(u64, Duration)> {
    let mut took = Vec::new();
    loop {
        let began = Instant::now();
        if !one(took.len())? {
            break;
        }
        took.push(began.elapsed());
    }
    took.sort();
    Ok((took.len() as u64, took.get(took.len() / 2).copied().unwrap_or_default()))
}

fn wait_for_go() -> Result<()> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(())
}

/// `app`: sells 2 seats at a time through the store until the show is full. `raw`: inserts
/// the same rows for its half of the show's seats, one transaction a pair, with no checks;
/// `locked`: the same, each transaction taking the show's lock first (PostgreSQL).
fn worker(args: &[String]) -> Result<()> {
    let [mode, target, show, part] = args else { bail!("--worker MODE TARGET SHOW PART") };
    let show: SlotId = show.parse()?;
    let part: usize = part.parse()?;
    let (sales, median) = match mode.as_str() {
        "app" => {
            let mut store = Store::open(Path::new(target))?;
            wait_for_go()?;
            let request = SaleRequest {
                slot: show,
                seats: SeatRequest::Count(2),
                customer: Customer::default(),
                payment: PaymentMethod::Cash,
                operator: "bench".into(),
                types: Vec::new(),
                price_override: None,
            };
            timed(|n| match store.sell(&request, now(), &Policy::default()) {
                Ok(_) => Ok(true),
                Err(Error::Domain(Refusal::Conflict(_))) => Ok(false),
                Err(e) => bail!("sale {n} failed: {e}"),
            })?
        }
        _ if target.starts_with("postgres") => raw_postgres(target, show, part, mode == "locked")?,
        _ => raw_sqlite(target, show, part)?,
    };
    println!("{sales} {}", median.as_micros());
    Ok(())
}

const BOOKING: &str = "INSERT INTO booking (code, slot_id, method, total, operator, created_at)
     VALUES ($1, $2, 'cash', 1900, 'bench', '2026-01-01 00:00:00') RETURNING id";
const TICKET: &str = "INSERT INTO ticket (code, booking_id, slot_id, seat_id, price, status, created_at, changed_at)
     VALUES ($1, $2, $3, $4, 950, 'booked', '2026-01-01 00:00:00', '2026-01-01 00:00:00')";
const PAYMENT: &str = "INSERT INTO payment (booking_id, kind, method, amount, tickets, operator, created_at)
     VALUES ($1, 'sale', 'cash', 1900, 2, 'bench', '2026-01-01 00:00:00')";
const SEATS: &str = "SELECT s.id FROM seat s JOIN slot sl ON sl.hall_id = s.hall_id WHERE sl.id = $1 ORDER BY s.id";

/// This worker's pairs of seats: every other pair of the show's seats.
fn my_pairs(seats: &[i64], part: usize) -> Vec<(i64, i64)> {
    seats.chunks_exact(2).skip(part).step_by(2).map(|p| (p[0], p[1])).collect()
}

fn code(prefix: &str, show: SlotId, part: usize, n: usize) -> String {
    format!("{prefix}-R{show}P{part}N{n}")
}

fn raw_sqlite(target: &str, show: SlotId, part: usize) -> Result<(u64, Duration)> {
    let mut conn = rusqlite::Connection::open(target)?;
    conn.busy_timeout(Duration::from_secs(30))?;
    conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")?;
    let seats: Vec<i64> =
        conn.prepare(&SEATS.replace('$', "?"))?.query_map([show], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    let pairs = my_pairs(&seats, part);
    wait_for_go()?;
    timed(|n| {
        let Some((a, b)) = pairs.get(n) else { return Ok(false) };
        let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let booking: i64 = tx
            .prepare_cached(&BOOKING.replace('$', "?"))?
            .query_row(rusqlite::params![code("B", show, part, n), show], |r| r.get(0))?;
        for (k, seat) in [a, b].into_iter().enumerate() {
            let ticket = code("T", show, part, 2 * n + k);
            tx.prepare_cached(&TICKET.replace('$', "?"))?.execute(rusqlite::params![ticket, booking, show, seat])?;
        }
        tx.prepare_cached(&PAYMENT.replace('$', "?"))?.execute([booking])?;
        tx.commit()?;
        Ok(true)
    })
}

/// `lock`: take the show's row lock first, as a ticketly sale does.
fn raw_postgres(target: &str, show: SlotId, part: usize, lock: bool) -> Result<(u64, Duration)> {
    let mut client = postgres::Client::connect(target, postgres::NoTls)?;
    let seats: Vec<i64> = client.query(SEATS, &[&show])?.iter().map(|r| r.get(0)).collect();
    let pairs = my_pairs(&seats, part);
    let (booking, ticket, payment) = (client.prepare(BOOKING)?, client.prepare(TICKET)?, client.prepare(PAYMENT)?);
    wait_for_go()?;
    timed(|n| {
        let Some((a, b)) = pairs.get(n) else { return Ok(false) };
        let mut tx = client.transaction()?;
        if lock {
            tx.execute("SELECT 1 FROM slot WHERE id = $1 FOR UPDATE", &[&show])?;
        }
        let id: i64 = tx.query_one(&booking, &[&code("B", show, part, n), &show])?.get(0);
        for (k, seat) in [a, b].into_iter().enumerate() {
            tx.execute(&ticket, &[&code("T", show, part, 2 * n + k), &id, &show, seat])?;
        }
        tx.execute(&payment, &[&id])?;
        tx.commit()?;
        Ok(true)
    })
}
