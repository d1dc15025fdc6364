//! Known-answer and tamper tests for `halo_core::vault`: the passphrase vectors of
//! `tests/fixtures/argon2id.json`, and cases W3, W4 and A4. (RFC 9106's vector with a secret
//! and associated data, and the raw AES-GCM vector, run as unit tests beside the code.)

#![allow(clippy::unwrap_used)]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use halo_core::vault::{
    Account, AccountError, KdfParams, Platform, VaultContents, VaultError, VaultFile, VaultKey,
    derive_key,
};

const ARGON2: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/argon2id.json"
));
const AES_GCM: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/aes_gcm.json"
));

/// A version-1 vault as `docs/vault-format.md` describes it; it must keep opening.
const VAULT_V1: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/vault_v1.json"
));

const SALT: [u8; 16] = [0x11; 16];
const NONCE: [u8; 12] = [0x22; 12];

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// The fixture's AES key, which is also the Argon2 output of its OWASP-settings vector.
fn fixture_key() -> VaultKey {
    let vectors: Vec<serde_json::Value> = serde_json::from_str(AES_GCM).unwrap();
    let key_hex = vectors[0]["key_hex"].as_str().unwrap();
    VaultKey::from_base64(&BASE64.encode(hex(key_hex))).unwrap()
}

fn account(id: &str, client_code: &str) -> Account {
    Account::from_form(
        id.into(),
        "Main",
        client_code,
        "1234",
        "AbCd1234",
        "MFXGOZLMFVXW4ZJNMRSW23ZBEE",
    )
    .unwrap()
}

fn contents() -> VaultContents {
    VaultContents {
        accounts: vec![account("a1", "Z999999"), account("a2", "DEMO01")],
        ..VaultContents::default()
    }
}

fn sealed(nonce: [u8; 12], revision: u64) -> VaultFile {
    VaultFile::seal(
        &fixture_key(),
        KdfParams::default(),
        SALT,
        nonce,
        revision,
        &contents(),
    )
    .unwrap()
}

/// Rewrites one field of a stored vault, as an attacker or a bad sync would.
fn edit(json: &str, change: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value: serde_json::Value = serde_json::from_str(json).unwrap();
    change(&mut value);
    value.to_string()
}

#[test]
fn passphrase_vectors_through_derive_key() {
    let vectors: Vec<serde_json::Value> = serde_json::from_str(ARGON2).unwrap();
    let mut checked = 0;
    for v in vectors.iter().filter(|v| v.get("password_utf8").is_some()) {
        let salt: [u8; 16] = v["salt_utf8"]
            .as_str()
            .unwrap()
            .as_bytes()
            .try_into()
            .unwrap();
        let kdf = KdfParams {
            m_cost_kib: v["m_cost_kib"].as_u64().unwrap() as u32,
            t_cost: v["t_cost"].as_u64().unwrap() as u32,
            p_cost: v["p_cost"].as_u64().unwrap() as u32,
        };
        let key = derive_key(v["password_utf8"].as_str().unwrap(), &kdf, &salt).unwrap();
        let expected = BASE64.encode(hex(v["tag_hex"].as_str().unwrap()));
        assert_eq!(key.to_base64(), expected, "{}", v["note"]);
        checked += 1;
    }
    assert_eq!(checked, 2);
}

/// The stored version-1 vault opens with its passphrase (checked independently against the
/// documented AAD with Python's `cryptography`), and sealing the same inputs reproduces it byte
/// for byte: the format has not drifted.
#[test]
fn version_1_vault_still_opens() {
    let file = VaultFile::parse(VAULT_V1).unwrap();
    assert_eq!(
        file.kdf(),
        &KdfParams {
            m_cost_kib: 19456,
            t_cost: 2,
            p_cost: 1
        }
    );
    assert_eq!(file.salt(), b"halo-test-salt16");
    assert_eq!(file.revision(), 1);

    let key = derive_key("correct horse battery staple", file.kdf(), file.salt()).unwrap();
    assert_eq!(key, fixture_key());
    let contents = file.open(&key).unwrap();
    let demo = Account::from_form(
        "demo-1".into(),
        "Demo",
        "DEMO01",
        "1234",
        "sandbox-api-key",
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    )
    .unwrap();
    assert_eq!(
        contents,
        VaultContents {
            accounts: vec![demo],
            ..VaultContents::default()
        }
    );

    let nonce = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
    let resealed = VaultFile::seal(&key, *file.kdf(), *file.salt(), nonce, 1, &contents).unwrap();
    assert_eq!(resealed.to_json(), VAULT_V1.trim_end());
}

/// The default settings are the fixture's 64 MiB vector, so it pins them.
#[test]
fn default_kdf_is_64_mib_three_passes_one_lane() {
    assert_eq!(
        KdfParams::default(),
        KdfParams {
            m_cost_kib: 65536,
            t_cost: 3,
            p_cost: 1
        }
    );
}

/// W3: a 4 GiB request is a clean error, from `derive_key` and from a stored vault alike.
#[test]
fn w3_absurd_memory_is_refused_cleanly() {
    let four_gib = KdfParams {
        m_cost_kib: 4 * 1024 * 1024,
        t_cost: 3,
        p_cost: 1,
    };
    let refused = VaultError::KdfRefused {
        reason: "more than 1 GiB of memory",
    };
    assert_eq!(four_gib.check(), Err(refused.clone()));
    assert_eq!(
        derive_key("correct horse battery staple", &four_gib, &SALT),
        Err(refused.clone())
    );

    let json = edit(&sealed(NONCE, 1).to_json(), |v| {
        v["kdf"]["m_cost_kib"] = 4_194_304.into()
    });
    assert_eq!(VaultFile::parse(&json), Err(refused));
    let json = edit(&sealed(NONCE, 1).to_json(), |v| {
        v["kdf"]["t_cost"] = 0.into()
    });
    assert!(matches!(
        VaultFile::parse(&json),
        Err(VaultError::KdfRefused { .. })
    ));
}

#[test]
fn seal_parse_open_round_trip() {
    let file = sealed(NONCE, 7);
    let json = file.to_json();
    let read = VaultFile::parse(&json).unwrap();
    assert_eq!(read, file);
    assert_eq!(read.revision(), 7);
    assert_eq!(read.salt(), &SALT);
    assert_eq!(read.kdf(), &KdfParams::default());
    assert_eq!(read.open(&fixture_key()).unwrap(), contents());
}

#[test]
fn stored_text_has_the_documented_shape() {
    let value: serde_json::Value = serde_json::from_str(&sealed(NONCE, 3).to_json()).unwrap();
    assert_eq!(value["format"], "halo-vault");
    assert_eq!(value["version"], 1);
    assert_eq!(value["kdf"]["algorithm"], "argon2id");
    assert_eq!(value["kdf"]["version"], 19);
    assert_eq!(value["kdf"]["m_cost_kib"], 65536);
    assert_eq!(value["kdf"]["salt"], "EREREREREREREREREREREQ==");
    assert_eq!(value["cipher"]["algorithm"], "aes-256-gcm");
    assert_eq!(value["cipher"]["nonce"], "IiIiIiIiIiIiIiIi");
    assert_eq!(value["revision"], 3);
    let ciphertext = BASE64
        .decode(value["ciphertext"].as_str().unwrap())
        .unwrap();
    let plaintext = serde_json::to_vec(&contents()).unwrap();
    assert_eq!(ciphertext.len(), plaintext.len() + 16);
    // Nothing secret appears in clear.
    let text = value.to_string();
    for secret in [
        "AbCd1234",
        "MFXGOZLMFVXW4ZJNMRSW23ZBEE",
        "Z999999",
        "1234\"",
    ] {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
}

/// W4: two seals of the same contents differ when the nonce does; the nonce is the only source
/// of difference (halo-core draws no randomness of its own).
#[test]
fn w4_fresh_nonce_changes_the_ciphertext() {
    let first = sealed(NONCE, 1).to_json();
    let second = sealed([0x23; 12], 1).to_json();
    let field =
        |json: &str| serde_json::from_str::<serde_json::Value>(json).unwrap()["ciphertext"].clone();
    assert_ne!(field(&first), field(&second));
    assert_eq!(first, sealed(NONCE, 1).to_json());
}

/// W4: any change to the ciphertext or the header fails as a wrong passphrase, never garbage.
#[test]
fn w4_tampering_fails_as_wrong_passphrase() {
    let json = sealed(NONCE, 5).to_json();
    let key = fixture_key();

    let mut ciphertext = {
        let value: serde_json::Value = serde_json::from_str(&json).unwrap();
        BASE64
            .decode(value["ciphertext"].as_str().unwrap())
            .unwrap()
    };
    ciphertext[10] ^= 0x04;
    let flipped = edit(&json, |v| {
        v["ciphertext"] = BASE64.encode(&ciphertext).into()
    });

    let header_edits: Vec<String> = vec![
        flipped,
        edit(&json, |v| v["revision"] = 6.into()),
        edit(&json, |v| v["kdf"]["t_cost"] = 2.into()),
        edit(&json, |v| v["kdf"]["m_cost_kib"] = 65535.into()),
        edit(&json, |v| {
            v["kdf"]["salt"] = BASE64.encode([0x12u8; 16]).into()
        }),
        edit(&json, |v| {
            v["cipher"]["nonce"] = BASE64.encode([0x21u8; 12]).into()
        }),
    ];
    for text in header_edits {
        let file = VaultFile::parse(&text).unwrap();
        assert_eq!(file.open(&key), Err(VaultError::WrongPassphrase), "{text}");
    }

    let wrong = derive_key(
        "wrong passphrase",
        &KdfParams {
            m_cost_kib: 64,
            t_cost: 1,
            p_cost: 1,
        },
        &SALT,
    )
    .unwrap();
    assert_eq!(
        VaultFile::parse(&json).unwrap().open(&wrong),
        Err(VaultError::WrongPassphrase)
    );
}

/// Reformatting the stored JSON (indentation, key order) is not tampering.
#[test]
fn reformatted_json_still_opens() {
    let json = sealed(NONCE, 5).to_json();
    let compact = serde_json::from_str::<serde_json::Value>(&json)
        .unwrap()
        .to_string();
    assert_ne!(compact, json);
    assert_eq!(
        VaultFile::parse(&compact)
            .unwrap()
            .open(&fixture_key())
            .unwrap(),
        contents()
    );
}

#[test]
fn truncated_or_foreign_text_is_damaged() {
    let json = sealed(NONCE, 1).to_json();
    let damaged = |text: &str| matches!(VaultFile::parse(text), Err(VaultError::Damaged { .. }));

    assert!(damaged(&json[..json.len() / 2]));
    assert!(damaged(&json[..json.len() - 1]));
    assert!(damaged(""));
    assert!(damaged("not json at all"));
    assert!(damaged("{}"));
    assert!(damaged(&edit(&json, |v| v["format"] = "other-vault".into())));
    assert!(damaged(
        &edit(&json, |v| v["kdf"]["algorithm"] = "scrypt".into())
    ));
    assert!(damaged(&edit(&json, |v| v["kdf"]["version"] = 16.into())));
    assert!(damaged(&edit(&json, |v| v["cipher"]["algorithm"] =
        "chacha20-poly1305".into())));
    assert!(damaged(&edit(&json, |v| v["kdf"]["salt"] =
        BASE64.encode([1u8; 15]).into())));
    assert!(damaged(&edit(&json, |v| v["cipher"]["nonce"] = "!!".into())));
    assert!(damaged(
        &edit(&json, |v| v["ciphertext"] = BASE64.encode([1u8; 15]).into())
    ));
    assert!(damaged(&edit(&json, |v| v["revision"] = (-1).into())));
    assert!(damaged(&edit(&json, |v| {
        v.as_object_mut().unwrap().remove("cipher");
    })));

    assert_eq!(
        VaultFile::parse(&edit(&json, |v| v["version"] = 2.into())),
        Err(VaultError::UnsupportedVersion { version: 2 })
    );
    // No Halo wrote a version 0: damaged, not "update Halo".
    assert!(damaged(&edit(&json, |v| v["version"] = 0.into())));
}

/// A4: pasted values are trimmed, client codes upper-cased; errors name the field only.
#[test]
fn a4_form_input_is_cleaned() {
    let account = Account::from_form(
        "a1".into(),
        "  Main account ",
        "z999999\n",
        " 1234 ",
        " AbCd1234 ",
        "mfxg ozlm fvxw 4zjn mrsw 23zb ee",
    )
    .unwrap();
    assert_eq!(account.id, "a1");
    assert_eq!(account.label, "Main account");
    assert_eq!(account.platform, Platform::SmartApi);
    assert_eq!(account.client_code, "Z999999");
    assert_eq!(account.mpin.as_str(), "1234");
    assert_eq!(account.api_key.as_str(), "AbCd1234");
    assert_eq!(account.totp_secret.as_str(), "MFXGOZLMFVXW4ZJNMRSW23ZBEE");
    assert_eq!(
        account.totp_secret().unwrap().to_base32(),
        "MFXGOZLMFVXW4ZJNMRSW23ZBEE"
    );

    let unlabelled =
        Account::from_form("a2".into(), " ", "Z999999", "1234", "k", "ORSW4LLCPF2GK4ZB");
    assert_eq!(unlabelled.unwrap().label, "Z999999");
}

#[test]
fn form_errors_name_the_field_and_never_echo_it() {
    let form = |client: &str, mpin: &str, key: &str, secret: &str| {
        Account::from_form("a1".into(), "Main", client, mpin, key, secret).unwrap_err()
    };
    let secret = "MFXGOZLMFVXW4ZJNMRSW23ZBEE";
    let cases = [
        (
            form("", "1234", "AbCd1234", secret),
            AccountError::Missing {
                field: "Client code",
            },
            "",
        ),
        (
            form("Z99 9999", "1234", "AbCd1234", secret),
            AccountError::ClientCode,
            "Z99 9999",
        ),
        (
            form("Z999999", "", "AbCd1234", secret),
            AccountError::Missing { field: "MPIN" },
            "",
        ),
        (
            form("Z999999", "98765", "AbCd1234", secret),
            AccountError::Mpin,
            "98765",
        ),
        (
            form("Z999999", "12a4", "AbCd1234", secret),
            AccountError::Mpin,
            "12a4",
        ),
        (
            form("Z999999", "1234", " ", secret),
            AccountError::Missing { field: "API key" },
            "",
        ),
        (
            form("Z999999", "1234", "AbCd 1234", secret),
            AccountError::ApiKey,
            "AbCd 1234",
        ),
    ];
    for (err, expected, typed) in cases {
        assert_eq!(err, expected);
        if !typed.is_empty() {
            assert!(!err.to_string().contains(typed), "{err}");
        }
    }
    let err = form("Z999999", "1234", "AbCd1234", "");
    assert!(err.to_string().starts_with("TOTP secret: "), "{err}");
}

#[test]
fn debug_output_hides_credentials() {
    let shown = format!("{:?} {:?}", contents(), fixture_key());
    for secret in ["AbCd1234", "MFXGOZLMFVXW4ZJNMRSW23ZBEE", "\"1234\""] {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    assert!(shown.contains("Z999999"));
}

#[test]
fn contents_use_wire_names() {
    let value = serde_json::to_value(contents()).unwrap();
    let first = &value["accounts"][0];
    assert_eq!(first["platform"], "SMART_API");
    assert_eq!(first["client_code"], "Z999999");
    assert_eq!(first["totp"]["algorithm"], "SHA1");
    assert_eq!(first["totp"]["digits"], 6);
    assert_eq!(first["totp"]["period_secs"], 30);
}
