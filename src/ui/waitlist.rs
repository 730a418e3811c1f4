//! The waiting list of a show, and the form that adds a party to it.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::theme::Theme;
use crate::app::waitlist::{WaitField, WaitlistForm, WaitlistView};
use crate::domain::model::{PaymentMethod, Slot};
use crate::domain::time::format_time;
use crate::domain::waitlist::WaitStatus;

fn slot_title(slot: &Slot, what: &str, theme: Theme) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!(" {what}: {} ", slot.name), theme.title()),
        Span::raw(format!("· {} · {}", slot.hall, format_time(&slot.start))),
    ])
}

pub fn render_list(view: &WaitlistView, body: Rect, buf: &mut Buffer, theme: Theme) {
    let [title, list] = Layout::vertical([Constraint::Length(2), Constraint::Min(1)]).areas(body);
    let pay = match view.method {
        PaymentMethod::Cash => "(*) cash  ( ) card",
        PaymentMethod::Card => "( ) cash  (*) card",
    };
    Paragraph::new(vec![
        slot_title(&view.slot, "Waiting list", theme),
        Line::from(Span::styled(format!(" Offered seats are sold {pay}"), theme.dim())),
    ])
    .render(title, buf);
    if view.entries.is_empty() {
        Paragraph::new(Span::styled(" Nobody is waiting. a adds a party.", theme.dim())).render(list, buf);
        return;
    }
    let mut lines = Vec::new();
    for (i, e) in view.entries.iter().enumerate() {
        let marker = if i == view.selected { "> " } else { "  " };
        let seats = if e.seats == 1 { "1 seat ".to_string() } else { format!("{:>2} seats", e.seats) };
        // Places are counted per show, 1, 2, 3, in arrival order.
        let phone = e.phone.as_deref().unwrap_or("");
        let mut text = format!("{marker}{:>2}. {:<20} {phone:<14} {seats:>8}  {:<13}", i + 1, e.name, e.status.name());
        if let (WaitStatus::Offered, Some(until)) = (e.status, e.hold_expires) {
            text.push_str(&format!(
                " {} until {}",
                e.held_seats.join(" "),
                crate::domain::time::local(&until).format("%H:%M")
            ));
        }
        let style = match (i == view.selected, e.status) {
            (true, _) => theme.highlight(),
            (false, WaitStatus::Offered) => theme.key(),
            (false, WaitStatus::Waiting) => ratatui::style::Style::new(),
            (false, _) => theme.dim(),
        };
        lines.push(Line::from(text).style(style));
        if !e.note.is_empty()
            && matches!(e.status, WaitStatus::Waiting | WaitStatus::Unfulfillable | WaitStatus::Lapsed)
        {
            lines.push(Line::from(Span::styled(format!("         {}", e.note), theme.dim())));
        }
    }
    Paragraph::new(lines).render(list, buf);
}

pub fn render_form(form: &WaitlistForm, body: Rect, buf: &mut Buffer, theme: Theme) {
    let field = |f: WaitField, label: &str, value: &str, hint: &str| {
        let focused = form.focus == f;
        Line::from(
            vec![Span::styled(
                format!("{}{label:<8}", if focused { "> " } else { "  " }),
                if focused { theme.key() } else { theme.dim() },
            )]
            .into_iter()
            .chain(if focused {
                crate::app::text_edit::cursor_spans(value, form.cursor, ratatui::style::Style::new())
            } else {
                vec![Span::raw(value.to_string())]
            })
            .chain([Span::styled(format!("  {hint}"), theme.dim())])
            .collect::<Vec<_>>(),
        )
    };
    let mut lines = vec![
        slot_title(&form.slot, "Add to waiting list", theme),
        Line::default(),
        field(WaitField::Name, "Name", &form.name, ""),
        field(WaitField::Phone, "Phone", &form.phone, "to call when seats come free"),
        field(WaitField::Seats, "Seats", &form.seats, "1-10, seated together"),
        Line::default(),
    ];
    lines.push(match &form.error {
        Some(e) => Line::from(Span::styled(format!(" ! {e}"), theme.error())),
        None => Line::from(Span::styled(
            " Seats that come free go to the list in arrival order. Enter adds, Esc backs out.",
            theme.dim(),
        )),
    });
    Paragraph::new(lines).render(body, buf);
}
