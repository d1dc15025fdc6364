//! What a new passphrase must have before Argon2 is spent on it.
//!
//! Spaces are allowed (a phrase of words is a good passphrase) but not counted: eight spaces
//! would otherwise make a vault that anyone opens at the second guess.
//!
//! One rule for creating and unlocking, in the extension and the companion alike: the
//! passphrase is the text exactly as typed, spaces at either end included. Nothing trims it,
//! because a vault made before a trim would then never open again; the create form says so.

/// The fewest characters other than white space a new passphrase must have.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// True when `passphrase` has at least [`MIN_PASSPHRASE_CHARS`] characters that are not white
/// space. Counted in characters, not bytes.
pub fn passphrase_long_enough(passphrase: &str) -> bool {
    passphrase.chars().filter(|c| !c.is_whitespace()).count() >= MIN_PASSPHRASE_CHARS
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

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
