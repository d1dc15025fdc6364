//! Angel's publisher login, as the sandbox plays it.
//!
//! A Publisher app sends the trader's browser to `/publisher-login?api_key=KEY&state=S`. The
//! page asks for client code, PIN and TOTP; when they are right, it redirects to the redirect
//! URL registered for the app with `auth_token`, `feed_token` and the `state` it was given. As
//! on Angel: a Trading app's key gets 403, and an app with no redirect URL is sent to
//! `/publisher-login/undefined`, tokens and all.

use std::sync::Arc;

use axum::Form;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use serde::Deserialize;

use super::accounts::{AppKind, LoginAccount};
use super::login::totp_accepted;
use super::state::SandboxState;

/// Where the publisher page lives, under the sandbox's root as under `smartapi.angelone.in`.
pub const PUBLISHER_LOGIN_PATH: &str = "/publisher-login";
/// Where Angel sends the browser when the app has no redirect URL registered.
pub const UNDEFINED_REDIRECT_PATH: &str = "/publisher-login/undefined";

/// The query string the page is opened with.
#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    api_key: String,
    #[serde(default)]
    state: String,
}

/// What the page's form posts. `Debug` is not derived: it carries the PIN and TOTP.
#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    api_key: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    clientcode: String,
    #[serde(default)]
    pin: String,
    #[serde(default)]
    totp: String,
}

/// GET the login page for an app key.
pub async fn page(
    State(state): State<Arc<SandboxState>>,
    Query(query): Query<PageQuery>,
) -> Response {
    if let Err(why) = publisher_app(&state, &query.api_key) {
        return forbidden(why);
    }
    Html(form_page(&query.api_key, &query.state, None)).into_response()
}

/// POST the form: on success a 302 to the app's redirect URL with the tokens, else the page
/// again with Angel-like words about what was wrong.
pub async fn submit(
    State(state): State<Arc<SandboxState>>,
    Form(form): Form<LoginForm>,
) -> Response {
    let app = match publisher_app(&state, &form.api_key) {
        Ok(app) => app,
        Err(why) => return forbidden(why),
    };
    let again = |problem: &str| Html(form_page(&form.api_key, &form.state, Some(problem)));

    let clientcode = form.clientcode.trim().to_ascii_uppercase();
    let pin_ok = app.account.clientcode == clientcode && app.account.mpin == form.pin.trim();
    if !pin_ok {
        tracing::warn!(%clientcode, "publisher login refused: client code or PIN");
        return again("Invalid client code or PIN.").into_response();
    }
    if !totp_accepted(&app.secret, form.totp.trim(), state.now_secs()) {
        tracing::warn!(%clientcode, "publisher login refused: TOTP");
        return again("Invalid TOTP.").into_response();
    }

    let Ok(tokens) = state.open_session(&clientcode) else {
        return again("Something went wrong, please try after sometime.").into_response();
    };
    let base = if app.account.redirect_url.is_empty() {
        // What Angel's page does when the app has no redirect URL: its script builds the
        // address from an unset value.
        UNDEFINED_REDIRECT_PATH.to_owned()
    } else {
        app.account.redirect_url.clone()
    };
    let query = form_urlencoded::Serializer::new(String::new())
        .append_pair("auth_token", &tokens.jwt)
        .append_pair("feed_token", &tokens.feed)
        .append_pair("state", &form.state)
        .finish();
    let separator = if base.contains('?') { '&' } else { '?' };
    let location = format!("{base}{separator}{query}");
    tracing::info!(%clientcode, "publisher login accepted");

    match HeaderValue::from_str(&location) {
        Ok(location) => (StatusCode::FOUND, [(header::LOCATION, location)]).into_response(),
        Err(_) => again("The app's redirect URL is not a valid address.").into_response(),
    }
}

/// GET `/publisher-login/undefined`: the dead end a missing redirect URL leads to.
pub async fn undefined() -> Response {
    let body = page_shell(
        "Page not found",
        "<p>This page does not exist. (The app has no redirect URL registered.)</p>",
    );
    (StatusCode::NOT_FOUND, Html(body)).into_response()
}

/// The Publisher app this key belongs to, or why Angel would refuse the page: a Trading app's
/// key, or a key nobody registered.
fn publisher_app<'a>(
    state: &'a SandboxState,
    api_key: &str,
) -> Result<&'a LoginAccount, &'static str> {
    match state.account_by_api_key(api_key) {
        Some(app) if app.account.platform == AppKind::Publisher => Ok(app),
        Some(_) => Err("the key belongs to a Trading app"),
        None => Err("unknown API key"),
    }
}

/// The 403 page Angel shows for a key its publisher login does not take.
fn forbidden(why: &str) -> Response {
    tracing::warn!("publisher page refused: {why}");
    let body = page_shell("403 Forbidden", "<p>Access to this page is forbidden.</p>");
    (StatusCode::FORBIDDEN, Html(body)).into_response()
}

fn form_page(api_key: &str, state: &str, problem: Option<&str>) -> String {
    let problem = problem
        .map(|text| format!(r#"<p class="error" role="alert">{}</p>"#, escape(text)))
        .unwrap_or_default();
    let body = format!(
        r#"<h1>Login to SmartAPI</h1>
{problem}
<form method="post" action="{PUBLISHER_LOGIN_PATH}">
<input type="hidden" name="api_key" value="{api_key}">
<input type="hidden" name="state" value="{state}">
<label>Client code <input name="clientcode" autocomplete="username"></label>
<label>PIN <input name="pin" type="password" inputmode="numeric"></label>
<label>TOTP <input name="totp" inputmode="numeric" autocomplete="one-time-code"></label>
<button type="submit">Login</button>
</form>"#,
        api_key = escape(api_key),
        state = escape(state),
    );
    page_shell("SmartAPI login (Halo sandbox)", &body)
}

fn page_shell(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>body{{font:15px system-ui;margin:2em}}label{{display:block;margin:.6em 0}}\
         .error{{color:#b00020}}</style></head><body>{body}</body></html>"
    )
}

/// Escapes text for an HTML attribute or element: `state` comes from the URL and is echoed.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echoed_state_cannot_break_out_of_the_attribute() {
        let page = form_page("key", r#""><script>x</script>"#, None);
        assert!(page.contains(r#"value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;""#));
        assert!(!page.contains("<script>"));
    }
}
