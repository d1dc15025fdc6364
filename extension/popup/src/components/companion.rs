//! Settings for the companion: "Send orders through the companion", pairing, and whether the
//! paired companion answers.
//!
//! Pairing shows the six digits the worker derived; the companion shows its own (on its
//! terminal, a desktop notification, or `halo pairing`). The person confirms only when they
//! match; the companion then checks the confirmed code against its own before it keeps the
//! pairing.

use halo_extension_shared::chrome;
use halo_extension_shared::messages::{CompanionView, PopupRequest, Reply};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::{alert, progress};

/// What the card shows.
#[derive(Clone, Default, PartialEq)]
struct CardState {
    view: Option<CompanionView>,
    busy: Option<&'static str>,
    error: Option<String>,
}

/// The companion card, drawn inside Settings.
#[function_component(CompanionSettings)]
pub fn companion_settings() -> Html {
    let state = use_state(CardState::default);
    {
        let state = state.clone();
        use_effect_with((), move |()| {
            ask(
                state,
                PopupRequest::CompanionStatus,
                "Checking the companion…",
            );
        });
    }

    let view = state.view.clone().unwrap_or_default();
    let busy = state.busy.is_some();
    let on_route = {
        let state = state.clone();
        let on = !view.route;
        Callback::from(move |_| {
            ask(
                state.clone(),
                PopupRequest::SetCompanionRoute { on },
                "Saving…",
            )
        })
    };
    let on_pair = {
        let state = state.clone();
        Callback::from(move |_| {
            ask(
                state.clone(),
                PopupRequest::PairCompanion,
                "Starting the companion…",
            )
        })
    };
    let on_confirm = {
        let state = state.clone();
        let code = view.code.clone().unwrap_or_default();
        Callback::from(move |_| {
            let request = PopupRequest::ConfirmCompanionPairing { code: code.clone() };
            ask(state.clone(), request, "Pairing…")
        })
    };
    let on_cancel = {
        let state = state.clone();
        Callback::from(move |_| {
            ask(
                state.clone(),
                PopupRequest::CompanionStatus,
                "Checking the companion…",
            )
        })
    };

    let status = match (&view.version, &view.problem) {
        (Some(version), _) => format!("Paired; the companion (halo {version}) answers."),
        (None, Some(problem)) => problem.clone(),
        (None, None) => String::new(),
    };
    html! {
        <section class="card" aria-labelledby="companion-title">
            <h2 id="companion-title">{ "Companion" }</h2>
            <p class="hint">
                { "Angel takes API orders only from the IP registered for your API key. If that \
                   is the machine running " }
                <code>{ "halo" }</code>{ ", send orders through it." }
            </p>
            <label class="check">
                <input type="checkbox" checked={view.route} disabled={busy}
                    onchange={on_route} />
                { " Send orders through the companion" }
            </label>
            if let Some(code) = &view.code {
                <div class="pairing" role="group" aria-label="Pairing code">
                    <p>{ "Pairing code" }</p>
                    <p class="code" id="pairing-code">{ code.clone() }</p>
                    <p class="hint">
                        { "Confirm only if the companion shows the same code (on its terminal, \
                           in a notification, or with " }<code>{ "halo pairing" }</code>{ ")." }
                    </p>
                    <div class="actions">
                        <button type="button" onclick={on_confirm} disabled={busy}>
                            { "Codes match: pair" }
                        </button>
                        <button type="button" class="secondary" onclick={on_cancel}
                            disabled={busy}>{ "Cancel" }</button>
                    </div>
                </div>
            } else {
                <p class="hint" role="status" id="companion-status">{ status }</p>
                <div class="actions">
                    <button type="button" onclick={on_pair} disabled={busy}>
                        { if view.paired { "Pair again" } else { "Pair" } }
                    </button>
                </div>
            }
            { progress(busy, state.busy.unwrap_or("")) }
            { alert(state.error.as_deref()) }
        </section>
    }
}

/// Sends one request and draws its answer, or its error beside the last view.
fn ask(state: UseStateHandle<CardState>, request: PopupRequest, doing: &'static str) {
    state.set(CardState {
        busy: Some(doing),
        error: None,
        ..(*state).clone()
    });
    spawn_local(async move {
        let answer = chrome::send_message::<_, Reply>(&request).await;
        let mut next = CardState {
            busy: None,
            ..(*state).clone()
        };
        match answer {
            Ok(Reply {
                ok: true,
                data: Some(data),
                ..
            }) => match serde_json::from_value::<CompanionView>(data) {
                Ok(view) => next.view = Some(view),
                Err(_) => next.error = Some("Reload Halo: its parts disagree.".to_owned()),
            },
            Ok(reply) => {
                next.error = Some(
                    reply
                        .error
                        .unwrap_or_else(|| "The companion request failed.".to_owned()),
                );
                // A refused pairing is over: show the Pair button again.
                if let Some(view) = next.view.as_mut() {
                    view.code = None;
                }
            }
            Err(error) => next.error = Some(format!("Halo's worker could not be reached: {error}")),
        }
        state.set(next);
    });
}
