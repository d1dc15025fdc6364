//! Questions asked on the terminal: the passphrase (never an argument) and confirmations.
//!
//! Scripts and tests give the passphrase in a file named by `HALO_PASSPHRASE_FILE`, or pipe it
//! on standard input; a person types it at a prompt that does not echo.

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{Context, bail};
use zeroize::Zeroizing;

/// Names a file holding the passphrase (its first line).
pub const PASSPHRASE_FILE_ENV: &str = "HALO_PASSPHRASE_FILE";

/// The vault passphrase, from `HALO_PASSPHRASE_FILE`, a prompt, or standard input's first line.
pub fn passphrase(question: &str) -> anyhow::Result<Zeroizing<String>> {
    if let Some(path) = std::env::var_os(PASSPHRASE_FILE_ENV) {
        let text = Zeroizing::new(
            std::fs::read_to_string(&path)
                .with_context(|| format!("cannot read {PASSPHRASE_FILE_ENV}"))?,
        );
        return Ok(Zeroizing::new(text.lines().next().unwrap_or("").to_owned()));
    }
    if std::io::stdin().is_terminal() {
        return Ok(Zeroizing::new(rpassword::prompt_password(question)?));
    }
    let mut line = Zeroizing::new(String::new());
    std::io::stdin().lock().read_line(&mut line)?;
    Ok(Zeroizing::new(
        line.trim_end_matches(['\r', '\n']).to_owned(),
    ))
}

/// A new passphrase, asked twice at a prompt (once from a file or a pipe), at least 8 chars.
pub fn new_passphrase() -> anyhow::Result<Zeroizing<String>> {
    let first = passphrase("New vault passphrase: ")?;
    if first.chars().count() < 8 {
        bail!("the passphrase must have at least 8 characters");
    }
    if std::env::var_os(PASSPHRASE_FILE_ENV).is_none() && std::io::stdin().is_terminal() {
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
