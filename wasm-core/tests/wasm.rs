//! The same known answers under wasm32 (Node by default), where a clock read, a missing
//! getrandom backend or an allocation abort would show up. Run with
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!  cargo test -p halo-core --target wasm32-unknown-unknown --test wasm`.

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use halo_core::totp::{Algorithm, TotpParams, TotpSecret, code_at};
use halo_core::vault::{Account, KdfParams, VaultContents, VaultError, VaultFile, derive_key};
use wasm_bindgen_test::wasm_bindgen_test;

const TOTP: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/totp.json"
));
const ARGON2: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/argon2id.json"
));

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

#[wasm_bindgen_test]
fn totp_fixture_rows() {
    let rows: Vec<serde_json::Value> = serde_json::from_str(TOTP).unwrap();
    for row in &rows {
        let secret = TotpSecret::parse(row["secret"].as_str().unwrap()).unwrap();
        let params = TotpParams {
            algorithm: serde_json::from_value::<Algorithm>(row["algorithm"].clone()).unwrap(),
            digits: row["digits"].as_u64().unwrap() as u32,
            period_secs: row["period"].as_u64().unwrap(),
        };
        let code = code_at(&secret, &params, row["unix_time"].as_u64().unwrap()).unwrap();
        assert_eq!(code.code, row["code"].as_str().unwrap(), "{}", row["note"]);
    }
    assert_eq!(rows.len(), 36);
}

/// W3: the OWASP-settings vector twice in one instance (memory is freed and reused correctly),
/// then a 4 GiB request that must be an error rather than an abort.
#[wasm_bindgen_test]
fn argon2_vector_twice_then_absurd_request() {
    let vectors: Vec<serde_json::Value> = serde_json::from_str(ARGON2).unwrap();
    let v = &vectors[1];
    let kdf = KdfParams {
        m_cost_kib: 19456,
        t_cost: 2,
        p_cost: 1,
    };
    assert_eq!(v["m_cost_kib"], 19456);
    let salt: [u8; 16] = v["salt_utf8"]
        .as_str()
        .unwrap()
        .as_bytes()
        .try_into()
        .unwrap();
    let expected = hex(v["tag_hex"].as_str().unwrap());

    for _ in 0..2 {
        let key = derive_key(v["password_utf8"].as_str().unwrap(), &kdf, &salt).unwrap();
        assert_eq!(key.to_base64(), base64_of(&expected));
    }

    let four_gib = KdfParams {
        m_cost_kib: 4 * 1024 * 1024,
        ..kdf
    };
    assert!(matches!(
        derive_key("x", &four_gib, &salt),
        Err(VaultError::KdfRefused { .. })
    ));
}

#[wasm_bindgen_test]
fn vault_round_trip_and_tamper() {
    let kdf = KdfParams {
        m_cost_kib: 256,
        t_cost: 1,
        p_cost: 1,
    };
    let salt = [0x11; 16];
    let key = derive_key("correct horse battery staple", &kdf, &salt).unwrap();
    let account = Account::from_form(
        "a1".into(),
        "Main",
        "Z999999",
        "1234",
        " AbCd1234 ",
        "ORSW4LLCPF2GK4ZB",
    )
    .unwrap();
    let contents = VaultContents {
        accounts: vec![account],
    };

    let json = VaultFile::seal(&key, kdf, salt, [0x22; 12], 1, &contents)
        .unwrap()
        .to_json();
    let file = VaultFile::parse(&json).unwrap();
    assert_eq!(file.open(&key).unwrap(), contents);

    let tampered = json.replace("\"revision\": 1", "\"revision\": 2");
    assert_ne!(tampered, json);
    assert_eq!(
        VaultFile::parse(&tampered).unwrap().open(&key),
        Err(VaultError::WrongPassphrase)
    );
    let other = derive_key("wrong", &kdf, &salt).unwrap();
    assert_eq!(file.open(&other), Err(VaultError::WrongPassphrase));
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
