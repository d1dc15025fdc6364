//! Questions asked on the terminal: the passphrase (never an argument) and confirmations.
//!
//! Scripts and tests give the passphrase in a file named by `HALO_PASSPHRASE_FILE`, or pipe it
//! on standard input; a person types it at a prompt that does not echo.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};
use halo_core::vault::{MIN_PASSPHRASE_CHARS, passphrase_long_enough};
use zeroize::Zeroizing;

/// Names a file holding the passphrase (its first line).
pub const PASSPHRASE_FILE_ENV: &str = "HALO_PASSPHRASE_FILE";

/// No passphrase came from where the companion looked for one. An empty passphrase opens no
/// vault, so saying "wrong passphrase" would send the trader hunting for the wrong thing.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoPassphrase {
    /// `HALO_PASSPHRASE_FILE` names a file whose first line is empty.
    #[error(
        "no passphrase was given: the file {PASSPHRASE_FILE_ENV} names has an empty first \
         line; put the vault passphrase on its first line"
    )]
    EmptyFile,
    /// Nothing was typed at the prompt.
    #[error("no passphrase was given: type the vault passphrase at the prompt")]
    NothingTyped,
    /// Standard input is not a terminal and its first line is empty, or it has none.
    #[error(
        "no passphrase was given: standard input is not a terminal and held none. Run the \
         command in a terminal to be asked, pipe the passphrase in, or name a file holding it \
         in {PASSPHRASE_FILE_ENV}"
    )]
    NothingOnStdin,
}

/// The vault passphrase, from `HALO_PASSPHRASE_FILE`, a prompt, or standard input's first line;
/// refuses an empty one. Spaces are kept as typed: they are part of the passphrase.
pub fn passphrase(question: &str) -> anyhow::Result<Zeroizing<String>> {
    if let Some(path) = passphrase_file() {
        let text = Zeroizing::new(
            std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {PASSPHRASE_FILE_ENV}"))?,
        );
        let first = Zeroizing::new(text.lines().next().unwrap_or("").to_owned());
        return given(first, NoPassphrase::EmptyFile);
    }
    if std::io::stdin().is_terminal() {
        let typed = Zeroizing::new(rpassword::prompt_password(question)?);
        return given(typed, NoPassphrase::NothingTyped);
    }
    let mut line = Zeroizing::new(String::new());
    std::io::stdin().lock().read_line(&mut line)?;
    let line = Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_owned());
    given(line, NoPassphrase::NothingOnStdin)
}

/// The file `HALO_PASSPHRASE_FILE` names; set but empty counts as not set, as shells leave it
/// after `HALO_PASSPHRASE_FILE= halo ...`.
fn passphrase_file() -> Option<std::ffi::OsString> {
    std::env::var_os(PASSPHRASE_FILE_ENV).filter(|path| !path.is_empty())
}

fn given(
    passphrase: Zeroizing<String>,
    missing: NoPassphrase,
) -> anyhow::Result<Zeroizing<String>> {
    match passphrase.is_empty() {
        true => Err(missing.into()),
        false => Ok(passphrase),
    }
}

/// A new passphrase, asked twice at a prompt (once from a file or a pipe), with halo-core's
/// rule, the extension's: at least 8 characters other than spaces.
pub fn new_passphrase() -> anyhow::Result<Zeroizing<String>> {
    let first = passphrase("New vault passphrase: ")?;
    if !passphrase_long_enough(&first) {
        bail!(
            "the passphrase must have at least {MIN_PASSPHRASE_CHARS} characters other than \
             spaces; nothing was created"
        );
    }
    if passphrase_file().is_none() && std::io::stdin().is_terminal() {
        let again = passphrase("Type it again: ")?;
        if *again != *first {
            bail!("the two passphrases differ; nothing was created");
        }
    }
    Ok(first)
}

/// Asks `question` and reads y/yes from standard input; anything else is no.
pub fn confirm(question: &str) -> anyhow::Result<bool> {
    print!("{question} [y/N] ");
    std::io::stdout().flush()?;
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line)?;
    if !std::io::stdin().is_terminal() {
        // A piped answer is not echoed: end the question's line ourselves.
        println!();
    }
    Ok(matches!(
        line.trim().to_ascii_lowercase().as_str(),
        "y" | "yes"
    ))
}
