//! The shared secret behind the codes, cleaned up from whatever the trader pasted.

use zeroize::Zeroizing;

use super::TotpError;

/// RFC 4226 asks for at least 128 bits; shorter secrets still work but deserve a warning.
const RECOMMENDED_BITS: usize = 128;

/// Below this a secret is a partial copy: real issuers hand out at least 80 bits.
const MIN_BITS: usize = 80;

/// Above this it is not a secret at all but something else pasted: issuers hand out 160 to 512
/// bits (the longest a SHA-512 key usefully is), so 1024 leaves room and stops a runaway paste.
const MAX_BITS: usize = 1024;

/// A TOTP secret's bytes, wiped from memory when dropped. Its `Debug` shows only its length.
#[derive(Clone, PartialEq, Eq)]
pub struct TotpSecret {
    bytes: Zeroizing<Vec<u8>>,
}

impl TotpSecret {
    /// Reads a base32 secret as traders paste it: spaces, line breaks, hyphens and `=` padding
    /// are dropped and lower case is accepted.
    ///
    /// Refuses an empty secret, six to eight bare digits (a one-time code pasted by mistake),
    /// characters outside base32 (naming the first), lengths no whole secret has, anything
    /// under 80 bits, and anything over 1024 bits (a page or a file pasted by mistake). Secrets of 80 to 127 bits are accepted; see [`TotpSecret::is_short`].
    pub fn parse(input: &str) -> Result<TotpSecret, TotpError> {
        let cleaned = Zeroizing::new(
            input
                .chars()
                .filter(|c| !c.is_whitespace() && *c != '-' && *c != '=')
                .map(|c| c.to_ascii_uppercase())
                .collect::<String>(),
        );

        if cleaned.is_empty() {
            return Err(TotpError::Empty);
        }
        if (6..=8).contains(&cleaned.len()) && cleaned.bytes().all(|b| b.is_ascii_digit()) {
            return Err(TotpError::LooksLikeCode);
        }
        if cleaned.len() * 5 > MAX_BITS + 7 {
            return Err(TotpError::TooLong {
                bits: cleaned.len() * 5 / 8 * 8,
            });
        }
        if let Some(character) = cleaned.chars().find(|c| !is_base32(*c)) {
            return Err(TotpError::BadCharacter { character });
        }
        // Each 8 characters carry 5 bytes; a remainder of 1, 3 or 6 characters encodes no whole
        // byte count, so such a string was cut short.
        if matches!(cleaned.len() % 8, 1 | 3 | 6) {
            return Err(TotpError::Truncated {
                length: cleaned.len(),
            });
        }

        let decoded = totp_rs::Secret::try_from_base32(cleaned.as_str()).map_err(|_| {
            TotpError::Truncated {
                length: cleaned.len(),
            }
        })?;
        let bytes = Zeroizing::new(decoded.as_bytes().to_vec());
        if bytes.len() * 8 < MIN_BITS {
            return Err(TotpError::TooShort {
                bits: bytes.len() * 8,
            });
        }
        Ok(TotpSecret { bytes })
    }

    /// The secret in canonical form: upper-case base32 without padding, as stored in the vault.
    pub fn to_base32(&self) -> String {
        totp_rs::Secret::from(self.bytes.as_slice()).to_base32()
    }

    /// True when the secret is under the 128 bits RFC 4226 requires: it works, and the interface
    /// may say it is weaker than it should be.
    pub fn is_short(&self) -> bool {
        self.bits() < RECOMMENDED_BITS
    }

    /// The secret's length in bits.
    pub fn bits(&self) -> usize {
        self.bytes.len() * 8
    }

    pub(super) fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }
}

impl core::fmt::Debug for TotpSecret {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        write!(f, "TotpSecret({} bits, redacted)", self.bits())
    }
}

fn is_base32(c: char) -> bool {
    c.is_ascii_uppercase() || ('2'..='7').contains(&c)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn padding_case_and_separators_give_one_key() {
        let canonical = TotpSecret::parse("MFXGOZLMFVXW4ZJNMRSW23ZBEE").unwrap();
        for input in [
            "MFXGOZLMFVXW4ZJNMRSW23ZBEE======",
            "mfxgozlmfvxw4zjnmrsw23zbee",
            "mfxg ozlm fvxw 4zjn mrsw 23zb ee",
            "MFXG-OZLM-FVXW-4ZJN-MRSW-23ZB-EE\r\n",
        ] {
            assert_eq!(TotpSecret::parse(input).unwrap(), canonical, "{input:?}");
        }
        assert_eq!(canonical.to_base32(), "MFXGOZLMFVXW4ZJNMRSW23ZBEE");
        assert_eq!(canonical.bits(), 128);
        assert!(!canonical.is_short());
    }

    #[test]
    fn eighty_bit_secret_is_accepted_but_short() {
        let secret = TotpSecret::parse("ORSW4LLCPF2GK4ZB").unwrap();
        assert_eq!(secret.bits(), 80);
        assert!(secret.is_short());
    }

    #[test]
    fn one_time_codes_are_refused() {
        for input in ["081804", "234567", " 2345 67 ", "94287082"] {
            assert_eq!(
                TotpSecret::parse(input),
                Err(TotpError::LooksLikeCode),
                "{input:?}"
            );
        }
    }

    #[test]
    fn empty_input_is_refused() {
        for input in ["", "   ", "\n", "====", " - "] {
            assert_eq!(TotpSecret::parse(input), Err(TotpError::Empty), "{input:?}");
        }
    }

    #[test]
    fn first_bad_character_is_named() {
        assert_eq!(
            TotpSecret::parse("GEZDGNBVGY3TQOJ0GEZDGNBVGY3TQOJQ"),
            Err(TotpError::BadCharacter { character: '0' })
        );
        assert_eq!(
            TotpSecret::parse("GEZDGNBVGY3TQOJQ/GEZDGNBVGY3TQOJ1"),
            Err(TotpError::BadCharacter { character: '/' })
        );
    }

    #[test]
    fn cut_short_and_tiny_secrets_are_refused() {
        assert_eq!(
            TotpSecret::parse("GEZDGNBVGY3TQOJQG"),
            Err(TotpError::Truncated { length: 17 })
        );
        assert_eq!(
            TotpSecret::parse("GEZDGNBV"),
            Err(TotpError::TooShort { bits: 40 })
        );
    }

    #[test]
    fn something_far_longer_than_a_secret_is_refused() {
        let longest = "A".repeat(205);
        assert_eq!(TotpSecret::parse(&longest).map(|s| s.bits()), Ok(1024));
        assert_eq!(
            TotpSecret::parse(&"A".repeat(208)),
            Err(TotpError::TooLong { bits: 1040 })
        );
        // A whole page pasted: refused by its length before anything else is looked at.
        let page = "<html>".repeat(20_000);
        assert_eq!(
            TotpSecret::parse(&page),
            Err(TotpError::TooLong { bits: 600_000 })
        );
    }

    #[test]
    fn debug_never_shows_the_secret() {
        let secret = TotpSecret::parse("MFXGOZLMFVXW4ZJNMRSW23ZBEE").unwrap();
        let shown = format!("{secret:?}");
        assert_eq!(shown, "TotpSecret(128 bits, redacted)");
    }
}
