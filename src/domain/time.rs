//! Times as the theatre writes them: "YYYY-MM-DD HH:MM", local wall-clock time, no zone.
//! The clock is always passed in (`now`), so rules and screens are testable with a fixed clock.

use chrono::{NaiveDate, NaiveDateTime};

use super::error::{Result, invalid};
use super::text::excerpt;

/// A local wall-clock time, minute precision for schedules, second precision for records.
pub type Time = NaiveDateTime;

const MINUTE_FORMAT: &str = "%Y-%m-%d %H:%M";
const STORE_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// Parses "YYYY-MM-DD HH:MM" (seconds and a 'T' separator are tolerated).
pub fn parse_time(text: &str) -> Result<Time> {
    let t = text.trim().replacen('T', " ", 1);
    NaiveDateTime::parse_from_str(&t, MINUTE_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(&t, STORE_FORMAT))
        .map_err(|_| invalid(format!("invalid time '{}': use \"YYYY-MM-DD HH:MM\"", excerpt(text))))
}

/// Parses "YYYY-MM-DD".
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| invalid(format!("invalid date '{}': use YYYY-MM-DD", excerpt(text))))
}

/// "YYYY-MM-DD HH:MM", the form every command prints.
pub fn format_time(t: &Time) -> String {
    t.format(MINUTE_FORMAT).to_string()
}

/// The sortable text form kept in the database.
pub fn store_time(t: &Time) -> String {
    t.format(STORE_FORMAT).to_string()
}

/// Reads the database's text form back; the schema only ever holds what `store_time` wrote.
pub fn read_store_time(text: &str) -> Result<Time> {
    NaiveDateTime::parse_from_str(text, STORE_FORMAT)
        .map_err(|_| invalid(format!("corrupt time '{}' in the database", excerpt(text))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        let t = parse_time("2026-11-23 19:30").expect("valid");
        assert_eq!(format_time(&t), "2026-11-23 19:30");
        assert_eq!(read_store_time(&store_time(&t)), Ok(t));
        assert_eq!(parse_time("2026-11-23T19:30"), Ok(t));
    }

    #[test]
    fn messages_quote_at_most_a_line() {
        let long = "2".repeat(120 * 1024);
        assert!(parse_time(&long).expect_err("long").to_string().len() < 200);
        assert!(parse_date(&long).expect_err("long").to_string().len() < 200);
    }

    #[test]
    fn rejects_bad_times() {
        for bad in ["", "2026-13-01 10:00", "2026-02-30 10:00", "10:00", "2026-11-23 25:00", "tomorrow"] {
            assert!(parse_time(bad).is_err(), "{bad}");
        }
        assert!(parse_date("2026-11-31").is_err());
    }
}
