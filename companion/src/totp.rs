//! `halo totp`: the current code for a secret or `otpauth://` link read from standard input.
//!
//! The secret is never an argument: arguments show in `ps` to every user of the machine and
//! land in shell history. Scripts pipe it in; the code and its seconds left go to stdout.

use std::io::Read;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::{Context, bail};
use halo_core::totp::{code_at, parse_secret_or_uri};
use zeroize::Zeroizing;

/// More than any secret or link; a larger input is a mistake (a file piped in by accident).
const MAX_INPUT_BYTES: u64 = 16 * 1024;

/// Arguments of `halo totp`.
#[derive(Debug, clap::Args)]
pub struct TotpArgs {
    /// An account in the companion's own vault (not available yet: use --stdin)
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
    if args.account.is_some() {
        // TODO: read the companion's own vault once it exists; the extension's is in the
        // browser's storage, out of reach of this process.
        // The argument is not repeated: it may be a secret typed where it does not belong.
        bail!(
            "the companion has no vault of its own yet, so no account can be looked up; pipe \
             the secret in instead: halo totp --stdin"
        );
    }
    if !args.stdin {
        bail!(
            "say where the secret comes from: halo totp --stdin (a secret is never taken as an \
             argument, where other users of this machine could see it)"
        );
    }

    let mut input = Zeroizing::new(String::new());
    std::io::stdin()
        .take(MAX_INPUT_BYTES + 1)
        .read_to_string(&mut input)
        .context("standard input is not text")?;
    if input.len() as u64 > MAX_INPUT_BYTES {
        bail!("standard input is longer than any secret or otpauth link ({MAX_INPUT_BYTES} bytes)");
    }

    let link = parse_secret_or_uri(&input)?;
    if link.secret.is_short() {
        eprintln!(
            "halo: warning: this secret is {} bits, under the 128 bits the standard asks for; \
             it works, but ask the issuer for a new one when you can",
            link.secret.bits()
        );
    }
    let now = match args.at {
        Some(at) => at,
        None => SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .context("this machine's clock is before 1970")?
            .as_secs(),
    };
    let code = code_at(&link.secret, &link.params, now)?;
    println!("{}  {} s left", code.code, code.seconds_left);
    Ok(())
}
