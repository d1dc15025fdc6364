//! Changing, rotating or deleting one account.
//!
//! The form starts with the label and client code; the MPIN, API key and TOTP secret start
//! blank and stay as stored unless something is typed, so the popup never has to hold or show
//! a stored secret. Only what the trader changed is sent: a form opened before another Halo
//! window saved the account must not put back the values it was opened with. "Rotate now"
//! replaces the API key and validates the account at once; a publisher account can also name
//! the redirect URL its SmartAPI app has registered.

use halo_extension_shared::messages::{AccountForm, AccountSummary, Validation};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::login_actions::check_line;
use super::secret_field::SecretField;
use super::{Field, alert, input_text, progress};
use crate::api;
use crate::commands::{Dispatch, refresh_status};
use crate::focus::use_focus_kept;
use crate::state::Action;

/// Props of [`AccountEditor`].
#[derive(Properties, PartialEq)]
pub struct AccountEditorProps {
    /// The account as listed.
    pub account: AccountSummary,
    /// Where the new status goes after a change.
    pub dispatch: Dispatch,
    /// Closes the editor.
    pub on_close: Callback<()>,
    /// Told when a change was saved (before `on_close`), not when the editor is cancelled.
    #[prop_or_default]
    pub on_saved: Callback<()>,
}

/// The edit form of one account, with its delete button.
#[function_component(AccountEditor)]
pub fn account_editor(props: &AccountEditorProps) -> Html {
    let label = use_state(|| props.account.label.clone());
    let client_code = use_state(|| props.account.client_code.clone());
    // What the form opened with; the account listed may be newer by the time it is saved.
    let opened_with = use_memo((), |()| {
        (
            props.account.label.clone(),
            props.account.client_code.clone(),
        )
    });
    let mpin = use_state(String::new);
    let api_key = use_state(String::new);
    let totp_secret = use_state(String::new);
    let key_created = use_state(String::new);
    let own_redirect = use_state(|| props.account.own_redirect_url.clone().unwrap_or_default());
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let confirm_delete = use_state(|| false);

    let finish = {
        let (busy, error, dispatch, on_close, on_saved) = (
            busy.clone(),
            error.clone(),
            props.dispatch.clone(),
            props.on_close.clone(),
            props.on_saved.clone(),
        );
        move |work: std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>>>>| {
            busy.set(true);
            let (busy, error, dispatch, on_close, on_saved) = (
                busy.clone(),
                error.clone(),
                dispatch.clone(),
                on_close.clone(),
                on_saved.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let result = work.await;
                busy.set(false);
                match result {
                    Ok(()) => {
                        on_saved.emit(());
                        refresh_status(dispatch).await;
                        on_close.emit(());
                    }
                    Err(problem) => error.set(Some(problem)),
                }
            });
        }
    };

    let onsubmit = {
        let finish = finish.clone();
        let id = props.account.id.clone();
        let fields = (
            label.clone(),
            client_code.clone(),
            mpin.clone(),
            api_key.clone(),
            totp_secret.clone(),
            key_created.clone(),
        );
        let publisher = props.account.publisher;
        let opened_with = opened_with.clone();
        let error = error.clone();
        let (own_redirect, stored_redirect) = (
            own_redirect.clone(),
            props.account.own_redirect_url.clone().unwrap_or_default(),
        );
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            // Blank means "keep what is stored".
            let changed = |typed: &str, opened: &str| match typed.trim() == opened {
                true => String::new(),
                false => typed.to_owned(),
            };
            // A cleared client code cannot mean "keep": the trader plainly meant to change it.
            // (A publisher account needs none: Angel's page asks for it.)
            let client_code = fields.1.trim();
            if client_code.is_empty() && !opened_with.1.is_empty() && !publisher {
                error.set(Some(
                    "Type the account's client code (as on Angel One's login), or press Cancel \
                     to keep the one stored."
                        .to_owned(),
                ));
                return;
            }
            // A cleared label names the account by its client code, as when it was added.
            let label = match fields.0.trim() {
                "" => client_code.to_owned(),
                typed => typed.to_owned(),
            };
            let form = AccountForm {
                label: changed(&label, &opened_with.0),
                client_code: changed(&fields.1, &opened_with.1),
                mpin: (*fields.2).clone().into(),
                api_key: (*fields.3).clone().into(),
                totp_secret: (*fields.4).clone().into(),
                // The login route is kept as stored: the editor does not offer to change it.
                platform: String::new(),
                api_key_created: (*fields.5).clone(),
            };
            let (id, redirect) = (id.clone(), (*own_redirect).clone());
            let redirect_changed = publisher && redirect.trim() != stored_redirect;
            finish(Box::pin(async move {
                api::edit_account(id.clone(), form).await?;
                if redirect_changed {
                    api::set_own_redirect(id, redirect).await?;
                }
                Ok(())
            }));
        })
    };
    let delete = {
        let (finish, confirm_delete) = (finish.clone(), confirm_delete.clone());
        let id = props.account.id.clone();
        Callback::from(move |_: MouseEvent| {
            if *confirm_delete {
                finish(Box::pin(api::delete_account(id.clone())));
            } else {
                confirm_delete.set(true);
            }
        })
    };
    let cancel = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    let edit = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |event: InputEvent| handle.set(input_text(event)))
    };
    let keep = Some(AttrValue::Static("unchanged"));
    let onfocusin = use_focus_kept(*busy);

    html! {
        <>
        <form class="account-edit" {onsubmit} {onfocusin}>
            <Field id="edit-label" label="New label" value={(*label).clone()}
                oninput={edit(&label)} disabled={*busy} />
            <Field id="edit-client-code" label="New client code" value={(*client_code).clone()}
                oninput={edit(&client_code)} disabled={*busy} />
            // A publisher account logs in on Angel's page: Halo keeps no MPIN or TOTP for it.
            if !props.account.publisher {
                <Field id="edit-mpin" label="New MPIN" kind="password" inputmode="numeric"
                    value={(*mpin).clone()} oninput={edit(&mpin)} placeholder={keep.clone()}
                    disabled={*busy} />
            }
            <Field id="edit-api-key" label="New API key" value={(*api_key).clone()}
                oninput={edit(&api_key)} placeholder={keep.clone()} disabled={*busy} />
            if !props.account.publisher {
                <SecretField id="edit-totp-secret" label="New TOTP secret"
                    value={(*totp_secret).clone()} oninput={edit(&totp_secret)}
                    placeholder={keep} disabled={*busy} />
            }
            <p class="hint">
                { "Changing what the account logs in with logs it out; the next login uses \
                   the new values." }
            </p>
            <Field id="edit-api-key-created" label="Key created on" kind="date"
                value={(*key_created).clone()} oninput={edit(&key_created)} disabled={*busy} />
            <p class="hint">{ "Leave the date blank to keep the day stored for this key." }</p>
            if props.account.publisher {
                <Field id="edit-own-redirect" label="Your app's redirect URL"
                    value={(*own_redirect).clone()} oninput={edit(&own_redirect)}
                    placeholder="empty: Halo's own" disabled={*busy} />
                <p class="hint">
                    { "Leave this empty and register Halo's own redirect URL (Settings → Login) \
                       in your Publisher app: that is simplest. Fill it in only if the app must \
                       keep another https:// redirect URL of yours (Angel allows one per app): \
                       Halo then opens Angel's login in a tab and takes the session when the \
                       tab reaches this address." }
                </p>
            }
            { alert(error.as_deref()) }
            <div class="actions">
                <button type="submit" class="primary" disabled={*busy}>{ "Save changes" }</button>
                <button type="button" onclick={cancel} disabled={*busy}>{ "Cancel" }</button>
                <button type="button" class="danger" onclick={delete} disabled={*busy}>
                    { if *confirm_delete { "Delete for good" } else { "Delete account" } }
                </button>
                { progress(*busy, "Saving…") }
            </div>
        </form>
        <RotateKey account_id={props.account.id.clone()} dispatch={props.dispatch.clone()} />
        </>
    }
}

/// Props of [`RotateKey`].
#[derive(Properties, PartialEq)]
struct RotateKeyProps {
    account_id: String,
    dispatch: Dispatch,
}

/// Where a rotation stands.
#[derive(Clone, PartialEq, Default)]
enum Rotation {
    #[default]
    Idle,
    Working,
    Done(Validation),
    Failed(String),
}

/// "Rotate now": the new key replaces the old one, then the account is validated with it.
#[function_component(RotateKey)]
fn rotate_key(props: &RotateKeyProps) -> Html {
    let new_key = use_state(String::new);
    let rotation = use_state(Rotation::default);
    let rotate = {
        let (new_key, rotation) = (new_key.clone(), rotation.clone());
        let (id, dispatch) = (props.account_id.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            let (new_key, rotation) = (new_key.clone(), rotation.clone());
            let (id, dispatch, key) = (id.clone(), dispatch.clone(), (*new_key).clone());
            rotation.set(Rotation::Working);
            spawn_local(async move {
                match api::rotate_api_key(id.clone(), key).await {
                    Ok(verdict) => {
                        // The check with the new key was a login: an older login failure
                        // beside the account no longer describes it.
                        if verdict.checks.iter().all(|check| check.verdict == "ok") {
                            dispatch.dispatch(Action::LoginFinished(id, Ok(())));
                        }
                        new_key.set(String::new());
                        rotation.set(Rotation::Done(verdict));
                    }
                    Err(error) => rotation.set(Rotation::Failed(error)),
                }
                // The key's age notice and the session line change with the key.
                refresh_status(dispatch).await;
            });
        })
    };
    let oninput = {
        let new_key = new_key.clone();
        Callback::from(move |event: InputEvent| new_key.set(input_text(event)))
    };
    let working = *rotation == Rotation::Working;

    html! {
        <fieldset class="rotate-key">
            <legend>{ "Rotate the API key" }</legend>
            <p class="hint">
                { "Create a new key in your SmartAPI app and paste it here. Halo replaces the \
                       key in the vault, counts its age from today, and checks the account with it \
                       at once." }
            </p>
            <Field id="rotate-api-key" label="Replacement API key" value={(*new_key).clone()}
                {oninput} disabled={working} />
            <div class="actions">
                <button type="button" onclick={rotate} disabled={working}>{ "Rotate now" }</button>
                { progress(working, "Rotating and validating…") }
            </div>
            if let Rotation::Failed(error) = &*rotation {
                { alert(Some(error)) }
            }
            if let Rotation::Done(verdict) = &*rotation {
                <p class="done" role="status">{ "Key replaced." }</p>
                <ul class="checks" aria-label="Validation after rotation">
                    { for verdict.checks.iter().map(check_line) }
                </ul>
            }
        </fieldset>
    }
}
