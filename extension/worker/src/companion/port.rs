//! A connection to the companion: `chrome.runtime.connectNative`, one question at a time.
//!
//! The browser starts `halo` when the port opens and stops it when the port closes, so one
//! port is one connection of the pairing protocol. An open port also keeps the service worker
//! alive, which a pairing waiting for the person's confirmation needs.

use std::cell::RefCell;
use std::rc::Rc;

use halo_core::pairing::wire::{FromCompanion, ToCompanion};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::CompanionError;
use crate::error::{Result, WorkerError};

/// The native host's name: `halo install` writes its manifest under this name.
pub const HOST_NAME: &str = "in.halo.companion";

#[wasm_bindgen]
extern "C" {
    type Port;
    type PortEvent;

    #[wasm_bindgen(catch, js_namespace = ["chrome", "runtime"], js_name = connectNative)]
    fn connect_native(name: &str) -> std::result::Result<Port, JsValue>;
    #[wasm_bindgen(method, catch, js_name = postMessage)]
    fn post_message(this: &Port, message: &JsValue) -> std::result::Result<(), JsValue>;
    #[wasm_bindgen(method)]
    fn disconnect(this: &Port);
    #[wasm_bindgen(method, getter, js_name = onMessage)]
    fn on_message(this: &Port) -> PortEvent;
    #[wasm_bindgen(method, getter, js_name = onDisconnect)]
    fn on_disconnect(this: &Port) -> PortEvent;
    #[wasm_bindgen(method, js_name = addListener)]
    fn add_listener(this: &PortEvent, listener: &js_sys::Function);

    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout(callback: &js_sys::Function, millis: i32) -> JsValue;
}

/// Where an answer goes: the resolve and reject of the question waiting for it.
#[derive(Default)]
struct Waiting {
    resolve: Option<js_sys::Function>,
    reject: Option<js_sys::Function>,
    /// Why the port closed, once it has.
    closed: Option<String>,
}

/// An open port to the companion.
pub struct NativePort {
    port: Port,
    waiting: Rc<RefCell<Waiting>>,
    // Kept alive as long as the port: the browser calls them.
    _on_message: Closure<dyn FnMut(JsValue)>,
    _on_disconnect: Closure<dyn FnMut(JsValue)>,
}

impl NativePort {
    /// Starts the companion. Failing to find it shows only when the port closes, at the first
    /// question.
    pub fn open() -> Result<NativePort> {
        let port = connect_native(HOST_NAME).map_err(|error| unreachable(&error))?;
        let waiting = Rc::new(RefCell::new(Waiting::default()));

        let on_message = {
            let waiting = Rc::clone(&waiting);
            Closure::<dyn FnMut(JsValue)>::new(move |message: JsValue| {
                let resolve = waiting.borrow_mut().resolve.take();
                waiting.borrow_mut().reject = None;
                if let Some(resolve) = resolve {
                    let _ = resolve.call1(&JsValue::UNDEFINED, &message);
                }
            })
        };
        let on_disconnect = {
            let waiting = Rc::clone(&waiting);
            Closure::<dyn FnMut(JsValue)>::new(move |_port: JsValue| {
                let reason = last_error().unwrap_or_else(|| "the companion stopped".to_owned());
                let reason = reason.trim_end_matches('.').to_owned();
                let reject = waiting.borrow_mut().reject.take();
                waiting.borrow_mut().resolve = None;
                waiting.borrow_mut().closed = Some(reason.clone());
                if let Some(reject) = reject {
                    let _ = reject.call1(&JsValue::UNDEFINED, &JsValue::from_str(&reason));
                }
            })
        };
        port.on_message()
            .add_listener(on_message.as_ref().unchecked_ref());
        port.on_disconnect()
            .add_listener(on_disconnect.as_ref().unchecked_ref());
        Ok(NativePort {
            port,
            waiting,
            _on_message: on_message,
            _on_disconnect: on_disconnect,
        })
    }

    /// Sends one frame and waits up to `timeout_secs` for the answer.
    pub async fn ask(&self, frame: &ToCompanion, timeout_secs: u32) -> Result<FromCompanion> {
        if let Some(reason) = self.waiting.borrow().closed.clone() {
            return Err(CompanionError::Unreachable(reason).into());
        }
        let waiting = Rc::clone(&self.waiting);
        let answer = js_sys::Promise::new(&mut |resolve, reject| {
            let mut waiting = waiting.borrow_mut();
            waiting.resolve = Some(resolve);
            waiting.reject = Some(reject);
        });
        let millis = i32::try_from(timeout_secs.saturating_mul(1000)).unwrap_or(i32::MAX);
        let timer = js_sys::Promise::new(&mut |_resolve, reject| {
            let fire = Closure::once_into_js(move || {
                let _ = reject.call1(&JsValue::UNDEFINED, &JsValue::from_str("timeout"));
            });
            set_timeout(fire.unchecked_ref(), millis);
        });

        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        let message = serde::Serialize::serialize(frame, &serializer)
            .map_err(|_| WorkerError::BadRequest("companion frame".to_owned()))?;
        self.port
            .post_message(&message)
            .map_err(|error| unreachable(&error))?;

        let race = js_sys::Promise::race(&js_sys::Array::of2(&answer, &timer));
        match JsFuture::from(race).await {
            Ok(value) => serde_wasm_bindgen::from_value(value).map_err(|_| {
                CompanionError::Unreachable(
                    "the companion answered in a form Halo does not understand; update it"
                        .to_owned(),
                )
                .into()
            }),
            Err(reason) if reason.as_string().as_deref() == Some("timeout") => {
                Err(CompanionError::Timeout.into())
            }
            Err(reason) => Err(unreachable(&reason)),
        }
    }
}

impl Drop for NativePort {
    fn drop(&mut self) {
        // Closes the port before the listeners go, so neither is called after.
        self.port.disconnect();
    }
}

/// `chrome.runtime.lastError.message`, read in `onDisconnect` (reading it also keeps Chromium
/// from logging it as unchecked).
fn last_error() -> Option<String> {
    let chrome = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("chrome")).ok()?;
    let runtime = js_sys::Reflect::get(&chrome, &JsValue::from_str("runtime")).ok()?;
    let error = js_sys::Reflect::get(&runtime, &JsValue::from_str("lastError")).ok()?;
    js_sys::Reflect::get(&error, &JsValue::from_str("message"))
        .ok()?
        .as_string()
}

fn unreachable(error: &JsValue) -> WorkerError {
    let text = js_sys::Reflect::get(error, &JsValue::from_str("message"))
        .ok()
        .and_then(|message| message.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".to_owned());
    // The browser's reasons end with a full stop; the sentence around them has its own.
    CompanionError::Unreachable(text.trim_end_matches('.').to_owned()).into()
}
