//! The accounts in the vault: live code, countdown, copy on click, and "Log in".

use halo_extension_shared::messages::{AccountCode, AccountSummary};
use yew::prelude::*;

use super::{alert, progress};
use crate::commands::{self, Dispatch};
use crate::format;
use crate::state::{Codes, Logins};

/// From this many seconds left, the countdown warns that the code is about to change.
const SECONDS_LEFT_WARNING: u32 = 5;

/// Props of [`Accounts`].
#[derive(Properties, PartialEq)]
pub struct AccountsProps {
    /// The accounts as the worker listed them.
    pub accounts: Vec<AccountSummary>,
    /// Their current codes.
    pub codes: Codes,
    /// Logins in flight and their failures.
    pub logins: Logins,
    /// Where the buttons send their actions.
    pub dispatch: Dispatch,
}

/// The list of accounts.
#[function_component(Accounts)]
pub fn accounts(props: &AccountsProps) -> Html {
    let rows = props.accounts.iter().map(|account| {
        let code = props.codes.list.iter().find(|c| c.account_id == account.id);
        let login_error = props
            .logins
            .error
            .as_ref()
            .filter(|(id, _)| *id == account.id)
            .map(|(_, error)| error.as_str());
        html! {
            <AccountRow
                key={account.id.clone()}
                account={account.clone()}
                code={code.cloned()}
                copied={props.codes.copied.as_deref() == Some(account.id.as_str())}
                logging_in={props.logins.busy.as_deref() == Some(account.id.as_str())}
                login_error={login_error.map(|e| AttrValue::from(e.to_owned()))}
                dispatch={props.dispatch.clone()}
            />
        }
    });

    html! {
        <section class="card" aria-labelledby="accounts-title">
            <h2 id="accounts-title">{ "Accounts" }</h2>
            { alert(props.codes.error.as_deref()) }
            if props.accounts.is_empty() {
                <p class="empty">
                    { "No accounts yet. Add one below with the details from Angel One's \
                       SmartAPI and enable-TOTP pages." }
                </p>
            } else {
                <ul class="accounts">{ for rows }</ul>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct AccountRowProps {
    account: AccountSummary,
    code: Option<AccountCode>,
    copied: bool,
    logging_in: bool,
    login_error: Option<AttrValue>,
    dispatch: Dispatch,
}

#[function_component(AccountRow)]
fn account_row(props: &AccountRowProps) -> Html {
    let account = &props.account;
    let log_in = {
        let dispatch = props.dispatch.clone();
        let id = account.id.clone();
        Callback::from(move |_: MouseEvent| commands::log_in(dispatch.clone(), id.clone()))
    };
    let session = account.session.as_ref().map(|session| {
        format!(
            "Logged in as {} ({}) since {}",
            session.name,
            account.client_code,
            format::local_hh_mm(session.since_unix_ms)
        )
    });

    html! {
        <li class="account">
            <div class="account-head">
                <span class="account-label">{ account.label.clone() }</span>
                <span class="client-code">{ account.client_code.clone() }</span>
            </div>
            <div class="code-row">
                { live_code(props) }
                <button type="button" class="login" onclick={log_in}
                    disabled={props.logging_in}>{ "Log in" }</button>
            </div>
            { progress(props.logging_in, "Logging in…") }
            if let Some(text) = session {
                <p class="session">{ text }</p>
            }
            { alert(props.login_error.as_deref()) }
        </li>
    }
}

/// The code as two visual halves; its text content is the bare digits, so it reads and copies
/// as one number.
fn live_code(props: &AccountRowProps) -> Html {
    let Some(code) = &props.code else {
        return html! { <span class="code pending">{ "······" }</span> };
    };
    let copy = {
        let dispatch = props.dispatch.clone();
        let id = props.account.id.clone();
        let digits = code.code.clone();
        Callback::from(move |_: MouseEvent| {
            commands::copy_code(dispatch.clone(), id.clone(), digits.clone())
        })
    };
    let (first, second) = format::code_halves(&code.code);
    let countdown_class = if code.seconds_left <= SECONDS_LEFT_WARNING {
        "countdown soon"
    } else {
        "countdown"
    };

    html! {
        <>
            <button type="button" class="code" aria-label="Current code"
                title="Copy the code" onclick={copy}>
                <span>{ first }</span><span>{ second }</span>
            </button>
            <span class={countdown_class} title="Seconds until the code changes">
                { format!("{} s", code.seconds_left) }
            </span>
            if props.copied {
                <span class="copied" role="status">{ "Copied" }</span>
            }
        </>
    }
}
