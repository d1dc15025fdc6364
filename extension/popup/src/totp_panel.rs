//! TOTP entries for other services, and reading a QR code from a file or the tab.
//!
//! The panel has its own reducer ([`state`]); what its buttons set in motion lives here, like
//! [`crate::commands`] for the rest of the popup.

pub mod picture;
pub mod state;

use gloo_timers::future::TimeoutFuture;
use halo_extension_shared::chrome;
use halo_extension_shared::totp::TotpEntryForm;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use yew::UseReducerDispatcher;

use crate::api;
use state::{PanelAction, PanelState};

/// The handle through which the panel's flows change its state.
pub type PanelDispatch = UseReducerDispatcher<PanelState>;

/// How long "Copied" stays next to a code.
const COPY_NOTICE_MS: u32 = 1_500;

/// One poll of the entries' codes.
pub async fn poll(dispatch: PanelDispatch) {
    let entries = api::totp_entries().await.map(|view| view.entries);
    dispatch.dispatch(PanelAction::EntriesLoaded(entries));
}

/// Saves an entry typed in the form or confirmed from a QR code.
pub fn save(dispatch: PanelDispatch, entry: TotpEntryForm) {
    dispatch.dispatch(PanelAction::SaveStarted);
    spawn_local(async move {
        let result = api::save_totp_entry(entry).await;
        let succeeded = result.is_ok();
        dispatch.dispatch(PanelAction::SaveFinished(result));
        if succeeded {
            poll(dispatch).await;
        }
    });
}

/// Removes an entry, after the browser's own confirmation.
pub fn remove(dispatch: PanelDispatch, entry_id: String, label: String) {
    let confirmed = web_sys::window()
        .and_then(|window| {
            window
                .confirm_with_message(&format!(
                    "Remove the TOTP entry {label}? Its codes cannot be made again without \
                     its secret."
                ))
                .ok()
        })
        .unwrap_or(false);
    if !confirmed {
        return;
    }
    spawn_local(async move {
        if let Err(error) = api::remove_totp_entry(entry_id).await {
            dispatch.dispatch(PanelAction::EntriesLoaded(Err(error)));
        }
        poll(dispatch).await;
    });
}

/// Captures the tab the user is reading and reads the QR code on it. Runs in the click's
/// handler.
///
/// A click on Halo's toolbar button grants `activeTab` on that tab, which is enough. The
/// popped-out window has no such grant, so the browser is asked for `<all_urls>` at once, within
/// the click as Firefox requires (it shows its own prompt), and the permission is given back as
/// soon as the picture is taken.
pub fn read_tab(dispatch: PanelDispatch) {
    dispatch.dispatch(PanelAction::QrStarted);
    let asked_first = crate::app::popped_out().then(chrome::AllSitesRequest::start);
    spawn_local(async move {
        let captured = match asked_first {
            Some(request) => capture_with(request).await,
            None => match chrome::capture_reading_tab().await {
                Ok(data_url) => Ok(data_url),
                // Chromium still takes a request this soon after the click; Firefox refuses
                // it, and the message below offers the other ways.
                Err(_) => capture_with(chrome::AllSitesRequest::start()).await,
            },
        };
        let text = match captured {
            Ok(data_url) => picture::read_url(&data_url).await,
            Err(error) => Err(format!(
                "Halo could not capture the tab ({error}). Click Halo's toolbar button while \
                 the page with the QR code is open, or choose a screenshot of it as a QR image \
                 file."
            )),
        };
        dispatch.dispatch(PanelAction::QrRead(text));
    });
}

async fn capture_with(
    request: Result<chrome::AllSitesRequest, chrome::ChromeError>,
) -> Result<String, chrome::ChromeError> {
    with_all_sites_for_a_moment(request?, chrome::capture_reading_tab()).await
}

/// Runs `capture` once `request` for `<all_urls>` is granted, and gives the permission back
/// once the picture is taken.
pub async fn with_all_sites_for_a_moment(
    request: chrome::AllSitesRequest,
    capture: impl Future<Output = Result<String, chrome::ChromeError>>,
) -> Result<String, chrome::ChromeError> {
    if !request.granted().await? {
        return Err(chrome::ChromeError(
            "the permission to see the page was not given".to_owned(),
        ));
    }
    let captured = capture.await;
    // TODO: tell the user when the permission could not be given back; the browser's
    // extension page shows it, and removal only fails if the browser is shutting down.
    let _ = chrome::remove_all_sites().await;
    captured
}

/// Reads the QR code in an image file the user chose.
pub fn read_file(dispatch: PanelDispatch, file: web_sys::File) {
    dispatch.dispatch(PanelAction::QrStarted);
    spawn_local(async move {
        dispatch.dispatch(PanelAction::QrRead(picture::read_file(file).await));
    });
}

/// Copies an entry's code to the clipboard.
pub fn copy(dispatch: PanelDispatch, entry_id: String, code: String) {
    spawn_local(async move {
        let copied = match web_sys::window() {
            Some(window) => JsFuture::from(window.navigator().clipboard().write_text(&code))
                .await
                .map(|_| entry_id)
                .map_err(|_| "The browser did not let Halo copy the code; select it instead."),
            None => Err("There is no window to copy from."),
        };
        let show_notice = copied.is_ok();
        dispatch.dispatch(PanelAction::Copied(copied.map_err(str::to_owned)));
        if show_notice {
            TimeoutFuture::new(COPY_NOTICE_MS).await;
            dispatch.dispatch(PanelAction::CopyNoticeOver);
        }
    });
}
