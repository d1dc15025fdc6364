//! The form that adds an account to the vault.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use super::secret_field::SecretField;
use super::{Field, alert, input_text, progress};
use crate::commands::{self, Dispatch};
use crate::focus::use_focus_kept;
use crate::format;
use crate::state::{AccountDraft, AccountField, Action};

/// The platform value of a publisher (SMART_API_M) account.
const PUBLISHER: &str = "SMART_API_M";

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
        if field == AccountField::TotpSecret {
            return html! {
                <SecretField {id} {label} {oninput} disabled={draft.progress.busy}
                    value={draft.form.get(field).to_owned()} />
            };
        }
        html! {
            <Field {id} {label} {kind} {inputmode} {oninput} disabled={draft.progress.busy}
                value={draft.form.get(field).to_owned()} />
        }
    };

    let publisher = draft.form.platform == PUBLISHER;
    let onfocusin = use_focus_kept(draft.progress.busy);

    html! {
        <section class="card" aria-labelledby="add-account-title">
            <h2 id="add-account-title">{ "Add account" }</h2>
            <form {onsubmit} {onfocusin}>
                { platform_choice(draft, &props.dispatch) }
                { field(AccountField::Label, "account-label", "Label") }
                { field(AccountField::ClientCode, "account-client-code", "Client code") }
                if !publisher {
                    { field(AccountField::Mpin, "account-mpin", "MPIN") }
                }
                { field(AccountField::ApiKey, "account-api-key", "API key") }
                { key_created(draft, &props.dispatch) }
                if publisher {
                    <p class="hint">
                        { "A publisher account logs in on Angel's own page: Halo needs only \
                           the Publisher app's API key (the client code is optional). \
                           Register the redirect URL shown under Settings in that app." }
                    </p>
                } else {
                    { field(AccountField::TotpSecret, "account-totp-secret", "TOTP secret") }
                    <p class="hint">
                        { "The TOTP secret is the text shown under the QR code on Angel One's \
                           enable-TOTP page, not the 6‑digit code." }
                    </p>
                }
                { crate::guide::typed_checks(&draft.form) }
                { alert(draft.progress.error.as_deref()) }
                <div class="actions">
                    <button type="submit" class="primary" disabled={draft.progress.busy}>
                        { "Save account" }
                    </button>
                    { progress(draft.progress.busy, "Saving…") }
                    if draft.progress.saved {
                        <span class="done" role="status">{ "Account saved." }</span>
                    }
                </div>
            </form>
        </section>
    }
}

/// "Key created on": the API key's creation day, showing today until another is picked.
fn key_created(draft: &AccountDraft, dispatch: &Dispatch) -> Html {
    let dispatch = dispatch.clone();
    let oninput = Callback::from(move |event: InputEvent| {
        dispatch.dispatch(Action::EditAccount(
            AccountField::ApiKeyCreated,
            input_text(event),
        ))
    });
    let typed = draft.form.get(AccountField::ApiKeyCreated);
    // Empty is sent as empty: the worker stores today's date for it.
    let value = if typed.is_empty() {
        format::today_ist()
    } else {
        typed.to_owned()
    };
    html! {
        <Field id="account-api-key-created" label="Key created on" kind="date" {value}
            {oninput} disabled={draft.progress.busy} />
    }
}

/// "Platform": direct login (SMART_API) or Angel's publisher login (SMART_API_M).
fn platform_choice(draft: &AccountDraft, dispatch: &Dispatch) -> Html {
    let onchange = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: Event| {
            let value = event.target_unchecked_into::<HtmlSelectElement>().value();
            dispatch.dispatch(Action::EditAccount(AccountField::Platform, value));
        })
    };
    let publisher = draft.form.platform == PUBLISHER;
    html! {
        <div class="field">
            <label for="account-platform">{ "Platform" }</label>
            <select id="account-platform" {onchange} disabled={draft.progress.busy}>
                <option value="SMART_API" selected={!publisher}>
                    { "SMART_API: direct login (MPIN + TOTP)" }
                </option>
                <option value={PUBLISHER} selected={publisher}>
                    { "SMART_API_M: Angel's publisher login page" }
                </option>
            </select>
        </div>
    }
}
