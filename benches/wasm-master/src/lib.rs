//! Benchmark only: halo-core's instrument master (the parser and index the worker uses)
//! exported to JavaScript, so `./build.sh bench` can time it in Node beside a plain
//! `JSON.parse` and linear search. Built by the bench command alone; never in the extension.

#![deny(missing_docs)]

use halo_core::instruments::{ContractKind, Exchange, InstrumentMaster};
use wasm_bindgen::prelude::*;

/// A parsed and indexed master.
#[wasm_bindgen]
pub struct BenchMaster(InstrumentMaster);

#[wasm_bindgen]
impl BenchMaster {
    /// Parses and indexes the master's JSON text, as the worker does after a download.
    #[wasm_bindgen(constructor)]
    pub fn parse(text: &str) -> Result<BenchMaster, JsError> {
        InstrumentMaster::parse(text)
            .map(BenchMaster)
            .map_err(|error| JsError::new(&error.to_string()))
    }

    /// Rows indexed.
    pub fn rows(&self) -> usize {
        self.0.len()
    }

    /// The token of a trading symbol on an exchange (`NSE`, `RELIANCE-EQ`).
    pub fn token_of(&self, exchange: &str, trading_symbol: &str) -> Option<String> {
        let exchange = Exchange::from_wire(exchange)?;
        Some(self.0.by_symbol(exchange, trading_symbol)?.token.clone())
    }

    /// The trading symbol of a token on an exchange.
    pub fn symbol_of(&self, exchange: &str, token: &str) -> Option<String> {
        let exchange = Exchange::from_wire(exchange)?;
        Some(self.0.by_token(exchange, token)?.trading_symbol.clone())
    }

    /// The token of an option by name, expiry (`20261229`), `CE`/`PE` and strike in paise.
    pub fn option_token(
        &self,
        exchange: &str,
        name: &str,
        expiry_yyyymmdd: u32,
        side: &str,
        strike_paise: f64,
    ) -> Option<String> {
        let exchange = Exchange::from_wire(exchange)?;
        let kind = match side {
            "CE" => ContractKind::Call,
            "PE" => ContractKind::Put,
            _ => return None,
        };
        // Strikes in paise are whole numbers far below 2^53.
        let row = self
            .0
            .contract(exchange, name, expiry_yyyymmdd, kind, strike_paise as i64)?;
        Some(row.token.clone())
    }
}
