//! Exhaustive damage to a stored vault: every single-bit flip is detected, every truncation is
//! "damaged", and editing an account keeps what the trader left blank.
//!
//! The vault here uses tiny Argon2 settings so the key is derived once in milliseconds; the
//! flips are checked by opening with that key, which is what an unlock does after deriving.

#![allow(clippy::unwrap_used)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use halo_core::vault::{
    Account, AccountError, KdfParams, VaultContents, VaultError, VaultFile, VaultKey, derive_key,
};

const CHEAP: KdfParams = KdfParams {
    m_cost_kib: 64,
    t_cost: 1,
    p_cost: 1,
};

fn account() -> Account {
    Account::from_form(
        "a1".into(),
        "Main",
        "Z999999",
        "4826",
        "AbCd1234",
        "MFXGOZLMFVXW4ZJNMRSW23ZBEE",
    )
    .unwrap()
}

fn small_vault() -> (String, VaultKey, VaultContents) {
    let salt = [0x11; 16];
    let key = derive_key("correct horse battery staple", &CHEAP, &salt).unwrap();
    let contents = VaultContents {
        accounts: vec![account()],
        ..VaultContents::default()
    };
    let text = VaultFile::seal(&key, CHEAP, salt, [0x22; 12], 3, &contents)
        .unwrap()
        .to_json();
    (text, key, contents)
}

/// What an unlock with the right key makes of `bytes` as stored.
fn read(bytes: &[u8], key: &VaultKey) -> Result<VaultContents, VaultError> {
    let text = std::str::from_utf8(bytes).map_err(|_| VaultError::Damaged { reason: "utf-8" })?;
    VaultFile::parse(text)?.open(key)
}

#[test]
fn the_untouched_vault_opens() {
    let (text, key, contents) = small_vault();
    assert_eq!(read(text.as_bytes(), &key), Ok(contents));
}

#[test]
fn every_bit_flip_of_the_stored_text_is_detected() {
    let (text, key, _) = small_vault();
    let bytes = text.as_bytes();
    let mut checked = 0;
    for index in 0..bytes.len() {
        for bit in 0..8 {
            let mut flipped = bytes.to_vec();
            flipped[index] ^= 1 << bit;
            assert!(
                read(&flipped, &key).is_err(),
                "flipping bit {bit} of byte {index} went unnoticed"
            );
            checked += 1;
        }
    }
    assert_eq!(checked, bytes.len() * 8);
    assert!(
        checked > 3000,
        "the vault is unexpectedly small: {checked} bits"
    );
}

#[test]
fn every_bit_flip_of_each_decoded_field_is_detected() {
    let (text, key, _) = small_vault();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();

    for path in [
        &["kdf", "salt"][..],
        &["cipher", "nonce"][..],
        &["ciphertext"][..],
    ] {
        let field = path.iter().fold(&value, |v, name| &v[*name]);
        let decoded = BASE64.decode(field.as_str().unwrap()).unwrap();
        for bit in 0..decoded.len() * 8 {
            let mut flipped = decoded.clone();
            flipped[bit / 8] ^= 1 << (bit % 8);
            let mut edited = value.clone();
            let slot = path.iter().fold(&mut edited, |v, name| &mut v[*name]);
            *slot = BASE64.encode(&flipped).into();
            assert_eq!(
                read(edited.to_string().as_bytes(), &key),
                Err(VaultError::WrongPassphrase),
                "bit {bit} of {path:?}"
            );
        }
    }

    for path in [
        &["kdf", "m_cost_kib"][..],
        &["kdf", "t_cost"][..],
        &["kdf", "p_cost"][..],
        &["revision"][..],
        &["version"][..],
        &["kdf", "version"][..],
    ] {
        let number = path
            .iter()
            .fold(&value, |v, name| &v[*name])
            .as_u64()
            .unwrap();
        for bit in 0..64 {
            let mut edited = value.clone();
            let slot = path.iter().fold(&mut edited, |v, name| &mut v[*name]);
            *slot = (number ^ (1u64 << bit)).into();
            assert!(
                read(edited.to_string().as_bytes(), &key).is_err(),
                "bit {bit} of {path:?}"
            );
        }
    }
}

#[test]
fn a_version_of_the_wrong_type_is_named_as_such() {
    let (text, key, _) = small_vault();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["version"] = "1".into();
    assert_eq!(
        read(value.to_string().as_bytes(), &key),
        Err(VaultError::Damaged {
            reason: "its format or version field is malformed"
        })
    );
    for not_a_vault in ["null", "[]", "42", "\"halo-vault\"", "<html>"] {
        assert_eq!(
            read(not_a_vault.as_bytes(), &key),
            Err(VaultError::Damaged {
                reason: "not a complete JSON vault"
            }),
            "{not_a_vault}"
        );
    }
}

#[test]
fn every_truncation_is_damaged() {
    let (text, key, _) = small_vault();
    for length in 0..text.len() {
        assert!(
            matches!(
                read(&text.as_bytes()[..length], &key),
                Err(VaultError::Damaged { .. })
            ),
            "the first {length} bytes were not reported as damaged"
        );
    }
}

#[test]
fn editing_keeps_blank_fields_and_checks_typed_ones() {
    let stored = account();
    // Nothing typed changes nothing, the label included.
    let untouched = stored.edited(" ", "", "", "", "").unwrap();
    assert_eq!(untouched.label, stored.label);
    assert_eq!(untouched.client_code, stored.client_code);
    let renamed = stored.edited("Second", "", "", "", "").unwrap();
    assert_eq!(renamed.id, "a1");
    assert_eq!(renamed.label, "Second");
    assert_eq!(renamed.client_code, "Z999999");
    assert_eq!(renamed.mpin.as_str(), "4826");
    assert_eq!(renamed.api_key.as_str(), "AbCd1234");
    assert_eq!(renamed.totp_secret.as_str(), "MFXGOZLMFVXW4ZJNMRSW23ZBEE");

    let rekeyed = stored
        .edited(
            "Main",
            " z111111 ",
            "1111",
            " NewKey99 ",
            "orsw 4llc pf2g k4zb",
        )
        .unwrap();
    assert_eq!(rekeyed.client_code, "Z111111");
    assert_eq!(rekeyed.mpin.as_str(), "1111");
    assert_eq!(rekeyed.api_key.as_str(), "NewKey99");
    assert_eq!(rekeyed.totp_secret.as_str(), "ORSW4LLCPF2GK4ZB");

    // T8: a one-time code typed over the secret is refused, as on a new account.
    assert!(matches!(
        stored.edited("Main", "", "", "", "081804"),
        Err(AccountError::TotpSecret(_))
    ));
    assert_eq!(
        stored.edited("Main", "", "12345", "", ""),
        Err(AccountError::Mpin)
    );
}
