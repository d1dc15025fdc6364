//! Questions asked on the terminal: the passphrase (never an argument) and confirmations.
//!
//! Scripts and tests give the passphrase in a file named by `HALO_PASSPHRASE_FILE`, or pipe it
//! on standard input; a person types it at a prompt that does not echo.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

use anyhow::bail;
use halo_core::vault::{PassphraseForms, check_new_passphrase};
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
        let text = read_passphrase_file(Path::new(&path))?;
        let first = Zeroizing::new(text.lines().next().unwrap_or("").to_owned());
        return given(first, NoPassphrase::EmptyFile);
    }
    if std::io::stdin().is_terminal() {
        let typed = Zeroizing::new(rpassword::prompt_password(question)?);
        return given(typed, NoPassphrase::NothingTyped);
    }
    // Room for any real passphrase up front: a buffer that grew would leave the copies it
    // outgrew in freed memory, unwiped.
    let mut line = Zeroizing::new(String::with_capacity(4096));
    std::io::stdin().lock().read_line(&mut line)?;
    let line = Zeroizing::new(line.trim_end_matches(['\r', '\n']).to_owned());
    given(line, NoPassphrase::NothingOnStdin)
}

/// Why the file `HALO_PASSPHRASE_FILE` names gave no passphrase. The messages name the file,
/// never a byte of what it holds.
#[derive(Debug, thiserror::Error)]
pub enum PassphraseFileError {
    /// The file could not be read: missing, a folder, or not this user's to read.
    #[error(
        "cannot read {file}, the passphrase file {PASSPHRASE_FILE_ENV} names; check the path \
         in {PASSPHRASE_FILE_ENV} and that the file is yours to read"
    )]
    Unreadable {
        /// The file's path.
        file: String,
        /// What the system said, shown after the message.
        source: std::io::Error,
    },
    /// The file is neither UTF-8 nor UTF-16 with a byte-order mark (an ANSI code page, say).
    #[error(
        "{file}, the passphrase file {PASSPHRASE_FILE_ENV} names, is not UTF-8 text; save it \
         as UTF-8 (in Notepad: Save as, Encoding UTF-8; in PowerShell: Set-Content -Encoding \
         utf8)"
    )]
    NotText {
        /// The file's path.
        file: String,
    },
}

/// The text of the passphrase file at `path`, whichever of the encodings Windows tools save it
/// in: UTF-8 with or without Notepad's byte-order mark, or UTF-16 as PowerShell 5's `>` writes.
fn read_passphrase_file(path: &Path) -> Result<Zeroizing<String>, PassphraseFileError> {
    let file = || path.display().to_string();
    let bytes =
        Zeroizing::new(
            std::fs::read(path).map_err(|source| PassphraseFileError::Unreadable {
                file: file(),
                source,
            })?,
        );
    decode(&bytes).ok_or_else(|| PassphraseFileError::NotText { file: file() })
}

/// `bytes` as text: UTF-16 (either byte order) when they start with its byte-order mark,
/// otherwise UTF-8 without a leading mark; `None` when they are not valid in that encoding.
fn decode(bytes: &[u8]) -> Option<Zeroizing<String>> {
    let utf16 = |rest: &[u8], unit: fn([u8; 2]) -> u16| {
        let pairs = rest.chunks_exact(2);
        if !pairs.remainder().is_empty() {
            return None;
        }
        let units: Zeroizing<Vec<u16>> =
            Zeroizing::new(pairs.map(|pair| unit([pair[0], pair[1]])).collect());
        String::from_utf16(&units).ok().map(Zeroizing::new)
    };
    match bytes {
        [0xFF, 0xFE, rest @ ..] => utf16(rest, u16::from_le_bytes),
        [0xFE, 0xFF, rest @ ..] => utf16(rest, u16::from_be_bytes),
        [0xEF, 0xBB, 0xBF, rest @ ..] | rest => std::str::from_utf8(rest)
            .ok()
            .map(|text| Zeroizing::new(text.to_owned())),
    }
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
    if let Err(weak) = check_new_passphrase(&PassphraseForms::of(&first)) {
        bail!("new passphrase refused. {weak}; nothing was created");
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

#[cfg(test)]
mod tests {
    use super::*;

    fn decoded(bytes: &[u8]) -> Option<String> {
        decode(bytes).map(|text| text.to_string())
    }

    fn utf16(text: &str, unit: fn(u16) -> [u8; 2], mark: [u8; 2]) -> Vec<u8> {
        let mut bytes = mark.to_vec();
        bytes.extend(text.encode_utf16().flat_map(unit));
        bytes
    }

    #[test]
    fn windows_encodings_of_a_passphrase_file_decode_to_the_same_text() {
        let text = "  correct horsé battery ₹ \r\n";
        assert_eq!(decoded(text.as_bytes()).as_deref(), Some(text));
        let notepad = [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat();
        assert_eq!(decoded(&notepad).as_deref(), Some(text));
        let little = utf16(text, u16::to_le_bytes, [0xFF, 0xFE]);
        assert_eq!(decoded(&little).as_deref(), Some(text));
        let big = utf16(text, u16::to_be_bytes, [0xFE, 0xFF]);
        assert_eq!(decoded(&big).as_deref(), Some(text));
        // Only a leading mark is one; a later U+FEFF is part of the passphrase.
        assert_eq!(
            decoded("a\u{FEFF}b".as_bytes()).as_deref(),
            Some("a\u{FEFF}b")
        );
    }

    #[test]
    fn a_passphrase_file_in_no_encoding_halo_reads_is_refused() {
        // "café" in Windows-1252, as Notepad's "ANSI" saves it.
        assert_eq!(decoded(b"caf\xe9\r\n"), None);
        // UTF-16 cut in the middle of a unit, and a lone surrogate.
        assert_eq!(decoded(&[0xFF, 0xFE, b'a', 0, b'b']), None);
        assert_eq!(decoded(&[0xFF, 0xFE, 0x00, 0xD8]), None);
    }
}
