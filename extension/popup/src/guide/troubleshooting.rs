//! The troubleshooting page: one entry per symptom, as Angel words it, with its causes, what
//! Halo has already ruled out, and the fix.
//!
//! Every failure the worker links to an entry ([`Trouble`]) opens this page at the entry's
//! anchor. The match in [`text`] is exhaustive, so a new entry cannot ship without its words.

use halo_extension_shared::messages::LoginSetup;
use halo_extension_shared::trouble::Trouble;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::api;

/// The words of one entry.
struct EntryText {
    /// The symptom, as the trader sees it.
    symptom: &'static str,
    /// What can cause it.
    causes: &'static [&'static str],
    /// What Halo has already checked or ruled out.
    checked: &'static [&'static str],
    /// What to do.
    fixes: &'static [&'static str],
}

fn text(entry: Trouble) -> EntryText {
    match entry {
        Trouble::Ab1007 => EntryText {
            symptom: "\u{201c}Invalid user id or password\u{201d} (AB1007)",
            causes: &[
                "The MPIN is wrong: Angel wants the 4-digit PIN of the Angel One app, not a web \
                 password.",
                "The client code is mistyped, or is not the one the API key's app was made for.",
                "The API key has expired: Angel drops a key unused for a year and then answers \
                 logins this way.",
                "TOTP was enabled for another client code than this one.",
            ],
            checked: &[
                "Validate asks Angel about the API key before the client code and MPIN: when it \
                 marks the API key accepted, the key itself is not refused.",
                "Halo removes spaces and line breaks around the client code, MPIN and key, and \
                 sends the client code in capitals.",
            ],
            fixes: &[
                "Press Edit on the account and type the MPIN again (a blank field keeps the \
                 stored one), then Validate.",
                "If the key has not been used for months, create a new one in your SmartAPI \
                 app and use Rotate now on the account.",
            ],
        },
        Trouble::Ab1050 => EntryText {
            symptom: "\u{201c}Invalid totp\u{201d} (AB1050)",
            causes: &[
                "The TOTP secret saved in Halo is not the one Angel holds: copied from an older \
                 QR code, or with a character changed.",
                "This computer's clock is off, so the code belongs to another 30-second step.",
                "A code sent in its last seconds reached Angel after it had changed.",
            ],
            checked: &[
                "Halo measures this computer's clock against Angel's and corrects every code \
                 for the difference (shown below when the vault is unlocked).",
                "Halo never sends a code with under 3 seconds left; it waits for the next one.",
                "Validate shows the code Halo made, so it can be compared with an authenticator \
                 app holding the same secret.",
            ],
            fixes: &[
                "If your authenticator app shows another code than Halo, the secret in Halo is \
                 wrong: open Angel's enable-TOTP page, capture the QR code again, and save it \
                 with Edit → New TOTP secret.",
                "If you enabled TOTP again since you saved the secret, the old secret no longer \
                 works: save the new one.",
            ],
        },
        Trouble::ApiKey => EntryText {
            symptom: "The API key is refused (AG8004, \u{201c}Invalid API Key\u{201d})",
            causes: &["The key is mistyped, belongs to an app that was deleted, or has expired."],
            checked: &["Halo sends the key exactly as saved, without surrounding spaces."],
            fixes: &[
                "Copy the key again from smartapi.angelone.in → My Apps, and save it with \
                 Rotate now on the account.",
            ],
        },
        Trouble::Ab1006 => EntryText {
            symptom: "\u{201c}Client is blocked for trading\u{201d} (AB1006)",
            causes: &[
                "Angel One has blocked this client code: pending KYC or documents, a dormant \
                 account, or a compliance hold.",
            ],
            checked: &[
                "Angel accepted the API key, the client code and the MPIN: nothing saved in \
                 Halo is wrong.",
            ],
            fixes: &[
                "Contact Angel One support or log in to the Angel One app to see why; Halo \
                 cannot lift the block.",
            ],
        },
        Trouble::Ag7002 => EntryText {
            symptom: "Orders refused: static IP (AG7002) or Angel's \u{201c}Request \
                      Rejected\u{201d} page",
            causes: &[
                "Under SEBI's rules for retail algorithmic trading, Angel accepts API orders \
                 only from the static IP registered on the API key; this connection has \
                 another address.",
                "Angel's firewall blocked the request for another reason (its page shows a \
                 support ID).",
            ],
            checked: &[
                "The login and the reads before the order worked: the key and session are fine; \
                 only orders are held to the registered IP.",
                "Halo did not send the order again.",
            ],
            fixes: &[
                "Send orders through the Halo companion on the machine whose IP is registered \
                 (Settings → Companion in the popup).",
                "Or register this connection's public IP in your SmartAPI app, if it is fixed.",
                "If Angel's firewall page appeared for anything else, quote its support ID to \
                 Angel One.",
            ],
        },
        Trouble::RateLimit => EntryText {
            symptom: "\u{201c}Access denied because of exceeding access rate\u{201d}",
            causes: &[
                "Too many requests in a second from this API key: Angel limits each route \
                 (logins, orders, quotes) separately.",
            ],
            checked: &[
                "The request was not carried out and Halo did not retry it behind your back: \
                 an order was NOT placed.",
            ],
            fixes: &[
                "Wait a few seconds and try again.",
                "Stop other programs that use the same API key at the same time.",
            ],
        },
        Trouble::SessionExpired => EntryText {
            symptom: "\u{201c}Invalid Token\u{201d} or session expired (AG8001, AG8002, \
                      AB1010, AB1011)",
            causes: &[
                "Angel's sessions end with the trading day, on logout, or when the key is \
                 rotated.",
            ],
            checked: &[
                "When it had a refresh token, Halo tried to renew the session once.",
                "Halo re-sent nothing: an order that failed this way was not placed.",
            ],
            fixes: &[
                "Press Log in. The daily login reminder (Settings → Login) can prompt you each \
                 morning.",
            ],
        },
        Trouble::RedirectUrl => EntryText {
            symptom: "Publisher login comes back without a session (Angel shows \
                      /publisher-login/undefined, or the login window fails)",
            causes: &[
                "The Publisher app has no redirect URL registered, or another one than Halo \
                 waits for.",
            ],
            checked: &[
                "Halo opened Angel's page with the app's key and a fresh state, and waited for \
                 Angel to send the browser to the redirect URL.",
            ],
            fixes: &[
                "Register exactly Halo's redirect URL (below) in smartapi.angelone.in → My \
                 Apps → your Publisher app, then log in again.",
                "If the app must keep an HTTPS address of your own, leave it registered and \
                 type it on the account (Edit → Your app's redirect URL): Halo then logs in \
                 in a tab and takes the tokens when the tab reaches that address.",
            ],
        },
        Trouble::PublisherKey => EntryText {
            symptom: "The publisher page refuses the key (HTTP 403)",
            causes: &["The key belongs to a Trading app; publisher login needs a Publisher app."],
            checked: &["Halo asked Angel's publisher page about this key before opening it."],
            fixes: &[
                "Create a Publisher app on smartapi.angelone.in and save its key, or add the \
                 account as SMART_API (direct login with MPIN and TOTP).",
            ],
        },
        Trouble::StateMismatch => EntryText {
            symptom: "\u{201c}The state did not match\u{201d}",
            causes: &[
                "An answer from a login Halo did not start: an old login tab, two logins at \
                 once, or a link made by someone else.",
            ],
            checked: &["Halo compared the answer's state with its own and kept nothing."],
            fixes: &["Close other Angel login tabs and press Log in again."],
        },
        Trouble::Unreachable => EntryText {
            symptom: "Halo could not reach Angel (or the sandbox)",
            causes: &[
                "No internet connection, a firewall or VPN in the way, or, when rehearsing, \
                 \"halo sandbox\" is not running.",
            ],
            checked: &["Nothing reached the server, so nothing was carried out."],
            fixes: &[
                "Check the connection and try again. When rehearsing, start \"halo sandbox\" and \
                 check Settings → Endpoint.",
            ],
        },
    }
}

/// What Halo measured that some entries show: the clock offset and its redirect URL.
#[derive(Clone, Default, PartialEq)]
struct Measured {
    clock_offset_secs: Option<i64>,
    setup: Option<LoginSetup>,
}

/// Props of [`Troubleshooting`].
#[derive(Properties, PartialEq)]
pub struct TroubleshootingProps {
    /// The entry the page was opened at, highlighted.
    pub focus: Option<Trouble>,
}

/// The whole troubleshooting page.
#[function_component(Troubleshooting)]
pub fn troubleshooting(props: &TroubleshootingProps) -> Html {
    let measured = use_state(Measured::default);
    {
        let measured = measured.clone();
        use_effect_with((), move |()| {
            spawn_local(async move {
                // Codes come only from an unlocked vault; locked, the offset stays unknown.
                let clock_offset_secs = api::codes()
                    .await
                    .ok()
                    .and_then(|codes| codes.first().map(|code| code.clock_offset_secs));
                let setup = api::login_setup().await.ok();
                measured.set(Measured {
                    clock_offset_secs,
                    setup,
                });
            });
        });
    }

    html! {
        <section class="card guide-page" aria-labelledby="troubleshooting-title">
            <h1 id="troubleshooting-title">{ "Troubleshooting" }</h1>
            <p class="hint">
                { "Find the message Halo showed. Each entry says what Halo has already checked, \
                   so you only look at what is left." }
            </p>
            <ul class="symptoms">
                { for Trouble::ALL.into_iter().map(|entry| html! {
                    <li><a href={format!("#{}", entry.anchor())}>{ text(entry).symptom }</a></li>
                }) }
            </ul>
            { for Trouble::ALL.into_iter().map(|entry| {
                entry_view(entry, props.focus == Some(entry), &measured)
            }) }
        </section>
    }
}

fn entry_view(entry: Trouble, focused: bool, measured: &Measured) -> Html {
    let words = text(entry);
    let list = |items: &'static [&'static str]| {
        html! { <ul>{ for items.iter().map(|item| html! { <li>{ *item }</li> }) }</ul> }
    };
    html! {
        <article id={entry.anchor()} class={classes!("trouble", focused.then_some("focused"))}
            aria-labelledby={format!("{}-title", entry.anchor())}>
            <h2 id={format!("{}-title", entry.anchor())}>{ words.symptom }</h2>
            <h3>{ "Why it happens" }</h3>
            { list(words.causes) }
            <h3>{ "What Halo already checked" }</h3>
            { list(words.checked) }
            { measured_line(entry, measured) }
            <h3>{ "How to fix it" }</h3>
            { list(words.fixes) }
        </article>
    }
}

/// The live figure an entry refers to: the measured clock offset, Halo's redirect URL.
fn measured_line(entry: Trouble, measured: &Measured) -> Html {
    match entry {
        Trouble::Ab1050 => {
            let words = match measured.clock_offset_secs {
                Some(0) => "Measured: this computer's clock agrees with Angel's.".to_owned(),
                Some(offset) => format!(
                    "Measured: this computer's clock is {} s {} Angel's; Halo corrects for it.",
                    offset.unsigned_abs(),
                    if offset < 0 { "ahead of" } else { "behind" }
                ),
                None => {
                    "Unlock Halo and press Validate to measure this computer's clock.".to_owned()
                }
            };
            html! { <p class="measured" role="status">{ words }</p> }
        }
        Trouble::RedirectUrl => match &measured.setup {
            Some(setup) => html! {
                <p class="measured">
                    { "Halo's redirect URL: " }
                    <code class="redirect-url">{ setup.redirect_url.clone() }</code>
                </p>
            },
            None => html! {},
        },
        _ => html! {},
    }
}
