//! Everything the running sandbox holds: its accounts, the instrument master, the sessions it
//! has handed out and the orders it has received. One value shared by every request.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::body::Bytes;
use halo_core::instruments::InstrumentMaster;

use super::accounts::LoginAccount;
use super::clock::shifted_unix_secs;
use super::faults::Faults;
use super::ids::{OrderIds, RandomError, TokenSet};
use super::limits::Limits;
use super::orders::OrderRecord;

/// A logged-in session, found by its JWT.
pub struct Session {
    /// The account it belongs to.
    pub clientcode: String,
    /// The refresh token handed out with the JWT, for generateTokens.
    pub refresh_token: String,
    /// The JWT was expired on request: only generateTokens still takes it.
    pub jwt_expired: bool,
}

/// The sandbox's whole state.
pub struct SandboxState {
    accounts: Vec<LoginAccount>,
    /// The parsed master, for order checks and LTP.
    pub master: InstrumentMaster,
    /// The master's text exactly as loaded, served at Angel's master path.
    pub master_json: Bytes,
    /// How long a valid order stays `open` before it is `complete`.
    pub fill_after: Duration,
    /// Source of order ids.
    pub order_ids: OrderIds,
    /// Seconds the sandbox's clock runs ahead of this machine's (`--clock-offset`).
    pub clock_offset_secs: i64,
    /// Whether requests over Angel's documented rates are refused (`--rate-limits`).
    pub rate_limits: bool,
    /// Each account's recent requests, for the rate limits.
    pub limits: Limits,
    /// Failures armed through `POST /sandbox/faults`.
    pub faults: Faults,
    /// How many times the instrument master was served, so tests can tell a kept copy from a
    /// new download.
    pub master_downloads: AtomicUsize,
    sessions: Mutex<HashMap<String, Session>>,
    orders: Mutex<Vec<OrderRecord>>,
    refreshes: AtomicUsize,
}

impl SandboxState {
    /// A sandbox with no sessions and no orders yet.
    pub fn new(
        accounts: Vec<LoginAccount>,
        master: InstrumentMaster,
        master_json: Bytes,
        fill_after: Duration,
    ) -> Result<SandboxState, RandomError> {
        Ok(SandboxState {
            accounts,
            master,
            master_json,
            fill_after,
            order_ids: OrderIds::random()?,
            clock_offset_secs: 0,
            rate_limits: false,
            limits: Limits::default(),
            faults: Faults::default(),
            master_downloads: AtomicUsize::new(0),
            sessions: Mutex::new(HashMap::new()),
            orders: Mutex::new(Vec::new()),
            refreshes: AtomicUsize::new(0),
        })
    }

    /// The account with this client code.
    pub fn account(&self, clientcode: &str) -> Option<&LoginAccount> {
        self.accounts
            .iter()
            .find(|login| login.account.clientcode == clientcode)
    }

    /// The account whose SmartAPI app has this key.
    pub fn account_by_api_key(&self, api_key: &str) -> Option<&LoginAccount> {
        self.accounts
            .iter()
            .find(|login| login.account.api_key == api_key)
    }

    /// Whether any account uses this API key.
    pub fn knows_api_key(&self, api_key: &str) -> bool {
        self.accounts
            .iter()
            .any(|login| login.account.api_key == api_key)
    }

    /// Opens a session for an account and returns its tokens.
    pub fn open_session(&self, clientcode: &str) -> Result<TokenSet, RandomError> {
        let tokens = TokenSet::random()?;
        let session = Session {
            clientcode: clientcode.to_owned(),
            refresh_token: tokens.refresh.clone(),
            jwt_expired: false,
        };
        self.sessions().insert(tokens.jwt.clone(), session);
        Ok(tokens)
    }

    /// The client code whose session this JWT is, while the JWT is good for calls.
    pub fn session_owner(&self, jwt: &str) -> Option<String> {
        self.sessions()
            .get(jwt)
            .filter(|session| !session.jwt_expired)
            .map(|session| session.clientcode.clone())
    }

    /// The client code whose session this JWT is, expired or not: for generateTokens, which
    /// exists to replace an expired JWT.
    pub fn refreshable_session_owner(&self, jwt: &str) -> Option<String> {
        self.sessions()
            .get(jwt)
            .map(|session| session.clientcode.clone())
    }

    /// Swaps a session's tokens for new ones if the refresh token is the one handed out with
    /// this JWT; the old JWT stops working.
    pub fn refresh_session(
        &self,
        jwt: &str,
        refresh_token: &str,
    ) -> Result<Option<TokenSet>, RandomError> {
        let mut sessions = self.sessions();
        if sessions
            .get(jwt)
            .is_none_or(|s| s.refresh_token != refresh_token)
        {
            return Ok(None);
        }
        let Some(old) = sessions.remove(jwt) else {
            return Ok(None);
        };

        let tokens = TokenSet::random()?;
        let session = Session {
            clientcode: old.clientcode,
            refresh_token: tokens.refresh.clone(),
            jwt_expired: false,
        };
        sessions.insert(tokens.jwt.clone(), session);
        self.refreshes.fetch_add(1, Ordering::Relaxed);
        Ok(Some(tokens))
    }

    /// The sandbox's time now, in Unix seconds: this machine's clock moved by the offset.
    pub fn now_secs(&self) -> u64 {
        shifted_unix_secs(self.clock_offset_secs)
    }

    /// Ends every session, as a new trading day or an expiry on Angel's side would; returns
    /// how many there were.
    ///
    /// With `keep_refresh`, only the JWTs expire: generateTokens can still renew each session,
    /// as Angel allows when a JWT outlives its validity but not its refresh token.
    pub fn expire_sessions(&self, keep_refresh: bool) -> usize {
        let mut sessions = self.sessions();
        let ended = sessions.len();
        if keep_refresh {
            sessions.values_mut().for_each(|s| s.jwt_expired = true);
        } else {
            sessions.clear();
        }
        ended
    }

    /// How many sessions generateTokens has renewed so far.
    pub fn refreshes(&self) -> usize {
        self.refreshes.load(Ordering::Relaxed)
    }

    /// Ends the session this JWT belongs to.
    pub fn close_session(&self, jwt: &str) {
        self.sessions().remove(jwt);
    }

    /// The orders received so far, in arrival order.
    pub fn orders(&self) -> MutexGuard<'_, Vec<OrderRecord>> {
        // A panic while holding the lock leaves the data usable (every change is one push or
        // one insert), so a poisoned lock is taken over rather than failing every request.
        self.orders.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn sessions(&self) -> MutexGuard<'_, HashMap<String, Session>> {
        self.sessions.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
