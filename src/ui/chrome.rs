//! What surrounds every screen: the header, the status line, the footer of keys, and the help
//! overlay. The key lists live here, once, so the footer and the help always agree.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::theme::Theme;
use crate::app::{App, Message, Screen};

/// A manager's approval dialog is open on the screen on top.
fn approving(app: &App) -> bool {
    match app.screens.last() {
        Some(Screen::Booking(form)) => form.approval.is_some(),
        Some(Screen::CancelConfirm(c)) => c.approval.is_some(),
        Some(Screen::RebookConfirm(c)) => c.approval.is_some(),
        Some(Screen::Till(t)) => t.approval.is_some(),
        _ => false,
    }
}

/// (key, what it does) for the screen on top; the first ones matter most (the footer shows
/// as many as fit).
pub fn keys(app: &App) -> Vec<(&'static str, &'static str)> {
    if approving(app) {
        return vec![
            ("type", "manager's name and PIN"),
            ("Tab", "next"),
            ("←→", "reason"),
            ("Enter", "approve"),
            ("Esc", "back"),
        ];
    }
    match app.screens.last() {
        None if app.schedule.searching => vec![("type", "search titles"), ("Enter", "done"), ("Esc", "clear")],
        None => vec![
            ("Enter", "seats"),
            ("↑↓", "show"),
            ("←→", "day"),
            ("/", "search"),
            ("f", "genre"),
            ("t", "ticket"),
            ("?", "help"),
            ("q", "quit"),
            ("w", "waiting list"),
            ("d", "dashboard"),
            ("m", "till"),
            ("g", "back to today"),
            ("v", "next cinema"),
            ("Esc", "clear filters"),
        ],
        Some(Screen::Seats(_)) => vec![
            ("Space", "select"),
            ("1-9,0", "best N"),
            ("Enter", "next"),
            ("Esc", "back"),
            ("arrows/hjkl", "move"),
            ("click", "select a seat"),
            ("w", "waiting list (sold out)"),
        ],
        Some(Screen::Booking(_)) => {
            vec![
                ("Enter", "sell"),
                ("Tab", "next field"),
                ("Space", "cash/card"),
                ("Esc", "back"),
                ("F4", "price override"),
            ]
        }
        Some(Screen::Confirmed(done)) if done.printing => {
            vec![("←→", "other tickets"), ("p", "back to the sale"), ("Enter", "next customer")]
        }
        Some(Screen::Confirmed(_)) => vec![("Enter", "next customer"), ("p", "print tickets")],
        Some(Screen::Lookup(l)) if l.editing => {
            vec![("type", "code, name or phone"), ("Enter", "look up"), ("Esc", "back")]
        }
        Some(Screen::Lookup(_)) => vec![
            ("r", "rebook"),
            ("R", "rebook booking"),
            ("c", "cancel ticket"),
            ("C", "cancel booking"),
            ("p", "print again"),
            ("Esc", "back"),
            ("/", "new lookup"),
            ("↑↓", "choose ticket"),
        ],
        Some(Screen::RebookSlots(_)) => vec![("Enter", "pick seat"), ("↑↓", "choose show"), ("Esc", "back")],
        Some(Screen::RebookConfirm(c)) if c.difference() != 0 => {
            vec![("Enter", "rebook"), ("Tab", "cash/card"), ("Esc", "back")]
        }
        Some(Screen::RebookConfirm(_)) => vec![("Enter", "rebook"), ("Esc", "back")],
        Some(Screen::CancelConfirm(_)) => vec![("Enter", "cancel and refund"), ("Esc", "keep the tickets")],
        Some(Screen::Waitlist(_)) => vec![
            ("Enter", "sell offered seats"),
            ("Space", "cash/card"),
            ("a", "add party"),
            ("x", "remove"),
            ("Esc", "back"),
        ],
        Some(Screen::WaitlistForm(_)) => vec![("Enter", "add"), ("Tab", "next field"), ("Esc", "back")],
        Some(Screen::Dashboard(_)) => vec![("Esc", "back to the schedule")],
        Some(Screen::Till(_)) => vec![("Enter", "open or close"), ("Esc", "back")],
    }
}

/// The screen's name, for the header.
pub fn screen_title(app: &App) -> &'static str {
    match app.screens.last() {
        None => "Schedule",
        Some(Screen::Seats(_)) => "Seats",
        Some(Screen::Booking(_)) => "Booking",
        Some(Screen::Confirmed(_)) => "Sold",
        Some(Screen::Lookup(_)) => "Ticket lookup",
        Some(Screen::RebookSlots(_)) => "Rebook: new show",
        Some(Screen::RebookConfirm(_)) => "Rebook: confirm",
        Some(Screen::CancelConfirm(_)) => "Cancel",
        Some(Screen::Waitlist(_)) => "Waiting list",
        Some(Screen::WaitlistForm(_)) => "Waiting list: add",
        Some(Screen::Dashboard(_)) => "Dashboard",
        Some(Screen::Till(_)) => "Till",
    }
}

pub fn header(app: &App, area: Rect, buf: &mut Buffer, theme: Theme) {
    buf.set_style(area, theme.bar());
    let left = format!(" Ticketly · {} · {}", app.theatre, screen_title(app));
    let fixed = if app.clock_fixed { "CLOCK FIXED " } else { "" };
    let right =
        format!("{fixed}{} · {} ", crate::domain::time::local(&app.now).format("%a %d %b %Y %H:%M"), app.operator);
    // The clock and who is signed in always show; the theatre and screen give way first.
    let width = crate::domain::text::columns(&right) as u16;
    let room = area.width.saturating_sub(width + 1) as usize;
    buf.set_stringn(area.x, area.y, crate::domain::text::fit(&left, room), room, theme.bar());
    if width <= area.width {
        buf.set_string(area.right() - width, area.y, &right, theme.bar());
    }
}

pub fn status(app: &App, area: Rect, buf: &mut Buffer, theme: Theme) {
    let line = match &app.message {
        Some(Message::Error(text)) => Line::from(Span::styled(format!(" ! {text}"), theme.error())),
        Some(Message::Info(text)) => Line::from(Span::styled(format!(" {text}"), theme.info())),
        None => Line::default(),
    };
    Paragraph::new(line).render(area, buf);
}

pub fn footer(app: &App, area: Rect, buf: &mut Buffer, theme: Theme) {
    let mut spans = vec![Span::raw(" ")];
    let mut used = 1;
    for (key, what) in keys(app) {
        let width = key.chars().count() + what.chars().count() + 3;
        if used + width > area.width as usize {
            break;
        }
        spans.push(Span::styled(key, theme.key()));
        spans.push(Span::raw(format!(" {what}  ")));
        used += width;
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
}

/// The help overlay: every key of this screen, plus the ones that work everywhere.
pub fn help(app: &App, area: Rect, buf: &mut Buffer, theme: Theme) {
    let mut lines = vec![Line::from(Span::styled(format!("{} keys", screen_title(app)), theme.title()))];
    for (key, what) in keys(app) {
        lines.push(Line::from(vec![Span::styled(format!("{key:>12}  "), theme.key()), Span::raw(what)]));
    }
    lines.push(Line::default());
    for (key, what) in [
        ("?  F1", "help on and off"),
        ("F2", "another cashier takes the counter (with operators)"),
        ("Esc", "back, nothing sold"),
        ("Ctrl-C", "quit"),
    ] {
        lines.push(Line::from(vec![Span::styled(format!("{key:>12}  "), theme.key()), Span::raw(what)]));
    }
    let height = lines.len() as u16 + 2;
    let cut = height > area.height;
    let title = if cut { "Help (Esc closes, ↑↓ scroll)" } else { "Help (Esc closes)" };
    let inner = dialog(area, buf, 50, height, title);
    let most = (lines.len() as u16).saturating_sub(inner.height);
    Paragraph::new(lines).scroll((app.help_scroll.min(most), 0)).render(inner, buf);
}

/// A centred box of `width` × `height` inside `area`, cleared, with a titled border; returns
/// the inside.
pub fn dialog(area: Rect, buf: &mut Buffer, width: u16, height: u16, title: &str) -> Rect {
    let width = width.min(area.width);
    let height = height.min(area.height);
    let popup = Rect::new(area.x + (area.width - width) / 2, area.y + (area.height - height) / 2, width, height);
    Clear.render(popup, buf);
    let block = Block::default().borders(Borders::ALL).title(format!(" {title} "));
    let inner = block.inner(popup);
    block.render(popup, buf);
    inner
}
