//! Settings for logging in: the redirect URL a SMART_API_M (publisher) app must register, with
//! a copy button, the daily login reminder's time, and "Log out all".

use std::rc::Rc;

use halo_extension_shared::messages::LoginSetup;
use wasm_bindgen_futures::{JsFuture, spawn_local};
use yew::prelude::*;

use super::{Field, alert, input_text, progress};
use crate::api;
use crate::commands::{self, Dispatch};

/// Props of [`LoginSettings`].
#[derive(Properties, PartialEq)]
pub struct LoginSettingsProps {
    /// The popup's dispatcher, to refresh the status after logging out.
    pub dispatch: Dispatch,
}

#[derive(Clone, Default, PartialEq)]
struct SetupState {
    setup: Option<LoginSetup>,
    copied: bool,
    /// The reminder time as typed, `HH:MM` in IST.
    reminder: String,
    reminder_saved: bool,
    logging_out: bool,
    error: Option<String>,
}

enum SetupAction {
    Loaded(Result<LoginSetup, String>),
    Copied(Result<(), String>),
    EditReminder(String),
    ReminderSaved(Result<(), String>),
    LogoutStarted,
    LoggedOut(Result<(), String>),
}

impl Reducible for SetupState {
    type Action = SetupAction;

    fn reduce(self: Rc<Self>, action: SetupAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            SetupAction::Loaded(Ok(setup)) => {
                next.reminder = hh_mm(setup.reminder_ist_minutes);
                next.setup = Some(setup);
            }
            SetupAction::Loaded(Err(error))
            | SetupAction::Copied(Err(error))
            | SetupAction::ReminderSaved(Err(error)) => {
                next.error = Some(error);
            }
            SetupAction::EditReminder(text) => {
                next.reminder = text;
                next.reminder_saved = false;
            }
            SetupAction::ReminderSaved(Ok(())) => {
                next.reminder_saved = true;
                next.error = None;
            }
            SetupAction::Copied(Ok(())) => next.copied = true,
            SetupAction::LogoutStarted => {
                next.logging_out = true;
                next.error = None;
            }
            SetupAction::LoggedOut(result) => {
                next.logging_out = false;
                next.error = result.err();
            }
        }
        Rc::new(next)
    }
}

/// The login settings card.
#[function_component(LoginSettings)]
pub fn login_settings(props: &LoginSettingsProps) -> Html {
    let state = use_reducer(SetupState::default);
    {
        let state = state.dispatcher();
        use_effect_with((), move |()| {
            spawn_local(
                async move { state.dispatch(SetupAction::Loaded(api::login_setup().await)) },
            );
        });
    }

    let copy = {
        let url: Rc<str> = state.setup.as_ref().map_or_else(
            || Rc::from(""),
            |setup| Rc::from(setup.redirect_url.as_str()),
        );
        let state = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            let (state, url) = (state.clone(), url.clone());
            spawn_local(async move { state.dispatch(SetupAction::Copied(copy_text(&url).await)) });
        })
    };
    let on_reminder = {
        let state = state.dispatcher();
        Callback::from(move |event: InputEvent| {
            state.dispatch(SetupAction::EditReminder(input_text(event)));
        })
    };
    let save_reminder = {
        let typed = state.reminder.clone();
        let state = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            let state = state.clone();
            let Some(minutes) = parse_hh_mm(&typed) else {
                state.dispatch(SetupAction::ReminderSaved(Err(
                    "Type the reminder time as HH:MM, e.g. 08:45.".to_owned(),
                )));
                return;
            };
            spawn_local(async move {
                let saved = api::set_login_reminder(minutes).await;
                state.dispatch(SetupAction::ReminderSaved(saved));
            });
        })
    };
    let log_out_all = {
        let state = state.dispatcher();
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let (state, dispatch) = (state.clone(), dispatch.clone());
            state.dispatch(SetupAction::LogoutStarted);
            spawn_local(async move {
                state.dispatch(SetupAction::LoggedOut(api::log_out_all().await));
                commands::refresh_status(dispatch).await;
            });
        })
    };

    html! {
        <section class="card" aria-labelledby="login-settings-title">
            <h2 id="login-settings-title">{ "Login" }</h2>
            if let Some(setup) = &state.setup {
                <p class="hint">
                    { "For a SMART_API_M (publisher) account, register this redirect URL in \
                       your SmartAPI app (" }{ setup.where_to_register.clone() }{ "):" }
                </p>
                <div class="actions">
                    <code class="redirect-url" aria-label="Redirect URL">
                        { setup.redirect_url.clone() }
                    </code>
                    <button type="button" onclick={copy}>{ "Copy redirect URL" }</button>
                    if state.copied {
                        <span class="copied" role="status">{ "Copied" }</span>
                    }
                </div>
                <p class="hint">
                    { "Use this address unless your Publisher app must keep another https:// \
                       redirect URL (Angel allows one per app). Then type that one under Edit \
                       beside the account: Halo logs in through a tab and watches for it, but \
                       your server receives the tokens once, so this address is safer." }
                </p>
            }
            <Field id="login-reminder" label="Daily login reminder (IST)" kind="time"
                value={state.reminder.clone()} oninput={on_reminder} />
            <div class="actions">
                <button type="button" onclick={save_reminder}>{ "Save reminder" }</button>
                if state.reminder_saved {
                    <span class="done" role="status">{ "Reminder saved." }</span>
                }
            </div>
            { alert(state.error.as_deref()) }
            <div class="actions">
                <button type="button" onclick={log_out_all} disabled={state.logging_out}>
                    { "Log out all" }
                </button>
                { progress(state.logging_out, "Logging out…") }
            </div>
        </section>
    }
}

async fn copy_text(text: &str) -> Result<(), String> {
    let window = web_sys::window().ok_or("There is no window to copy from.")?;
    JsFuture::from(window.navigator().clipboard().write_text(text))
        .await
        .map(drop)
        .map_err(|_| "The browser did not let Halo copy; select the URL instead.".to_owned())
}

/// Minutes after midnight as `HH:MM`.
fn hh_mm(minutes: u32) -> String {
    format!("{:02}:{:02}", minutes / 60 % 24, minutes % 60)
}

/// `HH:MM` (as a time input gives it) to minutes after midnight.
fn parse_hh_mm(text: &str) -> Option<u32> {
    let (hours, minutes) = text.trim().split_once(':')?;
    let (hours, minutes): (u32, u32) = (hours.parse().ok()?, minutes.get(..2)?.parse().ok()?);
    (hours < 24 && minutes < 60).then_some(hours * 60 + minutes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reminder_times_round_trip() {
        assert_eq!(hh_mm(525), "08:45");
        assert_eq!(parse_hh_mm("08:45"), Some(525));
        assert_eq!(parse_hh_mm("23:59:00"), Some(1439));
        assert_eq!(parse_hh_mm("24:00"), None);
        assert_eq!(parse_hh_mm("8"), None);
        assert_eq!(parse_hh_mm(""), None);
    }
}
