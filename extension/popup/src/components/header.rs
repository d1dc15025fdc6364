//! The bar across the top: name, endpoint badge, and the Lock and Pop out buttons.

use yew::prelude::*;

use crate::commands::{self, Dispatch};

/// Angel's API root; any other endpoint is a sandbox and is flagged as such.
const ANGEL_ROOT: &str = "https://apiconnect.angelone.in";

/// Props of [`Header`].
#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    /// Whether the vault is unlocked (Lock and Pop out are shown only then).
    pub unlocked: bool,
    /// Whether this page is the popped-out window, which needs no Pop out.
    pub popped_out: bool,
    /// The endpoint in use, empty until the worker has answered.
    pub endpoint: AttrValue,
    /// Where the buttons send their actions.
    pub dispatch: Dispatch,
}

/// The top bar.
#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    let lock = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| commands::lock(dispatch.clone()))
    };
    let pop_out = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| commands::pop_out(dispatch.clone()))
    };
    // A trader must never mistake rehearsal orders for real ones, or the reverse.
    let sandbox = !props.endpoint.is_empty() && !props.endpoint.starts_with(ANGEL_ROOT);

    html! {
        <header class="bar">
            <span class="brand">
                <img src="icons/icon-32.png" alt="" width="20" height="20" />
                { "Halo" }
            </span>
            if sandbox {
                <span class="badge" title={props.endpoint.clone()}>{ "Sandbox" }</span>
            }
            <span class="spacer"></span>
            if props.unlocked && !props.popped_out {
                <button type="button" class="quiet" onclick={pop_out}
                    title="Open Halo in its own window">{ "Pop out" }</button>
            }
            if props.unlocked {
                <button type="button" class="quiet" onclick={lock}>{ "Lock" }</button>
            }
        </header>
    }
}
