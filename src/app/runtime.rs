//! The terminal side: set up and restore the terminal (also on error and panic), one input
//! thread turning crossterm events into messages, and the loop that draws after each one.

use std::io::stdout;
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use crossterm::event::{
    self, DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture, Event, KeyEventKind,
};
use crossterm::execute;
use signal_hook::consts::signal::{SIGHUP, SIGQUIT, SIGTERM};
use signal_hook::iterator::Signals;

use super::action::{action_for_key, action_for_mouse};
use super::keys::{self, KeyRepair};
use super::{Action, App};

/// How often the clock and other counters' changes are checked.
const TICK: Duration = Duration::from_millis(500);

enum Input {
    Event(Event),
    Tick,
    /// SIGTERM or SIGHUP (the terminal was closed, or the counter was stopped politely): leave
    /// as Ctrl-C does, giving back the seats this counter holds.
    Stop,
}

/// Runs the counter screen until the cashier quits. `clock` gives the time on every tick.
pub fn run(mut app: App, clock: impl Fn() -> crate::domain::time::Time) -> anyhow::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
        previous(info);
    }));
    let _ = execute!(stdout(), EnableMouseCapture, EnableBracketedPaste);
    let (tx, rx) = mpsc::channel();
    let stop = tx.clone();
    // crossterm must be read from one thread only: this one, for the whole session.
    thread::spawn(move || {
        let mut next_tick = Instant::now() + TICK;
        let mut repair = KeyRepair::default();
        loop {
            let mut wait = next_tick.saturating_duration_since(Instant::now());
            if repair.holding() {
                wait = wait.min(keys::SPLIT);
            }
            let messages = match event::poll(wait) {
                Ok(true) => match event::read() {
                    // Key presses go through the repair of split escape sequences.
                    Ok(Event::Key(key)) if key.kind == KeyEventKind::Press => {
                        repair.feed(key, Instant::now()).into_iter().map(|k| Input::Event(Event::Key(k))).collect()
                    }
                    Ok(e) => vec![Input::Event(e)],
                    Err(_) => break,
                },
                Ok(false) => {
                    let mut out: Vec<Input> =
                        repair.flush(Instant::now()).into_iter().map(|k| Input::Event(Event::Key(k))).collect();
                    if Instant::now() >= next_tick {
                        next_tick = Instant::now() + TICK;
                        out.push(Input::Tick);
                    }
                    out
                }
                Err(_) => break,
            };
            if messages.into_iter().any(|message| tx.send(message).is_err()) {
                break;
            }
        }
    });
    let mut signals = Signals::new([SIGTERM, SIGHUP, SIGQUIT])?;
    thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = stop.send(Input::Stop);
        }
    });
    // Whatever ends the loop (quit, an error, a panic), seats this counter holds go back on sale.
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> anyhow::Result<()> {
        loop {
            let size = terminal.size()?;
            app.size = (size.width, size.height);
            terminal.draw(|frame| crate::ui::draw(&app, frame))?;
            let action = match rx.recv()? {
                Input::Stop => return Ok(()),
                Input::Tick => Some(Action::Tick),
                Input::Event(Event::Key(key)) if key.kind == KeyEventKind::Press => {
                    action_for_key(key, app.input_mode())
                }
                Input::Event(Event::Mouse(mouse)) => action_for_mouse(mouse),
                // A paste types its characters into the focused field (never its control ones).
                Input::Event(Event::Paste(text)) if app.input_mode() == super::InputMode::Text => {
                    app.set_now(clock());
                    text.chars().filter(|c| !c.is_control()).for_each(|c| app.update(Action::Char(c)));
                    None
                }
                Input::Event(Event::Resize(w, h)) => Some(Action::Resize(w, h)),
                Input::Event(_) => None,
            };
            if let Some(action) = action {
                app.set_now(clock());
                app.update(action);
            }
            if app.quit {
                return Ok(());
            }
        }
    }));
    app.shut_down();
    let _ = execute!(stdout(), DisableMouseCapture, DisableBracketedPaste);
    ratatui::restore();
    match result {
        Ok(result) => result,
        Err(panic) => std::panic::resume_unwind(panic),
    }
}
