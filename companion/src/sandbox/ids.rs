//! Opaque tokens and order identifiers in the shapes Angel One hands out.
//!
//! Tokens are random hex behind a `sandbox-` prefix so nobody mistakes them for real JWTs;
//! order ids are 15 digits and unique order ids are version-4 UUIDs, as in Angel's replies.

use std::sync::atomic::{AtomicU64, Ordering};

/// Could not draw random bytes from the operating system.
#[derive(Debug, thiserror::Error)]
#[error("the operating system refused random bytes: {0}")]
pub struct RandomError(#[from] getrandom::Error);

/// The three tokens a login or a refresh gives out.
pub struct TokenSet {
    /// Bearer token for every secured call.
    pub jwt: String,
    /// Token accepted by generateTokens.
    pub refresh: String,
    /// Token for the market-data feed (unused by the sandbox beyond handing it out).
    pub feed: String,
}

impl TokenSet {
    /// Draws a fresh, unguessable set.
    pub fn random() -> Result<TokenSet, RandomError> {
        Ok(TokenSet {
            jwt: random_token("sandbox-jwt-")?,
            refresh: random_token("sandbox-refresh-")?,
            feed: random_token("sandbox-feed-")?,
        })
    }
}

fn random_token(prefix: &str) -> Result<String, RandomError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!("{prefix}{hex}"))
}

/// Hands out 15-digit order ids, counting up from a random start so that ids from two runs of
/// the sandbox rarely collide in a client that remembers them.
pub struct OrderIds {
    next: AtomicU64,
}

/// The smallest and one past the largest 15-digit number.
const FIFTEEN_DIGITS: std::ops::Range<u64> = 100_000_000_000_000..1_000_000_000_000_000;

impl OrderIds {
    /// Starts somewhere in the lower half of the 15-digit range, leaving room to count up.
    pub fn random() -> Result<OrderIds, RandomError> {
        let half = (FIFTEEN_DIGITS.end - FIFTEEN_DIGITS.start) / 2;
        let start = FIFTEEN_DIGITS.start + getrandom::u64()? % half;
        Ok(OrderIds {
            next: AtomicU64::new(start),
        })
    }

    /// The next order id, always 15 digits.
    pub fn next_id(&self) -> String {
        self.next.fetch_add(1, Ordering::Relaxed).to_string()
    }
}

/// A random version-4 UUID in lower-case hyphenated form, as in Angel's `uniqueorderid`.
pub fn uuid_v4() -> Result<String, RandomError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(format_uuid_v4(bytes))
}

fn format_uuid_v4(mut bytes: [u8; 16]) -> String {
    // RFC 9562: version 4 in the high nibble of byte 6, variant 0b10 in the top of byte 8.
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_has_version_and_variant_bits() {
        assert_eq!(
            format_uuid_v4([0xff; 16]),
            "ffffffff-ffff-4fff-bfff-ffffffffffff"
        );
        assert_eq!(
            format_uuid_v4([0; 16]),
            "00000000-0000-4000-8000-000000000000"
        );
    }

    #[test]
    fn order_ids_are_fifteen_digits_and_distinct() {
        let ids = OrderIds::random().unwrap();
        let (a, b) = (ids.next_id(), ids.next_id());
        assert_eq!(a.len(), 15);
        assert!(a.chars().all(|c| c.is_ascii_digit()));
        assert_ne!(a, b);
    }

    #[test]
    fn tokens_are_prefixed_and_distinct() {
        let (one, two) = (TokenSet::random().unwrap(), TokenSet::random().unwrap());
        assert!(one.jwt.starts_with("sandbox-jwt-") && one.jwt.len() == 12 + 32);
        assert_ne!(one.jwt, two.jwt);
        assert_ne!(one.jwt, one.refresh);
    }
}
