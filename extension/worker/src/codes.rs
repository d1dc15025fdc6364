//! The current TOTP of every account and entry, as the popup shows it with a countdown.
//!
//! Every code is computed on the server's clock: the device clock corrected by the offset last
//! measured from Angel's `Date` header, so a device a minute off still shows the code Angel
//! expects.

use halo_core::totp::{self, Code, TotpError, TotpParams, TotpSecret};
use halo_extension_shared::messages::AccountCode;

use crate::error::Result;
use crate::{login, vault_store};

/// Each account's code now, on the server's clock as last measured.
pub async fn codes() -> Result<Vec<AccountCode>> {
    let vault = vault_store::unlocked().await?;
    let offset = login::clock_offset().await?;
    let now = login::server_secs(offset);

    let mut codes = Vec::with_capacity(vault.contents.accounts.len());
    for account in &vault.contents.accounts {
        // A publisher account's TOTP is typed on Angel's page; Halo may hold no secret for it.
        if account.totp_secret.is_empty() {
            continue;
        }
        let live = live_code(&account.totp_secret()?, &account.totp, now)?;
        codes.push(AccountCode {
            account_id: account.id.clone(),
            code: live.now.code,
            seconds_left: narrow(live.now.seconds_left),
            period_secs: narrow(live.now.period_secs),
            next_code: live.next,
            clock_offset_secs: offset,
        });
    }
    Ok(codes)
}

/// A code and, in its last seconds, the one after it.
pub struct LiveCode {
    /// The code valid now.
    pub now: Code,
    /// The next code, only in the last [`totp::SHOW_NEXT_CODE_SECS`] seconds.
    pub next: Option<String>,
}

/// The code at `now` (server seconds) and the next one when it is due soon.
pub fn live_code(
    secret: &TotpSecret,
    params: &TotpParams,
    now: u64,
) -> core::result::Result<LiveCode, TotpError> {
    Ok(LiveCode {
        now: totp::code_at(secret, params, now)?,
        next: totp::upcoming_code(secret, params, now)?.map(|code| code.code),
    })
}

/// Seconds fit in a u32 for any period halo-core accepts (at most an hour).
pub fn narrow(secs: u64) -> u32 {
    u32::try_from(secs).unwrap_or(u32::MAX)
}
