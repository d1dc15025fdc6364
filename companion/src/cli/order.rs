//! `halo order buy|sell SYMBOL QTY`: the extension's ticket on the command line. The symbol is
//! resolved against Angel's instrument master and the order checked by halo-core exactly as
//! in the extension; it is sent only after a confirm (or `--yes`), and never sent twice: when
//! the answer is lost, the order book says what happened. Like the extension, it refuses an
//! order worth more than a per-order value limit (halo-core's default of ₹5,00,000, or
//! `--max-value` for one order), so a mistyped quantity cannot send lakhs by accident.

use anyhow::{Context, bail};
use halo_core::instruments::{self, Instrument, InstrumentMaster, Resolution};
use halo_core::orders::{
    self, DEFAULT_VALUE_LIMIT_PAISE, OrderStatus, OrderTicket, Product, Side, ValueLimitError,
    format_paise_grouped,
};
use halo_core::session::Session;
use halo_core::smartapi::{self, Endpoint, HttpRequest, Method, wire};
use halo_core::vault::Account;

use super::login::{EndpointArg, account_and_session};
use super::{http, prompt, store};

/// Buy or sell.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum SideArg {
    /// Buy.
    Buy,
    /// Sell.
    Sell,
}

/// Angel's product types.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
pub enum ProductArg {
    /// Delivery (cash and carry).
    Delivery,
    /// Intraday, squared off the same day.
    Intraday,
    /// Margin trading.
    Margin,
    /// Futures and options held overnight (NRML).
    Carryforward,
}

/// Arguments of `halo order`.
#[derive(Debug, clap::Args)]
pub struct OrderArgs {
    /// buy or sell
    #[arg(value_enum)]
    side: SideArg,
    /// The symbol, as on a chart: RELIANCE, NSE:RELIANCE, NFO:NIFTY25JAN25000CE
    symbol: String,
    /// Shares for stocks; LOTS for futures and options (not units: 2 lots of a 75-unit lot are
    /// 150 units)
    quantity: u32,
    /// Limit price in rupees, such as 2945.50; without it, the last traded price is proposed
    /// at the confirm (so --yes needs it)
    #[arg(long, value_name = "PRICE")]
    limit: Option<String>,
    /// Allow this one order to be worth up to RUPEES (default 500000, the extension's limit)
    #[arg(long, value_name = "RUPEES")]
    max_value: Option<String>,
    /// How the position is held [default: delivery for shares, carryforward for futures and
    /// options]
    #[arg(long, value_enum)]
    product: Option<ProductArg>,
    /// The account (label or client code); may be left out when the vault has one
    #[arg(long)]
    account: Option<String>,
    /// Place without asking (for scripts)
    #[arg(long)]
    yes: bool,
    #[command(flatten)]
    endpoint: EndpointArg,
}

/// Why `halo order` refused an order before anything was sent to Angel.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum OrderRefusal {
    /// `--yes` without `--limit`: nobody would see the price Halo picked.
    #[error(
        "--yes needs --limit: Halo will not pick a price for an order nobody confirms. Add \
         --limit PRICE, or leave out --yes to see the last price and confirm it."
    )]
    YesWithoutLimit,
    /// `--max-value` is not an amount in rupees.
    #[error(
        "\"{0}\" is not an amount for --max-value: give rupees as digits without commas, such \
         as 1000000 for ₹10,00,000"
    )]
    BadMaxValue(String),
    /// The order is worth more than the limit for one order.
    #[error("{}", above_limit_words(*value_paise, *limit_paise, *raised))]
    AboveValueLimit {
        /// The order's value, paise.
        value_paise: u64,
        /// The limit it went over, paise.
        limit_paise: u64,
        /// Whether the limit came from `--max-value`.
        raised: bool,
    },
}

fn above_limit_words(value_paise: u64, limit_paise: u64, raised: bool) -> String {
    let value = format_paise_grouped(value_paise);
    let limit = format_paise_grouped(limit_paise);
    let above = match raised {
        true => format!("above the ₹{limit} you allowed with --max-value"),
        false => format!("above Halo's limit of ₹{limit} per order"),
    };
    format!(
        "This order is worth ₹{value}, {above}; nothing was sent. Lower the quantity or the \
         price, or, if you mean it, add --max-value {} to allow this one order.",
        value_paise.div_ceil(100)
    )
}

/// Checks, confirms and places one order, then reports its status.
pub fn run(args: OrderArgs) -> anyhow::Result<()> {
    // Refused before the passphrase is asked: none of this needs the vault or the network.
    if args.yes && args.limit.is_none() {
        return Err(OrderRefusal::YesWithoutLimit.into());
    }
    let typed_price = args
        .limit
        .as_deref()
        .map(orders::parse_price_paise)
        .transpose()?;
    let value_limit_paise = match &args.max_value {
        Some(text) => max_value_paise(text)?,
        None => DEFAULT_VALUE_LIMIT_PAISE,
    };

    let (account, endpoint, session) =
        account_and_session(args.account.as_deref(), &args.endpoint)?;
    let master = instrument_master(&endpoint)?;
    let instrument = resolve(&master, &args.symbol)?;

    let price_paise = match typed_price {
        Some(paise) => paise,
        None => last_price_paise(&endpoint, &account, &session, &instrument)?,
    };
    let product = match args.product {
        Some(ProductArg::Delivery) => Product::Delivery,
        Some(ProductArg::Intraday) => Product::Intraday,
        Some(ProductArg::Margin) => Product::Margin,
        Some(ProductArg::Carryforward) => Product::CarryForward,
        // The extension's ticket starts on the segment's first product; so does this.
        None => orders::products_for(&instrument)[0],
    };
    let tag = orders::order_tag(random()?);
    let ticket = OrderTicket {
        instrument,
        side: match args.side {
            SideArg::Buy => Side::Buy,
            SideArg::Sell => Side::Sell,
        },
        quantity: args.quantity,
        price_paise,
        product,
        tag,
        kind: Default::default(),
    };
    let body = orders::validate(&ticket)?;
    // The extension's fat-finger guard, from the same halo-core check.
    let value_paise =
        orders::check_value(&ticket, None, value_limit_paise).map_err(|error| match error {
            ValueLimitError::AboveLimit {
                value_paise,
                limit_paise,
            } => OrderRefusal::AboveValueLimit {
                value_paise,
                limit_paise,
                raised: args.max_value.is_some(),
            }
            .into(),
            other => anyhow::Error::from(other),
        })?;

    let price = match typed_price {
        Some(_) => format!("₹{}", format_paise_grouped(price_paise)),
        None => format!("₹{} (the last price)", format_paise_grouped(price_paise)),
    };
    println!(
        "{} {} {} ({}) at {price} LIMIT {} · value ₹{} · via {} ({}) at {}",
        body.transactiontype,
        quantity_words(&ticket),
        body.tradingsymbol,
        body.exchange,
        body.producttype,
        format_paise_grouped(value_paise),
        account.label,
        account.client_code,
        endpoint.root()
    );
    if !args.yes && !prompt::confirm("Place this order?")? {
        println!("Not placed.");
        return Ok(());
    }

    let row = match place(&endpoint, &account.api_key, &session.jwt_token, &body) {
        Ok(row) => row,
        Err(error) => {
            if error
                .downcast_ref::<smartapi::ApiError>()
                .is_some_and(smartapi::ApiError::session_expired)
            {
                store::forget_session(&account.id)?;
            }
            return Err(error);
        }
    };
    println!(
        "Order {} ({}): {}",
        row.orderid,
        body.ordertag,
        describe(&OrderStatus::of(&row))
    );
    Ok(())
}

/// The quantity as the trader typed it and, for futures and options, in the units sent:
/// "50 lots (2500 units)", as the extension's confirm line says it.
fn quantity_words(ticket: &OrderTicket) -> String {
    let quantity = ticket.quantity;
    if !ticket.instrument.is_derivative() {
        return quantity.to_string();
    }
    let units = u64::from(quantity) * u64::from(ticket.instrument.lot_size);
    let lots = if quantity == 1 { "lot" } else { "lots" };
    format!("{quantity} {lots} ({units} units)")
}

/// Reads `--max-value` as rupees, with the price parser's rules (digits, a dot, no commas).
fn max_value_paise(text: &str) -> Result<u64, OrderRefusal> {
    match orders::parse_price_paise(text) {
        Ok(paise) if paise > 0 => Ok(paise),
        _ => Err(OrderRefusal::BadMaxValue(text.chars().take(24).collect())),
    }
}

fn resolve(master: &InstrumentMaster, symbol: &str) -> anyhow::Result<Instrument> {
    match instruments::resolve(master, symbol) {
        Resolution::Found(instrument) => Ok(instrument),
        Resolution::Ambiguous(candidates) => {
            let names: Vec<String> = candidates
                .iter()
                .map(|i| format!("{}:{}", i.exchange.as_wire(), i.trading_symbol))
                .collect();
            bail!(
                "{symbol} matches several instruments: {}; name one",
                names.join(", ")
            )
        }
        Resolution::NotTradable { reason } => bail!("{reason}"),
        Resolution::NotFound { symbol } => bail!("{symbol} is not in Angel's instrument master"),
    }
}

/// Sends the order once; a lost answer is settled from the order book, never by re-sending.
/// Also what the native host runs for the extension's orders.
pub(crate) fn place(
    endpoint: &Endpoint,
    api_key: &str,
    jwt: &str,
    body: &wire::PlaceOrderBody,
) -> anyhow::Result<wire::OrderBookRow> {
    let request = smartapi::place_order(endpoint, api_key, jwt, body);
    let placed = match http::send(&request) {
        Ok(fetched) => smartapi::decode::<wire::PlaceOrderData>(&fetched.response),
        Err(error) => {
            eprintln!("{error}; reading the order book to see whether the order arrived");
            return from_book(endpoint, api_key, jwt, &body.ordertag);
        }
    };
    match placed {
        Ok(data) => {
            // The status comes from the book: acceptance says nothing of the exchange's verdict.
            std::thread::sleep(std::time::Duration::from_millis(500));
            from_book(endpoint, api_key, jwt, &body.ordertag).or_else(|_| {
                Ok(wire::OrderBookRow {
                    orderid: data.orderid,
                    uniqueorderid: data.uniqueorderid,
                    ordertag: body.ordertag.clone(),
                    status: "open".into(),
                    ..Default::default()
                })
            })
        }
        Err(error) if error.outcome_unknown() => {
            eprintln!("{error}; reading the order book to see whether the order arrived");
            from_book(endpoint, api_key, jwt, &body.ordertag)
        }
        Err(error) => Err(error.into()),
    }
}

fn from_book(
    endpoint: &Endpoint,
    api_key: &str,
    jwt: &str,
    tag: &str,
) -> anyhow::Result<wire::OrderBookRow> {
    let request = smartapi::order_book(endpoint, api_key, jwt);
    let rows: Option<Vec<wire::OrderBookRow>> = smartapi::decode(&http::send(&request)?.response)?;
    let rows = rows.unwrap_or_default();
    orders::find_by_tag(&rows, tag).cloned().with_context(|| {
        format!("the order book has no order tagged {tag}, so it was most likely not placed")
    })
}

fn describe(status: &OrderStatus) -> String {
    match status {
        OrderStatus::Open => "open on the exchange".into(),
        OrderStatus::Complete => "complete".into(),
        OrderStatus::Cancelled => "cancelled".into(),
        OrderStatus::Rejected {
            reason,
            exchange_closed: true,
        } => {
            format!("rejected: the exchange is not taking orders now ({reason})")
        }
        OrderStatus::Rejected { reason, .. } => format!("rejected: {reason}"),
        OrderStatus::Pending { status } | OrderStatus::Other { status } => status.clone(),
    }
}

fn last_price_paise(
    endpoint: &Endpoint,
    account: &Account,
    session: &Session,
    instrument: &Instrument,
) -> anyhow::Result<u64> {
    let request =
        smartapi::instrument_ltp(endpoint, &account.api_key, &session.jwt_token, instrument);
    let data: wire::LtpData = smartapi::decode(&http::send(&request)?.response)?;
    match orders::rupees_to_paise(data.ltp).filter(|paise| *paise > 0) {
        Some(paise) => Ok(paise),
        None => bail!(
            "Angel gave no last price for {}; give one with --limit",
            instrument.trading_symbol
        ),
    }
}

/// Angel's instrument master (tens of MB) is kept for the day; a sandbox's is read each time.
pub(crate) fn instrument_master(endpoint: &Endpoint) -> anyhow::Result<InstrumentMaster> {
    let day = (store::now_ms() / 1000.0 + 19_800.0) as u64 / 86_400; // IST day number
    let cache = crate::config::config_dir()?.join(format!("instruments-{day}.json"));
    if let (false, Ok(text)) = (endpoint.is_sandbox(), std::fs::read_to_string(&cache)) {
        return Ok(InstrumentMaster::parse(&text)?);
    }
    let request = HttpRequest {
        method: Method::Get,
        url: endpoint.instrument_master_url(),
        headers: Vec::new(),
        body: None,
    };
    let fetched = http::send(&request)?;
    if fetched.response.status != 200 {
        bail!(
            "the instrument master could not be downloaded (HTTP {})",
            fetched.response.status
        );
    }
    let master = InstrumentMaster::parse(&fetched.response.body)?;
    if !endpoint.is_sandbox() {
        // A failed cache write only costs a download next time.
        let _ = std::fs::write(&cache, &fetched.response.body);
    }
    Ok(master)
}

/// Bytes from the operating system's randomness.
pub(crate) fn random<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|error| anyhow::anyhow!("no randomness: {error}"))?;
    Ok(bytes)
}
