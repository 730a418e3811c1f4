//! Times as the theatre writes them: "YYYY-MM-DD HH:MM", local wall-clock time, no zone.
//! The clock is always passed in (`now`), so rules and screens are testable with a fixed clock.

use std::ops::RangeInclusive;

use chrono::{Datelike, Duration, NaiveDate, NaiveDateTime};

use super::error::{Result, invalid};
use super::text::excerpt;

/// A local wall-clock time, minute precision for schedules, second precision for records.
pub type Time = NaiveDateTime;

const MINUTE_FORMAT: &str = "%Y-%m-%d %H:%M";
const STORE_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// The years a typed time may have. Four digits: the database keeps times as text, and text
/// sorts as time only while every year has four digits ("+10000-01-01" sorted before every other
/// date, so such a show hid the rest and its tickets expired at once). The range stops a year
/// short of each end so that what is worked out from a time (the next day, a hold, a month of
/// expiry grace) keeps four digits too, and never leaves what chrono can count (which panicked).
pub const YEARS: RangeInclusive<i32> = 1000..=9998;

/// Parses "YYYY-MM-DD HH:MM" (seconds and a 'T' separator are tolerated).
pub fn parse_time(text: &str) -> Result<Time> {
    let t = text.trim().replacen('T', " ", 1);
    let bad = |why: &str| invalid(format!("invalid time '{}': {why}", excerpt(text)));
    if !starts_with_four_digit_year(&t) {
        return Err(bad("use \"YYYY-MM-DD HH:MM\""));
    }
    let time = NaiveDateTime::parse_from_str(&t, MINUTE_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(&t, STORE_FORMAT))
        .map_err(|_| bad("use \"YYYY-MM-DD HH:MM\""))?;
    if !YEARS.contains(&time.year()) {
        return Err(bad(&years_rule()));
    }
    Ok(time)
}

/// Parses "YYYY-MM-DD".
pub fn parse_date(text: &str) -> Result<NaiveDate> {
    let t = text.trim();
    let bad = |why: &str| invalid(format!("invalid date '{}': {why}", excerpt(text)));
    if !starts_with_four_digit_year(t) {
        return Err(bad("use YYYY-MM-DD"));
    }
    let date = NaiveDate::parse_from_str(t, "%Y-%m-%d").map_err(|_| bad("use YYYY-MM-DD"))?;
    if !YEARS.contains(&date.year()) {
        return Err(bad(&years_rule()));
    }
    Ok(date)
}

/// chrono's `%Y` also reads a sign and any number of digits ("+262142", "26"); we want four.
fn starts_with_four_digit_year(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() > 4 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-'
}

fn years_rule() -> String {
    format!("the year must be {} to {}", YEARS.start(), YEARS.end())
}

/// The first moment of `date` and of the next day, for "on this day" queries. Refuses a date
/// outside [`YEARS`], whose next day might not exist or not sort after it.
pub fn day_span(date: NaiveDate) -> Result<(Time, Time)> {
    if !YEARS.contains(&date.year()) {
        return Err(invalid(format!("invalid date '{date}': {}", years_rule())));
    }
    let from = date.and_time(chrono::NaiveTime::MIN);
    Ok((from, from + Duration::days(1)))
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
    fn years_have_four_digits() {
        for bad in
            ["+10000-01-01 00:00", "10000-01-01 00:00", "-2026-11-23 10:00", "+2026-11-23 10:00", "226-11-23 10:00"]
        {
            let err = parse_time(bad).expect_err(bad).to_string();
            assert!(err.starts_with(&format!("invalid time '{bad}'")), "{err}");
        }
        for bad in
            ["+262142-12-31", "-262143-01-01", "10000-01-01", "0999-12-31", "9999-01-01", "26-11-23", " 2026-11-23x"]
        {
            assert!(parse_date(bad).is_err(), "{bad}");
        }
        assert_eq!(
            parse_date("9999-01-01").map_err(|e| e.to_string()),
            Err("invalid date '9999-01-01': the year must be 1000 to 9998".into())
        );
        assert!(parse_time("-262143-01-01T00:00").is_err());
        assert!(parse_time("0999-12-31 23:59").is_err());
        let last = parse_time("9998-12-31 23:59").expect("the last year");
        assert_eq!(format_time(&last), "9998-12-31 23:59");
        assert_eq!(parse_date(" 1000-01-01 ").map(|d| d.to_string()), Ok("1000-01-01".into()));
    }

    #[test]
    fn days_span_midnight_to_midnight_within_the_years() {
        let day = parse_date("9998-12-31").expect("date");
        let (from, to) = day_span(day).expect("span");
        assert_eq!((store_time(&from), store_time(&to)), ("9998-12-31 00:00:00".into(), "9999-01-01 00:00:00".into()));
        assert!(day_span(NaiveDate::MAX).is_err());
        assert!(day_span(NaiveDate::MIN).is_err());
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
