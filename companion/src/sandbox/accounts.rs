//! The made-up Angel One accounts the sandbox accepts logins for.
//!
//! An accounts file is a JSON array of `{clientcode, mpin, totp_secret, api_key, name}`, each
//! optionally with `platform` and `redirect_url` for a Publisher app. It is
//! checked whole at start-up, so a typo fails loudly instead of surfacing later as an AB1007.
//! Without a file the sandbox serves one demo account whose values are public on purpose.

use std::collections::HashSet;
use std::fmt;

use halo_core::totp::TotpSecret;
use serde::Deserialize;
use serde_json::error::Category;

/// One account as written in the accounts file.
///
/// `Debug` is written by hand so that the MPIN, API key and TOTP secret never reach a log.
#[derive(Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// Angel One client code, the login name (`DEMO01`).
    pub clientcode: String,
    /// The 4-digit trading PIN that SmartAPI takes as `password`.
    pub mpin: String,
    /// Base32 TOTP secret, as shown under Angel's enable-TOTP QR code.
    pub totp_secret: String,
    /// The SmartAPI app key that must arrive as `X-PrivateKey`.
    pub api_key: String,
    /// Display name returned by getProfile.
    pub name: String,
    /// The SmartAPI app's kind: a Trading app logs in directly, a Publisher app through the
    /// publisher-login page. Older files without it describe Trading apps.
    #[serde(default)]
    pub platform: AppKind,
    /// Where the publisher-login page sends the browser back to, as registered on Angel's
    /// "MyApps" page; empty means none was registered.
    #[serde(default)]
    pub redirect_url: String,
}

/// The kind of SmartAPI app an account's API key belongs to, spelt as Halo's vault spells it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub enum AppKind {
    /// A Trading app: `loginByPassword` works; the publisher page answers 403.
    #[default]
    #[serde(rename = "SMART_API")]
    Trading,
    /// A Publisher app: logs in on the publisher-login page and is sent back with tokens.
    #[serde(rename = "SMART_API_M")]
    Publisher,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("clientcode", &self.clientcode)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

/// An account together with its decoded TOTP secret, ready to check logins against. Its
/// `Debug` shows no secret (neither part's does).
#[derive(Debug)]
pub struct LoginAccount {
    /// The account as configured.
    pub account: Account,
    /// The decoded secret, so that each login does not parse it again.
    pub secret: TotpSecret,
}

/// Why an accounts file was refused. Never carries a secret value, only where the fault is.
#[derive(Debug, thiserror::Error)]
pub enum AccountsError {
    /// The text is not JSON, or not an array of account objects.
    #[error(
        "the accounts file could not be read as a JSON array of {{clientcode, mpin, totp_secret, \
         api_key, name}} objects: {what} at line {line}, column {column}"
    )]
    Shape {
        /// What kind of fault serde found (syntax, wrong shape, early end).
        what: &'static str,
        /// 1-based line of the fault.
        line: usize,
        /// 1-based column of the fault.
        column: usize,
    },
    /// The text is JSON, but not an array.
    #[error(
        "the accounts file is valid JSON but not an array: write [{{\"clientcode\": ...}}, ...] \
         with one object per account"
    )]
    NotAnArray,
    /// The array is empty: nobody could log in.
    #[error("the accounts file lists no account; add at least one")]
    Empty,
    /// One field of one account is unusable.
    #[error("account {position} ({clientcode}) in the accounts file: {field} {problem}")]
    Field {
        /// 1-based position of the account in the array.
        position: usize,
        /// The account's client code (not a secret), or `?` when it is the faulty field.
        clientcode: String,
        /// The faulty field's name.
        field: &'static str,
        /// What is wrong with it, without its value.
        problem: &'static str,
    },
    /// Two accounts share a client code, so a login could not tell them apart.
    #[error("the accounts file lists client code {0} twice; client codes must be unique")]
    DuplicateClientCode(String),
}

/// The account served when no accounts file is given; its values are documented in the README.
pub fn demo_account() -> Account {
    Account {
        clientcode: "DEMO01".to_owned(),
        mpin: "1234".to_owned(),
        totp_secret: "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP".to_owned(),
        api_key: "sandbox-api-key".to_owned(),
        name: "Demo Trader".to_owned(),
        platform: AppKind::Trading,
        redirect_url: String::new(),
    }
}

/// Parses and checks the text of an accounts file.
pub fn parse_accounts(json: &str) -> Result<Vec<LoginAccount>, AccountsError> {
    // Syntax first, so that broken JSON is not reported as an entry with a bad field.
    serde_json::from_str::<serde::de::IgnoredAny>(json).map_err(shape_error)?;
    if !json.trim_start().starts_with('[') {
        return Err(AccountsError::NotAnArray);
    }
    let accounts: Vec<Account> = serde_json::from_str(json).map_err(shape_error)?;
    check_accounts(accounts)
}

/// Where and why serde stopped, without its message.
fn shape_error(err: serde_json::Error) -> AccountsError {
    // serde's own message can quote the offending value, which may be an MPIN or a
    // secret, so only its category and position are kept.
    let what = match err.classify() {
        Category::Syntax => "it is not valid JSON (syntax error)",
        Category::Eof => "the file ends too early",
        Category::Data => "an entry has a missing, unknown or non-string field",
        Category::Io => "read error",
    };
    AccountsError::Shape {
        what,
        line: err.line(),
        column: err.column(),
    }
}

/// Checks every account and decodes its TOTP secret.
pub fn check_accounts(accounts: Vec<Account>) -> Result<Vec<LoginAccount>, AccountsError> {
    if accounts.is_empty() {
        return Err(AccountsError::Empty);
    }

    let mut seen = HashSet::new();
    let mut checked = Vec::with_capacity(accounts.len());
    for (index, account) in accounts.into_iter().enumerate() {
        let secret = check_account(index + 1, &account)?;
        if !seen.insert(account.clientcode.clone()) {
            return Err(AccountsError::DuplicateClientCode(account.clientcode));
        }
        checked.push(LoginAccount { account, secret });
    }
    Ok(checked)
}

fn check_account(position: usize, account: &Account) -> Result<TotpSecret, AccountsError> {
    let fault = |field, problem| AccountsError::Field {
        position,
        clientcode: if field == "clientcode" {
            "?".to_owned()
        } else {
            account.clientcode.clone()
        },
        field,
        problem,
    };

    let code = &account.clientcode;
    if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Err(fault(
            "clientcode",
            "must be letters and digits only, like DEMO01",
        ));
    }
    if account.mpin.len() != 4 || !account.mpin.chars().all(|c| c.is_ascii_digit()) {
        return Err(fault("mpin", "must be exactly 4 digits"));
    }
    if account.api_key.is_empty() || account.api_key.chars().any(char::is_whitespace) {
        return Err(fault(
            "api_key",
            "must be non-empty and contain no whitespace",
        ));
    }
    if account.name.trim().is_empty() {
        return Err(fault("name", "must not be empty"));
    }
    let redirect = &account.redirect_url;
    if !redirect.is_empty() && !redirect.starts_with("https://") {
        // Angel's MyApps form refuses anything but HTTPS, so the sandbox does too.
        return Err(fault(
            "redirect_url",
            "must be an https:// URL, or left out",
        ));
    }
    TotpSecret::parse(&account.totp_secret).map_err(|_| {
        fault(
            "totp_secret",
            "is not a base32 TOTP secret (letters A-Z, digits 2-7)",
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"[{"clientcode":"Z999999","mpin":"1234",
        "totp_secret":"GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ","api_key":"made-up-key",
        "name":"Test Trader"}]"#;

    #[test]
    fn reads_platform_and_redirect_url_with_defaults() {
        assert_eq!(
            parse_accounts(GOOD).unwrap()[0].account.platform,
            AppKind::Trading
        );
        let publisher = GOOD.replace(
            r#""name":"Test Trader""#,
            r#""name":"Test Trader","platform":"SMART_API_M",
               "redirect_url":"https://abc.chromiumapp.org/""#,
        );
        let account = &parse_accounts(&publisher).unwrap()[0].account;
        assert_eq!(account.platform, AppKind::Publisher);
        assert_eq!(account.redirect_url, "https://abc.chromiumapp.org/");
        let plain_http = publisher.replace("https://abc", "http://abc");
        let err = parse_accounts(&plain_http).unwrap_err().to_string();
        assert!(
            err.contains("redirect_url must be an https:// URL"),
            "{err}"
        );
    }

    #[test]
    fn accepts_a_well_formed_file() {
        let accounts = parse_accounts(GOOD).unwrap();
        assert_eq!(accounts.len(), 1);
        assert_eq!(accounts[0].account.clientcode, "Z999999");
    }

    #[test]
    fn demo_account_passes_its_own_checks() {
        assert_eq!(check_accounts(vec![demo_account()]).unwrap().len(), 1);
    }

    #[test]
    fn broken_json_and_a_non_array_are_told_apart() {
        let err = parse_accounts("{oops").unwrap_err().to_string();
        assert!(
            err.contains("not valid JSON") && err.contains("line 1, column 2"),
            "{err}"
        );
        let err = parse_accounts(r#"{"clientcode": "DEMO01"}"#).unwrap_err();
        assert!(matches!(err, AccountsError::NotAnArray), "{err}");
        let err = parse_accounts(r#"[{"clientcode": 5}]"#)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("missing, unknown or non-string field"),
            "{err}"
        );
    }

    #[test]
    fn a_shape_error_never_quotes_the_value() {
        let err = parse_accounts(&GOOD.replace(r#""1234""#, "9876"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 1"), "{err}");
        assert!(!err.contains("9876"), "{err}");
    }

    #[test]
    fn refuses_a_bad_mpin_without_echoing_it() {
        let err = parse_accounts(&GOOD.replace("1234", "12a4"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "account 1 (Z999999) in the accounts file: mpin must be exactly 4 digits"
        );
    }

    #[test]
    fn refuses_a_bad_secret_without_echoing_it() {
        let bad = GOOD.replace("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ", "GEZDGNBV1Y3TQOJQ");
        let err = parse_accounts(&bad).unwrap_err().to_string();
        assert!(
            err.contains("totp_secret is not a base32 TOTP secret"),
            "{err}"
        );
        assert!(!err.contains("GEZD"), "{err}");
    }

    #[test]
    fn refuses_unknown_fields_empty_files_and_duplicates() {
        let typo = GOOD.replace("totp_secret", "totpSecret");
        assert!(matches!(
            parse_accounts(&typo),
            Err(AccountsError::Shape { .. })
        ));
        assert!(matches!(parse_accounts("[]"), Err(AccountsError::Empty)));
        let twice = format!(
            "[{0},{0}]",
            GOOD.trim().trim_start_matches('[').trim_end_matches(']')
        );
        let duplicate = parse_accounts(&twice).unwrap_err();
        assert!(matches!(duplicate, AccountsError::DuplicateClientCode(c) if c == "Z999999"));
    }

    #[test]
    fn debug_hides_the_secrets() {
        let shown = format!("{:?}", demo_account());
        assert!(shown.contains("DEMO01"));
        assert!(
            !shown.contains("1234") && !shown.contains("JBSW") && !shown.contains("sandbox-api")
        );
    }
}
