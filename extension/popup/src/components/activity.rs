//! The activity log: Halo's latest SmartAPI calls, and "Export CSV" for all of them.

use std::rc::Rc;

use halo_extension_shared::messages::{ActivityLine, ActivityView};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, HtmlDetailsElement, Url};
use yew::prelude::*;

use super::alert;
use crate::{api, format};

#[derive(Clone, Default, PartialEq)]
struct LogState {
    view: Option<ActivityView>,
    error: Option<String>,
}

impl Reducible for LogState {
    type Action = Result<ActivityView, String>;

    fn reduce(self: Rc<Self>, loaded: Self::Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match loaded {
            Ok(view) => {
                next.view = Some(view);
                next.error = None;
            }
            Err(error) => next.error = Some(error),
        }
        Rc::new(next)
    }
}

/// The log as a folded section, read when opened and on "Refresh".
#[function_component(ActivityLog)]
pub fn activity_log() -> Html {
    let state = use_reducer(LogState::default);
    let load = {
        let state = state.dispatcher();
        Callback::from(move |()| {
            let state = state.clone();
            spawn_local(async move { state.dispatch(api::activity().await) });
        })
    };
    // Read each time the section is opened: the log grows with every call, and polling it
    // would count as activity and keep the vault from locking itself.
    let ontoggle = {
        let load = load.clone();
        Callback::from(move |event: Event| {
            if event.target_unchecked_into::<HtmlDetailsElement>().open() {
                load.emit(());
            }
        })
    };
    let refresh = Callback::from(move |_: MouseEvent| load.emit(()));
    let export = {
        let csv = state
            .view
            .as_ref()
            .map(|view| view.csv.clone())
            .unwrap_or_default();
        let state = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            if let Err(error) = download_csv(&csv) {
                state.dispatch(Err(error));
            }
        })
    };
    let lines = state
        .view
        .as_ref()
        .map(|view| view.recent.clone())
        .unwrap_or_default();

    html! {
        <details class="card folded" {ontoggle}>
            <summary>{ "Activity" }</summary>
            <p class="hint">{ "Every call Halo made to Angel: no secret or token is kept." }</p>
            { alert(state.error.as_deref()) }
            if lines.is_empty() {
                <p class="empty">{ "No calls yet." }</p>
            } else {
                <table class="activity" aria-label="Activity log">
                    <thead><tr>
                        <th>{ "Time" }</th><th>{ "Account" }</th><th>{ "Call" }</th>
                        <th>{ "Outcome" }</th><th>{ "ms" }</th>
                    </tr></thead>
                    <tbody>{ for lines.iter().map(line) }</tbody>
                </table>
            }
            <div class="actions">
                <button type="button" onclick={refresh}>{ "Refresh" }</button>
                <button type="button" onclick={export} disabled={state.view.is_none()}>
                    { "Export CSV" }
                </button>
            </div>
        </details>
    }
}

fn line(entry: &ActivityLine) -> Html {
    // The last path segment names the call ("loginByPassword") well enough on screen.
    let call = entry
        .route
        .rsplit('/')
        .find(|part| !part.is_empty())
        .unwrap_or("/");
    html! {
        <tr>
            <td>{ format::local_hh_mm(entry.at_unix_ms) }</td>
            <td>{ entry.account.clone() }</td>
            <td title={entry.route.clone()}>{ call.to_owned() }</td>
            <td>{ entry.outcome.clone() }</td>
            <td>{ entry.latency_ms }</td>
        </tr>
    }
}

/// Offers the CSV as `halo-activity.csv`.
fn download_csv(csv: &str) -> Result<(), String> {
    let failed = |_: JsValue| "The browser did not let Halo save the CSV file.".to_owned();
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or("There is no page to save the CSV from.")?;
    let options = BlobPropertyBag::new();
    options.set_type("text/csv");
    let parts = js_sys::Array::of1(&JsValue::from_str(csv));
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(failed)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(failed)?;
    let link: HtmlAnchorElement = document
        .create_element("a")
        .map_err(failed)?
        .unchecked_into();
    link.set_href(&url);
    link.set_download("halo-activity.csv");
    link.click();
    // The click has started the download; the URL is only needed until then.
    let _ = Url::revoke_object_url(&url);
    Ok(())
}
