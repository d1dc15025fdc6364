//! What the worker takes from its host: the clock, randomness, timers and the console.
//!
//! halo-core never reads the clock or draws randomness; these are the worker's sources for
//! both. Everything is reached through the global scope, because a Chromium service worker
//! has no `window`.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::error::{Result, WorkerError};

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, millis: i32) -> JsValue;

    #[wasm_bindgen(js_namespace = console, js_name = info)]
    fn console_info(text: &str);
    #[wasm_bindgen(js_namespace = console, js_name = error)]
    fn console_error(text: &str);
}

/// Now, in Unix milliseconds, from the device clock.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Today's date in India (`YYYY-MM-DD`), the trader's calendar for the API key's age.
pub fn today_ist() -> String {
    // IST is UTC+05:30 with no daylight saving, so shifting the instant and reading the UTC
    // fields gives the Indian calendar day whatever the device's time zone.
    let date = js_sys::Date::new(&JsValue::from_f64(now_ms() + 330.0 * 60_000.0));
    format!(
        "{:04}-{:02}-{:02}",
        date.get_utc_full_year(),
        date.get_utc_month() + 1,
        date.get_utc_date()
    )
}

/// Waits `secs` seconds without blocking the worker.
pub async fn sleep_secs(secs: u64) {
    sleep_ms(secs.saturating_mul(1000)).await;
}

/// Waits `millis` milliseconds without blocking the worker.
pub async fn sleep_ms(millis: u64) {
    let millis = i32::try_from(millis).unwrap_or(i32::MAX);
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        set_timeout(&resolve, millis);
    });
    // A timer's promise only resolves; there is no error to report.
    let _ = JsFuture::from(promise).await;
}

/// Random bytes from the browser's cryptographic generator.
pub fn random_bytes<const N: usize>() -> Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| WorkerError::Random)?;
    Ok(bytes)
}

/// A fresh random id in lower-case hex, for accounts.
pub fn random_id() -> Result<String> {
    let bytes: [u8; 8] = random_bytes()?;
    Ok(bytes.iter().map(|byte| format!("{byte:02x}")).collect())
}

/// Writes a line to the worker's console. Callers pass no secret: only ids, tags and the
/// Display of errors, which never hold one.
pub fn log_info(text: &str) {
    console_info(&format!("halo: {text}"));
}

/// Routes Rust panics to the console and tells the loader the module is now unusable.
///
/// After a panic the wasm instance may hold half-updated state, so the loader answers every
/// later message with "reload Halo" instead of calling in again. The loader defines
/// `haloPanicked` on the global scope; the hook calls it when present.
pub fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        // The panic message comes from our code or a library, never from user input.
        console_error(&format!("halo: the worker failed: {info}"));
        let global = js_sys::global();
        let callback = js_sys::Reflect::get(&global, &JsValue::from_str("haloPanicked"));
        if let Some(callback) = callback
            .ok()
            .and_then(|c| c.dyn_into::<js_sys::Function>().ok())
        {
            let _ = callback.call0(&JsValue::UNDEFINED);
        }
    }));
}
