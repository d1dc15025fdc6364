//! The activity log: Halo's latest SmartAPI calls, a filter for failures and calls at unusual
//! hours (outside 08:00-16:00 IST, or at a weekend), and "Export CSV" for all of them.

use std::rc::Rc;

use halo_extension_shared::messages::{ActivityLine, ActivityView};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::spawn_local;
use web_sys::{
    Blob, BlobPropertyBag, HtmlAnchorElement, HtmlDetailsElement, HtmlSelectElement, Url,
};
use yew::prelude::*;

use super::alert;
use crate::{api, format};

#[derive(Clone, Default, PartialEq)]
struct LogState {
    view: Option<ActivityView>,
    error: Option<String>,
    filter: Filter,
}

/// Which lines the log shows.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
enum Filter {
    /// The newest calls, whatever their outcome.
    #[default]
    All,
    /// Failed calls, from the whole log.
    Failures,
    /// Calls outside 08:00-16:00 IST or at a weekend, from the whole log.
    UnusualHours,
    /// Either of the two.
    Either,
}

impl Filter {
    const ALL: [(Filter, &'static str, &'static str); 4] = [
        (Filter::All, "all", "All recent calls"),
        (Filter::Failures, "failures", "Failures"),
        (Filter::UnusualHours, "unusual", "Unusual hours"),
        (Filter::Either, "either", "Failures or unusual hours"),
    ];

    fn from_value(value: &str) -> Filter {
        Filter::ALL
            .iter()
            .find(|(_, v, _)| *v == value)
            .map_or(Filter::All, |(filter, _, _)| *filter)
    }

    /// The lines of `view` this filter keeps.
    fn lines(self, view: &ActivityView) -> Vec<ActivityLine> {
        let keep = |line: &&ActivityLine| match self {
            Filter::All | Filter::Either => true,
            Filter::Failures => line.failure,
            Filter::UnusualHours => line.unusual_hour,
        };
        let source = if self == Filter::All {
            &view.recent
        } else {
            &view.flagged
        };
        source.iter().filter(keep).cloned().collect()
    }
}

enum LogAction {
    Loaded(Result<ActivityView, String>),
    Filter(Filter),
}

impl Reducible for LogState {
    type Action = LogAction;

    fn reduce(self: Rc<Self>, action: LogAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            LogAction::Loaded(Ok(view)) => {
                next.view = Some(view);
                next.error = None;
            }
            LogAction::Loaded(Err(error)) => next.error = Some(error),
            LogAction::Filter(filter) => next.filter = filter,
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
            spawn_local(async move { state.dispatch(LogAction::Loaded(api::activity().await)) });
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
                state.dispatch(LogAction::Loaded(Err(error)));
            }
        })
    };
    let onchange = {
        let state = state.dispatcher();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            state.dispatch(LogAction::Filter(Filter::from_value(&value)));
        })
    };
    let lines = state
        .view
        .as_ref()
        .map(|view| state.filter.lines(view))
        .unwrap_or_default();
    let empty = if state.filter == Filter::All {
        "No calls yet."
    } else {
        "No call matches this filter."
    };

    html! {
        <details class="card folded" {ontoggle}>
            <summary>{ "Activity" }</summary>
            <p class="hint">{ "Every call Halo made to Angel: no secret or token is kept." }</p>
            <div class="field">
                <label for="activity-filter">{ "Show" }</label>
                <select id="activity-filter" {onchange}>
                    { for Filter::ALL.iter().map(|(filter, value, label)| html! {
                        <option value={*value} selected={state.filter == *filter}>
                            { *label }
                        </option>
                    }) }
                </select>
            </div>
            <p class="hint">
                { "Unusual hours: before 08:00 or from 16:00 IST, or on a Saturday or Sunday. \
                   A call you did not make then is worth a look." }
            </p>
            { alert(state.error.as_deref()) }
            if lines.is_empty() {
                <p class="empty">{ empty }</p>
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
    let flags = classes!(
        entry.failure.then_some("failure"),
        entry.unusual_hour.then_some("unusual")
    );
    let when = if entry.unusual_hour {
        format!("{} (unusual)", format::local_hh_mm(entry.at_unix_ms))
    } else {
        format::local_hh_mm(entry.at_unix_ms)
    };
    html! {
        <tr class={flags}>
            <td>{ when }</td>
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
