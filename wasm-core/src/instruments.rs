//! The instrument master: every tradable row Angel publishes daily, and how a symbol read from
//! a web page becomes one of them.
//!
//! Angel's file gives `tick_size` in paise and `strike` in rupees times 100, all as strings;
//! [`Instrument`] carries them as integers with the unit in the name. Index rows (`AMXIDX`)
//! are in the file but cannot be traded.

pub mod calendar;
mod derivatives;
mod master;
mod resolve;

use serde::{Deserialize, Serialize};

pub use master::{InstrumentMaster, MasterError};
pub use resolve::{
    MAX_NEAR_MATCHES, Resolution, near_matches, resolve, resolve_on, series_warning,
};

/// An exchange segment, as Angel's `exch_seg` names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Exchange {
    /// NSE cash market.
    Nse,
    /// BSE cash market.
    Bse,
    /// NSE futures and options.
    Nfo,
    /// NSE currency derivatives.
    Cds,
    /// Multi Commodity Exchange.
    Mcx,
    /// BSE futures and options.
    Bfo,
    /// National Commodity and Derivatives Exchange.
    Ncdex,
    /// NSE commodity derivatives.
    Nco,
}

impl Exchange {
    /// Every exchange, in a fixed order.
    pub const ALL: [Exchange; 8] = [
        Exchange::Nse,
        Exchange::Bse,
        Exchange::Nfo,
        Exchange::Cds,
        Exchange::Mcx,
        Exchange::Bfo,
        Exchange::Ncdex,
        Exchange::Nco,
    ];

    /// Angel's spelling, as in `exch_seg` and the `exchange` field of requests.
    pub fn as_wire(&self) -> &'static str {
        match self {
            Exchange::Nse => "NSE",
            Exchange::Bse => "BSE",
            Exchange::Nfo => "NFO",
            Exchange::Cds => "CDS",
            Exchange::Mcx => "MCX",
            Exchange::Bfo => "BFO",
            Exchange::Ncdex => "NCDEX",
            Exchange::Nco => "NCO",
        }
    }

    /// Reads Angel's spelling, in any case.
    pub fn from_wire(s: &str) -> Option<Exchange> {
        Exchange::ALL
            .into_iter()
            .find(|exchange| exchange.as_wire().eq_ignore_ascii_case(s.trim()))
    }

    /// True for the cash markets, where symbols carry a series suffix such as `-EQ`.
    pub fn is_cash(&self) -> bool {
        matches!(self, Exchange::Nse | Exchange::Bse)
    }
}

/// What a derivative contract is; the order is the contract index's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum ContractKind {
    /// A future (`FUTIDX`, `FUTSTK`, `FUTCOM`, ...).
    Future,
    /// A call option, `CE` at the end of its symbol.
    Call,
    /// A put option, `PE` at the end of its symbol.
    Put,
}

/// One row of the instrument master, in Halo's units.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instrument {
    /// Angel's `token` (`symboltoken` in requests), e.g. `2885`.
    pub token: String,
    /// Angel's `symbol` (`tradingsymbol` in requests), e.g. `RELIANCE-EQ`.
    pub trading_symbol: String,
    /// The underlying's name, e.g. `RELIANCE`, `NIFTY`.
    pub name: String,
    /// Exchange segment.
    pub exchange: Exchange,
    /// Angel's `instrumenttype`: `""` for cash, `AMXIDX` for an index, `OPTIDX`, `FUTSTK`, ...
    pub instrument_type: String,
    /// Expiry as Angel writes it, upper-cased (`07MAR2024`); `None` for cash and indices.
    pub expiry: Option<String>,
    /// Option strike in paise (Angel's rupees x 100); `None` when the row is not an option.
    pub strike_paise: Option<i64>,
    /// Contract lot in shares or units; 1 for cash.
    pub lot_size: u32,
    /// Price step in paise (`5` is 0.05 rupees); 0 when the master gives none.
    pub tick_paise: u32,
    /// The exchange's freeze quantity, in units: the most one order may carry. `None` when
    /// the row has no `freeze_qty` (older masters) or gives 0, which means unknown.
    #[serde(default)]
    pub freeze_qty: Option<u64>,
}

impl Instrument {
    /// True for index rows, which have a price but cannot be bought or sold.
    ///
    /// Besides `AMXIDX` rows, the master still carries the old index tokens (`26000` "NIFTY",
    /// `26009` "BANKNIFTY") typed as cash rows; they are the only cash rows without a tick.
    pub fn is_index(&self) -> bool {
        let legacy_index =
            self.exchange.is_cash() && self.instrument_type.is_empty() && self.tick_paise == 0;
        matches!(self.instrument_type.as_str(), "AMXIDX" | "INDEX") || legacy_index
    }

    /// True for futures and options, whose quantity is counted in lots.
    pub fn is_derivative(&self) -> bool {
        self.instrument_type.starts_with("FUT") || self.instrument_type.starts_with("OPT")
    }

    /// Future, call or put; `None` for cash rows, indices and anything else.
    pub fn contract_kind(&self) -> Option<ContractKind> {
        if self.instrument_type.starts_with("FUT") {
            return Some(ContractKind::Future);
        }
        if !self.instrument_type.starts_with("OPT") {
            return None;
        }
        // Angel names options NAME + DDMMMYY + strike + CE/PE; the type has no side.
        if self.trading_symbol.ends_with("CE") {
            Some(ContractKind::Call)
        } else if self.trading_symbol.ends_with("PE") {
            Some(ContractKind::Put)
        } else {
            None
        }
    }

    /// The expiry as an ISO date (`2024-03-07`), if the row has one Halo can read.
    pub fn expiry_iso(&self) -> Option<String> {
        let (year, month, day) = expiry_date(self.expiry.as_deref()?)?;
        Some(format!("{year:04}-{month:02}-{day:02}"))
    }
}

/// The calendar day in India (IST, UTC+05:30) at `unix_ms`, as `20260720`: the day a master
/// belongs to, and the "today" that continuous futures are resolved on.
pub fn india_day_yyyymmdd(unix_ms: f64) -> u32 {
    const IST_OFFSET_MS: f64 = 19_800_000.0;
    // Whole days since 1970-01-01 fit an i64 for any time a browser can report.
    let days = ((unix_ms + IST_OFFSET_MS) / 86_400_000.0).floor() as i64;
    calendar::yyyymmdd(days)
}

/// Reads Angel's `DDMMMYYYY` expiry (any case) into (year, month, day).
pub(crate) fn expiry_date(text: &str) -> Option<(u32, u32, u32)> {
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    let text = text.trim();
    if text.len() != 9 || !text.is_ascii() {
        return None;
    }
    let day: u32 = text[..2].parse().ok()?;
    let month_name = text[2..5].to_ascii_uppercase();
    let month = MONTHS.iter().position(|name| *name == month_name)? as u32 + 1;
    let year: u32 = text[5..].parse().ok()?;
    (1..=31).contains(&day).then_some((year, month, day))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn exchange_round_trips() {
        for exchange in Exchange::ALL {
            assert_eq!(Exchange::from_wire(exchange.as_wire()), Some(exchange));
        }
        assert_eq!(Exchange::from_wire("nfo"), Some(Exchange::Nfo));
        assert_eq!(Exchange::from_wire("nse_cm"), None);
        assert_eq!(
            serde_json::to_string(&Exchange::Ncdex).unwrap(),
            "\"NCDEX\""
        );
    }

    #[test]
    fn india_days() {
        // 2026-07-20 00:00 UTC is 05:30 IST the same day.
        assert_eq!(india_day_yyyymmdd(1_784_505_600_000.0), 20260720);
        // 2026-07-19 18:30 UTC is midnight IST on the 20th.
        assert_eq!(india_day_yyyymmdd(1_784_485_800_000.0), 20260720);
        assert_eq!(india_day_yyyymmdd(1_784_485_799_999.0), 20260719);
        assert_eq!(india_day_yyyymmdd(0.0), 19700101);
        // A leap day.
        assert_eq!(india_day_yyyymmdd(1_709_164_800_000.0), 20240229);
    }

    #[test]
    fn expiry_dates() {
        assert_eq!(expiry_date("07MAR2024"), Some((2024, 3, 7)));
        assert_eq!(expiry_date("04Apr2024"), Some((2024, 4, 4)));
        assert_eq!(expiry_date("32MAR2024"), None);
        assert_eq!(expiry_date("7MAR2024"), None);
        assert_eq!(expiry_date("07XYZ2024"), None);
        assert_eq!(expiry_date("07MÄR024"), None);
    }
}
