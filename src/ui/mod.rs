//! Pure drawing: each screen is drawn from the app's state alone, with no I/O, so that the
//! same state always gives the same frame (which the snapshot tests rely on).

pub mod approval;
pub mod booking;
pub mod chrome;
pub mod dashboard;
pub mod lookup;
pub mod rebook;
pub mod schedule;
pub mod seats;
pub mod sign_in;
pub mod theme;
pub mod till;
pub mod waitlist;

#[cfg(test)]
pub(crate) mod snapshot_tests;

use ratatui::Frame;
use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};

use crate::app::{App, Screen};
use theme::Theme;

/// Draws the whole frame.
pub fn draw(app: &App, frame: &mut Frame) {
    render(app, frame.area(), frame.buffer_mut());
}

/// Draws the app into `buf` (what `draw` does, usable without a terminal).
pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    if area.height == 0 || area.width == 0 {
        return;
    }
    let theme = Theme { color: app.color, symbol: &app.currency };
    let [header, body, status, footer] = areas(area);
    chrome::header(app, header, buf, theme);
    match app.screens.last() {
        None => schedule::render(&app.schedule, app.now, &app.policy, body, buf, theme),
        Some(Screen::Seats(picker)) => seats::render(picker, app.now, body, buf, theme),
        Some(Screen::Booking(form)) => booking::render_form(form, app.now, body, buf, theme),
        Some(Screen::Confirmed(done)) => booking::render_confirmed(done, &app.theatre, body, buf, theme),
        Some(Screen::Lookup(lookup)) => lookup::render(lookup, body, buf, theme),
        Some(Screen::RebookSlots(pick)) => rebook::render_slots(pick, app.now, body, buf, theme),
        Some(Screen::RebookConfirm(confirm)) => rebook::render_confirm(confirm, body, buf, theme),
        Some(Screen::CancelConfirm(confirm)) => {
            // The dialog sits over the lookup it came from.
            if let Some(Screen::Lookup(lookup)) = app.screens.iter().rev().nth(1) {
                lookup::render(lookup, body, buf, theme);
            }
            lookup::render_cancel(confirm, body, buf, theme);
        }
        Some(Screen::Waitlist(view)) => waitlist::render_list(view, body, buf, theme),
        Some(Screen::WaitlistForm(form)) => waitlist::render_form(form, body, buf, theme),
        Some(Screen::Dashboard(dash)) => dashboard::render(dash, app.now, body, buf, theme),
        Some(Screen::Till(view)) => till::render(view, &app.operator, body, buf, theme),
    }
    chrome::status(app, status, buf, theme);
    chrome::footer(app, footer, buf, theme);
    if let Some(dialog) = &app.sign_in {
        sign_in::render(dialog, body, buf, theme);
    } else if app.help {
        chrome::help(app, body, buf, theme);
    }
}

/// Header, body, status line and footer of a frame.
pub fn areas(area: Rect) -> [Rect; 4] {
    Layout::vertical([Constraint::Length(1), Constraint::Min(3), Constraint::Length(1), Constraint::Length(1)])
        .areas(area)
}
