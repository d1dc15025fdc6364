//! A labelled input for a secret, hidden as typed, with a button that shows it for checking.

use yew::prelude::*;

/// Props of [`SecretField`].
#[derive(Properties, PartialEq)]
pub struct SecretFieldProps {
    /// The input's id.
    pub id: AttrValue,
    /// The label, which is the input's whole accessible name.
    pub label: AttrValue,
    /// The text as typed.
    pub value: AttrValue,
    /// Where typing goes.
    pub oninput: Callback<InputEvent>,
    /// Shown while empty, such as "blank keeps the stored one".
    #[prop_or_default]
    pub placeholder: Option<AttrValue>,
    /// Greyed out while the form is being saved.
    #[prop_or_default]
    pub disabled: bool,
}

/// A password input with a Show/Hide toggle. The toggle's name never repeats the label, so the
/// input stays the only control a screen reader (or a test) finds by it.
#[function_component(SecretField)]
pub fn secret_field(props: &SecretFieldProps) -> Html {
    // Whether the secret is on screen is the view's own concern, not the popup's state: it
    // starts hidden every time the form is drawn.
    let shown = use_state(|| false);
    let toggle = {
        let shown = shown.clone();
        Callback::from(move |_: MouseEvent| shown.set(!*shown))
    };
    let kind = if *shown { "text" } else { "password" };

    html! {
        <div class="field">
            <label for={props.id.clone()}>{ props.label.clone() }</label>
            <div class="secret-input">
                <input
                    id={props.id.clone()}
                    type={kind}
                    value={props.value.clone()}
                    oninput={props.oninput.clone()}
                    placeholder={props.placeholder.clone()}
                    autocomplete="off"
                    spellcheck="false"
                    disabled={props.disabled}
                />
                <button type="button" class="reveal" onclick={toggle}
                    aria-controls={props.id.clone()}
                    aria-pressed={if *shown { "true" } else { "false" }}>
                    { if *shown { "Hide" } else { "Show" } }
                </button>
            </div>
        </div>
    }
}
