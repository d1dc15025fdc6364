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
    assert!(text(&out.stdout).starts_with("Imported 1 account into "));

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
    assert!(
        shown.starts_with(&format!(
            "BUY 1 RELIANCE-EQ (NSE) at ₹2,945.50 LIMIT DELIVERY · value ₹2,945.50 · via Demo \
             (DEMO01) at {}\n",
            sandbox.root
        )),
        "{shown}"
    );
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

/// A user with the demo account imported and logged in at `sandbox`.
fn logged_in(sandbox: &Sandbox) -> User {
    let user = User::new(PASSPHRASE);
    let file = backup(user.config.path(), PASSPHRASE);
    let out = user.halo(&["vault", "import", file.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = user.halo(&["login", "--endpoint", &sandbox.root], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    user
}

/// The order requests the sandbox received, as sent.
fn received(sandbox: &Sandbox) -> Vec<Value> {
    let listing = reqwest::blocking::get(format!("{}/sandbox/orders", sandbox.root)).unwrap();
    let orders: Value = listing.json().unwrap();
    orders.as_array().unwrap().clone()
}

#[test]
fn an_order_above_the_value_limit_is_refused_unless_max_value_allows_it() {
    let sandbox = Sandbox::start();
    let user = logged_in(&sandbox);
    let order = ["order", "buy", "RELIANCE", "60000", "--limit", "151.90"];

    let out = user.halo(&[&order[..], &["--yes"]].concat(), "");
    assert!(!out.status.success());
    assert_eq!(
        text(&out.stderr),
        "halo: This order is worth ₹91,14,000.00, above Halo's limit of ₹5,00,000.00 per order; \
         nothing was sent. Lower the quantity or the price, or, if you mean it, add --max-value \
         9114000 to allow this one order.\n"
    );

    let out = user.halo(
        &[&order[..], &["--max-value", "9113999", "--yes"]].concat(),
        "",
    );
    assert!(
        text(&out.stderr)
            .contains("worth ₹91,14,000.00, above the ₹91,13,999.00 you allowed with --max-value"),
        "{}",
        text(&out.stderr)
    );
    let out = user.halo(
        &[&order[..], &["--max-value", "9,114,000", "--yes"]].concat(),
        "",
    );
    assert!(
        text(&out.stderr).contains("\"9,114,000\" is not an amount for --max-value"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(
        received(&sandbox).len(),
        0,
        "a refused order reached the broker"
    );

    let out = user.halo(
        &[&order[..], &["--max-value", "9114000", "--yes"]].concat(),
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let orders = received(&sandbox);
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0]["request"]["quantity"], "60000");
}

#[test]
fn the_confirm_line_counts_futures_and_options_in_lots_and_shows_the_value() {
    let sandbox = Sandbox::start();
    let user = logged_in(&sandbox);

    let out = user.halo(
        &[
            "order",
            "buy",
            "NIFTY05MAY2216400PE",
            "50",
            "--limit",
            "12.30",
        ],
        "n\n",
    );
    assert_eq!(
        text(&out.stdout),
        format!(
            "BUY 50 lots (2500 units) NIFTY05MAY2216400PE (NFO) at ₹12.30 LIMIT CARRYFORWARD · \
             value ₹30,750.00 · via Demo (DEMO01) at {}\nPlace this order? [y/N] \nNot placed.\n",
            sandbox.root
        ),
        "{}",
        text(&out.stderr)
    );
    let out = user.halo(
        &[
            "order",
            "buy",
            "NIFTY05MAY2216400PE",
            "1",
            "--limit",
            "12.30",
        ],
        "y\n",
    );
    assert!(text(&out.stdout).starts_with("BUY 1 lot (50 units) NIFTY05MAY2216400PE (NFO)"));
    let orders = received(&sandbox);
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0]["request"]["quantity"], "50");

    let help = user.halo(&["order", "--help"], "");
    assert!(
        text(&help.stdout).contains("Shares for stocks; LOTS for futures and options"),
        "{}",
        text(&help.stdout)
    );
}

#[test]
fn without_a_limit_the_confirm_names_the_last_price_and_yes_is_refused() {
    let sandbox = Sandbox::start();
    let user = logged_in(&sandbox);

    let out = user.halo(&["order", "buy", "RELIANCE", "3"], "n\n");
    assert!(
        text(&out.stdout).starts_with(
            "BUY 3 RELIANCE-EQ (NSE) at ₹151.90 (the last price) LIMIT DELIVERY · value ₹455.70"
        ),
        "{}",
        text(&out.stdout)
    );

    let out = user.halo(&["order", "buy", "RELIANCE", "3", "--yes"], "");
    assert!(!out.status.success());
    assert_eq!(
        text(&out.stderr),
        "halo: --yes needs --limit: Halo will not pick a price for an order nobody confirms. \
         Add --limit PRICE, or leave out --yes to see the last price and confirm it.\n"
    );
    assert_eq!(text(&out.stdout), "");
    assert_eq!(received(&sandbox).len(), 0);
}

#[test]
fn a_price_with_a_comma_is_refused_like_the_extension_refuses_it() {
    let sandbox = Sandbox::start();
    let user = logged_in(&sandbox);
    for price in ["2945,5", "1,5", "2,945.50"] {
        let out = user.halo(
            &["order", "buy", "RELIANCE", "1", "--limit", price, "--yes"],
            "",
        );
        assert!(!out.status.success());
        assert_eq!(
            text(&out.stderr),
            "halo: Use a dot for paise, without commas: 2945.50\n",
            "{price}"
        );
    }
    assert_eq!(received(&sandbox).len(), 0);
}

#[test]
fn importing_a_file_that_is_no_backup_names_that_file_and_keeps_the_vault() {
    let user = User::new(PASSPHRASE);
    let out = user.halo(&["vault", "init"], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let vault = std::fs::read_to_string(user.config.path().join("halo/vault.json")).unwrap();

    let passwd = user.config.path().join("passwd");
    std::fs::write(&passwd, "root:x:0:0:root:/root:/bin/bash\n").unwrap();
    let out = user.halo(
        &["vault", "import", "--replace", passwd.to_str().unwrap()],
        "",
    );
    assert!(!out.status.success());
    assert_eq!(
        text(&out.stderr),
        format!(
            "halo: {} is not a Halo vault backup (not a complete JSON vault); nothing was \
             imported or changed. Choose the file the extension's Download backup saved, named \
             like halo-vault-2026-03-02.json\n",
            passwd.display()
        )
    );
    assert!(!text(&out.stderr).contains("damaged"));

    // A device that never ends is refused after a few megabytes, not read until memory runs out.
    let out = user.halo(&["vault", "import", "--replace", "/dev/zero"], "");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("(it is far larger than any vault)"),
        "{}",
        text(&out.stderr)
    );
    let after = std::fs::read_to_string(user.config.path().join("halo/vault.json")).unwrap();
    assert_eq!(after, vault);
}

#[test]
fn a_vault_overwritten_by_a_picture_reads_as_damaged() {
    let user = User::new(PASSPHRASE);
    let vault = user.config.path().join("halo/vault.json");
    std::fs::create_dir_all(vault.parent().unwrap()).unwrap();
    std::fs::write(&vault, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe").unwrap();
    let out = user.halo(&["vault", "list"], "");
    assert!(!out.status.success());
    assert_eq!(
        text(&out.stderr),
        format!(
            "halo: cannot open {}: the vault is damaged and cannot be read (it is not text); \
             restore it from a backup or create a new vault\n",
            vault.display()
        )
    );
}

#[test]
fn a_label_carrying_terminal_escapes_is_listed_without_them() {
    let dir = tempfile::tempdir().unwrap();
    let kdf = KdfParams {
        m_cost_kib: 64,
        t_cost: 1,
        p_cost: 1,
    };
    let key = derive_key(PASSPHRASE, &kdf, &[7u8; 16]).unwrap();
    // Written by something other than Halo's forms, which would have cleaned the label.
    let mut account = demo_account();
    account.label = "\x1b[31mRED\x1b[0m\x1b]0;pwned\x07\u{202E}".to_owned();
    let contents = VaultContents {
        accounts: vec![account],
        ..Default::default()
    };
    let file = VaultFile::seal(&key, kdf, [7u8; 16], [9u8; 12], 1, &contents).unwrap();
    let path = dir.path().join("crafted.json");
    std::fs::write(&path, file.to_json()).unwrap();

    let user = User::new(PASSPHRASE);
    let out = user.halo(&["vault", "import", path.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = user.halo(&["vault", "list"], "");
    let listed = text(&out.stdout);
    assert!(listed.contains("[31mRED[0m]0;pwned"), "{listed}");
    assert!(!listed.contains(['\x1b', '\x07', '\u{202E}']), "{listed:?}");
}

#[test]
fn no_passphrase_on_stdin_says_none_was_given_not_that_it_was_wrong() {
    let user = User::new(PASSPHRASE);
    assert!(user.halo(&["vault", "init"], "").status.success());
    let config = user.config.path().join("halo");

    for stdin in ["", "\n"] {
        let out = run_with_stdin(common::halo(&config).args(["vault", "list"]), stdin);
        assert!(!out.status.success());
        assert_eq!(
            text(&out.stderr),
            "halo: no passphrase was given: standard input is not a terminal and held none. Run \
             the command in a terminal to be asked, pipe the passphrase in, or name a file \
             holding it in HALO_PASSPHRASE_FILE\n",
            "{stdin:?}"
        );
    }
    let empty = user.config.path().join("empty.txt");
    std::fs::write(&empty, "\n").unwrap();
    let out = run_with_stdin(
        common::halo(&config)
            .args(["vault", "list"])
            .env("HALO_PASSPHRASE_FILE", &empty),
        "",
    );
    assert!(
        text(&out.stderr).contains("no passphrase was given: the file HALO_PASSPHRASE_FILE"),
        "{}",
        text(&out.stderr)
    );

    // Piped in, the passphrase opens the vault, also with HALO_PASSPHRASE_FILE set but empty.
    for file in [None, Some("")] {
        let mut halo = common::halo(&config);
        halo.args(["vault", "list"]);
        if let Some(file) = file {
            halo.env("HALO_PASSPHRASE_FILE", file);
        }
        let out = run_with_stdin(&mut halo, &format!("{PASSPHRASE}\n"));
        assert_eq!(text(&out.stdout), "No accounts.\n", "{}", text(&out.stderr));
    }
}

#[test]
fn a_new_vault_takes_the_extensions_passphrase_rule() {
    // Fifteen characters, seven of them not spaces: the extension refuses it, so does `init`.
    let user = User::new(" a b c d e f g ");
    let out = user.halo(&["vault", "init"], "");
    assert!(!out.status.success());
    assert_eq!(
        text(&out.stderr),
        "halo: new passphrase refused. Choose a passphrase of at least 8 characters other than \
         spaces; nothing was created\n"
    );
    assert!(!user.config.path().join("halo/vault.json").exists());
    // Long enough but a run a guesser tries first.
    let user = User::new("1234 5678 90");
    let out = user.halo(&["vault", "init"], "");
    assert!(
        text(&out.stderr).contains("among the first guesses"),
        "{}",
        text(&out.stderr)
    );
    assert!(!user.config.path().join("halo/vault.json").exists());

    // Spaces around a passphrase are part of it, as in the extension.
    let user = User::new("  correct horse battery  ");
    assert!(user.halo(&["vault", "init"], "").status.success());
    let config = user.config.path().join("halo");
    let list = |stdin: &str| run_with_stdin(common::halo(&config).args(["vault", "list"]), stdin);
    assert_eq!(
        text(&list("  correct horse battery  \n").stdout),
        "No accounts.\n"
    );
    assert!(text(&list("correct horse battery\n").stderr).contains("wrong passphrase"));
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
#[test]
fn the_vault_the_session_and_their_folders_are_this_users_only() {
    let sandbox = Sandbox::start();
    let user = logged_in(&sandbox);
    let config = user.config.path().join("halo");
    assert_eq!(mode(&config), 0o700);
    assert_eq!(mode(&config.join("vault.json")), 0o600);
    assert_eq!(mode(&config.join("sessions")), 0o700);
    assert_eq!(mode(&config.join("sessions/acct-demo.json")), 0o600);
    assert!(!config.join("vault.json.new").exists());
}

#[cfg(unix)]
#[test]
fn a_vault_that_is_a_link_stays_one_and_its_target_gets_the_imported_vault() {
    let user = User::new(PASSPHRASE);
    let config = user.config.path().join("halo");
    let synced = user.config.path().join("synced");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::create_dir_all(&synced).unwrap();
    // The synced copy holds an older vault; the config folder links to it, relatively.
    std::fs::write(synced.join("vault.json"), "older vault").unwrap();
    let link = config.join("vault.json");
    std::os::unix::fs::symlink("../synced/vault.json", &link).unwrap();

    let file = backup(user.config.path(), PASSPHRASE);
    let out = user.halo(
        &["vault", "import", "--replace", file.to_str().unwrap()],
        "",
    );
    assert!(out.status.success(), "{}", text(&out.stderr));

    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let target = VaultFile::parse(&std::fs::read_to_string(synced.join("vault.json")).unwrap());
    assert_eq!(target.unwrap().revision(), 4);
    assert_eq!(mode(&synced.join("vault.json")), 0o600);
    let mut left: Vec<_> = std::fs::read_dir(&synced)
        .unwrap()
        .map(|entry| entry.unwrap().file_name())
        .collect();
    left.extend(
        std::fs::read_dir(&config)
            .unwrap()
            .map(|e| e.unwrap().file_name()),
    );
    assert_eq!(
        left,
        ["vault.json", "vault.json"],
        "a temporary file was left"
    );
    let out = user.halo(&["vault", "list"], "");
    assert!(
        text(&out.stdout).contains("DEMO01"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn an_accent_typed_as_one_character_or_two_is_the_same_passphrase() {
    // "é" as e + combining acute (a paste, some keyboards), then as the single character.
    let decomposed = "correct horse cafe\u{301} 9317";
    let user = User::new(decomposed);
    assert!(user.halo(&["vault", "init"], "").status.success());
    std::fs::write(&user.passphrase_file, "correct horse caf\u{e9} 9317\n").unwrap();
    let out = user.halo(&["vault", "list"], "");
    assert_eq!(text(&out.stdout), "No accounts.\n", "{}", text(&out.stderr));
}

#[test]
fn a_passphrase_file_saved_by_windows_tools_opens_the_vault() {
    let user = User::new(PASSPHRASE);
    assert!(user.halo(&["vault", "init"], "").status.success());

    let utf16 = |mark: [u8; 2], unit: fn(u16) -> [u8; 2]| {
        let mut bytes = mark.to_vec();
        bytes.extend(format!("{PASSPHRASE}\r\n").encode_utf16().flat_map(unit));
        bytes
    };
    let saved = [
        (
            "Notepad, UTF-8",
            [&b"\xEF\xBB\xBF"[..], PASSPHRASE.as_bytes(), b"\r\n"].concat(),
        ),
        ("PowerShell 5 >", utf16([0xFF, 0xFE], u16::to_le_bytes)),
        ("UTF-16 big-endian", utf16([0xFE, 0xFF], u16::to_be_bytes)),
    ];
    for (how, bytes) in saved {
        std::fs::write(&user.passphrase_file, bytes).unwrap();
        let out = user.halo(&["vault", "list"], "");
        assert_eq!(
            text(&out.stdout),
            "No accounts.\n",
            "{how}: {}",
            text(&out.stderr)
        );
    }

    // Notepad's "ANSI": the message names the file and says how to save it, not what it holds.
    std::fs::write(&user.passphrase_file, b"correct horse battery caf\xe9\r\n").unwrap();
    let out = user.halo(&["vault", "list"], "");
    assert_eq!(
        text(&out.stderr),
        format!(
            "halo: {}, the passphrase file HALO_PASSPHRASE_FILE names, is not UTF-8 text; save \
             it as UTF-8 (in Notepad: Save as, Encoding UTF-8; in PowerShell: Set-Content \
             -Encoding utf8)\n",
            user.passphrase_file.display()
        )
    );

    std::fs::remove_file(&user.passphrase_file).unwrap();
    let out = user.halo(&["vault", "list"], "");
    assert!(
        text(&out.stderr).starts_with(&format!(
            "halo: cannot read {}, the passphrase file HALO_PASSPHRASE_FILE names; check the \
             path in HALO_PASSPHRASE_FILE and that the file is yours to read: ",
            user.passphrase_file.display()
        )),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_backup_starting_with_a_byte_order_mark_imports() {
    let user = User::new(PASSPHRASE);
    let file = backup(user.config.path(), PASSPHRASE);
    let json = std::fs::read(&file).unwrap();
    std::fs::write(&file, [&b"\xEF\xBB\xBF"[..], &json].concat()).unwrap();

    let out = user.halo(&["vault", "import", file.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = user.halo(&["vault", "list"], "");
    assert!(
        text(&out.stdout).contains("DEMO01"),
        "{}",
        text(&out.stderr)
    );

    // Copied into place by hand rather than imported, it opens too.
    std::fs::copy(&file, user.config.path().join("halo/vault.json")).unwrap();
    let out = user.halo(&["vault", "list"], "");
    assert!(
        text(&out.stdout).contains("DEMO01"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn importing_over_a_vault_without_replace_is_refused_before_the_passphrase_is_asked() {
    let user = User::new(PASSPHRASE);
    assert!(user.halo(&["vault", "init"], "").status.success());
    let config = user.config.path().join("halo");
    let file = backup(user.config.path(), PASSPHRASE);

    // No passphrase anywhere: asking for one would fail with "no passphrase was given".
    let out = run_with_stdin(
        common::halo(&config).args(["vault", "import", file.to_str().unwrap()]),
        "",
    );
    assert_eq!(
        text(&out.stderr),
        format!(
            "halo: a vault already exists at {}; add --replace to overwrite it with this \
             backup\n",
            config.join("vault.json").display()
        )
    );
}
