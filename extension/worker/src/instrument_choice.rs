//! Which instrument a ticket is for: the page's symbol resolved against the master, or the row
//! the user picked from the ticket's candidates when the symbol fitted none or several.
//!
//! Resolution takes exact matches only (a wrong instrument is worse than a question), so a
//! question is common: `XYZ` with both a `-BE` and an `-SM` series, a typo, an index chart.
//! The answer is kept per page symbol in session storage until the browser closes.

use halo_core::instruments::{
    self, Exchange, Instrument, InstrumentMaster, MAX_NEAR_MATCHES, Resolution,
};
use halo_extension_shared::chrome::{self, StorageArea};
use serde::{Deserialize, Serialize};

use crate::error::{Result, WorkerError};
use crate::pages::MAX_SYMBOL_CHARS;
use crate::runtime;

/// How many futures an index chart offers instead of the index.
const INDEX_FUTURES_OFFERED: usize = 3;

/// The ticket's instrument, or the question to ask instead.
#[derive(Debug, Clone, PartialEq)]
pub enum Choice {
    /// One row: trade it, after reading the warning if there is one.
    Instrument {
        /// The row.
        instrument: Instrument,
        /// Something to check first (a series other than `EQ`).
        warning: Option<String>,
    },
    /// No row, or several: say why and offer what the user may pick.
    Ask {
        /// Why the symbol gave no single row, for the trader.
        problem: String,
        /// Rows to pick from; may be empty.
        candidates: Vec<Instrument>,
    },
}

/// A pick kept for a page symbol.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
struct Pick {
    exchange: Exchange,
    token: String,
}

/// The instrument for `page_symbol` on `master`: the user's pick if there is one, else the
/// resolution on today's date (continuous futures need it).
pub async fn choose(master: &InstrumentMaster, page_symbol: &str) -> Result<Choice> {
    let pick: Option<Pick> =
        chrome::storage_get(StorageArea::Session, &pick_key(page_symbol)).await?;
    if let Some(row) = pick.and_then(|pick| master.by_token(pick.exchange, &pick.token)) {
        return Ok(Choice::Instrument {
            instrument: row.clone(),
            warning: None,
        });
    }
    let today = instruments::india_day_yyyymmdd(runtime::now_ms());
    Ok(decide(master, page_symbol, today))
}

/// Keeps the user's pick for `page_symbol`, once the row is found tradable in the master.
pub async fn pick(
    master: &InstrumentMaster,
    page_symbol: &str,
    exchange: &str,
    token: &str,
) -> Result<()> {
    if page_symbol.chars().count() > MAX_SYMBOL_CHARS {
        return Err(WorkerError::BadRequest("pick_instrument".to_owned()));
    }
    let row = Exchange::from_wire(exchange)
        .and_then(|exchange| master.by_token(exchange, token))
        .filter(|row| !row.is_index())
        .ok_or(WorkerError::NoSuchInstrument)?;
    let kept = Pick {
        exchange: row.exchange,
        token: row.token.clone(),
    };
    chrome::storage_set(StorageArea::Session, &pick_key(page_symbol), &kept).await?;
    Ok(())
}

/// The pure part of [`choose`]: resolution on `today` (as `20261203`) and the candidates.
pub fn decide(master: &InstrumentMaster, page_symbol: &str, today: u32) -> Choice {
    match instruments::resolve_on(master, page_symbol, today) {
        Resolution::Found(instrument) => Choice::Instrument {
            warning: instruments::series_warning(&instrument),
            instrument,
        },
        Resolution::Ambiguous(candidates) => Choice::Ask {
            problem: format!("{page_symbol} fits several instruments; pick the one you mean."),
            candidates: candidates.into_iter().take(MAX_NEAR_MATCHES).collect(),
        },
        Resolution::NotTradable { reason } => Choice::Ask {
            problem: reason,
            candidates: index_futures(master, page_symbol, today),
        },
        Resolution::NotFound { symbol } => {
            let candidates = instruments::near_matches(master, page_symbol);
            let problem = if candidates.is_empty() {
                format!("{symbol} is not in Angel's instrument master.")
            } else {
                format!("{symbol} is not in Angel's instrument master; did you mean one of these?")
            };
            Choice::Ask {
                problem,
                candidates,
            }
        }
    }
}

/// The next futures on an index chart's name, which the trader may mean instead.
fn index_futures(master: &InstrumentMaster, page_symbol: &str, today: u32) -> Vec<Instrument> {
    let ticker = page_symbol
        .rsplit_once(':')
        .map_or(page_symbol, |(_, ticker)| ticker)
        .trim()
        .to_ascii_uppercase();
    [Exchange::Nfo, Exchange::Bfo]
        .into_iter()
        .flat_map(|exchange| {
            master
                .futures(exchange, &ticker)
                .cloned()
                .collect::<Vec<_>>()
        })
        .filter(|row| {
            row.expiry_iso().is_some_and(|iso| {
                iso.replace('-', "")
                    .parse::<u32>()
                    .is_ok_and(|day| day >= today)
            })
        })
        .take(INDEX_FUTURES_OFFERED)
        .collect()
}

fn pick_key(page_symbol: &str) -> String {
    format!("pick:{page_symbol}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn row(symbol: &str, name: &str, token: &str, exchange: Exchange, kind: &str) -> Instrument {
        Instrument {
            token: token.into(),
            trading_symbol: symbol.into(),
            name: name.into(),
            exchange,
            instrument_type: kind.into(),
            expiry: None,
            strike_paise: None,
            lot_size: 1,
            tick_paise: 5,
            freeze_qty: None,
        }
    }

    fn master() -> InstrumentMaster {
        let future = |symbol: &str, token: &str, expiry: &str| Instrument {
            expiry: Some(expiry.into()),
            lot_size: 65,
            ..row(symbol, "NIFTY", token, Exchange::Nfo, "FUTIDX")
        };
        InstrumentMaster::from_instruments(vec![
            row("XYZ-BE", "XYZ", "1", Exchange::Nse, ""),
            row("XYZ-SM", "XYZ", "2", Exchange::Nse, ""),
            row("ABCD-BE", "ABCD", "3", Exchange::Nse, ""),
            row("ABCDEF-EQ", "ABCDEF", "4", Exchange::Nse, ""),
            Instrument {
                tick_paise: 0,
                ..row("Nifty 50", "NIFTY", "99926000", Exchange::Nse, "AMXIDX")
            },
            future("NIFTY24NOV26FUT", "10", "24NOV2026"),
            future("NIFTY29DEC26FUT", "11", "29DEC2026"),
            future("NIFTY26JAN27FUT", "12", "26JAN2027"),
        ])
        .unwrap()
    }

    fn symbols(rows: &[Instrument]) -> Vec<&str> {
        rows.iter().map(|row| row.trading_symbol.as_str()).collect()
    }

    #[test]
    fn several_series_ask_with_every_row() {
        match decide(&master(), "NSE:XYZ", 20261203) {
            Choice::Ask { candidates, .. } => {
                assert_eq!(symbols(&candidates), ["XYZ-BE", "XYZ-SM"])
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_single_other_series_is_taken_with_a_warning() {
        match decide(&master(), "ABCD", 20261203) {
            Choice::Instrument {
                instrument,
                warning,
            } => {
                assert_eq!(instrument.token, "3");
                assert!(warning.unwrap().contains("BE series"));
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn nothing_found_offers_near_matches() {
        match decide(&master(), "NSE:ABCDE", 20261203) {
            Choice::Ask {
                problem,
                candidates,
            } => {
                assert!(problem.contains("did you mean"), "{problem}");
                assert_eq!(symbols(&candidates), ["ABCDEF-EQ"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_index_offers_its_live_futures() {
        match decide(&master(), "NSE:NIFTY", 20261203) {
            Choice::Ask {
                problem,
                candidates,
            } => {
                assert!(problem.contains("index"), "{problem}");
                assert_eq!(symbols(&candidates), ["NIFTY29DEC26FUT", "NIFTY26JAN27FUT"]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn continuous_futures_use_the_day() {
        match decide(&master(), "NSE:NIFTY1!", 20261203) {
            Choice::Instrument { instrument, .. } => assert_eq!(instrument.token, "11"),
            other => panic!("{other:?}"),
        }
    }
}
