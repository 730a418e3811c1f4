//! Checks on free text that people type (names, phones, titles): trimmed, bounded, and free of
//! control characters that would garble a terminal or a printed ticket. Anything else, quotes
//! and SQL-looking text included, is kept verbatim.

use super::error::{Result, invalid};

/// Trims `value` and refuses it when empty, longer than `max` characters, or holding control
/// characters. `field` names it in the message.
pub fn clean(field: &str, value: &str, max: usize) -> Result<String> {
    let v = value.trim();
    if v.is_empty() {
        return Err(invalid(format!("{field} must not be empty")));
    }
    if v.chars().count() > max {
        return Err(invalid(format!("{field} is longer than {max} characters")));
    }
    if v.chars().any(char::is_control) {
        return Err(invalid(format!("{field} contains a control character")));
    }
    Ok(v.to_string())
}

/// Like [`clean`], but an empty or missing value is `None`.
pub fn clean_optional(field: &str, value: Option<&str>, max: usize) -> Result<Option<String>> {
    match value.map(str::trim) {
        None | Some("") => Ok(None),
        Some(v) => clean(field, v, max).map(Some),
    }
}

/// A phone number: digits, spaces and `+-()`, at most 20 characters.
pub fn clean_phone(value: Option<&str>) -> Result<Option<String>> {
    let phone = clean_optional("phone", value, 20)?;
    if let Some(p) = &phone
        && !p.chars().all(|c| c.is_ascii_digit() || " +-()".contains(c))
    {
        return Err(invalid(format!("invalid phone '{p}': digits, spaces and + - ( ) only")));
    }
    Ok(phone)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_odd_but_harmless_text() {
        assert_eq!(
            clean("name", " Robert'); DROP TABLE ticket;-- ", 100).as_deref(),
            Ok("Robert'); DROP TABLE ticket;--")
        );
        assert_eq!(clean("name", "Zoë 王", 100).as_deref(), Ok("Zoë 王"));
    }

    #[test]
    fn refuses_empty_long_and_control() {
        assert!(clean("name", "  ", 100).is_err());
        assert!(clean("name", &"x".repeat(101), 100).is_err());
        assert!(clean("name", "a\u{1b}[31m", 100).is_err());
        assert!(clean_phone(Some("12ab")).is_err());
        assert_eq!(clean_phone(Some("")), Ok(None));
    }
}
