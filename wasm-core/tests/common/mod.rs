//! What halo-core's integration tests share: the sample instrument master, read once per test
//! binary, and its rows looked up by symbol.

// Each test file compiles this module by itself and uses only part of it.
#![allow(dead_code)]

use std::sync::OnceLock;

use halo_core::instruments::{Exchange, Instrument, InstrumentMaster};

/// A sample of Angel's real master (some thousands of rows), kept with the other fixtures.
pub const SAMPLE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/instruments/scrip_master_sample.json"
);

/// The sample master, parsed on first use.
pub fn sample() -> &'static InstrumentMaster {
    static MASTER: OnceLock<InstrumentMaster> = OnceLock::new();
    MASTER.get_or_init(|| {
        let text = std::fs::read_to_string(SAMPLE).unwrap();
        InstrumentMaster::parse(&text).unwrap()
    })
}

/// The sample's row for `symbol` on `exchange`; panics when the sample has none.
pub fn row(exchange: Exchange, symbol: &str) -> Instrument {
    sample().by_symbol(exchange, symbol).unwrap().clone()
}
