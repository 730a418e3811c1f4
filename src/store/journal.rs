//! The journal as a hash chain: each entry holds the SHA-256 of the entry before and its own,
//! over a canonical encoding (the JSON array `[id, at, operator, action, detail, prev_hash]`),
//! so an entry edited or removed afterwards breaks every hash after it. The database refuses
//! to change or remove a chained entry; `verify` recomputes the chain, and a head printed on a
//! day's cash-up proves later that nothing before it changed.

use sha2::{Digest, Sha256};

use super::engine::{Engine, args};
use super::{Error, Result, Store};
use crate::domain::time::{Time, store_time};

/// What `journal verify` found: how many entries, and the chain's last hash.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Chain {
    pub entries: usize,
    pub head: String,
}

/// One entry as the chain hashes it.
struct Entry {
    id: i64,
    at: String,
    operator: String,
    action: String,
    detail: String,
    prev_hash: String,
    hash: String,
}

const ENTRIES: &str = "SELECT id, at, operator, action, detail, prev_hash, hash FROM journal ORDER BY id";

fn hash_of(id: i64, at: &str, operator: &str, action: &str, detail: &str, prev: &str) -> String {
    let canonical = serde_json::json!([id, at, operator, action, detail, prev]).to_string();
    Sha256::digest(canonical.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn entries(tx: &dyn Engine) -> Result<Vec<Entry>> {
    tx.query_vec(ENTRIES, args![], |r| {
        Ok(Entry {
            id: r.get(0)?,
            at: r.get(1)?,
            operator: r.get(2)?,
            action: r.get(3)?,
            detail: r.get(4)?,
            prev_hash: r.get(5)?,
            hash: r.get(6)?,
        })
    })
}

/// Chains entries written before the journal was a chain (their hash is empty), in order.
fn seal(tx: &dyn Engine) -> Result<String> {
    let mut prev = String::new();
    for e in entries(tx)? {
        if e.hash.is_empty() {
            let hash = hash_of(e.id, &e.at, &e.operator, &e.action, &e.detail, &prev);
            tx.execute("UPDATE journal SET prev_hash = ?2, hash = ?3 WHERE id = ?1", args![e.id, prev, hash])?;
            prev = hash;
        } else {
            prev = e.hash;
        }
    }
    Ok(prev)
}

/// Appends an entry after the chain's head, in the caller's transaction.
pub(super) fn append(tx: &dyn Engine, now: Time, operator: &str, action: &str, detail: &str) -> Result<()> {
    tx.lock_journal()?;
    let head: Option<String> =
        tx.query_opt("SELECT hash FROM journal ORDER BY id DESC LIMIT 1", args![], |r| r.get(0))?;
    let prev = match head {
        Some(h) if h.is_empty() => seal(tx)?,
        Some(h) => h,
        None => String::new(),
    };
    let at = store_time(&now);
    let id = tx.insert(
        "INSERT INTO journal (at, operator, action, detail) VALUES (?1, ?2, ?3, ?4) RETURNING id",
        args![at, operator, action, detail],
    )?;
    let hash = hash_of(id, &at, operator, action, detail, &prev);
    tx.execute("UPDATE journal SET prev_hash = ?2, hash = ?3 WHERE id = ?1", args![id, prev, hash])?;
    Ok(())
}

impl Store {
    /// Recomputes the chain: its length and head, or the first entry that does not match (an
    /// entry edited, or one before it removed). With `head`, that hash must be in the chain.
    pub fn verify_journal(&mut self, head: Option<&str>) -> Result<Chain> {
        // Entries from before the chain get their hashes first (once).
        let unsealed: i64 = self.read(|tx| tx.value("SELECT COUNT(*) FROM journal WHERE hash = ''", args![]))?;
        if unsealed > 0 {
            self.write(|tx| {
                tx.lock_journal()?;
                seal(tx).map(|_| ())
            })?;
        }
        let all = self.read(entries)?;
        let mut prev = String::new();
        let mut seen_head = head.is_none();
        for e in &all {
            let expected = hash_of(e.id, &e.at, &e.operator, &e.action, &e.detail, &prev);
            if e.prev_hash != prev || e.hash != expected {
                return Err(Error::Database(format!(
                    "journal entry {} does not match the chain: it, or an entry before it, was changed or removed",
                    e.id
                )));
            }
            if head.is_some_and(|h| {
                h.eq_ignore_ascii_case(&e.hash) || (h.len() >= 12 && e.hash.starts_with(&h.to_ascii_lowercase()))
            }) {
                seen_head = true;
            }
            prev = e.hash.clone();
        }
        if !seen_head {
            return Err(Error::Database(format!(
                "the head {} is not in the journal's chain: the chain was rewritten after it was printed",
                crate::domain::text::excerpt(head.unwrap_or_default())
            )));
        }
        Ok(Chain { entries: all.len(), head: prev })
    }

    /// The chain's head now (empty when the journal is empty), for the day's cash-up.
    pub fn journal_head(&mut self) -> Result<String> {
        self.read(|tx| {
            Ok(tx
                .query_opt("SELECT hash FROM journal ORDER BY id DESC LIMIT 1", args![], |r| r.get(0))?
                .unwrap_or_default())
        })
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::staff::Role;
    use crate::store::test_support::{each_engine, t};

    #[test]
    fn the_chain_verifies_and_the_database_refuses_to_edit_or_remove_an_entry() {
        each_engine(|db| {
            let mut store = db.open();
            let now = t("2026-11-23 12:00");
            store.add_operator("Boss", Role::Admin, "4711", "setup", now).expect("admin");
            store.add_operator("Ann", Role::Cashier, "3333", "Boss", now).expect("cashier");
            let _ = store.sign_in("Ann", "0000", now);
            let chain = store.verify_journal(None).expect("verified");
            assert_eq!(chain.entries, 3);
            assert_eq!(chain.head.len(), 64);
            assert_eq!(store.journal_head().expect("head"), chain.head);
            let early = chain.head.clone();
            store.disable_operator("Ann", "Boss", now).expect("disable");
            assert!(store.verify_journal(Some(&early)).is_ok(), "an earlier head is in the chain");
            assert!(store.verify_journal(Some(&early[..12])).is_ok(), "its first 12 characters too");
            assert!(store.verify_journal(Some("deadbeefdeadbeef")).is_err());
            for sql in ["UPDATE journal SET detail = 'nothing' WHERE id = 1", "DELETE FROM journal WHERE id = 2"] {
                let refused = store.write(|tx| tx.batch(sql)).expect_err("append-only");
                assert!(refused.to_string().contains("append-only"), "{refused}");
            }
            // Someone with the database's keys drops the guard and removes an entry: verify
            // names the first entry that no longer follows.
            store
                .write(|tx| {
                    let drop = match tx.kind() {
                        crate::store::EngineKind::Sqlite => "DROP TRIGGER journal_no_delete",
                        crate::store::EngineKind::Postgres => "DROP TRIGGER journal_append_only ON journal",
                    };
                    tx.batch(drop)?;
                    tx.batch("DELETE FROM journal WHERE id = 2")
                })
                .expect("tampered");
            let broken = store.verify_journal(None).expect_err("broken chain");
            assert!(broken.to_string().contains("journal entry 3 does not match"), "{broken}");
            assert_eq!(broken.exit_code(), 1);
        });
    }
}
