//! The trader's commands against the real sandbox binary: vault, login, orders, order.

// Test code: a failed unwrap is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::path::{Path, PathBuf};
use std::process::Output;

use common::{Sandbox, run_with_stdin};
use halo_core::vault::{Account, KdfParams, VaultContents, VaultFile, derive_key};
use serde_json::Value;

const PASSPHRASE: &str = "correct horse battery";

/// The sandbox's demo account (README): all values made up.
fn demo_account() -> Account {
    Account::from_form(
        "acct-demo".into(),
        "Demo",
        "DEMO01",
        "1234",
        "sandbox-api-key",
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    )
    .unwrap()
}

/// A vault as the extension's "Download backup" writes it; light KDF settings keep tests fast.
fn backup(dir: &Path, passphrase: &str) -> PathBuf {
    let kdf = KdfParams {
        m_cost_kib: 64,
        t_cost: 1,
        p_cost: 1,
    };
    let salt = [7u8; 16];
    let key = derive_key(passphrase, &kdf, &salt).unwrap();
    let contents = VaultContents {
        accounts: vec![demo_account()],
        ..Default::default()
    };
    let file = VaultFile::seal(&key, kdf, salt, [9u8; 12], 4, &contents).unwrap();
    let path = dir.join("halo-vault-2026-03-02.json");
    std::fs::write(&path, file.to_json()).unwrap();
    path
}

/// A config folder and passphrase file of its own, as a fresh user would have.
struct User {
    config: tempfile::TempDir,
    passphrase_file: PathBuf,
}

impl User {
    fn new(passphrase: &str) -> User {
        let config = tempfile::tempdir().unwrap();
        let passphrase_file = config.path().join("passphrase.txt");
        std::fs::write(&passphrase_file, format!("{passphrase}\n")).unwrap();
        User {
            config,
            passphrase_file,
        }
    }

    fn halo(&self, args: &[&str], stdin: &str) -> Output {
        run_with_stdin(
            common::halo(&self.config.path().join("halo"))
                .args(args)
                .env("HALO_PASSPHRASE_FILE", &self.passphrase_file),
            stdin,
        )
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn an_extension_backup_imports_lists_and_exports_back() {
    let user = User::new(PASSPHRASE);
    let file = backup(user.config.path(), PASSPHRASE);

    let out = user.halo(&["vault", "import", file.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).starts_with("Imported 1 account(s) into "));

    let out = user.halo(&["vault", "list"], "");
    assert_eq!(
        text(&out.stdout),
        "ACCOUNT              CLIENT       LOGIN       \n\
         Demo                 DEMO01       SMART_API   \n"
    );
    assert!(!text(&out.stdout).contains("1234") && !text(&out.stdout).contains("sandbox-api"));

    let exported = user.config.path().join("exported.json");
    let out = user.halo(&["vault", "export", exported.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let back = VaultFile::parse(&std::fs::read_to_string(&exported).unwrap()).unwrap();
    let key = derive_key(PASSPHRASE, back.kdf(), back.salt()).unwrap();
    assert_eq!(back.open(&key).unwrap().accounts, vec![demo_account()]);
    assert_eq!(back.revision(), 4);
}

#[test]
fn a_wrong_passphrase_imports_nothing_and_an_existing_vault_is_kept() {
    let user = User::new("not the passphrase");
    let file = backup(user.config.path(), PASSPHRASE);
    let out = user.halo(&["vault", "import", file.to_str().unwrap()], "");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("wrong passphrase"),
        "{}",
        text(&out.stderr)
    );
    assert!(!user.config.path().join("halo/vault.json").exists());

    let user = User::new(PASSPHRASE);
    let out = user.halo(&["vault", "init"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = user.halo(&["vault", "list"], "");
    assert_eq!(text(&out.stdout), "No accounts.\n");
    let file = backup(user.config.path(), PASSPHRASE);
    let out = user.halo(&["vault", "import", file.to_str().unwrap()], "");
    assert!(
        text(&out.stderr).contains("add --replace"),
        "{}",
        text(&out.stderr)
    );
    let out = user.halo(
        &["vault", "import", "--replace", file.to_str().unwrap()],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn login_then_order_with_confirm_then_the_book() {
    let sandbox = Sandbox::start();
    let user = User::new(PASSPHRASE);
    let file = backup(user.config.path(), PASSPHRASE);
    assert!(
        user.halo(&["vault", "import", file.to_str().unwrap()], "")
            .status
            .success()
    );

    let out = user.halo(&["orders"], "");
    assert!(text(&out.stderr).contains("not logged in; run `halo login Demo` first"));

    let out = user.halo(&["login", "--endpoint", &sandbox.root], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        format!("Logged in DEMO01 (Demo Trader) at {}\n", sandbox.root)
    );

    let out = user.halo(&["orders"], "");
    assert_eq!(
        text(&out.stdout),
        "No orders today.\n",
        "{}",
        text(&out.stderr)
    );

    // Off the 10-paise tick: refused by halo-core before anything is sent.
    let out = user.halo(
        &[
            "order", "buy", "RELIANCE", "1", "--limit", "2945.55", "--yes",
        ],
        "",
    );
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("2945.50"),
        "{}",
        text(&out.stderr)
    );

    // Answering no places nothing.
    let out = user.halo(
        &["order", "buy", "RELIANCE", "1", "--limit", "2945.50"],
        "n\n",
    );
    let shown = text(&out.stdout);
    assert!(shown.starts_with("BUY 1 RELIANCE-EQ (NSE token 2885) at 2945.50 limit, DELIVERY"));
    assert!(
        shown.ends_with("Place this order? [y/N] \nNot placed.\n"),
        "{shown}"
    );

    let out = user.halo(
        &["order", "buy", "NSE:RELIANCE", "2", "--limit", "2945.50"],
        "y\n",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let last = text(&out.stdout).lines().last().unwrap().to_owned();
    assert!(last.starts_with("Order "), "{last}");

    let listing = reqwest::blocking::get(format!("{}/sandbox/orders", sandbox.root)).unwrap();
    let received: Value = listing.json().unwrap();
    let orders = received.as_array().unwrap();
    assert_eq!(orders.len(), 1, "{received}");
    let body = &orders[0]["request"];
    assert_eq!(
        (body["tradingsymbol"].as_str(), body["quantity"].as_str()),
        (Some("RELIANCE-EQ"), Some("2")),
        "{received}"
    );

    let out = user.halo(&["orders"], "");
    let table = text(&out.stdout);
    assert!(table.starts_with("ORDER"), "{table}");
    assert!(
        table
            .lines()
            .nth(1)
            .unwrap()
            .contains("BUY  RELIANCE-EQ        NSE        2    2945.50"),
        "{table}"
    );
}

#[test]
fn totp_of_a_vault_account_matches_its_secret_and_never_echoes_a_wrong_name() {
    let user = User::new(PASSPHRASE);
    let file = backup(user.config.path(), PASSPHRASE);
    let out = user.halo(&["vault", "import", file.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out.stderr));

    let from_vault = user.halo(&["totp", "Demo", "--at", "1234567890"], "");
    assert!(from_vault.status.success(), "{}", text(&from_vault.stderr));
    let from_stdin = user.halo(
        &["totp", "--stdin", "--at", "1234567890"],
        "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP",
    );
    assert_eq!(text(&from_vault.stdout), text(&from_stdin.stdout));
    // 1234567890 starts a 30 s step.
    assert!(
        text(&from_vault.stdout).ends_with("  30 s left\n"),
        "{}",
        text(&from_vault.stdout)
    );
    // The only account is the default; its client code names it too.
    let by_code = user.halo(&["totp", "demo01", "--at", "1234567890"], "");
    assert_eq!(text(&by_code.stdout), text(&from_vault.stdout));

    let wrong = user.halo(&["totp", "JBSWY3DPEHPK3PXP"], "");
    assert!(!wrong.status.success());
    assert!(text(&wrong.stderr).contains("no account or TOTP entry by that name"));
    assert!(
        !text(&wrong.stderr).contains("JBSWY3DPEHPK3PXP"),
        "{}",
        text(&wrong.stderr)
    );
}
