//! `halo totp` run as a real process: the secret or link on standard input, the code on stdout.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::Path;
use std::process::Output;

use common::run_with_stdin;

const RFC: &str = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";

fn halo_totp(args: &[&str], stdin: &str) -> Output {
    // No vault here: an argument that is not --stdin finds nothing to read.
    let config = Path::new(concat!(env!("CARGO_TARGET_TMPDIR"), "/totp-no-vault"));
    run_with_stdin(common::halo(config).arg("totp").args(args), stdin)
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

#[test]
fn secret_on_stdin_gives_the_known_code() {
    // Case T4: RFC 6238's key at 1234567890, grouped and in lower case as people paste it.
    let out = halo_totp(
        &["--stdin", "--at", "1234567890"],
        "gezd gnbv gy3t qojq gezd gnbv gy3t qojq\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "005924  30 s left\n");
}

#[test]
fn only_the_first_line_of_stdin_is_the_secret() {
    // As `pass show` prints an entry: the secret, then notes. A letters-only note must not be
    // read as more of the secret (which would give a wrong code and no error).
    let out = halo_totp(
        &["--stdin", "--at", "1234567890"],
        "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ\nangel one\nlogin: Z123456\n",
    );
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out), "005924  30 s left\n");
}

#[test]
fn otpauth_link_parameters_are_honoured() {
    // Case T5: period 60, at 2025-01-01T00:00:30Z, so 30 s are left of the minute.
    let link = format!("otpauth://totp/X?secret={RFC}&period=60\n");
    let out = halo_totp(&["--stdin", "--at", "1735689630"], &link);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.ends_with("  30 s left\n"), "{text}");

    let eight = format!("otpauth://totp/X?secret={RFC}&digits=8");
    let out = halo_totp(&["--stdin", "--at", "59"], &eight);
    assert_eq!(stdout(&out), "94287082  1 s left\n");
}

#[test]
fn short_secrets_work_with_a_warning() {
    // Case T3.
    let out = halo_totp(&["--stdin", "--at", "1700000000"], "ORSW4LLCPF2GK4ZB");
    assert!(out.status.success());
    assert!(stdout(&out).starts_with("643662  "), "{}", stdout(&out));
    assert!(stderr(&out).contains("80 bits"), "{}", stderr(&out));
}

#[test]
fn refusals_name_the_problem_and_never_echo_the_input() {
    for (input, expected) in [
        ("081804\n", "looks like a one-time code"),
        (
            "otpauth://totp/X?secret=GEZDGNBVGY3TQOJQ&digits=12",
            "otpauth link's digits",
        ),
        (
            "otpauth://totp/X?secret=GEZDGNBVGY3TQOJQ&period=abc",
            "otpauth link's period",
        ),
        ("", "empty"),
    ] {
        let out = halo_totp(&["--stdin"], input);
        assert!(!out.status.success(), "{input:?}");
        assert!(stdout(&out).is_empty(), "{input:?}");
        let err = stderr(&out);
        assert!(err.contains(expected), "{input:?}: {err}");
    }
    let out = halo_totp(&["--stdin"], "GEZDGNBVGY3TQOJ0GEZDGNBVGY3TQOJQ");
    assert!(
        !stderr(&out).contains("GEZDGNBVGY3TQOJ0"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn a_secret_is_never_an_argument() {
    let out = halo_totp(&[RFC], "");
    assert!(!out.status.success());
    assert!(stderr(&out).contains("--stdin"), "{}", stderr(&out));
    assert!(!stderr(&out).contains(RFC), "{}", stderr(&out));

    let out = halo_totp(&[], "");
    assert!(!out.status.success());
    assert!(
        stderr(&out).contains("never taken as an argument"),
        "{}",
        stderr(&out)
    );
}
