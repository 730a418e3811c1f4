//! Operators: adding, disabling, changing a PIN, and signing in. PINs are kept only as Argon2
//! hashes (hashing and checking happen outside any transaction: they are slow on purpose).
//! Every change, every wrong PIN and every lockout goes to the journal.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

use super::engine::{Engine, args};
use super::records::journal;
use super::{Result, Store};
use crate::domain::error::{invalid, not_allowed, not_found};
use crate::domain::staff::{MAX_FAILURES, Role, check_pin, lockout};
use crate::domain::text::{clean, excerpt};
use crate::domain::time::{Time, local, read_store_time, store_time};

/// An operator as `operator list` shows them (never the PIN).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct OperatorInfo {
    pub name: String,
    pub role: Role,
    pub disabled: bool,
    /// Locked out after wrong PINs, until then.
    pub locked_until: Option<String>,
}

impl Store {
    /// Whether the theatre has operators (then commands that change something need one).
    pub fn has_operators(&mut self) -> Result<bool> {
        self.read(|tx| Ok(tx.value::<i64>("SELECT COUNT(*) FROM operator", args![])? > 0))
    }

    pub fn operators(&mut self) -> Result<Vec<OperatorInfo>> {
        self.read(|tx| {
            tx.query_vec("SELECT name, role, disabled, locked_until FROM operator ORDER BY lower(name)", args![], |r| {
                let role: String = r.get(1)?;
                let locked: Option<String> = r.get(3)?;
                Ok(OperatorInfo {
                    name: r.get(0)?,
                    role: Role::parse(&role).unwrap_or(Role::Cashier),
                    disabled: r.get::<i64>(2)? == 1,
                    locked_until: locked
                        .map(|l| read_store_time(&l).map(|t| local(&t).format("%H:%M").to_string()))
                        .transpose()?,
                })
            })
        })
    }

    /// Adds an operator. The first one must be an admin (anyone may add it); after that the
    /// caller has checked that `by` is an admin.
    pub fn add_operator(&mut self, name: &str, role: Role, pin: &str, by: &str, now: Time) -> Result<()> {
        let name = clean("operator name", name, 40)?;
        check_pin(pin)?;
        let hash = hash_pin(pin)?;
        self.write(|tx| {
            let first = tx.value::<i64>("SELECT COUNT(*) FROM operator", args![])? == 0;
            if first && role != Role::Admin {
                return Err(invalid("the first operator must be an admin: add one with --role admin").into());
            }
            if existing(tx, &name)?.is_some() {
                return Err(
                    crate::domain::error::conflict(format!("operator '{}' exists already", excerpt(&name))).into()
                );
            }
            tx.execute(
                "INSERT INTO operator (name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4)",
                args![name, role.name(), hash, store_time(&now)],
            )?;
            journal(tx, now, by, "operator added", &format!("{name} ({})", role.name()))
        })
    }

    /// Disables an operator: they can no longer sign in.
    pub fn disable_operator(&mut self, name: &str, by: &str, now: Time) -> Result<()> {
        self.write(|tx| {
            let found =
                existing(tx, name)?.ok_or_else(|| not_found(format!("no operator '{}'", excerpt(name.trim()))))?;
            // Someone must always be able to manage the staff.
            let other_admins: i64 = tx.value(
                "SELECT COUNT(*) FROM operator WHERE role = 'admin' AND disabled = 0 AND name <> ?1",
                args![found],
            )?;
            let is_admin: i64 =
                tx.value("SELECT COUNT(*) FROM operator WHERE name = ?1 AND role = 'admin'", args![found])?;
            if is_admin == 1 && other_admins == 0 {
                return Err(crate::domain::error::conflict(format!(
                    "'{found}' is the only admin: add another admin before disabling them"
                ))
                .into());
            }
            tx.execute("UPDATE operator SET disabled = 1 WHERE name = ?1", args![found])?;
            journal(tx, now, by, "operator disabled", &found)
        })
    }

    /// Sets an operator's PIN (and lifts a lockout).
    pub fn set_pin(&mut self, name: &str, pin: &str, by: &str, now: Time) -> Result<()> {
        check_pin(pin)?;
        let hash = hash_pin(pin)?;
        self.write(|tx| {
            let found =
                existing(tx, name)?.ok_or_else(|| not_found(format!("no operator '{}'", excerpt(name.trim()))))?;
            tx.execute(
                "UPDATE operator SET pin_hash = ?2, failures = 0, locked_until = NULL WHERE name = ?1",
                args![found, hash],
            )?;
            journal(tx, now, by, "operator PIN changed", &found)
        })
    }

    /// Checks `name`'s PIN: their role, or why not (exit 7). A wrong PIN counts towards the
    /// lockout and is journalled, in a transaction of its own; nothing else is written.
    /// Journals a refusal for want of a right (a cashier trying to approve, or to change the
    /// schedule): only the attempt is written, as for a wrong PIN.
    pub fn record_refusal(&mut self, operator: &str, why: &str, now: Time) -> Result<()> {
        self.write(|tx| journal(tx, now, operator, "not allowed", why))
    }

    pub fn sign_in(&mut self, name: &str, pin: &str, now: Time) -> Result<(String, Role)> {
        let row: Option<(String, String, String, i64, i64, Option<String>)> = self.read(|tx| {
            tx.query_opt(
                "SELECT name, role, pin_hash, disabled, failures, locked_until FROM operator WHERE lower(name) = lower(?1)",
                args![name.trim()],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?)),
            )
        })?;
        let Some((found, role, hash, disabled, failures, locked)) = row else {
            return Err(not_allowed(format!(
                "no operator '{}': sign in as one of the theatre's operators",
                excerpt(name.trim())
            ))
            .into());
        };
        if disabled == 1 {
            return Err(not_allowed(format!("operator '{found}' is disabled")).into());
        }
        if let Some(until) = locked.map(|l| read_store_time(&l)).transpose()?
            && until > now
        {
            return Err(not_allowed(format!(
                "operator '{found}' is locked after {MAX_FAILURES} wrong PINs until {}",
                local(&until).format("%H:%M")
            ))
            .into());
        }
        if verify_pin(pin, &hash) {
            // Only a run of wrong PINs needs resetting: an ordinary sign-in writes nothing.
            if failures > 0 {
                self.write(|tx| {
                    tx.execute("UPDATE operator SET failures = 0, locked_until = NULL WHERE name = ?1", args![found])
                        .map(|_| ())
                })?;
            }
            return Ok((found, Role::parse(&role)?));
        }
        let locked_now = self.write(|tx| {
            let failures = tx.value::<i64>("SELECT failures FROM operator WHERE name = ?1", args![found])? + 1;
            journal(tx, now, &found, "wrong PIN", &format!("attempt {failures}"))?;
            if failures >= MAX_FAILURES {
                let until = now + lockout();
                tx.execute(
                    "UPDATE operator SET failures = 0, locked_until = ?2 WHERE name = ?1",
                    args![found, store_time(&until)],
                )?;
                journal(tx, now, &found, "operator locked", &format!("until {}", store_time(&until)))?;
                return Ok(true);
            }
            tx.execute("UPDATE operator SET failures = ?2 WHERE name = ?1", args![found, failures])?;
            Ok(false)
        })?;
        let more = if locked_now { format!("; '{found}' is now locked for 5 minutes") } else { String::new() };
        Err(not_allowed(format!("wrong PIN for '{found}'{more}")).into())
    }

    /// Journals this approval in the next write transaction, the one doing what it approves:
    /// the action and its approval commit together, or neither does.
    pub fn approve_next_write(&mut self, action: &str, asked_by: &str, approved_by: &str, reason: &str, now: Time) {
        self.approval = Some(Approval {
            action: action.to_string(),
            asked_by: asked_by.to_string(),
            approved_by: approved_by.to_string(),
            reason: reason.to_string(),
            now,
        });
    }
}

impl Store {
    /// Runs `action` with a manager's approval, `(what, asked by, approved by, reason)`,
    /// journalled in its write transaction. An approval the action did not write (it was
    /// refused before writing anything) is dropped, never left for a later write.
    pub fn approved<T>(
        &mut self,
        approval: Option<(&str, &str, &str, &str)>,
        now: Time,
        action: impl FnOnce(&mut Store) -> Result<T>,
    ) -> Result<T> {
        if let Some((what, asked_by, approved_by, reason)) = approval {
            self.approve_next_write(what, asked_by, approved_by, reason, now);
        }
        let done = action(self);
        self.approval = None;
        done
    }
}

/// An approval waiting for the write it approves (see [`Store::approve_next_write`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Approval {
    action: String,
    asked_by: String,
    approved_by: String,
    reason: String,
    now: Time,
}

pub(super) fn journal_approval(tx: &dyn Engine, a: &Approval) -> Result<()> {
    let detail = format!("{} · approved by {} · {}", a.action, a.approved_by, a.reason);
    journal(tx, a.now, &a.asked_by, "approved", &detail)
}

/// One entry of the journal, for an auditor.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct JournalEntry {
    pub id: i64,
    pub at: String,
    pub operator: String,
    pub action: String,
    pub detail: String,
}

impl Store {
    /// The journal's entries, oldest first: of one day (the theatre's), of one operator.
    pub fn journal_entries(
        &mut self,
        date: Option<chrono::NaiveDate>,
        operator: Option<&str>,
    ) -> Result<Vec<JournalEntry>> {
        let span = date.map(crate::domain::time::day_span).transpose()?;
        let (from, to) = span.map_or((String::new(), "9999".to_string()), |(f, t)| (store_time(&f), store_time(&t)));
        self.read(|tx| {
            tx.query_vec(
                "SELECT id, at, operator, action, detail FROM journal
                  WHERE at >= ?1 AND at < ?2
                    AND (CAST(?3 AS TEXT) IS NULL OR lower(operator) = lower(?3)
                         OR lower(detail) LIKE '%approved by ' || lower(?3) || ' %')
                  ORDER BY id",
                args![from, to, operator],
                |r| {
                    let at: String = r.get(1)?;
                    Ok(JournalEntry {
                        id: r.get(0)?,
                        at: crate::domain::time::format_time(&read_store_time(&at)?),
                        operator: r.get(2)?,
                        action: r.get(3)?,
                        detail: r.get(4)?,
                    })
                },
            )
        })
    }
}

fn existing(tx: &dyn Engine, name: &str) -> Result<Option<String>> {
    tx.query_opt("SELECT name FROM operator WHERE lower(name) = lower(?1)", args![name.trim()], |r| r.get(0))
}

/// The PIN's Argon2 hash (PHC string, with a random salt).
fn hash_pin(pin: &str) -> Result<String> {
    let salt = SaltString::encode_b64(uuid::Uuid::new_v4().as_bytes())
        .map_err(|e| super::Error::Database(format!("cannot make a salt: {e}")))?;
    Argon2::default()
        .hash_password(pin.trim_end_matches(['\n', '\r']).as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| super::Error::Database(format!("cannot hash the PIN: {e}")))
}

fn verify_pin(pin: &str, hash: &str) -> bool {
    PasswordHash::new(hash).is_ok_and(|parsed| {
        Argon2::default().verify_password(pin.trim_end_matches(['\n', '\r']).as_bytes(), &parsed).is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::test_support::{each_engine, t};

    #[test]
    fn pins_are_hashed_and_five_wrong_ones_lock_the_operator_for_five_minutes() {
        each_engine(|db| {
            let mut store = db.open();
            let now = t("2026-11-23 12:00");
            assert!(!store.has_operators().expect("none"));
            let first = store.add_operator("Ann", Role::Cashier, "1234", "setup", now).expect_err("first not admin");
            assert_eq!(first.exit_code(), 5);
            store.add_operator("Ann", Role::Admin, "1234", "setup", now).expect("admin");
            store.add_operator("Bo", Role::Cashier, "5678", "Ann", now).expect("cashier");
            let hashes: Vec<String> =
                store.read(|tx| tx.column("SELECT pin_hash FROM operator", args![])).expect("hashes");
            assert!(hashes.iter().all(|h| h.starts_with("$argon2") && !h.contains("1234") && !h.contains("5678")));
            assert_eq!(store.sign_in("bo", "5678", now).expect("signed in"), ("Bo".to_string(), Role::Cashier));
            for attempt in 1..=5 {
                let refused = store.sign_in("Bo", "0000", now).expect_err("wrong PIN");
                assert_eq!(refused.exit_code(), 7, "attempt {attempt}");
            }
            let locked = store.sign_in("Bo", "5678", now).expect_err("locked");
            assert!(locked.to_string().contains("locked after 5 wrong PINs until 12:05"), "{locked}");
            assert!(store.sign_in("Bo", "5678", t("2026-11-23 12:05")).is_ok(), "the lock runs out");
            let journal: Vec<String> =
                store.read(|tx| tx.column("SELECT action FROM journal ORDER BY id", args![])).expect("journal");
            assert_eq!(journal.iter().filter(|a| *a == "wrong PIN").count(), 5);
            assert!(journal.contains(&"operator locked".to_string()));
            // An approval commits with what it approved, or not at all.
            let count = |store: &mut Store| {
                store.read(|tx| tx.value::<i64>("SELECT COUNT(*) FROM journal WHERE action = 'approved'", args![]))
            };
            store.approve_next_write("refund (cancel TKT-NOSUCH)", "Bo", "Ann", "goodwill", now);
            let p = crate::domain::policy::Policy::default();
            assert!(store.cancel("TKT-NOSUCH", "Bo", true, now, &p).is_err());
            assert_eq!(count(&mut store).expect("count"), 0, "the refund failed: no approval");
            store.disable_operator("ann", "Bo", now).expect_err("the only admin");
            assert_eq!(count(&mut store).expect("count"), 0, "nor does a later write inherit it");
            // An approved action refused before it writes anything: its approval is dropped, not
            // left for the next write (here, a till opening).
            let refused: Result<()> = store.approved(Some(("refund", "Bo", "Ann", "goodwill")), now, |_| {
                Err(crate::domain::error::conflict("refused before any write").into())
            });
            assert!(refused.is_err());
            store.open_till("Bo", 1000, now).expect("till");
            assert_eq!(count(&mut store).expect("count"), 0, "the till opening carries no approval");
            store.disable_operator("bo", "Ann", now).expect("disable");
            assert_eq!(store.sign_in("Bo", "5678", now).expect_err("disabled").exit_code(), 7);
        });
    }
}
