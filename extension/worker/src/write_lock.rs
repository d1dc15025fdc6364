//! One vault write at a time.
//!
//! Every popup window talks to this one worker, and a vault write is a read, an edit and a
//! store separated by awaits. Two windows saving at the same moment would both read revision
//! N and one of them would lose. Queuing the writes here makes both succeed; the revision
//! compare in [`crate::vault_store`] stays as the last guard.

use std::cell::RefCell;

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

thread_local! {
    /// Settles when the last writer in the queue is done.
    static TAIL: RefCell<Option<js_sys::Promise>> = const { RefCell::new(None) };
}

/// Held while writing; the next writer starts when it drops.
pub struct WriteGuard {
    release: Option<js_sys::Function>,
}

impl Drop for WriteGuard {
    fn drop(&mut self) {
        if let Some(release) = self.release.take() {
            // Resolving a promise cannot fail.
            let _ = release.call0(&JsValue::UNDEFINED);
        }
    }
}

/// Waits for every earlier writer to finish, then holds the vault until the guard drops.
pub async fn acquire() -> WriteGuard {
    let mut release = None;
    // The executor runs synchronously, so `release` is set before `new` returns.
    let mine = js_sys::Promise::new(&mut |resolve, _reject| release = Some(resolve));
    let previous = TAIL.with(|tail| tail.replace(Some(mine)));
    if let Some(previous) = previous {
        // The earlier writer's promise only ever resolves.
        let _ = JsFuture::from(previous).await;
    }
    WriteGuard { release }
}
