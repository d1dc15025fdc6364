//! The message types exchanged by popup, worker and content scripts.

use serde::{Deserialize, Serialize};

use crate::secret_text::SecretText;

/// The key the sealed vault is stored under in `chrome.storage.local`. Halo windows watch it
/// to redraw when another window or the worker changed the vault.
pub const VAULT_STORAGE_KEY: &str = "vault";

/// What each account's session key in `chrome.storage.session` starts with (then the account's
/// id). Halo windows watch these to show a login or logout made elsewhere.
pub const SESSION_KEY_PREFIX: &str = "session:";

/// A request from an extension page (the popup, docked or popped out) to the worker.
///
/// The worker accepts these only from the extension's own pages; a page's content script
/// that tried to send one is refused.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PopupRequest {
    /// Everything the popup needs to draw itself: vault state, accounts, session, endpoint.
    Status,
    /// The trader is typing in a Halo window. Counts as use for the auto-lock, so a form being
    /// filled in slowly is not wiped by it; answered with nothing.
    StillHere,
    /// Create a new, empty vault protected by this passphrase. Refused if a vault exists.
    CreateVault {
        /// The passphrase; it is never stored, only the key derived from it.
        passphrase: SecretText,
    },
    /// Derive the key from the passphrase and keep it in session storage.
    Unlock {
        /// The passphrase typed by the user.
        passphrase: SecretText,
    },
    /// Forget the derived key and every session token.
    Lock,
    /// Add an account to the unlocked vault.
    SaveAccount {
        /// What the user typed, cleaned and checked by the worker before it is saved.
        account: AccountForm,
    },
    /// The current TOTP of every account, with the seconds each has left.
    Codes,
    /// Log out of one account: Angel's logout, then the session is forgotten.
    LogOut {
        /// The account's id in the vault.
        account_id: String,
    },
    /// Log out of every account.
    LogOutAll,
    /// Check an account's API key, credentials and TOTP separately; answered with a
    /// [`Validation`].
    Validate {
        /// The account's id in the vault.
        account_id: String,
    },
    /// What the publisher login needs set up; answered with a [`LoginSetup`].
    LoginSetup,
    /// The activity log; answered with an [`ActivityView`].
    Activity,
    /// Replace an account's API key with a new one (its created date becomes today), then
    /// validate the account; answered with a [`Validation`].
    RotateApiKey {
        /// The account's id in the vault.
        account_id: String,
        /// The new API key as typed.
        api_key: String,
    },
    /// Set (or, when empty, clear) the HTTPS redirect URL a SMART_API_M account's app has
    /// registered instead of Halo's own `chromiumapp.org` address.
    SetOwnRedirect {
        /// The account's id in the vault.
        account_id: String,
        /// The URL as typed.
        url: String,
    },
    /// Set the daily login reminder's time.
    SetLoginReminder {
        /// Minutes after midnight, India Standard Time (08:45 is 525).
        ist_minutes: u32,
    },
    /// Choose where Halo sends API calls: empty or `angel` for Angel One, or a loopback URL
    /// of a `halo sandbox`.
    SetEndpoint {
        /// The URL as typed.
        url: String,
    },
    /// Log in to the account with this id (SMART_API: client code, MPIN, current TOTP).
    LogIn {
        /// The account's id in the vault.
        account_id: String,
    },
    /// The order ticket for the symbol on the tab the user is reading, if any.
    Ticket,
    /// The user picked one of the ticket's candidates for a page symbol that fitted no row or
    /// several: the ticket uses that row for this symbol until the browser closes.
    PickInstrument {
        /// The symbol as the page spelled it (the ticket's `page_symbol`).
        page_symbol: String,
        /// The picked row's exchange, as Angel spells it.
        exchange: String,
        /// The picked row's token.
        token: String,
    },
    /// Check an order before it is shown for confirmation, with the same rules (and the same
    /// messages) as [`PopupRequest::PlaceOrder`]; nothing is sent to Angel.
    CheckOrder {
        /// The order as typed.
        order: OrderForm,
    },
    /// Place an order the user has confirmed in the popup.
    PlaceOrder {
        /// The order as confirmed.
        order: OrderForm,
    },
    /// Today's order book of one logged-in account; answered with an
    /// [`crate::order_views::OrdersView`].
    Orders {
        /// The account's id in the vault.
        account_id: String,
    },
    /// Today's positions of one logged-in account; answered with a
    /// [`crate::order_views::PositionsView`].
    Positions {
        /// The account's id in the vault.
        account_id: String,
    },
    /// Check new terms for an open order with the ticket's rules before the confirm step;
    /// answered with a [`crate::order_views::OrderReview`]. Nothing is sent to Angel.
    CheckModify {
        /// The new terms.
        change: crate::order_views::ModifyForm,
    },
    /// Change an open order's price, quantity or trigger, after a confirm; answered with the
    /// account's [`crate::order_views::OrdersView`].
    ModifyOrder {
        /// The new terms, with the confirmation id.
        change: crate::order_views::ModifyForm,
    },
    /// Cancel an open order, after a confirm; answered with the account's
    /// [`crate::order_views::OrdersView`].
    CancelOrder {
        /// The account's id in the vault.
        account_id: String,
        /// Angel's order id.
        order_id: String,
        /// Drawn by the popup at the confirm step: one cancel per confirmation.
        confirmation_id: String,
    },
    /// Set an account's limit on one order's value (the fat-finger guard); answered with the
    /// account's [`crate::order_views::OrdersView`].
    SetValueLimit {
        /// The account's id in the vault.
        account_id: String,
        /// The limit in rupees, as typed.
        rupees: String,
    },
    /// Read an order's current state back from the order book.
    OrderStatus {
        /// The vault's id of the account that placed it: only its session can read it back.
        account_id: String,
        /// The `uniqueorderid` Angel gave the order.
        unique_order_id: String,
    },
    /// Change an account in the unlocked vault; a blank MPIN, API key or TOTP secret keeps the
    /// stored one.
    EditAccount {
        /// The account's id in the vault.
        account_id: String,
        /// The fields as typed.
        account: AccountForm,
    },
    /// Remove an account (and its session) from the vault.
    DeleteAccount {
        /// The account's id in the vault.
        account_id: String,
    },
    /// Re-encrypt the vault under a new passphrase (and a new salt).
    ChangePassphrase {
        /// The passphrase in use, checked first.
        current: SecretText,
        /// The new passphrase.
        new_passphrase: SecretText,
    },
    /// The encrypted vault as a backup file's text; answered with a [`VaultBackup`].
    ExportVault,
    /// Check that `passphrase` opens a backup and say what restoring it would replace;
    /// answered with a [`RestorePreview`]. Nothing is stored.
    PreviewRestore {
        /// The backup file's text.
        backup: String,
        /// The passphrase the backup was made with.
        passphrase: SecretText,
    },
    /// Replace the vault with a backup, after checking that `passphrase` opens it.
    ImportVault {
        /// The backup file's text.
        backup: String,
        /// The passphrase the backup was made with.
        passphrase: SecretText,
        /// The stored vault's revision the trader saw in the [`RestorePreview`] (`None`: no
        /// vault was stored). Refused if the vault changed since, so nothing goes unlisted.
        #[serde(default)]
        seen_revision: Option<u64>,
    },
    /// Delete the vault, its key, every session and every setting. `confirmation` must be
    /// `FORGET`.
    ForgetEverything {
        /// What the user typed to confirm.
        confirmation: String,
    },
    /// The vault's settings; answered with [`VaultSettings`].
    VaultSettings,
    /// Lock automatically after this many idle minutes.
    SetAutoLock {
        /// Idle minutes, 1 to 1440.
        minutes: u32,
    },
    /// Add a TOTP entry for another service; see [`crate::totp::TotpEntryForm`].
    SaveTotpEntry {
        /// What the user typed or confirmed from a QR code.
        entry: crate::totp::TotpEntryForm,
    },
    /// Remove a TOTP entry from the vault.
    RemoveTotpEntry {
        /// The entry's id in the vault.
        entry_id: String,
    },
    /// The current code of every TOTP entry; answered with [`crate::totp::TotpEntriesView`].
    TotpEntries,
    /// The companion's state for Settings; answered with a [`CompanionView`].
    CompanionStatus,
    /// Send orders through the companion (`true`) or straight to Angel; answered with a
    /// [`CompanionView`].
    SetCompanionRoute {
        /// Whether orders go through the companion.
        on: bool,
    },
    /// Start pairing with the companion; answered with a [`CompanionView`] holding the code.
    PairCompanion,
    /// The person saw the same code in the popup and in the companion; answered with a
    /// [`CompanionView`].
    ConfirmCompanionPairing {
        /// The code the popup showed and the person confirmed.
        code: String,
    },
}

/// The companion as Settings shows it, answered to the `Companion*` requests.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CompanionView {
    /// Whether orders go through the companion.
    pub route: bool,
    /// Whether this browser holds a pairing it can open (Halo unlocked).
    pub paired: bool,
    /// The companion's version, when it answered a sealed ping just now.
    pub version: Option<String>,
    /// A pairing waiting for confirmation: the code to compare with the companion's.
    pub code: Option<String>,
    /// Why the companion cannot be used now, in words for the trader.
    pub problem: Option<String>,
}

/// An encrypted backup of the vault, answered to [`PopupRequest::ExportVault`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VaultBackup {
    /// The vault file's JSON text: only ciphertext and its header.
    pub text: String,
}

/// What restoring a backup would do, answered to [`PopupRequest::PreviewRestore`], so the
/// trader confirms knowing what goes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RestorePreview {
    /// The labels of the backup's accounts and TOTP entries.
    pub in_backup: Vec<String>,
    /// The labels of what is stored here and not in the backup (matched by Halo's own id),
    /// which restoring removes; `None` when the vault here is locked and cannot be listed.
    pub removed: Option<Vec<String>>,
    /// The labels of what is in both but differs here (renamed, a new key or MPIN), which
    /// restoring returns to the backup's version; `None` when locked.
    pub reverted: Option<Vec<String>>,
    /// The stored vault's revision, to send back with the confirmed
    /// [`PopupRequest::ImportVault`]; `None` when no vault is stored.
    pub stored_revision: Option<u64>,
}

/// The vault's settings, answered to [`PopupRequest::VaultSettings`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VaultSettings {
    /// Idle minutes before Halo locks itself.
    pub auto_lock_minutes: u32,
}

/// The account fields as typed in the popup, before any clean-up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountForm {
    /// A name the user chooses, such as "Main".
    pub label: String,
    /// Angel One client code, such as `Z999999`.
    pub client_code: String,
    /// The 4-digit trading PIN (Angel calls it `password`).
    pub mpin: SecretText,
    /// The SmartAPI app's API key.
    pub api_key: SecretText,
    /// The TOTP secret shown under the QR code on Angel's enable-TOTP page.
    pub totp_secret: SecretText,
    /// `SMART_API` (direct login; empty means the same) or `SMART_API_M` (publisher login,
    /// which needs only the label and API key).
    #[serde(default)]
    pub platform: String,
    /// The day the API key was created, `YYYY-MM-DD`; empty means today when adding and the
    /// stored day when editing.
    #[serde(default)]
    pub api_key_created: String,
}

/// An order the user confirmed in the popup.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderForm {
    /// Which account places it.
    pub account_id: String,
    /// Exchange as Angel spells it, such as `NSE`.
    pub exchange: String,
    /// Angel's symbol token, such as `2885`.
    pub token: String,
    /// `BUY` or `SELL`.
    pub side: String,
    /// Quantity as typed: shares for cash, lots for derivatives.
    pub quantity: String,
    /// Limit price in rupees as typed, such as `2945.50`.
    pub price: String,
    /// Angel's product type, such as `DELIVERY` or `INTRADAY`.
    pub product: String,
    /// Angel's order type (`LIMIT`, `STOPLOSS_LIMIT`, `STOPLOSS_MARKET`, `MARKET`); empty
    /// means `LIMIT`.
    #[serde(default)]
    pub order_type: String,
    /// Trigger price in rupees as typed, for the stop-loss types.
    #[serde(default)]
    pub trigger_price: String,
    /// `DAY` or `IOC`; empty means `DAY`.
    #[serde(default)]
    pub duration: String,
    /// Drawn by the popup when it shows the order for confirmation. The worker places one
    /// order per confirmation, however often Confirm is pressed.
    #[serde(default)]
    pub confirmation_id: String,
}

/// What a content script reports about the page it runs on.
///
/// The script only copies what the page shows; choosing the symbol from it (header over a
/// lagging URL, dropping logos and arrows) happens in the worker, where it is tested.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum PageReport {
    /// A chart or quote page as it looks now.
    PageSeen {
        /// Which site's script sent it: `tradingview`, `nse`, `chartink` or `screener`
        /// (absent means `tradingview`). The worker checks it against the URL.
        #[serde(default)]
        site: Option<String>,
        /// The text of the page's symbol header, if it has one (TradingView's
        /// `#header-toolbar-symbol-search`), with its line breaks.
        header_text: Option<String>,
        /// The page's URL.
        url: String,
        /// The page's title.
        title: String,
    },
}

/// The one answer to every message: `{"ok": true, "data": ...}` or `{"ok": false, "error": ...}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reply {
    /// Whether the request succeeded.
    pub ok: bool,
    /// The answer's payload when `ok`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data: Option<serde_json::Value>,
    /// A message for the trader when not `ok`: what went wrong and what to do.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The troubleshooting entry that explains `error`, for the popup's "How to fix" link.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<crate::trouble::Trouble>,
}

/// The popup's picture of the world, answered to [`PopupRequest::Status`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Status {
    /// Whether a vault exists and whether it is unlocked.
    pub vault: VaultState,
    /// The accounts in the unlocked vault (no secrets), empty when locked.
    pub accounts: Vec<AccountSummary>,
    /// The endpoint in use: `https://apiconnect.angelone.in` or a sandbox URL.
    pub endpoint: String,
}

/// Where the vault is in its life cycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VaultState {
    /// No vault yet: first run.
    Missing,
    /// A vault exists and its key is not in memory.
    Locked,
    /// The key is in session memory; accounts can be used.
    Unlocked,
}

/// An account as the popup may show it: no MPIN, key or secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountSummary {
    /// The account's id in the vault.
    pub id: String,
    /// The user's name for it.
    pub label: String,
    /// Angel client code.
    pub client_code: String,
    /// The live session, when logged in.
    pub session: Option<SessionSummary>,
    /// True for a SMART_API_M account, which logs in on Angel's page and may have no TOTP
    /// secret in Halo.
    #[serde(default)]
    pub publisher: bool,
    /// A warning when the API key is old enough to rotate, such as "API key is 7 months old;
    /// rotate it soon".
    #[serde(default)]
    pub api_key_notice: Option<String>,
    /// For a SMART_API_M account, the app's own HTTPS redirect URL when the trader set one;
    /// Halo's `chromiumapp.org` address is used otherwise.
    #[serde(default)]
    pub own_redirect_url: Option<String>,
}

/// A logged-in session as the popup shows it ("Logged in as NAME (CODE) since HH:MM").
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionSummary {
    /// The account holder's name from `getProfile`.
    pub name: String,
    /// When the tokens were obtained, in Unix milliseconds.
    pub since_unix_ms: f64,
}

/// One account's current code, answered to [`PopupRequest::Codes`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountCode {
    /// The account's id in the vault.
    pub account_id: String,
    /// The code, fixed width (`005924`).
    pub code: String,
    /// Seconds until it changes.
    pub seconds_left: u32,
    /// The code's period in seconds.
    pub period_secs: u32,
    /// The code that follows, sent only in the last seconds of this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_code: Option<String>,
    /// The server's clock minus this device's, in seconds, as last measured; codes already
    /// allow for it.
    #[serde(default)]
    pub clock_offset_secs: i64,
}

/// The ticket for the symbol on the page the user is reading, answered to
/// [`PopupRequest::Ticket`]. `instrument` is `None` when the page gave no symbol, or it did not
/// resolve; `problem` then says why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TicketInfo {
    /// The symbol as the page spelled it, if a page reported one.
    pub page_symbol: Option<String>,
    /// Where on the page it was read.
    pub source: Option<String>,
    /// The resolved instrument.
    pub instrument: Option<InstrumentSummary>,
    /// Why there is no instrument, in words for the trader.
    pub problem: Option<String>,
    /// Last traded price in rupees, when it could be fetched.
    pub ltp: Option<f64>,
    /// Rows the page symbol may mean, for the user to pick one, when it fitted none or
    /// several.
    #[serde(default)]
    pub candidates: Vec<InstrumentSummary>,
    /// Something to check about the resolved instrument, such as a series other than `EQ`.
    #[serde(default)]
    pub warning: Option<String>,
    /// The endpoint root the ticket was built for, so the popup can drop an answer that was
    /// still on its way when the endpoint changed.
    #[serde(default)]
    pub endpoint: String,
    /// What Halo learnt later about orders whose placement's answer was lost, newest first
    /// ("Order halo-... reached Angel after all: order 1234, open.").
    #[serde(default)]
    pub order_notes: Vec<String>,
}

/// The facts about an instrument that the ticket shows.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct InstrumentSummary {
    /// Exchange as Angel spells it.
    pub exchange: String,
    /// Angel's trading symbol, such as `RELIANCE-EQ`.
    pub trading_symbol: String,
    /// Angel's symbol token.
    pub token: String,
    /// Units in one lot (1 for cash equities).
    pub lot_size: u32,
    /// Price step in paise.
    pub tick_paise: u32,
    /// The products the instrument's segment offers, as Angel spells them, in the order the
    /// ticket lists them (`DELIVERY`, `INTRADAY`, `MARGIN` for shares; `CARRYFORWARD`,
    /// `INTRADAY` for futures and options).
    #[serde(default)]
    pub products: Vec<String>,
}

/// The outcome of [`PopupRequest::PlaceOrder`] or [`PopupRequest::OrderStatus`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OrderOutcome {
    /// The vault's id of the account the order was placed through.
    pub account_id: String,
    /// Angel's order id.
    pub order_id: String,
    /// Angel's unique order id, used to read the order back.
    pub unique_order_id: String,
    /// The order book's status (`open`, `complete`, `rejected`, ...), when read.
    pub status: Option<String>,
    /// The order book's reason text, shown for rejections.
    pub text: Option<String>,
    /// Every order id Angel holds under this order's tag, when there is more than one: the
    /// browser re-sent the placement after its connection dropped (see
    /// [`OrderOutcome::duplicate_warning`]). Empty when the book showed one order or was not read.
    #[serde(default)]
    pub duplicates: Vec<String>,
}

impl OrderOutcome {
    /// The warning for an order Angel holds more than once, naming every order id, or `None`.
    pub fn duplicate_warning(&self) -> Option<String> {
        duplicate_warning(&self.duplicates)
    }
}

/// "Angel holds 2 orders from this one confirm ...: 1, 2. Cancel the one you did not want in
/// Orders.", for the order ids sharing one tag; `None` for fewer than two.
pub fn duplicate_warning(order_ids: &[String]) -> Option<String> {
    (order_ids.len() > 1).then(|| {
        format!(
            "Angel holds {} orders from this one confirm (the connection dropped and the \
             browser sent it again): {}. Cancel the one you did not want in Orders.",
            order_ids.len(),
            order_ids.join(", ")
        )
    })
}

/// What the publisher login needs, answered to [`PopupRequest::LoginSetup`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoginSetup {
    /// The redirect URL to register in the SmartAPI app, exactly.
    pub redirect_url: String,
    /// Where in Angel's portal to register it.
    pub where_to_register: String,
    /// The daily login reminder's time, in minutes after midnight IST.
    #[serde(default)]
    pub reminder_ist_minutes: u32,
}

/// The verdict of [`PopupRequest::Validate`], one check at a time.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Validation {
    /// The checks in the order they were made.
    pub checks: Vec<Check>,
}

/// One part of an account checked by [`PopupRequest::Validate`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Check {
    /// What was checked: "API key", "Client code and MPIN", "TOTP", ...
    pub part: String,
    /// `ok`, `wrong` or `unknown` (not reached because an earlier part failed).
    pub verdict: String,
    /// What was found and, when wrong, what to do.
    pub detail: String,
    /// The troubleshooting entry for a part found wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub help: Option<crate::trouble::Trouble>,
}

/// The activity log, answered to [`PopupRequest::Activity`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityView {
    /// The newest calls, newest first.
    pub recent: Vec<ActivityLine>,
    /// Every failed call or call at an unusual hour in the whole log, newest first.
    #[serde(default)]
    pub flagged: Vec<ActivityLine>,
    /// The whole log as CSV, for "Export CSV".
    pub csv: String,
}

/// One SmartAPI call as the activity log shows it: no secret, no token.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityLine {
    /// When it was sent, in Unix milliseconds.
    pub at_unix_ms: f64,
    /// The account's label, or `-`.
    pub account: String,
    /// The URL's path.
    pub route: String,
    /// `ok`, Angel's code, or the kind of failure.
    pub outcome: String,
    /// Milliseconds until the whole answer.
    pub latency_ms: u32,
    /// Whether the call failed (its outcome is not `ok`).
    #[serde(default)]
    pub failure: bool,
    /// Whether it was made outside 08:00-16:00 IST or at a weekend.
    #[serde(default)]
    pub unusual_hour: bool,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_warning_names_every_order_of_the_confirm() {
        let ids = ["111".to_owned(), "112".to_owned()];
        assert_eq!(
            duplicate_warning(&ids).as_deref(),
            Some(
                "Angel holds 2 orders from this one confirm (the connection dropped and the \
                 browser sent it again): 111, 112. Cancel the one you did not want in Orders."
            )
        );
        assert_eq!(duplicate_warning(&ids[..1]), None);
        assert_eq!(duplicate_warning(&[]), None);
    }
}
