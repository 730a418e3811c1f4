//! What every command needs: the open store, the clock, the operator, the output mode.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context as _;

use crate::config::Config;
use crate::domain::Error;
use crate::domain::policy::Policy;
use crate::domain::text::excerpt;
use crate::domain::time::{Time, parse_time};
use crate::store::{MAX_BUSY_TIMEOUT, Store};

/// The environment variable that fixes the clock, for tests, training and replaying a day.
pub const NOW_VAR: &str = "TICKETLY_NOW";

pub struct Context {
    pub store: Store,
    pub db_path: PathBuf,
    pub json: bool,
    /// Print nothing on success.
    pub quiet: bool,
    pub operator: String,
    pub policy: Policy,
    pub config: Config,
    pub now: Time,
    /// The signed-in operator's role (None: the theatre has no operators).
    pub role: Option<crate::domain::staff::Role>,
}

impl Context {
    /// The counter's cinema (`--cinema`, `TICKETLY_CINEMA`, `[counter] cinema`) as the
    /// database spells it; `None` for the whole chain. Unknown names are exit 3.
    pub fn cinema(&mut self) -> anyhow::Result<Option<String>> {
        match self.config.cinema().map(str::to_string) {
            Some(name) => Ok(Some(self.store.cinema_named(&name)?.name)),
            None => Ok(None),
        }
    }

    /// Opens the database; `reading`: the command only reads (a SQLite file that cannot be
    /// written is then opened read-only).
    pub fn open(
        db: Option<PathBuf>,
        json: bool,
        quiet: bool,
        config: Config,
        reading: bool,
    ) -> anyhow::Result<Context> {
        let now = clock()?;
        let db_path = match db {
            Some(p) => p,
            None => default_db_path()?,
        };
        let store = if reading {
            Store::open_for_reading(&db_path, busy_timeout()?)?
        } else {
            Store::open_with_timeout(&db_path, busy_timeout()?)?
        };
        let operator = config.operator.value.clone();
        Ok(Context { store, db_path, json, quiet, operator, policy: config.policy(), config, now, role: None })
    }
}

/// The environment variable that sets how long a write waits for another writer (milliseconds).
pub const BUSY_VAR: &str = "TICKETLY_BUSY_TIMEOUT_MS";

/// The busy timeout: `TICKETLY_BUSY_TIMEOUT_MS`, or the store's default of 5 seconds.
fn busy_timeout() -> anyhow::Result<Duration> {
    match std::env::var(BUSY_VAR) {
        Ok(text) if !text.trim().is_empty() => Ok(parse_busy_timeout(&text)?),
        _ => Ok(crate::store::BUSY_TIMEOUT),
    }
}

/// Set by test suites that fix the clock on purpose, to keep stderr quiet.
pub const QUIET_CLOCK_VAR: &str = "TICKETLY_QUIET_CLOCK";

/// Whether `TICKETLY_NOW` fixes the clock.
pub fn clock_is_fixed() -> bool {
    std::env::var(NOW_VAR).is_ok_and(|t| !t.trim().is_empty())
}

/// A command that writes with a fixed clock may take holds that never run out in real time,
/// and dates its sales wrongly: say so on stderr (unless a test suite asked for quiet).
pub fn warn_if_clock_fixed(ctx: &Context) {
    let quiet = std::env::var(QUIET_CLOCK_VAR).is_ok_and(|v| v == "1");
    if clock_is_fixed() && !quiet {
        eprintln!(
            "ticketly: warning: {NOW_VAR} fixes the clock at {} (for tests and training); what this writes is dated then",
            crate::domain::time::format_time(&ctx.now)
        );
    }
}

/// Milliseconds, 0 to the store's [`MAX_BUSY_TIMEOUT`] (an hour). A larger value is refused
/// (exit 5), not clamped: it is a typo or a units mistake, and saying so beats silently waiting
/// some other time. (99999999999999 used to panic inside SQLite's setter.)
fn parse_busy_timeout(text: &str) -> Result<Duration, Error> {
    let max = MAX_BUSY_TIMEOUT.as_millis();
    let bad =
        || Error::Invalid(format!("invalid {BUSY_VAR} '{}': a number of milliseconds from 0 to {max}", excerpt(text)));
    let ms: u64 = text.trim().parse().map_err(|_| bad())?;
    if u128::from(ms) > max {
        return Err(bad());
    }
    Ok(Duration::from_millis(ms))
}

/// Now, or the time in `TICKETLY_NOW` when it is set.
pub fn clock() -> anyhow::Result<Time> {
    match std::env::var(NOW_VAR) {
        Ok(text) if !text.trim().is_empty() => Ok(parse_time(&text).with_context(|| format!("in {NOW_VAR}"))?),
        _ => Ok(crate::domain::time::now()),
    }
}

/// `ticketly.db` in the platform's data directory, which is created if missing.
pub fn default_db_path() -> anyhow::Result<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "ticketly")
        .context("cannot find a home directory for the default database; pass --db PATH")?;
    let dir = dirs.data_dir();
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create '{}'", dir.display()))?;
    Ok(dir.join("ticketly.db"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn busy_timeouts_are_milliseconds_up_to_an_hour() {
        assert_eq!(parse_busy_timeout(" 200 "), Ok(Duration::from_millis(200)));
        assert_eq!(parse_busy_timeout("0"), Ok(Duration::ZERO));
        assert_eq!(parse_busy_timeout("3600000"), Ok(MAX_BUSY_TIMEOUT));
        for bad in ["3600001", "99999999999999", "99999999999999999999", "-1", "5s", ""] {
            let err = parse_busy_timeout(bad).expect_err(bad);
            assert!(err.to_string().contains("from 0 to 3600000"), "{err}");
        }
    }
}
