//! An account's "Validate" and "Log out" buttons, and the verdict of a validation.
//!
//! What these show belongs to one account row and to no other screen, so the row keeps it in
//! a small reducer of its own instead of the popup-wide state.

use std::rc::Rc;

use halo_extension_shared::messages::{Check, Validation};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::{alert, progress};
use crate::api;
use crate::commands::{self, Dispatch};

/// Props of [`LoginActions`].
#[derive(Properties, PartialEq)]
pub struct LoginActionsProps {
    /// The account's id in the vault.
    pub account_id: AttrValue,
    /// Whether the account is logged in (shows "Log out").
    pub logged_in: bool,
    /// The popup's dispatcher, to refresh the status after a logout or a validation.
    pub dispatch: Dispatch,
}

/// What the row shows about its checks.
#[derive(Clone, Default, PartialEq)]
struct RowState {
    validating: bool,
    logging_out: bool,
    verdict: Option<Validation>,
    error: Option<String>,
}

enum RowAction {
    ValidateStarted,
    Validated(Result<Validation, String>),
    LogoutStarted,
    LoggedOut(Result<(), String>),
    /// The account is now logged in, by this row's check or another button.
    LoggedIn,
    /// The account is now logged out (here, by an edit, or in another window).
    LoggedOutElsewhere,
}

impl Reducible for RowState {
    type Action = RowAction;

    fn reduce(self: Rc<Self>, action: RowAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            RowAction::ValidateStarted => {
                next.validating = true;
                next.verdict = None;
                next.error = None;
            }
            RowAction::Validated(result) => {
                next.validating = false;
                match result {
                    Ok(verdict) => next.verdict = Some(verdict),
                    Err(error) => next.error = Some(error),
                }
            }
            RowAction::LogoutStarted => {
                next.logging_out = true;
                next.error = None;
            }
            RowAction::LoggedOut(result) => {
                next.logging_out = false;
                next.error = result.err();
            }
            // A check that found something wrong is out of date once a login went through
            // (the trader fixed it); one that found everything right still holds.
            RowAction::LoggedIn => {
                let all_ok =
                    |verdict: &Validation| verdict.checks.iter().all(|check| check.verdict == "ok");
                if !next.verdict.as_ref().is_some_and(all_ok) {
                    next.verdict = None;
                }
                next.error = None;
            }
            // "✓ Account: ok, logged in as …" is no longer true. A logout's own error stays.
            RowAction::LoggedOutElsewhere => next.verdict = None,
        }
        Rc::new(next)
    }
}

/// "Validate" and, when logged in, "Log out".
#[function_component(LoginActions)]
pub fn login_actions(props: &LoginActionsProps) -> Html {
    let row = use_reducer(RowState::default);
    {
        let row = row.dispatcher();
        use_effect_with(props.logged_in, move |logged_in| {
            row.dispatch(match logged_in {
                true => RowAction::LoggedIn,
                false => RowAction::LoggedOutElsewhere,
            });
        });
    }

    let validate = {
        let row = row.dispatcher();
        let dispatch = props.dispatch.clone();
        let id = props.account_id.to_string();
        Callback::from(move |_: MouseEvent| {
            let (row, dispatch, id) = (row.clone(), dispatch.clone(), id.clone());
            row.dispatch(RowAction::ValidateStarted);
            spawn_local(async move {
                row.dispatch(RowAction::Validated(api::validate(id).await));
                // A successful check is a login: the row's session line should show it.
                commands::refresh_status(dispatch).await;
            });
        })
    };
    let log_out = {
        let row = row.dispatcher();
        let dispatch = props.dispatch.clone();
        let id = props.account_id.to_string();
        Callback::from(move |_: MouseEvent| {
            let (row, dispatch, id) = (row.clone(), dispatch.clone(), id.clone());
            row.dispatch(RowAction::LogoutStarted);
            spawn_local(async move {
                row.dispatch(RowAction::LoggedOut(api::log_out(id).await));
                commands::refresh_status(dispatch).await;
            });
        })
    };
    let busy = row.validating || row.logging_out;

    html! {
        <>
            <div class="actions login-actions">
                <button type="button" onclick={validate} disabled={busy}>{ "Validate" }</button>
                if props.logged_in {
                    <button type="button" onclick={log_out} disabled={busy}>{ "Log out" }</button>
                }
                { progress(row.validating, "Checking with Angel…") }
                { progress(row.logging_out, "Logging out…") }
            </div>
            { alert(row.error.as_deref()) }
            if let Some(verdict) = &row.verdict {
                <ul class="checks" aria-label="Validation">
                    { for verdict.checks.iter().map(check_line) }
                </ul>
            }
        </>
    }
}

/// One part's verdict, with a "How to fix" link when it is not ok.
pub(super) fn check_line(check: &Check) -> Html {
    let mark = match check.verdict.as_str() {
        "ok" => "✓",
        "wrong" => "✗",
        _ => "•",
    };
    html! {
        <li class={classes!("check", check.verdict.clone())}>
            <span class="mark" aria-hidden="true">{ mark }</span>
            <strong>{ format!("{}: ", check.part) }</strong>
            <span class="verdict">{ check.verdict.clone() }</span>
            <span class="detail">{ format!(". {}", check.detail) }</span>
            if let Some(entry) = check.help.filter(|_| check.verdict != "ok") {
                { " " }{ crate::help::link(entry) }
            }
        </li>
    }
}
