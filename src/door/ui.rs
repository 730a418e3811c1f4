//! Drawing the door screen: a pure function of its state. The verdict is a word in block
//! letters inside a box (double lines for ADMIT, thick for REFUSED), so it reads from two
//! metres and without colour.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Color, Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Borders, Paragraph};

use super::{DoorScreen, Outcome, Scan};
use crate::domain::door::{Admission, Refusal};
use crate::domain::time::local;

pub fn draw(screen: &DoorScreen, frame: &mut Frame) {
    let [header, panel, count, recent, input, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(10),
        Constraint::Length(2),
        Constraint::Min(1),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    let show = match (&screen.show, screen.place.slot) {
        (Some(s), Some(_)) => format!("{} {} · {}", s.name, local(&s.start).format("%H:%M"), s.hall),
        _ => "any show with its door open".to_string(),
    };
    let title = format!(" Ticketly · {} door · {show}", screen.place.name);
    let clock = format!("{} ", local(&screen.now).format("%H:%M"));
    let width = header.width as usize;
    let pad = width.saturating_sub(crate::domain::text::columns(&title) + clock.len());
    frame.render_widget(Paragraph::new(format!("{title}{}{clock}", " ".repeat(pad))).style(bar(screen)), header);
    draw_panel(screen, panel, frame);
    let count_line = match &screen.show {
        Some(s) => format!(
            " {} {} · {}: {} admitted of {} sold",
            s.name,
            local(&s.start).format("%H:%M"),
            s.hall,
            screen.count.0,
            screen.count.1
        ),
        None => " No one admitted yet.".to_string(),
    };
    frame.render_widget(Paragraph::new(count_line).style(Style::new().add_modifier(Modifier::BOLD)), count);
    let lines: Vec<Line> = screen.scans.iter().map(|scan| scan_line(scan)).collect();
    frame.render_widget(Paragraph::new(lines).block(Block::default().title(" Last scans ")), recent);
    let cursor = Span::styled("_", Style::new().add_modifier(Modifier::REVERSED));
    frame.render_widget(
        Paragraph::new(Line::from(vec![Span::raw(" Scan › "), Span::raw(&screen.input), cursor])),
        input,
    );
    let keys = if screen.approval.is_some() {
        " A manager approves: name, PIN, reason  Esc: not let in"
    } else if screen.overridable().is_some() {
        " Scan the next ticket  F4 let this one in (a manager approves)  Ctrl-C quits"
    } else {
        " Scan a ticket (or type its code and Enter)  Esc clears  Ctrl-C quits"
    };
    frame.render_widget(Paragraph::new(keys).style(Style::new().add_modifier(Modifier::DIM)), footer);
}

fn bar(screen: &DoorScreen) -> Style {
    if screen.color {
        Style::new().bg(Color::Blue).fg(Color::White)
    } else {
        Style::new().add_modifier(Modifier::REVERSED)
    }
}

/// The verdict of the last scan, or the manager's approval to let it in.
fn draw_panel(screen: &DoorScreen, area: Rect, frame: &mut Frame) {
    if let Some(approval) = &screen.approval {
        let theme = crate::ui::theme::Theme { color: screen.color, symbol: "" };
        let lines = crate::ui::approval::lines(approval, "letting it in", "keeps it out", theme);
        let block = Block::default().borders(Borders::ALL).border_type(BorderType::Thick).title(" Manager override ");
        frame.render_widget(Paragraph::new(lines).block(block), area);
        return;
    }
    let Some(last) = screen.scans.first() else {
        let block = Block::default().borders(Borders::ALL).border_type(BorderType::Rounded);
        frame.render_widget(Paragraph::new("\n\n   Ready: scan the first ticket.").block(block), area);
        return;
    };
    let (word, border, color, details) = match &last.outcome {
        Outcome::Admit(admitted) => ("ADMIT", BorderType::Double, Color::Green, admit_lines(admitted)),
        Outcome::Refused(refusal) => {
            // Where to send them, in the words the usher says.
            let headline = match refusal {
                Refusal::OtherShow { slot, .. } => format!("OTHER SHOW · GO TO {}", slot.hall.to_uppercase()),
                other => other.headline().to_string(),
            };
            ("REFUSED", BorderType::Thick, Color::Red, vec![format!("{headline} · {}", last.code), refusal.reason()])
        }
        Outcome::Unknown { code, reason } => {
            ("REFUSED", BorderType::Thick, Color::Red, vec![format!("UNKNOWN · {code}"), reason.clone()])
        }
    };
    let style = if screen.color { Style::new().fg(color).add_modifier(Modifier::BOLD) } else { Style::new() };
    let mut lines: Vec<Line> = big_word(word).into_iter().map(Line::from).collect();
    lines.extend(details.into_iter().map(|d| Line::from(Span::styled(d, Style::new().add_modifier(Modifier::BOLD)))));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_type(border)
        .border_style(style)
        .padding(ratatui::widgets::Padding::horizontal(2));
    let verdict = Paragraph::new(lines).style(style).block(block).wrap(ratatui::widgets::Wrap { trim: false });
    frame.render_widget(verdict, area);
}

/// "seat C7 · Child · Paper Tigers 14:00 · Hall 1" for the first ticket, then the rest of a
/// booking's seats.
fn admit_lines(admitted: &[Admission]) -> Vec<String> {
    let Some(first) = admitted.first() else { return Vec::new() };
    let mut lines = vec![format!(
        "seat {} · {} · {} {} · {}",
        first.seat,
        first.ticket_type.to_uppercase(),
        first.slot.name,
        local(&first.slot.start).format("%H:%M"),
        first.slot.hall
    )];
    if admitted.len() > 1 {
        let rest: Vec<String> = admitted[1..].iter().map(|a| format!("{} {}", a.seat, a.ticket_type)).collect();
        lines.push(format!("{} tickets: also {}", admitted.len(), rest.join(", ")));
    }
    lines
}

fn scan_line(scan: &Scan) -> Line<'static> {
    let at = local(&scan.at).format("%H:%M");
    let text = match &scan.outcome {
        Outcome::Admit(admitted) => {
            let seats: Vec<String> = admitted.iter().map(|a| format!("{} {}", a.seat, a.ticket_type)).collect();
            format!(" {at}  ADMIT    {}  {}", scan.code, seats.join(", "))
        }
        Outcome::Refused(refusal) => format!(" {at}  REFUSED  {}  {}", scan.code, refusal.headline()),
        Outcome::Unknown { code, .. } => format!(" {at}  REFUSED  {code}  UNKNOWN"),
    };
    Line::from(text)
}

/// A word in 5-row block letters (the letters of ADMIT and REFUSED).
pub fn big_word(word: &str) -> Vec<String> {
    let mut rows = vec![String::new(); 5];
    for c in word.chars() {
        for (line, part) in rows.iter_mut().zip(glyph(c)) {
            line.push_str(part);
        }
    }
    rows
}

fn glyph(c: char) -> [&'static str; 5] {
    match c {
        'A' => [" ███  ", "█   █ ", "█████ ", "█   █ ", "█   █ "],
        'D' => ["████  ", "█   █ ", "█   █ ", "█   █ ", "████  "],
        'M' => ["█   █ ", "██ ██ ", "█ █ █ ", "█   █ ", "█   █ "],
        'I' => ["█████ ", "  █   ", "  █   ", "  █   ", "█████ "],
        'T' => ["█████ ", "  █   ", "  █   ", "  █   ", "  █   "],
        'R' => ["████  ", "█   █ ", "████  ", "█  █  ", "█   █ "],
        'E' => ["█████ ", "█     ", "████  ", "█     ", "█████ "],
        'F' => ["█████ ", "█     ", "████  ", "█     ", "█     "],
        'U' => ["█   █ ", "█   █ ", "█   █ ", "█   █ ", " ███  "],
        'S' => [" ████ ", "█     ", " ███  ", "    █ ", "████  "],
        _ => ["      "; 5],
    }
}
