//! What the popup draws. Components render the state they are given and hand user input to
//! [`crate::commands`] or the reducer; they keep no state of their own.

mod account_edit;
mod account_form;
mod accounts;
mod activity;
mod candidates;
mod companion;
mod header;
mod login_actions;
mod login_setup;
mod orders;
mod positions;
mod secret_field;
mod settings;
mod ticket;
mod totp_entries;
mod vault;
mod vault_tools;

pub use account_form::AccountFormView;
pub use accounts::Accounts;
pub use activity::ActivityLog;
pub use candidates::Candidates;
pub use companion::CompanionSettings;
pub use header::Header;
pub use login_setup::LoginSettings;
pub use orders::OrdersPanel;
pub use positions::PositionsPanel;
pub use secret_field::SecretField;
pub use settings::Settings;
pub use ticket::TicketView;
pub use totp_entries::TotpEntries;
pub use vault::{CreateVault, UnlockVault};
pub use vault_tools::VaultTools;

use web_sys::HtmlInputElement;
use yew::prelude::*;

/// The text an input event leaves in its input.
pub(crate) fn input_text(event: InputEvent) -> String {
    event.target_unchecked_into::<HtmlInputElement>().value()
}

/// A failure, announced to screen readers and found by tests as `role="alert"`, with a
/// "How to fix" link when the troubleshooting page has an entry for it.
pub(crate) fn alert(error: Option<&str>) -> Html {
    match error {
        Some(text) => html! {
            <>
                <p class="error" role="alert">{ text }</p>
                { crate::help::link_for_message(text) }
            </>
        },
        None => html! {},
    }
}

/// A short progress note next to a button ("Creating…"), announced politely.
fn progress(busy: bool, text: &'static str) -> Html {
    if busy {
        html! { <span class="progress" role="status">{ text }</span> }
    } else {
        html! {}
    }
}

/// A labelled text input whose accessible name is exactly `label`.
#[derive(Properties, PartialEq)]
struct FieldProps {
    id: AttrValue,
    label: AttrValue,
    value: AttrValue,
    oninput: Callback<InputEvent>,
    #[prop_or(AttrValue::Static("text"))]
    kind: AttrValue,
    #[prop_or_default]
    placeholder: Option<AttrValue>,
    #[prop_or(AttrValue::Static("off"))]
    autocomplete: AttrValue,
    #[prop_or_default]
    inputmode: Option<AttrValue>,
    #[prop_or_default]
    describedby: Option<AttrValue>,
    #[prop_or_default]
    disabled: bool,
}

#[function_component(Field)]
fn field(props: &FieldProps) -> Html {
    // A hidden passphrase typed with Caps Lock on is the commonest "wrong passphrase"; say so
    // while the trader can still see why.
    // Redrawn only when the warning comes or goes: a redraw puts back the value Halo holds,
    // which would undo an edit not yet reported by an input event (a script's clear()).
    let caps_lock = use_state_eq(|| false);
    let hidden = props.kind == "password";
    let onkey = hidden.then(|| {
        let caps_lock = caps_lock.clone();
        Callback::from(move |event: KeyboardEvent| {
            caps_lock.set(event.get_modifier_state("CapsLock"));
        })
    });
    let onblur = hidden.then(|| {
        let caps_lock = caps_lock.clone();
        Callback::from(move |_: FocusEvent| caps_lock.set(false))
    });
    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <input
                id={props.id.clone()}
                type={props.kind.clone()}
                value={props.value.clone()}
                oninput={props.oninput.clone()}
                onkeydown={onkey.clone()}
                onkeyup={onkey}
                {onblur}
                placeholder={props.placeholder.clone()}
                autocomplete={props.autocomplete.clone()}
                inputmode={props.inputmode.clone()}
                aria-describedby={props.describedby.clone()}
                spellcheck="false"
                disabled={props.disabled}
            />
            if *caps_lock {
                <span class="warning" role="status">{ "Caps Lock is on." }</span>
            }
        </div>
    }
}
