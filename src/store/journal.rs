//! The journal as a hash chain, holding every sale, refund, rebooking, check-in and till
//! event besides what was done outside the everyday rules. An entry is written in the
//! transaction of what it records, then sealed: given the next `seq`, the SHA-256 of the entry
//! before and its own, over a canonical encoding (the JSON array
//! `[seq, id, at, operator, action, detail, prev_hash]`). Sealing takes the journal's lock for
//! itself only, so sales of different shows never wait on each other; it runs with every
//! override, and before the chain is verified or its head printed. An entry edited or removed
//! afterwards breaks every hash after it, and `verify` also recomputes what the entries say the
//! tables must hold (see `journal_tables`).

use sha2::{Digest, Sha256};

use super::engine::{Engine, args};
use super::journal_tables::{Recorded, tables_agree};
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
    seq: Option<i64>,
    id: i64,
    at: String,
    operator: String,
    action: String,
    detail: String,
    prev_hash: String,
    hash: String,
}

fn hash_of(seq: i64, e: &Entry, prev: &str) -> String {
    let canonical = serde_json::json!([seq, e.id, e.at, e.operator, e.action, e.detail, prev]).to_string();
    Sha256::digest(canonical.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

fn entries(tx: &dyn Engine, sql: &str) -> Result<Vec<Entry>> {
    tx.query_vec(sql, args![], |r| {
        Ok(Entry {
            seq: r.get(0)?,
            id: r.get(1)?,
            at: r.get(2)?,
            operator: r.get(3)?,
            action: r.get(4)?,
            detail: r.get(5)?,
            prev_hash: r.get(6)?,
            hash: r.get(7)?,
        })
    })
}

const COLUMNS: &str = "SELECT seq, id, at, operator, action, detail, prev_hash, hash FROM journal";

/// Records an entry in the caller's transaction, to be sealed later (no lock: the hot path).
pub(super) fn record(tx: &dyn Engine, now: Time, operator: &str, action: &str, detail: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO journal (at, operator, action, detail) VALUES (?1, ?2, ?3, ?4)",
        args![store_time(&now), operator, action, detail],
    )?;
    Ok(())
}

/// Records an entry and seals the journal, in the caller's transaction (overrides, approvals,
/// operator changes: rare, and worth chaining at once).
pub(super) fn append(tx: &dyn Engine, now: Time, operator: &str, action: &str, detail: &str) -> Result<()> {
    record(tx, now, operator, action, detail)?;
    seal(tx)
}

/// Chains the entries not yet sealed, in the order of their ids, after the chain's head.
fn seal(tx: &dyn Engine) -> Result<()> {
    tx.lock_journal()?;
    let head: Option<(i64, String)> =
        tx.query_opt("SELECT seq, hash FROM journal WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1", args![], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })?;
    let (mut seq, mut prev) = head.unwrap_or((0, String::new()));
    for e in entries(tx, &format!("{COLUMNS} WHERE hash = '' ORDER BY id"))? {
        seq += 1;
        let hash = hash_of(seq, &e, &prev);
        tx.execute(
            "UPDATE journal SET seq = ?2, prev_hash = ?3, hash = ?4 WHERE id = ?1",
            args![e.id, seq, prev, hash],
        )?;
        prev = hash;
    }
    Ok(())
}

/// Journals every payment of the table (the large demo writes its rows directly; the same
/// statement as schema version 10's for the payments made before it).
pub(super) const JOURNAL_EVERY_PAYMENT: &str = "INSERT INTO journal (at, operator, action, detail)
SELECT created_at, operator, 'payment',
       '{\"booking_id\":' || booking_id || ',\"kind\":\"' || kind || '\",\"method\":\"' || method || '\",\"amount\":' || amount
       || ',\"tickets\":' || tickets || ',\"type\":\"' || ticket_type || '\"}'
  FROM payment ORDER BY id";

impl Store {
    /// Seals what is not yet sealed, then recomputes the chain (its length and head, or the
    /// first entry that does not follow: edited, or one before it removed) and the payments
    /// (the table must hold exactly the payments the journal records). With `head`, that hash
    /// (or its first 12 characters or more) must be in the chain.
    pub fn verify_journal(&mut self, head: Option<&str>) -> Result<Chain> {
        self.write(seal)?;
        // The entries and the tables they vouch for, read in one transaction: a sale committed
        // in between must not look like a row added by hand.
        let (all, agree) = self.read(|tx| {
            let all = entries(tx, &format!("{COLUMNS} ORDER BY seq"))?;
            let recorded: Vec<Recorded> =
                all.iter().map(|e| Recorded { id: e.id, action: &e.action, detail: &e.detail }).collect();
            let agree = tables_agree(tx, &recorded);
            Ok((all, agree))
        })?;
        let mut prev = String::new();
        let mut seen_head = head.is_none();
        for (n, e) in all.iter().enumerate() {
            let seq = n as i64 + 1;
            if e.seq != Some(seq) || e.prev_hash != prev || e.hash != hash_of(seq, e, &prev) {
                return Err(Error::Database(format!(
                    "journal entry {} does not match the chain: it, or an entry before it, was changed or removed",
                    e.id
                )));
            }
            let wanted = head.unwrap_or_default().to_ascii_lowercase();
            if wanted.len() >= 12 && e.hash.starts_with(&wanted) {
                seen_head = true;
            }
            prev = e.hash.clone();
        }
        if !seen_head {
            return Err(Error::Database(format!(
                "the head {} is not in the journal's chain (mistyped, or the chain was rewritten after it was printed)",
                crate::domain::text::excerpt(head.unwrap_or_default())
            )));
        }
        agree?;
        // The tickets the journal vouches for only through their payments (those before it
        // knew them): the audit's identities (each booking's payments match its tickets'
        // prices, no seat sold twice) catch a price or status edited by hand.
        let audit = self.audit()?;
        if let Some(problem) = audit.problems().first() {
            return Err(Error::Database(format!("the tickets no longer agree with the journal's payments: {problem}")));
        }
        Ok(Chain { entries: all.len(), head: prev })
    }

    /// Chains the entries not yet sealed (cron's `expire` does, every run).
    pub fn seal_journal(&mut self) -> Result<()> {
        self.write(seal)
    }

    /// The chain's head once everything is sealed (empty when the journal is empty), for the
    /// day's cash-up.
    pub fn journal_head(&mut self) -> Result<String> {
        // A read-only database cannot seal: its head is the last one sealed.
        let _ = self.write(seal);
        self.read(|tx| {
            Ok(tx
                .query_opt("SELECT hash FROM journal WHERE seq IS NOT NULL ORDER BY seq DESC LIMIT 1", args![], |r| {
                    r.get(0)
                })?
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

    #[test]
    fn every_payment_is_journalled_and_one_edited_by_hand_is_caught() {
        use crate::domain::model::SeatRequest;
        use crate::domain::policy::Policy;
        use crate::store::engine::args;
        use crate::store::test_support::{small_show, walk_in};
        each_engine(|db| {
            let (mut store, slot) = small_show(db, 1, 4);
            let p = Policy::default();
            let now = t("2026-11-23 12:00");
            let sale = store.sell(&walk_in(slot, SeatRequest::Count(2)), now, &p).expect("sale");
            store.cancel(&sale.tickets[0].code, "till1", false, now, &p).expect("refund");
            let chain = store.verify_journal(None).expect("verified");
            assert_eq!(chain.entries, 2, "the sale's payment and the refund");
            // A refund's amount edited in the table, by hand: caught.
            store.write(|tx| tx.batch("UPDATE payment SET amount = 1 WHERE kind = 'refund'")).expect("tampered");
            let caught = store.verify_journal(None).expect_err("caught");
            assert!(caught.to_string().contains("payments no longer agree with the journal"), "{caught}");
            store.write(|tx| tx.batch("UPDATE payment SET amount = 1000 WHERE kind = 'refund'")).expect("put back");
            assert!(store.verify_journal(None).is_ok());
            // A payment added by hand (money out of nowhere): caught too.
            let booking: i64 = store.read(|tx| tx.value("SELECT MIN(id) FROM booking", args![])).expect("booking");
            let sql = format!(
                "INSERT INTO payment (booking_id, kind, method, amount, tickets, operator, created_at, ticket_type)
                 VALUES ({booking}, 'refund', 'cash', 500, 0, 'x', '2026-11-23 12:30:00', 'Adult')"
            );
            store.write(|tx| tx.batch(&sql)).expect("added");
            assert!(store.verify_journal(None).is_err());
            store.write(|tx| tx.batch("DELETE FROM payment WHERE tickets = 0 AND amount = 500")).expect("removed");
            // A ticket's price edited by hand: its booking's payments no longer match it.
            store.write(|tx| tx.batch("UPDATE ticket SET price = 1 WHERE status = 'booked'")).expect("tampered");
            let caught = store.verify_journal(None).expect_err("caught");
            assert!(caught.to_string().contains("tickets no longer agree"), "{caught}");
            store.write(|tx| tx.batch("UPDATE ticket SET price = 1000 WHERE status = 'booked'")).expect("put back");
            assert!(store.verify_journal(None).is_ok());
            // A ticket moved to another seat by hand (its payments still match): the sale's
            // entry says which seat it sold.
            let swap =
                "UPDATE ticket SET seat_id = (SELECT MIN(id) FROM seat WHERE id NOT IN (SELECT seat_id FROM ticket))
                         WHERE status = 'booked'";
            store.write(|tx| tx.batch(swap)).expect("tampered");
            let caught = store.verify_journal(None).expect_err("caught");
            let booked = &sale.tickets[1].code;
            assert!(caught.to_string().contains(&format!("ticket {booked} was changed")), "{caught}");
            let put_back = format!(
                "UPDATE ticket SET seat_id = (SELECT id FROM seat WHERE row_label || number = '{}') WHERE code = '{booked}'",
                sale.tickets[1].seat
            );
            store.write(|tx| tx.batch(&put_back)).expect("put back");
            assert!(store.verify_journal(None).is_ok());
            // Moved by hand to another show in the same hall (the same seat): caught.
            let other = crate::store::test_support::avatar_in_small(&mut store, "2026-11-24 20:00", "2026-11-24 22:00");
            let moved = format!("UPDATE ticket SET slot_id = {other} WHERE code = '{booked}'");
            store.write(|tx| tx.batch(&moved)).expect("tampered");
            let caught = store.verify_journal(None).expect_err("caught");
            assert!(caught.to_string().contains(&format!("ticket {booked} was changed")), "{caught}");
            let back = format!("UPDATE ticket SET slot_id = (SELECT MIN(id) FROM slot) WHERE code = '{booked}'");
            store.write(|tx| tx.batch(&back)).expect("put back");
            assert!(store.verify_journal(None).is_ok());
            // Expired by hand before its show ended (the seat free to sell again): caught, even
            // with its change time set after the show.
            let expire = format!(
                "UPDATE ticket SET status = 'expired', changed_at = '2099-01-01 00:00:00' WHERE code = '{booked}'"
            );
            store.write(|tx| tx.batch(&expire)).expect("tampered");
            let caught = store.verify_journal(None).expect_err("caught");
            assert!(caught.to_string().contains(&format!("ticket {booked} was changed")), "{caught}");
            let unexpire = format!("UPDATE ticket SET status = 'booked' WHERE code = '{booked}'");
            store.write(|tx| tx.batch(&unexpire)).expect("put back");
            assert!(store.verify_journal(None).is_ok());
            // A till's float edited by hand after it was closed: caught.
            store.open_till("till1", 5000, now).expect("open");
            store.close_till("till1", 7000, t("2026-11-23 22:00")).expect("close");
            assert!(store.verify_journal(None).is_ok());
            store.write(|tx| tx.batch("UPDATE till_session SET float = 9000")).expect("tampered");
            let caught = store.verify_journal(None).expect_err("caught");
            assert!(caught.to_string().contains("tills no longer agree"), "{caught}");
            store.write(|tx| tx.batch("UPDATE till_session SET float = 5000")).expect("put back");
            assert!(store.verify_journal(None).is_ok());
            // A mark written after the sales, to exempt their tickets: refused.
            let mark = "INSERT INTO journal (at, operator, action, detail)
                        VALUES ('2026-11-23 13:00:00', 'x', 'tickets before the journal', '{\"through_ticket_id\":999999}')";
            store.write(|tx| tx.batch(mark)).expect("appended");
            let caught = store.verify_journal(None).expect_err("caught");
            assert!(caught.to_string().contains("after sales it records"), "{caught}");
        });
    }
}
