//! `ticketly first-frame` (hidden): opens the counter screen's app on the database exactly as
//! `ticketly` does, draws one frame into ratatui's `TestBackend` instead of a terminal, and
//! prints what it cost as JSON. For benches/compare.sh (start to first frame, peak memory).

use clap::Args;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use serde_json::json;

use crate::app::App;

#[derive(Debug, Args)]
pub struct FirstFrame {
    #[arg(long, default_value_t = 80)]
    width: u16,
    #[arg(long, default_value_t = 24)]
    height: u16,
}

impl FirstFrame {
    /// `app` is the counter screen's app as `ticketly` opens it; `started` is when `run` began.
    pub fn run(self, mut app: App, started: std::time::Instant) -> anyhow::Result<()> {
        app.size = (self.width, self.height);
        let mut terminal = Terminal::new(TestBackend::new(self.width, self.height))?;
        terminal.draw(|frame| crate::ui::draw(&app, frame))?;
        let ms = started.elapsed().as_secs_f64() * 1000.0;
        let shows = app.schedule.slots.len();
        println!("{}", json!({"ms": ms, "peak_rss_kb": peak_rss_kb(), "shows": shows}));
        Ok(())
    }
}

/// The process's peak resident memory so far (Linux `VmHWM`), in KiB; `null` elsewhere.
fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
