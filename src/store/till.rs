//! Till sessions: open with a float, close with the cash counted; and each operator's cash-up.

use chrono::NaiveDate;

use super::engine::{Engine, args};
use super::upkeep::OF_CINEMA;

use super::{Result, Store};
use crate::domain::cashup::{OperatorCashUp, PaymentTotal, TillSession, cash_up};
use crate::domain::error::{conflict, invalid, not_found};
use crate::domain::model::PaymentMethod;
use crate::domain::money::Cents;
use crate::domain::time::{Time, day_span, read_store_time, store_time};

/// Whether `operator` closed a till today and the theatre has operators (opening again is a
/// reopening, which a manager approves).
fn reopens(tx: &dyn Engine, operator: &str, now: Time) -> Result<bool> {
    let staffed: i64 = tx.value("SELECT COUNT(*) FROM operator", args![])?;
    if staffed == 0 {
        return Ok(false);
    }
    let (from, _) = day_span(crate::domain::time::local(&now).date())?;
    let closed: i64 = tx.value(
        "SELECT COUNT(*) FROM till_session WHERE lower(operator) = lower(?1) AND closed_at IS NOT NULL AND closed_at >= ?2",
        args![operator, store_time(&from)],
    )?;
    Ok(closed > 0)
}

impl Store {
    /// Whether opening `operator`'s till now would reopen one closed today (with operators).
    pub fn reopens_till(&mut self, operator: &str, now: Time) -> Result<bool> {
        self.read(|tx| reopens(tx, operator, now))
    }

    /// Opens `operator`'s till with a float; refused while one is open. Once the theatre has
    /// operators, opening again a till closed today needs a manager's approval.
    pub fn open_till(&mut self, operator: &str, float: Cents, now: Time) -> Result<TillSession> {
        let approved = self.approval.is_some();
        self.write(|tx| {
            if !approved && reopens(tx, operator, now)? {
                return Err(crate::domain::error::not_allowed(format!(
                    "{operator}'s till was closed today: reopening it needs a manager's approval (--approve NAME)"
                ))
                .into());
            }
            if let Some(open) = open_session(tx, operator)? {
                return Err(conflict(format!(
                    "{operator}'s till is already open since {} (close it first)",
                    crate::domain::time::local(&open.opened).format("%H:%M")
                ))
                .into());
            }
            let id = tx.insert(
                "INSERT INTO till_session (operator, opened_at, float) VALUES (?1, ?2, ?3) RETURNING id",
                args![operator, store_time(&now), float],
            )?;
            let detail = serde_json::json!({"session_id": id, "float": float}).to_string();
            super::journal::record(tx, now, operator, "till opened", &detail)?;
            session(tx, id)
        })
    }

    /// Closes `operator`'s open till with the cash counted in the drawer.
    pub fn close_till(&mut self, operator: &str, counted: Cents, now: Time) -> Result<TillSession> {
        self.write(|tx| {
            let open = open_session(tx, operator)?.ok_or_else(|| not_found(format!("{operator} has no open till")))?;
            if counted < 0 {
                return Err(invalid("the counted cash cannot be negative").into());
            }
            tx.execute(
                "UPDATE till_session SET closed_at = ?2, counted = ?3 WHERE id = ?1",
                args![open.id, store_time(&now), counted],
            )?;
            let detail = serde_json::json!({"session_id": open.id, "counted": counted}).to_string();
            super::journal::record(tx, now, operator, "till closed", &detail)?;
            session(tx, open.id)
        })
    }

    /// The till `operator` has open, if any.
    pub fn open_till_of(&mut self, operator: &str) -> Result<Option<TillSession>> {
        self.read(|tx| open_session(tx, operator))
    }

    /// Each operator's cash-up for `date`: payments made that day, tills opened that day.
    pub fn cash_up(&mut self, date: NaiveDate) -> Result<Vec<OperatorCashUp>> {
        self.cash_up_for(date, None)
    }

    /// Like [`Store::cash_up`], of one cinema (`None`: the whole chain). Till sessions carry no
    /// cinema: a cinema's are those of the operators who took its money that day.
    pub fn cash_up_for(&mut self, date: NaiveDate, cinema: Option<&str>) -> Result<Vec<OperatorCashUp>> {
        let (from, to) = day_span(date)?;
        let (from, to) = (store_time(&from), store_time(&to));
        self.read(|tx| {
            let payments: Vec<PaymentTotal> = tx.query_vec(
                &format!(
                    "SELECT operator, method, kind = 'sale', CAST(SUM(amount) AS BIGINT), CAST(SUM(tickets) AS BIGINT)
                       FROM payment WHERE created_at >= ?1 AND created_at < ?2 AND {OF_CINEMA}
                      GROUP BY operator, method, kind"
                ),
                args![from, to, cinema],
                |r| {
                    let method: String = r.get(1)?;
                    Ok((
                        r.get(0)?,
                        PaymentMethod::parse(&method).unwrap_or(PaymentMethod::Cash),
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                    ))
                },
            )?;
            let ids: Vec<i64> = tx.column(
                "SELECT id FROM till_session WHERE opened_at >= ?1 AND opened_at < ?2 ORDER BY id",
                args![from, to],
            )?;
            let mut sessions = ids.into_iter().map(|id| session(tx, id)).collect::<Result<Vec<_>>>()?;
            if cinema.is_some() {
                sessions.retain(|s| payments.iter().any(|p| p.0 == s.operator));
            }
            Ok(cash_up(&payments, &sessions))
        })
    }
}

fn open_session(tx: &dyn Engine, operator: &str) -> Result<Option<TillSession>> {
    let id: Option<i64> =
        tx.query_opt("SELECT id FROM till_session WHERE operator = ?1 AND closed_at IS NULL", args![operator], |r| {
            r.get(0)
        })?;
    id.map(|id| session(tx, id)).transpose()
}

fn session(tx: &dyn Engine, id: i64) -> Result<TillSession> {
    let (operator, opened, float, closed, counted): (String, String, Cents, Option<String>, Option<Cents>) = tx
        .query_row(
            "SELECT operator, opened_at, float, closed_at, counted FROM till_session WHERE id = ?1",
            args![id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )?;
    // The cash this operator took while the till was open (to its close, or still open).
    let cash_taken: Cents = tx.value(
        "SELECT CAST(COALESCE(SUM(CASE WHEN kind = 'sale' THEN amount ELSE -amount END), 0) AS BIGINT) FROM payment
          WHERE operator = ?1 AND method = 'cash' AND created_at >= ?2
            AND (CAST(?3 AS TEXT) IS NULL OR created_at <= ?3)",
        args![operator, opened, closed],
    )?;
    Ok(TillSession {
        id,
        operator,
        opened: read_store_time(&opened)?,
        float,
        closed: closed.as_deref().map(read_store_time).transpose()?,
        counted,
        cash_taken,
    })
}
