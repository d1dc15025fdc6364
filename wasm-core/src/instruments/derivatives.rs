//! Chart spellings of futures and options, turned into Angel's trading symbols.
//!
//! NSE publishes weekly options as `NAME` + `YY` + one month character + `DD` + strike +
//! `CE`/`PE` (`NIFTY2591625050CE`), while Angel's master spells every contract `NAME` + `DD` +
//! `MMM` + `YY` + strike + `CE`/`PE` (`NIFTY16SEP2525050CE`). TradingView shows continuous
//! futures as `NIFTY1!` (front month), `NIFTY2!` (next).

use super::{Exchange, Instrument, InstrumentMaster, expiry_date};

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// The derivatives segment that goes with a cash market (NSE options trade on NFO).
pub(crate) fn derivative_segment(exchange: Exchange) -> Exchange {
    match exchange {
        Exchange::Nse => Exchange::Nfo,
        Exchange::Bse => Exchange::Bfo,
        other => other,
    }
}

/// Angel's spelling of an NSE weekly option code, or `None` if `symbol` is not one.
///
/// Month characters are `1`-`9` for January to September and `O`, `N`, `D` for October to
/// December.
pub(crate) fn weekly_option_symbol(symbol: &str) -> Option<String> {
    // Byte offsets below are only character boundaries for ASCII text.
    if !symbol.is_ascii() {
        return None;
    }
    let (body, right) = match symbol.len().checked_sub(2).map(|at| symbol.split_at(at)) {
        Some((body, right @ ("CE" | "PE"))) => (body, right),
        _ => return None,
    };
    let name_end = body.find(|c: char| c.is_ascii_digit())?;
    let (name, code) = body.split_at(name_end);
    if name.is_empty() || !name.bytes().all(|b| b.is_ascii_uppercase()) || code.len() < 6 {
        return None;
    }

    let (year, rest) = code.split_at(2);
    let (month, rest) = rest.split_at(1);
    let (day, strike) = rest.split_at(2);
    let month_index = match month {
        "O" => 9,
        "N" => 10,
        "D" => 11,
        digit => {
            digit
                .parse::<usize>()
                .ok()
                .filter(|m| (1..=9).contains(m))?
                - 1
        }
    };
    let all_digits = |part: &str| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(year) || !all_digits(day) || !all_digits(strike) {
        return None;
    }
    Some(format!(
        "{name}{day}{}{year}{strike}{right}",
        MONTHS[month_index]
    ))
}

/// A TradingView continuous-future ticker: (`NIFTY`, 1) for `NIFTY1!`.
pub(crate) fn continuous_future(symbol: &str) -> Option<(&str, usize)> {
    if !symbol.is_ascii() {
        return None;
    }
    let body = symbol.strip_suffix('!')?;
    let digit_at = body.len().checked_sub(1)?;
    let (name, nth) = body.split_at(digit_at);
    let nth: usize = nth.parse().ok().filter(|n| (1..=3).contains(n))?;
    (!name.is_empty()).then_some((name, nth))
}

/// The `nth` future of `name` (1 = front month) expiring on or after `today_yyyymmdd`.
pub(crate) fn nth_future<'m>(
    master: &'m InstrumentMaster,
    exchange: Exchange,
    name: &'m str,
    nth: usize,
    today_yyyymmdd: u32,
) -> Option<&'m Instrument> {
    // `futures` gives the nearest expiry first.
    master
        .futures(exchange, name)
        .filter(|row| {
            row.expiry
                .as_deref()
                .and_then(expiry_date)
                .is_some_and(|(year, month, day)| {
                    year * 10_000 + month * 100 + day >= today_yyyymmdd
                })
        })
        .nth(nth.checked_sub(1)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn case_o5_weekly_codes() {
        assert_eq!(
            weekly_option_symbol("NIFTY2591625050CE").as_deref(),
            Some("NIFTY16SEP2525050CE")
        );
        assert_eq!(
            weekly_option_symbol("BANKNIFTY25O2043500PE").as_deref(),
            Some("BANKNIFTY20OCT2543500PE")
        );
        assert_eq!(
            weekly_option_symbol("NIFTY25D3026000PE").as_deref(),
            Some("NIFTY30DEC2526000PE")
        );
        for not_weekly in [
            "RELIANCE",
            "NIFTY250X1625050CE",
            "NIFTY2501625050CE",
            "2591625050CE",
            "CE",
        ] {
            assert_eq!(weekly_option_symbol(not_weekly), None, "{not_weekly}");
        }
    }

    #[test]
    fn continuous_tickers() {
        assert_eq!(continuous_future("NIFTY1!"), Some(("NIFTY", 1)));
        assert_eq!(continuous_future("BANKNIFTY2!"), Some(("BANKNIFTY", 2)));
        assert_eq!(continuous_future("NIFTY"), None);
        assert_eq!(continuous_future("1!"), None);
        assert_eq!(continuous_future("!"), None);
        assert_eq!(continuous_future("NIFTY9!"), None);
        assert_eq!(continuous_future("N\u{20b9}1!"), None);
        assert_eq!(weekly_option_symbol("\u{20b9}CE"), None);
    }
}
