//! What a new passphrase must have before Argon2 is spent on it, and the one Unicode form keys
//! are derived from.
//!
//! Spaces are allowed (a phrase of words is a good passphrase) but not counted: eight spaces
//! would otherwise make a vault that anyone opens at the second guess.
//!
//! One rule for creating and unlocking, in the extension and the companion alike: the
//! passphrase is the text as typed, spaces at either end included. Nothing trims it, because a
//! vault made before a trim would then never open again; the create form says so. What is
//! normalised is only how accented letters are encoded: "é" arrives as one character from one
//! keyboard and as "e" plus a combining accent from another keyboard or a paste, and the two
//! look the same to the trader, so keys are derived from the composed form (Unicode NFC).

use zeroize::Zeroizing;

use super::{KdfParams, VaultContents, VaultError, VaultFile, VaultKey, derive_key};

/// The fewest characters other than white space a new passphrase must have.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// True when `passphrase` has at least [`MIN_PASSPHRASE_CHARS`] characters that are not white
/// space. Counted in characters, not bytes.
pub fn passphrase_long_enough(passphrase: &str) -> bool {
    passphrase.chars().filter(|c| !c.is_whitespace()).count() >= MIN_PASSPHRASE_CHARS
}

/// Why a new passphrase is refused before any key is derived from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WeakPassphrase {
    /// Fewer than [`MIN_PASSPHRASE_CHARS`] characters besides spaces.
    #[error("Choose a passphrase of at least 8 characters other than spaces")]
    TooShort,
    /// Only digits, an obvious word with digits around it, a group repeated, a run such as
    /// `12345678`, or a keyboard row: what a guesser tries first, however long.
    #[error(
        "A passphrase of only digits, an obvious word with digits (Password@123), or a \
         pattern (repeats, 12345678, qwertyui) is among the first guesses; use a few \
         unrelated words instead"
    )]
    Pattern,
}

/// Words a guesser tries first, with any digits and signs around them; for a trading tool
/// that includes the market's own names.
const OBVIOUS_WORDS: [&str; 16] = [
    "password", "passwrd", "iloveyou", "qwerty", "admin", "welcome", "letmein", "abc", "angel",
    "angelone", "smartapi", "trading", "trader", "sensex", "nifty", "india",
];

/// The keyboard rows a guesser walks along, in either direction; the first is the digit row
/// with Shift held.
const KEYBOARD_ROWS: [&str; 5] = [
    "!@#$%^&*()",
    "1234567890",
    "qwertyuiop",
    "asdfghjkl",
    "zxcvbnm",
];

/// Checks a new passphrase, in its composed form: long enough, and not one of the patterns
/// guessed first. Spaces are ignored for both, and letters compared without case.
pub fn check_new_passphrase(passphrase: &PassphraseForms) -> Result<(), WeakPassphrase> {
    let passphrase = passphrase.composed();
    if !passphrase_long_enough(passphrase) {
        return Err(WeakPassphrase::TooShort);
    }
    let chars: Vec<char> = passphrase
        .chars()
        .filter(|c| !c.is_whitespace())
        .flat_map(char::to_lowercase)
        .collect();
    // A group of up to half the length repeated: aaaaaaaa, abababab, 12341234.
    let repeated =
        (1..=chars.len() / 2).any(|unit| chars.iter().skip(unit).zip(&chars).all(|(a, b)| a == b));
    // Characters mostly in runs of two or more: aaaabbbb, 11223344.
    let doubled = chars.chunk_by(|a, b| a == b).count() * 2 <= chars.len();
    // Only digits and signs, like a PIN, a phone number or a date.
    let no_letters = !chars.iter().any(|c| c.is_alphabetic());
    // An obvious word dressed up with digits and signs: Password@123, Angel@2026.
    let letters: String = chars.iter().filter(|c| c.is_alphabetic()).collect();
    let dressed_up_word = OBVIOUS_WORDS.contains(&letters.as_str());
    let run = |step: i64| {
        chars
            .windows(2)
            .all(|pair| i64::from(u32::from(pair[1])) - i64::from(u32::from(pair[0])) == step)
    };
    let text: String = chars.iter().collect();
    let reversed: String = chars.iter().rev().collect();
    let on_a_row = KEYBOARD_ROWS
        .iter()
        .any(|row| row.contains(&text) || row.contains(&reversed));
    if repeated || doubled || no_letters || dressed_up_word || run(1) || run(-1) || on_a_row {
        return Err(WeakPassphrase::Pattern);
    }
    Ok(())
}

/// A passphrase as typed and in the two Unicode normal forms, wiped when dropped.
///
/// The forms come from whoever has Unicode tables at hand: [`PassphraseForms::of`] with the
/// `unicode-tables` feature, or the browser's `String.prototype.normalize` through
/// [`PassphraseForms::new`], which keeps the tables out of the extension's wasm.
pub struct PassphraseForms {
    as_typed: Zeroizing<String>,
    composed: Zeroizing<String>,
    decomposed: Zeroizing<String>,
}

impl PassphraseForms {
    /// The passphrase `as_typed`, with its NFC (`composed`) and NFD (`decomposed`) forms.
    pub fn new(as_typed: String, composed: String, decomposed: String) -> Self {
        PassphraseForms {
            as_typed: Zeroizing::new(as_typed),
            composed: Zeroizing::new(composed),
            decomposed: Zeroizing::new(decomposed),
        }
    }

    /// The forms of `as_typed`, from the Unicode tables compiled in.
    #[cfg(feature = "unicode-tables")]
    pub fn of(as_typed: &str) -> Self {
        use unicode_normalization::UnicodeNormalization;
        Self::new(
            as_typed.to_owned(),
            as_typed.nfc().collect(),
            as_typed.nfd().collect(),
        )
    }

    /// The passphrase as typed.
    pub fn as_typed(&self) -> &str {
        &self.as_typed
    }

    /// The composed form (NFC), which new keys are derived from: the one to count and compare,
    /// since two encodings of the same letters are one passphrase.
    pub fn composed(&self) -> &str {
        &self.composed
    }

    /// The forms an existing vault may be keyed on, most likely first, each once.
    fn to_try(&self) -> Vec<&str> {
        let mut forms: Vec<&str> = Vec::with_capacity(3);
        for form in [&self.composed, &self.as_typed, &self.decomposed] {
            if !forms.contains(&form.as_str()) {
                forms.push(form);
            }
        }
        forms
    }
}

/// Derives the key for a new vault, or a vault under a new passphrase, from the passphrase's
/// composed form (NFC).
pub fn derive_new_key(
    passphrase: &PassphraseForms,
    kdf: &KdfParams,
    salt: &[u8; 16],
) -> Result<VaultKey, VaultError> {
    derive_key(&passphrase.composed, kdf, salt)
}

/// Opens `file` with `passphrase` and returns the key that opened it, to keep for the session.
///
/// The composed form (NFC) is tried first, as [`derive_new_key`] uses it. Vaults made before
/// Halo composed passphrases were keyed on the text exactly as typed, which may have been
/// decomposed, so the text as typed and its decomposed form (NFD) are tried next; each form
/// that differs from those before costs one more key derivation, and a passphrase of plain
/// ASCII has only one form.
pub fn open_with_passphrase(
    file: &VaultFile,
    passphrase: &PassphraseForms,
) -> Result<(VaultKey, VaultContents), VaultError> {
    for form in passphrase.to_try() {
        let key = derive_key(form, file.kdf(), file.salt())?;
        match file.open(&key) {
            Ok(contents) => return Ok((key, contents)),
            Err(VaultError::WrongPassphrase) => {}
            Err(other) => return Err(other),
        }
    }
    Err(VaultError::WrongPassphrase)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// Light settings keep the tests fast; the rules do not depend on them.
    const LIGHT: KdfParams = KdfParams {
        m_cost_kib: 64,
        t_cost: 1,
        p_cost: 1,
    };
    const COMPOSED: &str = "Caf\u{e9}-Cr\u{e8}me-9317";
    const DECOMPOSED: &str = "Cafe\u{301}-Cre\u{300}me-9317";

    /// The forms as the companion and the browser both produce them.
    fn forms(typed: &str) -> PassphraseForms {
        use unicode_normalization::UnicodeNormalization;
        PassphraseForms::new(
            typed.to_owned(),
            typed.nfc().collect(),
            typed.nfd().collect(),
        )
    }

    fn sealed_with(key: &VaultKey) -> VaultFile {
        VaultFile::seal(
            key,
            LIGHT,
            [7u8; 16],
            [9u8; 12],
            1,
            &VaultContents::default(),
        )
        .unwrap()
    }

    #[test]
    fn a_new_vault_opens_however_its_accents_are_typed() {
        assert_ne!(COMPOSED, DECOMPOSED);
        for created_with in [COMPOSED, DECOMPOSED] {
            let file =
                sealed_with(&derive_new_key(&forms(created_with), &LIGHT, &[7u8; 16]).unwrap());
            for typed in [COMPOSED, DECOMPOSED] {
                let opened = open_with_passphrase(&file, &forms(typed));
                assert!(
                    opened.is_ok(),
                    "made with {created_with:?}, typed {typed:?}"
                );
            }
            let wrong = open_with_passphrase(&file, &forms("Cafe-Creme-9317"));
            assert_eq!(wrong.err(), Some(VaultError::WrongPassphrase));
        }
    }

    #[test]
    fn a_vault_keyed_on_the_text_as_typed_still_opens() {
        // Before passphrases were composed, a decomposed passphrase keyed the vault as it was.
        let file = sealed_with(&derive_key(DECOMPOSED, &LIGHT, &[7u8; 16]).unwrap());
        for typed in [COMPOSED, DECOMPOSED] {
            assert!(
                open_with_passphrase(&file, &forms(typed)).is_ok(),
                "typed {typed:?}"
            );
        }
    }

    #[test]
    fn patterns_guessed_first_are_refused_and_words_are_not() {
        let weak = [
            "aaaaaaaa",
            "abababab",
            "abcabcabc",
            "12345678",
            "87654321",
            "abcdefgh",
            "ABCDEFGHIJ",
            "qwertyui",
            "QWERTY UIOP",
            "poiuytre",
            "1234 5678 90",
            "zzzzzzzzzzzz",
            "12341234",
            "11223344",
            "aaaabbbb",
            "1111 2222 3333 4444",
            "!@#$%^&*",
            "20261204",
            "Password@123",
            "Angel@123",
            "Sensex@2026",
            "trading123",
            "iloveyou",
            "qwerty123",
            "abc@12345",
        ];
        for weak in weak {
            let refused = check_new_passphrase(&forms(weak));
            assert_eq!(refused, Err(WeakPassphrase::Pattern), "{weak:?}");
        }
        assert_eq!(
            check_new_passphrase(&forms("short")),
            Err(WeakPassphrase::TooShort)
        );
        // Four accented letters are four, however they were encoded.
        let decomposed = "e\u{301}a\u{300}u\u{308}o\u{308}";
        assert_eq!(
            check_new_passphrase(&forms(decomposed)),
            Err(WeakPassphrase::TooShort)
        );
        let fine = [
            "correct horse battery",
            "monsoon ledger kite",
            "abcdefgz",
            "bookkeeper tea",
            "committee 1987",
            "Angel One desk lamp",
            "Caf\u{e9}-Cr\u{e8}me-9317",
        ];
        for fine in fine {
            assert_eq!(check_new_passphrase(&forms(fine)), Ok(()), "{fine:?}");
        }
    }

    #[test]
    fn spaces_do_not_count() {
        assert!(passphrase_long_enough("correct horse"));
        assert!(passphrase_long_enough("abcdefgh"));
        assert!(!passphrase_long_enough("        "));
        assert!(!passphrase_long_enough(" a b c d e f g "));
        assert!(!passphrase_long_enough("\t\n abcdefg \u{a0}"));
        // Seven rupee signs are 21 bytes but 7 characters.
        assert!(!passphrase_long_enough("₹₹₹₹₹₹₹"));
        assert!(passphrase_long_enough("₹₹₹₹ ₹₹₹₹"));
    }

    #[test]
    fn spaces_around_a_passphrase_are_part_of_it() {
        use crate::vault::{KdfParams, VaultContents, VaultError, VaultFile, derive_key};

        // Light settings keep the test fast; the rule does not depend on them.
        let kdf = KdfParams {
            m_cost_kib: 64,
            t_cost: 1,
            p_cost: 1,
        };
        let salt = [7u8; 16];
        let created_with = "  correct horse battery  ";
        assert!(passphrase_long_enough(created_with));
        let key = derive_key(created_with, &kdf, &salt).unwrap();
        let contents = VaultContents::default();
        let file = VaultFile::seal(&key, kdf, salt, [9u8; 12], 1, &contents).unwrap();

        let same = derive_key("  correct horse battery  ", &kdf, &salt).unwrap();
        assert_eq!(file.open(&same), Ok(contents));
        for other in [
            "correct horse battery",
            "  correct horse battery",
            "correcthorsebattery",
        ] {
            let key = derive_key(other, &kdf, &salt).unwrap();
            assert_eq!(
                file.open(&key),
                Err(VaultError::WrongPassphrase),
                "{other:?}"
            );
        }
    }
}
