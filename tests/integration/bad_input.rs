//! Malformed input, table-driven, across every command: each row names its arguments, the exit
//! code of the contract and a part of the one-line message. Every row must also print nothing on
//! stdout, exactly one `ticketly: ` line on stderr without a panic, and leave the database file
//! (and its write-ahead log) byte-for-byte as it was.

use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::process::Output;

use assert_cmd::Command;

use super::support::{Fixture, NOW};

/// A name, a title and a code that look like SQL: they must be data, never statements.
const SQL: &str = "'; DROP TABLE ticket;--";
/// What a huge number typed as a count looks like (it fits no integer type).
const HUGE: &str = "99999999999999999999";

/// Which database a row runs against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Db {
    /// The fixture's database, with halls, slots, a booking and a waiting-list entry.
    Main,
    /// `--db` names a directory.
    Directory,
    /// A file of text that is not SQLite.
    Garbage,
    /// A copy of the fixture that the process cannot write.
    ReadOnly,
    /// A copy of the fixture on which the test holds `BEGIN IMMEDIATE`.
    Locked,
}

struct Row {
    args: Vec<String>,
    code: i32,
    needle: &'static str,
    db: Db,
    now: &'static str,
    env: Option<(&'static str, String)>,
}

fn row(code: i32, needle: &'static str, args: &[&str]) -> Row {
    Row { args: args.iter().map(|a| a.to_string()).collect(), code, needle, db: Db::Main, now: NOW, env: None }
}

impl Row {
    fn on(mut self, db: Db) -> Row {
        self.db = db;
        self
    }

    fn at(mut self, now: &'static str) -> Row {
        self.now = now;
        self
    }

    fn env(mut self, key: &'static str, value: &str) -> Row {
        self.env = Some((key, value.to_string()));
        self
    }
}

/// The real binary on `db` at `now`, set up like the fixture's commands.
fn ticketly(db: &Path, now: &str) -> Command {
    let mut cmd = Command::cargo_bin("ticketly").expect("the ticketly binary");
    cmd.env_remove("TICKETLY_DB")
        .env("TICKETLY_CONFIG", "none")
        .env("TICKETLY_LOG", "off")
        .env_remove("TICKETLY_BUSY_TIMEOUT_MS")
        .env("TICKETLY_NOW", now)
        .env("TICKETLY_QUIET_CLOCK", "1")
        .env("TICKETLY_TIMEZONE", "UTC")
        .env("TICKETLY_OPERATOR", "till1")
        .env("RUST_BACKTRACE", "1")
        .arg("--db")
        .arg(db)
        .arg("--json");
    cmd
}

/// Everything on disk that holds the database's content: the file (or, for a directory, each
/// entry's name and bytes), and the `-wal` and `-journal` files when present. The `-shm` index is
/// left out: readers legitimately touch it.
fn disk_state(db: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    let mut state = Vec::new();
    if db.is_dir() {
        let mut entries: Vec<PathBuf> =
            std::fs::read_dir(db).expect("list dir").map(|e| e.expect("dir entry").path()).collect();
        entries.sort();
        for entry in entries {
            state.push((entry.display().to_string(), std::fs::read(&entry).ok()));
        }
    } else {
        state.push((db.display().to_string(), std::fs::read(db).ok()));
    }
    for suffix in ["-wal", "-journal"] {
        let mut name = db.as_os_str().to_owned();
        name.push(suffix);
        let path = PathBuf::from(name);
        state.push((path.display().to_string(), std::fs::read(&path).ok()));
    }
    state
}

/// What a PostgreSQL database holds: every row of every table of its schema, as text.
fn rows_state(url: &Path) -> Vec<(String, Option<Vec<u8>>)> {
    let mut client = postgres::Client::connect(&url.to_string_lossy(), postgres::NoTls).expect("connect");
    let tables: Vec<String> = client
        .query(
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1",
            &[],
        )
        .expect("tables")
        .iter()
        .map(|r| r.get(0))
        .collect();
    tables
        .into_iter()
        .map(|table| {
            let rows: Vec<String> = client
                .query(&format!("SELECT CAST(t AS TEXT) FROM {table} t ORDER BY 1"), &[])
                .expect("rows")
                .iter()
                .map(|r| r.get(0))
                .collect();
            (table, Some(rows.join("\n").into_bytes()))
        })
        .collect()
}

/// What a database holds: a SQLite file's bytes, or a PostgreSQL schema's rows.
fn db_state(db: &Path, file: bool) -> Vec<(String, Option<Vec<u8>>)> {
    if file { disk_state(db) } else { rows_state(db) }
}

/// The longest error line: a message quotes at most about 80 characters of what was typed, so
/// even a 120 KB argument makes a short line.
const LONGEST_LINE: usize = 300;

/// Characters that change how the rest of a line is shown (bidi controls), or are invisible
/// (zero-width), or break it (line and paragraph separators): a message escapes them.
fn is_spoofing(c: char) -> bool {
    matches!(
        c,
        '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2060}' | '\u{2066}'..='\u{2069}' | '\u{feff}'
            | '\u{2028}' | '\u{2029}'
    )
}

/// What is wrong with a refusal: the contract wants exit `code`, nothing on stdout, and exactly
/// one short line on stderr, starting `ticketly: `, saying `needle`, without a panic or backtrace.
fn refusal_problems(out: &Output, code: i32, needle: &str) -> Vec<String> {
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let mut wrong = Vec::new();
    if out.status.code() != Some(code) {
        wrong.push(format!("exit {:?}, not {code}", out.status.code()));
    }
    if !stdout.is_empty() {
        wrong.push(format!("stdout {stdout:?}"));
    }
    if stderr.lines().count() != 1 || !stderr.ends_with('\n') {
        wrong.push("stderr is not one line".to_string());
    }
    if !stderr.starts_with("ticketly: ") {
        wrong.push("stderr does not start with 'ticketly: '".to_string());
    }
    if stderr.trim_end_matches('\n').chars().any(char::is_control) {
        wrong.push("a raw control character in the message".to_string());
    }
    if stderr.chars().any(is_spoofing) {
        wrong.push("a raw bidi, zero-width or separator character in the message".to_string());
    }
    if stderr.chars().count() > LONGEST_LINE {
        wrong.push(format!("a line of {} characters", stderr.chars().count()));
    }
    if ["panicked", "RUST_BACKTRACE", "stack backtrace"].iter().any(|p| stderr.contains(p)) {
        wrong.push("a panic".to_string());
    }
    if !stderr.contains(needle) {
        wrong.push(format!("does not say {needle:?}"));
    }
    if !wrong.is_empty() {
        let shown: String = stderr.chars().take(2 * LONGEST_LINE).collect();
        wrong.push(format!("stderr {shown:?}"));
    }
    wrong
}

fn can_write(path: &Path) -> bool {
    OpenOptions::new().write(true).open(path).is_ok()
}

/// Undoes `chattr +i` when the test ends (even by a panic), so the temporary directory can go.
struct Immutable(PathBuf);

impl Drop for Immutable {
    fn drop(&mut self) {
        let _ = std::process::Command::new("chattr").arg("-i").arg(&self.0).status();
    }
}

/// Makes `path` unwritable for the `ticketly` child: `chmod 0444`, and where that does not stop
/// this user (root), `chattr +i`. `None` when neither works here.
fn make_read_only(path: &Path) -> Option<Option<Immutable>> {
    let mut perms = std::fs::metadata(path).expect("metadata").permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(path, perms).expect("chmod 0444");
    if !can_write(path) {
        return Some(None);
    }
    let chattr = std::process::Command::new("chattr").arg("+i").arg(path).output();
    if !chattr.is_ok_and(|out| out.status.success()) {
        return None;
    }
    let guard = Immutable(path.to_path_buf());
    if can_write(path) { None } else { Some(Some(guard)) }
}

/// Runs `slot list` once so the write-ahead log is in its resting state before "before" bytes.
fn settle(db: &Path) {
    let out = ticketly(db, NOW).args(["slot", "list"]).output().expect("run ticketly");
    assert!(out.status.success(), "settling read on {} failed: {}", db.display(), String::from_utf8_lossy(&out.stderr));
}

/// A file (a layout, a schedule to import) in `dir` holding `bytes`; returns its path.
fn layout(dir: &Path, name: &str, bytes: &[u8]) -> String {
    let path = dir.join(name);
    std::fs::write(&path, bytes).expect("write file");
    path.to_str().expect("utf-8 path").to_string()
}

#[test]
fn malformed_input_fails_cleanly_and_changes_nothing() {
    // The theatre: hall Small (A Regular, B Premium, 10 seats each), hall Big (5 rows × 12),
    // Avatar tonight in Small with A1 and B5 sold and A2 canceled, Dune tonight in Big, Full
    // tomorrow in Small (sold out, one party waiting).
    let (f, avatar) = Fixture::with_slot();
    f.ok(&["hall", "add", "--name", "Big", "--rows", "5", "--seats", "12"]);
    let dune = f.add_slot("Dune", "2026-11-23 20:00", "2026-11-23 22:30", "Big");
    let full = f.add_slot("Full", "2026-11-24 20:00", "2026-11-24 22:00", "Small");
    f.book(full, &["--count", "10"]);
    f.book(full, &["--count", "10"]);
    let sale = f.book(avatar, &["--seats", "A1,A2", "--name", "Ann"]);
    f.book(avatar, &["--seats", "B5"]);
    let codes = Fixture::codes(&sale);
    let (ticket, canceled) = (codes[0].clone(), codes[1].clone());
    f.ok(&["cancel", &canceled]);
    let wait = f.ok(&["waitlist", "add", "--slot", &full.to_string(), "--name", "Carl", "--seats", "2"]);
    let wait = wait["id"].as_i64().expect("waiting-list id").to_string();

    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    let unknown_code = layout(d, "unknown.layout", b"A: RRRR\nB: RRXR\n");
    let duplicate_row = layout(d, "duplicate.layout", b"A: RRRR\nB: RRRR\nA: PPPP\n");
    let empty = layout(d, "empty.layout", b"");
    let comments_only = layout(d, "comments.layout", b"# nothing but a comment\n\n-\n");
    let long_label = layout(d, "label.layout", b"ABC: RRRR\n");
    let no_colon = layout(d, "colon.layout", b"A RRRR\n");
    let gaps_only = layout(d, "gaps.layout", b"A: RRRR\nB: ....\n");
    let binary = layout(d, "binary.layout", &[0x7f, b'E', b'L', b'F', 0xff, 0xfe, 0x00, 0x01, 0x80, 0x81, b'\n']);
    let missing = d.join("no-such.layout").to_str().expect("utf-8 path").to_string();
    let too_wide = layout(d, "wide.layout", format!("A: {}\n", "R".repeat(121)).as_bytes());
    // 120 KB of one argument: close to the most Linux passes in one (128 KB).
    let huge = "9".repeat(120 * 1024);
    let h = huge.as_str();
    let huge_line = layout(d, "huge.layout", format!("A: RRRR\nB {h}\n").as_bytes());
    let huge_code = layout(d, "huge-code.layout", format!("A: RRRR\nB: RR{h}\n").as_bytes());
    // Schedules to import, each with one bad row.
    const HEADER: &str = "name,start,end,hall,genre,type,description,price\n";
    let import = |name: &str, row: &str| layout(d, name, format!("{HEADER}{row}\n").as_bytes());
    let escape_in_time = import("escape.csv", "X,2026-11-25 20:00\u{1b}]0;pwned\u{7},2026-11-25 22:00,Small,,,,9");
    let huge_time = import("huge-time.csv", &format!("X,{h},2026-11-25 22:00,Small,,,,9"));
    let bidi_title = import("bidi.csv", "Avatar\u{202e}4pm.exe,2026-11-25 20:00,2026-11-25 22:00,Small,,,,9");
    let zero_width_title = import("zw.csv", "Ava\u{200b}tar,2026-11-25 20:00,2026-11-25 22:00,Small,,,,9");
    let year_10000 = import("y10k.csv", "X,+10000-01-01 20:00,+10000-01-01 22:00,Small,,,,9");
    let escape_key = layout(
        d,
        "escape.json",
        "[{\"name\": \"X\", \"start\": \"2026-11-25 20:00\", \"end\": \"2026-11-25 22:00\", \
         \"hall\": \"Small\", \"price\": 9, \"\\u001b]0;pwned\\u0007\": 1}]"
            .as_bytes(),
    );
    let escape_document = layout(d, "document.json", "\"\\u001b[2J\\u001b]0;pwned\\u0007\"".as_bytes());
    let huge_document = layout(d, "huge.json", format!("\"{h}\"").as_bytes());

    // The special databases.
    let directory = d.join("a-directory.db");
    std::fs::create_dir(&directory).expect("mkdir");
    let garbage = d.join("garbage.db");
    std::fs::write(&garbage, "this is a text file, not a database\n".repeat(200)).expect("write garbage");
    settle(&f.db);
    let read_only = d.join("read-only.db");
    let locked = d.join("locked.db");
    // The special databases are SQLite files; on PostgreSQL only the main rows run.
    let read_only_guard = if f.is_file() {
        std::fs::copy(&f.db, &read_only).expect("copy db");
        std::fs::copy(&f.db, &locked).expect("copy db");
        make_read_only(&read_only)
    } else {
        None
    };
    if read_only_guard.is_none() && f.is_file() {
        println!(
            "note: this user can write a chmod 0444 file and chattr +i is unavailable here, \
             so the read-only database rows are skipped"
        );
    } else {
        settle(&read_only);
    }

    let (a, dn, fl) = (avatar.to_string(), dune.to_string(), full.to_string());
    let long = "x".repeat(1000);
    let (l, t, c, w) = (long.as_str(), ticket.as_str(), canceled.as_str(), wait.as_str());
    let escape = "a\u{1b}[31m";
    let newline = "x\ny";
    let slot_add = |name: &str, start: &str, end: &str, hall: &str, price: &str| -> Vec<String> {
        ["slot", "add", "--name", name, "--start", start, "--end", end, "--hall", hall, "--price", price]
            .iter()
            .map(|s| s.to_string())
            .collect()
    };
    let add_row = |code: i32, needle: &'static str, args: Vec<String>| Row {
        args,
        code,
        needle,
        db: Db::Main,
        now: NOW,
        env: None,
    };
    const S: &str = "2026-11-25 20:00";
    const E: &str = "2026-11-25 22:00";

    let rows: Vec<Row> = vec![
        // init
        row(2, "unexpected argument '--bogus'", &["init", "--bogus"]),
        row(2, "unexpected argument 'now'", &["init", "now"]),
        row(5, "is a directory", &["init"]).on(Db::Directory),
        row(1, "not a database", &["init", "--demo"]).on(Db::Garbage),
        row(5, "TICKETLY_NOW", &["init"]).at("2026-02-30 12:00"),
        row(5, "TICKETLY_BUSY_TIMEOUT_MS", &["init"]).env("TICKETLY_BUSY_TIMEOUT_MS", "soon"),
        row(5, "TICKETLY_BUSY_TIMEOUT_MS", &["slot", "list"]).env("TICKETLY_BUSY_TIMEOUT_MS", "99999999999999"),
        row(5, "TICKETLY_BUSY_TIMEOUT_MS", &["slot", "list"]).env("TICKETLY_BUSY_TIMEOUT_MS", HUGE),
        row(5, "TICKETLY_BUSY_TIMEOUT_MS", &["slot", "list"]).env("TICKETLY_BUSY_TIMEOUT_MS", h),
        row(5, "invalid time '+10000-01-01 00:00'", &["slot", "list"]).env("TICKETLY_NOW", "+10000-01-01 00:00"),
        row(5, "invalid time '999999", &["slot", "list"]).env("TICKETLY_NOW", h),
        row(5, "operator contains an invisible", &["slot", "list", "--operator", "till\u{202e}1"]),
        row(5, "operator contains an invisible", &["slot", "list"]).env("TICKETLY_OPERATOR", "till\u{200d}1"),
        // cinema add
        row(5, "longer than", &["cinema", "add", "--name", l, "--city", "Berlin"]),
        row(5, "control character", &["cinema", "add", "--name", escape, "--city", "Berlin"]),
        row(5, "control character", &["cinema", "add", "--name", "Odeon", "--city", newline]),
        row(5, "must not be empty", &["cinema", "add", "--name", "  ", "--city", "Berlin"]),
        row(4, "Rex", &["cinema", "add", "--name", "Rex", "--city", "Bonn"]),
        row(2, "--city", &["cinema", "add", "--name", SQL]),
        row(5, "cinema name contains an invisible", &["cinema", "add", "--name", "Rex\u{202e}", "--city", "Bonn"]),
        row(5, "city contains an invisible", &["cinema", "add", "--name", "Lux", "--city", "Bo\u{2066}nn"]),
        row(5, "cinema name contains an invisible", &["cinema", "add", "--name", "\u{feff}Lux", "--city", "Bonn"]),
        // hall add: malformed layouts
        row(5, "unknown seat code 'X'", &["hall", "add", "--name", "Bad", "--layout", &unknown_code]),
        row(5, "twice", &["hall", "add", "--name", "Bad", "--layout", &duplicate_row]),
        row(5, "no rows of seats", &["hall", "add", "--name", "Bad", "--layout", &empty]),
        row(5, "no rows of seats", &["hall", "add", "--name", "Bad", "--layout", &comments_only]),
        row(5, "1 or 2 letters", &["hall", "add", "--name", "Bad", "--layout", &long_label]),
        row(5, "expected 'ROW: SEATS'", &["hall", "add", "--name", "Bad", "--layout", &no_colon]),
        row(5, "has no seats", &["hall", "add", "--name", "Bad", "--layout", &gaps_only]),
        row(5, "cannot read layout", &["hall", "add", "--name", "Bad", "--layout", &binary]),
        row(5, "cannot read layout", &["hall", "add", "--name", "Bad", "--layout", &missing]),
        row(5, "wider than", &["hall", "add", "--name", "Bad", "--layout", &too_wide]),
        row(5, "expected 'ROW: SEATS'", &["hall", "add", "--name", "Bad", "--layout", &huge_line]),
        row(5, "unknown seat code '9'", &["hall", "add", "--name", "Bad", "--layout", &huge_code]),
        // hall add: names, sizes, cinemas
        row(5, "longer than", &["hall", "add", "--name", l, "--rows", "2", "--seats", "2"]),
        row(5, "control character", &["hall", "add", "--name", newline, "--rows", "2", "--seats", "2"]),
        row(5, "control character", &["hall", "add", "--name", escape, "--rows", "2", "--seats", "2"]),
        row(5, "--rows must be", &["hall", "add", "--name", SQL, "--rows", "0", "--seats", "5"]),
        row(5, "--rows must be", &["hall", "add", "--name", "H", "--rows", "61", "--seats", "5"]),
        row(5, "--seats must be", &["hall", "add", "--name", "H", "--rows", "2", "--seats", "0"]),
        row(2, "invalid value", &["hall", "add", "--name", "H", "--rows", HUGE, "--seats", "2"]),
        row(2, "unexpected argument '-1'", &["hall", "add", "--name", "H", "--rows", "-1", "--seats", "2"]),
        row(5, "--premium-rows", &["hall", "add", "--name", "H", "--rows", "2", "--seats", "2", "--premium-rows", SQL]),
        row(3, "cinema", &["hall", "add", "--name", "H", "--rows", "2", "--seats", "2", "--cinema", SQL]),
        row(3, "no cinema named '999", &["hall", "add", "--name", "H", "--rows", "2", "--seats", "2", "--cinema", h]),
        row(2, "invalid value '999", &["hall", "add", "--name", "H", "--rows", h, "--seats", "2"]),
        row(
            5,
            "--premium-rows names row '999",
            &["hall", "add", "--name", "H", "--rows", "2", "--seats", "2", "--premium-rows", h],
        ),
        row(
            5,
            "hall name contains an invisible",
            &["hall", "add", "--name", "Big\u{200b}", "--rows", "2", "--seats", "2"],
        ),
        row(
            5,
            "hall name contains an invisible",
            &["hall", "add", "--name", "B\u{2029}ig", "--rows", "2", "--seats", "2"],
        ),
        row(4, "small", &["hall", "add", "--name", "small", "--rows", "1", "--seats", "1"]),
        // hall list
        row(2, "unexpected argument '--bogus'", &["hall", "list", "--bogus"]),
        row(2, "unexpected argument 'all'", &["hall", "list", "all"]),
        // slot add: dates and times
        add_row(5, "invalid time '2026-02-30 20:00'", slot_add("X", "2026-02-30 20:00", E, "Small", "9")),
        add_row(5, "invalid time '2026-11-25 25:00'", slot_add("X", S, "2026-11-25 25:00", "Small", "9")),
        add_row(5, "invalid time 'tomorrow'", slot_add("X", "tomorrow", E, "Small", "9")),
        add_row(5, "invalid time ''", slot_add("X", "", E, "Small", "9")),
        add_row(5, "invalid time '20:00'", slot_add("X", "20:00", E, "Small", "9")),
        add_row(5, "invalid time '2026\\u{1b}[2J'", slot_add("X", "2026\u{1b}[2J", E, "Small", "9")),
        add_row(5, "invalid time '999999", slot_add("X", h, E, "Small", "9")),
        // Years have four digits: '+10000' would sort before every other year in the database.
        add_row(
            5,
            "invalid time '+10000-01-01 20:00'",
            slot_add("X", "+10000-01-01 20:00", "+10000-01-01 22:00", "Small", "9"),
        ),
        add_row(
            5,
            "invalid time '10000-01-01 20:00'",
            slot_add("X", "10000-01-01 20:00", "10000-01-01 22:00", "Small", "9"),
        ),
        add_row(5, "invalid time '-2026-11-25 20:00'", {
            let mut args = slot_add("X", S, E, "Small", "9");
            args[5] = "--start=-2026-11-25 20:00".into();
            args.remove(4);
            args
        }),
        add_row(5, "invalid time '226-11-25 20:00'", slot_add("X", "226-11-25 20:00", E, "Small", "9")),
        add_row(
            5,
            "invalid time '9999-12-31 22:00'",
            slot_add("X", "9999-12-31 22:00", "9999-12-31 23:00", "Small", "9"),
        ),
        add_row(5, "before", slot_add("X", S, "2026-11-25 19:00", "Small", "9")),
        add_row(5, "before", slot_add("X", S, S, "Small", "9")),
        add_row(5, "past", slot_add("X", "2026-11-20 20:00", "2026-11-20 22:00", "Small", "9")),
        // slot add: names, halls, prices
        add_row(3, "hall", slot_add("X", S, E, SQL, "9")),
        add_row(4, "Small", slot_add(SQL, "2026-11-23 20:30", "2026-11-23 21:30", "Small", "9")),
        add_row(5, "longer than", slot_add(l, S, E, "Small", "9")),
        add_row(5, "control character", slot_add(escape, S, E, "Small", "9")),
        add_row(5, "control character", slot_add(newline, S, E, "Small", "9")),
        add_row(5, "Gold", slot_add("X", S, E, "Small", "Gold=9")),
        add_row(5, HUGE, slot_add("X", S, E, "Small", HUGE)),
        add_row(5, "-9", slot_add("X", S, E, "Small", "Regular=-9")),
        add_row(5, "nine", slot_add("X", S, E, "Small", "nine")),
        add_row(5, "invalid amount '999", slot_add("X", S, E, "Small", h)),
        add_row(5, "unknown seat category '999", slot_add("X", S, E, "Small", &format!("{h}=9"))),
        // Names that would change how the screen shows them, or hide part of themselves.
        add_row(5, "name contains an invisible", slot_add("Avatar\u{202e}4pm", S, E, "Small", "9")),
        add_row(5, "name contains an invisible", slot_add("Ava\u{200e}tar", S, E, "Small", "9")),
        add_row(5, "name contains an invisible", slot_add("Ava\u{2060}tar", S, E, "Small", "9")),
        add_row(5, "name contains an invisible", slot_add("Ava\u{2028}tar", S, E, "Small", "9")),
        add_row(5, "name contains an invisible", slot_add("Ava\u{2069}tar", S, E, "Small", "9")),
        add_row(5, "name contains an invisible", slot_add("Ava\u{202a}tar", S, E, "Small", "9")),
        // slot import: messages escaped, short and on one line; bidi and zero-width titles refused
        row(5, "invalid time '2026-11-25 20:00\\u{1b}]0;pwned\\u{7}'", &["slot", "import", &escape_in_time]),
        row(5, "line 2: start: invalid time '999999", &["slot", "import", &huge_time]),
        row(5, "line 2: name contains an invisible", &["slot", "import", &bidi_title]),
        row(5, "line 2: name contains an invisible", &["slot", "import", &zero_width_title]),
        row(5, "invalid time '+10000-01-01 20:00'", &["slot", "import", &year_10000]),
        row(5, "unknown field `\\u{1b}]0;pwned\\u{7}`", &["slot", "import", &escape_key]),
        row(5, "not a JSON array of slots", &["slot", "import", &escape_document]),
        row(5, "not a JSON array of slots", &["slot", "import", &huge_document]),
        // slot list
        row(5, "invalid date '2026-02-30'", &["slot", "list", "--date", "2026-02-30"]),
        row(5, "invalid date 'tomorrow'", &["slot", "list", "--date", "tomorrow"]),
        row(5, "invalid date ''", &["slot", "list", "--date", ""]),
        row(2, "unexpected argument '--bogus'", &["slot", "list", "--bogus"]),
        row(5, "invalid date '+10000-01-01'", &["slot", "list", "--date", "+10000-01-01"]),
        row(5, "invalid date '+262142-12-31'", &["slot", "list", "--date=+262142-12-31"]),
        // SQLite refuses LIKE patterns over 50,000 bytes; no title is longer than 100 characters.
        row(5, "search", &["slot", "list", "--search", &"%_".repeat(30_000)]),
        row(5, "search", &["slot", "list", "--search", h]),
        row(1, "not a database", &["slot", "list"]).on(Db::Garbage),
        row(5, "is a directory", &["slot", "list"]).on(Db::Directory),
        // slot show
        row(3, "999", &["slot", "show", "999"]),
        row(3, "no slot", &["slot", "show", "--movie", SQL, "--start", "2026-11-23 20:00"]),
        row(5, "invalid time", &["slot", "show", "--movie", "Avatar", "--start", "2026-11-23 25:00"]),
        row(2, "invalid value 'abc'", &["slot", "show", "abc"]),
        row(2, "invalid value", &["slot", "show", HUGE]),
        row(3, "no slot of '999", &["slot", "show", "--movie", h, "--start", "2026-11-23 20:00"]),
        row(
            3,
            "no slot of 'Ava\\u{202e}tar'",
            &["slot", "show", "--movie", "Ava\u{202e}tar", "--start", "2026-11-23 20:00"],
        ),
        // book: counts
        row(5, "not 0", &["book", "--slot", &a, "--count", "0"]),
        row(5, "not 11", &["book", "--slot", &a, "--count", "11"]),
        row(2, "unexpected argument '-1'", &["book", "--slot", &a, "--count", "-1"]),
        row(2, "number too large", &["book", "--slot", &a, "--count", HUGE]),
        // book: seats
        row(5, "Z99", &["book", "--slot", &a, "--seats", "Z99"]),
        row(5, "E5", &["book", "--slot", &a, "--seats", "E5"]),
        row(5, "A12", &["book", "--slot", &a, "--seats", "A12"]),
        row(5, "A13", &["book", "--slot", &dn, "--seats", "A12,A13"]),
        row(5, "named twice", &["book", "--slot", &a, "--seats", "A5,A5"]),
        row(5, "named twice", &["book", "--slot", &a, "--seats", "A5,a5"]),
        row(5, "invalid seat 'A\\u{b}1'", &["book", "--slot", &a, "--seats", "A\u{b}1"]),
        row(5, "seat", &["book", "--slot", &a, "--seats", ""]),
        row(5, "seat", &["book", "--slot", &a, "--seats", SQL]),
        row(5, "invalid seat '999", &["book", "--slot", &a, "--seats", h]),
        row(4, "A1", &["book", "--slot", &a, "--seats", "A3,A1"]),
        row(4, "", &["book", "--slot", &fl, "--count", "1"]),
        row(4, "sales closed", &["book", "--slot", &a, "--count", "1"]).at("2026-11-23 22:00"),
        // book: names, phones, slots
        row(5, "longer than", &["book", "--slot", &a, "--count", "1", "--name", l]),
        row(5, "control character", &["book", "--slot", &a, "--count", "1", "--name", escape]),
        row(5, "control character", &["book", "--slot", &a, "--count", "1", "--name", newline]),
        row(5, "phone", &["book", "--slot", &a, "--count", "1", "--phone", SQL]),
        row(5, "phone", &["book", "--slot", &a, "--count", "1", "--phone", h]),
        row(5, "name contains an invisible", &["book", "--slot", &a, "--count", "1", "--name", "Ann\u{202e}"]),
        row(5, "name contains an invisible", &["book", "--slot", &a, "--count", "1", "--name", "A\u{200c}nn"]),
        row(3, "no slot", &["book", "--movie", SQL, "--start", "2026-11-23 20:00", "--count", "1"]),
        row(5, "invalid time", &["book", "--movie", "Avatar", "--start", "2026-02-30 20:00", "--count", "1"]),
        row(3, "999", &["book", "--slot", "999", "--count", "1"]),
        row(2, "cheque", &["book", "--slot", &a, "--count", "1", "--pay", "cheque"]),
        // rebook
        row(3, "no ticket", &["rebook", "TKT-ZZZZZZ", "--slot", &a]),
        row(3, "no ticket", &["rebook", SQL, "--slot", &a]),
        row(5, "invalid ticket code", &["rebook", l, "--slot", &a]),
        row(5, "Z99", &["rebook", t, "--slot", &a, "--seats", "Z99"]),
        row(5, "E5", &["rebook", t, "--slot", &a, "--seats", "E5"]),
        row(5, "seat", &["rebook", t, "--slot", &a, "--seats", "A5,A5"]),
        row(3, "999", &["rebook", t, "--slot", "999"]),
        row(4, "B5", &["rebook", t, "--slot", &a, "--seats", "B5"]),
        row(4, "canceled", &["rebook", c, "--slot", &a]),
        // cancel
        row(3, "no ticket", &["cancel", "TKT-ZZZZZZ"]),
        row(3, "BKG-ZZZZZZ", &["cancel", "BKG-ZZZZZZ"]),
        row(3, "no ticket", &["cancel", SQL]),
        row(5, "invalid ticket code", &["cancel", l]),
        row(5, "invalid ticket code", &["cancel", ""]),
        row(4, "", &["cancel", c]),
        // tickets
        row(3, "999", &["tickets", "--slot", "999"]),
        row(3, "no slot", &["tickets", "--movie", SQL, "--start", "2026-11-23 20:00"]),
        row(2, "unexpected argument '-1'", &["tickets", "--slot", "-1"]),
        row(2, "--slot", &["tickets"]),
        // ticket
        row(3, "no ticket 'TKT-ZZZZZZ'", &["ticket", "tkt-zzzzzz"]),
        row(3, "no ticket", &["ticket", SQL]),
        row(5, "invalid ticket code", &["ticket", l]),
        row(5, "invalid ticket code '999", &["ticket", h]),
        row(3, "no booking 'BKG-999", &["cancel", &format!("BKG-{h}")]),
        // Whitespace inside a typed code is ignored ("TKT 7F3K9Q"), so this one is only unknown.
        row(3, "no ticket 'XY'", &["ticket", newline]),
        // Messages quote the input with its control characters escaped, never raw.
        row(3, "no ticket 'A\\u{1b}[31M'", &["ticket", escape]),
        // expire
        row(5, "invalid time '2026-02-30 10:00'", &["expire", "--at", "2026-02-30 10:00"]),
        row(5, "invalid time ''", &["expire", "--at", ""]),
        row(5, "invalid time 'tomorrow'", &["expire", "--at", "tomorrow"]),
        row(5, "invalid time", &["expire", "--at", SQL]),
        row(5, "invalid time '-262143-01-01T00:00'", &["expire", "--at=-262143-01-01T00:00"]),
        row(5, "invalid time '+262142-12-31 23:00'", &["expire", "--at=+262142-12-31 23:00"]),
        row(5, "invalid time '999", &["expire", "--at", h]),
        // report
        row(5, "invalid date '2026-02-30'", &["report", "--date", "2026-02-30"]),
        row(5, "invalid date", &["report", "--date", SQL]),
        row(5, "invalid date '2026-11-23 12:00'", &["report", "--date", "2026-11-23 12:00"]),
        row(5, "invalid date '+262142-12-31'", &["report", "--date=+262142-12-31"]),
        row(5, "invalid date '-262143-01-01'", &["report", "--date=-262143-01-01"]),
        row(5, "invalid date '10000-01-01'", &["report", "--date", "10000-01-01"]),
        row(5, "invalid date '999", &["report", "--date", h]),
        // export
        row(5, "invalid date '+262142-12-31'", &["export", "tickets", "--date=+262142-12-31"]),
        row(5, "invalid date '+262142-12-31'", &["export", "sales", "--date=+262142-12-31"]),
        row(5, "invalid date '+262142-12-31'", &["export", "slots", "--date=+262142-12-31"]),
        row(5, "invalid date '+10000-01-01'", &["export", "tickets", "--format", "json", "--date", "+10000-01-01"]),
        // waitlist add
        row(5, "not 0", &["waitlist", "add", "--slot", &fl, "--name", "Dan", "--seats", "0"]),
        row(5, "not 11", &["waitlist", "add", "--slot", &fl, "--name", "Dan", "--seats", "11"]),
        row(2, "unexpected argument '-1'", &["waitlist", "add", "--slot", &fl, "--name", "Dan", "--seats", "-1"]),
        row(2, "invalid value", &["waitlist", "add", "--slot", &fl, "--name", "Dan", "--seats", HUGE]),
        row(5, "longer than", &["waitlist", "add", "--slot", &fl, "--name", l, "--seats", "2"]),
        row(5, "control character", &["waitlist", "add", "--slot", &fl, "--name", escape, "--seats", "2"]),
        row(5, "must not be empty", &["waitlist", "add", "--slot", &fl, "--name", "", "--seats", "2"]),
        row(5, "phone", &["waitlist", "add", "--slot", &fl, "--name", "Dan", "--phone", SQL, "--seats", "2"]),
        row(
            5,
            "name contains an invisible",
            &["waitlist", "add", "--slot", &fl, "--name", "D\u{200d}an", "--seats", "2"],
        ),
        row(3, "999", &["waitlist", "add", "--slot", "999", "--name", "Dan", "--seats", "2"]),
        row(
            3,
            "no slot",
            &["waitlist", "add", "--movie", SQL, "--start", "2026-11-24 20:00", "--name", "Dan", "--seats", "2"],
        ),
        row(4, "", &["waitlist", "add", "--slot", &fl, "--name", "Dan", "--seats", "2"]).at("2026-11-25 00:00"),
        // waitlist list, remove, confirm
        row(3, "999", &["waitlist", "list", "--slot", "999"]),
        row(2, "invalid value 'abc'", &["waitlist", "list", "--slot", "abc"]),
        row(3, "no waiting-list entry 999", &["waitlist", "remove", "999"]),
        row(2, "invalid value", &["waitlist", "remove", SQL]),
        row(2, "invalid value", &["waitlist", "remove", HUGE]),
        row(3, "no waiting-list entry 999", &["waitlist", "confirm", "999"]),
        row(4, "no seats offered", &["waitlist", "confirm", w]),
        row(2, "cheque", &["waitlist", "confirm", w, "--pay", "cheque"]),
        // card (price cards)
        row(5, "name the category", &["card", "set", "Evening", "--type", "Child", "--price", "6.50"]),
        row(5, "unknown", &["card", "set", "Evening", "--type", "Child", "--price", "Gold=6"]),
        row(5, "invalid amount", &["card", "set", "Evening", "--type", "Child", "--price", "Regular=-1"]),
        row(5, "invalid ticket type", &["card", "set", "Evening", "--type", "Ch;ld", "--price", "Regular=5"]),
        row(5, "control character", &["card", "set", escape, "--type", "Child", "--price", "Regular=5"]),
        row(5, "longer than", &["card", "set", l, "--type", "Child", "--price", "Regular=5"]),
        row(2, "--price", &["card", "set", "Evening", "--type", "Child"]),
        row(3, "no price card", &["card", "list", SQL]),
        row(3, "no price card", &["card", "remove", SQL]),
        row(3, "no ticket type", &["card", "default", "Dog"]),
        // book with ticket types, slot add with a card
        row(5, "typed tickets but 1 seat", &["book", "--slot", &a, "--count", "1", "--types", "Adult=2"]),
        row(5, "does not sell", &["book", "--slot", &a, "--count", "1", "--types", "Dog=1"]),
        row(5, "Child=2,Senior=1", &["book", "--slot", &a, "--count", "1", "--types", "Child"]),
        row(5, "no ticket types given", &["book", "--slot", &a, "--count", "1", "--types", ",,"]),
        row(5, "invalid count", &["book", "--slot", &a, "--count", "1", "--types", &format!("Adult={HUGE}")]),
        row(
            5,
            "no price card",
            &["slot", "add", "--name", "Y", "--start", S, "--end", E, "--hall", "Small", "--card", SQL],
        ),
        // checkin and the door
        row(3, "no ticket or booking", &["checkin", "TKT-ZZZZZZ"]),
        row(5, "invalid code", &["checkin", SQL]),
        row(5, "invalid code", &["checkin", escape]),
        row(5, "invalid code", &["checkin", l]),
        row(5, "invalid code", &["checkin", ""]),
        row(4, "is canceled", &["checkin", c]),
        row(3, "999", &["checkin", t, "--slot", "999"]),
        row(2, "cannot be used with", &["checkin", t, "--force", "--undo"]),
        row(4, "not checked in", &["checkin", "--undo", t]),
        row(1, "needs a terminal", &["door"]),
        // the receipt printer
        row(5, "no printer", &["ticket", t, "--print", "--escpos"]),
        row(5, "--tendered goes on a booking", &["ticket", t, "--print", "--escpos", "--tendered", "20", "--out", "x"]),
        row(1, "a printer is a device path", &["ticket", t, "--print", "--escpos", "--printer", "http://x"]),
        row(2, "--escpos", &["ticket", t, "--printer", "tcp://127.0.0.1:1"]),
        // operators and the journal
        row(5, "a PIN is 4 to 8 digits", &["operator", "add", "Ann", "--role", "cashier"]),
        row(5, "unknown role", &["operator", "add", "Ann", "--role", "boss"]),
        row(3, "no operator", &["operator", "disable", "Nobody"]),
        row(5, "invalid date", &["journal", "show", "--date", SQL]),
        row(5, "invalid amount", &["book", "--slot", &a, "--count", "1", "--price", SQL]),
        row(5, "invalid amount", &["book", "--slot", &a, "--count", "1", "--price", escape]),
        row(5, "invalid amount", &["book", "--slot", &a, "--count", "1", "--price", "1.234"]),
        row(2, "unexpected argument '-1'", &["book", "--slot", &a, "--count", "1", "--price", "-1"]),
        row(5, "only lowers a price", &["book", "--slot", &a, "--count", "1", "--price", "1000000"]),
        // a database that is not SQLite, or a directory
        row(1, "not a database", &["book", "--slot", &a, "--count", "1"]).on(Db::Garbage),
        row(1, "not a database", &["waitlist", "list"]).on(Db::Garbage),
        row(5, "is a directory", &["book", "--slot", &a, "--count", "1"]).on(Db::Directory),
        // a read-only database: reads work (checked below), writes fail
        row(1, "is read-only", &["book", "--slot", &a, "--count", "1"]).on(Db::ReadOnly),
        row(1, "is read-only", &["cancel", t]).on(Db::ReadOnly),
        row(
            1,
            "is read-only",
            &["slot", "add", "--name", "Y", "--start", S, "--end", E, "--hall", "Small", "--price", "9"],
        )
        .on(Db::ReadOnly),
        // a database another process is writing: busy, try again
        row(6, "busy", &["book", "--slot", &a, "--count", "1"]).on(Db::Locked),
        row(6, "try again", &["cancel", t]).on(Db::Locked),
        row(6, "busy", &["rebook", t, "--slot", &a]).on(Db::Locked),
        row(6, "busy", &["waitlist", "add", "--slot", &fl, "--name", "Dan", "--seats", "2"]).on(Db::Locked),
        row(6, "busy", &["hall", "add", "--name", "H", "--rows", "2", "--seats", "2"]).on(Db::Locked),
        row(6, "busy", &["expire"]).on(Db::Locked),
    ];
    assert!(rows.len() >= 50, "the table has only {} rows", rows.len());

    // Hold the write lock on the locked copy for the whole run, as a counter mid-sale would.
    let holder = f.is_file().then(|| {
        let holder = rusqlite::Connection::open(&locked).expect("open the locked copy");
        holder.execute_batch("BEGIN IMMEDIATE").expect("take the write lock");
        // Readers get through the lock (WAL); this also settles the copy's files.
        settle(&locked);
        holder
    });

    // Every row runs; the failures of all rows are reported together.
    let mut problems = Vec::new();
    let mut ran = 0;
    for r in rows.iter().filter(|r| f.is_file() || r.db == Db::Main) {
        let db = match r.db {
            Db::Main => f.db.clone(),
            Db::Directory => directory.clone(),
            Db::Garbage => garbage.clone(),
            Db::ReadOnly if read_only_guard.is_none() => continue,
            Db::ReadOnly => read_only.clone(),
            Db::Locked => locked.clone(),
        };
        let before = db_state(&db, f.is_file());
        let mut cmd = ticketly(&db, r.now);
        if r.db == Db::Locked {
            cmd.env("TICKETLY_BUSY_TIMEOUT_MS", "200");
        }
        if let Some((key, value)) = &r.env {
            cmd.env(key, value);
        }
        let out = cmd.args(&r.args).output().expect("run ticketly");
        let mut wrong = refusal_problems(&out, r.code, r.needle);
        if db_state(&db, f.is_file()) != before {
            wrong.push("changed the database".to_string());
        }
        if !wrong.is_empty() {
            problems.push(format!("{:?} on {:?}: {}", r.args, r.db, wrong.join("; ")));
        }
        ran += 1;
    }
    assert!(problems.is_empty(), "{} of {ran} rows failed:\n{}", problems.len(), problems.join("\n"));
    println!("{ran} of {} malformed inputs refused cleanly", rows.len());

    if let Some(holder) = holder {
        holder.execute_batch("ROLLBACK").expect("release the lock");
        drop(holder);
        // Once released, the locked copy takes writes again, and the comparison above sees a write.
        let at_rest = disk_state(&locked);
        let out = ticketly(&locked, NOW).args(["book", "--slot", &a, "--count", "1"]).output().expect("run ticketly");
        assert!(out.status.success(), "book after the lock was released: {}", String::from_utf8_lossy(&out.stderr));
        assert!(disk_state(&locked) != at_rest, "a successful sale left the files as they were");
    } else {
        // The state compared above sees a write too, on PostgreSQL.
        let at_rest = rows_state(&f.db);
        let sale = f.book(dune, &["--count", "1"]);
        assert!(rows_state(&f.db) != at_rest, "a successful sale left the rows as they were");
        f.ok(&["cancel", &Fixture::codes(&sale)[0]]);
    }
    if read_only_guard.is_some() {
        // A read-only database still answers reads.
        let out = ticketly(&read_only, NOW).args(["tickets", "--slot", &a]).output().expect("run ticketly");
        assert!(out.status.success(), "read of a read-only db: {}", String::from_utf8_lossy(&out.stderr));
    }
    // And through the CLI, the main database holds what the setup put there and nothing more.
    assert_eq!(f.seats_in(avatar, "booked"), vec!["A1".to_string(), "B5".to_string()]);
    assert!(f.seats_in(dune, "booked").is_empty());
    assert_eq!(f.ok(&["hall", "list"]).as_array().expect("halls").len(), 2);
    assert_eq!(f.ok(&["waitlist", "list"]).as_array().expect("entries").len(), 1);
}
