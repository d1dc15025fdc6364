//! Known-answer tests for `halo_core::totp`: every row of `tests/fixtures/totp.json` and the
//! reported cases T1-T4, T8 and T9.

#![allow(clippy::unwrap_used)]

use halo_core::totp::{
    Algorithm, MIN_SECONDS_LEFT_FOR_LOGIN, TotpError, TotpParams, TotpSecret, clock_offset_secs,
    code_at, seconds_to_wait_before_login, server_unix_secs,
};
use halo_core::vault::{Account, AccountError};

const FIXTURE: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/totp.json"
));

/// RFC 6238's SHA-1 secret ("12345678901234567890").
const RFC: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
/// 2025-01-01T00:00:00Z.
const T: u64 = 1_735_689_600;

#[derive(serde::Deserialize)]
struct Row {
    note: String,
    secret: String,
    unix_time: u64,
    digits: u32,
    period: u64,
    algorithm: Algorithm,
    code: String,
}

fn code(secret: &str, unix_secs: u64) -> String {
    let secret = TotpSecret::parse(secret).unwrap();
    code_at(&secret, &TotpParams::default(), unix_secs)
        .unwrap()
        .code
}

#[test]
fn every_fixture_row() {
    let rows: Vec<Row> = serde_json::from_str(FIXTURE).unwrap();
    assert_eq!(rows.len(), 36);
    for row in rows {
        let secret = TotpSecret::parse(&row.secret).unwrap();
        let params = TotpParams {
            algorithm: row.algorithm,
            digits: row.digits,
            period_secs: row.period,
        };
        let got = code_at(&secret, &params, row.unix_time).unwrap();
        assert_eq!(got.code, row.code, "{} at {}", row.note, row.unix_time);
        assert_eq!(got.period_secs, row.period);
        assert_eq!(
            got.seconds_left,
            row.period - row.unix_time % row.period,
            "{}",
            row.note
        );
    }
}

/// T1: padding and case do not change the key.
#[test]
fn t1_padded_unpadded_and_lower_case_are_one_key() {
    let forms = [
        "MFXGOZLMFVXW4ZJNMRSW23ZBEE======",
        "MFXGOZLMFVXW4ZJNMRSW23ZBEE",
    ];
    let lower = "mfxgozlmfvxw4zjnmrsw23zbee";
    for form in forms.iter().chain([&lower]) {
        assert_eq!(code(form, 1_700_000_000), "389899", "{form}");
        assert_eq!(TotpSecret::parse(form).unwrap().to_base32(), forms[1]);
    }
}

/// T2: spaces, line breaks and hyphens are stripped and lower case is upper-cased.
#[test]
fn t2_grouped_and_messy_secrets() {
    for form in [
        "gezd gnbv gy3t qojq gezd gnbv gy3t qojq",
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ \n",
        "GEZD-GNBV-GY3T-QOJQ-GEZD-GNBV-GY3T-QOJQ",
    ] {
        assert_eq!(code(form, 1_111_111_109), "081804", "{form:?}");
        assert_eq!(TotpSecret::parse(form).unwrap().to_base32(), RFC);
    }
}

/// T3: an 80-bit secret works (the checked totp-rs constructor would refuse it) and is
/// flagged as short.
#[test]
fn t3_eighty_bit_secret_works() {
    let secret = TotpSecret::parse("ORSW4LLCPF2GK4ZB").unwrap();
    assert!(secret.is_short());
    assert_eq!(
        code_at(&secret, &TotpParams::default(), 1_700_000_000)
            .unwrap()
            .code,
        "643662"
    );
    assert!(!TotpSecret::parse(RFC).unwrap().is_short());
}

/// T4: codes are fixed-width strings.
#[test]
fn t4_leading_zero_survives() {
    assert_eq!(code(RFC, 1_234_567_890), "005924");
}

/// T8: a one-time code pasted as the secret is refused with a message saying so.
#[test]
fn t8_one_time_code_is_not_a_secret() {
    let message = "this looks like a one-time code; paste the secret shown under the QR code";
    for pasted in ["081804", "234567"] {
        let err = TotpSecret::parse(pasted).unwrap_err();
        assert_eq!(err, TotpError::LooksLikeCode);
        assert_eq!(err.to_string(), message);

        let form = Account::from_form("a1".into(), "Main", "Z999999", "1234", "AbCd1234", pasted);
        let err = form.unwrap_err();
        assert_eq!(err, AccountError::TotpSecret(TotpError::LooksLikeCode));
        assert!(err.to_string().contains(message), "{err}");
        assert!(!err.to_string().contains(pasted), "{err}");
    }
}

/// T9: a device clock 75 s ahead of Angel's `Date` header is corrected, and a login never
/// submits a code with under 3 s left.
#[test]
fn t9_measured_offset_gives_the_server_code() {
    let local_ms = (T + 75) as f64 * 1000.0 + 250.0;
    let offset = clock_offset_secs(local_ms, "Wed, 01 Jan 2025 00:00:00 GMT").unwrap();
    assert_eq!(offset, -75);

    let now = server_unix_secs(local_ms, offset);
    assert_eq!(now, T);
    assert_eq!(code(RFC, now), "381520");
    // Uncorrected, the device would send the code of two periods later.
    assert_eq!(code(RFC, (local_ms / 1000.0) as u64), "475394");

    let params = TotpParams::default();
    assert_eq!(MIN_SECONDS_LEFT_FOR_LOGIN, 3);
    assert_eq!(seconds_to_wait_before_login(&params, T), 0);
    assert_eq!(seconds_to_wait_before_login(&params, T + 27), 0);
    let wait = seconds_to_wait_before_login(&params, T + 28);
    assert_eq!(wait, 2);
    let at_login = code_at(&TotpSecret::parse(RFC).unwrap(), &params, T + 28 + wait).unwrap();
    assert_eq!(at_login.code, "696213");
    assert_eq!(at_login.seconds_left, 30);
}

/// T6 at the code level: parameters that would make totp-rs panic are errors.
#[test]
fn absurd_parameters_are_refused() {
    let secret = TotpSecret::parse(RFC).unwrap();
    let refused = |digits, period_secs| {
        code_at(
            &secret,
            &TotpParams {
                algorithm: Algorithm::Sha1,
                digits,
                period_secs,
            },
            T,
        )
    };
    assert_eq!(refused(0, 30), Err(TotpError::InvalidDigits { digits: 0 }));
    assert_eq!(
        refused(12, 30),
        Err(TotpError::InvalidDigits { digits: 12 })
    );
    assert_eq!(
        refused(6, 0),
        Err(TotpError::InvalidPeriod { period_secs: 0 })
    );
}
