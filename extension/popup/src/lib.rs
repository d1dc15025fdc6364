//! halo-popup: Halo's popup, a Yew view onto the background worker.
//!
//! The popup owns nothing: the vault, sessions, codes and orders live in the worker, and every
//! screen is drawn from what the worker answers to a [`PopupRequest`]. A popup closes whenever it
//! loses focus, so anything that must outlive it (a login, an order) runs in the worker; the
//! popup only asks and shows. The same page opened as `popup.html?window=1` is the popped-out
//! window, which follows the tab the user is reading.
//!
//! [`PopupRequest`]: halo_extension_shared::messages::PopupRequest

#![warn(missing_docs)]

mod api;
mod app;
mod backup_file;
mod commands;
mod components;
mod focus;
mod format;
mod guide;
mod help;
mod hooks;
mod state;
mod totp_panel;
mod typing;

use wasm_bindgen::prelude::*;

/// Draws the popup into the page's `<body>`; `popup.js` calls it once the wasm is loaded.
#[wasm_bindgen]
pub fn run_popup() {
    yew::Renderer::<app::App>::new().render();
}

/// Draws the options page (setup guide, troubleshooting, security) into the page's `<body>`;
/// `popup.js` calls it instead of [`run_popup`] on `options.html`.
#[wasm_bindgen]
pub fn run_options() {
    yew::Renderer::<guide::OptionsPage>::new().render();
}
