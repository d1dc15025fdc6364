//! Pairing the extension with the companion, and the sealed channel between them.
//!
//! The first time, as a password manager pairs with its browser extension, both sides draw an
//! X25519 key pair, swap public keys and derive from the shared secret the same pairing key and
//! the same six-digit code. Each side shows the code; the person confirms in Halo's popup that
//! the two match, and the extension sends the code it confirmed, sealed under the new key. The
//! companion keeps the pairing only when that code is its own, so a pairing the person did not
//! confirm, or confirmed against another code, is refused.
//!
//! Every later connection starts with fresh X25519 keys on both sides, mixed with the pairing
//! key ([`open_channel`]): only the two paired sides reach the same channel keys, and a recorded
//! connection cannot be replayed into a new one. Inside it, each message is sealed by a
//! [`Channel`]. Nothing here performs I/O: the random bytes come from the caller.

pub mod channel;
pub mod wire;

use aes_gcm::Aes256Gcm;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use hkdf::Hkdf;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use sha2::Sha256;
use thiserror::Error;
use x25519_dalek::{X25519_BASEPOINT_BYTES, x25519};
use zeroize::Zeroizing;

pub use channel::{Channel, Sealed};

use crate::vault::VaultKey;

/// Domain separation for the pairing's key, id and code.
const PAIRING_SALT: &[u8] = b"halo pairing v1";
/// Domain separation for a connection's channel keys.
const CHANNEL_INFO: &[u8] = b"halo channel v1";

/// Why pairing or a sealed message failed.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum PairingError {
    /// The other side's public key is malformed or yields no shared secret (a low-order point).
    #[error("the other side sent an unusable key; pair again")]
    WeakKey,
    /// The code sent back is not the code this side showed.
    #[error(
        "the code confirmed in Halo's popup is not the code the companion showed, so nothing was \
         paired; pair again and confirm only when both show the same code"
    )]
    CodeMismatch,
    /// A message arrived with a number other than the next one expected: a replay, a reordering
    /// or a lost message. It was not opened.
    #[error("a message arrived out of turn (number {got}, expected {expected}) and was refused")]
    OutOfTurn {
        /// The number expected next.
        expected: u64,
        /// The number the message carried.
        got: u64,
    },
    /// A message failed authentication: altered on the way, or sealed under another key.
    #[error(
        "a message failed its integrity check (altered, or from another pairing) and was refused"
    )]
    Altered,
    /// A key or a sealed message is not the base64 it should be.
    #[error("a pairing message is malformed")]
    Malformed,
}

/// Which side of the pairing this is. The extension's key always comes first in what both
/// sides hash, so they agree on one transcript.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The browser extension, which starts every connection.
    Extension,
    /// The companion, which answers.
    Companion,
}

/// An X25519 key pair made from 32 random bytes the caller drew.
pub struct KeyPair {
    secret: Zeroizing<[u8; 32]>,
    public: [u8; 32],
}

impl KeyPair {
    /// A key pair from 32 bytes of the platform's randomness (never reused).
    pub fn from_random(random: [u8; 32]) -> KeyPair {
        let secret = Zeroizing::new(random);
        let public = x25519(*secret, X25519_BASEPOINT_BYTES);
        KeyPair { secret, public }
    }

    /// The public key, to send to the other side.
    pub fn public(&self) -> [u8; 32] {
        self.public
    }

    /// The public key as base64, as the wire carries it.
    pub fn public_base64(&self) -> String {
        BASE64.encode(self.public)
    }

    /// The shared secret with `peer`; refused when it is all zeros, which a malicious
    /// low-order public key would force.
    fn agree(&self, peer: &[u8; 32]) -> Result<Zeroizing<[u8; 32]>, PairingError> {
        let shared = Zeroizing::new(x25519(*self.secret, *peer));
        if shared.iter().all(|byte| *byte == 0) {
            return Err(PairingError::WeakKey);
        }
        Ok(shared)
    }
}

impl std::fmt::Debug for KeyPair {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyPair")
            .field("public", &BASE64.encode(self.public))
            .finish_non_exhaustive()
    }
}

/// A confirmed pairing, as each side keeps it: a public id and the secret pairing key.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pairing {
    /// Sixteen hex digits naming the pairing; not secret.
    pub id: String,
    /// The pairing key (base64 in JSON). Whoever holds it can speak for this pairing.
    #[serde(serialize_with = "key_to_base64", deserialize_with = "key_from_base64")]
    key: Zeroizing<[u8; 32]>,
}

impl std::fmt::Debug for Pairing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pairing")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

/// A pairing both sides have derived, not yet confirmed by the person.
#[derive(Debug)]
pub struct Candidate {
    /// The pairing it becomes once confirmed.
    pub pairing: Pairing,
    /// The six digits both sides show, as `123 456`.
    pub code: String,
}

/// Derives the pairing and its code from this side's key pair and the other side's public key.
pub fn begin(own: &KeyPair, role: Role, peer_public: &[u8; 32]) -> Result<Candidate, PairingError> {
    let shared = own.agree(peer_public)?;
    let transcript = transcript(own, role, peer_public);
    let hkdf = Hkdf::<Sha256>::new(Some(PAIRING_SALT), shared.as_ref());

    let mut key = Zeroizing::new([0u8; 32]);
    let mut id = [0u8; 8];
    let mut code = [0u8; 4];
    // HKDF-SHA256 can expand up to 8160 bytes; these lengths are far below it.
    let expanded = hkdf
        .expand_multi_info(&[b"key", &transcript], key.as_mut())
        .and_then(|()| hkdf.expand_multi_info(&[b"id", &transcript], &mut id))
        .and_then(|()| hkdf.expand_multi_info(&[b"code", &transcript], &mut code));
    expanded.map_err(|_| PairingError::WeakKey)?;

    let number = u32::from_be_bytes(code) % 1_000_000;
    Ok(Candidate {
        pairing: Pairing {
            id: id.iter().map(|byte| format!("{byte:02x}")).collect(),
            key,
        },
        code: format!("{:03} {:03}", number / 1000, number % 1000),
    })
}

/// Whether the code a person confirmed is the one this side showed. Spaces are ignored, and
/// every digit is compared whatever the first difference, so timing tells nothing.
pub fn code_matches(shown: &str, confirmed: &str) -> bool {
    let digits =
        |text: &str| -> Vec<u8> { text.bytes().filter(|b| !b.is_ascii_whitespace()).collect() };
    let (shown, confirmed) = (digits(shown), digits(confirmed));
    shown.len() == confirmed.len()
        && shown
            .iter()
            .zip(&confirmed)
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

/// Opens the sealed channel of one connection: fresh key pairs on both sides, mixed with the
/// pairing key. The other side reaches the same keys only if it holds the same pairing.
pub fn open_channel(
    pairing: &Pairing,
    own: &KeyPair,
    role: Role,
    peer_public: &[u8; 32],
) -> Result<Channel, PairingError> {
    let shared = own.agree(peer_public)?;
    let transcript = transcript(own, role, peer_public);
    let hkdf = Hkdf::<Sha256>::new(Some(pairing.key.as_ref()), shared.as_ref());
    let mut keys = Zeroizing::new([0u8; 64]);
    hkdf.expand_multi_info(&[CHANNEL_INFO, &transcript], keys.as_mut())
        .map_err(|_| PairingError::WeakKey)?;

    let mut to_companion = Zeroizing::new([0u8; 32]);
    let mut to_extension = Zeroizing::new([0u8; 32]);
    to_companion.copy_from_slice(&keys[..32]);
    to_extension.copy_from_slice(&keys[32..]);
    let (send, receive) = match role {
        Role::Extension => (&*to_companion, &*to_extension),
        Role::Companion => (&*to_extension, &*to_companion),
    };
    Ok(Channel::new(&pairing.id, role, send, receive))
}

/// A pairing sealed for the extension's storage under a key derived from the vault's, so it is
/// never stored in clear and is usable only while Halo is unlocked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WrappedPairing {
    /// The pairing's id, readable while locked (it is not secret).
    pub id: String,
    /// The AES-GCM nonce, base64.
    pub nonce: String,
    /// The sealed pairing, base64.
    pub sealed: String,
}

impl Pairing {
    /// Seals this pairing under `vault_key`, with 12 random bytes the caller drew.
    pub fn wrap(
        &self,
        vault_key: &VaultKey,
        nonce: [u8; 12],
    ) -> Result<WrappedPairing, PairingError> {
        let plain = Zeroizing::new(serde_json::to_vec(self).map_err(|_| PairingError::Malformed)?);
        let sealed = wrapping_cipher(vault_key)?
            .encrypt(
                &aes_gcm::Nonce::from(nonce),
                Payload {
                    msg: &plain,
                    aad: self.id.as_bytes(),
                },
            )
            .map_err(|_| PairingError::Altered)?;
        Ok(WrappedPairing {
            id: self.id.clone(),
            nonce: BASE64.encode(nonce),
            sealed: BASE64.encode(sealed),
        })
    }
}

impl WrappedPairing {
    /// Opens a pairing sealed by [`Pairing::wrap`]; [`PairingError::Altered`] under another vault
    /// key (a new passphrase re-keys the vault: pair again).
    pub fn unwrap(&self, vault_key: &VaultKey) -> Result<Pairing, PairingError> {
        let nonce: [u8; 12] = BASE64
            .decode(&self.nonce)
            .ok()
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or(PairingError::Malformed)?;
        let sealed = BASE64
            .decode(&self.sealed)
            .map_err(|_| PairingError::Malformed)?;
        let plain = Zeroizing::new(
            wrapping_cipher(vault_key)?
                .decrypt(
                    &aes_gcm::Nonce::from(nonce),
                    Payload {
                        msg: &sealed,
                        aad: self.id.as_bytes(),
                    },
                )
                .map_err(|_| PairingError::Altered)?,
        );
        serde_json::from_slice(&plain).map_err(|_| PairingError::Malformed)
    }
}

/// AES-256-GCM under a key derived from the vault key for this one purpose.
fn wrapping_cipher(vault_key: &VaultKey) -> Result<Aes256Gcm, PairingError> {
    let raw = Zeroizing::new(
        BASE64
            .decode(vault_key.to_base64())
            .map_err(|_| PairingError::Malformed)?,
    );
    let mut key = Zeroizing::new([0u8; 32]);
    Hkdf::<Sha256>::new(None, &raw)
        .expand(b"halo pairing storage v1", key.as_mut())
        .map_err(|_| PairingError::Malformed)?;
    Ok(Aes256Gcm::new(<&aes_gcm::Key<Aes256Gcm>>::from(&*key)))
}

/// A public key from the wire's base64.
pub fn public_from_base64(text: &str) -> Result<[u8; 32], PairingError> {
    let bytes = BASE64
        .decode(text.trim())
        .map_err(|_| PairingError::Malformed)?;
    bytes.try_into().map_err(|_| PairingError::Malformed)
}

/// The extension's public key, then the companion's.
fn transcript(own: &KeyPair, role: Role, peer_public: &[u8; 32]) -> [u8; 64] {
    let (first, second) = match role {
        Role::Extension => (own.public, *peer_public),
        Role::Companion => (*peer_public, own.public),
    };
    let mut both = [0u8; 64];
    both[..32].copy_from_slice(&first);
    both[32..].copy_from_slice(&second);
    both
}

fn key_to_base64<S: Serializer>(
    key: &Zeroizing<[u8; 32]>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&BASE64.encode(key.as_ref()))
}

fn key_from_base64<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Zeroizing<[u8; 32]>, D::Error> {
    let text = Zeroizing::new(String::deserialize(deserializer)?);
    let bytes = Zeroizing::new(
        BASE64
            .decode(text.as_bytes())
            .map_err(|_| serde::de::Error::custom("a pairing key is not base64"))?,
    );
    let key: [u8; 32] = bytes
        .as_slice()
        .try_into()
        .map_err(|_| serde::de::Error::custom("a pairing key is not 32 bytes"))?;
    Ok(Zeroizing::new(key))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair() -> (KeyPair, KeyPair) {
        (KeyPair::from_random([7; 32]), KeyPair::from_random([9; 32]))
    }

    #[test]
    fn both_sides_derive_the_same_pairing_and_code() {
        let (extension, companion) = pair();
        let a = begin(&extension, Role::Extension, &companion.public()).unwrap();
        let b = begin(&companion, Role::Companion, &extension.public()).unwrap();
        assert_eq!(a.pairing, b.pairing);
        assert_eq!(a.code, b.code);
        assert_eq!(a.code.len(), 7);
        assert_eq!(a.pairing.id.len(), 16);
        // Another key pair on one side changes everything.
        let other = begin(
            &KeyPair::from_random([8; 32]),
            Role::Extension,
            &companion.public(),
        )
        .unwrap();
        assert_ne!(other.pairing, a.pairing);
    }

    #[test]
    fn a_low_order_public_key_is_refused() {
        let (extension, _) = pair();
        assert_eq!(
            begin(&extension, Role::Extension, &[0; 32]).unwrap_err(),
            PairingError::WeakKey
        );
    }

    #[test]
    fn codes_compare_digit_by_digit() {
        assert!(code_matches("123 456", "123456"));
        assert!(!code_matches("123 456", "123 457"));
        assert!(!code_matches("123 456", "12345"));
        assert!(!code_matches("123 456", ""));
    }

    #[test]
    fn debug_output_hides_the_key() {
        let (extension, companion) = pair();
        let candidate = begin(&extension, Role::Extension, &companion.public()).unwrap();
        let json = serde_json::to_string(&candidate.pairing).unwrap();
        let key_text = json.split('"').nth(7).unwrap().to_owned();
        assert!(!format!("{:?}", candidate.pairing).contains(&key_text));
        let back: Pairing = serde_json::from_str(&json).unwrap();
        assert_eq!(back, candidate.pairing);
    }

    #[test]
    fn a_wrapped_pairing_opens_only_under_its_vault_key() {
        let (extension, companion) = pair();
        let pairing = begin(&extension, Role::Extension, &companion.public())
            .unwrap()
            .pairing;
        let key = VaultKey::from_base64(&BASE64.encode([4u8; 32])).unwrap();
        let wrapped = pairing.wrap(&key, [1; 12]).unwrap();
        assert_eq!(wrapped.id, pairing.id);
        assert_eq!(wrapped.unwrap(&key).unwrap(), pairing);
        let other = VaultKey::from_base64(&BASE64.encode([5u8; 32])).unwrap();
        assert_eq!(wrapped.unwrap(&other).unwrap_err(), PairingError::Altered);
    }
}
