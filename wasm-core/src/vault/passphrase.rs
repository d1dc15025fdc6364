//! What a new passphrase must have before Argon2 is spent on it.
//!
//! Spaces are allowed (a phrase of words is a good passphrase) but not counted: eight spaces
//! would otherwise make a vault that anyone opens at the second guess.

/// The fewest characters other than white space a new passphrase must have.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

/// True when `passphrase` has at least [`MIN_PASSPHRASE_CHARS`] characters that are not white
/// space. Counted in characters, not bytes.
pub fn passphrase_long_enough(passphrase: &str) -> bool {
    passphrase.chars().filter(|c| !c.is_whitespace()).count() >= MIN_PASSPHRASE_CHARS
}

#[cfg(test)]
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
}
