//! Typing in a Halo window counts as use for the auto-lock.
//!
//! The worker re-arms its idle countdown on the trader's requests, but filling in a form sends
//! none until Save. Someone copying an API key and a TOTP secret over from Angel's pages can
//! take longer than the idle time, and the lock would wipe what they typed. So while the vault
//! is open, keystrokes tell the worker "still here", at most once per [`TELL_EVERY_MS`].

use std::cell::Cell;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use wasm_bindgen_futures::spawn_local;
use yew::{hook, use_effect_with};

use crate::api;

/// How often typing is reported: well inside the shortest idle time offered (one minute).
const TELL_EVERY_MS: f64 = 20_000.0;

/// While `unlocked`, reports typing anywhere in the page to the worker.
#[hook]
pub fn use_typing_counts_as_use(unlocked: bool) {
    use_effect_with(unlocked, move |unlocked| {
        let listening = unlocked.then(|| {
            let last_told = Rc::new(Cell::new(f64::NEG_INFINITY));
            let on_input = Closure::<dyn Fn()>::new(move || {
                let now = js_sys::Date::now();
                if now - last_told.get() < TELL_EVERY_MS {
                    return;
                }
                last_told.set(now);
                // A failure only means the countdown was not re-armed this time.
                spawn_local(async {
                    let _ = api::still_here().await;
                });
            });
            let document = web_sys::window().and_then(|window| window.document());
            if let Some(document) = &document {
                let listener = on_input.as_ref().unchecked_ref();
                // Capturing: a field that stops the event's propagation still counts.
                let _ = document.add_event_listener_with_callback_and_bool("input", listener, true);
            }
            (document, on_input)
        });
        move || {
            if let Some((Some(document), on_input)) = listening {
                let listener = on_input.as_ref().unchecked_ref();
                let _ =
                    document.remove_event_listener_with_callback_and_bool("input", listener, true);
            }
        }
    });
}
