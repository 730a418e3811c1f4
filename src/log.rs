//! Diagnostics go to a log file, never over the counter screen: `ticketly.log` in the
//! platform state directory (`~/.local/state/ticketly` on Linux), or the file named by
//! `TICKETLY_LOG` (`off` disables it). Logging is best effort: a log that cannot be opened
//! never stops a sale.

use std::fs::OpenOptions;
use std::path::PathBuf;
use std::sync::Mutex;

/// The environment variable naming the log file, or `off`.
pub const LOG_VAR: &str = "TICKETLY_LOG";

/// Where the log goes, if anywhere.
pub fn log_path() -> Option<PathBuf> {
    match std::env::var(LOG_VAR) {
        Ok(v) if v.eq_ignore_ascii_case("off") => None,
        Ok(v) if !v.trim().is_empty() => Some(PathBuf::from(v)),
        _ => {
            let dirs = directories::ProjectDirs::from("", "", "ticketly")?;
            let dir = dirs.state_dir().unwrap_or_else(|| dirs.data_dir()).to_path_buf();
            std::fs::create_dir_all(&dir).ok()?;
            Some(dir.join("ticketly.log"))
        }
    }
}

/// Starts logging to the log file (info and above). Call once, early.
pub fn init() {
    let Some(path) = log_path() else { return };
    let Ok(file) = OpenOptions::new().create(true).append(true).open(&path) else { return };
    let _ = tracing_subscriber::fmt()
        .with_writer(Mutex::new(file))
        .with_ansi(false)
        .with_target(false)
        .with_max_level(tracing::Level::INFO)
        .try_init();
}
