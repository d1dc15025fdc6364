//! The encrypted vault that holds a trader's Angel credentials at rest.
//!
//! A passphrase is stretched into a 256-bit key with Argon2id, and the accounts are encrypted
//! with AES-256-GCM. The whole vault is one JSON text whose header (format, version, key
//! derivation settings, salt, cipher, nonce, revision) is bound to the ciphertext as associated
//! data, so a header edited on disk fails to open exactly like a wrong passphrase.
//! `docs/vault-format.md` specifies the format for other readers.
//!
//! Nothing here draws randomness: the caller supplies a fresh salt when the vault is created and
//! a fresh nonce every time it is sealed.

mod account;
mod cipher;
mod entry;
mod fields;
mod file;
mod kdf;
mod key_age;
mod passphrase;

pub use account::{Account, AccountError, Platform, VaultContents};
pub use entry::TotpEntry;
pub use fields::{
    MAX_API_KEY_CHARS, MAX_CLIENT_CODE_CHARS, MAX_NAME_CHARS, clean_api_key, clean_client_code,
    clean_name, printable,
};
pub use file::VaultFile;
pub use kdf::{KdfParams, VaultKey, derive_key, warm_up_key_derivation};
pub use key_age::{CalendarDate, KeyAgeNotice, api_key_age_notice};
pub use passphrase::{
    MIN_PASSPHRASE_CHARS, PassphraseForms, WeakPassphrase, check_new_passphrase, derive_new_key,
    open_with_passphrase, passphrase_long_enough,
};

/// Why a vault could not be created, read or opened. The text never contains a secret.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum VaultError {
    /// The text is not a readable vault (truncated, not JSON, a field missing or malformed).
    #[error(
        "the vault is damaged and cannot be read ({reason}); restore it from a backup or \
         create a new vault"
    )]
    Damaged {
        /// Which part is unreadable, in fixed words that never quote the vault.
        reason: &'static str,
    },
    /// Authentication failed: the key is wrong or the vault was changed after sealing.
    #[error(
        "wrong passphrase (or the vault was modified since it was saved); check the passphrase \
         and try again"
    )]
    WrongPassphrase,
    /// A vault from a newer Halo.
    #[error("this vault uses format version {version}, which this Halo cannot read; update Halo")]
    UnsupportedVersion {
        /// The version found in the vault.
        version: u64,
    },
    /// Key-derivation settings outside the bounds Halo accepts.
    #[error(
        "key-derivation settings refused: {reason}; a vault asking for this is damaged or was \
         tampered with"
    )]
    KdfRefused {
        /// Which bound was crossed.
        reason: &'static str,
    },
    /// The device could not spare the memory Argon2 needs.
    #[error(
        "not enough memory to unlock the vault ({mib} MiB needed); close other tabs or \
         programs and try again"
    )]
    OutOfMemory {
        /// Memory the key derivation asked for, in MiB.
        mib: u32,
    },
    /// A stored unlock key is not 32 bytes of base64.
    #[error("the saved unlock key is unreadable; lock Halo and unlock it again")]
    BadKey,
    /// Encryption itself failed, which only a vault of gigabytes could cause.
    #[error("the vault could not be encrypted; nothing was saved")]
    SealFailed,
}
