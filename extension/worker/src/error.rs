//! Everything that can go wrong while the worker answers a message, in words for the trader.
//!
//! The Display of each variant is what the popup shows. None of them carries a secret: halo-core's
//! errors name fields, never their values, and the worker's own variants hold only ids, tags and
//! symbols.

use halo_core::instruments::MasterError;
use halo_core::orders::OrderError;
use halo_core::publisher::PublisherError;
use halo_core::smartapi::{ApiError, EndpointError};
use halo_core::totp::TotpError;
use halo_core::vault::{AccountError, VaultError};
use halo_extension_shared::chrome::ChromeError;

use crate::dispatch::Refusal;
use crate::http::HttpError;

/// A failed request, as the popup will show it.
#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    /// The sender may not ask for this.
    #[error(transparent)]
    Refused(#[from] Refusal),
    /// The message was not one the worker knows.
    #[error("Halo did not understand a request ({0}). Reload the Halo window.")]
    BadRequest(String),
    /// A `chrome.*` call failed.
    #[error(transparent)]
    Browser(#[from] ChromeError),
    /// The companion could not be used (see [`crate::companion::CompanionError`]).
    #[error(transparent)]
    Companion(#[from] crate::companion::CompanionError),
    /// The browser could not draw random bytes.
    #[error("the browser could not provide random numbers; nothing was saved or sent")]
    Random,
    /// A request reached no server.
    #[error(transparent)]
    Http(#[from] HttpError),
    /// Angel (or the sandbox) answered with an error.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The vault file could not be used.
    #[error(transparent)]
    Vault(#[from] VaultError),
    /// An account form was refused.
    #[error(transparent)]
    Account(#[from] AccountError),
    /// A TOTP could not be made.
    #[error(transparent)]
    Totp(#[from] TotpError),
    /// The endpoint setting was refused.
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
    /// The instrument master could not be read.
    #[error(transparent)]
    Master(#[from] MasterError),
    /// A picked instrument is not a tradable row of today's master.
    #[error(
        "That instrument is not in today's instrument master any more; reopen the ticket and \
         pick again."
    )]
    NoSuchInstrument,
    /// The instrument master's download failed.
    #[error("Angel's instrument master could not be downloaded (HTTP {0}). Try again shortly.")]
    MasterDownload(u16),
    /// The order was refused before sending.
    #[error(transparent)]
    Order(#[from] OrderError),
    /// The order is worth more than the account's limit on one order.
    #[error(transparent)]
    ValueLimit(#[from] halo_core::orders::ValueLimitError),
    /// The order the trader wanted to change is not in the account's book today.
    #[error("Order {0} is not in today's order book. Reopen the Orders view.")]
    OrderNotInBook(String),
    /// There is no vault yet.
    #[error("There is no vault yet. Create one first.")]
    NoVault,
    /// A vault already exists, so none is created.
    #[error("A vault already exists. Unlock it instead.")]
    VaultExists,
    /// The vault is locked.
    #[error("The vault is locked. Unlock Halo first.")]
    Locked,
    /// Another Halo window changed the vault while this request was working on it.
    #[error("The vault was changed from another Halo window. Nothing was saved; try again.")]
    VaultChanged,
    /// A restore was confirmed against a vault that has changed since it was checked.
    #[error(
        "The vault here changed after the backup was checked (an account was added or edited \
         in another Halo window). Nothing was replaced; choose Restore backup again to see \
         what it would change now."
    )]
    RestoreOutdated,
    /// The file chosen to restore is not a readable Halo backup; the stored vault is untouched.
    #[error(
        "The chosen file is not a Halo backup, or it is damaged ({reason}). Choose the \
         halo-vault-....json file Halo saved. Nothing was changed."
    )]
    NotABackup {
        /// Which part is unreadable, in halo-core's fixed words.
        reason: &'static str,
    },
    /// The new passphrase is the one the vault already has.
    #[error("The new passphrase is the same as the current one. Nothing was changed.")]
    SamePassphrase,
    /// A new passphrase is too short or a pattern guessed first.
    #[error("{0}. Nothing was changed.")]
    WeakPassphrase(#[from] halo_core::vault::WeakPassphrase),
    /// "Forget everything" was not confirmed with the word asked for.
    #[error("Type FORGET to confirm. Nothing was deleted.")]
    NotConfirmed,
    /// No account has this id.
    #[error("That account is no longer in the vault. Reopen Halo.")]
    NoAccount,
    /// The account has no live session.
    #[error("This account is not logged in. Log in first.")]
    NotLoggedIn,
    /// The publisher login gave no session.
    #[error(transparent)]
    Publisher(#[from] PublisherError),
    /// The browser could not open or finish the publisher-login window.
    #[error("The login window failed ({0}). Check the endpoint and the API key, then try again.")]
    LoginWindow(String),
    /// The publisher login in a tab did not finish; the text says why and what to do.
    #[error("{0}")]
    LoginTab(String),
    /// "Rotate now" was pressed without a new key.
    #[error("Type the new API key from your SmartAPI app first. Nothing was changed.")]
    NoNewKey,
    /// The account's login details were changed while a login with the old ones was running.
    #[error(
        "The account was changed while it was logging in, so that login was not kept. Log in \
         again to use the new details."
    )]
    AccountChangedDuringLogin,
    /// A typed publisher redirect URL was refused.
    #[error(transparent)]
    RedirectUrl(#[from] crate::publisher_tab::RedirectUrlError),
    /// This browser has no `identity` API, which the publisher login needs.
    #[error("This browser cannot open Angel's login window for Halo (no identity API).")]
    NoIdentity,
    /// Angel ended the session and Halo renewed it once with the refresh token.
    #[error("{0} Halo renewed the session with its refresh token, but re-sent nothing: try again.")]
    SessionRenewed(ApiError),
    /// Angel ended the session; the tokens were forgotten.
    #[error("{0} Halo has forgotten that session and re-sent nothing: press Log in.")]
    SessionEnded(ApiError),
    /// Angel refused the TOTP and the clock was found off; the next try uses the measured time.
    #[error(
        "{error} Your clock is {} s {}; Halo has corrected for it, try again.",
        device_ahead_secs.unsigned_abs(),
        if *device_ahead_secs >= 0 { "ahead" } else { "behind" }
    )]
    ClockCorrected {
        /// Angel's refusal.
        error: ApiError,
        /// How far the device clock is ahead of Angel's (negative when behind).
        device_ahead_secs: i64,
    },
    /// The exchange or token of an order is not in the instrument master.
    #[error("{exchange} token {token} is not in Angel's instrument master. Reopen the ticket.")]
    UnknownInstrument {
        /// Exchange as sent.
        exchange: String,
        /// Token as sent.
        token: String,
    },
    /// A field of the order form was not understood.
    #[error("{0}")]
    OrderForm(String),
    /// The order went out, its answer was lost, and the order book could not be read for
    /// half a minute of tries; the worker reports what the book shows once it can read it.
    #[error(
        "{cause}. Halo could not reach Angel to check the order book for 30 s, so the order \
         may or may not be placed: open Orders (or Angel's app) before placing it again. Halo \
         will not re-send it (tag {tag}) and will tell you what the book shows once it can \
         read it."
    )]
    OrderUnchecked {
        /// What happened to the answer, as the start of a sentence.
        cause: String,
        /// The order's unique tag.
        tag: String,
    },
    /// A PlaceOrder came without the popup's confirmation id.
    #[error("This order carries no confirmation. Reopen Halo and confirm the order again.")]
    NoConfirmation,
    /// Confirm was pressed again while its order is being placed.
    #[error("This order is already being placed; wait for its answer.")]
    AlreadyPlacing,
    /// The same confirmation reached the worker again after its order was sent.
    #[error("This order was already sent once. Press New order to place another one.")]
    AlreadyPlaced,
    /// A page report was larger than any chart page's symbol, URL or title.
    #[error("Halo ignored a page report whose {0} is implausibly long.")]
    PageReportTooLong(&'static str),
    /// The placement's answer was lost and the order book does not settle it.
    #[error(
        "{cause}, and the order book {book}. Check the order book before placing it again; \
         Halo will not re-send it (tag {tag})."
    )]
    OrderUnknown {
        /// What happened to the answer, as the start of a sentence.
        cause: String,
        /// What the order book said.
        book: String,
        /// The order's unique tag.
        tag: String,
    },
}

/// Short for a result whose error is a [`WorkerError`].
pub type Result<T> = std::result::Result<T, WorkerError>;
