//! The same known answers under wasm32 (Node by default), where a clock read, a missing
//! getrandom backend or an allocation abort would show up. Run with
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
//!  cargo test -p halo-core --target wasm32-unknown-unknown --test wasm`.

#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used)]

use halo_core::totp::{Algorithm, OtpAuth, TotpError, TotpParams, TotpSecret, code_at, decode_qr};
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
        ..VaultContents::default()
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

/// Links refused at import are errors, not panics: a panic would kill the worker's module.
#[wasm_bindgen_test]
fn otpauth_refusals_and_labels() {
    let rfc = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    for (param, field) in [
        ("digits=-6", "digits"),
        ("digits=0", "digits"),
        ("digits=12", "digits"),
        ("period=0", "period"),
        ("period=-30", "period"),
        ("period=abc", "period"),
    ] {
        let err = OtpAuth::parse(&format!("otpauth://totp/X?secret={rfc}&{param}")).unwrap_err();
        assert!(matches!(err, TotpError::BadLinkField { field: f, .. } if f == field));
    }
    let link = OtpAuth::parse(concat!(
        "otpauth://totp/Demo%3A%20Desk:alice",
        "?secret=MFXGOZLMFVXW4ZJNMRSW23ZBEE&issuer=Demo%3A%20Desk"
    ))
    .unwrap();
    assert_eq!(
        (link.issuer.as_str(), link.account_name.as_str()),
        ("Demo: Desk", "alice")
    );
    let sixty = OtpAuth::parse(&format!("otpauth://totp/X?secret={rfc}&period=60")).unwrap();
    assert_eq!(
        code_at(&sixty.secret, &sixty.params, 1_735_689_630)
            .unwrap()
            .seconds_left,
        30
    );
}

/// rqrr without its image feature decodes a code drawn here, under wasm32.
#[wasm_bindgen_test]
fn qr_code_of_a_link() {
    let text = "otpauth://totp/AngelOne:Z999999?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
    let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
    let (modules, colors) = (code.width(), code.to_colors());
    let (scale, quiet) = (3, 4);
    let side = (modules + 2 * quiet) * scale;
    let mut luma = vec![255u8; side * side];
    for y in 0..side {
        for x in 0..side {
            let (mx, my) = (x / scale, y / scale);
            let inside =
                (quiet..quiet + modules).contains(&mx) && (quiet..quiet + modules).contains(&my);
            if inside && colors[(my - quiet) * modules + mx - quiet] == qrcode::Color::Dark {
                luma[y * side + x] = 0;
            }
        }
    }
    assert_eq!(decode_qr(side, side, &luma).unwrap(), text);
}

fn base64_of(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
