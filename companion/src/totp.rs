//! `halo totp`: the current code of an account (or TOTP entry) in the companion's vault, or of
//! a secret or `otpauth://` link read from standard input.
//!
//! The secret is never an argument: arguments show in `ps` to every user of the machine and
//! land in shell history. Scripts pipe it in; the code and its seconds left go to stdout.

use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};

use crate::cli::store;
use halo_core::totp::{code_at, parse_secret_or_uri};
use halo_core::vault::{Account, TotpEntry, VaultContents};
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
            (account.totp_secret()?, &account.totp)
        }
        Some(wanted) => match named(&contents, wanted) {
            Ok(Named::Account(account)) => (account.totp_secret()?, &account.totp),
            Ok(Named::Entry(entry)) => (entry.totp_secret()?, &entry.totp),
            // The name is not repeated: it may be a secret typed where it does not belong.
            Err(NameProblem::Nothing) => bail!(
                "the vault has no account or TOTP entry by that name (see `halo vault list`); \
                 {PIPE_IT}"
            ),
            Err(NameProblem::Several(names)) => bail!(
                "several match that name: {}; name one of them as `halo vault list` shows it",
                names.join(", ")
            ),
        },
    };
    let code = code_at(&secret, params, unix_secs(at)?)?;
    println!("{}  {} s left", code.code, code.seconds_left);
    Ok(())
}

/// What a name given to `halo totp` picked out.
enum Named<'a> {
    Account(&'a Account),
    Entry(&'a TotpEntry),
}

/// Why a name picked out nothing to print.
#[derive(Debug, PartialEq)]
enum NameProblem {
    Nothing,
    /// More than one record answers to the name; their names as listed.
    Several(Vec<String>),
}

/// The one account or TOTP entry `wanted` names, whatever the case: an account by its label
/// or client code, an entry by its issuer, its account name, or both as listed
/// (`Issuer: name`). A name that fits several is refused rather than guessed, since a wrong
/// code typed at a login counts towards Angel's lockout.
fn named<'a>(contents: &'a VaultContents, wanted: &str) -> Result<Named<'a>, NameProblem> {
    let wanted = wanted.trim().to_lowercase();
    let same = |text: &str| !text.is_empty() && text.to_lowercase() == wanted;
    let accounts = contents.accounts.iter();
    let accounts = accounts.filter(|account| same(&account.label) || same(&account.client_code));
    let entries = contents.totp_entries.iter().filter(|entry| {
        same(&entry.issuer) || same(&entry.account_name) || same(&entry.display_name())
    });
    let mut found: Vec<Named<'a>> = accounts.map(Named::Account).collect();
    found.extend(entries.map(Named::Entry));
    match found.len() {
        0 => Err(NameProblem::Nothing),
        1 => Ok(found.remove(0)),
        _ => Err(NameProblem::Several(
            found
                .iter()
                .map(|named| match named {
                    Named::Account(account) => format!("account {}", account.display_name()),
                    Named::Entry(entry) => format!("TOTP entry {}", entry.display_name()),
                })
                .collect(),
        )),
    }
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

    const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    fn account(label: &str, client_code: &str) -> Account {
        Account::from_form(
            format!("id-{client_code}-{label}"),
            label,
            client_code,
            "1234",
            "abcDEF12",
            SECRET,
        )
        .unwrap()
    }

    fn entry(issuer: &str, name: &str) -> TotpEntry {
        TotpEntry::from_form(format!("e-{issuer}-{name}"), issuer, name, SECRET).unwrap()
    }

    fn picked(contents: &VaultContents, wanted: &str) -> Result<String, NameProblem> {
        named(contents, wanted).map(|found| match found {
            Named::Account(account) => account.label.clone(),
            Named::Entry(entry) => entry.display_name(),
        })
    }

    #[test]
    fn a_name_that_fits_several_records_is_refused_not_guessed() {
        let contents = VaultContents {
            // A label that is another account's client code.
            accounts: vec![account("Z654321", "Z123456"), account("Desk", "Z654321")],
            totp_entries: vec![
                entry("Google", "asha@example.com"),
                entry("Google", "ravi@example.com"),
            ],
        };
        assert_eq!(
            picked(&contents, "z654321"),
            Err(NameProblem::Several(vec![
                "account Z654321 (Z123456)".to_owned(),
                "account Desk (Z654321)".to_owned(),
            ]))
        );
        assert!(matches!(
            picked(&contents, "Google"),
            Err(NameProblem::Several(_))
        ));
        assert_eq!(picked(&contents, "desk").as_deref(), Ok("Desk"));
        assert_eq!(picked(&contents, "Z123456").as_deref(), Ok("Z654321"));
        // Either name of an entry, or both as `halo vault list` shows them.
        assert_eq!(
            picked(&contents, " google: Ravi@example.com ").as_deref(),
            Ok("Google: ravi@example.com")
        );
        assert_eq!(
            picked(&contents, "asha@example.com").as_deref(),
            Ok("Google: asha@example.com")
        );
        assert_eq!(picked(&contents, "GitHub"), Err(NameProblem::Nothing));
    }
}
