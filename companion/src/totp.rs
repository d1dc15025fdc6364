//! `halo totp`: the current code of an account (or TOTP entry) in the companion's vault, or of
//! a secret or `otpauth://` link read from standard input.
//!
//! The secret is never an argument: arguments show in `ps` to every user of the machine and
//! land in shell history. Scripts pipe it in; the code and its seconds left go to stdout.

use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};

use crate::cli::names::{NameProblem, Named, named};
use crate::cli::store;
use halo_core::totp::{TotpSecret, code_at, parse_secret_or_uri};
use halo_core::vault::{Account, Platform};
use zeroize::Zeroizing;

/// More than any secret or link; a larger input is a mistake (a file piped in by accident).
const MAX_INPUT_BYTES: u64 = 16 * 1024;

/// Arguments of `halo totp`.
#[derive(Debug, clap::Args)]
pub struct TotpArgs {
    /// An account (label or client code) or TOTP entry (issuer or account name) in the
    /// companion's vault; may be left out when the vault has one account
    #[arg(value_name = "ACCOUNT", conflicts_with = "stdin")]
    pub account: Option<String>,

    /// Read a base32 secret or an otpauth:// link from standard input
    #[arg(long)]
    pub stdin: bool,

    /// Compute the code at this Unix time instead of now
    #[arg(long, value_name = "UNIX_SECONDS")]
    pub at: Option<u64>,
}

/// Prints `CODE  N s left` for the secret on standard input.
pub fn run(args: TotpArgs) -> anyhow::Result<()> {
    if !args.stdin {
        return from_vault(args.account.as_deref(), args.at);
    }

    let mut input = Zeroizing::new(String::new());
    std::io::stdin()
        .take(MAX_INPUT_BYTES + 1)
        .read_to_string(&mut input)
        .context("standard input is not text")?;
    if input.len() as u64 > MAX_INPUT_BYTES {
        bail!("standard input is longer than any secret or otpauth link ({MAX_INPUT_BYTES} bytes)");
    }

    // Only the first line: `pass` and most password stores keep the secret there and notes
    // below, and a letters-only note would otherwise be read as more of the secret.
    let first_line = input.lines().next().unwrap_or_default();
    let link = parse_secret_or_uri(first_line)?;
    if link.secret.is_short() {
        eprintln!(
            "halo: warning: this secret is {} bits, under the 128 bits the standard asks for; \
             it works, but ask the issuer for a new one when you can",
            link.secret.bits()
        );
    }
    let code = code_at(&link.secret, &link.params, unix_secs(args.at)?)?;
    println!("{}  {} s left", code.code, code.seconds_left);
    Ok(())
}

/// The code of a vault account or TOTP entry, after the passphrase.
fn from_vault(wanted: Option<&str>, at: Option<u64>) -> anyhow::Result<()> {
    const PIPE_IT: &str = "or pipe a secret in with `halo totp --stdin` (a secret is never \
                           taken as an argument)";
    let file = store::load_vault().map_err(|error| anyhow::anyhow!("{error:#}; {PIPE_IT}"))?;
    let contents = store::open_vault(&file)?;

    let (secret, params) = match wanted {
        None => {
            let account = store::pick_account(&contents, None)?;
            (account_secret(account)?, &account.totp)
        }
        Some(wanted) => match named(&contents, wanted) {
            Ok(Named::Account(account)) => (account_secret(account)?, &account.totp),
            Ok(Named::Entry(entry)) => (entry.totp_secret()?, &entry.totp),
            // The name is not repeated: it may be a secret typed where it does not belong.
            Err(NameProblem::Nothing) => bail!(
                "the vault has no account or TOTP entry by that name (see `halo vault list`); \
                 {PIPE_IT}"
            ),
            Err(NameProblem::Several(names)) => bail!(
                "several match that name: {}; give one of these names instead",
                names.join(", ")
            ),
        },
    };
    let code = code_at(&secret, params, unix_secs(at)?)?;
    println!("{}  {} s left", code.code, code.seconds_left);
    Ok(())
}

/// An account's TOTP secret; a publisher account has none, and is told apart from a broken one.
fn account_secret(account: &Account) -> anyhow::Result<TotpSecret> {
    if account.platform == Platform::SmartApiM {
        bail!(
            "{} is a SMART_API_M (publisher) account: it logs in on Angel's page, where the TOTP \
             comes from your authenticator, so Halo keeps none for it",
            account.display_name()
        );
    }
    Ok(account.totp_secret()?)
}

fn unix_secs(at: Option<u64>) -> anyhow::Result<u64> {
    match at {
        Some(at) => Ok(at),
        None => Ok(SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .context("this machine's clock is before 1970")?
            .as_secs()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_publisher_account_is_said_to_have_no_totp_not_a_broken_one() {
        let publisher =
            halo_core::publisher::account_from_form("p1".into(), "Pub", "P777777", "PubKey1")
                .unwrap();
        let error = account_secret(&publisher).unwrap_err().to_string();
        assert!(
            error.starts_with("Pub (P777777) is a SMART_API_M (publisher) account"),
            "{error}"
        );
    }
}
