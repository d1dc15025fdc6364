//! One write at a time to each stored value that several callers read, change and store.
//!
//! Every popup window talks to this one worker, and such a write is a read, an edit and a
//! store separated by awaits. Two windows saving the vault at the same moment would both read
//! revision N and one of them would lose; two SmartAPI calls finishing together would each add
//! their line to the same old activity log. Queuing the writers here makes every one of them
//! count; for the vault, the revision compare in [`crate::vault_store`] stays as the last guard.

use std::cell::RefCell;

use wasm_bindgen::JsValue;
use wasm_bindgen_futures::JsFuture;

/// The stored values that are read, changed and stored again; each has its own queue, so a
/// slow vault write never holds up the activity log.
#[derive(Debug, Clone, Copy)]
pub enum Stored {
    /// The sealed vault in `chrome.storage.local`.
    Vault,
    /// The activity log in `chrome.storage.local`.
    ActivityLog,
    /// The rate limiter's send times in `chrome.storage.session`.
    RateLimits,
}

thread_local! {
    /// Per stored value, a promise that settles when the last writer in its queue is done.
    static TAILS: RefCell<[Option<js_sys::Promise>; 3]> =
        const { RefCell::new([None, None, None]) };
}

/// Held while writing; the next writer of the same value starts when it drops.
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

/// Waits for every earlier writer of `what` to finish, then holds it until the guard drops.
pub async fn acquire(what: Stored) -> WriteGuard {
    let mut release = None;
    // The executor runs synchronously, so `release` is set before `new` returns.
    let mine = js_sys::Promise::new(&mut |resolve, _reject| release = Some(resolve));
    let slot = what as usize;
    let previous = TAILS.with(|tails| tails.borrow_mut()[slot].replace(mine));
    if let Some(previous) = previous {
        // The earlier writer's promise only ever resolves.
        let _ = JsFuture::from(previous).await;
    }
    WriteGuard { release }
}
