//! What the vault protects: one record per Angel account.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::fields::{clean_api_key, clean_client_code, clean_name};
use super::key_age::{CalendarDate, KeyAgeNotice, api_key_age_notice};
use crate::totp::{TotpError, TotpParams, TotpSecret, parse_secret_or_uri};

/// The decrypted contents of a vault.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct VaultContents {
    /// The trader's accounts, in the order they were added.
    #[serde(default)]
    pub accounts: Vec<Account>,
    /// TOTP entries for other services; absent from vaults written before they existed, and
    /// left out when empty so such a vault reseals to the same plaintext.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub totp_entries: Vec<super::TotpEntry>,
}

impl VaultContents {
    /// Refuses `account`'s label or client code when it would name two accounts, whatever the
    /// case: another account's label as this label, another account's client code as this
    /// label, or another account's label as this client code. The trader tells accounts apart
    /// by label, in the popup and in the companion, which also takes a client code for a name.
    /// (An account's own client code as its label is fine.) An account whose label and client
    /// code are not being changed passes, so a clash left by an older Halo never blocks an
    /// unrelated edit.
    pub fn check_label_free(&self, account: &Account) -> Result<(), AccountError> {
        let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
        let stored = self.accounts.iter().find(|stored| stored.id == account.id);
        if stored.is_some_and(|stored| {
            same(&stored.label, &account.label) && stored.client_code == account.client_code
        }) {
            return Ok(());
        }
        let labelled_by_code = |a: &Account| same(&a.label, &a.client_code);
        let others = self.accounts.iter().filter(|other| other.id != account.id);
        for other in others {
            if same(&other.label, &account.label)
                || (!labelled_by_code(account) && same(&other.client_code, &account.label))
            {
                return Err(AccountError::LabelTaken);
            }
            if !labelled_by_code(other) && same(&other.label, &account.client_code) {
                return Err(AccountError::ClientCodeIsLabel);
            }
        }
        Ok(())
    }

    /// Refuses a new TOTP entry whose issuer and account name (whatever the case) are those of
    /// an entry already stored: two rows alike with different codes cannot be told apart.
    pub fn check_entry_free(&self, entry: &super::TotpEntry) -> Result<(), AccountError> {
        let same = |a: &str, b: &str| a.to_lowercase() == b.to_lowercase();
        let taken = self.totp_entries.iter().any(|stored| {
            same(&stored.issuer, &entry.issuer) && same(&stored.account_name, &entry.account_name)
        });
        if taken {
            return Err(AccountError::EntryTaken);
        }
        Ok(())
    }
}

/// Which of Angel's two login routes the account uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Platform {
    /// Direct login with client code, MPIN and TOTP.
    #[default]
    #[serde(rename = "SMART_API")]
    SmartApi,
    /// Angel's publisher login: a browser visit that redirects back with tokens.
    #[serde(rename = "SMART_API_M")]
    SmartApiM,
}

impl Platform {
    /// Angel's name for the route, as the vault and the account form write it.
    pub fn as_wire(self) -> &'static str {
        match self {
            Platform::SmartApi => "SMART_API",
            Platform::SmartApiM => "SMART_API_M",
        }
    }
}

/// One Angel account's credentials. Its `Debug` shows the label and client code only.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// Halo's own identifier, stable across edits; chosen by the caller.
    pub id: String,
    /// The trader's name for the account; the client code when none was given.
    pub label: String,
    /// The login route.
    pub platform: Platform,
    /// Angel's client code, trimmed and upper-case (`Z999999`).
    pub client_code: String,
    /// The four-digit login PIN.
    pub mpin: Zeroizing<String>,
    /// The SmartAPI app's API key, sent as `X-PrivateKey`.
    pub api_key: Zeroizing<String>,
    /// The TOTP secret in canonical base32 (upper case, unpadded).
    pub totp_secret: Zeroizing<String>,
    /// How codes are computed; Angel's are the defaults.
    pub totp: TotpParams,
    /// The day the API key was created (`YYYY-MM-DD`), for the key-age notice; absent from
    /// vaults written before it was recorded, and left out then so they reseal unchanged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_key_created: Option<String>,
}

impl Account {
    /// Builds an account from what the trader typed in the form.
    ///
    /// Every field is trimmed, since pasted values carry stray spaces and line breaks that Angel
    /// then refuses. The client code is upper-cased and must be letters and digits; the MPIN
    /// must be four digits; the API key must be one word; the TOTP secret goes through
    /// [`TotpSecret::parse`], which also catches a one-time code pasted in its place. Errors name
    /// the field and never repeat what was typed.
    pub fn from_form(
        id: String,
        label: &str,
        client_code: &str,
        mpin: &str,
        api_key: &str,
        totp_secret: &str,
    ) -> Result<Account, AccountError> {
        if id.trim().is_empty() {
            return Err(AccountError::Missing {
                field: "Account id",
            });
        }

        let client_code = clean_client_code(client_code)?;
        if client_code.is_empty() {
            return Err(AccountError::Missing {
                field: "Client code",
            });
        }

        let mpin = Zeroizing::new(mpin.trim().to_owned());
        if mpin.is_empty() {
            return Err(AccountError::Missing { field: "MPIN" });
        }
        if mpin.len() != 4 || !mpin.bytes().all(|b| b.is_ascii_digit()) {
            return Err(AccountError::Mpin);
        }

        let api_key = clean_api_key(api_key)?;

        // A whole otpauth:// link is accepted too; its period, digits and hash are kept.
        let imported = parse_secret_or_uri(totp_secret).map_err(AccountError::TotpSecret)?;

        let label = clean_name("Label", label)?;
        Ok(Account {
            label: if label.is_empty() {
                client_code.clone()
            } else {
                label
            },
            id,
            platform: Platform::SmartApi,
            client_code,
            mpin,
            api_key,
            totp_secret: Zeroizing::new(imported.secret.to_base32()),
            totp: imported.params,
            api_key_created: None,
        })
    }

    /// This account with its API key's creation day set to `created` (`YYYY-MM-DD`), which
    /// must be a real day no later than `today`; halo-core reads no clock, so the caller
    /// supplies `today`. A blank `created` keeps the stored day.
    pub fn with_api_key_created(
        mut self,
        created: &str,
        today: &str,
    ) -> Result<Account, AccountError> {
        let created = created.trim();
        if created.is_empty() {
            return Ok(self);
        }
        let day = CalendarDate::parse(created).ok_or(AccountError::ApiKeyCreated)?;
        // SmartAPI keys did not exist before this; an earlier day is a typing slip, and would
        // show an age of decades.
        let first_possible =
            CalendarDate::parse("2015-01-01").ok_or(AccountError::ApiKeyCreated)?;
        if day < first_possible {
            return Err(AccountError::ApiKeyCreatedTooEarly);
        }
        if CalendarDate::parse(today).is_some_and(|today| day > today) {
            return Err(AccountError::ApiKeyCreatedFuture);
        }
        self.api_key_created = Some(created.to_owned());
        Ok(self)
    }

    /// This account with `api_key` in place of its key ("rotate now"), checked as
    /// [`Account::from_form`] checks a new one. Works for both platforms: nothing else changes.
    /// The key already stored is refused: "rotating" to it would restart the key's age and
    /// silence the notice that Angel is about to drop it.
    pub fn with_new_api_key(mut self, api_key: &str) -> Result<Account, AccountError> {
        let api_key = clean_api_key(api_key)?;
        if *api_key == *self.api_key {
            return Err(AccountError::SameApiKey);
        }
        self.api_key = api_key;
        Ok(self)
    }

    /// Whether `other` logs in with the same credentials: client code, MPIN, API key, TOTP
    /// secret and its parameters, and route. A session made with one is not the other's.
    pub fn logs_in_as(&self, other: &Account) -> bool {
        self.platform == other.platform
            && self.client_code == other.client_code
            && *self.mpin == *other.mpin
            && *self.api_key == *other.api_key
            && *self.totp_secret == *other.totp_secret
            && self.totp == other.totp
    }

    /// How the trader knows the account, in lists and confirmations: its label and client
    /// code, which tells apart two "Main"s from different vaults.
    pub fn display_name(&self) -> String {
        if self.label.is_empty() || self.label == self.client_code {
            self.client_code.clone()
        } else if self.client_code.is_empty() {
            self.label.clone()
        } else {
            format!("{} ({})", self.label, self.client_code)
        }
    }

    /// What the popup should say about this account's API key age as of `today`.
    pub fn api_key_notice(&self, today: &str) -> Option<KeyAgeNotice> {
        api_key_age_notice(self.api_key_created.as_deref()?, today)
    }

    /// This account with the changes typed in the edit form, checked as [`Account::from_form`]
    /// checks a new one. A blank field keeps its stored value, so the form never has to show a
    /// secret to let the trader change the others, and a form that sends only what was changed
    /// never undoes what another window saved meanwhile.
    pub fn edited(
        &self,
        label: &str,
        client_code: &str,
        mpin: &str,
        api_key: &str,
        totp_secret: &str,
    ) -> Result<Account, AccountError> {
        let keep = |typed: &str, stored: &str| -> Zeroizing<String> {
            if typed.trim().is_empty() {
                Zeroizing::new(stored.to_owned())
            } else {
                Zeroizing::new(typed.to_owned())
            }
        };
        let label = keep(label, &self.label);
        let client_code = keep(client_code, &self.client_code);
        let mpin = keep(mpin, &self.mpin);
        let api_key = keep(api_key, &self.api_key);
        let new_secret = !totp_secret.trim().is_empty();
        let totp_secret = keep(totp_secret, &self.totp_secret);

        // A publisher account holds no MPIN or TOTP secret (they are typed on Angel's page), so
        // it is checked as one is added.
        if self.platform == Platform::SmartApiM {
            let mut account = crate::publisher::account_from_form(
                self.id.clone(),
                &label,
                &client_code,
                &api_key,
            )?;
            account.api_key_created = self.api_key_created.clone();
            return Ok(account);
        }

        let mut account = Account::from_form(
            self.id.clone(),
            &label,
            &client_code,
            &mpin,
            &api_key,
            &totp_secret,
        )?;
        account.platform = self.platform;
        account.api_key_created = self.api_key_created.clone();
        if !new_secret {
            account.totp = self.totp.clone();
        }
        Ok(account)
    }

    /// The stored TOTP secret, ready for [`crate::totp::code_at`].
    pub fn totp_secret(&self) -> Result<TotpSecret, TotpError> {
        TotpSecret::parse(&self.totp_secret)
    }
}

impl core::fmt::Debug for Account {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("label", &self.label)
            .field("platform", &self.platform)
            .field("client_code", &self.client_code)
            .field("mpin", &"<redacted>")
            .field("api_key", &"<redacted>")
            .field("totp_secret", &"<redacted>")
            .field("totp", &self.totp)
            .field("api_key_created", &self.api_key_created)
            .finish()
    }
}

/// Why the account form was refused. Each names the field (as labelled in the popup) and never
/// repeats what was typed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccountError {
    /// A required field is empty.
    #[error("{field} is required")]
    Missing {
        /// The field's label.
        field: &'static str,
    },
    /// The client code has something besides letters and digits.
    #[error("Client code must be letters and digits only, like Z999999")]
    ClientCode,
    /// The MPIN is not four digits.
    #[error("MPIN must be exactly 4 digits (your Angel login PIN)")]
    Mpin,
    /// The API key has spaces or characters an API key never has.
    #[error(
        "API key must be plain letters, digits and punctuation, without spaces; copy it again \
         from your SmartAPI app"
    )]
    ApiKey,
    /// The API key's creation day is not a calendar date.
    #[error("API key created must be a date like 2025-01-31")]
    ApiKeyCreated,
    /// The API key's creation day is after today.
    #[error("API key created cannot be a date in the future")]
    ApiKeyCreatedFuture,
    /// The API key's creation day is before SmartAPI existed.
    #[error("API key created must be 2015 or later: SmartAPI keys are not older")]
    ApiKeyCreatedTooEarly,
    /// Another account has the same label or has it as its client code (a blank label is the
    /// client code).
    #[error(
        "Another account already has this label, or has it as its client code; give this one a \
         label of its own so the two can be told apart"
    )]
    LabelTaken,
    /// The client code is another account's label.
    #[error(
        "Another account is labelled with this client code; relabel that account first, so the \
         two can be told apart"
    )]
    ClientCodeIsLabel,
    /// A TOTP entry with the same issuer and account name is already stored.
    #[error(
        "A TOTP entry with this issuer and account name is already in the vault; remove it \
         first to replace its secret, or change the account name"
    )]
    EntryTaken,
    /// "Rotate now" was given the API key the account already has.
    #[error(
        "That is the API key already saved for this account; create a new key for your app on \
         smartapi.angelone.in and paste that one"
    )]
    SameApiKey,
    /// Far longer than any real value: something else was pasted.
    #[error("{field} is too long: at most {max} characters")]
    TooLong {
        /// The field, as labelled in the popup.
        field: &'static str,
        /// The most characters it takes.
        max: usize,
    },
    /// The TOTP secret was refused.
    #[error("TOTP secret: {0}")]
    TotpSecret(#[source] TotpError),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_publisher_account_can_be_edited_and_its_key_rotated() {
        let publisher =
            crate::publisher::account_from_form("p1".into(), "Pub", "", "PubKey1").unwrap();
        let renamed = publisher.edited("Desk", "", "", "", "").unwrap();
        assert_eq!(renamed.label, "Desk");
        assert_eq!(renamed.platform, Platform::SmartApiM);
        assert_eq!(renamed.api_key.as_str(), "PubKey1");

        let rotated = renamed.with_new_api_key(" PubKey2 ").unwrap();
        assert_eq!(rotated.api_key.as_str(), "PubKey2");
        assert!(rotated.clone().with_new_api_key("   ").is_err());
        assert_eq!(
            rotated.clone().with_new_api_key(" PubKey2").unwrap_err(),
            AccountError::SameApiKey
        );
        assert!(rotated.with_new_api_key("two words").is_err());
    }

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

    #[test]
    fn two_totp_entries_cannot_share_issuer_and_account_name() {
        let entry = |issuer: &str, name: &str| {
            let secret = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";
            super::super::TotpEntry::from_form("e".to_owned(), issuer, name, secret).unwrap()
        };
        let contents = VaultContents {
            totp_entries: vec![entry("Google", "asha@example.com")],
            ..VaultContents::default()
        };
        assert_eq!(
            contents.check_entry_free(&entry("GOOGLE", "Asha@Example.com")),
            Err(AccountError::EntryTaken)
        );
        assert_eq!(
            contents.check_entry_free(&entry("Google", "ravi@example.com")),
            Ok(())
        );
        assert_eq!(
            contents.check_entry_free(&entry("GitHub", "asha@example.com")),
            Ok(())
        );
    }

    #[test]
    fn two_accounts_cannot_share_a_label() {
        let contents = VaultContents {
            accounts: vec![account()],
            ..VaultContents::default()
        };
        let named = |id: &str, label: &str, client_code: &str| Account {
            id: id.to_owned(),
            label: label.to_owned(),
            client_code: client_code.to_owned(),
            ..account()
        };
        let taken = Err(AccountError::LabelTaken);
        assert_eq!(
            contents.check_label_free(&named("a2", "main", "Z111111")),
            taken
        );
        // Another account's client code would name two accounts in the companion.
        assert_eq!(
            contents.check_label_free(&named("a2", "z999999", "Z111111")),
            taken
        );
        // The account keeps its own label when edited, and other labels are free.
        assert_eq!(
            contents.check_label_free(&named("a1", "Main", "Z999999")),
            Ok(())
        );
        assert_eq!(
            contents.check_label_free(&named("a2", "Main 2", "Z111111")),
            Ok(())
        );
        // A publisher app of the same client code, labelled with its own code: still free.
        assert_eq!(
            contents.check_label_free(&named("a2", "Z999999", "Z999999")),
            Ok(())
        );
        // Another account's label as this client code.
        assert_eq!(
            contents.check_label_free(&named("a2", "Seven", "MAIN")),
            Err(AccountError::ClientCodeIsLabel)
        );
        // A clash an older Halo left does not block an edit that keeps the names.
        let clashing = VaultContents {
            accounts: vec![account(), named("a2", "Seven", "MAIN")],
            ..VaultContents::default()
        };
        let redated = account()
            .with_api_key_created("2025-01-15", "2025-06-01")
            .unwrap();
        assert_eq!(clashing.check_label_free(&redated), Ok(()));
    }

    #[test]
    fn a_label_is_cleaned_and_capped_like_every_typed_name() {
        let typed = |label: &str| {
            Account::from_form(
                "a1".into(),
                label,
                "z999999",
                "4826",
                "AbCd1234",
                "MFXGOZLMFVXW4ZJNMRSW23ZBEE",
            )
        };
        assert_eq!(typed("\u{202E}niaM").unwrap().label, "niaM");
        assert_eq!(typed("\u{200B}").unwrap().label, "Z999999");
        assert!(matches!(
            typed(&"L".repeat(65)),
            Err(AccountError::TooLong { field: "Label", .. })
        ));
    }

    #[test]
    fn api_key_created_must_be_a_past_calendar_day() {
        let dated = account()
            .with_api_key_created(" 2025-06-30 ", "2025-07-01")
            .unwrap();
        assert_eq!(dated.api_key_created.as_deref(), Some("2025-06-30"));
        let same_day = account()
            .with_api_key_created("2025-07-01", "2025-07-01")
            .unwrap();
        assert_eq!(same_day.api_key_created.as_deref(), Some("2025-07-01"));
        assert_eq!(
            account().with_api_key_created("2025-07-02", "2025-07-01"),
            Err(AccountError::ApiKeyCreatedFuture)
        );
        assert_eq!(
            account().with_api_key_created("2025-02-29", "2025-07-01"),
            Err(AccountError::ApiKeyCreated)
        );
        assert_eq!(
            account()
                .with_api_key_created("", "2025-07-01")
                .unwrap()
                .api_key_created,
            None
        );
    }

    #[test]
    fn edits_keep_the_key_date_unless_given() {
        let dated = account()
            .with_api_key_created("2025-01-15", "2025-07-01")
            .unwrap();
        assert_eq!(
            dated
                .clone()
                .with_api_key_created("1990-01-01", "2025-06-01")
                .unwrap_err(),
            AccountError::ApiKeyCreatedTooEarly
        );
        let relabelled = dated.edited("Other", "", "", "", "").unwrap();
        assert!(
            relabelled.logs_in_as(&dated),
            "a new label is the same login"
        );
        assert!(
            !dated
                .edited("", "", "4321", "", "")
                .unwrap()
                .logs_in_as(&dated)
        );
        assert!(
            !dated
                .edited("", "Z111111", "", "", "")
                .unwrap()
                .logs_in_as(&dated)
        );
        assert_eq!(relabelled.api_key_created.as_deref(), Some("2025-01-15"));
        let redated = relabelled
            .with_api_key_created("2025-06-01", "2025-07-01")
            .unwrap();
        assert_eq!(redated.api_key_created.as_deref(), Some("2025-06-01"));
        assert_eq!(
            redated.api_key_notice("2025-12-01"),
            Some(KeyAgeNotice::RotateSoon { months: 6 })
        );
        assert_eq!(account().api_key_notice("2030-01-01"), None);
    }

    #[test]
    fn undated_accounts_serialise_without_the_field() {
        let json = serde_json::to_string(&account()).unwrap();
        assert!(!json.contains("api_key_created"));
        let dated = account()
            .with_api_key_created("2025-01-15", "2025-07-01")
            .unwrap();
        let json = serde_json::to_string(&dated).unwrap();
        assert!(json.contains(r#""api_key_created":"2025-01-15""#));
        let back: Account = serde_json::from_str(&json).unwrap();
        assert_eq!(back, dated);
    }
}
