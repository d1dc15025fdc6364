//! Polling the worker on a timer.

use std::cell::Cell;
use std::future::Future;
use std::rc::Rc;

use gloo_timers::callback::Interval;
use wasm_bindgen_futures::spawn_local;
use yew::{hook, use_effect_with};

/// Runs `task(key)` now and every `period_ms` while `key` is `Some`; a new key restarts it.
///
/// A tick is skipped while the previous one is still waiting for the worker: the worker may be
/// busy for a second deriving a key, and a queue of stale polls would only delay fresh ones.
#[hook]
pub fn use_polling<K, F, Fut>(period_ms: u32, key: Option<K>, task: F)
where
    K: PartialEq + Clone + 'static,
    F: Fn(K) -> Fut + 'static,
    Fut: Future<Output = ()> + 'static,
{
    use_effect_with(key, move |key| {
        let interval = key.clone().map(|key| {
            let in_flight = Rc::new(Cell::new(false));
            let tick = move || {
                if in_flight.replace(true) {
                    return;
                }
                let in_flight = Rc::clone(&in_flight);
                let poll = task(key.clone());
                spawn_local(async move {
                    poll.await;
                    in_flight.set(false);
                });
            };
            tick();
            Interval::new(period_ms, tick)
        });
        // Dropping the interval cancels it when the key changes or the popup goes away.
        move || drop(interval)
    });
}
