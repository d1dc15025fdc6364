//! TOTP entries for other services: their live codes, the "Add TOTP entry" form, and reading
//! a QR code from a file or from the tab, shown masked for the user to confirm.

use halo_extension_shared::totp::{EntryCode, TotpEntryForm};
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::secret_field::SecretField;
use super::{Field, alert, input_text, progress};
use crate::commands::Dispatch;
use crate::format;
use crate::hooks::use_polling;
use crate::state::{AccountField, Action};
use crate::totp_panel::state::{EntryField, PanelAction, PanelState, QrPreview, QrStage};
use crate::totp_panel::{self, PanelDispatch};

/// How often the entries' codes are read.
const CODES_EVERY_MS: u32 = 1_000;

/// Props of [`TotpEntries`].
#[derive(Properties, PartialEq)]
pub struct TotpEntriesProps {
    /// The popup's main dispatch, for "Use for new account".
    pub main: Dispatch,
}

/// The entries card and the add card.
#[function_component(TotpEntries)]
pub fn totp_entries(props: &TotpEntriesProps) -> Html {
    let state = use_reducer(PanelState::default);
    let dispatch = state.dispatcher();
    use_polling(CODES_EVERY_MS, Some(()), {
        let dispatch = dispatch.clone();
        move |()| totp_panel::poll(dispatch.clone())
    });

    let rows = state.entries.iter().map(|entry| {
        entry_row(
            entry,
            state.copied.as_deref() == Some(entry.id.as_str()),
            &dispatch,
        )
    });
    html! {
        <>
            // Shown once there is something in it: most traders keep only Angel's code here.
            if !state.entries.is_empty() || state.error.is_some() {
                <section class="card" aria-labelledby="entries-title">
                    <h2 id="entries-title">{ "Other services" }</h2>
                    { alert(state.error.as_deref()) }
                    <ul class="accounts">{ for rows }</ul>
                </section>
            }
            { add_card(&state, &dispatch, &props.main) }
        </>
    }
}

fn label_of(entry: &EntryCode) -> String {
    match (entry.issuer.is_empty(), entry.account_name.is_empty()) {
        (false, false) => format!("{} ({})", entry.issuer, entry.account_name),
        (false, true) => entry.issuer.clone(),
        _ => entry.account_name.clone(),
    }
}

fn entry_row(entry: &EntryCode, copied: bool, dispatch: &PanelDispatch) -> Html {
    let label = label_of(entry);
    let copy = {
        let (dispatch, id, code) = (dispatch.clone(), entry.id.clone(), entry.code.clone());
        Callback::from(move |_: MouseEvent| {
            totp_panel::copy(dispatch.clone(), id.clone(), code.clone())
        })
    };
    let remove = {
        let (dispatch, id, label) = (dispatch.clone(), entry.id.clone(), label.clone());
        Callback::from(move |_: MouseEvent| {
            totp_panel::remove(dispatch.clone(), id.clone(), label.clone())
        })
    };
    let (first, second) = format::code_halves(&entry.code);

    html! {
        <li class="account" key={entry.id.clone()}>
            <div class="account-head">
                <span class="account-label">{ entry.issuer.clone() }</span>
                <span class="client-code">{ entry.account_name.clone() }</span>
            </div>
            <div class="code-row">
                <button type="button" class="code" aria-label={format!("Code for {label}")}
                    title="Copy the code" onclick={copy}>
                    <span>{ first }</span><span>{ second }</span>
                </button>
                { countdown(entry.seconds_left, entry.next_code.as_deref()) }
                if copied {
                    <span class="copied" role="status">{ "Copied" }</span>
                }
                <button type="button" class="link" aria-label={format!("Remove {label}")}
                    onclick={remove}>{ "Remove" }</button>
            </div>
        </li>
    }
}

/// Seconds left, and in the last seconds the code that follows.
pub fn countdown(seconds_left: u32, next_code: Option<&str>) -> Html {
    let class = if next_code.is_some() {
        "countdown soon"
    } else {
        "countdown"
    };
    html! {
        <>
            <span {class} title="Seconds until the code changes">
                { format!("{seconds_left} s") }
            </span>
            if let Some(next) = next_code {
                <span class="next-code" title="The code that follows">
                    { "next " }<span class="digits">{ next.to_owned() }</span>
                </span>
            }
        </>
    }
}

fn add_card(state: &PanelState, dispatch: &PanelDispatch, main: &Dispatch) -> Html {
    let form = &state.form;
    let onsubmit = {
        let dispatch = dispatch.clone();
        let entry = TotpEntryForm {
            issuer: form.issuer.clone(),
            account_name: form.account_name.clone(),
            secret: form.secret.clone().into(),
        };
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            totp_panel::save(dispatch.clone(), entry.clone());
        })
    };
    let edit = |field: EntryField| {
        let dispatch = dispatch.clone();
        Callback::from(move |event: InputEvent| {
            dispatch.dispatch(PanelAction::Edit(field, input_text(event)))
        })
    };
    let field = |field: EntryField, id: &'static str, label: &'static str, value: &str| {
        let oninput = edit(field);
        html! {
            <Field {id} {label} {oninput} disabled={form.busy} value={value.to_owned()} />
        }
    };
    let read_tab = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| totp_panel::read_tab(dispatch.clone()))
    };
    let read_file = {
        let dispatch = dispatch.clone();
        Callback::from(move |event: Event| {
            let input: HtmlInputElement = event.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                totp_panel::read_file(dispatch.clone(), file);
            }
            // Choosing the same file again must fire another change.
            input.set_value("");
        })
    };
    let reading = state.qr == QrStage::Reading;
    // Folded like the other forms, but held open while a QR code is being read or checked.
    let busy = state.qr != QrStage::Idle || form.error.is_some();

    html! {
        <details class="card folded" open={busy}>
            <summary>{ "Add TOTP entry" }</summary>
            <div class="actions">
                <button type="button" onclick={read_tab} disabled={reading}>
                    { "Read QR from tab" }
                </button>
                <label class="file-button">
                    { "QR image file" }
                    <input type="file" accept="image/*" onchange={read_file}
                        disabled={reading} />
                </label>
                { progress(reading, "Reading…") }
            </div>
            if let QrStage::Failed(error) = &state.qr {
                { alert(Some(error)) }
            }
            if let QrStage::Found(preview) = &state.qr {
                { qr_preview(preview, form, dispatch, main) }
            }
            <form {onsubmit}>
                { field(EntryField::Issuer, "entry-issuer", "Issuer", &form.issuer) }
                { field(EntryField::AccountName, "entry-account", "Account", &form.account_name) }
                <SecretField id="entry-secret" label="Secret or otpauth link"
                    value={form.secret.clone()} disabled={form.busy}
                    oninput={edit(EntryField::Secret)} />
                { alert(form.error.as_deref()) }
                <div class="actions">
                    <button type="submit" class="primary" disabled={form.busy}>
                        { "Save entry" }
                    </button>
                    { progress(form.busy, "Saving…") }
                    if form.saved {
                        <span class="done" role="status">{ "Entry saved." }</span>
                    }
                </div>
            </form>
        </details>
    }
}

fn qr_preview(
    preview: &QrPreview,
    form: &crate::totp_panel::state::EntryDraft,
    dispatch: &PanelDispatch,
    main: &Dispatch,
) -> Html {
    let confirm = {
        let dispatch = dispatch.clone();
        // Names typed in the form win over the code's own; the worker re-reads the text.
        let entry = TotpEntryForm {
            issuer: form.issuer.clone(),
            account_name: form.account_name.clone(),
            secret: preview.text.clone().into(),
        };
        Callback::from(move |_: MouseEvent| totp_panel::save(dispatch.clone(), entry.clone()))
    };
    let use_for_account = {
        let (dispatch, main, text) = (dispatch.clone(), main.clone(), preview.text.clone());
        Callback::from(move |_: MouseEvent| {
            main.dispatch(Action::EditAccount(AccountField::TotpSecret, text.clone()));
            dispatch.dispatch(PanelAction::QrDiscarded);
        })
    };
    let toggle = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(PanelAction::ToggleReveal))
    };
    let discard = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(PanelAction::QrDiscarded))
    };
    let shown = |text: &str| {
        if text.is_empty() {
            "(not given)".to_owned()
        } else {
            text.to_owned()
        }
    };

    html! {
        <div class="qr-preview" role="group" aria-label="Read from the QR code">
            <p class="lead">{ "Read from the QR code. Check it, then save." }</p>
            <dl>
                <dt>{ "Issuer" }</dt><dd class="qr-issuer">{ shown(&preview.issuer) }</dd>
                <dt>{ "Account" }</dt><dd class="qr-account">{ shown(&preview.account_name) }</dd>
                <dt>{ "Secret" }</dt>
                <dd>
                    <code class="qr-secret">{ preview.shown_secret() }</code>
                    <button type="button" class="link" onclick={toggle}>
                        { if preview.revealed { "Hide" } else { "Reveal" } }
                    </button>
                </dd>
                <dt>{ "Codes" }</dt><dd>{ preview.parameters.clone() }</dd>
            </dl>
            if preview.short {
                <p class="warning">
                    { "This secret is shorter than the 128 bits the standard asks for. It \
                       works; ask the service for a new one when you can." }
                </p>
            }
            <div class="actions">
                <button type="button" class="primary" onclick={confirm}>
                    { "Confirm and save" }
                </button>
                <button type="button" onclick={use_for_account}>
                    { "Use for new account" }
                </button>
                <button type="button" onclick={discard}>{ "Discard" }</button>
            </div>
        </div>
    }
}
