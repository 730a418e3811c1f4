//! Hall seat layouts: rows of seats with categories and gaps for aisles. A layout is written
//! as text, one row a line (`A: RRRR.RRRRRR.RRRR`), or generated from rows × seats.

use std::fmt;

use super::error::{Result, invalid};
use super::text::excerpt;

/// The kind of seat, which decides its price.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Regular,
    Premium,
    Accessible,
    Vip,
}

impl Category {
    pub const ALL: [Category; 4] = [Category::Regular, Category::Premium, Category::Accessible, Category::Vip];

    pub fn name(self) -> &'static str {
        match self {
            Category::Regular => "Regular",
            Category::Premium => "Premium",
            Category::Accessible => "Accessible",
            Category::Vip => "VIP",
        }
    }

    /// The one-letter code used in layout files.
    pub fn code(self) -> char {
        match self {
            Category::Regular => 'R',
            Category::Premium => 'P',
            Category::Accessible => 'A',
            Category::Vip => 'V',
        }
    }

    fn from_code(c: char) -> Option<Category> {
        Category::ALL.into_iter().find(|cat| cat.code() == c.to_ascii_uppercase())
    }

    /// Parses a category name, case-insensitively ("premium", "VIP").
    pub fn parse(text: &str) -> Result<Category> {
        Category::ALL.into_iter().find(|c| c.name().eq_ignore_ascii_case(text.trim())).ok_or_else(|| {
            invalid(format!("unknown seat category '{}': use Regular, Premium, Accessible or VIP", excerpt(text)))
        })
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One seat as the layout places it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeatSpec {
    pub row_label: String,
    /// Seat number within the row, counted from 1 on the left, skipping gaps.
    pub number: u32,
    pub category: Category,
    /// Position on the drawn grid (line and column of the layout), so aisles stay where they are.
    pub grid_row: u32,
    pub grid_col: u32,
}

/// A parsed, validated hall layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HallLayout {
    rows: Vec<LayoutRow>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct LayoutRow {
    /// Empty for a walkway line (no seats).
    label: String,
    cells: Vec<Option<Category>>,
}

const MAX_ROWS: usize = 60;
const MAX_ROW_WIDTH: usize = 120;
const MAX_SEATS: usize = 5_000;

impl HallLayout {
    /// Parses layout text: `LABEL: CELLS` per row, `R`/`P`/`A`/`V` for a seat of that category,
    /// `.` for a gap; a line `-` is a walkway between rows; `#` starts a comment. A byte-order
    /// mark at the start (editors on Windows save one) is skipped.
    pub fn parse(text: &str) -> Result<HallLayout> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut rows = Vec::new();
        for (index, raw) in text.lines().enumerate() {
            let line_no = index + 1;
            let line = raw.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            if line == "-" {
                rows.push(LayoutRow { label: String::new(), cells: Vec::new() });
                continue;
            }
            let (label, cells) = line.split_once(':').ok_or_else(|| {
                invalid(format!(
                    "layout line {line_no}: expected 'ROW: SEATS' such as 'A: RRRR.RRRR', got '{}'",
                    excerpt(line)
                ))
            })?;
            let label = label.trim().to_ascii_uppercase();
            if label.is_empty() || label.len() > 2 || !label.chars().all(|c| c.is_ascii_alphabetic()) {
                return Err(invalid(format!(
                    "layout line {line_no}: row label '{}' must be 1 or 2 letters",
                    excerpt(&label)
                )));
            }
            let mut parsed = Vec::new();
            for c in cells.trim().chars() {
                match c {
                    '.' | '_' | ' ' => parsed.push(None),
                    _ => parsed.push(Some(Category::from_code(c).ok_or_else(|| {
                        invalid(format!(
                            "layout line {line_no}: unknown seat code '{c}' (use R, P, A, V, or . for a gap)"
                        ))
                    })?)),
                }
            }
            rows.push(LayoutRow { label, cells: parsed });
        }
        HallLayout::validated(rows)
    }

    /// A plain rectangular hall: `rows` rows lettered from A, `seats` seats each, the rows named
    /// in `premium_rows` priced as Premium.
    pub fn generate(rows: u32, seats: u32, premium_rows: &[String]) -> Result<HallLayout> {
        if rows == 0 || rows as usize > MAX_ROWS {
            return Err(invalid(format!("--rows must be 1 to {MAX_ROWS}, got {rows}")));
        }
        if seats == 0 || seats as usize > MAX_ROW_WIDTH {
            return Err(invalid(format!("--seats must be 1 to {MAX_ROW_WIDTH}, got {seats}")));
        }
        let labels: Vec<String> = (0..rows).map(row_label).collect();
        let premium: Vec<String> = premium_rows.iter().map(|r| r.trim().to_ascii_uppercase()).collect();
        if let Some(unknown) = premium.iter().find(|p| !labels.contains(p)) {
            return Err(invalid(format!(
                "--premium-rows names row '{}', which a {rows}-row hall does not have",
                excerpt(unknown)
            )));
        }
        let rows = labels
            .into_iter()
            .map(|label| {
                let cat = if premium.contains(&label) { Category::Premium } else { Category::Regular };
                LayoutRow { label, cells: vec![Some(cat); seats as usize] }
            })
            .collect();
        HallLayout::validated(rows)
    }

    fn validated(rows: Vec<LayoutRow>) -> Result<HallLayout> {
        let seated: Vec<&LayoutRow> = rows.iter().filter(|r| !r.label.is_empty()).collect();
        if seated.is_empty() {
            return Err(invalid("layout has no rows of seats"));
        }
        if rows.len() > MAX_ROWS {
            return Err(invalid(format!("layout has {} rows; at most {MAX_ROWS}", rows.len())));
        }
        for (i, row) in seated.iter().enumerate() {
            if row.cells.len() > MAX_ROW_WIDTH {
                return Err(invalid(format!("layout row '{}' is wider than {MAX_ROW_WIDTH} places", row.label)));
            }
            if row.cells.iter().all(Option::is_none) {
                return Err(invalid(format!("layout row '{}' has no seats", row.label)));
            }
            if seated[..i].iter().any(|other| other.label == row.label) {
                return Err(invalid(format!("layout names row '{}' twice", row.label)));
            }
        }
        let layout = HallLayout { rows };
        if layout.seats().len() > MAX_SEATS {
            return Err(invalid(format!("layout has more than {MAX_SEATS} seats")));
        }
        Ok(layout)
    }

    /// Every seat, front row first, left to right.
    pub fn seats(&self) -> Vec<SeatSpec> {
        let mut seats = Vec::new();
        for (grid_row, row) in self.rows.iter().enumerate() {
            let mut number = 0;
            for (grid_col, cell) in row.cells.iter().enumerate() {
                if let Some(category) = cell {
                    number += 1;
                    seats.push(SeatSpec {
                        row_label: row.label.clone(),
                        number,
                        category: *category,
                        grid_row: grid_row as u32,
                        grid_col: grid_col as u32,
                    });
                }
            }
        }
        seats
    }

    /// The canonical text form, which `parse` reads back unchanged.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        for row in &self.rows {
            if row.label.is_empty() {
                out.push_str("-\n");
                continue;
            }
            out.push_str(&row.label);
            out.push_str(": ");
            out.extend(row.cells.iter().map(|c| c.map_or('.', Category::code)));
            out.push('\n');
        }
        out
    }
}

/// Row labels A..Z without I, then AA, AB, … for very deep halls.
pub fn row_label(index: u32) -> String {
    // As the demo halls are lettered: no I, which reads as 1 on a ticket.
    const LETTERS: &[u8; 25] = b"ABCDEFGHJKLMNOPQRSTUVWXYZ";
    let n = LETTERS.len() as u32;
    let letter = |i: u32| char::from(LETTERS[(i % n) as usize]);
    if index < n { letter(index).to_string() } else { format!("{}{}", letter(index / n - 1), letter(index)) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_gaps_and_categories() {
        let layout = HallLayout::parse("# front\nA: RR.RR\n-\nB: PA.VP\n").expect("valid");
        let seats = layout.seats();
        assert_eq!(seats.len(), 8);
        assert_eq!(seats[2].row_label, "A");
        assert_eq!(seats[2].number, 3);
        assert_eq!(seats[2].grid_col, 3, "the aisle keeps its column");
        assert_eq!(seats[5].category, Category::Accessible);
        assert_eq!(seats[5].grid_row, 2, "the walkway keeps its line");
        assert_eq!(HallLayout::parse(&layout.to_text()), Ok(layout));
    }

    #[test]
    fn skips_a_byte_order_mark_at_the_start_only() {
        let layout = HallLayout::parse("\u{feff}A: RR\nB: PP\n").expect("valid");
        assert_eq!(layout.to_text(), "A: RR\nB: PP\n");
        assert!(HallLayout::parse("A: RR\n\u{feff}B: PP\n").is_err(), "inside, it is not a label");
    }

    #[test]
    fn quotes_at_most_a_line_of_a_bad_layout() {
        let long = "9".repeat(120 * 1024);
        for text in [format!("A {long}"), format!("{long}: RR"), format!("A: RR{long}")] {
            let err = HallLayout::parse(&text).expect_err("invalid").to_string();
            assert!(err.len() < 200, "{} bytes", err.len());
        }
        assert!(HallLayout::generate(2, 2, &[long]).expect_err("unknown row").to_string().len() < 200);
        assert!(Category::parse(&"x".repeat(10_000)).expect_err("unknown").to_string().len() < 200);
    }

    #[test]
    fn rejects_malformed_layouts() {
        for bad in ["", "A RRRR", "A: RRXR", "A: ...", "A: RR\nA: RR", "ABC: RR", "A1: RR", "-\n-", ": RR"] {
            assert!(HallLayout::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn generates_rectangles_with_premium_rows() {
        let layout = HallLayout::generate(3, 4, &["c".into()]).expect("valid");
        let seats = layout.seats();
        assert_eq!(seats.len(), 12);
        assert!(seats.iter().filter(|s| s.row_label == "C").all(|s| s.category == Category::Premium));
        assert!(HallLayout::generate(3, 4, &["Z".into()]).is_err());
        assert!(HallLayout::generate(0, 4, &[]).is_err());
    }

    #[test]
    fn labels_skip_i_and_go_on_past_z() {
        assert_eq!(row_label(0), "A");
        assert_eq!((row_label(7), row_label(8)), ("H".into(), "J".into()), "no row I");
        assert_eq!(row_label(24), "Z");
        assert_eq!(row_label(25), "AA");
        assert_eq!(row_label(26), "AB");
        assert_eq!((row_label(32), row_label(33)), ("AH".into(), "AJ".into()));
    }
}
