//! The current TOTP of every account, as the popup shows it with a countdown.

use halo_core::totp;
use halo_extension_shared::messages::AccountCode;

use crate::error::Result;
use crate::{login, vault_store};

/// Each account's code now, on the server's clock as last measured.
pub async fn codes() -> Result<Vec<AccountCode>> {
    let vault = vault_store::unlocked().await?;
    let now = login::server_secs(login::clock_offset().await?);

    let mut codes = Vec::with_capacity(vault.contents.accounts.len());
    for account in &vault.contents.accounts {
        let code = totp::code_at(&account.totp_secret()?, &account.totp, now)?;
        codes.push(AccountCode {
            account_id: account.id.clone(),
            code: code.code,
            seconds_left: u32::try_from(code.seconds_left).unwrap_or(u32::MAX),
            period_secs: u32::try_from(code.period_secs).unwrap_or(u32::MAX),
        });
    }
    Ok(codes)
}
