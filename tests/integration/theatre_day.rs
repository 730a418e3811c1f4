//! The theatre's day: schedule import and export, config precedence, printed tickets, the
//! till and the cash-up report, completions and the man page.

use std::fs;

use serde_json::Value;

use super::support::{Fixture, NOW, START};

fn write(f: &Fixture, name: &str, text: &str) -> String {
    let path = f.file(name);
    fs::write(&path, text).expect("write file");
    path.display().to_string()
}

#[test]
fn an_import_with_bad_rows_names_every_line_and_changes_nothing() {
    let f = Fixture::with_hall();
    let before = f.ok(&["slot", "list", "--all"]);
    let csv = "name,start,end,hall,genre,type,description,price\n\
        Dune,2026-12-01 10:00,2026-12-01 12:40,Small,Sci-Fi,Movie,Sand,Regular=9;Premium=12\n\
        Dune,2026-12-01 11:00,2026-12-01 13:40,Small,Sci-Fi,Movie,Overlaps the first,9.50\n\
        Bad date,2026-13-01 10:00,2026-12-01 12:40,Small,,,,9\n\
        No hall,2026-12-02 10:00,2026-12-02 12:00,Mars,,,,9\n\
        Short row,2026-12-03 10:00\n\
        Gold,2026-12-04 10:00,2026-12-04 12:00,Small,,,,Gold=3\n";
    let path = write(&f, "bad.csv", csv);
    let out = f.run_at(NOW, &["slot", "import", &path]);
    assert_eq!(out.status.code(), Some(5));
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in [3, 4, 5, 6, 7] {
        assert!(stderr.contains(&format!("line {line}: ")), "line {line} not named: {stderr}");
    }
    assert!(!stderr.contains("line 2:"), "the good row is not blamed: {stderr}");
    assert!(stderr.lines().last().is_some_and(|l| l.contains("5 bad rows") && l.contains("nothing imported")));
    assert!(out.stdout.is_empty());
    assert_eq!(f.ok(&["slot", "list", "--all"]), before, "nothing was imported");

    let good = write(
        &f,
        "good.csv",
        "name,start,end,hall,genre,type,description,price\n\
        Dune,2026-12-01 10:00,2026-12-01 12:40,Small,Sci-Fi,Movie,Sand,Regular=9;Premium=12\n\
        Dune,2026-12-01 13:00,2026-12-01 15:40,Small,Sci-Fi,Movie,Sand,9.50\n",
    );
    assert_eq!(f.ok(&["slot", "import", &good])["imported"], 2);
    let json = write(
        &f,
        "more.json",
        r#"[{"name": "Solaris", "start": "2026-12-02 18:00",
        "end": "2026-12-02 20:47", "hall": "Small", "genre": "Sci-Fi", "price": 8.5}]"#,
    );
    assert_eq!(f.ok(&["slot", "import", &json])["imported"], 1);
    let solaris = f.ok(&["slot", "list", "--search", "solaris"]);
    assert_eq!(solaris[0]["prices"]["Regular"], 850);
    assert_eq!(solaris[0]["prices"]["Premium"], 850);
}

#[test]
fn config_values_come_from_defaults_file_env_and_flag_in_that_order() {
    let f = Fixture::with_hall();
    let config = write(&f, "config.toml", "[counter]\noperator = \"filer\"\n[selling]\nhold_minutes = 7\n");
    let show = |cmd: &mut assert_cmd::Command| -> Value {
        let out = cmd.args(["--json", "config", "show"]).output().expect("run");
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        serde_json::from_slice(&out.stdout).expect("json")
    };
    let setting = |v: &Value, key: &str| -> (String, String) {
        let s = v["settings"].as_array().expect("settings").iter().find(|s| s["key"] == key).expect("key").clone();
        (s["value"].as_str().expect("value").into(), s["source"].as_str().expect("source").into())
    };
    let from_file = show(f.cmd_at(NOW).env("TICKETLY_CONFIG", &config).env_remove("TICKETLY_OPERATOR"));
    assert_eq!(setting(&from_file, "counter.operator"), ("filer".into(), format!("file {config}")));
    assert_eq!(setting(&from_file, "selling.hold_minutes"), ("7".into(), format!("file {config}")));
    assert_eq!(setting(&from_file, "selling.late_sale_minutes"), ("15".into(), "default".into()));
    let from_env = show(f.cmd_at(NOW).env("TICKETLY_CONFIG", &config));
    assert_eq!(setting(&from_env, "counter.operator"), ("till1".into(), "env TICKETLY_OPERATOR".into()));
    let from_flag = show(f.cmd_at(NOW).env("TICKETLY_CONFIG", &config).args(["--operator", "flagged"]));
    assert_eq!(setting(&from_flag, "counter.operator"), ("flagged".into(), "flag".into()));

    let bad = write(&f, "bad.toml", "[selling]\nhold_minutes = 0\n");
    let out = f.cmd_at(NOW).env("TICKETLY_CONFIG", &bad).args(["slot", "list"]).output().expect("run");
    assert_eq!(out.status.code(), Some(5));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1);
    assert!(stderr.contains("selling.hold_minutes"), "{stderr}");
}

#[test]
fn the_cash_up_adds_up_per_operator_and_method() {
    let (f, slot) = Fixture::with_slot();
    let slot = slot.to_string();
    // A cash sale before the till was opened: in the day's takings, not in the drawer.
    f.ok_at("2026-11-23 08:30", &["book", "--slot", &slot, "--seats", "A5", "--pay", "cash"]);
    f.ok_at("2026-11-23 09:00", &["till", "open", "--float", "100"]);
    let cash = f.ok_at("2026-11-23 10:00", &["book", "--slot", &slot, "--seats", "A1,A2", "--pay", "cash"]);
    f.ok_at("2026-11-23 10:05", &["book", "--slot", &slot, "--seats", "B1", "--pay", "card"]);
    let first = cash["tickets"][0]["id"].as_str().expect("code").to_string();
    f.ok_at("2026-11-23 11:00", &["cancel", &first]);
    f.ok_at("2026-11-23 18:00", &["till", "close", "--counted", "109.00"]);
    let report = f.ok_at("2026-11-23 18:00", &["report"]);
    assert_eq!(report["by_method"]["cash"]["net"], 950 + 950);
    assert_eq!(report["by_method"]["card"]["net"], 1200);
    assert_eq!(
        (report["sales"].clone(), report["refunds"].clone(), report["net"].clone()),
        (4050.into(), 950.into(), 3100.into())
    );
    let till1 = &report["by_operator"][0];
    assert_eq!(till1["operator"], "till1");
    assert_eq!((till1["cash"]["sales"].clone(), till1["cash"]["refunds"].clone()), (2850.into(), 950.into()));
    assert_eq!(till1["float"], 10000);
    assert_eq!(till1["cash_expected"], 10950, "the float and what was taken while the till was open");
    assert_eq!(till1["counted"], 10900);
    assert_eq!(till1["variance"], -50, "50p short");
    assert_eq!(till1["card"]["tickets_sold"], 1);
    f.fails_at("2026-11-23 18:01", &["till", "close", "--counted", "1"], 3);
}

#[test]
fn exports_for_accounting() {
    let (f, slot) = Fixture::with_slot();
    f.book(slot, &["--seats", "A1,A2", "--pay", "card"]);
    let out = f.cmd_at(NOW).args(["export", "tickets", "--date", &START[..10]]).output().expect("run");
    let csv = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(lines[0].starts_with("ticket,booking,status,slot_id"));
    assert_eq!(lines.len(), 3);
    assert!(lines[1].contains(",9.50,") && lines[1].contains(",card,"), "{}", lines[1]);
    let sales = f.ok(&["export", "sales", "--format", "json"]);
    assert_eq!(sales[0]["amount"], 1900);
    assert_eq!(sales[0]["kind"], "sale");
    assert_eq!(f.ok(&["export", "slots", "--format", "json"])[0]["seats_free"], 18);
}

/// What a spreadsheet runs as a formula when a cell starts with it (OWASP's list, and the
/// full-width forms that some spreadsheets read as the same).
const FORMULA_STARTS: [char; 10] = ['=', '+', '-', '@', '\t', '\r', '＝', '＋', '－', '＠'];

/// A CSV export's header and records.
fn csv_export(f: &Fixture, what: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let out = f.cmd_at(NOW).args(["export", what, "--format", "csv"]).output().expect("run");
    assert!(out.status.success(), "export {what}: {}", String::from_utf8_lossy(&out.stderr));
    let mut reader = csv::Reader::from_reader(out.stdout.as_slice());
    let header = reader.headers().expect("header").iter().map(String::from).collect();
    let records = reader.records().map(|r| r.expect("record").iter().map(String::from).collect()).collect();
    (header, records)
}

#[test]
fn csv_exports_neutralise_formulas_in_every_text_column() {
    let f = Fixture::new();
    let hall = "@SUM(A1:A9)";
    f.ok(&["hall", "add", "--name", hall, "--rows", "2", "--seats", "10", "--premium-rows", "B"]);
    let title = "=HYPERLINK(\"http://evil.example\",\"Avatar\")";
    let slot = f.ok(&[
        "slot",
        "add",
        "--name",
        title,
        "--start",
        START,
        "--end",
        "2026-11-23 22:00",
        "--hall",
        hall,
        "--genre",
        "+1+cmd|' /C calc'!A0",
        "--type=-2+3",
        "--price",
        "9.50",
    ])["id"]
        .to_string();
    f.ok(&[
        "--operator",
        "＠till",
        "book",
        "--slot",
        &slot,
        "--seats",
        "A1",
        "--name",
        "＝1+1",
        "--phone",
        "+44 113 496 0000",
    ]);
    f.ok(&["--operator=－till", "book", "--slot", &slot, "--seats", "B1", "--name=-Ann", "--phone=-0113"]);
    // What each person-typed column must read: the text behind a `'`, which a spreadsheet shows
    // as text. Everything else (codes, amounts, dates, counts) is Ticketly's own and unchanged.
    let typed: &[(&str, &str, &[&str])] = &[
        ("tickets", "slot", &[title, title]),
        ("tickets", "hall", &[hall, hall]),
        ("tickets", "customer", &["＝1+1", "-Ann"]),
        ("tickets", "phone", &["+44 113 496 0000", "-0113"]),
        ("tickets", "operator", &["＠till", "－till"]),
        ("sales", "slot", &[title, title]),
        ("sales", "operator", &["＠till", "－till"]),
        ("slots", "name", &[title]),
        ("slots", "hall", &[hall]),
        ("slots", "genre", &["+1+cmd|' /C calc'!A0"]),
        ("slots", "type", &["-2+3"]),
    ];
    for what in ["tickets", "sales", "slots"] {
        let (header, records) = csv_export(&f, what);
        for record in &records {
            for (column, cell) in header.iter().zip(record) {
                assert!(!cell.starts_with(FORMULA_STARTS), "export {what}: {column} is a formula: {cell:?}");
            }
        }
        for (_, column, values) in typed.iter().filter(|(w, _, _)| *w == what) {
            let index = header.iter().position(|h| h == column).unwrap_or_else(|| panic!("{what} has no {column}"));
            let cells: Vec<&str> = records.iter().map(|r| r[index].as_str()).collect();
            let expected: Vec<String> = values.iter().map(|v| format!("'{v}")).collect();
            assert_eq!(cells, expected, "export {what}: column {column}");
        }
        if what == "tickets" {
            let price = header.iter().position(|h| h == "price").expect("price");
            let start = header.iter().position(|h| h == "start").expect("start");
            assert_eq!((records[0][price].as_str(), records[0][start].as_str()), ("9.50", START));
        }
    }
    // JSON is data, not a sheet: it keeps the text as typed.
    assert_eq!(f.ok(&["export", "slots", "--format", "json"])[0]["name"], title);
}

#[test]
fn files_may_start_with_a_byte_order_mark() {
    let f = Fixture::new();
    let layout = write(&f, "bom.layout", "\u{feff}A: RRRR\nB: PPPP\n");
    assert_eq!(f.ok(&["hall", "add", "--name", "Small", "--layout", &layout])["seats"], 8);
    let csv =
        write(&f, "bom.csv", "\u{feff}name,start,end,hall,price\nDune,2026-12-01 10:00,2026-12-01 12:40,Small,9\n");
    assert_eq!(f.ok(&["slot", "import", &csv])["imported"], 1);
    let json = write(
        &f,
        "bom.json",
        "\u{feff}[{\"name\": \"Solaris\", \"start\": \"2026-12-02 18:00\", \"end\": \"2026-12-02 20:47\", \
         \"hall\": \"Small\", \"price\": 8.5}]",
    );
    assert_eq!(f.ok(&["slot", "import", &json])["imported"], 1);
    let names: Vec<Value> =
        f.ok(&["slot", "list", "--all"]).as_array().expect("slots").iter().map(|s| s["name"].clone()).collect();
    assert_eq!(names, vec![Value::from("Dune"), Value::from("Solaris")]);
}

#[test]
fn tickets_print_with_a_qr_code() {
    let (f, slot) = Fixture::with_slot();
    let sale = f.book(slot, &["--count", "1"]);
    let code = Fixture::codes(&sale)[0].clone();
    let out = f.cmd_at(NOW).args(["ticket", &code, "--print"]).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains(&code) && text.contains("Avatar") && text.contains("Rex"));
    assert!(text.contains('█') && text.contains('▀'), "a QR code in blocks");
    let svg = f.file("t.svg");
    let svg_path = svg.display().to_string();
    f.ok(&["ticket", &code, "--print", "--out", &svg_path]);
    let page = fs::read_to_string(&svg).expect("svg written");
    assert!(page.starts_with("<svg") && page.contains(&code));
}

#[test]
fn completions_man_page_and_quiet() {
    let f = Fixture::new();
    for shell in ["bash", "zsh", "fish"] {
        let out = f.cmd_at(NOW).args(["completions", shell]).output().expect("run");
        assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("ticketly"), "{shell}");
    }
    let man = f.cmd_at(NOW).arg("man").output().expect("run");
    assert!(String::from_utf8_lossy(&man.stdout).contains(".TH ticketly 1"));
    let quiet = f.cmd_at(NOW).args(["--quiet", "expire"]).output().expect("run");
    assert!(quiet.status.success() && quiet.stdout.is_empty());
}
