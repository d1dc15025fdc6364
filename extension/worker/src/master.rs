//! Angel's instrument master, downloaded once per worker life and kept in memory.
//!
//! The master is tens of megabytes of JSON that changes once a day, and halo-core parses it.
//! The cache is only a cache: when the browser stops the worker it is lost and simply
//! downloaded again, so no state lives in it.

use std::cell::RefCell;
use std::rc::Rc;

use halo_core::instruments::InstrumentMaster;
use halo_core::smartapi::{Endpoint, HttpRequest, Method};

use crate::error::{Result, WorkerError};
use crate::{http, runtime};

thread_local! {
    /// The parsed master and the URL it came from (a sandbox serves a different one).
    static CACHE: RefCell<Option<(String, Rc<InstrumentMaster>)>> = const { RefCell::new(None) };
}

// TODO: keep the day's master in IndexedDB, so a worker restart does not download it again.

/// The master for `endpoint`, downloaded and parsed on first use.
pub async fn get(endpoint: &Endpoint) -> Result<Rc<InstrumentMaster>> {
    let url = endpoint.instrument_master_url();
    if let Some(master) = cached(&url) {
        return Ok(master);
    }

    let request = HttpRequest {
        method: Method::Get,
        url: url.clone(),
        headers: vec![],
        body: None,
    };
    let fetched = http::send(&request).await?;
    if fetched.response.status != 200 {
        return Err(WorkerError::MasterDownload(fetched.response.status));
    }
    let master = Rc::new(InstrumentMaster::parse(&fetched.response.body)?);
    runtime::log_info(&format!("instrument master loaded: {} rows", master.len()));

    CACHE.with(|cache| *cache.borrow_mut() = Some((url, Rc::clone(&master))));
    Ok(master)
}

/// Drops the cached master, as when the endpoint changes.
pub fn forget() {
    CACHE.with(|cache| *cache.borrow_mut() = None);
}

fn cached(url: &str) -> Option<Rc<InstrumentMaster>> {
    CACHE.with(|cache| {
        cache
            .borrow()
            .as_ref()
            .filter(|(cached_url, _)| cached_url == url)
            .map(|(_, master)| Rc::clone(master))
    })
}
