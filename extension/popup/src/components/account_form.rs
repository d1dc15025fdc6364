//! The form that adds an account to the vault.

use yew::prelude::*;

use super::{Field, alert, input_text, progress};
use crate::commands::{self, Dispatch};
use crate::state::{AccountDraft, AccountField, Action};

/// Props of [`AccountFormView`].
#[derive(Properties, PartialEq)]
pub struct AccountFormProps {
    /// The form as typed.
    pub draft: AccountDraft,
    /// Where the form sends what the user does.
    pub dispatch: Dispatch,
}

/// "Add account": label, client code, MPIN, API key, TOTP secret.
#[function_component(AccountFormView)]
pub fn account_form(props: &AccountFormProps) -> Html {
    let draft = &props.draft;
    let onsubmit = {
        let dispatch = props.dispatch.clone();
        let account = draft.form.to_message();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            commands::save_account(dispatch.clone(), account.clone());
        })
    };
    let field = |field: AccountField, id: &'static str, label: &'static str| {
        let dispatch = props.dispatch.clone();
        let oninput = Callback::from(move |event: InputEvent| {
            dispatch.dispatch(Action::EditAccount(field, input_text(event)))
        });
        let kind = if field == AccountField::Mpin {
            "password"
        } else {
            "text"
        };
        let inputmode = (field == AccountField::Mpin).then_some(AttrValue::Static("numeric"));
        html! {
            <Field {id} {label} {kind} {inputmode} {oninput} disabled={draft.busy}
                value={draft.form.get(field).to_owned()} />
        }
    };

    html! {
        <section class="card" aria-labelledby="add-account-title">
            <h2 id="add-account-title">{ "Add account" }</h2>
            <form {onsubmit}>
                { field(AccountField::Label, "account-label", "Label") }
                { field(AccountField::ClientCode, "account-client-code", "Client code") }
                { field(AccountField::Mpin, "account-mpin", "MPIN") }
                { field(AccountField::ApiKey, "account-api-key", "API key") }
                { field(AccountField::TotpSecret, "account-totp-secret", "TOTP secret") }
                <p class="hint">
                    { "The TOTP secret is the text shown under the QR code on Angel One's \
                       enable-TOTP page, not the 6‑digit code." }
                </p>
                { alert(draft.error.as_deref()) }
                <div class="actions">
                    <button type="submit" class="primary" disabled={draft.busy}>
                        { "Save account" }
                    </button>
                    { progress(draft.busy, "Saving…") }
                    if draft.saved {
                        <span class="done" role="status">{ "Account saved." }</span>
                    }
                </div>
            </form>
        </section>
    }
}
