//! The theatre's settings: a TOML file in the platform config directory (or `--config PATH`,
//! env `TICKETLY_CONFIG`), over built-in defaults; the operator can also come from the
//! environment or a flag. Every effective value remembers where it came from, for
//! `ticketly config show`. A bad file is one line naming the key.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::domain::Error;
use crate::domain::policy::Policy;

/// Where a setting's value came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    Default,
    File(PathBuf),
    Env(&'static str),
    Flag,
}

impl Source {
    pub fn describe(&self) -> String {
        match self {
            Source::Default => "default".into(),
            Source::File(p) => format!("file {}", p.display()),
            Source::Env(var) => format!("env {var}"),
            Source::Flag => "flag".into(),
        }
    }
}

/// A value and its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting<T> {
    pub value: T,
    pub source: Source,
}

impl<T> Setting<T> {
    fn default(value: T) -> Setting<T> {
        Setting { value, source: Source::Default }
    }
}

/// The effective configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// The file read, if any.
    pub file: Option<PathBuf>,
    /// Empty means: use the cinema's name from the database.
    pub theatre_name: Setting<String>,
    pub theatre_city: Setting<String>,
    /// The zone the theatre's clocks show (an IANA name); empty: the machine's.
    pub timezone: Setting<String>,
    /// The hour after midnight the show day ends (shows before it are the evening's).
    pub day_end_hour: Setting<i64>,
    pub currency: Setting<String>,
    pub currency_symbol: Setting<String>,
    pub hold_minutes: Setting<i64>,
    pub late_sale_minutes: Setting<i64>,
    pub expiry_grace_hours: Setting<i64>,
    pub refund_cutoff_minutes: Setting<i64>,
    pub offer_minutes: Setting<i64>,
    pub operator: Setting<String>,
    /// The cinema this counter belongs to (empty: the whole chain, as an office PC sees it).
    pub cinema: Setting<String>,
    /// Minutes without a key before a counter with operators locks (0: never).
    pub lock_minutes: Setting<i64>,
    /// Minutes before a show's start its door opens for check-in.
    pub door_open_minutes: Setting<i64>,
    /// This door's name, recorded with each check-in ("main", "side").
    pub door_name: Setting<String>,
    /// The counter's receipt printer: a character device or `tcp://HOST:9100` (empty: none).
    pub printer_device: Setting<String>,
    /// Its paper width in characters: 42 (80 mm) or 32 (58 mm).
    pub printer_width: Setting<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    theatre: Option<TheatreSection>,
    money: Option<MoneySection>,
    selling: Option<SellingSection>,
    counter: Option<CounterSection>,
    door: Option<DoorSection>,
    printer: Option<PrinterSection>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct DoorSection {
    open_minutes: Option<i64>,
    name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct PrinterSection {
    device: Option<String>,
    width: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct TheatreSection {
    name: Option<String>,
    city: Option<String>,
    timezone: Option<String>,
    day_end_hour: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct MoneySection {
    currency: Option<String>,
    symbol: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct SellingSection {
    hold_minutes: Option<i64>,
    late_sale_minutes: Option<i64>,
    expiry_grace_hours: Option<i64>,
    refund_cutoff_minutes: Option<i64>,
    offer_minutes: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct CounterSection {
    operator: Option<String>,
    cinema: Option<String>,
    lock_minutes: Option<i64>,
}

/// The environment variable naming the config file.
pub const CONFIG_VAR: &str = "TICKETLY_CONFIG";
/// The environment variable naming the operator.
pub const OPERATOR_VAR: &str = "TICKETLY_OPERATOR";
/// The environment variable naming the theatre's time zone.
pub const TIMEZONE_VAR: &str = "TICKETLY_TIMEZONE";
/// The environment variable naming the counter's cinema.
pub const CINEMA_VAR: &str = "TICKETLY_CINEMA";

impl Default for Config {
    fn default() -> Config {
        let policy = Policy::default();
        Config {
            file: None,
            theatre_name: Setting::default(String::new()),
            theatre_city: Setting::default(String::new()),
            timezone: Setting::default(String::new()),
            day_end_hour: Setting::default(i64::from(crate::domain::time::DAY_END_HOURS)),
            currency: Setting::default("GBP".into()),
            currency_symbol: Setting::default("£".into()),
            hold_minutes: Setting::default(policy.hold_minutes),
            late_sale_minutes: Setting::default(policy.late_sale_minutes),
            expiry_grace_hours: Setting::default(policy.expiry_grace_hours),
            refund_cutoff_minutes: Setting::default(policy.refund_cutoff_minutes),
            offer_minutes: Setting::default(policy.offer_minutes),
            operator: Setting::default("counter".into()),
            cinema: Setting::default(String::new()),
            lock_minutes: Setting::default(10),
            door_open_minutes: Setting::default(policy.door_open_minutes),
            door_name: Setting::default("main".into()),
            printer_device: Setting::default(String::new()),
            printer_width: Setting::default(42),
        }
    }
}

impl Config {
    /// Loads the configuration: `explicit` (from `--config` or `TICKETLY_CONFIG`) must exist;
    /// the platform default file is read only if present. The operator comes from the flag,
    /// else `TICKETLY_OPERATOR`, else the file, else `$USER`, else "counter".
    pub fn load(explicit: Option<&Path>, operator_flag: Option<&str>) -> Result<Config, Error> {
        let mut config = Config::default();
        let path = match explicit {
            // "none" runs on the defaults alone (scripts and tests that must not see a theatre's file).
            Some(p) if p.as_os_str() == "none" => None,
            Some(p) => Some(p.to_path_buf()),
            None => default_path().filter(|p| p.exists()),
        };
        if let Some(path) = path {
            let text = std::fs::read_to_string(&path)
                .map_err(|e| Error::Invalid(format!("cannot read config '{}': {e}", path.display())))?;
            config.apply(&text, &path)?;
            config.file = Some(path);
        }
        if config.operator.source == Source::Default
            && let Ok(user) = std::env::var("USER")
            && !user.trim().is_empty()
        {
            config.operator = Setting { value: user, source: Source::Env("USER") };
        }
        if let Ok(op) = std::env::var(OPERATOR_VAR)
            && !op.trim().is_empty()
        {
            config.operator = Setting { value: op, source: Source::Env(OPERATOR_VAR) };
        }
        if let Some(op) = operator_flag {
            config.operator = Setting { value: op.to_string(), source: Source::Flag };
        }
        config.operator.value = crate::domain::text::clean("operator", &config.operator.value, 40)?;
        if let Ok(zone) = std::env::var(TIMEZONE_VAR)
            && !zone.trim().is_empty()
        {
            config.timezone = Setting { value: zone.trim().to_string(), source: Source::Env(TIMEZONE_VAR) };
        }
        config.zone()?;
        if let Ok(cinema) = std::env::var(CINEMA_VAR)
            && !cinema.trim().is_empty()
        {
            config.cinema = Setting { value: cinema.trim().to_string(), source: Source::Env(CINEMA_VAR) };
        }
        Ok(config)
    }

    /// Reads `text` (the file at `path`) over the current values.
    pub fn apply(&mut self, text: &str, path: &Path) -> Result<(), Error> {
        let file: FileConfig = toml::from_str(text).map_err(|e| {
            let message = e.message().replace('\n', " ");
            let line = e.span().map(|s| text[..s.start.min(text.len())].lines().count().max(1));
            Error::Invalid(match line {
                Some(l) => format!("config '{}' line {l}: {message}", path.display()),
                None => format!("config '{}': {message}", path.display()),
            })
        })?;
        let from = || Source::File(path.to_path_buf());
        let text_setting = |value: Option<String>, key: &str, target: &mut Setting<String>| -> Result<(), Error> {
            if let Some(v) = value {
                let v = crate::domain::text::clean_optional(key, Some(&v), 100)?.unwrap_or_default();
                *target = Setting { value: v, source: from() };
            }
            Ok(())
        };
        let theatre = file.theatre.unwrap_or_default();
        text_setting(theatre.name, "theatre.name", &mut self.theatre_name)?;
        text_setting(theatre.city, "theatre.city", &mut self.theatre_city)?;
        text_setting(theatre.timezone, "theatre.timezone", &mut self.timezone)?;
        let money = file.money.unwrap_or_default();
        text_setting(money.currency, "money.currency", &mut self.currency)?;
        text_setting(money.symbol, "money.symbol", &mut self.currency_symbol)?;
        let selling = file.selling.unwrap_or_default();
        let number =
            |value: Option<i64>, key: &str, range: std::ops::RangeInclusive<i64>, target: &mut Setting<i64>| {
                if let Some(v) = value {
                    if !range.contains(&v) {
                        return Err(Error::Invalid(format!(
                            "config key '{key}' must be {} to {}, got {v}",
                            range.start(),
                            range.end()
                        )));
                    }
                    *target = Setting { value: v, source: from() };
                }
                Ok(())
            };
        number(theatre.day_end_hour, "theatre.day_end_hour", 0..=6, &mut self.day_end_hour)?;
        number(selling.hold_minutes, "selling.hold_minutes", 1..=60, &mut self.hold_minutes)?;
        number(selling.late_sale_minutes, "selling.late_sale_minutes", 0..=240, &mut self.late_sale_minutes)?;
        number(selling.expiry_grace_hours, "selling.expiry_grace_hours", 0..=720, &mut self.expiry_grace_hours)?;
        number(
            selling.refund_cutoff_minutes,
            "selling.refund_cutoff_minutes",
            0..=10_080,
            &mut self.refund_cutoff_minutes,
        )?;
        number(selling.offer_minutes, "selling.offer_minutes", 1..=1_440, &mut self.offer_minutes)?;
        let counter = file.counter.unwrap_or_default();
        if let Some(op) = counter.operator {
            self.operator = Setting { value: op, source: from() };
        }
        text_setting(counter.cinema, "counter.cinema", &mut self.cinema)?;
        number(counter.lock_minutes, "counter.lock_minutes", 0..=720, &mut self.lock_minutes)?;
        let door = file.door.unwrap_or_default();
        number(door.open_minutes, "door.open_minutes", 0..=600, &mut self.door_open_minutes)?;
        text_setting(door.name, "door.name", &mut self.door_name)?;
        let printer = file.printer.unwrap_or_default();
        text_setting(printer.device, "printer.device", &mut self.printer_device)?;
        if let Some(width) = printer.width
            && width != 32
            && width != 42
        {
            return Err(Error::Invalid(format!("config key 'printer.width' must be 32 or 42, got {width}")));
        }
        number(printer.width, "printer.width", 32..=42, &mut self.printer_width)?;
        Ok(())
    }

    /// The theatre's time zone (checked when the settings are loaded).
    pub fn zone(&self) -> Result<crate::domain::time::Zone, Error> {
        crate::domain::time::Zone::parse(&self.timezone.value)
            .map_err(|e| Error::Invalid(format!("{} ({})", e, self.timezone.source.describe())))
    }

    /// The counter's cinema, if it belongs to one.
    pub fn cinema(&self) -> Option<&str> {
        Some(self.cinema.value.as_str()).filter(|c| !c.is_empty())
    }

    /// The selling rules these settings make.
    pub fn policy(&self) -> Policy {
        Policy {
            late_sale_minutes: self.late_sale_minutes.value,
            expiry_grace_hours: self.expiry_grace_hours.value,
            hold_minutes: self.hold_minutes.value,
            offer_minutes: self.offer_minutes.value,
            refund_cutoff_minutes: self.refund_cutoff_minutes.value,
            door_open_minutes: self.door_open_minutes.value,
        }
    }

    /// Every key with its value and source, as `config show` lists them.
    pub fn entries(&self) -> Vec<(&'static str, String, String)> {
        let s = |key, setting: &Setting<String>| (key, setting.value.clone(), setting.source.describe());
        let n = |key, setting: &Setting<i64>| (key, setting.value.to_string(), setting.source.describe());
        vec![
            s("theatre.name", &self.theatre_name),
            s("theatre.city", &self.theatre_city),
            s("theatre.timezone", &self.timezone),
            n("theatre.day_end_hour", &self.day_end_hour),
            s("money.currency", &self.currency),
            s("money.symbol", &self.currency_symbol),
            n("selling.hold_minutes", &self.hold_minutes),
            n("selling.late_sale_minutes", &self.late_sale_minutes),
            n("selling.expiry_grace_hours", &self.expiry_grace_hours),
            n("selling.refund_cutoff_minutes", &self.refund_cutoff_minutes),
            n("selling.offer_minutes", &self.offer_minutes),
            s("counter.operator", &self.operator),
            s("counter.cinema", &self.cinema),
            n("counter.lock_minutes", &self.lock_minutes),
            n("door.open_minutes", &self.door_open_minutes),
            s("door.name", &self.door_name),
            s("printer.device", &self.printer_device),
            n("printer.width", &self.printer_width),
        ]
    }
}

/// `config.toml` in the platform's config directory.
pub fn default_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "ticketly").map(|d| d.config_dir().join("config.toml"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_values_override_defaults_and_name_their_source() {
        let mut config = Config::default();
        let path = Path::new("/etc/t.toml");
        config
            .apply("[selling]\nhold_minutes = 8\n[money]\nsymbol = \"€\"\ncurrency = \"EUR\"\n", path)
            .expect("valid");
        assert_eq!(config.hold_minutes.value, 8);
        assert_eq!(config.hold_minutes.source, Source::File(path.into()));
        assert_eq!(config.late_sale_minutes.source, Source::Default);
        assert_eq!(config.policy().hold_minutes, 8);
        assert_eq!(config.currency_symbol.value, "€");
    }

    #[test]
    fn bad_files_name_the_key() {
        let path = Path::new("t.toml");
        let err = |text: &str| Config::default().apply(text, path).expect_err("invalid").to_string();
        assert!(err("[selling]\nhold_minutes = 0\n").contains("selling.hold_minutes"));
        assert!(err("[selling]\nhold_minute = 5\n").contains("hold_minute"));
        assert!(err("[selling]\nhold_minutes = \"five\"\n").contains("line 2"));
        assert!(err("[theatre\n").contains("line 1"));
        assert!(!err("[selling]\nhold_minute = 5\n").contains('\n'));
    }
}
