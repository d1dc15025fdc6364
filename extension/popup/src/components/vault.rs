//! The two screens before the vault is open: create it, or unlock it.

use yew::prelude::*;

use super::vault_tools::{ForgetVault, RestoreBackup};
use super::{Field, alert, input_text, progress};
use crate::commands::{self, Dispatch};
use crate::state::{Action, MIN_PASSPHRASE_CHARS, VaultDraft};

/// Props of both vault screens.
#[derive(Properties, PartialEq)]
pub struct VaultProps {
    /// The passphrase draft.
    pub draft: VaultDraft,
    /// Where the screens send what the user does.
    pub dispatch: Dispatch,
}

/// First run: what Halo does, and a new passphrase typed twice.
#[function_component(CreateVault)]
pub fn create_vault(props: &VaultProps) -> Html {
    let draft = &props.draft;
    let onsubmit = {
        let dispatch = props.dispatch.clone();
        let (passphrase, repeat) = (draft.passphrase.clone(), draft.repeat.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            commands::create_vault(dispatch.clone(), passphrase.clone(), repeat.clone());
        })
    };

    html! {
        <section class="card" aria-labelledby="create-title">
            <h2 id="create-title">{ "Set up Halo" }</h2>
            <p class="lead">
                { "Halo keeps your Angel One SmartAPI keys encrypted in this browser, makes the \
                   login code for you, and places orders for the chart you are reading." }
            </p>
            <p class="hint">
                { format!("Choose a passphrase of at least {MIN_PASSPHRASE_CHARS} \
                           characters, not counting spaces, and not a run like 12345678. \
                           A few unrelated words make a good one. Any spaces are part of \
                           it, even at the start or end: unlock with exactly the same text. \
                           It is never stored: without it the vault cannot be opened.") }
            </p>
            <form {onsubmit}>
                <Field id="passphrase" label="Passphrase" kind="password"
                    autocomplete="new-password" value={draft.passphrase.clone()}
                    oninput={edit(&props.dispatch, Action::EditPassphrase)}
                    disabled={draft.busy} />
                <Field id="passphrase-repeat" label="Repeat passphrase" kind="password"
                    autocomplete="new-password" value={draft.repeat.clone()}
                    oninput={edit(&props.dispatch, Action::EditRepeat)}
                    disabled={draft.busy} />
                { alert(draft.error.as_deref()) }
                <div class="actions">
                    <button type="submit" class="primary" disabled={draft.busy}>
                        { "Create vault" }
                    </button>
                    { progress(draft.busy, "Creating…") }
                </div>
            </form>
            <details class="more">
                <summary>{ "Restore from a backup file" }</summary>
                <RestoreBackup dispatch={props.dispatch.clone()} />
            </details>
        </section>
    }
}

/// A vault exists and is locked: ask for the passphrase.
#[function_component(UnlockVault)]
pub fn unlock_vault(props: &VaultProps) -> Html {
    let draft = &props.draft;
    // The field was disabled while the worker checked, which took the cursor away; after a
    // refusal it goes back, so the trader can type again at once.
    let refused = draft.error.is_some() && !draft.busy;
    use_effect_with(refused, |refused| {
        if *refused {
            crate::focus::focus_by_id("passphrase");
        }
    });
    let onsubmit = {
        let dispatch = props.dispatch.clone();
        let passphrase = draft.passphrase.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            commands::unlock(dispatch.clone(), passphrase.clone());
        })
    };

    html! {
        <section class="card" aria-labelledby="unlock-title">
            <h2 id="unlock-title">{ "Unlock Halo" }</h2>
            <form {onsubmit}>
                <Field id="passphrase" label="Passphrase" kind="password"
                    autocomplete="current-password" value={draft.passphrase.clone()}
                    oninput={edit(&props.dispatch, Action::EditPassphrase)}
                    disabled={draft.busy} />
                { alert(draft.error.as_deref()) }
                <div class="actions">
                    <button type="submit" class="primary" disabled={draft.busy}>
                        { "Unlock" }
                    </button>
                    { progress(draft.busy, "Unlocking…") }
                </div>
            </form>
            <details class="more">
                <summary>{ "Forgot the passphrase, or the vault is damaged?" }</summary>
                <p class="hint">
                    { "Halo cannot recover a forgotten passphrase. Restore a backup, or forget \
                       everything and start again." }
                </p>
                <RestoreBackup dispatch={props.dispatch.clone()} replaces=true />
                <ForgetVault dispatch={props.dispatch.clone()} />
            </details>
        </section>
    }
}

fn edit(dispatch: &Dispatch, action: fn(String) -> Action) -> Callback<InputEvent> {
    let dispatch = dispatch.clone();
    Callback::from(move |event: InputEvent| dispatch.dispatch(action(input_text(event))))
}
