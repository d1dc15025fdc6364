//! halo-core: everything Halo knows about Angel One trading, with no I/O.
//!
//! The extension (fetch, `chrome.storage`) and the companion (reqwest, files) are thin shells
//! around this crate. It builds requests and decodes responses but never performs I/O, reads
//! the clock or draws randomness: time, random bytes and transport are passed in, so every rule
//! here is tested natively with `cargo test` and runs unchanged on wasm32.

#![deny(missing_docs)]
#![forbid(unsafe_code)]

pub mod activity;
pub mod instruments;
pub mod orders;
pub mod pairing;
pub mod publisher;
pub mod session;
pub mod smartapi;
pub mod totp;
pub mod vault;
