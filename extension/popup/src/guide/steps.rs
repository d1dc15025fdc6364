//! The five steps of the first-run guide, from choosing a platform to a validated account.
//!
//! The guide draws on the popup's own state and components: the vault forms, the account form
//! and the account list with its Validate button are the ones the popup shows, so the guide
//! never drifts from them. What the trader types in step 3 (the TOTP secret) goes straight
//! into the account form's draft, in memory only, and reaches storage only inside the vault.

use halo_core::totp::{code_at, parse_secret_or_uri};
use halo_extension_shared::chrome;
use halo_extension_shared::messages::{LoginSetup, VaultState};
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::checks;
use super::progress::{self, Platform, Progress, Step};
use super::verdict_line;
use crate::api;
use crate::commands::Dispatch;
use crate::components::{
    AccountFormView, Accounts, CreateVault, SecretField, Settings, UnlockVault, input_text,
};
use crate::state::{AccountField, Action, PopupState};
use crate::totp_panel::{picture, with_all_sites_for_a_moment};

/// Where Angel shows the QR code of a new TOTP secret.
const ENABLE_TOTP_PAGE: &str = "https://smartapi.angelone.in/enable-totp";
/// Angel's SmartAPI pages, under either of its names.
const ANGEL_PAGES: [&str; 2] = [
    "https://smartapi.angelone.in/*",
    "https://smartapi.angelbroking.com/*",
];

/// Props of [`Guide`].
#[derive(Properties, PartialEq)]
pub struct GuideProps {
    /// The popup's state, shared with the options page.
    pub state: PopupState,
    /// Where the reused components send their actions.
    pub dispatch: Dispatch,
}

/// The guide: the list of steps, the current step, Back and Next.
#[function_component(Guide)]
pub fn guide(props: &GuideProps) -> Html {
    let progress = use_state(|| None::<Progress>);
    let setup = use_state(|| None::<LoginSetup>);
    {
        let (progress, setup, dispatch) = (progress.clone(), setup.clone(), props.dispatch.clone());
        use_effect_with((), move |()| {
            spawn_local(async move {
                let kept = progress::load().await;
                choose_platform_in_form(&dispatch, kept.platform);
                progress.set(Some(kept));
                setup.set(api::login_setup().await.ok());
            });
        });
    }
    let go = {
        let (progress, dispatch) = (progress.clone(), props.dispatch.clone());
        Callback::from(move |next: Progress| {
            choose_platform_in_form(&dispatch, next.platform);
            progress.set(Some(next));
            spawn_local(progress::save(next));
        })
    };
    let logged_in = props
        .state
        .status
        .as_ref()
        .is_some_and(|status| status.accounts.iter().any(|a| a.session.is_some()));
    // Saving the account is the end of step 4: the guide moves on by itself.
    {
        let (go, current) = (go.clone(), *progress);
        let saved = props.state.account.progress.saved;
        use_effect_with((saved, logged_in), move |&(saved, logged_in)| {
            if let Some(current) = current {
                if saved && current.step == Step::AddAccount {
                    go.emit(Progress {
                        step: Step::Validate,
                        ..current
                    });
                } else if logged_in && current.step == Step::Validate && !current.done {
                    go.emit(Progress {
                        done: true,
                        ..current
                    });
                }
            }
        });
    }

    let Some(current) = *progress else {
        return html! { <p class="empty">{ "Opening the guide…" }</p> };
    };
    let body = match current.step {
        Step::Platform => platform_step(current, &go),
        Step::CreateApp => html! {
            <CreateAppStep platform={current.platform} setup={(*setup).clone()} />
        },
        Step::EnableTotp => html! {
            <TotpStep platform={current.platform}
                secret={props.state.account.form.totp_secret.clone()}
                dispatch={props.dispatch.clone()} />
        },
        Step::AddAccount => account_step(&props.state, &props.dispatch),
        Step::Validate => validate_step(&props.state, &props.dispatch, current),
    };

    html! {
        <section class="card guide-page" aria-labelledby="guide-title">
            <h1 id="guide-title">{ "Set up Halo with Angel One" }</h1>
            <p class="hint">
                { "Five steps from nothing to a validated account, about five minutes. You can \
                   leave at any step: Halo remembers where you stopped, and nothing you type \
                   here is kept outside the encrypted vault." }
            </p>
            <ol class="guide-steps">
                { for Step::ALL.into_iter().map(|step| step_link(step, current, &go)) }
            </ol>
            <div class="guide-step" role="region" aria-labelledby="step-title">
                <h2 id="step-title">
                    { format!("Step {} of 5: {}", current.step.number(), current.step.title()) }
                </h2>
                { body }
            </div>
            { step_buttons(current, &go) }
        </section>
    }
}

/// Keeps the account form's platform the one chosen in step 1.
fn choose_platform_in_form(dispatch: &Dispatch, platform: Platform) {
    dispatch.dispatch(Action::EditAccount(
        AccountField::Platform,
        platform.as_wire().to_owned(),
    ));
}

fn step_link(step: Step, current: Progress, go: &Callback<Progress>) -> Html {
    let onclick = {
        let go = go.clone();
        Callback::from(move |_: MouseEvent| go.emit(Progress { step, ..current }))
    };
    let here = step == current.step;
    html! {
        <li class={classes!(here.then_some("current"))}>
            <button type="button" class="link" {onclick}
                aria-current={here.then_some("step")}>
                { step.title() }
            </button>
        </li>
    }
}

fn step_buttons(current: Progress, go: &Callback<Progress>) -> Html {
    let to = |step: Option<Step>| {
        step.map(|step| {
            let go = go.clone();
            Callback::from(move |_: MouseEvent| go.emit(Progress { step, ..current }))
        })
    };
    let back = to(current.step.previous());
    let next = to(current.step.next());
    html! {
        <div class="actions guide-buttons">
            if let Some(onclick) = back {
                <button type="button" {onclick}>{ "Back" }</button>
            }
            if let Some(onclick) = next {
                <button type="button" class="primary" {onclick}>{ "Next" }</button>
            }
        </div>
    }
}

fn platform_step(current: Progress, go: &Callback<Progress>) -> Html {
    let choice = |platform: Platform, title: &'static str, words: &'static str| {
        let onchange = {
            let go = go.clone();
            Callback::from(move |_: Event| {
                go.emit(Progress {
                    platform,
                    ..current
                })
            })
        };
        let id = format!("platform-{}", platform.as_wire());
        html! {
            <div class="choice">
                <input type="radio" name="platform" id={id.clone()} {onchange}
                    checked={current.platform == platform} />
                <label for={id}><strong>{ title }</strong>{ " " }{ words }</label>
            </div>
        }
    };
    html! {
        <fieldset class="platforms">
            <legend>{ "Angel offers two ways for an app to log in:" }</legend>
            { choice(Platform::SmartApi, "SMART_API (direct login).",
                "Halo keeps your client code, MPIN and TOTP secret in its encrypted vault and \
                 logs in with one click, even from the morning reminder. The trade-off: those \
                 three live on this computer, protected by your passphrase.") }
            { choice(Platform::SmartApiM, "SMART_API_M (publisher login).",
                "Halo keeps only the API key. Each day you type your client code, PIN and TOTP \
                 on Angel's own login page, and Halo takes the session it hands back. The \
                 trade-off: a browser login every day and no unattended login, but nothing to \
                 steal beyond the key.") }
        </fieldset>
    }
}

/// Props of [`CreateAppStep`].
#[derive(Properties, PartialEq)]
struct CreateAppProps {
    platform: Platform,
    setup: Option<LoginSetup>,
}

/// Step 2: the fields of Angel's Create-App form, with Halo's values to copy.
#[function_component(CreateAppStep)]
fn create_app_step(props: &CreateAppProps) -> Html {
    let app_name = use_state(String::new);
    let static_ip = use_state(String::new);
    let copied = use_state(|| None::<&'static str>);
    let redirect = props
        .setup
        .as_ref()
        .map(|setup| setup.redirect_url.clone())
        .unwrap_or_default();
    let extension_id = chrome::extension_id().unwrap_or_default();
    let copy = |what: &'static str, text: String| {
        let copied = copied.clone();
        Callback::from(move |_: MouseEvent| {
            let (copied, text) = (copied.clone(), text.clone());
            spawn_local(async move {
                if copy_text(&text).await {
                    copied.set(Some(what));
                }
            });
        })
    };
    let typed = |handle: &UseStateHandle<String>| {
        let handle = handle.clone();
        Callback::from(move |event: InputEvent| handle.set(input_text(event)))
    };
    let (api_type, redirect_words) = match props.platform {
        Platform::SmartApi => (
            "Trading APIs",
            "Angel asks for one; a direct login never uses it, so Halo's is as good as any.",
        ),
        Platform::SmartApiM => (
            "Publisher APIs",
            "Angel sends you back here after each login; it must be exactly this address.",
        ),
    };

    html! {
        <>
            <p>
                { "Sign in at " }
                <a href="https://smartapi.angelone.in/" target="_blank" rel="noopener">
                    { "smartapi.angelone.in" }
                </a>
                { ", open My Apps and choose Create an app. Fill the form like this:" }
            </p>
            <dl class="portal-fields">
                <dt>{ "API type" }</dt>
                <dd><strong class="api-type">{ api_type }</strong></dd>

                <dt><label for="guide-app-name">{ "App name" }</label></dt>
                <dd>
                    <input id="guide-app-name" value={(*app_name).clone()}
                        oninput={typed(&app_name)} placeholder="HaloDesk" spellcheck="false"
                        autocomplete="off" />
                    { verdict_line(checks::app_name(&app_name)) }
                    <p class="hint">{ "Any name without spaces, up to 20 characters." }</p>
                </dd>

                <dt>{ "Redirect URL" }</dt>
                <dd>
                    <div class="actions">
                        <code class="redirect-url" aria-label="Halo's redirect URL">
                            { redirect.clone() }
                        </code>
                        <button type="button" onclick={copy("redirect", redirect)}>
                            { "Copy redirect URL" }
                        </button>
                        if *copied == Some("redirect") {
                            <span class="copied" role="status">{ "Copied" }</span>
                        }
                    </div>
                    <p class="hint">{ redirect_words }</p>
                </dd>

                <dt><label for="guide-static-ip">{ "Static IP" }</label></dt>
                <dd>
                    <input id="guide-static-ip" value={(*static_ip).clone()}
                        oninput={typed(&static_ip)} placeholder="203.0.113.7"
                        inputmode="decimal" autocomplete="off" />
                    { verdict_line(checks::static_ip(&static_ip)) }
                    <p class="hint">
                        { "The public IP address of the machine that will send your orders: \
                           Angel accepts orders only from the IP registered on the key \
                           (AG7002 otherwise). A home connection's address usually changes; \
                           a server running the Halo companion keeps one. Logins and prices \
                           work from anywhere." }
                    </p>
                </dd>

                <dt>{ "Postback URL, client ID" }</dt>
                <dd>{ "Optional: leave them empty." }</dd>
            </dl>
            <p>
                { "Create the app and keep its API key at hand: you paste it in step 4. \
                   For reference, Halo's extension id is " }
                <code class="extension-id">{ extension_id.clone() }</code>
                { " " }
                <button type="button" class="link" onclick={copy("id", extension_id)}>
                    { "Copy extension id" }
                </button>
                if *copied == Some("id") {
                    <span class="copied" role="status">{ "Copied" }</span>
                }
            </p>
        </>
    }
}

/// Props of [`TotpStep`].
#[derive(Properties, PartialEq)]
struct TotpProps {
    platform: Platform,
    /// The account form's TOTP secret, as typed or captured.
    secret: String,
    dispatch: Dispatch,
}

/// Step 3: enable TOTP, read its QR code from Angel's page, and show the first code.
#[function_component(TotpStep)]
fn totp_step(props: &TotpProps) -> Html {
    let capture = use_state(|| CaptureState::Idle);
    // Redrawn every second so the code shown is the current one.
    let now_secs = use_state(now_unix_secs);
    {
        let now_secs = now_secs.clone();
        use_effect_with((), move |()| {
            let tick = gloo_timers::callback::Interval::new(1_000, move || {
                now_secs.set(now_unix_secs());
            });
            move || drop(tick)
        });
    }
    if props.platform == Platform::SmartApiM {
        return html! {
            <>
                <p>
                    { "With publisher login you type the TOTP on Angel's page each day, from \
                       the authenticator app you use. Halo needs no TOTP secret for it." }
                </p>
                <p>
                    { "If TOTP is not on yet, enable it at " }
                    <a href={ENABLE_TOTP_PAGE} target="_blank" rel="noopener">
                        { "Angel's enable-TOTP page" }
                    </a>
                    { " and scan its QR code with your authenticator app, or add it to Halo's \
                       TOTP entries in the popup to have Halo show the code. Then press Next." }
                </p>
            </>
        };
    }

    let open_page = Callback::from(|_: MouseEvent| {
        spawn_local(async {
            // Failing to open the window leaves the link below, which does the same.
            let _ = chrome::open_window(ENABLE_TOTP_PAGE).await;
        });
    });
    let read_qr = {
        let (capture, dispatch) = (capture.clone(), props.dispatch.clone());
        Callback::from(move |_: MouseEvent| {
            let (capture, dispatch) = (capture.clone(), dispatch.clone());
            capture.set(CaptureState::Reading);
            // The guide is a tab of its own: no toolbar click ever granted it `activeTab`, so
            // the browser is asked for every site at once, within the click as Firefox requires.
            let request = chrome::AllSitesRequest::start();
            spawn_local(async move {
                let captured = match request {
                    Ok(request) => {
                        let picture = chrome::capture_window_showing(&ANGEL_PAGES);
                        with_all_sites_for_a_moment(request, picture).await
                    }
                    Err(error) => Err(error),
                };
                let text = match captured {
                    Ok(data_url) => picture::read_url(&data_url).await,
                    Err(error) => Err(format!(
                        "Halo could not see Angel's page ({error}). Open it with the button \
                         above, sign in until the QR code shows, then press Read QR again; \
                         or paste the secret below."
                    )),
                };
                match text {
                    Ok(text) => {
                        dispatch.dispatch(Action::EditAccount(AccountField::TotpSecret, text));
                        capture.set(CaptureState::Read);
                    }
                    Err(error) => capture.set(CaptureState::Failed(error)),
                }
            });
        })
    };
    let on_secret = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |event: InputEvent| {
            dispatch.dispatch(Action::EditAccount(
                AccountField::TotpSecret,
                input_text(event),
            ));
        })
    };
    let verdict = checks::totp_secret(&props.secret);
    let first_code = first_code(&props.secret, *now_secs);

    html! {
        <>
            <ol class="substeps">
                <li>
                    <button type="button" onclick={open_page}>
                        { "Open Angel's enable-TOTP page" }
                    </button>
                    { " (in a window of its own; or go to " }
                    <a href={ENABLE_TOTP_PAGE} target="_blank" rel="noopener">
                        { "smartapi.angelone.in/enable-totp" }
                    </a>
                    { ")." }
                </li>
                <li>{ "Sign in there with your client code and PIN, and the one-time password \
                       Angel sends to your phone or e-mail. Angel then shows a QR code." }</li>
                <li>
                    { "With the QR code on screen, " }
                    <button type="button" class="primary" onclick={read_qr}
                        disabled={*capture == CaptureState::Reading}>
                        { "Read QR from Angel's page" }
                    </button>
                    { " The browser may ask to let Halo see the page for a moment." }
                </li>
            </ol>
            if let CaptureState::Failed(error) = &*capture {
                <p class="error" role="alert">{ error.clone() }</p>
            }
            if *capture == CaptureState::Read {
                <p class="done" role="status">{ "Read the secret from the QR code." }</p>
            }
            <SecretField id="guide-totp-secret"
                label="TOTP secret" value={props.secret.clone()} oninput={on_secret} />
            <p class="hint">
                { "Or paste the text shown under the QR code (the secret, not the 6-digit \
                   code)." }
            </p>
            { verdict_line(verdict) }
            if let Some((code, seconds_left)) = first_code {
                <p class="first-code">
                    { "Halo's code now: " }
                    <strong class="code" aria-label="First code">{ code }</strong>
                    { format!(" ({seconds_left} s left). Angel's page asks for this code to \
                               finish enabling TOTP: they must match.") }
                </p>
            }
        </>
    }
}

/// Where reading the QR code stands.
#[derive(Clone, PartialEq)]
enum CaptureState {
    Idle,
    Reading,
    Read,
    Failed(String),
}

/// The current code for `secret` on this computer's clock, with its seconds left.
fn first_code(secret: &str, now_secs: u64) -> Option<(String, u64)> {
    let parsed = parse_secret_or_uri(secret).ok()?;
    let code = code_at(&parsed.secret, &parsed.params, now_secs).ok()?;
    Some((code.code, code.seconds_left))
}

fn now_unix_secs() -> u64 {
    // Milliseconds since 1970 are positive and far below 2^53.
    (js_sys::Date::now() / 1000.0) as u64
}

fn account_step(state: &PopupState, dispatch: &Dispatch) -> Html {
    let vault = state.status.as_ref().map(|status| status.vault);
    let endpoint = state
        .status
        .as_ref()
        .map(|status| status.endpoint.clone())
        .unwrap_or_default();
    match vault {
        None => html! { <p class="empty">{ "Asking Halo's background worker…" }</p> },
        Some(VaultState::Missing) => html! {
            <>
                <p>
                    { "First, a vault: Halo keeps the account encrypted with a passphrase only \
                       you know. Choose a long one; it cannot be recovered." }
                </p>
                <CreateVault draft={state.vault.clone()} dispatch={dispatch.clone()} />
            </>
        },
        Some(VaultState::Locked) => html! {
            <UnlockVault draft={state.vault.clone()} dispatch={dispatch.clone()} />
        },
        Some(VaultState::Unlocked) => html! {
            <>
                <AccountFormView draft={state.account.clone()} dispatch={dispatch.clone()} />
                <details class="card folded">
                    <summary>{ "Rehearsing against halo sandbox?" }</summary>
                    <p class="hint">
                        { "Point Halo at a local sandbox before validating; see README." }
                    </p>
                    <Settings current={endpoint} draft={state.endpoint.clone()}
                        dispatch={dispatch.clone()} />
                </details>
            </>
        },
    }
}

fn validate_step(state: &PopupState, dispatch: &Dispatch, current: Progress) -> Html {
    let Some(status) = state
        .status
        .as_ref()
        .filter(|s| s.vault == VaultState::Unlocked)
    else {
        return html! {
            <p>{ "Unlock Halo (step 4) to validate your account." }</p>
        };
    };
    let what = match current.platform {
        Platform::SmartApi => {
            "Press Validate: Halo logs in and says separately whether Angel accepts the API \
             key, the client code and MPIN, and the TOTP. Anything wrong comes with its fix."
        }
        Platform::SmartApiM => {
            "Press Validate to check the key and see the redirect URL Angel must use, then Log \
             in: Angel's page opens, you type your client code, PIN and TOTP there, and Halo \
             takes the session when Angel sends you back."
        }
    };
    html! {
        <>
            <p>{ what }</p>
            <Accounts accounts={status.accounts.clone()} codes={state.codes.clone()}
                logins={state.logins.clone()} dispatch={dispatch.clone()} />
            if current.done {
                <div class="done-box" role="status">
                    <p><strong>{ "You are set up." }</strong>{ " Halo is logged in to Angel One. \
                        Each morning, open Halo and press Log in (or let the reminder do it)." }
                    </p>
                    <p>
                        <a href="#troubleshooting">{ "Troubleshooting" }</a>{ " · " }
                        <a href="#security">{ "What Halo keeps, and how" }</a>
                    </p>
                </div>
            }
        </>
    }
}

async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else {
        return false;
    };
    wasm_bindgen_futures::JsFuture::from(window.navigator().clipboard().write_text(text))
        .await
        .is_ok()
}
