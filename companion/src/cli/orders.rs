//! `halo orders`: today's order book as a table.

use halo_core::orders::OrderStatus;
use halo_core::smartapi::{self, wire::OrderBookRow};

use super::login::{EndpointArg, account_and_session};
use super::{http, store};

/// Arguments of `halo orders`.
#[derive(Debug, clap::Args)]
pub struct OrdersArgs {
    /// The account (label or client code); may be left out when the vault has one
    pub account: Option<String>,
    #[command(flatten)]
    endpoint: EndpointArg,
}

/// Prints the order book.
pub fn run(args: OrdersArgs) -> anyhow::Result<()> {
    let (account, endpoint, session) =
        account_and_session(args.account.as_deref(), &args.endpoint)?;
    let request = smartapi::order_book(&endpoint, &account.api_key, &session.jwt_token);
    let rows: Option<Vec<OrderBookRow>> = match smartapi::decode(&http::send(&request)?.response) {
        Ok(rows) => rows,
        Err(error) => {
            if error.session_expired() {
                store::forget_session(&account.id)?;
            }
            return Err(error.into());
        }
    };
    print!("{}", table(&rows.unwrap_or_default()));
    Ok(())
}

/// The book as aligned columns, newest last as Angel sends it.
pub fn table(rows: &[OrderBookRow]) -> String {
    if rows.is_empty() {
        return "No orders today.\n".to_owned();
    }
    let mut out = format!(
        "{:<16} {:<4} {:<18} {:<4} {:>7} {:>10} {:<10} {}\n",
        "ORDER", "SIDE", "SYMBOL", "EXCH", "QTY", "PRICE", "STATUS", "NOTE"
    );
    for row in rows {
        let (status, note) = match OrderStatus::of(row) {
            OrderStatus::Open => ("open".to_owned(), String::new()),
            OrderStatus::Complete => (
                "complete".to_owned(),
                format!("avg {:.2}", row.averageprice),
            ),
            OrderStatus::Cancelled => ("cancelled".to_owned(), String::new()),
            OrderStatus::Rejected { reason, .. } => ("rejected".to_owned(), reason),
            OrderStatus::Pending { status } | OrderStatus::Other { status } => {
                (status, String::new())
            }
        };
        out.push_str(&format!(
            "{:<16} {:<4} {:<18} {:<4} {:>7} {:>10.2} {:<10} {}\n",
            row.orderid,
            row.transactiontype,
            row.tradingsymbol,
            row.exchange,
            row.quantity,
            row.price,
            status,
            note
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rejected_order_shows_its_reason() {
        let row = OrderBookRow {
            orderid: "260101000000001".into(),
            transactiontype: "BUY".into(),
            tradingsymbol: "RELIANCE-EQ".into(),
            exchange: "NSE".into(),
            quantity: 1,
            price: 2945.5,
            status: "rejected".into(),
            text: "Adapter is Logged Off".into(),
            ..OrderBookRow::default()
        };
        let text = table(&[row]);
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("ORDER"));
        assert_eq!(
            lines[1],
            "260101000000001  BUY  RELIANCE-EQ        NSE        1    2945.50 rejected   \
             Adapter is Logged Off"
        );
        assert_eq!(table(&[]), "No orders today.\n");
    }
}
