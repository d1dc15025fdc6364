//! Angel's instrument master: downloaded once per trading day, kept on disk, parsed in memory.
//!
//! The master is 30-40 MB of JSON that Angel regenerates each day; halo-core parses and
//! indexes it. The day's text is kept in `chrome.storage.local` so that a worker the browser
//! stopped (it does so after 30 idle seconds) parses the kept copy instead of downloading it
//! again. The parsed index also lives in this worker's memory while it runs.
//!
//! Why `chrome.storage.local` (with the `unlimitedStorage` permission) and not IndexedDB: the
//! master is one value, written once a day and read whole; storage.local does exactly that
//! through the bindings Halo already has, where IndexedDB would need a dozen hand-bound
//! interfaces and their event callbacks for the same single key. The text is public (Angel
//! publishes it), so the area's visibility to content scripts costs nothing.

use std::cell::RefCell;
use std::rc::Rc;

use halo_core::instruments::{InstrumentMaster, india_day_yyyymmdd};
use halo_core::smartapi::{Endpoint, HttpRequest, Method};
use halo_extension_shared::chrome::{self, StorageArea};
use serde::{Deserialize, Serialize};

use crate::error::{Result, WorkerError};
use crate::{http, runtime};

/// Which master is kept: its URL and day. Read first, so a stale copy is never loaded.
const KEPT_ABOUT: &str = "instrument_master_about";
/// The kept master's text, as downloaded.
const KEPT_TEXT: &str = "instrument_master_text";

/// How often a request waiting for another's load looks again.
const LOAD_WAIT_MS: u64 = 50;

thread_local! {
    /// The parsed master, with the URL and day it belongs to (a sandbox serves another one).
    static CACHE: RefCell<Option<(Edition, Rc<InstrumentMaster>)>> = const { RefCell::new(None) };
    /// The editions being loaded now: the popup asks for the ticket every 2 seconds, and a
    /// second download of 40 MB beside the first would double the memory and the wait. Only
    /// the same edition waits: a download stuck on one endpoint must not hold up another.
    static LOADING: RefCell<Vec<Edition>> = const { RefCell::new(Vec::new()) };
}

/// One day's master from one URL.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct Edition {
    url: String,
    /// The IST day it was downloaded, as `20261203`.
    day: u32,
}

/// Where the master in use came from, for the log and the tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    /// Already parsed in this worker's memory.
    Memory,
    /// Parsed from the copy kept today.
    Kept,
    /// Downloaded just now.
    Downloaded,
}

/// The day's master for `endpoint`: from memory, else from today's kept copy, else downloaded
/// (and then kept).
pub async fn get(endpoint: &Endpoint) -> Result<Rc<InstrumentMaster>> {
    Ok(load(endpoint).await?.0)
}

/// [`get`], also saying where the master came from.
async fn load(endpoint: &Endpoint) -> Result<(Rc<InstrumentMaster>, Origin)> {
    let edition = Edition {
        url: endpoint.instrument_master_url(),
        day: india_day_yyyymmdd(runtime::now_ms()),
    };
    while LOADING.with(|loading| loading.borrow().contains(&edition)) {
        runtime::sleep_ms(LOAD_WAIT_MS).await;
    }
    if let Some(master) = cached(&edition) {
        return Ok((master, Origin::Memory));
    }

    LOADING.with(|loading| loading.borrow_mut().push(edition.clone()));
    let loaded = match kept(&edition).await {
        Some(master) => Ok((master, Origin::Kept)),
        None => download(&edition)
            .await
            .map(|master| (master, Origin::Downloaded)),
    };
    LOADING.with(|loading| loading.borrow_mut().retain(|other| *other != edition));
    let (master, origin) = loaded?;
    let master = Rc::new(master);
    runtime::log_info(&format!(
        "instrument master ready: {} rows ({origin:?})",
        master.len()
    ));
    CACHE.with(|cache| *cache.borrow_mut() = Some((edition, Rc::clone(&master))));
    Ok((master, origin))
}

/// Drops the parsed master, as when the endpoint changes. The kept copy stays: it names its
/// URL, so it is used again only for the same endpoint.
pub fn forget() {
    CACHE.with(|cache| *cache.borrow_mut() = None);
}

fn cached(edition: &Edition) -> Option<Rc<InstrumentMaster>> {
    CACHE.with(|cache| {
        cache
            .borrow()
            .as_ref()
            .filter(|(cached, _)| cached == edition)
            .map(|(_, master)| Rc::clone(master))
    })
}

/// Today's kept master for this URL, parsed; `None` when there is none or it is unusable.
async fn kept(edition: &Edition) -> Option<InstrumentMaster> {
    let about: Edition = chrome::storage_get(StorageArea::Local, KEPT_ABOUT)
        .await
        .ok()
        .flatten()?;
    if about != *edition {
        return None;
    }
    let text: String = chrome::storage_get(StorageArea::Local, KEPT_TEXT)
        .await
        .ok()
        .flatten()?;
    match InstrumentMaster::parse(&text) {
        Ok(master) => Some(master),
        Err(error) => {
            // A damaged copy is downloaded again rather than trusted.
            runtime::log_info(&format!("kept instrument master not usable: {error}"));
            None
        }
    }
}

/// Downloads and parses the master, then keeps its text for the rest of the day.
async fn download(edition: &Edition) -> Result<InstrumentMaster> {
    let request = HttpRequest {
        method: Method::Get,
        url: edition.url.clone(),
        headers: vec![],
        body: None,
    };
    let fetched = http::send(&request).await?;
    if fetched.response.status != 200 {
        return Err(WorkerError::MasterDownload(fetched.response.status));
    }
    // Parsed before it is kept: a broken download must not be reused all day.
    let master = InstrumentMaster::parse(&fetched.response.body)?;
    keep(edition, &fetched.response.body).await;
    Ok(master)
}

/// Keeps the text; a failure only costs a download after the next worker start.
async fn keep(edition: &Edition, text: &str) {
    // The text first: a crash between the two writes leaves an old label, never a new label
    // on old text.
    let written = async {
        chrome::storage_remove(StorageArea::Local, &[KEPT_ABOUT]).await?;
        chrome::storage_set(StorageArea::Local, KEPT_TEXT, &text).await?;
        chrome::storage_set(StorageArea::Local, KEPT_ABOUT, edition).await
    };
    if let Err(error) = written.await {
        runtime::log_info(&format!("instrument master not kept: {error}"));
    }
}
