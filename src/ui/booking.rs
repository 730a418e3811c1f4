//! The booking form, the confirmation after a sale, and the printable ticket view.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::theme::Theme;
use crate::app::booking::{BookingForm, Field};
use crate::app::sold::Confirmed;
use crate::domain::model::PaymentMethod;
use crate::domain::money::Cents;
use crate::domain::time::{Time, format_time};

pub fn render_form(form: &BookingForm, now: Time, body: Rect, buf: &mut Buffer, theme: Theme) {
    let slot = &form.picker.slot;
    let seats: Vec<String> = form.picker.selected_seats().iter().map(|s| s.label()).collect();
    let mut lines = vec![
        Line::from(vec![
            Span::styled(format!(" {} ", slot.name), theme.title()),
            Span::raw(format!("· {} · {}", slot.hall, format_time(&slot.start))),
            Span::styled(slot.card.as_ref().map(|c| format!(" · card {c}")).unwrap_or_default(), theme.dim()),
        ]),
        Line::from(format!(" Seats: {}", seats.join(" "))),
        Line::from(vec![
            Span::raw(" Total: "),
            // No total while the types cannot be sold: the form says why below.
            Span::styled(if form.priced().is_ok() { theme.amount(form.total()) } else { "-".into() }, theme.money()),
        ]),
        hold_line(form, now, theme),
        Line::default(),
    ];
    let field = |f: Field, label: &str, value: String, hint: &str| {
        let focused = form.focus == f;
        let marker = if focused { "> " } else { "  " };
        let mut spans =
            vec![Span::styled(format!("{marker}{label:<10}"), if focused { theme.key() } else { theme.dim() })];
        if focused && f != Field::Payment {
            spans.extend(crate::app::text_edit::cursor_spans(&value, form.cursor, ratatui::style::Style::new()));
        } else {
            spans.push(Span::raw(value));
        }
        spans.push(Span::styled(format!("  {hint}"), theme.dim()));
        Line::from(spans)
    };
    if form.has_types() {
        lines.push(types_line(form, body.width, theme));
    }
    if let Some(price) = &form.price_override {
        lines.push(field(Field::Price, "Price", price.clone(), "each, not the card's · 0: free · F4: card prices"));
    }
    lines.push(field(Field::Name, "Name", form.name.clone(), "optional: empty is a walk-in"));
    lines.push(field(Field::Phone, "Phone", form.phone.clone(), "optional"));
    let pay = match form.method {
        PaymentMethod::Cash => "(*) cash  ( ) card",
        PaymentMethod::Card => "( ) cash  (*) card",
    };
    lines.push(field(Field::Payment, "Payment", pay.to_string(), "space switches"));
    if form.method == PaymentMethod::Cash {
        lines.push(field(Field::Tendered, "Tendered", form.tendered.clone(), "empty: exact money"));
        lines.push(change_line(form.tendered_amount(), form.total(), theme));
    }
    lines.push(Line::default());
    if let Some(approval) = &form.approval {
        lines.extend(super::approval::lines(approval, "the price", "goes back to the form", theme));
    } else if let Some(error) = form.error.clone().or_else(|| form.priced().err()) {
        lines.push(Line::from(Span::styled(format!(" ! {error}"), theme.error())));
    } else {
        let back = if form.waitlist.is_some() {
            " Enter sells; Esc goes back to the waiting list, the seats stay offered."
        } else if form.resumed {
            " Kept from before (Ctrl-U clears a field). Enter sells; Esc goes back to the seats."
        } else {
            " Enter sells; Esc goes back to the seats, nothing sold."
        };
        lines.push(Line::from(Span::styled(back, theme.dim())));
    }
    Paragraph::new(lines).render(body, buf);
}

/// "Change    £3.00": what to hand back of the cash `tendered` for `due` (none for exact
/// money, "-" while what was typed does not cover it).
pub(super) fn change_line<E>(tendered: Result<Option<Cents>, E>, due: Cents, theme: Theme) -> Line<'static> {
    let change = match tendered {
        Ok(Some(t)) => theme.amount(t - due),
        Ok(None) => theme.amount(0),
        Err(_) => "-".to_string(),
    };
    Line::from(vec![Span::styled(format!("  {:<10}", "Change"), theme.dim()), Span::styled(change, theme.money())])
}

/// "Tickets   Adult 2 · Child 1 · Senior 0": the type counts, the one `+`/`-` change marked
/// while the field has the focus. On a narrow screen the types far from the marked one give
/// way ("…"), never the one being changed; the hint goes first.
fn types_line(form: &BookingForm, width: u16, theme: Theme) -> Line<'static> {
    let focused = form.focus == Field::Types;
    let marker = if focused { "> " } else { "  " };
    let items: Vec<String> = form
        .types
        .iter()
        .enumerate()
        .map(
            |(i, (name, count))| {
                if focused && i == form.type_cursor { format!("[{name} {count}]") } else { format!("{name} {count}") }
            },
        )
        .collect();
    let room = (width as usize).saturating_sub(13);
    let shown = |from: usize, to: usize| {
        let mut parts: Vec<String> = items[from..to].to_vec();
        if from > 0 {
            parts.insert(0, "…".into());
        }
        if to < items.len() {
            parts.push("…".into());
        }
        parts.join(" · ")
    };
    let (mut from, mut to) = (0, items.len());
    let at = form.type_cursor.min(items.len().saturating_sub(1));
    while crate::domain::text::columns(&shown(from, to)) > room && to - from > 1 {
        if at > from { from += 1 } else { to -= 1 }
    }
    let text = shown(from, to);
    let hint = if focused { "  letter, +/-, 0-9" } else { "  ↑ changes" };
    let mut spans =
        vec![Span::styled(format!("{marker}{:<10}", "Tickets"), if focused { theme.key() } else { theme.dim() })];
    let fits = crate::domain::text::columns(&text) + crate::domain::text::columns(hint) <= room;
    spans.push(Span::styled(text, if focused { theme.key() } else { ratatui::style::Style::new() }));
    if fits {
        spans.push(Span::styled(hint, theme.dim()));
    }
    Line::from(spans)
}

/// How long the seats stay held; once the hold ran out, what Enter will do.
fn hold_line(form: &BookingForm, now: Time, theme: Theme) -> Line<'static> {
    let left = form.hold_seconds_left(now);
    if left == 0 {
        return Line::from(Span::styled(" Hold ran out: Enter holds the seats again", theme.error()));
    }
    Line::from(Span::styled(
        format!(
            " Seats held until {} ({}:{:02} left) under {}",
            crate::domain::time::local(&form.hold.expires).format("%H:%M"),
            left / 60,
            left % 60,
            form.hold.booking
        ),
        theme.dim(),
    ))
}

pub fn render_confirmed(done: &Confirmed, theatre: &str, body: Rect, buf: &mut Buffer, theme: Theme) {
    if done.printing {
        return render_print(done, theatre, body, buf, theme);
    }
    let sale = &done.sale;
    let mut lines = vec![
        Line::from(Span::styled(" SOLD", theme.money())),
        Line::default(),
        Line::from(vec![Span::raw(" Booking  "), Span::styled(sale.booking.as_str(), theme.title())]),
        Line::from(format!(" Show     {} · {} · {}", sale.slot.name, sale.slot.hall, format_time(&sale.slot.start))),
        Line::from(format!(" Customer {}", sale.customer.display_name())),
        Line::default(),
    ];
    let types_width = sale.tickets.iter().map(|t| crate::domain::text::columns(&t.ticket_type)).max().unwrap_or(0);
    for t in &sale.tickets {
        lines.push(Line::from(vec![
            Span::raw(format!("   seat {:<4} {} ", t.seat, crate::domain::text::fit(&t.ticket_type, types_width))),
            Span::styled(t.code.as_str(), theme.key()),
            Span::raw(format!("  {}", theme.amount(t.price))),
        ]));
    }
    lines.push(Line::default());
    lines.push(Line::from(vec![Span::raw(format!(
        " Total {} paid by {}",
        theme.amount(sale.total),
        sale.payment.name()
    ))]));
    if let (Some(tendered), Some(change)) = (done.tendered, done.change) {
        lines.push(Line::from(vec![
            Span::raw(format!(" Tendered {}   Change due ", theme.amount(tendered))),
            Span::styled(theme.amount(change), theme.money()),
        ]));
    }
    Paragraph::new(lines).render(body, buf);
}

/// The ticket as the counter printer prints it, one at a time (←→ for the others), with the QR
/// code the door scanner reads.
fn render_print(done: &Confirmed, theatre: &str, body: Rect, buf: &mut Buffer, theme: Theme) {
    let sale = &done.sale;
    let Some(t) = sale.tickets.get(done.print_index) else { return };
    let qr = crate::print::qr_text(&t.code);
    let qr_width = qr.first().map_or(0, |l| l.chars().count()) as u16;
    let width = (qr_width + 40).min(body.width);
    let height = (qr.len() as u16 + 3).min(body.height);
    let area = Rect::new(body.x, body.y, width, height);
    let title = format!(" {theatre} · ticket {} of {} ", done.print_index + 1, sale.tickets.len());
    let block = Block::default().borders(Borders::ALL).title(title);
    let inner = block.inner(area);
    block.render(area, buf);
    let [_, text, code] =
        Layout::horizontal([Constraint::Length(1), Constraint::Min(10), Constraint::Length(qr_width)]).areas(inner);
    Paragraph::new(vec![
        Line::from(Span::styled(sale.slot.name.as_str(), theme.title())),
        Line::from(format!("{} · {}", sale.slot.hall, format_time(&sale.slot.start))),
        Line::from(format!("Row {}  Seat {}  ({})", seat_row(&t.seat), seat_number(&t.seat), t.category)),
        Line::from(format!("Price {}", theme.amount(t.price))),
        // The type big and boxed in reverse, for the usher at the door to see at arm's length.
        Line::from(Span::styled(format!(" {} ", door_label(&t.ticket_type, text.width as usize)), theme.ticket_type())),
        Line::from(Span::styled(t.code.as_str(), theme.key())),
        Line::from(format!("Booking {}", sale.booking)),
    ])
    .render(text, buf);
    Paragraph::new(qr.into_iter().map(Line::from).collect::<Vec<_>>()).render(code, buf);
}

/// "CHILD" as "C H I L D": wider than the text around it, as a door can read it; a name too
/// long to spread out in `width` stays in plain capitals, whole.
fn door_label(text: &str, width: usize) -> String {
    let upper = text.to_uppercase();
    let spaced = upper.chars().map(String::from).collect::<Vec<_>>().join(" ");
    if crate::domain::text::columns(&spaced) + 2 <= width { spaced } else { upper }
}

fn seat_row(label: &str) -> &str {
    label.trim_end_matches(|c: char| c.is_ascii_digit())
}

fn seat_number(label: &str) -> &str {
    &label[seat_row(label).len()..]
}
