//! Never a panic on hostile input: arbitrary bytes, and text that is nearly valid, into every
//! parser of text that comes from outside (hall layouts, schedule files, typed times and
//! amounts, the settings file). Each must answer with a value or an error, never a panic.
//!
//! 256 cases a property by default, so `cargo test` stays quick; a long run raises it:
//! `PROPTEST_CASES=200000 cargo test --release --lib fuzz_tests`.

use chrono::Duration;
use proptest::prelude::*;

use crate::cli::import::{Format, read_schedule};
use crate::config::Config;
use crate::domain::layout::{Category, HallLayout};
use crate::domain::money::parse_amount;
use crate::domain::policy::Policy;
use crate::domain::schedule::PriceArg;
use crate::domain::seatmap::parse_seat_list;
use crate::domain::time::{Time, YEARS, day_span, format_time, parse_date, parse_time, store_time};

/// Any bytes, read as a file would be after a lossy UTF-8 decode (the CLI refuses non-UTF-8
/// files before parsing, so this covers all a parser can be given).
fn any_text() -> impl Strategy<Value = String> {
    prop_oneof![
        proptest::collection::vec(any::<u8>(), 0..600).prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        any::<String>(),
    ]
}

/// Times and dates as they are typed, and as they broke: mostly well formed with any year (signed,
/// long, chrono's own limits), months, days, hours and minutes just past their ranges, 'T' or
/// odd separators, seconds or not; also loose text of the same characters.
fn time_like() -> impl Strategy<Value = String> {
    let year = prop_oneof![
        prop::sample::select(vec![0, 999, 1000, 9998, 9999, 10_000, 99_999, 262_142, 262_143, 262_144, i32::MAX]),
        prop::sample::select(vec![-1, -999, -262_143, -262_144, -262_145, i32::MIN]),
        -300_000..300_000i32,
        1000..10_000i32,
    ];
    let time = (year, prop::sample::select(vec!["", "+", "0"]), 0..14u32, 0..33u32, 0..25u32, 0..61u32).prop_map(
        |(y, prefix, mo, d, h, mi)| {
            let year = if y < 0 { format!("-{:04}", y.unsigned_abs()) } else { format!("{prefix}{y:04}") };
            (year, format!("{mo:02}"), format!("{d:02}"), format!("{h:02}:{mi:02}"))
        },
    );
    let written =
        (time, prop::sample::select(vec![" ", "T", "  ", ""]), prop::sample::select(vec!["", ":00", ":59"]), 0..3u8)
            .prop_map(|((y, mo, d, hm), sep, secs, shape)| match shape {
                0 => format!("{y}-{mo}-{d}"),
                _ => format!("{y}-{mo}-{d}{sep}{hm}{secs}"),
            });
    prop_oneof![4 => written, 1 => "[0-9+\\- :T.]{0,24}"]
}

/// A layout of rows that are nearly valid: labels of 0-3 letters, cells of seat codes, gaps,
/// stray characters, comments, walkways and byte-order marks.
fn layout_like() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        "[A-Za-z]{0,3}:? ?[RPAVrpav._ X9#\u{feff}]{0,130}",
        Just("-".to_string()),
        "#.{0,10}",
        Just(String::new()),
    ];
    (proptest::collection::vec(line, 0..70), "(\u{feff})?", "\n|\r\n")
        .prop_map(|(lines, bom, end)| format!("{bom}{}", lines.join(&end)))
}

/// A CSV schedule: a header of known and unknown columns, then rows of fields that are nearly
/// valid (times, prices, halls) or hostile (quotes, escapes, bidi, huge).
fn csv_like() -> impl Strategy<Value = String> {
    let column = prop_oneof![
        Just("name"),
        Just("start"),
        Just("end"),
        Just("hall"),
        Just("genre"),
        Just("type"),
        Just("description"),
        Just("price"),
        Just("bogus"),
    ];
    let field = prop_oneof![
        time_like(),
        "[0-9.;=a-zA-Z]{0,20}",
        "\"[^\"]{0,10}\"",
        Just("Regular=9;Premium=12".to_string()),
        Just("Small".to_string()),
        "[\u{1b}\u{202e}\u{200b}\u{feff},\"\r\n]{1,4}",
        "inf|NaN|-0|1e400|18446744073709551616|-9223372036854775809",
    ];
    let row = proptest::collection::vec(field, 0..10).prop_map(|f| f.join(","));
    (proptest::collection::vec(column, 0..10), proptest::collection::vec(row, 0..8), "(\u{feff})?")
        .prop_map(|(header, rows, bom)| format!("{bom}{}\n{}", header.join(","), rows.join("\n")))
}

/// Any JSON value, nested a little; with the schedule's keys often enough to reach the rows.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    use serde_json::Value;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        time_like().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(4, 40, 8, |inner| {
        let key = prop_oneof![
            Just("name".to_string()),
            Just("start".to_string()),
            Just("end".to_string()),
            Just("hall".to_string()),
            Just("price".to_string()),
            Just("type".to_string()),
            any::<String>(),
        ];
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
            proptest::collection::btree_map(key, inner, 0..8).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Everything a schedule file's rows go through before the database: parsing, the row's own
/// checks, the slot's rules and its prices in a hall of every category.
fn import_all(text: &str, format: Format) {
    let now = Time::default();
    if let Ok((rows, _bad)) = read_schedule(text, format) {
        for row in rows {
            if let Ok(slot) = row.to_new_slot().and_then(|s| s.validate(now)) {
                let _ = slot.resolve_prices(&Category::ALL);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::default())]

    #[test]
    fn layouts_never_panic(text in prop_oneof![any_text(), layout_like()]) {
        if let Ok(layout) = HallLayout::parse(&text) {
            // What parses reads back the same from its canonical text.
            prop_assert_eq!(HallLayout::parse(&layout.to_text()), Ok(layout.clone()));
            prop_assert!(!layout.seats().is_empty());
        }
    }

    #[test]
    fn generated_layouts_never_panic(rows in any::<u32>(), seats in any::<u32>(), premium in proptest::collection::vec(any_text(), 0..3)) {
        let _ = HallLayout::generate(rows % 200, seats % 200, &premium);
    }

    #[test]
    fn csv_schedules_never_panic(text in prop_oneof![any_text(), csv_like()]) {
        import_all(&text, Format::Csv);
    }

    #[test]
    fn json_schedules_never_panic(value in json_value(), rows in proptest::collection::vec(json_value(), 0..4), raw in any_text()) {
        import_all(&value.to_string(), Format::Json);
        import_all(&serde_json::Value::from(rows).to_string(), Format::Json);
        import_all(&raw, Format::Json);
    }

    #[test]
    fn times_never_panic_and_stay_sortable(a in prop_oneof![any_text(), time_like()], b in time_like()) {
        let reference = parse_time("2026-11-23 12:00").expect("a plain time");
        for text in [&a, &b] {
            if let Ok(date) = parse_date(text) {
                prop_assert!(YEARS.contains(&chrono::Datelike::year(&date)));
                let (from, to) = day_span(date).expect("a parsed day has a span");
                prop_assert!(store_time(&from) < store_time(&to), "{} .. {}", store_time(&from), store_time(&to));
            }
        }
        let times: Vec<Time> = [&a, &b].into_iter().filter_map(|t| parse_time(t).ok()).collect();
        for x in &times {
            let x = *x;
            prop_assert!(YEARS.contains(&chrono::Datelike::year(&x)));
            prop_assert_eq!(parse_time(&format_time(&x)).map(|t| format_time(&t)), Ok(format_time(&x)));
            // The database compares times as text: that must order them as time, also for what
            // is worked out from them with the largest settings (a month of expiry grace, an hour
            // of hold, a day of offer, the next day of a report).
            let policy = Policy { expiry_grace_hours: 720, hold_minutes: 60, offer_minutes: 1440, ..Policy::default() };
            let worked_out = [
                x,
                policy.expiry_cutoff(x),
                policy.hold_until(x),
                x + Duration::minutes(policy.offer_minutes),
                day_span(x.date()).expect("a parsed day has a span").1,
            ];
            for p in worked_out {
                for q in times.iter().copied().chain([reference]) {
                    prop_assert_eq!(store_time(&p).cmp(&store_time(&q)), p.cmp(&q), "{} vs {}", store_time(&p), store_time(&q));
                }
            }
        }
    }

    #[test]
    fn typed_values_never_panic(text in prop_oneof![any_text(), "[0-9.=;a-zA-Z, ]{0,30}"]) {
        let _ = parse_amount(&text);
        let _ = PriceArg::parse(&text);
        let _ = parse_seat_list(&text);
        let _ = Category::parse(&text);
    }

    #[test]
    fn settings_files_never_panic(text in prop_oneof![
        any_text(),
        "(\\[(selling|money|theatre|counter)\\]\n)?[a-z_.]{0,20} ?= ?(\"[^\"\n]{0,10}\"|-?[0-9]{0,20}|[^\n]{0,10})\n?",
    ]) {
        let _ = Config::default().apply(&text, std::path::Path::new("fuzz.toml"));
    }
}
