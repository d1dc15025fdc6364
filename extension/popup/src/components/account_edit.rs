//! Changing or deleting one account.
//!
//! The form starts with the label and client code; the MPIN, API key and TOTP secret start
//! blank and stay as stored unless something is typed, so the popup never has to hold or show
//! a stored secret.

use halo_extension_shared::messages::{AccountForm, AccountSummary};
use yew::prelude::*;

use super::secret_field::SecretField;
use super::{Field, alert, input_text, progress};
use crate::api;
use crate::commands::{Dispatch, refresh_status};

/// Props of [`AccountEditor`].
#[derive(Properties, PartialEq)]
pub struct AccountEditorProps {
    /// The account as listed.
    pub account: AccountSummary,
    /// Where the new status goes after a change.
    pub dispatch: Dispatch,
    /// Closes the editor.
    pub on_close: Callback<()>,
}

/// The edit form of one account, with its delete button.
#[function_component(AccountEditor)]
pub fn account_editor(props: &AccountEditorProps) -> Html {
    let label = use_state(|| props.account.label.clone());
    let client_code = use_state(|| props.account.client_code.clone());
    let mpin = use_state(String::new);
    let api_key = use_state(String::new);
    let totp_secret = use_state(String::new);
    let key_created = use_state(String::new);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let confirm_delete = use_state(|| false);

    let finish = {
        let (busy, error, dispatch, on_close) = (
            busy.clone(),
            error.clone(),
            props.dispatch.clone(),
            props.on_close.clone(),
        );
        move |work: std::pin::Pin<Box<dyn std::future::Future<Output = Result<(), String>>>>| {
            busy.set(true);
            let (busy, error, dispatch, on_close) = (
                busy.clone(),
                error.clone(),
                dispatch.clone(),
                on_close.clone(),
            );
            wasm_bindgen_futures::spawn_local(async move {
                let result = work.await;
                busy.set(false);
                match result {
                    Ok(()) => {
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
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let form = AccountForm {
                label: (*fields.0).clone(),
                client_code: (*fields.1).clone(),
                mpin: (*fields.2).clone(),
                api_key: (*fields.3).clone(),
                totp_secret: (*fields.4).clone(),
                // The login route is kept as stored: the editor does not offer to change it.
                platform: String::new(),
                api_key_created: (*fields.5).clone(),
            };
            finish(Box::pin(api::edit_account(id.clone(), form)));
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

    html! {
        <form class="account-edit" {onsubmit}>
            <Field id="edit-label" label="New label" value={(*label).clone()}
                oninput={edit(&label)} disabled={*busy} />
            <Field id="edit-client-code" label="New client code" value={(*client_code).clone()}
                oninput={edit(&client_code)} disabled={*busy} />
            <Field id="edit-mpin" label="New MPIN" kind="password" inputmode="numeric"
                value={(*mpin).clone()} oninput={edit(&mpin)} placeholder={keep.clone()}
                disabled={*busy} />
            <Field id="edit-api-key" label="New API key" value={(*api_key).clone()}
                oninput={edit(&api_key)} placeholder={keep.clone()} disabled={*busy} />
            <SecretField id="edit-totp-secret" label="New TOTP secret"
                value={(*totp_secret).clone()} oninput={edit(&totp_secret)} placeholder={keep}
                disabled={*busy} />
            <Field id="edit-api-key-created" label="Key created on" kind="date"
                value={(*key_created).clone()} oninput={edit(&key_created)} disabled={*busy} />
            <p class="hint">{ "Leave the date blank to keep the day stored for this key." }</p>
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
    }
}
