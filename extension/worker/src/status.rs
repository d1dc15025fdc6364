//! The popup's picture of the world: vault state, accounts with their sessions, endpoint.

use halo_core::vault::Platform;
use halo_extension_shared::messages::{AccountSummary, SessionSummary, Status, VaultState};

use crate::error::{Result, WorkerError};
use crate::{endpoint, publisher_tab, sessions, vault_store};

/// What the popup needs to draw itself. No secret is in it.
pub async fn status() -> Result<Status> {
    let endpoint = endpoint::current().await?.root().to_owned();
    let locked = |vault| Status {
        vault,
        accounts: Vec::new(),
        endpoint: endpoint.clone(),
    };

    if !vault_store::exists().await? {
        return Ok(locked(VaultState::Missing));
    }
    let vault = match vault_store::unlocked().await {
        Ok(vault) => vault,
        // A key that no longer opens the stored vault (replaced from another window) is as
        // good as none: the user unlocks again.
        Err(WorkerError::Locked | WorkerError::Vault(_)) => {
            vault_store::prepare_unlock();
            return Ok(locked(VaultState::Locked));
        }
        Err(error) => return Err(error),
    };

    let mut accounts = Vec::with_capacity(vault.contents.accounts.len());
    let today = crate::runtime::today_ist();
    for account in &vault.contents.accounts {
        let live = sessions::live(&account.id).await?;
        // A publisher account may be saved without its client code; its profile names it.
        let client_code = match &live {
            Some(session) if account.client_code.is_empty() => session.client_code.clone(),
            _ => account.client_code.clone(),
        };
        let session = live.map(|session| SessionSummary {
            name: session.name,
            since_unix_ms: session.obtained_at_unix_ms,
        });
        accounts.push(AccountSummary {
            id: account.id.clone(),
            label: account.label.clone(),
            client_code,
            session,
            publisher: account.platform == Platform::SmartApiM,
            api_key_notice: account
                .api_key_notice(&today)
                .map(|notice| notice.to_string()),
            own_redirect_url: match account.platform {
                Platform::SmartApiM => publisher_tab::registered_redirect(&account.id).await?,
                Platform::SmartApi => None,
            },
        });
    }
    Ok(Status {
        vault: VaultState::Unlocked,
        accounts,
        endpoint,
    })
}
