//! The daily login reminder: a notification whose button logs every account in.
//!
//! Whether it is due is judged by halo-core from the time, the last login and the last
//! reminder, on every wake of the worker (start-up and the alarm), so a laptop asleep at 08:45
//! still reminds at 09:10. The alarm only says when to look again. A locked vault gets a
//! notification that asks to unlock Halo; nothing logs in half-way.

use halo_core::session::Session;
use halo_core::session::reminder::{self, DEFAULT_REMINDER_IST_MINUTES};
use halo_extension_shared::chrome::{self, AlarmTime, StorageArea};
use js_sys::{Array, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use crate::error::{Result, WorkerError};
use crate::login::SESSION_PREFIX;
use crate::{login, runtime, vault_store};

/// The alarm's name, as `worker.js` passes it back.
pub const ALARM: &str = "halo-login-reminder";
/// The notification's id, as `worker.js` passes it back on a click.
pub const NOTIFICATION: &str = "halo-login-reminder";
const AT_KEY: &str = "login_reminder_ist_minutes";
const LAST_KEY: &str = "login_reminder_last_ms";

#[wasm_bindgen]
extern "C" {
    // Bound without `async`: Firefox throws at once on an option it refuses, where Chromium
    // rejects the promise, and only a plain `catch` turns that throw into an `Err`.
    #[wasm_bindgen(catch, js_namespace = ["chrome", "notifications"], js_name = create)]
    fn notifications_create(id: &str, options: &JsValue) -> std::result::Result<Promise, JsValue>;
}

async fn create_notification(id: &str, options: &JsValue) -> std::result::Result<(), JsValue> {
    JsFuture::from(notifications_create(id, options)?).await?;
    Ok(())
}

/// The reminder time in minutes after midnight IST.
pub async fn at_ist_minutes() -> Result<u32> {
    let stored: Option<u32> = chrome::storage_get(StorageArea::Local, AT_KEY).await?;
    Ok(stored.unwrap_or(DEFAULT_REMINDER_IST_MINUTES))
}

/// Sets the reminder time and looks again at once.
pub async fn set_at_ist_minutes(minutes: u32) -> Result<()> {
    if minutes >= 24 * 60 {
        return Err(WorkerError::BadRequest("reminder time".to_owned()));
    }
    chrome::storage_set(StorageArea::Local, AT_KEY, &minutes).await?;
    check().await
}

/// Reminds if due, then arms the alarm for the next reminder time.
pub async fn check() -> Result<()> {
    let now = runtime::now_ms();
    let at = at_ist_minutes().await?;
    let last_reminder: Option<f64> = chrome::storage_get(StorageArea::Local, LAST_KEY).await?;

    // No vault, or one without accounts, has nobody to log in.
    let wanted = match vault_store::unlocked().await {
        Ok(vault) => Some(true).filter(|_| !vault.contents.accounts.is_empty()),
        Err(WorkerError::Locked) => Some(false),
        Err(_) => None,
    };
    if let Some(unlocked) = wanted
        && reminder::due(now, at, last_login_ms().await?, last_reminder)
    {
        notify(unlocked).await?;
        chrome::storage_set(StorageArea::Local, LAST_KEY, &now).await?;
    }

    let next = AlarmTime::AtUnixMs(reminder::next_at_unix_ms(now, at));
    chrome::alarm_set(ALARM, next).await?;
    Ok(())
}

/// The notification's button: logs every account in, one after the other, and says how it went.
pub async fn log_in_all() -> Result<()> {
    let vault = vault_store::unlocked().await?;
    let mut failed = Vec::new();
    for account in &vault.contents.accounts {
        if let Err(error) = login::log_in(account).await {
            runtime::log_info(&format!("reminder login of {} failed: {error}", account.id));
            failed.push(account.label.clone());
        }
    }
    let message = if failed.is_empty() {
        "Every account is logged in.".to_owned()
    } else {
        format!(
            "Not logged in: {}. Open Halo to see why.",
            failed.join(", ")
        )
    };
    show(&format!("{NOTIFICATION}-done"), "Halo", &message, false).await
}

async fn notify(unlocked: bool) -> Result<()> {
    if unlocked {
        show(
            NOTIFICATION,
            "Log in to Angel One",
            // Firefox shows no notification buttons: the click on the notification is the way.
            "Today's session has not started yet. Click here to log in every account.",
            true,
        )
        .await
    } else {
        show(
            NOTIFICATION,
            "Unlock Halo to log in",
            "Today's session has not started yet. Open Halo and unlock it, then press Log in.",
            false,
        )
        .await
    }
}

/// Shows (or replaces) Halo's notification `id`; `with_button` adds the Log in button.
pub(crate) async fn show(id: &str, title: &str, message: &str, with_button: bool) -> Result<()> {
    let options = Object::new();
    let set = |name: &str, value: JsValue| Reflect::set(&options, &name.into(), &value);
    let built = set("type", "basic".into())
        .and_then(|_| {
            set(
                "iconUrl",
                chrome::extension_url("icons/icon-128.png").into(),
            )
        })
        .and_then(|_| set("title", title.into()))
        .and_then(|_| set("message", message.into()));
    let built = if with_button {
        let button = Object::new();
        built
            .and_then(|_| Reflect::set(&button, &"title".into(), &"Log in".into()))
            .and_then(|_| set("buttons", Array::of1(&button).into()))
    } else {
        built
    };
    built.map_err(|_| WorkerError::BadRequest("notification".to_owned()))?;
    let Err(refused) = create_notification(id, &options).await else {
        return Ok(());
    };
    if !with_button {
        return Err(chrome::ChromeError::from(refused).into());
    }
    // Firefox draws no notification buttons and refuses the option outright; there a click on
    // the notification itself logs in (worker.js listens to both).
    let _ = Reflect::delete_property(&options, &"buttons".into());
    create_notification(id, &options)
        .await
        .map_err(chrome::ChromeError::from)?;
    Ok(())
}

/// When the newest stored session was obtained.
async fn last_login_ms() -> Result<Option<f64>> {
    let mut newest: Option<f64> = None;
    for key in chrome::storage_keys(StorageArea::Session).await? {
        if !key.starts_with(SESSION_PREFIX) {
            continue;
        }
        let session: Option<Session> = chrome::storage_get(StorageArea::Session, &key).await?;
        if let Some(at) = session.map(|s| s.obtained_at_unix_ms) {
            newest = Some(newest.map_or(at, |n| n.max(at)));
        }
    }
    Ok(newest)
}
