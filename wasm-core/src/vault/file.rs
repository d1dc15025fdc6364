//! The vault as stored: one JSON text, header in clear, accounts encrypted.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use serde_json::error::Category;
use zeroize::Zeroizing;

use super::VaultError;
use super::account::VaultContents;
use super::cipher::{self, TAG_LEN};
use super::kdf::{KdfParams, VaultKey};

/// The `format` field; anything else is not a Halo vault.
const FORMAT: &str = "halo-vault";
/// The only format version this code writes and reads.
const VERSION: u64 = 1;
const KDF_ALGORITHM: &str = "argon2id";
/// Argon2 version 0x13, the one RFC 9106 specifies.
const ARGON2_VERSION: u32 = 19;
const CIPHER_ALGORITHM: &str = "aes-256-gcm";

/// A sealed vault: everything needed to open it with the right passphrase, nothing readable
/// without it. Read it with [`VaultFile::parse`], store it with [`VaultFile::to_json`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VaultFile {
    kdf: KdfParams,
    salt: [u8; 16],
    nonce: [u8; 12],
    revision: u64,
    ciphertext: Vec<u8>,
}

/// The JSON shape; `docs/vault-format.md` documents each field.
#[derive(Serialize, Deserialize)]
struct Wire {
    format: String,
    version: u64,
    kdf: WireKdf,
    cipher: WireCipher,
    revision: u64,
    ciphertext: String,
}

#[derive(Serialize, Deserialize)]
struct WireKdf {
    algorithm: String,
    version: u32,
    m_cost_kib: u32,
    t_cost: u32,
    p_cost: u32,
    salt: String,
}

#[derive(Serialize, Deserialize)]
struct WireCipher {
    algorithm: String,
    nonce: String,
}

/// Read first, with nothing else required, so a newer version is reported as such rather than
/// as damage.
#[derive(Deserialize)]
struct WireVersion {
    format: String,
    version: u64,
}

impl VaultFile {
    /// Encrypts `contents` under `key` into a vault with the given header.
    ///
    /// `salt` must be the one `key` was derived with; `nonce` must be 12 fresh random bytes for
    /// every seal, never reused with the same key. `revision` should grow by one per save, so a
    /// stale copy can be recognised.
    pub fn seal(
        key: &VaultKey,
        kdf: KdfParams,
        salt: [u8; 16],
        nonce: [u8; 12],
        revision: u64,
        contents: &VaultContents,
    ) -> Result<VaultFile, VaultError> {
        kdf.check()?;
        let mut file = VaultFile {
            kdf,
            salt,
            nonce,
            revision,
            ciphertext: Vec::new(),
        };

        let plaintext = plaintext(contents)?;
        file.ciphertext = cipher::seal(
            key.as_bytes(),
            &file.nonce,
            file.associated_data().as_bytes(),
            &plaintext,
        )?;
        Ok(file)
    }

    /// Reads a stored vault without decrypting it. Refuses text that is not a complete vault
    /// ([`VaultError::Damaged`]), a newer format ([`VaultError::UnsupportedVersion`]) and absurd
    /// key-derivation settings ([`VaultError::KdfRefused`]), so nothing is allocated for them.
    pub fn parse(text: &str) -> Result<VaultFile, VaultError> {
        let head: WireVersion = serde_json::from_str(text).map_err(|error| {
            let object = text.trim_start().starts_with('{');
            match error.classify() {
                // A whole JSON object, but its format or version is not a vault's.
                Category::Data if object => damaged("its format or version field is malformed"),
                _ => damaged("not a complete JSON vault"),
            }
        })?;
        if head.format != FORMAT {
            return Err(damaged("not a Halo vault"));
        }
        // Versions count up from 1, so anything lower was never written by a Halo, and
        // "update Halo" would send the trader the wrong way.
        if head.version < VERSION {
            return Err(damaged("its version is below 1, which no Halo writes"));
        }
        if head.version != VERSION {
            return Err(VaultError::UnsupportedVersion {
                version: head.version,
            });
        }

        let wire: Wire = serde_json::from_str(text)
            .map_err(|_| damaged("a header field is missing or malformed"))?;
        if wire.kdf.algorithm != KDF_ALGORITHM || wire.kdf.version != ARGON2_VERSION {
            return Err(damaged("unknown key derivation"));
        }
        if wire.cipher.algorithm != CIPHER_ALGORITHM {
            return Err(damaged("unknown cipher"));
        }
        let kdf = KdfParams {
            m_cost_kib: wire.kdf.m_cost_kib,
            t_cost: wire.kdf.t_cost,
            p_cost: wire.kdf.p_cost,
        };
        kdf.check()?;

        let salt = decode_fixed(&wire.kdf.salt, "salt is not 16 bytes of base64")?;
        let nonce = decode_fixed(&wire.cipher.nonce, "nonce is not 12 bytes of base64")?;
        let ciphertext = BASE64
            .decode(&wire.ciphertext)
            .map_err(|_| damaged("ciphertext is not base64"))?;
        if ciphertext.len() < TAG_LEN {
            return Err(damaged("ciphertext is cut short"));
        }
        Ok(VaultFile {
            kdf,
            salt,
            nonce,
            revision: wire.revision,
            ciphertext,
        })
    }

    /// The vault as JSON text, for `chrome.storage.local` or a file.
    pub fn to_json(&self) -> String {
        let wire = Wire {
            format: FORMAT.to_owned(),
            version: VERSION,
            kdf: WireKdf {
                algorithm: KDF_ALGORITHM.to_owned(),
                version: ARGON2_VERSION,
                m_cost_kib: self.kdf.m_cost_kib,
                t_cost: self.kdf.t_cost,
                p_cost: self.kdf.p_cost,
                salt: BASE64.encode(self.salt),
            },
            cipher: WireCipher {
                algorithm: CIPHER_ALGORITHM.to_owned(),
                nonce: BASE64.encode(self.nonce),
            },
            revision: self.revision,
            ciphertext: BASE64.encode(&self.ciphertext),
        };
        // Cannot fail: the structure holds only strings and integers, with no maps.
        serde_json::to_string_pretty(&wire).unwrap_or_default()
    }

    /// Decrypts the accounts. A wrong key and a vault changed after sealing (ciphertext or
    /// header) both give [`VaultError::WrongPassphrase`].
    pub fn open(&self, key: &VaultKey) -> Result<VaultContents, VaultError> {
        let aad = self.associated_data();
        let plaintext = cipher::open(
            key.as_bytes(),
            &self.nonce,
            aad.as_bytes(),
            &self.ciphertext,
        )?;
        // Authentic but unreadable contents mean a writer bug, not tampering. The parser's own
        // message is dropped because it could quote a secret.
        serde_json::from_slice(&plaintext)
            .map_err(|_| damaged("the decrypted accounts are unreadable"))
    }

    /// The Argon2id settings to derive this vault's key with.
    pub fn kdf(&self) -> &KdfParams {
        &self.kdf
    }

    /// The salt to derive this vault's key with.
    pub fn salt(&self) -> &[u8; 16] {
        &self.salt
    }

    /// The save counter, one higher at every save.
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The header bound to the ciphertext, as `docs/vault-format.md` specifies: one ASCII line
    /// built from the parsed values, so re-indenting or reordering the JSON keeps it valid while
    /// changing any value breaks it.
    fn associated_data(&self) -> String {
        format!(
            "{FORMAT};version={VERSION};kdf={KDF_ALGORITHM};argon2_version={ARGON2_VERSION};\
             m_cost_kib={};t_cost={};p_cost={};salt={};cipher={CIPHER_ALGORITHM};nonce={};\
             revision={}",
            self.kdf.m_cost_kib,
            self.kdf.t_cost,
            self.kdf.p_cost,
            BASE64.encode(self.salt),
            BASE64.encode(self.nonce),
            self.revision,
        )
    }
}

/// The contents as JSON in a buffer sized exactly once. A growing `Vec` would move the
/// half-written secrets on each reallocation and free the old copy unwiped.
fn plaintext(contents: &VaultContents) -> Result<Zeroizing<Vec<u8>>, VaultError> {
    let mut counter = ByteCounter(0);
    serde_json::to_writer(&mut counter, contents).map_err(|_| VaultError::SealFailed)?;
    let mut buffer = Zeroizing::new(Vec::with_capacity(counter.0));
    serde_json::to_writer(&mut *buffer, contents).map_err(|_| VaultError::SealFailed)?;
    Ok(buffer)
}

/// A writer that only counts, to size [`plaintext`]'s buffer.
struct ByteCounter(usize);

impl std::io::Write for ByteCounter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0 += bytes.len();
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn damaged(reason: &'static str) -> VaultError {
    VaultError::Damaged { reason }
}

fn decode_fixed<const N: usize>(text: &str, reason: &'static str) -> Result<[u8; N], VaultError> {
    let bytes = BASE64.decode(text).map_err(|_| damaged(reason))?;
    bytes.try_into().map_err(|_| damaged(reason))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn plaintext_buffer_is_allocated_once_at_its_final_size() {
        let contents = VaultContents::default();
        let buffer = plaintext(&contents).unwrap();
        assert_eq!(buffer.as_slice(), serde_json::to_vec(&contents).unwrap());
        assert_eq!(buffer.capacity(), buffer.len());
    }

    #[test]
    fn associated_data_lists_every_header_value() {
        let file = VaultFile {
            kdf: KdfParams {
                m_cost_kib: 65536,
                t_cost: 3,
                p_cost: 1,
            },
            salt: [1; 16],
            nonce: [2; 12],
            revision: 7,
            ciphertext: vec![0; 16],
        };
        assert_eq!(
            file.associated_data(),
            "halo-vault;version=1;kdf=argon2id;argon2_version=19;m_cost_kib=65536;t_cost=3;\
             p_cost=1;salt=AQEBAQEBAQEBAQEBAQEBAQ==;cipher=aes-256-gcm;nonce=AgICAgICAgICAgIC;\
             revision=7"
        );
    }
}
