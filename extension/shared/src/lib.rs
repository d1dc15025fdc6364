//! What the parts of Halo's extension say to each other.
//!
//! The popup is a view onto the background worker: every action is a [`PopupRequest`] sent with
//! `chrome.runtime.sendMessage`, answered by exactly one [`Reply`]. Content scripts send only a
//! [`PageReport`]: they read a page and can cause nothing else. Both travel as JSON objects
//! tagged with `"type"`, so the thin JS loaders can route them without knowing Rust.

#![deny(missing_docs)]

pub mod chrome;
pub mod messages;
pub mod order_views;
pub mod passphrase;
pub mod secret_text;
pub mod totp;
pub mod trouble;
