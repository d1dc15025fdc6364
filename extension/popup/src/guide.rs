//! Halo's options page: the first-run guide, the troubleshooting page and the security page.
//!
//! It is the popup's own wasm mounted under another root ([`OptionsPage`]), so the extension
//! keeps one UI bundle and the guide reuses the popup's state and components as they are. The
//! section shown follows the address's fragment: `#guide`, `#security`, `#troubleshooting`, or
//! a troubleshooting entry's anchor such as `#ab1007`, which every "How to fix" link uses.

pub mod checks;
pub mod compact;
pub mod progress;
pub mod security;
pub mod steps;
pub mod troubleshooting;

use halo_extension_shared::trouble::Trouble;
use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;
use yew::prelude::*;

use crate::commands;
use crate::hooks::use_polling;
use crate::state::{AccountFormText, PopupState};
use checks::Verdict;

/// How often the codes are read while the guide shows the account list.
const CODES_EVERY_MS: u32 = 1_000;

/// Which part of the options page is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Guide,
    Troubleshooting(Option<Trouble>),
    Security,
}

impl Section {
    /// The section an address fragment (with or without its `#`) asks for.
    fn from_fragment(fragment: &str) -> Section {
        match fragment.trim_start_matches('#') {
            "security" => Section::Security,
            "troubleshooting" => Section::Troubleshooting(None),
            anchor => match Trouble::from_anchor(anchor) {
                Some(entry) => Section::Troubleshooting(Some(entry)),
                None => Section::Guide,
            },
        }
    }
}

/// The options page's root.
#[function_component(OptionsPage)]
pub fn options_page() -> Html {
    let state = use_reducer(PopupState::default);
    let dispatch = state.dispatcher();
    let section = use_state(|| Section::from_fragment(&current_fragment()));
    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |()| commands::start_status_refresh(dispatch));
    }
    {
        let section = section.clone();
        use_effect_with((), move |()| {
            let listener = Closure::<dyn Fn()>::new(move || {
                section.set(Section::from_fragment(&current_fragment()));
            });
            let window = web_sys::window();
            if let Some(window) = &window {
                window.set_onhashchange(Some(listener.as_ref().unchecked_ref()));
            }
            move || {
                if let Some(window) = window {
                    window.set_onhashchange(None);
                }
                drop(listener);
            }
        });
    }
    // After the section is drawn: bring a troubleshooting entry into view.
    use_effect_with(*section, |section| {
        let element = match section {
            Section::Troubleshooting(Some(entry)) => Some(entry.anchor()),
            _ => None,
        };
        if let Some(element) =
            element.and_then(|id| web_sys::window()?.document()?.get_element_by_id(id))
        {
            element.scroll_into_view();
        }
    });
    let unlocked = state.is_unlocked().then_some(());
    use_polling(CODES_EVERY_MS, unlocked, {
        let dispatch = dispatch.clone();
        move |()| commands::poll_codes(dispatch.clone())
    });

    let page = match *section {
        Section::Guide => html! {
            <steps::Guide state={(*state).clone()} dispatch={dispatch.clone()} />
        },
        Section::Troubleshooting(focus) => html! {
            <troubleshooting::Troubleshooting {focus} />
        },
        Section::Security => html! { <security::Security /> },
    };
    let tab = |href: &'static str, label: &'static str, here: bool| {
        html! { <a {href} aria-current={here.then_some("page")}>{ label }</a> }
    };

    html! {
        <div class="options">
            <header class="options-header">
                <span class="brand">{ "Halo" }</span>
                <nav aria-label="Halo's pages">
                    { tab("#guide", "Set up", *section == Section::Guide) }
                    { tab("#troubleshooting", "Troubleshooting",
                        matches!(*section, Section::Troubleshooting(_))) }
                    { tab("#security", "Security", *section == Section::Security) }
                </nav>
            </header>
            <main>{ page }</main>
        </div>
    }
}

/// The address's fragment, `#ab1007`, or empty.
fn current_fragment() -> String {
    web_sys::window()
        .and_then(|window| window.location().hash().ok())
        .unwrap_or_default()
}

/// A check's sentence under a field: a problem in warning colours, a good sign as a note.
pub fn verdict_line(verdict: Option<Verdict>) -> Html {
    let Some(verdict) = verdict else {
        return html! {};
    };
    let kind = if verdict.is_problem() {
        "warning"
    } else {
        "done"
    };
    html! { <p class={classes!(kind, "typed-check")}>{ verdict.text().to_owned() }</p> }
}

/// The as-typed checks of the account form's fields, drawn under the form.
pub fn typed_checks(form: &AccountFormText) -> Html {
    let verdicts = [
        checks::client_code(&form.client_code),
        checks::mpin(&form.mpin),
        checks::api_key(&form.api_key),
        checks::totp_secret(&form.totp_secret),
    ];
    html! { <>{ for verdicts.into_iter().map(verdict_line) }</> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fragments_pick_the_section() {
        assert_eq!(Section::from_fragment(""), Section::Guide);
        assert_eq!(Section::from_fragment("#guide"), Section::Guide);
        assert_eq!(Section::from_fragment("#security"), Section::Security);
        assert_eq!(
            Section::from_fragment("#troubleshooting"),
            Section::Troubleshooting(None)
        );
        assert_eq!(
            Section::from_fragment("#ab1050"),
            Section::Troubleshooting(Some(Trouble::Ab1050))
        );
        assert_eq!(Section::from_fragment("#nonsense"), Section::Guide);
    }
}
