//! The vault's tools: when to lock, a new passphrase, backups, and forgetting everything.
//!
//! Unlike the rest of the popup these forms keep their drafts in component state: nothing else
//! reads them, and they must be gone when the section closes. Each asks the worker, then
//! refreshes the popup's status, which is where a change of vault state shows.

use std::future::Future;

use halo_extension_shared::messages::RestorePreview;
use halo_extension_shared::passphrase::passphrase_forms;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::{Field, alert, input_text, progress};
use crate::api;
use crate::backup_file;
use crate::commands::{Dispatch, refresh_status};
use crate::state::check_new_passphrase;

/// The idle times offered, in minutes.
const AUTO_LOCK_CHOICES: [u32; 6] = [1, 5, 15, 30, 60, 240];

/// The word that confirms "Forget everything", as the worker expects it.
const FORGET_WORD: &str = "FORGET";

/// Where one form is: working, failed, or done with a note.
#[derive(Clone, PartialEq, Default)]
struct Progress {
    busy: bool,
    error: Option<String>,
    done: Option<String>,
}

/// Runs `work`, showing its progress in `state`; on success shows `done` and refreshes the
/// popup's status.
fn run(
    state: UseStateHandle<Progress>,
    dispatch: Dispatch,
    done: String,
    work: impl Future<Output = Result<(), String>> + 'static,
) {
    state.set(Progress {
        busy: true,
        ..Progress::default()
    });
    wasm_bindgen_futures::spawn_local(async move {
        match work.await {
            Ok(()) => {
                state.set(Progress {
                    done: Some(done),
                    ..Progress::default()
                });
                refresh_status(dispatch).await;
            }
            Err(error) => state.set(Progress {
                error: Some(error),
                ..Progress::default()
            }),
        }
    });
}

fn outcome(state: &Progress, busy_text: &'static str) -> Html {
    html! {
        <>
            { alert(state.error.as_deref()) }
            { progress(state.busy, busy_text) }
            if let Some(note) = &state.done {
                <span class="done" role="status">{ note.clone() }</span>
            }
        </>
    }
}

fn text_input(handle: &UseStateHandle<String>) -> Callback<InputEvent> {
    let handle = handle.clone();
    Callback::from(move |event: InputEvent| handle.set(input_text(event)))
}

/// Props shared by the vault tools.
#[derive(Properties, PartialEq)]
pub struct VaultToolsProps {
    /// Where a change of vault state is reported.
    pub dispatch: Dispatch,
}

/// Everything about the unlocked vault itself.
#[function_component(VaultTools)]
pub fn vault_tools(props: &VaultToolsProps) -> Html {
    html! {
        <div class="vault-tools">
            <AutoLock dispatch={props.dispatch.clone()} />
            <ChangePassphrase dispatch={props.dispatch.clone()} />
            <ExportBackup dispatch={props.dispatch.clone()} />
            <RestoreBackup dispatch={props.dispatch.clone()} replaces=true />
            <ForgetVault dispatch={props.dispatch.clone()} />
        </div>
    }
}

#[function_component(AutoLock)]
fn auto_lock(props: &VaultToolsProps) -> Html {
    let minutes = use_state(|| None::<u32>);
    let state = use_state(Progress::default);
    {
        let minutes = minutes.clone();
        use_effect_with((), move |()| {
            wasm_bindgen_futures::spawn_local(async move {
                if let Ok(settings) = api::vault_settings().await {
                    minutes.set(Some(settings.auto_lock_minutes));
                }
            });
        });
    }
    let onchange = {
        let (minutes, state, dispatch) = (minutes.clone(), state.clone(), props.dispatch.clone());
        Callback::from(move |event: Event| {
            let chosen = event
                .target_unchecked_into::<HtmlSelectElement>()
                .value()
                .parse::<u32>();
            if let Ok(chosen) = chosen {
                minutes.set(Some(chosen));
                run(
                    state.clone(),
                    dispatch.clone(),
                    "Saved.".to_owned(),
                    api::set_auto_lock(chosen),
                );
            }
        })
    };
    let current = minutes.unwrap_or(15);
    let options = AUTO_LOCK_CHOICES.iter().map(|&choice| {
        let text = match choice {
            1 => "1 minute".to_owned(),
            60 => "1 hour".to_owned(),
            240 => "4 hours".to_owned(),
            n => format!("{n} minutes"),
        };
        html! { <option value={choice.to_string()} selected={choice == current}>{ text }</option> }
    });

    html! {
        <div class="tool">
            <div class="field">
                <label for="auto-lock">{ "Lock after this long unused" }</label>
                <select id="auto-lock" {onchange} disabled={state.busy}>{ for options }</select>
            </div>
            <p class="hint">
                { "Halo also locks when the browser closes. Typing in Halo counts as use; the \
                   live codes refreshing on screen do not." }
            </p>
            { outcome(&state, "Saving…") }
        </div>
    }
}

#[function_component(ChangePassphrase)]
fn change_passphrase(props: &VaultToolsProps) -> Html {
    let current = use_state(String::new);
    let new = use_state(String::new);
    let repeat = use_state(String::new);
    let state = use_state(Progress::default);

    let onsubmit = {
        let (current, new, repeat) = (current.clone(), new.clone(), repeat.clone());
        let (state, dispatch) = (state.clone(), props.dispatch.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            if let Err(problem) = check_new_passphrase(&passphrase_forms(&new), &repeat) {
                state.set(Progress {
                    error: Some(problem),
                    ..Progress::default()
                });
                return;
            }
            let call = api::change_passphrase((*current).clone(), (*new).clone());
            for field in [&current, &new, &repeat] {
                field.set(String::new());
            }
            run(
                state.clone(),
                dispatch.clone(),
                "Passphrase changed. Use the new one from now on.".to_owned(),
                call,
            );
        })
    };

    html! {
        <form class="tool" {onsubmit}>
            <h3>{ "Change passphrase" }</h3>
            <p class="hint">
                { "If someone may know the old passphrase, also make a new MPIN, API key and \
                   TOTP secret at Angel One: old backups, and old copies the browser keeps on \
                   disk for a while, still open with it." }
            </p>
            <Field id="current-passphrase" label="Current passphrase" kind="password"
                autocomplete="current-password" value={(*current).clone()}
                oninput={text_input(&current)} disabled={state.busy} />
            <Field id="new-passphrase" label="New passphrase" kind="password"
                autocomplete="new-password" value={(*new).clone()}
                oninput={text_input(&new)} disabled={state.busy} />
            <Field id="new-passphrase-repeat" label="Repeat new passphrase" kind="password"
                autocomplete="new-password" value={(*repeat).clone()}
                oninput={text_input(&repeat)} disabled={state.busy} />
            <div class="actions">
                <button type="submit" disabled={state.busy}>{ "Change passphrase" }</button>
                { outcome(&state, "Re-encrypting…") }
            </div>
        </form>
    }
}

#[function_component(ExportBackup)]
fn export_backup(props: &VaultToolsProps) -> Html {
    let state = use_state(Progress::default);
    let onclick = {
        let (state, dispatch) = (state.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            let name = backup_file::todays_file_name();
            let work = {
                let name = name.clone();
                async move {
                    let backup = api::export_vault().await?;
                    backup_file::download(&backup.text, &name)
                }
            };
            run(
                state.clone(),
                dispatch.clone(),
                format!("Saved {name}."),
                work,
            );
        })
    };

    html! {
        <div class="tool">
            <h3>{ "Backup" }</h3>
            <p class="hint">
                { "The backup file is the vault exactly as stored: encrypted, and opened only \
                   with the passphrase in use today. Keep a copy off this computer." }
            </p>
            <div class="actions">
                <button type="button" {onclick} disabled={state.busy}>
                    { "Download backup" }
                </button>
                { outcome(&state, "Preparing…") }
            </div>
        </div>
    }
}

/// Props of [`RestoreBackup`].
#[derive(Properties, PartialEq)]
pub struct RestoreProps {
    /// Where a change of vault state is reported.
    pub dispatch: Dispatch,
    /// Whether a vault exists here that the backup would replace.
    #[prop_or_default]
    pub replaces: bool,
}

/// A backup whose passphrase was checked, waiting for the trader to confirm what it replaces.
#[derive(Clone, PartialEq)]
struct PendingRestore {
    backup: String,
    passphrase: String,
    preview: RestorePreview,
}

/// Restores a backup file, on this browser or another one. When a vault is stored here the
/// trader first sees what restoring removes and confirms.
#[function_component(RestoreBackup)]
pub fn restore_backup(props: &RestoreProps) -> Html {
    let file_input = use_node_ref();
    let passphrase = use_state(String::new);
    let pending = use_state(|| None::<PendingRestore>);
    let state = use_state(Progress::default);

    let onsubmit = {
        let (file_input, passphrase, pending) =
            (file_input.clone(), passphrase.clone(), pending.clone());
        let (state, dispatch) = (state.clone(), props.dispatch.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let input = file_input.cast::<HtmlInputElement>();
            let typed = (*passphrase).clone();
            passphrase.set(String::new());
            state.set(Progress {
                busy: true,
                ..Progress::default()
            });
            let (pending, state, dispatch) = (pending.clone(), state.clone(), dispatch.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let checked = async {
                    let input = input.ok_or("Choose the backup file first.")?;
                    let backup = backup_file::read_chosen(&input).await?;
                    let preview = api::preview_restore(backup.clone(), typed.clone()).await?;
                    Ok::<_, String>((backup, preview))
                };
                match checked.await {
                    Err(error) => state.set(Progress {
                        error: Some(error),
                        ..Progress::default()
                    }),
                    // Nothing stored here to lose: restore at once.
                    Ok((backup, preview)) if preview.stored_revision.is_none() => run(
                        state,
                        dispatch,
                        "Backup restored.".to_owned(),
                        api::import_vault(backup, typed, None),
                    ),
                    Ok((backup, preview)) => {
                        state.set(Progress::default());
                        pending.set(Some(PendingRestore {
                            backup,
                            passphrase: typed,
                            preview,
                        }));
                    }
                }
            });
        })
    };
    let onconfirm = {
        let (pending, state, dispatch) = (pending.clone(), state.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            if let Some(restore) = (*pending).clone() {
                pending.set(None);
                run(
                    state.clone(),
                    dispatch.clone(),
                    "Backup restored. Its passphrase now unlocks Halo.".to_owned(),
                    api::import_vault(
                        restore.backup,
                        restore.passphrase,
                        restore.preview.stored_revision,
                    ),
                );
            }
        })
    };
    let oncancel = {
        let pending = pending.clone();
        Callback::from(move |_: MouseEvent| pending.set(None))
    };

    html! {
        <form class="tool" {onsubmit}>
            <h3>{ "Restore a backup" }</h3>
            if props.replaces {
                <p class="hint">
                    { "Restoring replaces every account in this browser with the backup's. \
                       The backup's passphrase is checked first, then you confirm; nothing \
                       changes before that." }
                </p>
            }
            <div class="field">
                <label for="backup-file">{ "Backup file" }</label>
                <input id="backup-file" type="file" accept=".json,application/json"
                    ref={file_input} disabled={state.busy || pending.is_some()} />
            </div>
            if let Some(restore) = &*pending {
                { confirm_restore(&restore.preview, onconfirm, oncancel) }
            } else {
                <Field id="backup-passphrase" label="Backup passphrase" kind="password"
                    autocomplete="off" value={(*passphrase).clone()}
                    oninput={text_input(&passphrase)} disabled={state.busy} />
                <div class="actions">
                    <button type="submit" disabled={state.busy}>{ "Restore backup" }</button>
                    { outcome(&state, "Checking the passphrase…") }
                </div>
            }
        </form>
    }
}

/// What restoring replaces, with the buttons that go ahead or step back.
fn confirm_restore(
    preview: &RestorePreview,
    onconfirm: Callback<MouseEvent>,
    oncancel: Callback<MouseEvent>,
) -> Html {
    let listed = |names: &[String]| {
        let items = names.iter().map(|name| html! { <li>{ name }</li> });
        html! { <ul class="names">{ for items }</ul> }
    };
    let here = match (&preview.removed, &preview.reverted) {
        (Some(removed), Some(reverted)) => html! {
            <>
                if !removed.is_empty() {
                    <p class="warning">{ "Removed, because the backup does not have them:" }</p>
                    { listed(removed) }
                }
                if !reverted.is_empty() {
                    <p class="warning">
                        { "Changed since the backup (a new label, key, MPIN or secret), and \
                           returned to how the backup has them:" }
                    </p>
                    { listed(reverted) }
                }
                if removed.is_empty() && reverted.is_empty() {
                    <p>{ "Everything here is in the backup, exactly as it is now." }</p>
                } else {
                    <p class="hint">
                        { "Download a backup of this vault first if you may want them back." }
                    </p>
                }
            </>
        },
        _ => html! {
            <p class="warning">
                { "This vault is locked, so what it holds cannot be listed: all of it is \
                   replaced. Unlock it first to see what would go." }
            </p>
        },
    };
    html! {
        <div class="confirm-restore" role="group" aria-label="Confirm the restore">
            if preview.in_backup.is_empty() {
                <p>{ "The backup holds no accounts." }</p>
            } else {
                <p>{ "The backup holds:" }</p>
                { listed(&preview.in_backup) }
            }
            { here }
            <p>{ "After restoring, the backup's passphrase is the one that unlocks Halo." }</p>
            <div class="actions">
                <button type="button" class="danger" onclick={onconfirm}>
                    { "Replace with the backup" }
                </button>
                <button type="button" onclick={oncancel}>{ "Cancel" }</button>
            </div>
        </div>
    }
}

/// Deletes the vault and everything else Halo keeps, after the trader types FORGET.
#[function_component(ForgetVault)]
pub fn forget_vault(props: &VaultToolsProps) -> Html {
    let confirmation = use_state(String::new);
    let state = use_state(Progress::default);
    let onsubmit = {
        let (confirmation, state) = (confirmation.clone(), state.clone());
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            run(
                state.clone(),
                dispatch.clone(),
                "Everything was forgotten.".to_owned(),
                api::forget_everything((*confirmation).clone()),
            );
        })
    };
    let confirmed = confirmation.trim() == FORGET_WORD;

    html! {
        <form class="tool danger" {onsubmit}>
            <h3>{ "Forget everything" }</h3>
            <p class="hint">
                { "Deletes the vault, its accounts, sessions and settings from this browser. \
                   Without a backup they cannot be recovered." }
            </p>
            <Field id="forget-confirm" label="Type FORGET to confirm"
                value={(*confirmation).clone()} oninput={text_input(&confirmation)}
                disabled={state.busy} />
            <div class="actions">
                <button type="submit" class="danger" disabled={state.busy || !confirmed}>
                    { "Forget everything" }
                </button>
                { outcome(&state, "Forgetting…") }
            </div>
        </form>
    }
}
