//! From a symbol read off a web page (`NSE:M%26M`, `RELIANCE`) to one instrument, or a
//! reason to ask the user.

use serde::{Deserialize, Serialize};

use super::derivatives::{continuous_future, derivative_segment, nth_future, weekly_option_symbol};
use super::{Exchange, Instrument, InstrumentMaster};

/// How many near matches [`near_matches`] offers at most: enough to spot the right one, few
/// enough to read in a popup.
pub const MAX_NEAR_MATCHES: usize = 8;

/// What a page symbol turned out to be.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Resolution {
    /// Exactly one tradable row matched.
    Found(Instrument),
    /// Several rows matched; the user must pick one.
    Ambiguous(Vec<Instrument>),
    /// The symbol names something that cannot be ordered, such as an index.
    NotTradable {
        /// What it is and what to choose instead, for the trader.
        reason: String,
    },
    /// Nothing in the master matched; the user must type the symbol.
    NotFound {
        /// The symbol as decoded from the page.
        symbol: String,
    },
}

/// Resolves a page symbol against the master.
///
/// `NSE:RELIANCE` and bare `RELIANCE` (NSE is assumed) both give `RELIANCE-EQ`. The text is
/// percent-decoded first; an `_` is tried as `&` and as `-`, because chart sites cannot put
/// either in a ticker (`M_M` is `M&M`, `BAJAJ_AUTO` is `BAJAJ-AUTO`). On a cash market the
/// exact symbol is tried, then the `-EQ` series, then any other series of that name; then the
/// matching derivatives segment (`NSE:NIFTY28JUL26FUT` is on NFO), NSE weekly option codes
/// included. Only exact matches count: no prefix or fuzzy search, because a wrong instrument
/// is worse than a question. Index rows are refused. A continuous future (`NIFTY1!`) needs
/// the date: see [`resolve_on`].
pub fn resolve(master: &InstrumentMaster, page_symbol: &str) -> Resolution {
    resolve_with(master, page_symbol, None)
}

/// [`resolve`], knowing today's date (as `20260720`), so that a continuous-future ticker
/// (`NIFTY1!`, `NIFTY2!`) becomes that month's contract.
pub fn resolve_on(master: &InstrumentMaster, page_symbol: &str, today_yyyymmdd: u32) -> Resolution {
    resolve_with(master, page_symbol, Some(today_yyyymmdd))
}

fn resolve_with(master: &InstrumentMaster, page_symbol: &str, today: Option<u32>) -> Resolution {
    let decoded = percent_decode(page_symbol.trim());
    let (exchange, symbol) = match decoded.split_once(':') {
        Some((prefix, rest)) => match Exchange::from_wire(prefix) {
            Some(exchange) => (exchange, rest.trim().to_ascii_uppercase()),
            None => return not_found(&decoded),
        },
        None => (Exchange::Nse, decoded.trim().to_ascii_uppercase()),
    };
    if symbol.is_empty() {
        return not_found(&decoded);
    }
    if let Some((name, nth)) = continuous_future(&symbol) {
        return continuous(master, exchange, name, nth, today, &decoded);
    }

    let mut tradable: Vec<&Instrument> = Vec::new();
    let mut index: Option<&Instrument> = None;
    for spelling in spellings(&symbol) {
        for row in candidates(master, exchange, &spelling) {
            if row.is_index() {
                index = index.or(Some(row));
            } else if !tradable
                .iter()
                .any(|seen| seen.exchange == row.exchange && seen.token == row.token)
            {
                tradable.push(row);
            }
        }
    }

    match tradable.as_slice() {
        [one] => Resolution::Found((*one).clone()),
        [] => match index.or_else(|| index_named(master, exchange, &symbol)) {
            Some(row) => Resolution::NotTradable {
                reason: index_reason(row),
            },
            None => not_found(&decoded),
        },
        many => Resolution::Ambiguous(many.iter().map(|row| (*row).clone()).collect()),
    }
}

/// Rows the user might have meant when [`resolve`] found nothing: tradable rows whose trading
/// symbol starts with the page's ticker (as written, and with `_` read as `&` or `-`), the
/// cash market's first, at most [`MAX_NEAR_MATCHES`]. They are only ever offered for the user
/// to pick: resolution itself never takes a near match.
pub fn near_matches(master: &InstrumentMaster, page_symbol: &str) -> Vec<Instrument> {
    let decoded = percent_decode(page_symbol.trim());
    let (exchange, ticker) = match decoded.split_once(':') {
        Some((prefix, rest)) => (Exchange::from_wire(prefix), rest),
        None => (Some(Exchange::Nse), decoded.as_str()),
    };
    let Some(exchange) = exchange else {
        return Vec::new();
    };
    let ticker = ticker.trim().to_ascii_uppercase();
    // One or two letters start far too many symbols to be a useful hint.
    if ticker.chars().count() < 3 {
        return Vec::new();
    }

    let mut out: Vec<Instrument> = Vec::new();
    for segment in [exchange, derivative_segment(exchange)] {
        for spelling in spellings(&ticker) {
            for row in master.with_symbol_prefix(segment, &spelling) {
                if out.len() == MAX_NEAR_MATCHES {
                    return out;
                }
                let seen = out
                    .iter()
                    .any(|kept| kept.exchange == row.exchange && kept.token == row.token);
                if !row.is_index() && !seen {
                    out.push(row.clone());
                }
            }
        }
    }
    out
}

/// A warning for a cash row outside the regular `EQ` series, which the trader should not buy
/// by accident: such series settle or trade under different rules.
pub fn series_warning(instrument: &Instrument) -> Option<String> {
    if !instrument.exchange.is_cash() || !instrument.instrument_type.is_empty() {
        return None;
    }
    let (_, series) = instrument.trading_symbol.rsplit_once('-')?;
    let rule = match series {
        "EQ" => return None,
        "BE" | "BZ" => "trade-for-trade: every trade is settled by delivery, no intraday",
        "SM" | "ST" => "an SME listing, traded in larger minimum lots",
        "GB" => "a sovereign gold bond",
        // Angel has other cash suffixes (`-IV`, `-RR`, ...); none are the regular series.
        _ => "not the regular EQ series",
    };
    Some(format!(
        "{} is in the {series} series ({rule}); check it is the instrument you mean.",
        instrument.trading_symbol
    ))
}

fn continuous(
    master: &InstrumentMaster,
    exchange: Exchange,
    name: &str,
    nth: usize,
    today: Option<u32>,
    decoded: &str,
) -> Resolution {
    let Some(today) = today else {
        return Resolution::NotTradable {
            reason: format!("{name}{nth}! is a continuous futures chart; choose a contract month"),
        };
    };
    match nth_future(master, derivative_segment(exchange), name, nth, today) {
        Some(row) => Resolution::Found(row.clone()),
        None => not_found(decoded),
    }
}

fn index_reason(row: &Instrument) -> String {
    let what = if row.name.eq_ignore_ascii_case(&row.trading_symbol) {
        row.name.clone()
    } else {
        format!("{} ({})", row.name, row.trading_symbol)
    };
    format!("{what} is an index, which is not tradable; choose a future or option")
}

/// The symbol as written, then with `_` read as `&` and as `-`.
fn spellings(symbol: &str) -> Vec<String> {
    let mut out = vec![symbol.to_string()];
    if symbol.contains('_') {
        out.push(symbol.replace('_', "&"));
        out.push(symbol.replace('_', "-"));
    }
    out
}

/// Rows matching one spelling, most specific rule first.
fn candidates<'m>(
    master: &'m InstrumentMaster,
    exchange: Exchange,
    symbol: &str,
) -> Vec<&'m Instrument> {
    let exact: Vec<&Instrument> = master.all_by_symbol(exchange, symbol).collect();
    if !exact.is_empty() || !exchange.is_cash() {
        return exact;
    }

    let equity: Vec<&Instrument> = master
        .all_by_symbol(exchange, &format!("{symbol}-EQ"))
        .collect();
    if !equity.is_empty() {
        return equity;
    }

    let series: Vec<&Instrument> = master
        .iter()
        .filter(|row| row.exchange == exchange && row.instrument_type.is_empty())
        .filter(|row| row.name.eq_ignore_ascii_case(symbol))
        .collect();
    if !series.is_empty() {
        return series;
    }

    // A chart on NSE may show an NFO contract, in Angel's spelling or NSE's weekly code.
    let derivatives = derivative_segment(exchange);
    let contract: Vec<&Instrument> = master.all_by_symbol(derivatives, symbol).collect();
    if !contract.is_empty() {
        return contract;
    }
    if let Some(angel) = weekly_option_symbol(symbol) {
        return master.all_by_symbol(derivatives, &angel).collect();
    }

    // BSE charts often show the numeric scrip code, which is also Angel's BSE token.
    let numeric = symbol.bytes().all(|b| b.is_ascii_digit());
    master
        .by_token(exchange, symbol)
        .filter(|_| numeric)
        .into_iter()
        .collect()
}

/// An index row whose name or symbol is this text (`NIFTY` names the row "Nifty 50").
fn index_named<'m>(
    master: &'m InstrumentMaster,
    exchange: Exchange,
    symbol: &str,
) -> Option<&'m Instrument> {
    master.iter().find(|row| {
        row.exchange == exchange
            && row.is_index()
            && (row.name.eq_ignore_ascii_case(symbol)
                || row.trading_symbol.eq_ignore_ascii_case(symbol))
    })
}

fn not_found(decoded: &str) -> Resolution {
    // A page can send anything; keep what is echoed back short.
    Resolution::NotFound {
        symbol: decoded.trim().chars().take(60).collect(),
    }
}

/// Decodes `%XX` escapes; malformed escapes are kept as written.
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped = match bytes.get(i + 1..i + 3) {
            Some(&[high, low]) => hex_value(high).zip(hex_value(low)).map(|(h, l)| h * 16 + l),
            _ => None,
        };
        match (bytes[i], escaped) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(digit: u8) -> Option<u8> {
    char::from(digit)
        .to_digit(16)
        .and_then(|value| u8::try_from(value).ok())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn percent_decoding() {
        assert_eq!(percent_decode("NSE%3AM%26M"), "NSE:M&M");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zz%2"), "%zz%2");
        assert_eq!(percent_decode("%E2%82%B9"), "\u{20b9}");
        assert_eq!(percent_decode("%FF"), "\u{fffd}");
        assert_eq!(percent_decode("%+1"), "%+1");
    }

    #[test]
    fn underscore_spellings() {
        assert_eq!(spellings("M_M"), ["M_M", "M&M", "M-M"]);
        assert_eq!(spellings("SBIN"), ["SBIN"]);
    }
}
