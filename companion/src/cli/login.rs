//! `halo login`: a SmartAPI session for an account of the companion's vault, kept for
//! `halo orders` and `halo order`.

use anyhow::{Context, bail};
use halo_core::session::Session;
use halo_core::smartapi::{self, ApiError, Endpoint, wire};
use halo_core::totp::{self, clock_offset_secs, server_unix_secs};
use halo_core::vault::{Account, Platform};
use zeroize::Zeroizing;

use super::{http, store};

mod daily;

/// Where to log in: Angel, or a loopback sandbox.
#[derive(Debug, clap::Args)]
pub struct EndpointArg {
    /// Angel (the default) or a sandbox on this machine, e.g. http://127.0.0.1:8787
    #[arg(long, value_name = "URL")]
    pub endpoint: Option<String>,
}

impl EndpointArg {
    /// The endpoint asked for, or `fallback` (the session's), or Angel.
    pub fn resolve(&self, fallback: Option<&str>) -> anyhow::Result<Endpoint> {
        let text = self.endpoint.as_deref().or(fallback).unwrap_or("angel");
        Ok(Endpoint::parse(text)?)
    }
}

/// Arguments of `halo login`.
#[derive(Debug, clap::Args)]
pub struct LoginArgs {
    /// The account (label or client code); may be left out when the vault has one
    pub account: Option<String>,
    #[command(flatten)]
    endpoint: EndpointArg,
    /// Stay running and log in each trading day (Monday to Friday) at this time, India
    /// Standard Time, e.g. 08:45
    #[arg(long, value_name = "HH:MM", value_parser = daily::parse_ist_minutes)]
    pub daily: Option<u32>,
}

/// Logs in and keeps the session; with `--daily`, every trading day.
pub fn run(args: LoginArgs) -> anyhow::Result<()> {
    let contents = store::open_vault(&store::load_vault()?)?;
    let account = store::pick_account(&contents, args.account.as_deref())?;
    let endpoint = args.endpoint.resolve(None)?;
    if let Some(at_ist_minutes) = args.daily {
        return daily::run(account, &endpoint, at_ist_minutes);
    }

    let session = log_in(account, &endpoint)?;
    store::save_session(&account.id, &endpoint, &session)?;
    println!(
        "Logged in {} ({}) at {}",
        session.client_code,
        session.name,
        endpoint.root()
    );
    Ok(())
}

/// The vault's account and a session for it: the kept one, or `halo login`'s advice.
pub fn account_and_session(
    account: Option<&str>,
    endpoint: &EndpointArg,
) -> anyhow::Result<(Account, Endpoint, Session)> {
    let contents = store::open_vault(&store::load_vault()?)?;
    let account = store::pick_account(&contents, account)?.clone();
    let stored = store::load_session(&account.id)?.with_context(|| {
        format!(
            "{} is not logged in; run `halo login {}` first",
            account.label, account.label
        )
    })?;
    let endpoint = endpoint.resolve(Some(&stored.endpoint))?;
    if endpoint.root() != stored.endpoint {
        bail!(
            "{} is logged in at {}, not {}; run `halo login` with that --endpoint",
            account.label,
            stored.endpoint,
            endpoint.root()
        );
    }
    if stored.session.needs_login(store::now_ms()) {
        bail!(
            "{}'s session is over; run `halo login {}`",
            account.label,
            account.label
        );
    }
    Ok((account, endpoint, stored.session))
}

/// Direct login (client code, MPIN, TOTP), then the profile for the holder's name.
pub(super) fn log_in(account: &Account, endpoint: &Endpoint) -> anyhow::Result<Session> {
    if account.platform == Platform::SmartApiM {
        bail!(
            "{} uses Angel's publisher login, which needs a browser window; log in from the \
             Halo extension",
            account.label
        );
    }

    // One retry, and only when Angel's own clock shows ours was the cause: a wrong secret must
    // not loop.
    let tokens = match try_login(account, endpoint, 0)? {
        Ok(tokens) => tokens,
        Err((error, Some(offset))) if error.code() == Some("AB1050") && offset.abs() >= 15 => {
            eprintln!(
                "Your clock is {} s off Angel's; trying once more with Angel's time",
                offset
            );
            try_login(account, endpoint, offset)?.map_err(|(error, _)| error)?
        }
        Err((error, _)) => return Err(error.into()),
    };

    let request = smartapi::profile(endpoint, &account.api_key, &tokens.jwt_token);
    let profile: wire::Profile = smartapi::decode(&http::send(&request)?.response)?;
    Ok(Session {
        client_code: account.client_code.clone(),
        name: profile.name,
        jwt_token: Zeroizing::new(String::clone(&tokens.jwt_token)),
        refresh_token: Zeroizing::new(String::clone(&tokens.refresh_token)),
        feed_token: Zeroizing::new(String::clone(&tokens.feed_token)),
        obtained_at_unix_ms: store::now_ms(),
    })
}

/// One `loginByPassword` with the code for our clock plus `offset_secs`. Angel's refusal comes
/// back with the clock offset its `Date` header showed.
type Attempt = Result<wire::TokenSet, (ApiError, Option<i64>)>;

fn try_login(account: &Account, endpoint: &Endpoint, offset_secs: i64) -> anyhow::Result<Attempt> {
    let secret = account.totp_secret()?;
    let wait = totp::seconds_to_wait_before_login(
        &account.totp,
        server_unix_secs(store::now_ms(), offset_secs),
    );
    if wait > 0 {
        // A code about to roll over may reach Angel after it has expired.
        std::thread::sleep(std::time::Duration::from_secs(wait));
    }
    let code = totp::code_at(
        &secret,
        &account.totp,
        server_unix_secs(store::now_ms(), offset_secs),
    )?;
    let request = smartapi::login(
        endpoint,
        &account.api_key,
        &account.client_code,
        &account.mpin,
        &code.code,
    );
    let sent_ms = store::now_ms();
    let fetched = http::send(&request)?;
    let measured = fetched
        .date
        .as_deref()
        .and_then(|date| clock_offset_secs(sent_ms, date));
    Ok(smartapi::decode(&fetched.response).map_err(|error| (error, measured)))
}
