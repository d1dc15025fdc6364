//! `otpauth://` links as issuers and other authenticators write them: the reported cases T5-T7,
//! export, and links entered in the account form.

#![allow(clippy::unwrap_used)]

use halo_core::totp::{
    Algorithm, OtpAuth, TotpError, TotpParams, TotpSecret, code_at, parse_secret_or_uri,
};
use halo_core::vault::{Account, AccountError};

/// RFC 6238's SHA-1 secret.
const RFC: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/// 2025-01-01T00:00:00Z.
const T: u64 = 1_735_689_600;

const FIXTURE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/totp.json"
));

/// T5: `period=60` is honoured, for the code and the countdown; checked against every
/// period-60 row of the fixture.
#[test]
fn t5_period_sixty_is_honoured() {
    let link = OtpAuth::parse(&format!("otpauth://totp/X?secret={RFC}&period=60")).unwrap();
    assert_eq!(link.params.period_secs, 60);
    assert_eq!(link.account_name, "X");
    assert_eq!(link.issuer, "");

    let rows: Vec<serde_json::Value> = serde_json::from_str(FIXTURE).unwrap();
    let sixty: Vec<&serde_json::Value> = rows
        .iter()
        .filter(|r| r["period"] == 60 && r["secret"] == RFC && r["digits"] == 6)
        .collect();
    assert!(!sixty.is_empty());
    for row in sixty {
        let at = row["unix_time"].as_u64().unwrap();
        let code = code_at(&link.secret, &link.params, at).unwrap();
        assert_eq!(code.code, row["code"].as_str().unwrap(), "{}", row["note"]);
        assert_eq!(code.seconds_left, 60 - at % 60);
    }
    let at_t_plus_30 = code_at(&link.secret, &link.params, T + 30).unwrap();
    assert_eq!(at_t_plus_30.seconds_left, 30);
    assert_eq!(
        at_t_plus_30.code,
        code_at(&link.secret, &link.params, T).unwrap().code,
        "one code lasts the whole minute"
    );
}

/// T6: bad `digits` and `period` are refused, naming the field; nothing panics.
#[test]
fn t6_bad_parameters_are_refused_with_the_field_named() {
    let cases = [
        ("digits=-6", "digits", "-6"),
        ("digits=0", "digits", "0"),
        ("digits=12", "digits", "12"),
        ("digits=5", "digits", "5"),
        ("digits=", "digits", ""),
        ("period=0", "period", "0"),
        ("period=-30", "period", "-30"),
        ("period=abc", "period", "abc"),
        ("period=30.5", "period", "30.5"),
        (
            "period=99999999999999999999999",
            "period",
            "9999999999999999…",
        ),
        ("algorithm=MD5", "algorithm", "MD5"),
        ("algorithm=SHA3", "algorithm", "SHA3"),
    ];
    for (param, field, value) in cases {
        let uri = format!("otpauth://totp/Demo:alice?secret={RFC}&{param}");
        let err = OtpAuth::parse(&uri).unwrap_err();
        assert_eq!(
            err,
            TotpError::BadLinkField {
                field,
                value: value.to_owned()
            },
            "{param}"
        );
        let text = err.to_string();
        assert!(text.contains(&format!("otpauth link's {field}")), "{text}");
        assert!(!text.contains(RFC), "{text}");
    }
}

/// T7: issuer precedence and labels with `%3A` or a literal `:`.
#[test]
fn t7_labels_and_issuer_precedence() {
    let desk = OtpAuth::parse(
        "otpauth://totp/Demo%3A%20Desk:alice?secret=MFXGOZLMFVXW4ZJNMRSW23ZBEE\
         &issuer=Demo%3A%20Desk",
    )
    .unwrap();
    assert_eq!(
        (desk.issuer.as_str(), desk.account_name.as_str()),
        ("Demo: Desk", "alice")
    );

    let demo =
        OtpAuth::parse("otpauth://totp/Demo%3Aalice?secret=MFXGOZLMFVXW4ZJNMRSW23ZBEE&issuer=Demo")
            .unwrap();
    assert_eq!(
        (demo.issuer.as_str(), demo.account_name.as_str()),
        ("Demo", "alice")
    );
    assert_eq!(
        code_at(&demo.secret, &demo.params, 1_700_000_000)
            .unwrap()
            .code,
        "389899"
    );

    // The parameter wins over a disagreeing label; a label alone still names the issuer.
    let both = OtpAuth::parse(&format!("otpauth://totp/Old:bob?secret={RFC}&issuer=New")).unwrap();
    assert_eq!(
        (both.issuer.as_str(), both.account_name.as_str()),
        ("New", "bob")
    );
    let label_only = OtpAuth::parse(&format!("otpauth://totp/AngelOne:Z999999?secret={RFC}"));
    let label_only = label_only.unwrap();
    assert_eq!(label_only.issuer, "AngelOne");
    assert_eq!(label_only.account_name, "Z999999");

    // A label never fails an import, however it is written.
    for label in [
        "",
        "%",
        "%E2%28%A1",
        ":",
        "a:b:c",
        "%3A%3A",
        "Spaced%20Out%20",
        "ü%zz",
    ] {
        let uri = format!("otpauth://totp/{label}?secret={RFC}");
        assert!(OtpAuth::parse(&uri).is_ok(), "{uri}");
    }
}

#[test]
fn lenient_where_nothing_is_at_stake() {
    let link = OtpAuth::parse(
        "  OTPAUTH://TOTP/Mail:me%40example.com?SECRET=gezd%20gnbv-gy3t+qojq+gezd+gnbv+gy3t+qojq\
         &Algorithm=sha256&digits=8&period=30&image=https%3A%2F%2Fx%2Fa.png#frag \n",
    )
    .unwrap();
    assert_eq!(link.account_name, "me@example.com");
    assert_eq!(link.secret.to_base32(), RFC);
    assert_eq!(
        link.params,
        TotpParams {
            algorithm: Algorithm::Sha256,
            digits: 8,
            period_secs: 30
        }
    );
}

#[test]
fn refusals_that_are_not_parameters() {
    assert_eq!(
        OtpAuth::parse("https://example.com"),
        Err(TotpError::NotOtpAuth)
    );
    assert_eq!(
        OtpAuth::parse(&format!("otpauth://hotp/X?secret={RFC}&counter=1")),
        Err(TotpError::UnsupportedKind {
            kind: "hotp".into()
        })
    );
    assert_eq!(
        OtpAuth::parse("otpauth://totp/X?issuer=Y"),
        Err(TotpError::MissingSecret)
    );
    assert_eq!(
        OtpAuth::parse("otpauth://totp/X?secret="),
        Err(TotpError::Empty)
    );
    assert_eq!(
        OtpAuth::parse("otpauth://totp/X?secret=081804"),
        Err(TotpError::LooksLikeCode)
    );
    assert_eq!(
        parse_secret_or_uri("otpauth:totp/X"),
        Err(TotpError::NotOtpAuth)
    );
}

#[test]
fn odd_inputs_never_panic() {
    let long = "A".repeat(10_000);
    for input in [
        "otpauth://",
        "otpauth://totp",
        "otpauth://totp/",
        "otpauth://totp/?",
        "otpauth://totp/??&&==",
        "otpauth://totp/x?secret=%",
        "otpauth://totp/x?secret=%F0%9F%98%80",
        "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&digits=%FF",
        "otpauth://ü/x",
        "otpauth://tötp/x",
        &format!("otpauth://totp/{long}?secret={long}"),
        "otpauth://totp/x?secret=GEZDGNBVGY3TQOJQ&period=18446744073709551616",
    ] {
        let _ = OtpAuth::parse(input);
        let _ = parse_secret_or_uri(input);
    }
}

#[test]
fn export_then_import_gives_the_same_entry() {
    for (issuer, account) in [("Demo: Desk", "alice"), ("", "solo"), ("Only issuer", "")] {
        let link = OtpAuth {
            issuer: issuer.into(),
            account_name: account.into(),
            secret: TotpSecret::parse("ORSW4LLCPF2GK4ZB").unwrap(),
            params: TotpParams {
                algorithm: Algorithm::Sha512,
                digits: 7,
                period_secs: 45,
            },
        };
        let uri = link.to_uri();
        assert!(uri.starts_with("otpauth://totp/"), "{uri}");
        assert_eq!(OtpAuth::parse(&uri).unwrap(), link, "{uri}");
    }
}

/// A link pasted into the account form's "TOTP secret" keeps its parameters.
#[test]
fn account_form_takes_a_link() {
    let account = Account::from_form(
        "a1".into(),
        "Main",
        "Z999999",
        "1234",
        "AbCd1234",
        &format!("otpauth://totp/AngelOne:Z999999?secret={RFC}&issuer=AngelOne&period=60"),
    )
    .unwrap();
    assert_eq!(account.totp_secret.as_str(), RFC);
    assert_eq!(account.totp.period_secs, 60);

    let bad = Account::from_form(
        "a1".into(),
        "Main",
        "Z999999",
        "1234",
        "AbCd1234",
        &format!("otpauth://totp/AngelOne:Z999999?secret={RFC}&digits=12"),
    );
    let err = bad.unwrap_err();
    assert!(matches!(
        err,
        AccountError::TotpSecret(TotpError::BadLinkField { .. })
    ));
    assert!(
        err.to_string()
            .starts_with("TOTP secret: the otpauth link's digits"),
        "{err}"
    );
}
