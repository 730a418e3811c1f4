//! The cash-up a cashier does before closing: per operator and payment method the sales,
//! refunds and tickets, and for cash the drawer: float + cash taken − cash refunded is what
//! should be there; the counted cash minus that is the variance.

use serde::Serialize;

use super::model::PaymentMethod;
use super::money::Cents;
use super::time::Time;

/// A till session: opened with a float, closed with the cash counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TillSession {
    pub id: i64,
    pub operator: String,
    pub opened: Time,
    pub float: Cents,
    pub closed: Option<Time>,
    pub counted: Option<Cents>,
    /// Cash the operator took in (sales less refunds) while this till was open: what goes into
    /// the drawer on top of the float, and nothing taken before it was opened.
    pub cash_taken: Cents,
}

/// Money moved by one operator with one method on the day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Takings {
    pub sales: Cents,
    pub refunds: Cents,
    pub net: Cents,
    pub tickets_sold: usize,
    pub tickets_refunded: usize,
}

impl Takings {
    pub fn add(&mut self, is_sale: bool, amount: Cents, tickets: usize) {
        if is_sale {
            self.sales += amount;
            self.tickets_sold += tickets;
        } else {
            self.refunds += amount;
            self.tickets_refunded += tickets;
        }
        self.net = self.sales - self.refunds;
    }
}

/// One operator's cash-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OperatorCashUp {
    pub operator: String,
    pub cash: Takings,
    pub card: Takings,
    /// Floats of the day's sessions.
    pub float: Cents,
    /// Net cash taken while a till was open (the day's net cash when no till was opened): what
    /// went into the drawer on top of the float.
    pub cash_in_till: Cents,
    /// Float plus the cash in the till: what the drawer should hold.
    pub cash_expected: Cents,
    /// Cash counted at closing, once every session of the day is closed.
    pub counted: Option<Cents>,
    /// Counted minus expected (negative: cash missing).
    pub variance: Option<Cents>,
    pub sessions: usize,
    pub open_sessions: usize,
}

/// One payment row summed up: (operator, method, is sale, amount, tickets).
pub type PaymentTotal = (String, PaymentMethod, bool, Cents, usize);

/// Builds each operator's cash-up from the day's payment totals and till sessions. Operators
/// appear in name order, whether they only sold or only opened a till.
pub fn cash_up(payments: &[PaymentTotal], sessions: &[TillSession]) -> Vec<OperatorCashUp> {
    let mut names: Vec<&str> =
        payments.iter().map(|p| p.0.as_str()).chain(sessions.iter().map(|s| s.operator.as_str())).collect();
    names.sort_unstable();
    names.dedup();
    names
        .into_iter()
        .map(|name| {
            let (mut cash, mut card) = (Takings::default(), Takings::default());
            for (_, method, is_sale, amount, tickets) in payments.iter().filter(|p| p.0 == name) {
                let takings = if *method == PaymentMethod::Cash { &mut cash } else { &mut card };
                takings.add(*is_sale, *amount, *tickets);
            }
            let mine: Vec<&TillSession> = sessions.iter().filter(|s| s.operator == name).collect();
            let float = mine.iter().map(|s| s.float).sum::<Cents>();
            // With a till: the float and what was taken while it was open; without: the day's cash.
            let cash_in_till = if mine.is_empty() { cash.net } else { mine.iter().map(|s| s.cash_taken).sum() };
            let cash_expected = float + cash_in_till;
            let open_sessions = mine.iter().filter(|s| s.closed.is_none()).count();
            let counted = if !mine.is_empty() && open_sessions == 0 {
                Some(mine.iter().filter_map(|s| s.counted).sum())
            } else {
                None
            };
            OperatorCashUp {
                operator: name.to_string(),
                cash,
                card,
                float,
                cash_in_till,
                cash_expected,
                counted,
                variance: counted.map(|c| c - cash_expected),
                sessions: mine.len(),
                open_sessions,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::time::parse_time;

    fn session(operator: &str, float: Cents, counted: Option<Cents>, cash_taken: Cents) -> TillSession {
        let at = parse_time("2026-11-23 09:00").expect("time");
        TillSession {
            id: 1,
            operator: operator.into(),
            opened: at,
            float,
            closed: counted.map(|_| at),
            counted,
            cash_taken,
        }
    }

    #[test]
    fn the_drawer_holds_float_plus_net_cash() {
        let payments = vec![
            ("anna".to_string(), PaymentMethod::Cash, true, 5_000, 5),
            ("anna".to_string(), PaymentMethod::Cash, false, 950, 1),
            ("anna".to_string(), PaymentMethod::Card, true, 2_500, 2),
            ("ben".to_string(), PaymentMethod::Card, true, 1_900, 2),
        ];
        // Anna took 4,050 in cash while her till was open (all of the day's, here).
        let sessions = vec![session("anna", 10_000, Some(14_000), 4_050), session("carl", 5_000, None, 0)];
        let up = cash_up(&payments, &sessions);
        assert_eq!(up.iter().map(|o| o.operator.as_str()).collect::<Vec<_>>(), ["anna", "ben", "carl"]);
        let anna = &up[0];
        assert_eq!((anna.cash.sales, anna.cash.refunds, anna.cash.net), (5_000, 950, 4_050));
        assert_eq!((anna.cash.tickets_sold, anna.cash.tickets_refunded, anna.card.net), (5, 1, 2_500));
        assert_eq!(anna.cash_expected, 14_050);
        assert_eq!((anna.counted, anna.variance), (Some(14_000), Some(-50)), "50p short");
        assert_eq!((up[1].float, up[1].counted, up[1].sessions), (0, None, 0), "ben sold without a till");
        assert_eq!((up[2].open_sessions, up[2].variance), (1, None), "carl has not closed yet");
    }

    #[test]
    fn the_drawer_counts_only_cash_taken_while_the_till_was_open() {
        // 30.00 in cash before the till was opened (it went elsewhere), 10.00 after.
        let payments = vec![("anna".to_string(), PaymentMethod::Cash, true, 4_000, 4)];
        let up = cash_up(&payments, &[session("anna", 10_000, Some(11_000), 1_000)]);
        assert_eq!(up[0].cash.net, 4_000, "the day's cash takings are all there");
        assert_eq!((up[0].cash_expected, up[0].variance), (11_000, Some(0)), "the drawer holds float + 10.00");
    }

    #[test]
    fn cash_moved_while_no_till_was_open_is_not_in_the_drawer() {
        // A refund of 9.50 before the till opened; 50.00 taken after, with a float of 100.00.
        let payments = vec![
            ("anna".to_string(), PaymentMethod::Cash, false, 950, 1),
            ("anna".to_string(), PaymentMethod::Cash, true, 5_000, 5),
        ];
        let up = cash_up(&payments, &[session("anna", 10_000, None, 5_000)]);
        assert_eq!(up[0].cash.net, 4_050);
        assert_eq!((up[0].cash_in_till, up[0].cash_expected), (5_000, 15_000));
    }
}
