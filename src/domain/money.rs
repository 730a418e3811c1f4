//! Money in integer minor units (cents): parsed from what people type ("12.50", "18"),
//! printed with two decimals. Never a float.

use super::error::{Result, invalid};
use super::text::excerpt;

/// An amount in minor units (1250 is 12.50). Signed so that differences can be expressed.
pub type Cents = i64;

/// The largest price we accept for one seat, to keep totals far from overflow.
const MAX_AMOUNT: Cents = 100_000_000;

/// Parses "12.50", "12.5", "18" or "0.99" into minor units. Rejects negatives, more than two
/// decimals, and anything that is not a plain number.
/// An amount a cashier types at the counter: as [`parse_amount`], a currency symbol in front
/// allowed ("£20").
pub fn parse_typed_amount(text: &str) -> Result<Cents> {
    parse_amount(text.trim().trim_start_matches(['£', '€', '$']).trim_start())
}

pub fn parse_amount(text: &str) -> Result<Cents> {
    let t = text.trim();
    let bad = || invalid(format!("invalid amount '{}': write it like 12.50 or 18", excerpt(text)));
    let (whole, frac) = match t.split_once('.') {
        Some((w, f)) => (w, f),
        None => (t, ""),
    };
    if whole.is_empty() && frac.is_empty() {
        return Err(bad());
    }
    if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
        return Err(bad());
    }
    if frac.len() > 2 || whole.len() > 9 {
        return Err(bad());
    }
    let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| bad())? };
    let frac: i64 = match frac.len() {
        0 => 0,
        1 => frac.parse::<i64>().map_err(|_| bad())? * 10,
        _ => frac.parse().map_err(|_| bad())?,
    };
    let cents = whole * 100 + frac;
    if cents > MAX_AMOUNT {
        return Err(invalid(format!("amount '{text}' is too large")));
    }
    Ok(cents)
}

/// Formats minor units as "12.50" (and "-3.00" for negatives).
pub fn format_amount(cents: Cents) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    format!("{sign}{}.{:02}", abs / 100, abs % 100)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_people_type() {
        assert_eq!(parse_amount("12.50"), Ok(1250));
        assert_eq!(parse_amount("12.5"), Ok(1250));
        assert_eq!(parse_amount("18"), Ok(1800));
        assert_eq!(parse_amount("0.99"), Ok(99));
        assert_eq!(parse_amount(".5"), Ok(50));
        assert_eq!(parse_amount(" 7 "), Ok(700));
    }

    #[test]
    fn rejects_nonsense() {
        for bad in ["", ".", "-1", "1.234", "abc", "1e3", "12,50", "9999999999", "1.2.3"] {
            assert!(parse_amount(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn formats_two_decimals() {
        assert_eq!(format_amount(1250), "12.50");
        assert_eq!(format_amount(5), "0.05");
        assert_eq!(format_amount(-300), "-3.00");
    }
}
