//! The accounts in the vault: live code, countdown, copy on click, "Log in", and "Edit".

use halo_extension_shared::messages::{AccountCode, AccountSummary};
use yew::prelude::*;

use super::account_edit::AccountEditor;
use super::login_actions::LoginActions;
use super::totp_entries::countdown;
use super::{alert, progress};
use crate::commands::{self, Dispatch};
use crate::format;
use crate::state::{Action, Codes, Logins};

/// A measured clock error beyond this is worth telling: codes are corrected either way, but
/// the trader's other authenticators and logins may not be.
const CLOCK_WARNING_SECS: i64 = 10;

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
            { clock_warning(props.codes.list.first().map(|c| c.clock_offset_secs)) }
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
    let editing = use_state(|| false);
    let toggle_edit = {
        let editing = editing.clone();
        Callback::from(move |_: MouseEvent| editing.set(!*editing))
    };
    let close_edit = {
        let editing = editing.clone();
        Callback::from(move |()| editing.set(false))
    };
    // Bumped by every saved edit; the row's Validate verdict is about the values it replaced.
    let saves = use_state(|| 0u32);
    let saved = {
        let (saves, dispatch, id) = (saves.clone(), props.dispatch.clone(), account.id.clone());
        Callback::from(move |()| {
            saves.set(*saves + 1);
            dispatch.dispatch(Action::AccountSaved(id.clone()));
        })
    };
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
                <button type="button" class="link" onclick={toggle_edit}
                    aria-expanded={editing.to_string()}
                    aria-label={format!("Edit {}", account.label)}>{ "Edit" }</button>
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
            if let Some(notice) = account.api_key_notice.clone() {
                <p class="warning key-age" role="status">{ notice }</p>
            }
            { alert(props.login_error.as_deref()) }
            <LoginActions key={format!("{}#{}", account.id, *saves)}
                account_id={account.id.clone()} logged_in={account.session.is_some()}
                dispatch={props.dispatch.clone()} />
            if *editing {
                <AccountEditor account={account.clone()} dispatch={props.dispatch.clone()}
                    on_close={close_edit} on_saved={saved} />
            }
        </li>
    }
}

/// The code as two visual halves; its text content is the bare digits, so it reads and copies
/// as one number.
fn live_code(props: &AccountRowProps) -> Html {
    let Some(code) = &props.code else {
        if props.account.publisher {
            return html! { <span class="hint">{ "Logs in on Angel's page" }</span> };
        }
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

    html! {
        <>
            <button type="button" class="code" aria-label="Current code"
                title="Copy the code" onclick={copy}>
                <span>{ first }</span><span>{ second }</span>
            </button>
            { countdown(code.seconds_left, code.next_code.as_deref()) }
            if props.copied {
                <span class="copied" role="status">{ "Copied" }</span>
            }
        </>
    }
}

/// "Your clock is 48 s ahead; Halo corrects for it." when the offset measured from Angel's
/// `Date` header (server minus device) is large.
fn clock_warning(offset_secs: Option<i64>) -> Html {
    match offset_secs.and_then(clock_warning_text) {
        Some(text) => html! { <p class="warning clock" role="status">{ text }</p> },
        None => html! {},
    }
}

fn clock_warning_text(offset_secs: i64) -> Option<String> {
    if offset_secs.abs() <= CLOCK_WARNING_SECS {
        return None;
    }
    // The offset is the server's clock minus this device's: negative means the device is ahead.
    let direction = if offset_secs < 0 { "ahead" } else { "behind" };
    Some(format!(
        "Your clock is {} s {direction}; Halo corrects for it.",
        offset_secs.unsigned_abs()
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clock_warning_only_beyond_ten_seconds() {
        assert_eq!(clock_warning_text(0), None);
        assert_eq!(clock_warning_text(-10), None);
        assert_eq!(
            clock_warning_text(-48).as_deref(),
            Some("Your clock is 48 s ahead; Halo corrects for it.")
        );
        assert_eq!(
            clock_warning_text(75).as_deref(),
            Some("Your clock is 75 s behind; Halo corrects for it.")
        );
    }
}
