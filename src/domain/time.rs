//! Times. Every [`Time`] is an instant, kept in UTC: the database stores it, and the rules
//! compute with it, so a show across a daylight-saving change has its true length and expiry
//! counts true hours. People see and type times as the theatre's clocks show them,
//! "YYYY-MM-DD HH:MM" in the theatre's [`Zone`]; [`parse_time`], [`format_time`], [`local`]
//! and [`day_span`] convert at that edge. The clock is always passed in (`now`), so rules and
//! screens are testable with a fixed clock.

use std::ops::RangeInclusive;
use std::sync::OnceLock;

use chrono::offset::LocalResult;
use chrono::{Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};

use super::error::{Result, invalid};
use super::text::excerpt;

/// An instant in UTC, minute precision for schedules, second precision for records.
pub type Time = NaiveDateTime;

/// The zone the theatre's clocks show: an IANA name (`[theatre] timezone`), or the machine's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Zone {
    Machine,
    Named(chrono_tz::Tz),
}

static ZONE: OnceLock<Zone> = OnceLock::new();

/// Sets the theatre's zone for this process, once, at start (later calls change nothing).
pub fn set_zone(zone: Zone) {
    let _ = ZONE.set(zone);
}

/// The theatre's zone: as set at start; the machine's otherwise (UTC in unit tests, which must
/// not depend on the machine they run on).
pub fn zone() -> Zone {
    *ZONE.get_or_init(|| if cfg!(test) { Zone::Named(chrono_tz::UTC) } else { Zone::Machine })
}

impl Zone {
    /// An IANA name ("Europe/London", "UTC"); empty means the machine's zone.
    pub fn parse(name: &str) -> Result<Zone> {
        let name = name.trim();
        if name.is_empty() {
            return Ok(Zone::Machine);
        }
        name.parse::<chrono_tz::Tz>().map(Zone::Named).map_err(|_| {
            invalid(format!("unknown time zone '{}': use an IANA name such as Europe/London", excerpt(name)))
        })
    }

    pub fn name(self) -> String {
        match self {
            Zone::Machine => "the machine's zone".into(),
            Zone::Named(tz) => tz.name().into(),
        }
    }

    /// What the theatre's clocks showed at instant `t`.
    pub fn to_local(self, t: &Time) -> NaiveDateTime {
        match self {
            Zone::Machine => chrono::Local.from_utc_datetime(t).naive_local(),
            Zone::Named(tz) => tz.from_utc_datetime(t).naive_local(),
        }
    }

    /// The instant the clocks show `local`: the first of two in the hour repeated when clocks go
    /// back; none in the hour skipped when they go forward.
    pub fn to_utc(self, local: &NaiveDateTime) -> Option<Time> {
        let first = |result: LocalResult<NaiveDateTime>| match result {
            LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t),
            LocalResult::None => None,
        };
        match self {
            Zone::Machine => first(chrono::Local.from_local_datetime(local).map(|t| t.naive_utc())),
            Zone::Named(tz) => first(tz.from_local_datetime(local).map(|t| t.naive_utc())),
        }
    }

    /// Like [`Zone::to_utc`], but a time in a skipped hour counts from the end of the gap (for
    /// midnights, which in a few zones are skipped).
    fn to_utc_lenient(self, local: &NaiveDateTime) -> Time {
        (0..=24).find_map(|minutes| self.to_utc(&(*local + Duration::minutes(minutes * 15)))).unwrap_or(*local)
    }
}

/// What the theatre's clocks showed at `t` (for screens: `local(&t).format("%H:%M")`).
pub fn local(t: &Time) -> NaiveDateTime {
    zone().to_local(t)
}

/// The instant the theatre's clocks show `local` (in a skipped hour: just after the gap), for
/// times the program makes up itself, like the demo's show times.
pub fn from_local(local: &NaiveDateTime) -> Time {
    zone().to_utc_lenient(local)
}

/// The real clock, now.
pub fn now() -> Time {
    chrono::Utc::now().naive_utc()
}

const MINUTE_FORMAT: &str = "%Y-%m-%d %H:%M";
const STORE_FORMAT: &str = "%Y-%m-%d %H:%M:%S";

/// The years a typed time may have. Four digits: the database keeps times as text, and text
/// sorts as time only while every year has four digits ("+10000-01-01" sorted before every other
/// date, so such a show hid the rest and its tickets expired at once). The range stops a year
/// short of each end so that what is worked out from a time (the next day, a hold, a month of
/// expiry grace) keeps four digits too, and never leaves what chrono can count (which panicked).
pub const YEARS: RangeInclusive<i32> = 1000..=9998;

/// Parses "YYYY-MM-DD HH:MM" (seconds and a 'T' separator are tolerated) as the theatre's
/// clocks show it, in [`zone`]. An offset after it ("+01:00", "Z") says which of two repeated
/// times is meant; without one the first is taken. A time the clocks skip is refused.
pub fn parse_time(text: &str) -> Result<Time> {
    parse_time_in(zone(), text)
}

/// [`parse_time`] in a given zone.
pub fn parse_time_in(zone: Zone, text: &str) -> Result<Time> {
    let t = text.trim().replacen('T', " ", 1);
    let bad = |why: &str| invalid(format!("invalid time '{}': {why}", excerpt(text)));
    if !starts_with_four_digit_year(&t) {
        return Err(bad("use \"YYYY-MM-DD HH:MM\""));
    }
    let (wall, offset) = split_offset(&t);
    let time = NaiveDateTime::parse_from_str(wall, MINUTE_FORMAT)
        .or_else(|_| NaiveDateTime::parse_from_str(wall, STORE_FORMAT))
        .map_err(|_| bad("use \"YYYY-MM-DD HH:MM\""))?;
    if !YEARS.contains(&time.year()) {
        return Err(bad(&years_rule()));
    }
    let utc = match offset {
        Some(text) => {
            let offset = parse_offset(text).ok_or_else(|| bad("an offset is +HH:MM, -HH:MM or Z"))?;
            offset.from_local_datetime(&time).single().map(|t| t.naive_utc())
        }
        None => zone.to_utc(&time),
    };
    utc.ok_or_else(|| bad(&format!("there is no such time in {} (the clocks go forward then)", zone.name())))
}

/// "2026-10-25 01:30+01:00" → ("2026-10-25 01:30", Some("+01:00")).
fn split_offset(t: &str) -> (&str, Option<&str>) {
    if let Some(wall) = t.strip_suffix('Z') {
        return (wall.trim_end(), Some("Z"));
    }
    // The date's own dashes are in the first 10 characters; a sign after the time is an offset.
    match t.get(10..).and_then(|rest| rest.find(['+', '-'])) {
        Some(i) => (t[..10 + i].trim_end(), Some(&t[10 + i..])),
        None => (t, None),
    }
}

fn parse_offset(text: &str) -> Option<FixedOffset> {
    if text == "Z" {
        return FixedOffset::east_opt(0);
    }
    let sign = match text.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = text[1..].chars().filter(|c| *c != ':').collect();
    if digits.len() != 4 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes): (i32, i32) = (digits[..2].parse().ok()?, digits[2..].parse().ok()?);
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
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

/// The first instant of `date` and of the next day on the theatre's clocks, for "on this day"
/// queries (23 or 25 hours apart across a daylight-saving change). Refuses a date outside
/// [`YEARS`], whose next day might not exist or not sort after it.
pub fn day_span(date: NaiveDate) -> Result<(Time, Time)> {
    if !YEARS.contains(&date.year()) {
        return Err(invalid(format!("invalid date '{date}': {}", years_rule())));
    }
    let midnight = date.and_time(chrono::NaiveTime::MIN);
    let zone = zone();
    Ok((zone.to_utc_lenient(&midnight), zone.to_utc_lenient(&(midnight + Duration::days(1)))))
}

/// When a theatre's show day ends by default, in hours after midnight: a show starting before
/// then belongs to the evening before on the schedule, as cinemas print their programmes.
pub const DAY_END_HOURS: u32 = 4;

static DAY_END: OnceLock<u32> = OnceLock::new();

/// Sets the hour the show day ends (`[theatre] day_end_hour`), once, at start.
pub fn set_day_end(hours: u32) {
    let _ = DAY_END.set(hours);
}

fn day_end() -> i64 {
    i64::from(*DAY_END.get_or_init(|| DAY_END_HOURS))
}

/// The shows of a schedule day: from `DAY_END_HOURS` on `date` to the same hour the next day.
pub fn show_day_span(date: NaiveDate) -> Result<(Time, Time)> {
    day_span(date)?; // refuses a date outside YEARS
    let end = Duration::hours(day_end());
    let midnight = date.and_time(chrono::NaiveTime::MIN);
    let zone = zone();
    Ok((zone.to_utc_lenient(&(midnight + end)), zone.to_utc_lenient(&(midnight + Duration::days(1) + end))))
}

/// The schedule day a show starting at `start` is on (see [`DAY_END_HOURS`]).
pub fn show_day(start: &Time) -> NaiveDate {
    (local(start) - Duration::hours(day_end())).date()
}

/// "YYYY-MM-DD HH:MM" as the theatre's clocks show it, the form every command prints.
pub fn format_time(t: &Time) -> String {
    local(t).format(MINUTE_FORMAT).to_string()
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

    fn london() -> Zone {
        Zone::parse("Europe/London").expect("zone")
    }

    fn utc(text: &str) -> Time {
        NaiveDateTime::parse_from_str(text, MINUTE_FORMAT).expect("utc")
    }

    #[test]
    fn typed_times_are_the_theatre_s_clocks_kept_as_instants() {
        // November: London is on UTC; July: an hour ahead.
        assert_eq!(parse_time_in(london(), "2026-11-23 20:00"), Ok(utc("2026-11-23 20:00")));
        assert_eq!(parse_time_in(london(), "2026-07-01 20:00"), Ok(utc("2026-07-01 19:00")));
        assert_eq!(london().to_local(&utc("2026-07-01 19:00")), utc("2026-07-01 20:00"));
        assert_eq!(Zone::parse(""), Ok(Zone::Machine));
        assert!(Zone::parse("Mars/Olympus").is_err());
    }

    #[test]
    fn a_time_the_clocks_skip_is_refused_and_a_repeated_one_is_the_first_unless_an_offset_says() {
        // 28 March 2027: London's clocks go from 01:00 to 02:00.
        let gap = parse_time_in(london(), "2027-03-28 01:30").expect_err("skipped").to_string();
        assert!(gap.contains("no such time in Europe/London (the clocks go forward then)"), "{gap}");
        // 25 October 2026: from 02:00 BST back to 01:00 GMT, so 01:30 happens twice.
        assert_eq!(parse_time_in(london(), "2026-10-25 01:30"), Ok(utc("2026-10-25 00:30")), "the first");
        assert_eq!(parse_time_in(london(), "2026-10-25 01:30+00:00"), Ok(utc("2026-10-25 01:30")), "the second");
        assert_eq!(parse_time_in(london(), "2026-10-25 01:30+01:00"), Ok(utc("2026-10-25 00:30")));
        assert_eq!(parse_time_in(london(), "2026-10-25 01:30Z"), Ok(utc("2026-10-25 01:30")));
        assert!(parse_time_in(london(), "2026-10-25 01:30+25:00").is_err());
    }

    #[test]
    fn a_show_across_the_change_has_its_true_length() {
        // 00:30 to 02:30 on the night the clocks go back: three hours, not two.
        let start = parse_time_in(london(), "2026-10-25 00:30").expect("start");
        let end = parse_time_in(london(), "2026-10-25 02:30").expect("end");
        assert_eq!(end - start, Duration::hours(3));
        // And the night they go forward: 00:30 to 02:30 is one hour.
        let start = parse_time_in(london(), "2027-03-28 00:30").expect("start");
        let end = parse_time_in(london(), "2027-03-28 02:30").expect("end");
        assert_eq!(end - start, Duration::hours(1));
    }
}
