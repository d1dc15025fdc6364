//! The ticket's question when a page symbol fitted no instrument or several: the rows it may
//! mean, one button each. The pick goes to the worker, which keeps it for that symbol.

use halo_extension_shared::messages::InstrumentSummary;
use yew::prelude::*;

use crate::commands::{self, Dispatch};
use crate::format;

/// Props of [`Candidates`].
#[derive(Properties, PartialEq)]
pub struct CandidatesProps {
    /// The symbol as the page spelled it.
    pub page_symbol: String,
    /// Why there is no single instrument.
    pub problem: String,
    /// The rows to pick from; may be empty.
    pub candidates: Vec<InstrumentSummary>,
    /// Where a pick is sent.
    pub dispatch: Dispatch,
}

/// The list of candidate instruments, each a button that picks it.
#[function_component(Candidates)]
pub fn candidates(props: &CandidatesProps) -> Html {
    let rows = props.candidates.iter().map(|candidate| {
        let onclick = {
            let dispatch = props.dispatch.clone();
            let page_symbol = props.page_symbol.clone();
            let (exchange, token) = (candidate.exchange.clone(), candidate.token.clone());
            Callback::from(move |_: MouseEvent| {
                commands::pick_instrument(
                    dispatch.clone(),
                    page_symbol.clone(),
                    exchange.clone(),
                    token.clone(),
                )
            })
        };
        let lot = if candidate.lot_size > 1 {
            format!("lot {}", candidate.lot_size)
        } else {
            "cash".to_owned()
        };
        html! {
            <li>
                <button type="button" class="candidate" {onclick}>
                    <span class="trading-symbol">{ candidate.trading_symbol.clone() }</span>
                    <span class="exchange">{ candidate.exchange.clone() }</span>
                    <span class="facts">
                        { format!("token {} · {lot} · tick {}", candidate.token,
                            format::tick(candidate.tick_paise)) }
                    </span>
                </button>
            </li>
        }
    });

    html! {
        <div class="candidates">
            <p class="empty">{ props.problem.clone() }</p>
            if !props.candidates.is_empty() {
                <ul aria-label="Candidate instruments">{ for rows }</ul>
            }
        </div>
    }
}
