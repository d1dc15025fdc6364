//! The Orders and Positions views: today's order book and positions of one logged-in account,
//! and the cancel and modify of an open order.
//!
//! A change is built from the book's own row (halo-core's `validate_modify` checks it exactly
//! as the ticket checks a new order, and the value limit applies too), and sent once per
//! confirmation. Nothing is re-sent when Angel's answer is lost: the refreshed book shows
//! whether it took.

use halo_core::instruments::{Exchange, Instrument};
use halo_core::orders::{self, OrderChange, OrderStatus};
use halo_core::session::Session;
use halo_core::smartapi::{self, Endpoint, wire};
use halo_core::vault::Account;
use halo_extension_shared::order_views::{
    ModifyForm, OrderLine, OrderReview, OrdersView, PositionLine, PositionsView,
};

use crate::error::{Result, WorkerError};
use crate::{confirmations, endpoint, http, login, master, value_limits, vault_store};

/// Today's orders of the account, newest first, with its value limit.
pub async fn orders(account_id: &str) -> Result<OrdersView> {
    let (endpoint, account, session) = logged_in(account_id).await?;
    let rows = book(&endpoint, &account, &session).await?;
    // The master's lot sizes let F&O rows read in lots, as the ticket that placed them did; a
    // master that cannot be read leaves the book's own `lotsize`.
    let master = master::get(&endpoint).await.ok();
    let lot_of = |row: &wire::OrderBookRow| {
        let exchange = Exchange::from_wire(&row.exchange)?;
        let instrument = master.as_ref()?.by_token(exchange, &row.symboltoken)?;
        Some(u64::from(instrument.lot_size))
    };
    Ok(OrdersView {
        account_id: account.id.clone(),
        orders: rows
            .iter()
            .rev()
            .map(|row| OrderLine {
                lot_size: lot_of(row).unwrap_or(row.lotsize).max(1),
                ..line(row, &rows)
            })
            .collect(),
        value_limit_paise: value_limits::get(&account.id).await?,
    })
}

/// Today's positions of the account.
pub async fn positions(account_id: &str) -> Result<PositionsView> {
    let (endpoint, account, session) = logged_in(account_id).await?;
    let request = smartapi::positions(&endpoint, &account.api_key, &session.jwt_token);
    let response = http::send(&request).await?.response;
    // No positions is `data: null`.
    let rows: Option<Vec<wire::PositionRow>> = match smartapi::decode(&response) {
        Ok(rows) => rows,
        Err(error) => return Err(login::check_session_error(&account.id, error).await),
    };
    Ok(PositionsView {
        account_id: account.id.clone(),
        positions: rows.unwrap_or_default().iter().map(position).collect(),
    })
}

/// Checks new terms for an open order before the confirm step; sends nothing.
pub async fn check_modify(change: &ModifyForm) -> Result<OrderReview> {
    let (endpoint, account, session) = logged_in(&change.account_id).await?;
    let (_, review) = modification(&endpoint, &account, &session, change).await?;
    Ok(review)
}

/// Sends a confirmed change to an open order, once per confirmation; answers the new book.
pub async fn modify(change: &ModifyForm) -> Result<OrdersView> {
    let _claim = confirmations::claim(&change.confirmation_id).await?;
    let (endpoint, account, session) = logged_in(&change.account_id).await?;
    let (body, _) = modification(&endpoint, &account, &session, change).await?;
    let request = smartapi::modify_order(&endpoint, &account.api_key, &session.jwt_token, &body);
    let response = http::send(&request).await?.response;
    if let Err(error) = smartapi::decode::<wire::PlaceOrderData>(&response) {
        return Err(login::check_session_error(&account.id, error).await);
    }
    orders(&account.id).await
}

/// Cancels an open order after its confirm, once per confirmation; answers the new book.
pub async fn cancel(account_id: &str, order_id: &str, confirmation_id: &str) -> Result<OrdersView> {
    let _claim = confirmations::claim(confirmation_id).await?;
    let (endpoint, account, session) = logged_in(account_id).await?;
    let row = row_of(&endpoint, &account, &session, order_id).await?;
    let body = orders::cancel_body(&row)?;
    let request = smartapi::cancel_order(&endpoint, &account.api_key, &session.jwt_token, &body);
    let response = http::send(&request).await?.response;
    if let Err(error) = smartapi::decode::<wire::PlaceOrderData>(&response) {
        return Err(login::check_session_error(&account.id, error).await);
    }
    orders(&account.id).await
}

/// The `modifyOrder` body for a change, and its review (value and limit).
async fn modification(
    endpoint: &Endpoint,
    account: &Account,
    session: &Session,
    change: &ModifyForm,
) -> Result<(wire::ModifyOrderBody, OrderReview)> {
    let row = row_of(endpoint, account, session, &change.order_id).await?;
    let instrument = instrument_of(endpoint, &row).await?;
    let quantity = change.quantity.trim().parse::<u32>().map_err(|_| {
        WorkerError::OrderForm(format!(
            "The quantity {} is not a whole number.",
            change.quantity
        ))
    })?;
    let price = |text: &str, used: bool| match used {
        true => orders::parse_price_paise(text.trim()),
        false => Ok(0),
    };
    let order_type = orders::OrderType::from_wire(&row.ordertype).unwrap_or_default();
    let terms = OrderChange {
        quantity,
        price_paise: price(&change.price, order_type.has_limit())?,
        trigger_paise: price(&change.trigger_price, order_type.has_trigger())?,
    };
    let body = orders::validate_modify(&instrument, &row, &terms)?;
    let ticket = orders::modify_ticket(&instrument, &row, &terms)?;
    let limit = value_limits::get(&account.id).await?;
    // A market order has no price of its own to value it by; its value was checked when placed.
    let value = match order_type {
        orders::OrderType::Market => 0,
        _ => orders::check_value(&ticket, None, limit)?,
    };
    let review = OrderReview {
        value_paise: value,
        value_limit_paise: limit,
        warning: ticket.kind.warning().map(str::to_owned),
    };
    Ok((body, review))
}

async fn logged_in(account_id: &str) -> Result<(Endpoint, Account, Session)> {
    let vault = vault_store::unlocked().await?;
    let account = vault.account(account_id)?.clone();
    let session = crate::sessions::live(&account.id)
        .await?
        .ok_or(WorkerError::NotLoggedIn)?;
    Ok((endpoint::current().await?, account, session))
}

async fn book(
    endpoint: &Endpoint,
    account: &Account,
    session: &Session,
) -> Result<Vec<wire::OrderBookRow>> {
    let request = smartapi::order_book(endpoint, &account.api_key, &session.jwt_token);
    let response = http::send(&request).await?.response;
    // An empty book is `data: null`.
    match smartapi::decode::<Option<Vec<wire::OrderBookRow>>>(&response) {
        Ok(rows) => Ok(rows.unwrap_or_default()),
        Err(error) => Err(login::check_session_error(&account.id, error).await),
    }
}

async fn row_of(
    endpoint: &Endpoint,
    account: &Account,
    session: &Session,
    order_id: &str,
) -> Result<wire::OrderBookRow> {
    book(endpoint, account, session)
        .await?
        .into_iter()
        .find(|row| row.orderid == order_id.trim())
        .ok_or_else(|| WorkerError::OrderNotInBook(order_id.trim().to_owned()))
}

/// The master's row for a book row's token: the lot and tick a change is checked against.
async fn instrument_of(endpoint: &Endpoint, row: &wire::OrderBookRow) -> Result<Instrument> {
    let master = master::get(endpoint).await?;
    let unknown = || WorkerError::UnknownInstrument {
        exchange: row.exchange.clone(),
        token: row.symboltoken.clone(),
    };
    let exchange = Exchange::from_wire(&row.exchange).ok_or_else(unknown)?;
    master
        .by_token(exchange, &row.symboltoken)
        .cloned()
        .ok_or_else(unknown)
}

fn line(row: &wire::OrderBookRow, book: &[wire::OrderBookRow]) -> OrderLine {
    let status = OrderStatus::of(row);
    let shown = if row.status.trim().is_empty() {
        &row.orderstatus
    } else {
        &row.status
    };
    OrderLine {
        order_id: row.orderid.clone(),
        unique_order_id: row.uniqueorderid.clone(),
        symbol: row.tradingsymbol.clone(),
        exchange: row.exchange.clone(),
        side: row.transactiontype.clone(),
        order_type: row.ordertype.clone(),
        product: row.producttype.clone(),
        quantity: row.quantity,
        lot_size: row.lotsize.max(1),
        filled: row.filledshares,
        price_paise: orders::rupees_to_paise(row.price).unwrap_or(0),
        trigger_paise: orders::rupees_to_paise(row.triggerprice).unwrap_or(0),
        status: shown.trim().to_owned(),
        text: row.text.trim().to_owned(),
        open: !status.is_final(),
        same_confirm: same_confirm(row, book),
    }
}

/// The other orders of the book placed from the same Halo confirm as `row` (the browser re-sent
/// a placement whose connection dropped). Only Halo's own tags count: a trader's other tools
/// may give many orders one tag on purpose.
fn same_confirm(row: &wire::OrderBookRow, book: &[wire::OrderBookRow]) -> Vec<String> {
    if !row.ordertag.starts_with("halo-") {
        return Vec::new();
    }
    book.iter()
        .filter(|other| other.ordertag == row.ordertag && other.orderid != row.orderid)
        .map(|other| other.orderid.clone())
        .collect()
}

fn position(row: &wire::PositionRow) -> PositionLine {
    PositionLine {
        symbol: row.tradingsymbol.clone(),
        exchange: row.exchange.clone(),
        product: row.producttype.clone(),
        bought: row.buyqty.round() as i64,
        sold: row.sellqty.round() as i64,
        net: row.netqty.round() as i64,
        buy_average: row.buyavgprice,
        sell_average: row.sellavgprice,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(order_id: &str, tag: &str) -> wire::OrderBookRow {
        wire::OrderBookRow {
            orderid: order_id.to_owned(),
            ordertag: tag.to_owned(),
            ..Default::default()
        }
    }

    #[test]
    fn orders_of_one_confirm_name_each_other() {
        let book = [
            row("1", "halo-aaaaaaaaaa"),
            row("2", "halo-aaaaaaaaaa"),
            row("3", "halo-bbbbbbbbbb"),
            row("4", "mine"),
            row("5", "mine"),
        ];
        assert_eq!(line(&book[0], &book).same_confirm, ["2"]);
        assert_eq!(line(&book[1], &book).same_confirm, ["1"]);
        assert!(line(&book[2], &book).same_confirm.is_empty());
        assert!(
            line(&book[3], &book).same_confirm.is_empty(),
            "a tag of the trader's own is not Halo's confirm"
        );
    }
}
