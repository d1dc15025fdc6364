//! Made-up market prices. The sandbox has no market feed, so the last traded price of an
//! instrument is a number derived from its token: stable across runs, different between
//! instruments, and always on the instrument's tick so that it is a valid limit price.
//! It says nothing about the real market.

use halo_core::instruments::Instrument;

/// Lowest and highest made-up price, in paise (Rs 100 to Rs 5000).
const LOW_PAISE: u64 = 10_000;
const SPREAD_PAISE: u64 = 490_000;

/// Indices have no tick in the master (`tick_size` 0); their made-up level uses 5 paise.
const INDEX_TICK_PAISE: u64 = 5;

/// The made-up last traded price of an instrument, in paise, on its tick.
pub fn made_up_ltp_paise(instrument: &Instrument) -> u64 {
    let tick = match u64::from(instrument.tick_paise) {
        0 => INDEX_TICK_PAISE,
        tick => tick,
    };
    let raw = LOW_PAISE + fnv1a(instrument.token.as_bytes()) % SPREAD_PAISE;
    (raw - raw % tick).max(tick)
}

/// 64-bit FNV-1a: a fixed, dependency-free hash, so the same token gives the same price in
/// every build (std's hasher is seeded per process).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0000_0100_0000_01b3)
    })
}

#[cfg(test)]
mod tests {
    use halo_core::instruments::Exchange;

    use super::*;

    fn instrument(token: &str, instrument_type: &str, tick_paise: u32) -> Instrument {
        Instrument {
            token: token.to_owned(),
            trading_symbol: format!("SYMBOL{token}"),
            name: "SYMBOL".to_owned(),
            exchange: Exchange::Nse,
            instrument_type: instrument_type.to_owned(),
            expiry: None,
            strike_paise: None,
            lot_size: 1,
            tick_paise,
            freeze_qty: None,
        }
    }

    #[test]
    fn made_up_prices_sit_on_the_tick_and_in_range() {
        for token in ["2885", "3045", "526", "99926000", "1"] {
            for (kind, tick, step) in [("", 10, 10), ("", 5, 5), ("AMXIDX", 0, INDEX_TICK_PAISE)] {
                let paise = made_up_ltp_paise(&instrument(token, kind, tick));
                assert_eq!(paise % step, 0, "token {token} tick {tick}: {paise}");
                assert!((LOW_PAISE - step..LOW_PAISE + SPREAD_PAISE).contains(&paise));
            }
        }
    }

    #[test]
    fn made_up_prices_are_stable_and_differ_between_tokens() {
        let reliance = made_up_ltp_paise(&instrument("2885", "", 10));
        assert_eq!(reliance, made_up_ltp_paise(&instrument("2885", "", 10)));
        assert_ne!(reliance, made_up_ltp_paise(&instrument("3045", "", 10)));
    }

    #[test]
    fn fnv1a_matches_the_published_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
    }
}
