//! The Positions view: what today's fills left in each instrument, for a logged-in account.

use halo_extension_shared::messages::AccountSummary;
use halo_extension_shared::order_views::{PositionLine, PositionsView};
use wasm_bindgen_futures::spawn_local;
use web_sys::HtmlDetailsElement;
use yew::prelude::*;

use super::{alert, progress};
use crate::{api, format};

/// Props of [`PositionsPanel`].
#[derive(Properties, PartialEq)]
pub struct PositionsProps {
    /// The account whose positions are shown: the first logged in.
    pub account: AccountSummary,
}

/// Today's positions, folded until opened; read each time they are opened and on "Refresh
/// positions".
#[function_component(PositionsPanel)]
pub fn positions_panel(props: &PositionsProps) -> Html {
    let view = use_state(|| None::<Result<PositionsView, String>>);
    let busy = use_state(|| false);
    let load = {
        let (view, busy, account_id) = (view.clone(), busy.clone(), props.account.id.clone());
        move || {
            let (view, busy, account_id) = (view.clone(), busy.clone(), account_id.clone());
            busy.set(true);
            spawn_local(async move {
                view.set(Some(api::positions(account_id).await));
                busy.set(false);
            });
        }
    };
    let ontoggle = {
        let load = load.clone();
        Callback::from(move |event: Event| {
            if event.target_unchecked_into::<HtmlDetailsElement>().open() {
                load();
            }
        })
    };
    let refresh = Callback::from(move |_: MouseEvent| load());

    let (lines, error) = match &*view {
        Some(Ok(view)) => (Some(view.positions.clone()), None),
        Some(Err(error)) => (None, Some(error.clone())),
        None => (None, None),
    };
    html! {
        <details class="card folded positions-view" {ontoggle}>
        <summary>{ format!("Positions · {}", props.account.label) }</summary>
        <section class="positions">
            { alert(error.as_deref()) }
            if lines.as_ref().is_some_and(Vec::is_empty) {
                <p class="empty">{ "No positions today." }</p>
            }
            <ul class="position-list">
                { for lines.iter().flatten().map(position_line) }
            </ul>
            <div class="actions">
                <button type="button" onclick={refresh} disabled={*busy}>
                    { "Refresh positions" }
                </button>
                { progress(*busy, "Asking Angel…") }
            </div>
        </section>
        </details>
    }
}

fn position_line(line: &PositionLine) -> Html {
    let average = |rupees: f64| {
        format::rupees_to_paise(rupees)
            .map(|paise| format!("₹{}", format::paise_grouped(paise)))
            .unwrap_or_else(|| "—".to_owned())
    };
    html! {
        <li class="position-line">
            <p class="position-what">
                { format!("{} ({}) {} · net {}", line.symbol, line.exchange, line.product,
                    line.net) }
            </p>
            <p class="hint">
                { format!("Bought {} at {} · sold {} at {}", line.bought,
                    average(line.buy_average), line.sold, average(line.sell_average)) }
            </p>
        </li>
    }
}
