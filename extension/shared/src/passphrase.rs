//! A typed passphrase in the Unicode forms halo-core derives keys from, using the browser's own
//! `String.prototype.normalize` so the extension's wasm carries no Unicode tables.

use halo_core::vault::PassphraseForms;

/// `typed` with its composed (NFC) and decomposed (NFD) forms.
pub fn passphrase_forms(typed: &str) -> PassphraseForms {
    let typed_js = js_sys::JsString::from(typed);
    let form = |name: &str| String::from(typed_js.normalize(name));
    PassphraseForms::new(typed.to_owned(), form("NFC"), form("NFD"))
}
