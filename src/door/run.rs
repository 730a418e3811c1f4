//! The door screen's terminal loop: keys in (a scanner is a keyboard), frames out. Simpler
//! than the counter's: no mouse, no holds to give back.

use std::time::Duration;

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};

use super::DoorScreen;

/// Runs the door screen until Ctrl-C. `clock` gives the time for each scan and redraw.
pub fn run(mut screen: DoorScreen, clock: impl Fn() -> crate::domain::time::Time) -> anyhow::Result<()> {
    let mut terminal = ratatui::try_init()?;
    let result = (|| -> anyhow::Result<()> {
        let mut ticks = 0u32;
        while !screen.quit {
            terminal.draw(|frame| super::ui::draw(&screen, frame))?;
            if !event::poll(Duration::from_millis(500))? {
                screen.now = clock();
                // Other doors admit too: the count follows every few seconds.
                ticks += 1;
                if ticks.is_multiple_of(6) {
                    screen.recount();
                }
                continue;
            }
            let Event::Key(key) = event::read()? else { continue };
            if key.kind != KeyEventKind::Press {
                continue;
            }
            screen.now = clock();
            handle_key(&mut screen, key.code, key.modifiers);
        }
        Ok(())
    })();
    ratatui::restore();
    result
}

/// One key: the scanner's characters and Enter, or the usher's Backspace, Esc, F4, Ctrl-C.
pub fn handle_key(screen: &mut DoorScreen, code: KeyCode, modifiers: KeyModifiers) {
    let key = crossterm::event::KeyEvent::new(code, modifiers);
    if screen.approval.is_some() && !modifiers.contains(KeyModifiers::CONTROL) {
        let mode = crate::app::InputMode::Text;
        if let Some(action) = crate::app::action::action_for_key(key, mode) {
            screen.approval_key(action);
        }
        return;
    }
    match code {
        KeyCode::Char('c' | 'q') if modifiers.contains(KeyModifiers::CONTROL) => screen.quit = true,
        KeyCode::F(4) => screen.override_last(),
        KeyCode::Char(c) => screen.type_char(c),
        KeyCode::Enter => screen.enter(),
        KeyCode::Backspace => screen.backspace(),
        KeyCode::Esc => screen.clear(),
        _ => {}
    }
}
