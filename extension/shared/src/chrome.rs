//! The few `chrome.*` calls Halo makes, bound by hand.
//!
//! Only the calls Halo uses are bound, each as an `async` function over the promise that MV3
//! returns when no callback is given. Firefox exposes the same `chrome` namespace with promises,
//! so one binding serves both. Every binding reaches `chrome` through the global scope: the
//! Chromium service worker has no `window`.
//!
//! One difference bites: where Chromium rejects the promise, Firefox throws at once when an
//! argument breaks its schema (an option it does not support), and an `async` binding does not
//! turn that throw into an `Err`: the call never settles. Pass only what both browsers accept,
//! or bind the call without `async` and await its promise, as the login reminder does.

use js_sys::{Object, Reflect};
use serde::Serialize;
use serde::de::DeserializeOwned;
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "local"], js_name = get)]
    async fn local_get(keys: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "local"], js_name = set)]
    async fn local_set(items: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "local"], js_name = remove)]
    async fn local_remove(keys: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "session"], js_name = get)]
    async fn session_get(keys: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "session"], js_name = set)]
    async fn session_set(items: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "storage", "session"], js_name = remove)]
    async fn session_remove(keys: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["chrome", "runtime"], js_name = sendMessage)]
    async fn runtime_send_message(message: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(js_namespace = ["chrome", "runtime"], js_name = getURL)]
    fn runtime_get_url(path: &str) -> String;

    #[wasm_bindgen(catch, js_namespace = ["chrome", "tabs"], js_name = query)]
    async fn tabs_query(query: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["chrome", "windows"], js_name = create)]
    async fn windows_create(data: &JsValue) -> Result<JsValue, JsValue>;

    // Not `async`: the request must be made before the click handler returns (see
    // `AllSitesRequest`), and an async import only calls the browser once first polled.
    #[wasm_bindgen(catch, js_namespace = ["chrome", "permissions"], js_name = request)]
    fn permissions_request(permissions: &JsValue) -> Result<js_sys::Promise, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "permissions"], js_name = remove)]
    async fn permissions_remove(permissions: &JsValue) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(catch, js_namespace = ["chrome", "alarms"], js_name = create)]
    async fn alarms_create(name: &str, info: &JsValue) -> Result<JsValue, JsValue>;
    #[wasm_bindgen(catch, js_namespace = ["chrome", "alarms"], js_name = clear)]
    async fn alarms_clear(name: &str) -> Result<JsValue, JsValue>;

    #[wasm_bindgen(js_namespace = ["chrome", "storage", "onChanged"], js_name = addListener)]
    fn storage_on_changed_add_listener(listener: &js_sys::Function);

    #[wasm_bindgen(catch, js_namespace = ["chrome", "tabs"], js_name = captureVisibleTab)]
    async fn tabs_capture_visible_tab(
        window_id: i32,
        options: &JsValue,
    ) -> Result<JsValue, JsValue>;
}

/// Calls `on_change` each time `key` changes in `chrome.storage.local`, whoever changed it (this
/// page, another Halo window, the worker). For a page's whole life: the listener is never
/// removed.
pub fn watch_local_key(key: &'static str, on_change: impl Fn() + 'static) {
    let listener =
        Closure::<dyn Fn(JsValue, JsValue)>::new(move |changes: JsValue, area: JsValue| {
            let local = area.as_string().as_deref() == Some("local");
            if local && Reflect::has(&changes, &JsValue::from_str(key)).unwrap_or(false) {
                on_change();
            }
        });
    storage_on_changed_add_listener(listener.as_ref().unchecked_ref());
    listener.forget();
}

/// Calls `on_change` each time a key starting with `prefix` changes in `chrome.storage.session`,
/// whoever changed it. For a page's whole life, like [`watch_local_key`].
pub fn watch_session_keys(prefix: &'static str, on_change: impl Fn() + 'static) {
    let listener =
        Closure::<dyn Fn(JsValue, JsValue)>::new(move |changes: JsValue, area: JsValue| {
            if area.as_string().as_deref() != Some("session") {
                return;
            }
            let keys = Object::keys(changes.unchecked_ref::<Object>());
            if keys
                .iter()
                .any(|key| key.as_string().is_some_and(|k| k.starts_with(prefix)))
            {
                on_change();
            }
        });
    storage_on_changed_add_listener(listener.as_ref().unchecked_ref());
    listener.forget();
}

/// A `chrome.*` call failed, or its answer did not have the expected shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChromeError(pub String);

impl std::fmt::Display for ChromeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the browser refused a request: {}", self.0)
    }
}

impl std::error::Error for ChromeError {}

impl From<JsValue> for ChromeError {
    fn from(value: JsValue) -> Self {
        let text = Reflect::get(&value, &JsValue::from_str("message"))
            .ok()
            .and_then(|m| m.as_string())
            .or_else(|| value.as_string())
            .unwrap_or_else(|| "unknown error".to_owned());
        ChromeError(text)
    }
}

impl From<serde_wasm_bindgen::Error> for ChromeError {
    fn from(value: serde_wasm_bindgen::Error) -> Self {
        ChromeError(value.to_string())
    }
}

/// One of the two storage areas Halo uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StorageArea {
    /// `chrome.storage.local`: kept on disk across restarts. Only ciphertext and non-secret
    /// settings go here.
    Local,
    /// `chrome.storage.session`: memory only, cleared when the browser closes, hidden from
    /// content scripts. The unlocked vault key and session tokens live here.
    Session,
}

/// When a `chrome.alarms` alarm fires, which wakes a stopped worker.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AlarmTime {
    /// Once, this many minutes from now.
    DelayMinutes(f64),
    /// Every this many minutes (Chrome's shortest period is half a minute).
    PeriodMinutes(f64),
    /// Once, at this Unix time in milliseconds.
    AtUnixMs(f64),
}

/// Sets the alarm `name`, replacing any alarm of that name.
pub async fn alarm_set(name: &str, time: AlarmTime) -> Result<(), ChromeError> {
    let (field, value) = match time {
        AlarmTime::DelayMinutes(minutes) => ("delayInMinutes", minutes),
        AlarmTime::PeriodMinutes(minutes) => ("periodInMinutes", minutes),
        AlarmTime::AtUnixMs(ms) => ("when", ms),
    };
    let info = Object::new();
    Reflect::set(&info, &JsValue::from_str(field), &JsValue::from_f64(value))?;
    alarms_create(name, &info).await?;
    Ok(())
}

/// Clears the alarm `name`; clearing an alarm that is not set is not an error.
pub async fn alarm_clear(name: &str) -> Result<(), ChromeError> {
    alarms_clear(name).await?;
    Ok(())
}

/// Reads one key from a storage area, decoded from JSON-like values; `None` when absent.
pub async fn storage_get<T: DeserializeOwned>(
    area: StorageArea,
    key: &str,
) -> Result<Option<T>, ChromeError> {
    let keys = JsValue::from_str(key);
    let items = match area {
        StorageArea::Local => local_get(&keys).await?,
        StorageArea::Session => session_get(&keys).await?,
    };
    let value = Reflect::get(&items, &keys)?;
    if value.is_undefined() || value.is_null() {
        return Ok(None);
    }
    Ok(Some(serde_wasm_bindgen::from_value(value)?))
}

/// Writes one key to a storage area.
pub async fn storage_set<T: Serialize>(
    area: StorageArea,
    key: &str,
    value: &T,
) -> Result<(), ChromeError> {
    let items = Object::new();
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    Reflect::set(
        &items,
        &JsValue::from_str(key),
        &value.serialize(&serializer)?,
    )?;
    match area {
        StorageArea::Local => local_set(&items).await?,
        StorageArea::Session => session_set(&items).await?,
    };
    Ok(())
}

/// Removes keys from a storage area.
pub async fn storage_remove(area: StorageArea, keys: &[&str]) -> Result<(), ChromeError> {
    let list = js_sys::Array::new();
    for key in keys {
        list.push(&JsValue::from_str(key));
    }
    match area {
        StorageArea::Local => local_remove(&list).await?,
        StorageArea::Session => session_remove(&list).await?,
    };
    Ok(())
}

/// Every key present in a storage area, so a family of keys (`session:*`) can be found.
pub async fn storage_keys(area: StorageArea) -> Result<Vec<String>, ChromeError> {
    // `get(null)` answers the whole area.
    let items = match area {
        StorageArea::Local => local_get(&JsValue::NULL).await?,
        StorageArea::Session => session_get(&JsValue::NULL).await?,
    };
    let object: Object = items.dyn_into().map_err(ChromeError::from)?;
    Ok(Object::keys(&object)
        .iter()
        .filter_map(|key| key.as_string())
        .collect())
}

/// The extension's id (`chrome.runtime.id`); `None` once the extension was reloaded or removed
/// under a script that outlived it.
pub fn extension_id() -> Option<String> {
    let get = |object: &JsValue, name: &str| Reflect::get(object, &JsValue::from_str(name)).ok();
    let chrome = get(&js_sys::global().into(), "chrome")?;
    let runtime = get(&chrome, "runtime")?;
    get(&runtime, "id")?.as_string()
}

/// Sends a message to the extension's worker and decodes its answer.
pub async fn send_message<Q: Serialize, A: DeserializeOwned>(
    message: &Q,
) -> Result<A, ChromeError> {
    let serializer = serde_wasm_bindgen::Serializer::json_compatible();
    let answer = runtime_send_message(&message.serialize(&serializer)?).await?;
    if answer.is_undefined() {
        return Err(ChromeError(
            "the background worker did not answer".to_owned(),
        ));
    }
    Ok(serde_wasm_bindgen::from_value(answer)?)
}

/// The full URL of a file inside the extension, such as `popup.html`.
pub fn extension_url(path: &str) -> String {
    runtime_get_url(path)
}

/// A browser tab as `chrome.tabs.query` describes it; only the fields Halo reads.
#[derive(Debug, Clone, PartialEq, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Tab {
    /// The tab's id, absent for some special tabs.
    pub id: Option<i32>,
    /// The window holding the tab.
    pub window_id: i32,
    /// Whether it is the active tab of its window.
    pub active: bool,
    /// The tab's URL, visible only where Halo has host permission.
    pub url: Option<String>,
    /// When the user last had the tab in front, in Unix milliseconds.
    pub last_accessed: Option<f64>,
}

/// The active tab of each normal browser window (never a popup window, so a popped-out Halo
/// still finds the page the user is reading).
pub async fn active_tabs_in_normal_windows() -> Result<Vec<Tab>, ChromeError> {
    let query = Object::new();
    Reflect::set(&query, &JsValue::from_str("active"), &JsValue::TRUE)?;
    Reflect::set(
        &query,
        &JsValue::from_str("windowType"),
        &JsValue::from_str("normal"),
    )?;
    let tabs = tabs_query(&query).await?;
    Ok(serde_wasm_bindgen::from_value(tabs)?)
}

/// Opens an extension page in a window of its own, as password managers' "pop out" does.
pub async fn open_popup_window(path: &str, width: u32, height: u32) -> Result<(), ChromeError> {
    let data = Object::new();
    Reflect::set(
        &data,
        &JsValue::from_str("url"),
        &JsValue::from_str(&extension_url(path)),
    )?;
    Reflect::set(
        &data,
        &JsValue::from_str("type"),
        &JsValue::from_str("popup"),
    )?;
    Reflect::set(&data, &JsValue::from_str("width"), &JsValue::from(width))?;
    Reflect::set(&data, &JsValue::from_str("height"), &JsValue::from(height))?;
    windows_create(&data).await?;
    Ok(())
}

/// A request for the optional `<all_urls>` host permission, made to the browser at once and
/// answered later: the browser asks the user first, in its own words.
///
/// Firefox only accepts the request during the click's own handler, before anything is
/// awaited (Chromium allows a few seconds), so the handler starts it with
/// [`AllSitesRequest::start`] and the work it spawns awaits [`AllSitesRequest::granted`].
#[must_use = "the answer says whether the permission was given"]
pub struct AllSitesRequest(js_sys::Promise);

impl AllSitesRequest {
    /// Sends the request; call it in the click handler itself.
    pub fn start() -> Result<AllSitesRequest, ChromeError> {
        Ok(AllSitesRequest(permissions_request(&all_sites()?)?))
    }

    /// Whether the user (or an earlier grant) gave the permission.
    pub async fn granted(self) -> Result<bool, ChromeError> {
        let granted = wasm_bindgen_futures::JsFuture::from(self.0).await?;
        Ok(granted.as_bool() == Some(true))
    }
}

/// Gives the optional `<all_urls>` permission back.
pub async fn remove_all_sites() -> Result<(), ChromeError> {
    permissions_remove(&all_sites()?).await?;
    Ok(())
}

fn all_sites() -> Result<JsValue, ChromeError> {
    let permissions = Object::new();
    let origins = js_sys::Array::of1(&JsValue::from_str("<all_urls>"));
    Reflect::set(&permissions, &JsValue::from_str("origins"), &origins)?;
    Ok(permissions.into())
}

/// A PNG `data:` URL of what the user sees in the normal browser window used last (never
/// Halo's own popped-out window), for reading a QR code shown there.
///
/// Chromium allows it only with `activeTab` (after a click on Halo's toolbar button, on the tab
/// active then) or with `<all_urls>`; a host permission for the page alone is refused.
pub async fn capture_reading_tab() -> Result<String, ChromeError> {
    // The tab, not `windows.getLastFocused`: Firefox ignores that call's window types and
    // answers with the popped-out Halo itself when it has the focus.
    let tabs = active_tabs_in_normal_windows().await?;
    let reading = tabs
        .iter()
        .max_by(|a, b| seen_at(a).total_cmp(&seen_at(b)))
        .ok_or_else(|| ChromeError("no browser window is open".to_owned()))?;
    capture_window(reading.window_id).await
}

fn seen_at(tab: &Tab) -> f64 {
    tab.last_accessed.unwrap_or(0.0)
}

/// Opens `url` in a new normal browser window, so a page Halo will read (such as Angel's
/// enable-TOTP page) stays visible beside Halo's own page.
pub async fn open_window(url: &str) -> Result<(), ChromeError> {
    let data = Object::new();
    Reflect::set(&data, &JsValue::from_str("url"), &JsValue::from_str(url))?;
    Reflect::set(
        &data,
        &JsValue::from_str("type"),
        &JsValue::from_str("normal"),
    )?;
    windows_create(&data).await?;
    Ok(())
}

/// A PNG `data:` URL of the window whose active tab shows a page matching one of
/// `url_patterns` (match patterns such as `https://smartapi.angelone.in/*`); an error when no
/// window shows one.
///
/// Needs the same permission as [`capture_reading_tab`].
pub async fn capture_window_showing(url_patterns: &[&str]) -> Result<String, ChromeError> {
    let query = Object::new();
    Reflect::set(&query, &JsValue::from_str("active"), &JsValue::TRUE)?;
    let patterns: js_sys::Array = url_patterns
        .iter()
        .map(|pattern| JsValue::from_str(pattern))
        .collect();
    Reflect::set(&query, &JsValue::from_str("url"), &patterns)?;
    let tabs: Vec<Tab> = serde_wasm_bindgen::from_value(tabs_query(&query).await?)?;
    let tab = tabs
        .first()
        .ok_or_else(|| ChromeError("no window shows that page in front".to_owned()))?;
    capture_window(tab.window_id).await
}

async fn capture_window(window_id: i32) -> Result<String, ChromeError> {
    let options = Object::new();
    Reflect::set(
        &options,
        &JsValue::from_str("format"),
        &JsValue::from_str("png"),
    )?;
    let data_url = tabs_capture_visible_tab(window_id, &options).await?;
    data_url
        .as_string()
        .ok_or_else(|| ChromeError("the capture returned no picture".to_owned()))
}
