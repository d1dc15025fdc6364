//! Settings: where Halo sends API calls.

use yew::prelude::*;

use super::{Field, alert, input_text, progress};
use crate::commands::{self, Dispatch};
use crate::state::{Action, EndpointDraft};

/// Props of [`Settings`].
#[derive(Properties, PartialEq)]
pub struct SettingsProps {
    /// The endpoint in use.
    pub current: AttrValue,
    /// The endpoint as typed.
    pub draft: EndpointDraft,
    /// Where the form sends what the user does.
    pub dispatch: Dispatch,
}

/// The endpoint setting.
#[function_component(Settings)]
pub fn settings(props: &SettingsProps) -> Html {
    let draft = &props.draft;
    let onsubmit = {
        let dispatch = props.dispatch.clone();
        let url = draft.url.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            commands::set_endpoint(dispatch.clone(), url.clone());
        })
    };
    let oninput = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: InputEvent| {
            dispatch.dispatch(Action::EditEndpoint(input_text(event)))
        })
    };

    html! {
        <section class="card" aria-labelledby="settings-title">
            <h2 id="settings-title">{ "Settings" }</h2>
            <p class="hint">
                { "API calls go to " }
                <span class="endpoint">{ props.current.clone() }</span>
                { ". Type " }<code>{ "angel" }</code>{ " for Angel One, or the address a " }
                <code>{ "halo sandbox" }</code>{ " printed." }
            </p>
            <form {onsubmit}>
                <Field id="endpoint" label="Endpoint" value={draft.url.clone()} {oninput}
                    placeholder="angel or http://127.0.0.1:PORT" disabled={draft.progress.busy} />
                { alert(draft.progress.error.as_deref()) }
                <div class="actions">
                    <button type="submit" disabled={draft.progress.busy}>
                        { "Save endpoint" }
                    </button>
                    { progress(draft.progress.busy, "Saving…") }
                    if draft.progress.saved {
                        <span class="done" role="status">{ "Endpoint saved." }</span>
                    }
                </div>
            </form>
        </section>
    }
}
