//! The popup's root: holds the state, runs the polls, and picks the screen.

use halo_extension_shared::chrome;
use halo_extension_shared::messages::{SESSION_KEY_PREFIX, VAULT_STORAGE_KEY, VaultState};
use yew::prelude::*;

use crate::commands;
use crate::components::{
    AccountFormView, Accounts, ActivityLog, CompanionSettings, CreateVault, Header, LoginSettings,
    OrdersPanel, PositionsPanel, Settings, TicketView, TotpEntries, UnlockVault, VaultTools,
};
use crate::format;
use crate::guide::compact::GuideCard;
use crate::hooks::use_polling;
use crate::state::PopupState;
use crate::typing::use_typing_counts_as_use;

/// How often the codes are read: once a second keeps the countdown true.
const CODES_EVERY_MS: u32 = 1_000;
/// How often the ticket is read, so a popped-out window follows the tab being read.
const TICKET_EVERY_MS: u32 = 2_000;
/// How often a placed order's status is read until it is final.
const ORDER_EVERY_MS: u32 = 1_500;

/// The whole popup.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(PopupState::default);
    let dispatch = state.dispatcher();
    let popped_out = use_memo((), |()| popped_out());

    {
        let dispatch = dispatch.clone();
        use_effect_with((), move |()| {
            // Another Halo window saved the vault (an account added, edited, restored): redraw.
            let watching = dispatch.clone();
            chrome::watch_local_key(VAULT_STORAGE_KEY, move || {
                commands::start_status_refresh(watching.clone());
            });
            // A login or logout elsewhere (another window, an edit, the daily login): redraw.
            let watching = dispatch.clone();
            chrome::watch_session_keys(SESSION_KEY_PREFIX, move || {
                commands::start_status_refresh(watching.clone());
            });
            commands::start_status_refresh(dispatch);
        });
    }
    use_typing_counts_as_use(state.is_unlocked());
    let unlocked = state.is_unlocked().then_some(());
    use_polling(CODES_EVERY_MS, unlocked, {
        let dispatch = dispatch.clone();
        move |()| commands::poll_codes(dispatch.clone())
    });
    use_polling(TICKET_EVERY_MS, unlocked, {
        let dispatch = dispatch.clone();
        move |()| commands::poll_ticket(dispatch.clone())
    });
    use_polling(ORDER_EVERY_MS, state.order_to_follow(), {
        let dispatch = dispatch.clone();
        move |id| commands::poll_order(dispatch.clone(), id)
    });

    let endpoint = state
        .status
        .as_ref()
        .map(|s| s.endpoint.clone())
        .unwrap_or_default();
    let general_error = state.general_error.as_ref().map(|error| {
        let retry = {
            let dispatch = dispatch.clone();
            Callback::from(move |_: MouseEvent| commands::start_status_refresh(dispatch.clone()))
        };
        html! {
            <div class="card notice">
                <p class="error" role="alert">{ error.clone() }</p>
                <button type="button" onclick={retry}>{ "Try again" }</button>
            </div>
        }
    });

    let screen = match state.status.as_ref().map(|status| status.vault) {
        None if state.general_error.is_none() => {
            html! { <p class="empty">{ "Asking Halo's background worker…" }</p> }
        }
        None => html! {},
        Some(VaultState::Missing) => html! {
            <>
                <CreateVault draft={state.vault.clone()} dispatch={dispatch.clone()} />
                <GuideCard />
            </>
        },
        Some(VaultState::Locked) => {
            html! { <UnlockVault draft={state.vault.clone()} dispatch={dispatch.clone()} /> }
        }
        Some(VaultState::Unlocked) => unlocked_screen(&state, &dispatch),
    };

    html! {
        <div class={classes!("popup", popped_out.then_some("popped-out"))}>
            <Header unlocked={state.is_unlocked()} popped_out={*popped_out}
                endpoint={endpoint} dispatch={dispatch.clone()} />
            <main>
                { for general_error }
                { screen }
            </main>
            <footer class="popup-footer">
                <a href="options.html#guide" target="_blank" rel="noopener">{ "Setup guide" }</a>
                <a href="options.html#troubleshooting" target="_blank" rel="noopener">
                    { "Troubleshooting" }
                </a>
                <a href="options.html#security" target="_blank" rel="noopener">{ "Security" }</a>
            </footer>
        </div>
    }
}

fn unlocked_screen(state: &PopupState, dispatch: &commands::Dispatch) -> Html {
    let accounts = state
        .status
        .as_ref()
        .map(|s| s.accounts.clone())
        .unwrap_or_default();
    let endpoint = state
        .status
        .as_ref()
        .map(|s| s.endpoint.clone())
        .unwrap_or_default();
    // With an account in place the forms are rarely needed: they fold away so the codes and
    // the ticket fit without scrolling. Before that, adding one is the whole point.
    let first_run = accounts.is_empty();
    let typing_account = state.account.being_filled;
    let add_account = html! {
        <AccountFormView draft={state.account.clone()} dispatch={dispatch.clone()} />
    };
    let settings = html! {
        <>
            <Settings current={endpoint} draft={state.endpoint.clone()}
                dispatch={dispatch.clone()} />
            <LoginSettings dispatch={dispatch.clone()} />
            <CompanionSettings />
        </>
    };
    html! {
        <>
            <Accounts accounts={accounts.clone()} codes={state.codes.clone()}
                logins={state.logins.clone()} dispatch={dispatch.clone()} />
            <TicketView ticket={state.ticket.clone()} account={state.trading_account().cloned()}
                dispatch={dispatch.clone()} />
            // One element whether or not an account is logged in: Yew matches unkeyed siblings
            // by position, and panels appearing here would re-create the cards above them.
            <div class="books">
                { for accounts.iter().filter(|a| a.session.is_some()).map(books) }
            </div>
            <TotpEntries main={dispatch.clone()} />
            if first_run {
                <GuideCard />
                { add_account }
                { settings.clone() }
            } else {
                // Held open while something is typed in it: another window saving the first
                // account must not fold away a form this one is filling in.
                { folded_open("Add another account", add_account, typing_account) }
            }
            { folded("Vault", html! { <VaultTools dispatch={dispatch.clone()} /> }) }
            <ActivityLog />
            if !first_run {
                { folded("Settings", settings) }
            }
        </>
    }
}

/// The Orders and Positions views of one logged-in account, each folded until opened.
fn books(account: &halo_extension_shared::messages::AccountSummary) -> Html {
    html! {
        <>
            <OrdersPanel account={account.clone()} />
            <PositionsPanel account={account.clone()} />
        </>
    }
}

/// A section closed until its summary is clicked.
fn folded(summary: &'static str, body: Html) -> Html {
    folded_open(summary, body, false)
}

/// A section closed until its summary is clicked, or held open while `open`.
fn folded_open(summary: &'static str, body: Html, open: bool) -> Html {
    html! {
        <details class="card folded" {open}>
            <summary>{ summary }</summary>
            { body }
        </details>
    }
}

/// Whether this page is the popped-out window; the docked popup has no query string.
pub fn popped_out() -> bool {
    web_sys::window()
        .and_then(|window| window.location().search().ok())
        .is_some_and(|search| format::is_popped_out_query(&search))
}
