//! `report`: the day's cash-up, of the counter's cinema, of the whole chain, or (with
//! `--all-cinemas`) of the chain cinema by cinema.

use chrono::NaiveDate;
use clap::Args;
use serde_json::{Value, json};

use super::Context;
use crate::domain::cashup::OperatorCashUp;
use crate::domain::model::DayReport;
use crate::domain::money::format_amount;
use crate::domain::time::parse_date;

#[derive(Debug, Args)]
pub struct Report {
    /// The day, "YYYY-MM-DD" (today by default).
    #[arg(long)]
    date: Option<String>,
    /// The whole chain, cinema by cinema (besides its totals).
    #[arg(long, conflicts_with = "cinema")]
    all_cinemas: bool,
}

impl Report {
    pub fn run(self, ctx: &mut Context) -> anyhow::Result<()> {
        let date = match &self.date {
            Some(d) => parse_date(d)?,
            None => crate::domain::time::local(&ctx.now).date(),
        };
        let cinema = if self.all_cinemas { None } else { ctx.cinema()? };
        let (mut value, mut text) = one_report(ctx, date, cinema.as_deref())?;
        if self.all_cinemas {
            let mut cinemas = Vec::new();
            for c in ctx.store.cinemas()? {
                let (v, t) = one_report(ctx, date, Some(&c.name))?;
                let mut v = v;
                v["city"] = json!(c.city);
                cinemas.push(v);
                text.push_str(&format!("\n== {} ({}) ==\n{t}", c.name, c.city));
            }
            value["cinemas"] = json!(cinemas);
        }
        ctx.emit(value, || text)
    }
}

/// The report of one cinema (or the chain): its JSON and its text.
fn one_report(ctx: &mut Context, date: NaiveDate, cinema: Option<&str>) -> anyhow::Result<(Value, String)> {
    let report = ctx.store.report_for(date, cinema)?;
    // The journal's head on the cash-up: `journal verify --head` later proves nothing before it changed.
    let head = ctx.store.journal_head()?;
    let operators = ctx.store.cash_up_for(date, cinema)?;
    let by_method: serde_json::Map<String, Value> =
        report.methods.iter().map(|m| (m.method.name().to_string(), json!(m))).collect();
    let by_type: serde_json::Map<String, Value> = report
        .types
        .iter()
        .map(|(t, m)| {
            let totals = json!({
                "tickets": m.tickets_sold,
                "tickets_refunded": m.tickets_refunded,
                "sales": m.sales,
                "refunds": m.refunds,
                "net": m.net,
            });
            (t.clone(), totals)
        })
        .collect();
    let value = json!({
        "date": date.to_string(),
        "cinema": cinema,
        "by_method": by_method,
        "by_type": by_type,
        "by_operator": operators,
        "sales": report.sales(),
        "refunds": report.refunds(),
        "net": report.net(),
        "journal_head": head,
    });
    let mut text = report_text(date, cinema, &report, &operators);
    if !head.is_empty() {
        text.push_str(&format!("\njournal head {head}\n"));
    }
    Ok((value, text))
}

fn report_text(date: NaiveDate, cinema: Option<&str>, report: &DayReport, operators: &[OperatorCashUp]) -> String {
    let row = |label: &str, sales, refunds, net, sold: String, refunded: String| {
        format!(
            "  {label:<14}{:>11}{:>11}{:>11}{sold:>7}{refunded:>9}\n",
            format_amount(sales),
            format_amount(refunds),
            format_amount(net)
        )
    };
    let of = cinema.map(|c| format!(" at {c}")).unwrap_or_default();
    let mut out = format!(
        "Cash-up for {date}{of}\n  {:<14}{:>11}{:>11}{:>11}{:>7}{:>9}\n",
        "", "sales", "refunds", "net", "sold", "refunded"
    );
    for m in &report.methods {
        let (sold, refunded) = (m.tickets_sold.to_string(), m.tickets_refunded.to_string());
        out.push_str(&row(m.method.name(), m.sales, m.refunds, m.net, sold, refunded));
    }
    out.push_str(&row("total", report.sales(), report.refunds(), report.net(), String::new(), String::new()));
    if report.types.len() > 1 {
        out.push_str("  by ticket type\n");
        for (name, t) in &report.types {
            let (sold, refunded) = (t.tickets_sold.to_string(), t.tickets_refunded.to_string());
            out.push_str(&row(&crate::domain::text::fit(name, 14), t.sales, t.refunds, t.net, sold, refunded));
        }
    }
    for o in operators {
        out.push_str(&format!("\n{}\n", o.operator));
        for (name, t) in [("cash", &o.cash), ("card", &o.card)] {
            let (sold, refunded) = (t.tickets_sold.to_string(), t.tickets_refunded.to_string());
            out.push_str(&row(name, t.sales, t.refunds, t.net, sold, refunded));
        }
        let till = format!(
            "  drawer: float {} + cash {} = expected {}",
            format_amount(o.float),
            format_amount(o.cash_in_till),
            format_amount(o.cash_expected)
        );
        let mut drawer = match (o.sessions, o.counted, o.variance) {
            (0, _, _) => "  no till opened".to_string(),
            (_, Some(counted), Some(variance)) => {
                format!("{till}; counted {}; variance {}", format_amount(counted), format_amount(variance))
            }
            _ => format!("{till}; till still open"),
        };
        if o.sessions > 0 && o.cash.net != o.cash_in_till {
            // Cash moved while no till was open is not in the drawer's figures: say so.
            let outside = format_amount(o.cash.net - o.cash_in_till);
            drawer.push_str(&format!("\n  cash {outside} taken while no till was open, not in the drawer"));
        }
        out.push_str(&drawer);
        out.push('\n');
    }
    out
}
