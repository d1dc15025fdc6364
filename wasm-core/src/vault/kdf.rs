//! Turning the passphrase into the vault key with Argon2id.

use argon2::{Argon2, AssociatedData, Block, ParamsBuilder};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::VaultError;

/// The most memory a vault may ask for: 1 GiB. More would abort a wasm module or freeze a
/// laptop, and no sensible setting needs it.
pub(super) const MAX_M_COST_KIB: u32 = 1024 * 1024;
/// The most passes a vault may ask for (Bitwarden's ceiling too); Halo writes 3.
pub(super) const MAX_T_COST: u32 = 10;
/// The most work a vault may ask for, memory times passes in KiB: 2 GiB once over (1 GiB
/// twice, 64 MiB ten times ...), about five seconds in a browser on a 2-core laptop. Each
/// bound alone would still let a hostile file freeze the unlock for minutes (1 GiB, 64 passes:
/// two minutes measured), and Halo's own setting is a tenth of it.
pub(super) const MAX_WORK_KIB: u64 = 2 * 1024 * 1024;
/// The most lanes a vault may ask for; Halo computes them one after another anyway.
pub(super) const MAX_P_COST: u32 = 16;

/// The key is Argon2 version 0x13 output, 32 bytes, as AES-256 needs.
const KEY_LEN: usize = 32;

/// Argon2id cost settings. They are stored in the vault header so a vault keeps opening after
/// the defaults change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KdfParams {
    /// Memory in KiB.
    pub m_cost_kib: u32,
    /// Passes over the memory.
    pub t_cost: u32,
    /// Lanes.
    pub p_cost: u32,
}

impl Default for KdfParams {
    /// 64 MiB, 3 passes, 1 lane: RFC 9106's second recommended setting, under a second to unlock
    /// in a browser.
    fn default() -> Self {
        KdfParams {
            m_cost_kib: 64 * 1024,
            t_cost: 3,
            p_cost: 1,
        }
    }
}

impl KdfParams {
    /// Refuses settings that are absurd or that Argon2 cannot run: memory over 1 GiB or under
    /// 8 KiB per lane, 0 or more than 10 passes, 0 or more than 16 lanes, memory times passes
    /// over 2 GiB. Nothing is allocated before this check, so a hostile vault asking for 4 GiB
    /// yields an error, not an abort, and one asking for minutes of work yields an error, not
    /// a frozen unlock.
    pub fn check(&self) -> Result<(), VaultError> {
        let reason = if self.p_cost == 0 {
            "zero lanes"
        } else if self.p_cost > MAX_P_COST {
            "more than 16 lanes"
        } else if self.t_cost == 0 {
            "zero passes"
        } else if self.t_cost > MAX_T_COST {
            "more than 10 passes"
        } else if self.m_cost_kib > MAX_M_COST_KIB {
            "more than 1 GiB of memory"
        } else if u64::from(self.m_cost_kib) * u64::from(self.t_cost) > MAX_WORK_KIB {
            "memory times passes over 2 GiB"
        } else if self.m_cost_kib < 8 * self.p_cost {
            "less than 8 KiB of memory per lane"
        } else {
            return Ok(());
        };
        Err(VaultError::KdfRefused { reason })
    }
}

/// The 256-bit vault key, wiped from memory when dropped. Its `Debug` shows nothing of it.
#[derive(Clone, PartialEq, Eq)]
pub struct VaultKey {
    bytes: Zeroizing<[u8; KEY_LEN]>,
}

impl VaultKey {
    /// The key as standard padded base64, for `chrome.storage.session` while the vault is
    /// unlocked.
    pub fn to_base64(&self) -> String {
        BASE64.encode(self.bytes.as_slice())
    }

    /// Reads a key written by [`VaultKey::to_base64`]; anything but 32 bytes is
    /// [`VaultError::BadKey`].
    pub fn from_base64(text: &str) -> Result<VaultKey, VaultError> {
        let decoded = Zeroizing::new(BASE64.decode(text.trim()).map_err(|_| VaultError::BadKey)?);
        if decoded.len() != KEY_LEN {
            return Err(VaultError::BadKey);
        }
        let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
        bytes.copy_from_slice(&decoded);
        Ok(VaultKey { bytes })
    }

    pub(super) fn as_bytes(&self) -> &[u8; KEY_LEN] {
        &self.bytes
    }
}

impl core::fmt::Debug for VaultKey {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("VaultKey(redacted)")
    }
}

/// Derives the vault key from a passphrase with Argon2id (version 0x13), after
/// [`KdfParams::check`]. The salt is 16 random bytes chosen when the vault was created.
///
/// This is deliberately slow: about a third of a second in a browser at the default settings.
pub fn derive_key(
    passphrase: &str,
    kdf: &KdfParams,
    salt: &[u8; 16],
) -> Result<VaultKey, VaultError> {
    let mut bytes = Zeroizing::new([0u8; KEY_LEN]);
    argon2id(
        passphrase.as_bytes(),
        salt,
        kdf,
        &[],
        &[],
        bytes.as_mut_slice(),
    )?;
    Ok(VaultKey { bytes })
}

/// Memory for [`warm_up_key_derivation`]: enough blocks that the engine finds the code hot.
const WARM_UP_M_COST_KIB: u32 = 1024;

/// Readies a fresh wasm instance for an unlock with `kdf`, in a few tens of milliseconds.
///
/// A browser runs new WebAssembly on quickly compiled code and swaps in optimised code only
/// for later calls, and it hands a module fresh memory page by page; so the first unlock in a
/// freshly started worker ran slower than the next. This runs Argon2id once on throwaway
/// inputs at 1 MiB and takes and frees the memory `kdf` will need, so that calling it while
/// the trader types the passphrase moves that cost out of the wait. Nothing secret goes in.
pub fn warm_up_key_derivation(kdf: &KdfParams) {
    let small = KdfParams {
        m_cost_kib: WARM_UP_M_COST_KIB,
        t_cost: 1,
        p_cost: 1,
    };
    // The settings are fixed and valid, and a failure would only mean a slower unlock.
    let _ = derive_key("warm-up", &small, &[0; 16]);

    if kdf.check().is_err() {
        return;
    }
    let block_count = kdf.m_cost_kib as usize;
    let mut memory: Vec<Block> = Vec::new();
    if memory.try_reserve_exact(block_count).is_ok() {
        // Writing every block makes the browser commit the pages now; freed, they stay with
        // the module for the unlock's own allocation.
        memory.resize(block_count, Block::default());
        core::hint::black_box(&memory);
    }
}

/// Argon2id with the optional secret and associated data of RFC 9106, which the vault leaves
/// empty; they are here so RFC 9106's own test vector can check this exact configuration.
fn argon2id(
    password: &[u8],
    salt: &[u8],
    kdf: &KdfParams,
    secret: &[u8],
    associated_data: &[u8],
    out: &mut [u8],
) -> Result<(), VaultError> {
    kdf.check()?;

    let data = AssociatedData::new(associated_data).map_err(|_| VaultError::KdfRefused {
        reason: "associated data too long",
    })?;
    let params = ParamsBuilder::new()
        .m_cost(kdf.m_cost_kib)
        .t_cost(kdf.t_cost)
        .p_cost(kdf.p_cost)
        .data(data)
        .output_len(out.len())
        .build()
        .map_err(|_| VaultError::KdfRefused {
            reason: "settings Argon2 cannot use",
        })?;
    let block_count = params.block_count();
    let argon = Argon2::new_with_secret(
        secret,
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        params,
    )
    .map_err(|_| VaultError::KdfRefused {
        reason: "secret too long",
    })?;

    // Halo owns Argon2's working memory instead of letting the crate allocate it: the crate
    // frees its blocks without wiping them, and the final blocks are enough to recompute the
    // key. A failed reservation is a clean error, where a plain allocation would abort wasm.
    let out_of_memory = VaultError::OutOfMemory {
        mib: kdf.m_cost_kib / 1024,
    };
    let mut memory: Zeroizing<Vec<Block>> = Zeroizing::new(Vec::new());
    memory
        .try_reserve_exact(block_count)
        .map_err(|_| out_of_memory.clone())?;
    memory.resize(block_count, Block::default());

    argon
        .hash_password_into_with_memory(password, salt, out, memory.as_mut_slice())
        .map_err(|err| match err {
            argon2::Error::OutOfMemory => out_of_memory,
            _ => VaultError::KdfRefused {
                reason: "settings Argon2 cannot use",
            },
        })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Vector {
        note: String,
        password_hex: Option<String>,
        password_utf8: Option<String>,
        salt_hex: Option<String>,
        salt_utf8: Option<String>,
        secret_hex: Option<String>,
        ad_hex: Option<String>,
        t_cost: u32,
        m_cost_kib: u32,
        p_cost: u32,
        output_len: usize,
        tag_hex: String,
    }

    fn hex(text: &str) -> Vec<u8> {
        (0..text.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
            .collect()
    }

    fn bytes(hex_field: &Option<String>, utf8_field: &Option<String>) -> Vec<u8> {
        match (hex_field, utf8_field) {
            (Some(h), _) => hex(h),
            (None, Some(u)) => u.as_bytes().to_vec(),
            (None, None) => Vec::new(),
        }
    }

    /// Every vector, including RFC 9106's with a secret and associated data, through the exact
    /// Argon2 configuration the vault uses.
    #[test]
    fn argon2id_fixture_vectors() {
        let text = include_str!("../../../tests/fixtures/argon2id.json");
        let vectors: Vec<Vector> = serde_json::from_str(text).unwrap();
        assert_eq!(vectors.len(), 3);
        for v in vectors {
            let kdf = KdfParams {
                m_cost_kib: v.m_cost_kib,
                t_cost: v.t_cost,
                p_cost: v.p_cost,
            };
            let mut out = vec![0u8; v.output_len];
            argon2id(
                &bytes(&v.password_hex, &v.password_utf8),
                &bytes(&v.salt_hex, &v.salt_utf8),
                &kdf,
                &bytes(&v.secret_hex, &None),
                &bytes(&v.ad_hex, &None),
                &mut out,
            )
            .unwrap();
            assert_eq!(out, hex(&v.tag_hex), "{}", v.note);
        }
    }

    #[test]
    fn check_refuses_absurd_settings_before_allocating() {
        let four_gib = KdfParams {
            m_cost_kib: 4 * 1024 * 1024,
            t_cost: 3,
            p_cost: 1,
        };
        assert_eq!(
            derive_key("pass", &four_gib, &[0; 16]),
            Err(VaultError::KdfRefused {
                reason: "more than 1 GiB of memory"
            })
        );
        let ok = KdfParams::default();
        for bad in [
            KdfParams {
                m_cost_kib: MAX_M_COST_KIB + 1,
                ..ok
            },
            KdfParams {
                m_cost_kib: 7,
                ..ok
            },
            KdfParams {
                m_cost_kib: 63,
                p_cost: 8,
                ..ok
            },
            KdfParams { t_cost: 0, ..ok },
            KdfParams { t_cost: 11, ..ok },
            KdfParams {
                m_cost_kib: MAX_M_COST_KIB,
                t_cost: 3,
                ..ok
            },
            KdfParams {
                m_cost_kib: MAX_M_COST_KIB,
                t_cost: 64,
                ..ok
            },
            KdfParams { p_cost: 0, ..ok },
            KdfParams { p_cost: 17, ..ok },
            KdfParams {
                m_cost_kib: u32::MAX,
                t_cost: u32::MAX,
                p_cost: u32::MAX,
            },
        ] {
            assert!(
                matches!(bad.check(), Err(VaultError::KdfRefused { .. })),
                "{bad:?}"
            );
        }
        assert_eq!(ok.check(), Ok(()));
        for most in [(MAX_M_COST_KIB, 2), (MAX_M_COST_KIB / 5, 10)] {
            let kdf = KdfParams {
                m_cost_kib: most.0,
                t_cost: most.1,
                p_cost: 16,
            };
            assert_eq!(kdf.check(), Ok(()), "{kdf:?}");
        }
    }

    #[test]
    fn warm_up_settings_pass_the_checks() {
        let kdf = KdfParams {
            m_cost_kib: WARM_UP_M_COST_KIB,
            t_cost: 1,
            p_cost: 1,
        };
        // A refusal here would be silently ignored by the warm-up, leaving unlocks slow.
        assert_eq!(kdf.check(), Ok(()));
        warm_up_key_derivation(&KdfParams::default());
        // Absurd settings from a hostile vault are not allocated for.
        warm_up_key_derivation(&KdfParams {
            m_cost_kib: u32::MAX,
            ..KdfParams::default()
        });
        assert!(derive_key("warm-up", &kdf, &[0; 16]).is_ok());
    }

    #[test]
    fn key_base64_round_trip_and_refusals() {
        let key = VaultKey {
            bytes: Zeroizing::new([7u8; 32]),
        };
        let text = key.to_base64();
        assert_eq!(text, "BwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwcHBwc=");
        assert_eq!(VaultKey::from_base64(&text).unwrap(), key);
        assert_eq!(VaultKey::from_base64("BwcH"), Err(VaultError::BadKey));
        assert_eq!(
            VaultKey::from_base64("not base64!"),
            Err(VaultError::BadKey)
        );
        assert_eq!(format!("{key:?}"), "VaultKey(redacted)");
    }
}
