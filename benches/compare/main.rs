//! The whole-process comparison behind `benches/compare.sh`: every figure of issue 5 measured in
//! one run, on one database, with the same pragmas, beside its limit (raw SQLite doing the same
//! work) and the ratio. Timings are medians of repeated runs. `cargo bench` alone runs nothing
//! here (it needs the database the script prepares); the script runs
//! `cargo bench --bench compare -- --db PATH --work DIR`.

#[path = "../support/mod.rs"]
mod support;
mod table;

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context as _, Result, bail};
use ticketly::domain::error::Error as Refusal;
use ticketly::domain::time::store_time;
use ticketly::store::{Error, SlotFilter, Store};

use table::{Limit, Row, Table, alternate, median, run, sqlite3, ticketly, timed};

const TICKETLY: &str = env!("CARGO_BIN_EXE_ticketly");
/// `expire --at` this moment: a day after the year of shows ended, so nearly every booked ticket
/// is due (the last show ends 2027-05-24 23:00; expiry waits 8 hours after a show).
const EXPIRE_AT: &str = "2027-05-26 00:00";

type Step = fn(&Options, &mut Table) -> Result<()>;

struct Options {
    db: PathBuf,
    work: PathBuf,
    /// Repeats of the quick measurements; the slow ones (expire, contention) scale down from it.
    runs: usize,
}

fn main() -> Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.first().map(String::as_str) == Some("--worker") {
        return worker(&args[1..]);
    }
    let value = |flag: &str| args.iter().position(|a| a == flag).and_then(|i| args.get(i + 1)).cloned();
    let Some(db) = value("--db") else {
        println!("compare: nothing to do without --db; run `bash benches/compare.sh` for the comparison table");
        return Ok(());
    };
    let work = value("--work").map(PathBuf::from).unwrap_or_else(|| std::env::temp_dir().join("ticketly-compare"));
    let runs = value("--runs").map(|r| r.parse()).transpose().context("--runs N")?.unwrap_or(30);
    std::fs::create_dir_all(&work)?;
    let options = Options { db: PathBuf::from(db), work, runs };
    // Bring the file to this program's schema first, so no measured process migrates it.
    drop(Store::open(&options.db)?);
    support::checkpoint(&options.db);
    let mut table = Table::default();
    // --only 1,2,…: a subset, while working on one figure.
    let only = value("--only").map(|o| o.split(',').map(str::to_string).collect::<Vec<_>>());
    let wanted = |id: &str| only.as_ref().is_none_or(|o| o.iter().any(|w| w == id));
    let steps: [(&str, Step); 6] =
        [("1", sell), ("2", contended), ("3", reads), ("6", first_frame), ("7", expire), ("8", ticket_lookup)];
    for (id, step) in steps {
        if wanted(id) {
            step(&options, &mut table)?;
        }
    }
    table.print(&options);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 1. Selling one booking.

fn sell(options: &Options, table: &mut Table) -> Result<()> {
    let copy = options.work.join("sell.db");
    support::copy_database(&options.db, &copy);
    let mut raw = support::raw_connection(&copy);
    let slots = support::big_hall_slots(&raw, 2);
    let (sell_slot, raw_slot) = (slots[0], slots[1]);
    let free = support::free_seats(&raw, raw_slot);
    let mut store = Store::open(&copy)?;
    let runs = options.runs.max(10) * 4;
    let (mut sells, mut raws) = (Vec::new(), Vec::new());
    for (i, pair) in free.chunks_exact(2).take(runs + 5).enumerate() {
        let (t_sell, sold) = timed(|| support::sell(&mut store, sell_slot, 2));
        assert_eq!(sold?, 2);
        let (t_raw, done) = timed(|| support::raw_sale(&mut raw, raw_slot, pair));
        done?;
        // The first few warm the page cache and the statement caches.
        if i >= 5 {
            sells.push(t_sell);
            raws.push(t_raw);
        }
    }
    let n = sells.len();
    table.rows.push(Row {
        id: "1",
        what: format!("sell one booking: 2 seats by count, best available, 1,000-seat hall (median of {n})"),
        figure: median(sells),
        unit: "ms",
        raw: Some((median(raws), "BEGIN IMMEDIATE + the same 4 INSERTs (rusqlite)".into())),
        ratio_limit: Some(Limit::AtMostTimes(1.3)),
        ceiling: None,
    });
    drop(store);
    drop(raw);
    remove_database(&copy);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 2. Four processes selling into one slot.

/// A selling process: opens the store, waits for "go" on stdin, sells 2 seats at a time into
/// the slot until it is full, and prints how many sales it made.
fn worker(args: &[String]) -> Result<()> {
    let [db, slot] = args else { bail!("--worker DB SLOT") };
    let slot: i64 = slot.parse()?;
    let mut store = Store::open(Path::new(db))?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    let mut sales = 0u64;
    loop {
        match support::sell(&mut store, slot, 2) {
            Ok(_) => sales += 1,
            // Sold out, or fewer than two seats left.
            Err(Error::Domain(Refusal::Conflict(_))) => break,
            Err(e) => bail!("sale {sales} failed: {e}"),
        }
    }
    println!("{sales}");
    Ok(())
}

fn contended(options: &Options, table: &mut Table) -> Result<()> {
    let copy = options.work.join("contended.db");
    support::copy_database(&options.db, &copy);
    let raw = support::raw_connection(&copy);
    let slots = support::big_hall_slots(&raw, 12);
    drop(raw);
    let rounds = (options.runs / 10).clamp(1, 5);
    let (mut contended_rates, mut raw_rates) = (Vec::new(), Vec::new());
    let mut sales_made = 0;
    for round in 0..rounds {
        // Four counters into one slot until it is full.
        let slot = slots[2 * round];
        let me = std::env::current_exe()?;
        let mut children = Vec::new();
        for _ in 0..4 {
            children.push(
                Command::new(&me)
                    .arg("--worker")
                    .arg(&copy)
                    .arg(slot.to_string())
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .spawn()?,
            );
        }
        // Let all four open the database before the clock starts.
        std::thread::sleep(Duration::from_millis(300));
        let start = Instant::now();
        for child in &mut children {
            child.stdin.take().context("worker stdin")?.write_all(b"go\n")?;
        }
        let mut sales = 0u64;
        for child in children {
            let out = child.wait_with_output()?;
            if !out.status.success() {
                bail!("a selling process failed");
            }
            sales += String::from_utf8_lossy(&out.stdout).trim().parse::<u64>()?;
        }
        let elapsed = start.elapsed().as_secs_f64();
        contended_rates.push(sales as f64 / elapsed);
        sales_made = sales;
        // One process committing the same rows raw, back to back, into a like slot.
        let mut raw = support::raw_connection(&copy);
        let free = support::free_seats(&raw, slots[2 * round + 1]);
        let pairs: Vec<&[(i64, i64)]> = free.chunks_exact(2).take(sales as usize).collect();
        let start = Instant::now();
        for pair in &pairs {
            support::raw_sale(&mut raw, slots[2 * round + 1], pair)?;
        }
        raw_rates.push(pairs.len() as f64 / start.elapsed().as_secs_f64());
    }
    table.rows.push(Row {
        id: "2",
        what: format!(
            "4 processes selling 2 seats at a time into one slot until full ({sales_made} sales; median of {rounds})"
        ),
        figure: median(contended_rates),
        unit: "sales/s",
        raw: Some((median(raw_rates), "one process, raw INSERT transactions back to back".into())),
        ratio_limit: Some(Limit::AtLeastTimes(0.7)),
        ceiling: None,
    });
    remove_database(&copy);
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 3, 4, 5. Seat map, schedule, frames: in process, on the shared file.

fn reads(options: &Options, table: &mut Table) -> Result<()> {
    let mut store = Store::open(&options.db)?;
    let raw = support::raw_connection(&options.db);
    let slot = support::big_hall_slots(&raw, 1)[0];
    let hall = support::hall_of(&raw, slot);
    let now = support::now();
    let runs = options.runs.max(10) * 10;
    let (mut maps, mut raws) = (Vec::new(), Vec::new());
    for i in 0..runs + 10 {
        let (t_map, map) = timed(|| store.seat_map(slot, now));
        let (t_raw, rows) = timed(|| support::raw_seat_rows(&raw, slot, hall));
        assert_eq!(map?.seats.len(), rows.len());
        if i >= 10 {
            maps.push(t_map);
            raws.push(t_raw);
        }
    }
    let seats = support::raw_seat_rows(&raw, slot, hall).len();
    table.rows.push(Row {
        id: "3",
        what: format!("seat map of one slot ({seats} seats), Store::seat_map, as the counter screen reads it"),
        figure: median(maps),
        unit: "ms",
        raw: Some((median(raws.clone()), "one indexed SELECT of the same rows".into())),
        ratio_limit: Some(Limit::AtMostTimes(2.0)),
        ceiling: Some(1.0),
    });

    // Cold: the first seat map of a hall in a process (what `ticketly slot show` pays), which
    // also reads the hall's seats; later ones read only the slot's live tickets.
    let mut colds = Vec::new();
    for i in 0..options.runs + 2 {
        let mut fresh = Store::open(&options.db)?;
        let (t, map) = timed(|| fresh.seat_map(slot, now));
        map?;
        if i >= 2 {
            colds.push(t);
        }
    }
    table.rows.push(Row {
        id: "3b",
        what: "the same seat map, cold: first of its hall in the process (reads the hall's seats too)".into(),
        figure: median(colds),
        unit: "ms",
        raw: Some((median(raws.clone()), "the same raw SELECT".into())),
        ratio_limit: Some(Limit::AtMostTimes(2.0)),
        ceiling: Some(1.0),
    });

    let filter = SlotFilter { date: Some(now.date()), ..SlotFilter::default() };
    let mut days = Vec::new();
    let mut shows = 0;
    for i in 0..runs + 10 {
        let (t, slots) = timed(|| store.slots(&filter, now));
        shows = slots?.len();
        if i >= 10 {
            days.push(t);
        }
    }
    table.rows.push(Row {
        id: "4",
        what: format!("schedule of a day with availability ({shows} shows), Store::slots"),
        figure: median(days),
        unit: "ms",
        raw: None,
        ratio_limit: None,
        ceiling: Some(5.0),
    });
    drop(store);

    let mut app = support::app(Store::open(&options.db)?);
    let mut schedule = Vec::new();
    for i in 0..runs + 10 {
        let (t, _) = timed(|| support::frame(&app));
        if i >= 10 {
            schedule.push(t);
        }
    }
    support::open_seats(&mut app, slot);
    let mut grid = Vec::new();
    for i in 0..runs + 10 {
        let (t, _) = timed(|| support::frame(&app));
        if i >= 10 {
            grid.push(t);
        }
    }
    let size = format!("{}×{}", support::WIDTH, support::HEIGHT);
    table.rows.push(Row {
        id: "5a",
        what: format!("render the 1,000-seat grid, {size} TestBackend, from scratch"),
        figure: median(grid),
        unit: "ms",
        raw: None,
        ratio_limit: None,
        ceiling: Some(1.0),
    });
    table.rows.push(Row {
        id: "5b",
        what: format!("render the day's schedule ({shows} shows), {size} TestBackend, from scratch"),
        figure: median(schedule),
        unit: "ms",
        raw: None,
        ratio_limit: None,
        ceiling: Some(1.0),
    });
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 6. Start to first frame, whole process.

fn first_frame(options: &Options, table: &mut Table) -> Result<()> {
    let size = [support::WIDTH.to_string(), support::HEIGHT.to_string()];
    let mut times = Vec::new();
    let mut peak_kb = Vec::new();
    for i in 0..options.runs + 2 {
        let (t, out) = run(ticketly(&options.db).args(["first-frame", "--width", &size[0], "--height", &size[1]]))?;
        let value: serde_json::Value = serde_json::from_str(&out).context("first-frame prints JSON")?;
        if i >= 2 {
            times.push(t);
            peak_kb.push(value["peak_rss_kb"].as_f64().unwrap_or(f64::NAN));
        }
    }
    table.rows.push(Row {
        id: "6a",
        what: "start to first frame: `ticketly first-frame` (App::new + one frame, headless), whole process".into(),
        figure: median(times),
        unit: "ms",
        raw: None,
        ratio_limit: None,
        ceiling: Some(50.0),
    });
    table.rows.push(Row {
        id: "6b",
        what: "peak memory of that process (VmHWM)".into(),
        figure: median(peak_kb) / 1024.0,
        unit: "MB",
        raw: None,
        ratio_limit: None,
        ceiling: Some(30.0),
    });
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 7. Expire, whole process, on a fresh copy each run.

fn expire(options: &Options, table: &mut Table) -> Result<()> {
    let at = ticketly::domain::time::parse_time(EXPIRE_AT)?;
    let policy = ticketly::domain::policy::Policy::default();
    let (at_text, cutoff_text) = (store_time(&at), store_time(&policy.expiry_cutoff(at)));
    // What `expire` changes, as plain SQL: holds that ran out, then booked tickets of shows
    // that ended before the cutoff.
    let raw_sql = format!(
        "BEGIN IMMEDIATE;
         UPDATE ticket SET status = 'expired', hold_expires_at = NULL, changed_at = '{at_text}'
          WHERE status = 'held' AND hold_expires_at <= '{at_text}';
         UPDATE ticket SET status = 'expired', changed_at = '{at_text}'
          WHERE status = 'booked' AND slot_id IN (SELECT id FROM slot WHERE ends_at <= '{cutoff_text}');
         COMMIT;"
    );
    let copy = options.work.join("expire.db");
    let rounds = (options.runs / 6).clamp(2, 5);
    let (mut ours, mut theirs, mut again, mut again_raw) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut due = 0;
    for _ in 0..rounds {
        support::copy_database(&options.db, &copy);
        let (t, out) = run(ticketly(&copy).args(["--json", "expire", "--at", EXPIRE_AT]))?;
        let value: serde_json::Value = serde_json::from_str(&out)?;
        due = value["expired"].as_u64().unwrap_or(0) + value["holds_released"].as_u64().unwrap_or(0);
        ours.push(t);
        // Nothing is due any more: the cron job's usual run.
        for _ in 0..5 {
            again.push(run(ticketly(&copy).args(["expire", "--at", EXPIRE_AT]))?.0);
            again_raw.push(run(&mut sqlite3(&copy, &raw_sql))?.0);
        }
        support::copy_database(&options.db, &copy);
        theirs.push(run(&mut sqlite3(&copy, &raw_sql))?.0);
    }
    remove_database(&copy);
    table.rows.push(Row {
        id: "7a",
        what: format!("`ticketly expire` whole process, {due} tickets due (fresh copy each run, median of {rounds})"),
        figure: median(ours),
        unit: "ms",
        raw: Some((median(theirs), "`sqlite3` running the same two UPDATEs".into())),
        ratio_limit: Some(Limit::AtMostTimes(1.5)),
        ceiling: None,
    });
    table.rows.push(Row {
        id: "7b",
        what: "`ticketly expire` again, nothing due".into(),
        figure: median(again),
        unit: "ms",
        raw: Some((median(again_raw), "`sqlite3`, the same UPDATEs (for reference)".into())),
        ratio_limit: None,
        ceiling: Some(20.0),
    });
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 8. One ticket by code, whole process.

fn ticket_lookup(options: &Options, table: &mut Table) -> Result<()> {
    let raw = support::raw_connection(&options.db);
    let code: String = raw.query_row("SELECT code FROM ticket WHERE id = 500000", [], |r| r.get(0))?;
    drop(raw);
    let select = format!(
        "SELECT t.code, b.code, t.status, s.row_label || s.number, s.category, t.price, sl.name, h.name,
                sl.starts_at, sl.ends_at, c.name, c.phone, b.method, b.operator, t.created_at, t.changed_at
           FROM ticket t JOIN booking b ON b.id = t.booking_id JOIN seat s ON s.id = t.seat_id
           JOIN slot sl ON sl.id = t.slot_id JOIN hall h ON h.id = sl.hall_id
           LEFT JOIN customer c ON c.id = b.customer_id
          WHERE t.code = '{code}';"
    );
    let runs = options.runs.max(10) * 2;
    let lookup = || {
        let mut cmd = ticketly(&options.db);
        cmd.args(["ticket", &code]);
        cmd
    };
    let (ours, theirs) = alternate(runs, lookup, || sqlite3(&options.db, &select))?;
    table.rows.push(Row {
        id: "8",
        what: format!("`ticketly ticket {code}` whole process (median of {runs})"),
        figure: ours,
        unit: "ms",
        raw: Some((theirs, "`sqlite3 DB \"SELECT …\"` of the same row, joined".into())),
        ratio_limit: Some(Limit::AtMostTimes(1.5)),
        ceiling: None,
    });
    Ok(())
}

fn remove_database(path: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
}
