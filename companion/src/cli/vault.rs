//! `halo vault`: the companion's own vault, in the same format as the extension's, so a backup
//! downloaded from the extension opens here and an export from here restores there.

use std::io::Read;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use halo_core::vault::{
    KdfParams, PassphraseForms, Platform, VaultContents, VaultError, VaultFile, derive_new_key,
};

use super::{prompt, store};

/// `halo vault` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum VaultCommand {
    /// Create an empty vault protected by a new passphrase
    Init,
    /// Replace the companion's vault with a backup (e.g. the extension's Download backup)
    Import {
        /// The backup file, `halo-vault-YYYY-MM-DD.json`
        file: PathBuf,
        /// Replace an existing vault
        #[arg(long)]
        replace: bool,
    },
    /// Write the vault, still encrypted, to a file the extension can restore
    Export {
        /// Where to write it
        file: PathBuf,
    },
    /// List the accounts (label, client code, login route); never a secret
    List,
}

/// Runs one `halo vault` command.
pub fn run(command: VaultCommand) -> anyhow::Result<()> {
    match command {
        VaultCommand::Init => init(),
        VaultCommand::Import { file, replace } => import(&file, replace),
        VaultCommand::Export { file } => export(&file),
        VaultCommand::List => list(),
    }
}

fn init() -> anyhow::Result<()> {
    let path = store::vault_path()?;
    if path.exists() {
        bail!(
            "a vault already exists at {}; nothing was changed",
            path.display()
        );
    }
    let passphrase = prompt::new_passphrase()?;

    let kdf = KdfParams::default();
    let salt: [u8; 16] = random()?;
    let key = derive_new_key(&PassphraseForms::of(&passphrase), &kdf, &salt)?;
    let file = VaultFile::seal(&key, kdf, salt, random()?, 1, &VaultContents::default())?;
    store::write_private(&path, &file.to_json())?;
    println!("Created an empty vault at {}", path.display());
    Ok(())
}

/// Why `halo vault import` refused a file. The vault in use is never touched by a refusal,
/// and the messages say so: "the vault is damaged" would point at the wrong file.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The file is not a vault backup at all (not text, not JSON, fields missing).
    #[error(
        "{file} is not a Halo vault backup ({reason}); nothing was imported or changed. Choose \
         the file the extension's Download backup saved, named like halo-vault-2026-03-02.json"
    )]
    NotABackup {
        /// The file as named on the command line.
        file: String,
        /// What is wrong with it, in fixed words that never quote the file.
        reason: &'static str,
    },
    /// The passphrase given does not open the backup.
    #[error(
        "wrong passphrase for the backup {file} (or the file was changed after it was saved); \
         nothing was imported or changed. Give the passphrase the backup was made with"
    )]
    WrongPassphrase {
        /// The file as named on the command line.
        file: String,
    },
}

/// The most a backup file is read of. A vault holding a hundred accounts is well under 100 KB;
/// a file far beyond that (a disk image, `/dev/zero`) is not a backup, and is not read whole.
const MAX_BACKUP_BYTES: u64 = 4 * 1024 * 1024;

fn import(source: &Path, replace: bool) -> anyhow::Result<()> {
    // Refused before the passphrase is asked and the key derived: that takes seconds, and
    // would end in a refusal the trader could have had at once.
    let path = store::vault_path()?;
    if path.exists() && !replace {
        bail!(
            "a vault already exists at {}; add --replace to overwrite it with this backup",
            path.display()
        );
    }

    let name = source.display().to_string();
    let not_a_backup = |reason| ImportError::NotABackup {
        file: name.clone(),
        reason,
    };
    let mut bytes = Vec::new();
    std::fs::File::open(source)
        .and_then(|file| file.take(MAX_BACKUP_BYTES + 1).read_to_end(&mut bytes))
        .with_context(|| format!("cannot read {name}; nothing was imported or changed"))?;
    if bytes.len() as u64 > MAX_BACKUP_BYTES {
        return Err(not_a_backup("it is far larger than any vault").into());
    }
    let Ok(text) = String::from_utf8(bytes) else {
        return Err(not_a_backup("it is not text").into());
    };
    let file = VaultFile::parse(store::without_bom(&text)).map_err(|error| match error {
        VaultError::Damaged { reason } => not_a_backup(reason).into(),
        other => anyhow::Error::from(other),
    })?;
    // Checked before anything is replaced: a backup whose passphrase is lost is useless.
    let contents =
        store::open_vault(&file).map_err(|error| match error.downcast_ref::<VaultError>() {
            Some(VaultError::WrongPassphrase) => {
                ImportError::WrongPassphrase { file: name.clone() }.into()
            }
            Some(VaultError::Damaged { reason }) => not_a_backup(reason).into(),
            _ => error,
        })?;

    store::write_private(&path, &file.to_json())?;
    let entries = match contents.totp_entries.len() {
        0 => String::new(),
        count => format!(
            " and {}",
            counted(count, "other TOTP entry", "other TOTP entries")
        ),
    };
    println!(
        "Imported {}{entries} into {}",
        counted(contents.accounts.len(), "account", "accounts"),
        path.display()
    );
    Ok(())
}

/// "1 account", "3 accounts".
fn counted(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

fn export(target: &Path) -> anyhow::Result<()> {
    let file = store::load_vault()?;
    if target.exists() {
        bail!("{} exists; choose another file name", target.display());
    }
    store::write_private(target, &file.to_json())?;
    println!(
        "Wrote the vault (encrypted, revision {}) to {}",
        file.revision(),
        target.display()
    );
    Ok(())
}

fn list() -> anyhow::Result<()> {
    let contents = store::open_vault(&store::load_vault()?)?;
    if contents.accounts.is_empty() {
        println!("No accounts.");
    } else {
        println!("{:<20} {:<12} {:<12}", "ACCOUNT", "CLIENT", "LOGIN");
        for account in &contents.accounts {
            let route = match account.platform {
                Platform::SmartApi => "SMART_API",
                Platform::SmartApiM => "SMART_API_M",
            };
            println!(
                "{:<20} {:<12} {:<12}",
                account.label, account.client_code, route
            );
        }
    }
    if !contents.totp_entries.is_empty() {
        // Named as `halo totp NAME` takes them.
        println!("\nOTHER TOTP ENTRIES");
        for entry in &contents.totp_entries {
            println!("{}", entry.display_name());
        }
    }
    Ok(())
}

fn random<const N: usize>() -> anyhow::Result<[u8; N]> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|error| anyhow::anyhow!("no randomness: {error}"))?;
    Ok(bytes)
}
