//! Tickets for the counter printer: the theatre, the show, the seat, the price and the code,
//! with a QR code of the ticket code for the door scanner. As text (the QR drawn with Unicode
//! half blocks, dark modules as ink) or as an SVG page.

use qrcode::{Color, EcLevel, QrCode};

use crate::domain::model::TicketDetails;
use crate::domain::money::format_amount;
use crate::domain::text::columns;
use crate::domain::time::format_time;

/// Who is printing: the theatre's name and city, and the currency symbol.
#[derive(Debug, Clone, Copy)]
pub struct Letterhead<'a> {
    pub theatre: &'a str,
    pub city: &'a str,
    pub symbol: &'a str,
}

/// The QR code of `data` as rows of modules (true = dark), with the standard 4-module quiet zone.
pub fn qr_modules(data: &str) -> Vec<Vec<bool>> {
    let Ok(code) = QrCode::with_error_correction_level(data, EcLevel::M) else { return Vec::new() };
    let width = code.width();
    let colors = code.to_colors();
    let quiet = 4;
    let size = width + 2 * quiet;
    (0..size)
        .map(|y| {
            (0..size)
                .map(|x| {
                    let inside = (quiet..quiet + width).contains(&x) && (quiet..quiet + width).contains(&y);
                    inside && colors[(y - quiet) * width + (x - quiet)] == Color::Dark
                })
                .collect()
        })
        .collect()
}

/// The QR code as text, two module rows per line: '█' both dark, '▀' top, '▄' bottom.
pub fn qr_text(data: &str) -> Vec<String> {
    let modules = qr_modules(data);
    modules
        .chunks(2)
        .map(|pair| {
            let top = &pair[0];
            let bottom = pair.get(1);
            top.iter()
                .enumerate()
                .map(|(x, &t)| match (t, bottom.is_some_and(|b| b[x])) {
                    (true, true) => '█',
                    (true, false) => '▀',
                    (false, true) => '▄',
                    (false, false) => ' ',
                })
                .collect()
        })
        .collect()
}

/// The lines printed beside the QR code.
fn ticket_lines(t: &TicketDetails, head: Letterhead) -> Vec<String> {
    let (row, number) = split_seat(&t.seat);
    let mut lines = vec![head.theatre.to_string()];
    if !head.city.is_empty() {
        lines.push(head.city.to_string());
    }
    lines.extend([
        String::new(),
        t.slot.name.clone(),
        format!("{} · {}", t.slot.hall, format_time(&t.slot.start)),
        format!("Row {row}  Seat {number}  ({})", t.category),
        format!("Price {}{}", head.symbol, format_amount(t.price)),
        String::new(),
        t.code.clone(),
        format!("Booking {}", t.booking),
    ]);
    if t.status != crate::domain::model::TicketStatus::Booked {
        lines.push(format!("NOT VALID: {}", t.status.name().to_uppercase()));
    }
    lines
}

/// The ticket as text: a box with the details on the left and the QR code on the right.
pub fn ticket_text(t: &TicketDetails, head: Letterhead) -> String {
    let qr = qr_text(&t.code);
    let text = ticket_lines(t, head);
    // Display columns, not characters: a wide (CJK) title must not push the QR code aside.
    let text_width = text.iter().map(|l| columns(l)).max().unwrap_or(0).max(30);
    let qr_width = qr.first().map_or(0, |l| l.chars().count());
    let height = qr.len().max(text.len());
    let mut out = format!("┌{}┐\n", "─".repeat(text_width + qr_width + 3));
    for i in 0..height {
        let left = text.get(i).map_or("", String::as_str);
        let right = qr.get(i).map_or(String::new(), Clone::clone);
        let pad = text_width - columns(left);
        out.push_str(&format!("│ {left}{} {right:<qr_width$} │\n", " ".repeat(pad)));
    }
    out.push_str(&format!("└{}┘\n", "─".repeat(text_width + qr_width + 3)));
    out
}

/// The ticket as an SVG page (for a file, a browser, or a label printer's driver).
pub fn ticket_svg(t: &TicketDetails, head: Letterhead) -> String {
    let modules = qr_modules(&t.code);
    let scale = 4;
    let qr_size = modules.len() * scale;
    let lines = ticket_lines(t, head);
    let width = 360 + qr_size;
    let height = (lines.len() * 22 + 30).max(qr_size + 20);
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\">\n\
         <rect width=\"100%\" height=\"100%\" fill=\"white\" stroke=\"black\"/>\n"
    );
    for (i, line) in lines.iter().enumerate() {
        let weight = if i == 0 || line == &t.slot.name { " font-weight=\"bold\"" } else { "" };
        svg.push_str(&format!(
            "<text x=\"16\" y=\"{}\" font-family=\"sans-serif\" font-size=\"16\"{weight}>{}</text>\n",
            28 + i * 22,
            escape(line)
        ));
    }
    let (ox, oy) = (width - qr_size - 10, 10);
    svg.push_str("<g fill=\"black\">\n");
    for (y, row) in modules.iter().enumerate() {
        for (x, dark) in row.iter().enumerate() {
            if *dark {
                svg.push_str(&format!(
                    "<rect x=\"{}\" y=\"{}\" width=\"{scale}\" height=\"{scale}\"/>",
                    ox + x * scale,
                    oy + y * scale
                ));
            }
        }
    }
    svg.push_str("\n</g>\n</svg>\n");
    svg
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn split_seat(seat: &str) -> (&str, &str) {
    let at = seat.find(|c: char| c.is_ascii_digit()).unwrap_or(seat.len());
    seat.split_at(at)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::layout::Category;
    use crate::domain::model::{Customer, PaymentMethod, Slot, TicketStatus};
    use crate::domain::time::parse_time;

    fn ticket() -> TicketDetails {
        let t = |s| parse_time(s).expect("time");
        TicketDetails {
            code: "TKT-7F3K9Q".into(),
            booking: "BKG-2M8D4A".into(),
            status: TicketStatus::Booked,
            seat: "H12".into(),
            category: Category::Premium,
            ticket_type: "Child".into(),
            price: 1250,
            slot: Slot {
                id: 7,
                name: "Starfall".into(),
                description: String::new(),
                kind: "Movie".into(),
                genre: "Sci-Fi".into(),
                hall: "The Grand".into(),
                start: t("2026-11-23 20:00"),
                end: t("2026-11-23 22:22"),
                prices: vec![],
                card: None,
                default_type: "Adult".into(),
                type_prices: vec![],
            },
            customer: Customer { name: Some("Ada".into()), phone: None },
            payment: PaymentMethod::Card,
            operator: "till1".into(),
            created: t("2026-11-23 12:00"),
            changed: t("2026-11-23 12:00"),
            replaces: None,
            checked_in: None,
            replaced_by: None,
        }
    }

    const HEAD: Letterhead = Letterhead { theatre: "Ticketly Picturehouse", city: "Leeds", symbol: "£" };

    #[test]
    fn printed_ticket() {
        insta::assert_snapshot!("printed_ticket", ticket_text(&ticket(), HEAD));
    }

    #[test]
    fn the_qr_code_is_square_with_a_quiet_zone() {
        let modules = qr_modules("TKT-7F3K9Q");
        assert!(modules.len() >= 29, "version 1 (21 modules) or more, plus 8 of quiet zone");
        assert!(modules.iter().all(|r| r.len() == modules.len()));
        assert!(modules[0].iter().all(|d| !d) && modules[4][4], "quiet zone, then a finder pattern");
    }

    #[test]
    fn svg_escapes_text_and_draws_modules() {
        let mut t = ticket();
        t.slot.name = "Tom & Jerry <live>".into();
        let svg = ticket_svg(&t, HEAD);
        assert!(svg.contains("Tom &amp; Jerry &lt;live&gt;"));
        assert!(svg.starts_with("<svg") && svg.trim_end().ends_with("</svg>"));
        assert!(svg.matches("<rect x=").count() > 100, "the QR code's dark modules");
    }
}
