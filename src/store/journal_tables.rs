//! What the journal says the tables must hold, and the comparison `journal verify` makes.
//!
//! A sale, a refund and a rebooking each journal one entry in their transaction: the payment
//! rows it wrote, and every ticket it touched as it left it (code, show, booking, seat, type,
//! price, status).
//! Check-ins, their undos and till sessions journal their own entries. `verify` folds the
//! entries into what each table must hold and compares: a payment, ticket, check-in or till
//! row added, edited or removed by hand no longer agrees. Tickets written before the journal
//! knew them (a database upgraded to version 11, the bulk demo) stand behind a mark entry;
//! those are vouched for by their payments only, through the audit.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::engine::{Engine, args};
use super::{Error, Result};
use crate::domain::money::Cents;

/// A journal entry as the comparison reads it.
pub(super) struct Recorded<'a> {
    pub id: i64,
    pub action: &'a str,
    pub detail: &'a str,
}

/// A ticket as a sale, refund or rebooking left it: its show, booking and seat, type, price
/// and status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct JournalTicket {
    pub code: String,
    pub slot_id: i64,
    pub booking_id: i64,
    pub seat_id: i64,
    pub ticket_type: String,
    pub price: Cents,
    pub status: String,
}

/// A payment row as written: kind, amount, tickets, type.
pub(super) type PaymentLine<'a> = (&'static str, Cents, usize, &'a str);

/// The entry of a sale, refund or rebooking: its booking, payments and tickets.
pub(super) fn money_detail(booking: i64, method: &str, payments: &[PaymentLine], tickets: &[JournalTicket]) -> String {
    let payments: Vec<Value> = payments
        .iter()
        .map(
            |(kind, amount, n, ticket_type)| json!({"kind": kind, "amount": amount, "tickets": n, "type": ticket_type}),
        )
        .collect();
    let tickets: Vec<Value> = tickets
        .iter()
        .map(|t| {
            json!({"code": t.code, "slot_id": t.slot_id, "booking_id": t.booking_id, "seat_id": t.seat_id,
                   "type": t.ticket_type, "price": t.price, "status": t.status})
        })
        .collect();
    json!({"booking_id": booking, "method": method, "payments": payments, "tickets": tickets}).to_string()
}

const TICKET_STATE: &str = "SELECT code, slot_id, booking_id, seat_id, ticket_type, price, status FROM ticket";

fn ticket_state(r: &super::engine::Row) -> Result<JournalTicket> {
    Ok(JournalTicket {
        code: r.get(0)?,
        slot_id: r.get(1)?,
        booking_id: r.get(2)?,
        seat_id: r.get(3)?,
        ticket_type: r.get(4)?,
        price: r.get(5)?,
        status: r.get(6)?,
    })
}

/// The tickets `ids` as they stand now in the caller's transaction.
pub(super) fn ticket_states(tx: &dyn Engine, ids: &[i64]) -> Result<Vec<JournalTicket>> {
    ids.iter().map(|id| tx.query_row(&format!("{TICKET_STATE} WHERE id = ?1"), args![id], ticket_state)).collect()
}

/// The action of the mark that tickets up to an id were written before the journal knew them.
pub(super) const TICKETS_MARK: &str = "tickets before the journal";

/// Writes that mark for every ticket there is now (schema version 11 does the same).
pub(super) const MARK_TICKETS_BEFORE: &str = "INSERT INTO journal (at, operator, action, detail)
SELECT MAX(created_at), 'ticketly', 'tickets before the journal', '{\"through_ticket_id\":' || MAX(id) || '}'
  FROM ticket HAVING COUNT(*) > 0";

fn read(e: &Recorded) -> Result<Value> {
    serde_json::from_str(e.detail)
        .map_err(|_| Error::Database(format!("journal entry {} ({}) is not one it can read", e.id, e.action)))
}

/// The payments, as (booking, kind, method, amount, tickets, type) → how many.
type Payments = BTreeMap<(i64, String, String, i64, i64, String), i64>;

fn payment_key(booking: i64, method: &str, p: &Value) -> (i64, String, String, i64, i64, String) {
    let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
    (
        booking,
        text(&p["kind"]),
        method.to_string(),
        p["amount"].as_i64().unwrap_or_default(),
        p["tickets"].as_i64().unwrap_or_default(),
        text(&p["type"]),
    )
}

/// A sale, refund or rebooking (since version 11), or one payment (version 10's entries).
fn is_money(action: &str) -> bool {
    matches!(action, "sale" | "refund" | "rebooking")
}

fn journalled_payments(entries: &[Recorded]) -> Result<Payments> {
    let mut out = Payments::new();
    for e in entries {
        if e.action != "payment" && !is_money(e.action) {
            continue;
        }
        let v = read(e)?;
        let (booking, method) =
            (v["booking_id"].as_i64().unwrap_or_default(), v["method"].as_str().unwrap_or_default());
        let lines = match v["payments"].as_array() {
            Some(lines) => lines.clone(),
            None => vec![v.clone()],
        };
        for line in &lines {
            *out.entry(payment_key(booking, method, line)).or_default() += 1;
        }
    }
    Ok(out)
}

fn table_payments(tx: &dyn Engine) -> Result<Payments> {
    let rows: Vec<(i64, String, String, i64, i64, String)> =
        tx.query_vec("SELECT booking_id, kind, method, amount, tickets, ticket_type FROM payment", args![], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?))
        })?;
    let mut out = Payments::new();
    for row in rows {
        *out.entry(row).or_default() += 1;
    }
    Ok(out)
}

/// Check-ins per ticket: (rows, standing ones).
type CheckIns = BTreeMap<i64, (i64, i64)>;

fn journalled_check_ins(entries: &[Recorded]) -> CheckIns {
    let mut out = CheckIns::new();
    for e in entries {
        let (admitted, undone) = match e.action {
            "check-in" => (1, 0),
            "check-in undone" => (0, 1),
            _ => continue,
        };
        let ticket = serde_json::from_str::<Value>(e.detail).ok().and_then(|v| v["ticket_id"].as_i64());
        let entry = out.entry(ticket.unwrap_or_default()).or_default();
        entry.0 += admitted;
        entry.1 += admitted - undone;
    }
    out
}

fn table_check_ins(tx: &dyn Engine) -> Result<CheckIns> {
    let rows: Vec<(i64, i64, i64)> = tx.query_vec(
        "SELECT ticket_id, COUNT(*), CAST(SUM(CASE WHEN undone_at IS NULL THEN 1 ELSE 0 END) AS BIGINT)
           FROM checkin GROUP BY ticket_id",
        args![],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    Ok(rows.into_iter().map(|(t, n, standing)| (t, (n, standing))).collect())
}

/// Till sessions: id → (float, counted when closed).
type Tills = BTreeMap<i64, (i64, Option<i64>)>;

fn journalled_tills(entries: &[Recorded]) -> Tills {
    let mut out = Tills::new();
    for e in entries.iter().filter(|e| e.action == "till opened" || e.action == "till closed") {
        let Ok(v) = serde_json::from_str::<Value>(e.detail) else { continue };
        let id = v["session_id"].as_i64().unwrap_or_default();
        let entry = out.entry(id).or_insert((0, None));
        match e.action {
            "till opened" => entry.0 = v["float"].as_i64().unwrap_or_default(),
            _ => entry.1 = v["counted"].as_i64(),
        }
    }
    out
}

fn table_tills(tx: &dyn Engine) -> Result<Tills> {
    let rows: Vec<(i64, i64, Option<i64>)> =
        tx.query_vec("SELECT id, float, counted FROM till_session", args![], |r| {
            Ok((r.get(0)?, r.get(1)?, r.get(2)?))
        })?;
    Ok(rows.into_iter().map(|(id, float, counted)| (id, (float, counted))).collect())
}

/// The last state the journal gives each ticket it knows, and the mark below which tickets
/// were written before it knew them.
fn journalled_tickets(entries: &[Recorded]) -> Result<(i64, BTreeMap<String, JournalTicket>)> {
    let (mut mark, mut out) = (0, BTreeMap::new());
    for e in entries {
        if e.action == TICKETS_MARK {
            // Written by an upgrade or a bulk load before any sale was journalled; one after
            // them would exempt tickets from this check.
            if !out.is_empty() {
                return Err(Error::Database(format!(
                    "journal entry {} marks tickets as from before the journal, after sales it records",
                    e.id
                )));
            }
            mark = mark.max(read(e)?["through_ticket_id"].as_i64().unwrap_or_default());
            continue;
        }
        if !is_money(e.action) {
            continue;
        }
        for t in read(e)?["tickets"].as_array().into_iter().flatten() {
            let text = |key: &str| t[key].as_str().unwrap_or_default().to_string();
            let number = |key: &str| t[key].as_i64().unwrap_or_default();
            let ticket = JournalTicket {
                code: text("code"),
                slot_id: number("slot_id"),
                booking_id: number("booking_id"),
                seat_id: number("seat_id"),
                ticket_type: text("type"),
                price: number("price"),
                status: text("status"),
            };
            out.insert(ticket.code.clone(), ticket);
        }
    }
    Ok((mark, out))
}

/// Compares the tickets with the journal: every ticket it knows must stand as it left it
/// (expiry turns a booked ticket expired without an entry, once it has passed the show), and
/// every ticket sold since the mark must be known.
fn tickets_agree(tx: &dyn Engine, entries: &[Recorded]) -> Result<()> {
    let (mark, mut journalled) = journalled_tickets(entries)?;
    // Each ticket, and whether expiry has passed its show (only then may a ticket the journal
    // says is booked stand expired: one expired by hand before its show ended is caught).
    let rows: Vec<(i64, JournalTicket, bool)> = tx.query_vec(
        "SELECT t.code, t.slot_id, t.booking_id, t.seat_id, t.ticket_type, t.price, t.status, t.id,
                CASE WHEN s.ends_at <= (SELECT done_through FROM expiry_mark WHERE id = 1) THEN 1 ELSE 0 END
           FROM ticket t JOIN slot s ON s.id = t.slot_id WHERE t.status <> 'held'",
        args![],
        |r| Ok((r.get(7)?, ticket_state(r)?, r.get::<i64>(8)? == 1)),
    )?;
    let changed = |code: &str| {
        Error::Database(format!(
            "the tickets no longer agree with the journal: ticket {code} was changed, added or removed by hand"
        ))
    };
    for (id, mut row, expiry_passed) in rows {
        match journalled.remove(&row.code) {
            Some(known) => {
                if row.status == "expired" && known.status == "booked" && expiry_passed {
                    row.status = known.status.clone();
                }
                if row != known {
                    return Err(changed(&row.code));
                }
            }
            // Sold or moved without an entry: written by hand. (A hold released or run out
            // leaves a cancelled or expired ticket that was never sold.)
            None if id > mark && (row.status == "booked" || row.status == "archived") => {
                return Err(changed(&row.code));
            }
            None => {}
        }
    }
    match journalled.into_keys().next() {
        Some(code) => Err(changed(&code)),
        None => Ok(()),
    }
}

/// Whether the payment, ticket, check-in and till tables hold what the journal says.
pub(super) fn tables_agree(tx: &dyn Engine, entries: &[Recorded]) -> Result<()> {
    let (journalled, payments) = (journalled_payments(entries)?, table_payments(tx)?);
    if let Some((key, _)) = payments
        .iter()
        .find(|(k, n)| journalled.get(*k) != Some(n))
        .or_else(|| journalled.iter().find(|(k, n)| payments.get(*k) != Some(n)))
    {
        return Err(Error::Database(format!(
            "the payments no longer agree with the journal: a {} of {} for booking #{} was changed, added or removed by hand",
            key.1, key.3, key.0
        )));
    }
    tickets_agree(tx, entries)?;
    let (journalled, check_ins) = (journalled_check_ins(entries), table_check_ins(tx)?);
    if let Some((ticket, _)) = check_ins
        .iter()
        .find(|(t, n)| journalled.get(*t) != Some(n))
        .or_else(|| journalled.iter().find(|(t, n)| check_ins.get(*t) != Some(n)))
    {
        return Err(Error::Database(format!(
            "the check-ins no longer agree with the journal: ticket #{ticket}'s were changed, added or removed by hand"
        )));
    }
    if table_tills(tx)? != journalled_tills(entries) {
        return Err(Error::Database(
            "the tills no longer agree with the journal: a float or a count was changed, or a session added or removed, by hand".into(),
        ));
    }
    Ok(())
}
