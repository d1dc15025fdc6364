//! Messages about one-time codes beyond the accounts' own: TOTP entries for other services,
//! and the fill button on Angel's pages.

use serde::{Deserialize, Serialize};

use crate::secret_text::SecretText;

/// The "Add TOTP entry" form as typed, or as confirmed after reading a QR code.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TotpEntryForm {
    /// The service, such as "Mail"; may be empty when the link names it.
    pub issuer: String,
    /// The account at that service; may be empty.
    pub account_name: String,
    /// A base32 secret or a whole `otpauth://` link.
    pub secret: SecretText,
}

/// Every TOTP entry with its code, answered to
/// [`crate::messages::PopupRequest::TotpEntries`].
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TotpEntriesView {
    /// The entries, in the order they were added.
    pub entries: Vec<EntryCode>,
}

/// One entry and its current code: no secret.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EntryCode {
    /// The entry's id in the vault.
    pub id: String,
    /// The service.
    pub issuer: String,
    /// The account at that service.
    pub account_name: String,
    /// The code, fixed width.
    pub code: String,
    /// The code that follows, only in the last seconds of this one.
    pub next_code: Option<String>,
    /// Seconds until the code changes.
    pub seconds_left: u32,
    /// The code's period in seconds.
    pub period_secs: u32,
}

/// What the content script on Angel's own login and enable-TOTP pages may ask, after the user
/// clicked Halo's button there. It is answered with a [`FilledCode`] and nothing else.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum AngelPageRequest {
    /// The current code of the account whose client code the page shows, or of the first
    /// account when the page shows none that matches.
    FillCode {
        /// The client code typed on the page, if any.
        #[serde(default)]
        client_code: Option<String>,
    },
}

/// The answer to [`AngelPageRequest::FillCode`]: the digits and nothing more.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FilledCode {
    /// The code, fixed width.
    pub code: String,
}
