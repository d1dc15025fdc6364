//! Benchmark only: halo-core's `derive_key` exported to JavaScript, so `./build.sh bench` can
//! time the vault unlock in Chromium and in Node beside another Argon2id. It is built by the
//! bench command alone and never copied into the extension.

#![deny(missing_docs)]

use halo_core::vault::{KdfParams, derive_key};
use wasm_bindgen::prelude::*;

/// Derives the vault key exactly as an unlock does and returns it as base64, so the caller can
/// check it equals the other implementation's output for the same inputs.
#[wasm_bindgen]
pub fn derive_key_base64(
    passphrase: &str,
    salt: &[u8],
    m_cost_kib: u32,
    t_cost: u32,
    p_cost: u32,
) -> Result<String, JsError> {
    let salt: [u8; 16] = salt
        .try_into()
        .map_err(|_| JsError::new("the salt must be 16 bytes"))?;
    let kdf = KdfParams {
        m_cost_kib,
        t_cost,
        p_cost,
    };
    let key =
        derive_key(passphrase, &kdf, &salt).map_err(|error| JsError::new(&error.to_string()))?;
    Ok(key.to_base64())
}
