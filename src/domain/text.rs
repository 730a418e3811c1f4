//! Checks on free text that people type (names, phones, titles): trimmed, bounded, and free of
//! characters that would garble a terminal or a printed ticket, or make a name show as something
//! else. Anything else, quotes and SQL-looking text included, is kept verbatim. Also how a
//! message quotes what was typed.

use std::borrow::Cow;

use super::error::{Result, invalid};

/// Trims `value` and refuses it when empty, longer than `max` characters, or holding control
/// characters or [`is_deceptive`] ones. `field` names it in the message.
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
    if let Some(c) = v.chars().find(|c| is_deceptive(*c)) {
        return Err(invalid(format!(
            "{field} contains an invisible or direction-changing character (U+{:04X}); remove it",
            u32::from(c)
        )));
    }
    Ok(v.to_string())
}

/// Characters that change how the text around them is shown without showing themselves: bidi
/// overrides, embeddings, isolates and marks (U+202E between "Avatar" and "4pm.exe" shows the rest backwards),
/// zero-width spaces and joiners (two names that look alike but are not), and the line and
/// paragraph separators (a break that `char::is_control` does not see).
///
/// Refusing U+200C and U+200D also refuses the few names that need them (Persian and Indic
/// spellings, emoji sequences); a theatre's names and titles are typed, not pasted, and a name
/// that cannot spoof the screen is worth more here.
pub fn is_deceptive(c: char) -> bool {
    matches!(
        c,
        '\u{061c}' // Arabic letter mark
            | '\u{200b}'..='\u{200f}' // zero-width space, non-joiner, joiner; left-to-right and right-to-left marks
            | '\u{2028}' | '\u{2029}' // line and paragraph separators
            | '\u{202a}'..='\u{202e}' // bidi embeddings and overrides
            | '\u{2060}' // word joiner
            | '\u{2066}'..='\u{2069}' // bidi isolates
            | '\u{feff}' // zero-width no-break space (a byte-order mark inside text)
    )
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

/// The most characters of a typed value that a message quotes: enough to recognise it, where a
/// whole 120 KB argument would make a 120 KB error line.
pub const EXCERPT_CHARS: usize = 80;

/// `value` as a message quotes it: its first [`EXCERPT_CHARS`] characters, and '…' when it goes
/// on. (Control and deceptive characters are escaped where the message is printed.)
pub fn excerpt(value: &str) -> Cow<'_, str> {
    match value.char_indices().nth(EXCERPT_CHARS) {
        None => Cow::Borrowed(value),
        Some((cut, _)) => Cow::Owned(format!("{}…", &value[..cut])),
    }
}

/// Text as a search compares it: lower case, accents dropped ("Zoë" → "zoe").
pub fn fold(text: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    use unicode_normalization::char::is_combining_mark;
    text.nfd().filter(|c| !is_combining_mark(*c)).flat_map(char::to_lowercase).collect()
}

/// What a cashier typed to find a customer, prepared once for a search over many of them.
pub struct CustomerSearch {
    folded: String,
    digits: String,
}

impl CustomerSearch {
    pub fn new(query: &str) -> CustomerSearch {
        CustomerSearch { folded: fold(query.trim()), digits: query.chars().filter(char::is_ascii_digit).collect() }
    }

    /// Whether a customer is the one typed: part of the name (any case, accents ignored), or,
    /// for three digits or more, part of the phone number (spaces and signs ignored).
    pub fn matches(&self, name: Option<&str>, phone: Option<&str>) -> bool {
        if !self.folded.is_empty() && name.is_some_and(|n| contains_folded(n, &self.folded)) {
            return true;
        }
        self.digits.len() >= 3 && phone.is_some_and(|p| contains_digits(p, &self.digits))
    }
}

/// `text` folded contains `folded`; ASCII names (most) without allocating.
fn contains_folded(text: &str, folded: &str) -> bool {
    if text.is_ascii() && folded.is_ascii() {
        let (hay, needle) = (text.as_bytes(), folded.as_bytes());
        return needle.len() <= hay.len() && hay.windows(needle.len()).any(|w| w.eq_ignore_ascii_case(needle));
    }
    fold(text).contains(folded)
}

/// The digits of `phone` (spaces and signs dropped) contain `digits`.
fn contains_digits(phone: &str, digits: &str) -> bool {
    let mut buffer = [0u8; 64];
    let mut n = 0;
    for b in phone.bytes().filter(u8::is_ascii_digit) {
        if n == buffer.len() {
            return phone.chars().filter(char::is_ascii_digit).collect::<String>().contains(digits);
        }
        buffer[n] = b;
        n += 1;
    }
    let needle = digits.as_bytes();
    needle.len() <= n && buffer[..n].windows(needle.len()).any(|w| w == needle)
}

/// Whether a customer is the one a cashier typed (see [`CustomerSearch::matches`]).
pub fn customer_matches(query: &str, name: Option<&str>, phone: Option<&str>) -> bool {
    CustomerSearch::new(query).matches(name, phone)
}

/// How many terminal columns `text` takes: two for a CJK character or most emoji.
pub fn columns(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// `text` in exactly `width` columns: cut with "…" when longer, padded with spaces when
/// shorter, so that tables line up whatever the script.
pub fn fit(text: &str, width: usize) -> String {
    use unicode_width::UnicodeWidthChar;
    if columns(text) <= width {
        return format!("{text}{}", " ".repeat(width - columns(text)));
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w + 1 > width {
            break;
        }
        out.push(c);
        used += w;
    }
    out.push('…');
    used += 1;
    format!("{out}{}", " ".repeat(width.saturating_sub(used)))
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
        assert_eq!(
            clean("name", "אבא 🎭 عربى", 100).as_deref(),
            Ok("אבא 🎭 عربى"),
            "right-to-left text itself is fine"
        );
    }

    #[test]
    fn refuses_empty_long_and_control() {
        assert!(clean("name", "  ", 100).is_err());
        assert!(clean("name", &"x".repeat(101), 100).is_err());
        assert!(clean("name", "a\u{1b}[31m", 100).is_err());
        assert!(clean_phone(Some("12ab")).is_err());
        assert_eq!(clean_phone(Some("")), Ok(None));
    }

    #[test]
    fn refuses_bidi_zero_width_and_separators() {
        let deceptive = [
            '\u{061c}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{200e}', '\u{200f}', '\u{2028}', '\u{2029}', '\u{202a}',
            '\u{202b}', '\u{202c}', '\u{202d}', '\u{202e}', '\u{2060}', '\u{2066}', '\u{2067}', '\u{2068}', '\u{2069}',
            '\u{feff}',
        ];
        for c in deceptive {
            let err = clean("name", &format!("Ava{c}tar"), 100).expect_err("deceptive");
            assert_eq!(
                err.to_string(),
                format!(
                    "name contains an invisible or direction-changing character (U+{:04X}); remove it",
                    u32::from(c)
                )
            );
            // At either end they are trimmed when they are whitespace (the separators), and
            // refused when not.
            let front = clean("title", &format!("{c}Avatar"), 100);
            let behind = clean_optional("genre", Some(&format!("Drama{c}")), 30);
            if c.is_whitespace() {
                assert_eq!((front.as_deref(), behind), (Ok("Avatar"), Ok(Some("Drama".into()))), "{c:?}");
            } else {
                assert!(front.is_err() && behind.is_err(), "{c:?}");
            }
        }
        for harmless in ['—', '’', '«', '\u{2070}', 'ﻻ'] {
            assert!(!is_deceptive(harmless), "{harmless:?}");
        }
    }

    #[test]
    fn excerpts_cut_long_values() {
        assert_eq!(excerpt("A5"), "A5");
        let exact = "é".repeat(EXCERPT_CHARS);
        assert_eq!(excerpt(&exact), exact);
        let long = "é".repeat(120 * 1024);
        assert_eq!(excerpt(&long), format!("{}…", "é".repeat(EXCERPT_CHARS)));
    }

    #[test]
    fn customers_are_found_by_part_of_the_name_or_the_phone() {
        assert_eq!(fold("Zoë ÅNGSTRÖM"), "zoe angstrom");
        assert!(customer_matches("zoe", Some("Zoë Lee"), None));
        assert!(customer_matches("LEE", Some("Zoë Lee"), None));
        assert!(customer_matches("0301", None, Some("+49 (0)30 1234")));
        assert!(!customer_matches("03", None, Some("+49 (0)30 1234")), "two digits match too much");
        assert!(!customer_matches("ann", Some("Zoë Lee"), Some("0301")));
        assert!(customer_matches("lee", Some("ANN LEE"), None), "ASCII without folding");
        assert!(customer_matches("Zoë", Some("ZOE LEE"), None));
        assert!(!customer_matches("a long name", Some("a lon"), None));
    }

    #[test]
    fn wide_text_fits_its_columns() {
        assert_eq!(columns("王家卫"), 6);
        assert_eq!(fit("王家卫", 8), "王家卫  ");
        assert_eq!(fit("千と千尋の神隠し", 7), "千と千…");
        assert_eq!(columns(&fit("千と千尋の神隠し", 8)), 8);
        assert_eq!(fit("Avatar", 4), "Ava…");
    }
}
