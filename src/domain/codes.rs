//! Short codes a cashier can read out and type: `TKT-7F3K9Q`, `BKG-2M8D4A`. Random, drawn from
//! Crockford's alphabet (no I, L, O, U to misread); the database's unique index catches the rare
//! collision, and the store draws again instead of overwriting (the seed's six-digit ids did).

/// Prefix of ticket codes.
pub const TICKET_PREFIX: &str = "TKT";
/// Prefix of booking (sale) codes.
pub const BOOKING_PREFIX: &str = "BKG";

const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const CODE_LEN: usize = 6;

/// A fresh random code such as `TKT-7F3K9Q`.
pub fn new_code(prefix: &str) -> String {
    let bytes = uuid::Uuid::new_v4().into_bytes();
    let body: String = bytes[..CODE_LEN].iter().map(|b| char::from(ALPHABET[usize::from(b % 32)])).collect();
    format!("{prefix}-{body}")
}

/// The `n`-th code of a reproducible sequence (bulk-generated data): a bijection on the 2^30
/// six-character codes, so a sequence never repeats itself.
pub fn sequence_code(prefix: &str, n: u64, seed: u64) -> String {
    let space = 1u64 << (5 * CODE_LEN);
    // An odd multiplier is invertible modulo a power of two, so distinct n give distinct codes.
    let mut x = (n.wrapping_mul(0x2545_F491) ^ seed.wrapping_mul(0x9E37_79B9)) % space;
    let mut body = [0u8; CODE_LEN];
    for c in body.iter_mut().rev() {
        *c = ALPHABET[(x % 32) as usize];
        x /= 32;
    }
    format!("{prefix}-{}", String::from_utf8_lossy(&body))
}

/// What the cashier typed, tidied: upper case, spaces dropped, the dash restored
/// ("tkt7f3k9q" → "TKT-7F3K9Q"). A bare six-character body is returned as it is.
pub fn normalize_code(text: &str) -> String {
    let t: String = text.chars().filter(|c| !c.is_whitespace()).collect::<String>().to_ascii_uppercase();
    for prefix in [TICKET_PREFIX, BOOKING_PREFIX] {
        if let Some(rest) = t.strip_prefix(prefix) {
            return format!("{prefix}-{}", rest.trim_start_matches('-'));
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_short_and_typable() {
        let code = new_code(TICKET_PREFIX);
        assert_eq!(code.len(), 10);
        assert!(code.starts_with("TKT-"));
        assert!(code[4..].chars().all(|c| ALPHABET.contains(&(c as u8))));
    }

    #[test]
    fn sequence_codes_do_not_repeat() {
        let codes: std::collections::HashSet<String> = (0..50_000).map(|n| sequence_code("TKT", n, 7)).collect();
        assert_eq!(codes.len(), 50_000);
        assert_eq!(sequence_code("TKT", 3, 7), sequence_code("TKT", 3, 7));
    }

    #[test]
    fn normalizes_what_was_typed() {
        assert_eq!(normalize_code(" tkt7f3k9q "), "TKT-7F3K9Q");
        assert_eq!(normalize_code("bkg-2m8d4a"), "BKG-2M8D4A");
        assert_eq!(normalize_code("7f3k9q"), "7F3K9Q");
    }
}
