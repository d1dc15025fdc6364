//! AES-256-GCM over the vault's contents, with the header as associated data.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use zeroize::Zeroizing;

use super::VaultError;

/// GCM's authentication tag, appended to the ciphertext.
pub(super) const TAG_LEN: usize = 16;

/// The cipher, keyed by reference: `Key::from(*key)` would leave an unwiped copy of the key on
/// the stack, while the cipher's own round keys are wiped when it drops.
fn cipher(key: &[u8; 32]) -> Aes256Gcm {
    Aes256Gcm::new(<&Key<Aes256Gcm>>::from(key))
}

/// Encrypts `plaintext`; the result is the ciphertext followed by the 16-byte tag.
///
/// The nonce must never repeat under one key: the caller draws 12 random bytes per seal.
pub(super) fn seal(
    key: &[u8; 32],
    nonce: &[u8; 12],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, VaultError> {
    let cipher = cipher(key);
    cipher
        .encrypt(
            &Nonce::from(*nonce),
            Payload {
                msg: plaintext,
                aad,
            },
        )
        .map_err(|_| VaultError::SealFailed)
}

/// Decrypts and authenticates. Any mismatch (key, nonce, associated data, a single flipped bit)
/// is [`VaultError::WrongPassphrase`]: GCM cannot tell these apart, and it never yields garbage.
pub(super) fn open(
    key: &[u8; 32],
    nonce: &[u8; 12],
    aad: &[u8],
    ciphertext: &[u8],
) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let cipher = cipher(key);
    cipher
        .decrypt(
            &Nonce::from(*nonce),
            Payload {
                msg: ciphertext,
                aad,
            },
        )
        .map(Zeroizing::new)
        .map_err(|_| VaultError::WrongPassphrase)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize)]
    struct Vector {
        key_hex: String,
        nonce_hex: String,
        aad_utf8: String,
        plaintext_utf8: String,
        ciphertext_and_tag_hex: String,
    }

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    fn vector() -> (Vector, [u8; 32], [u8; 12]) {
        let text = include_str!("../../../tests/fixtures/aes_gcm.json");
        let mut vectors: Vec<Vector> = serde_json::from_str(text).unwrap();
        let v = vectors.remove(0);
        let key: [u8; 32] = hex(&v.key_hex).try_into().unwrap();
        let nonce: [u8; 12] = hex(&v.nonce_hex).try_into().unwrap();
        (v, key, nonce)
    }

    #[test]
    fn known_answer_encrypts_and_decrypts() {
        let (v, key, nonce) = vector();
        let expected = hex(&v.ciphertext_and_tag_hex);
        let sealed = seal(
            &key,
            &nonce,
            v.aad_utf8.as_bytes(),
            v.plaintext_utf8.as_bytes(),
        );
        assert_eq!(sealed.unwrap(), expected);
        let opened = open(&key, &nonce, v.aad_utf8.as_bytes(), &expected).unwrap();
        assert_eq!(opened.as_slice(), v.plaintext_utf8.as_bytes());
    }

    #[test]
    fn any_tampering_is_wrong_passphrase() {
        let (v, key, nonce) = vector();
        let good = hex(&v.ciphertext_and_tag_hex);
        let aad = v.aad_utf8.as_bytes();

        for bit in [0, 7, 8 * 20 + 3, 8 * (good.len() - 1)] {
            let mut flipped = good.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            assert_eq!(
                open(&key, &nonce, aad, &flipped),
                Err(VaultError::WrongPassphrase)
            );
        }
        assert_eq!(
            open(&key, &nonce, b"halo-vault-v2", &good),
            Err(VaultError::WrongPassphrase)
        );
        let mut other_key = key;
        other_key[31] ^= 0x80;
        assert_eq!(
            open(&other_key, &nonce, aad, &good),
            Err(VaultError::WrongPassphrase)
        );
        assert_eq!(
            open(&key, &nonce, aad, &good[..TAG_LEN]),
            Err(VaultError::WrongPassphrase)
        );
    }
}
