//! Codes for other services: an authenticator holds more than the broker's entry.

use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::AccountError;
use super::fields::clean_name;
use crate::totp::{OtpAuth, TotpError, TotpParams, TotpSecret, parse_secret_or_uri};

/// One TOTP entry for a service other than an Angel account (an e-mail provider, an exchange's
/// back office). Its `Debug` never shows the secret.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TotpEntry {
    /// Halo's own identifier, chosen by the caller.
    pub id: String,
    /// The service that issued the secret; may be empty when the account name says enough.
    pub issuer: String,
    /// The account at that service; may be empty when the issuer says enough.
    pub account_name: String,
    /// The secret in canonical base32 (upper case, unpadded).
    pub secret: Zeroizing<String>,
    /// How codes are computed.
    pub totp: TotpParams,
}

impl TotpEntry {
    /// Builds an entry from the "Add TOTP entry" form. `secret` is a base32 secret or a whole
    /// `otpauth://` link; the typed issuer and account name win over the link's, which fill in
    /// whatever was left empty. One of the two names is required, so the entry can be told
    /// apart in the list. Errors name the field and never repeat what was typed.
    pub fn from_form(
        id: String,
        issuer: &str,
        account_name: &str,
        secret: &str,
    ) -> Result<TotpEntry, AccountError> {
        let imported = parse_secret_or_uri(secret).map_err(AccountError::TotpSecret)?;
        let pick = |field, typed: &str, from_link: &str| {
            let typed = clean_name(field, typed)?;
            if typed.is_empty() {
                clean_name(field, from_link)
            } else {
                Ok(typed)
            }
        };
        let issuer = pick("Issuer", issuer, &imported.issuer)?;
        let account_name = pick("Account name", account_name, &imported.account_name)?;
        if issuer.is_empty() && account_name.is_empty() {
            return Err(AccountError::Missing {
                field: "Issuer or account name",
            });
        }
        Ok(TotpEntry {
            id,
            issuer,
            account_name,
            secret: Zeroizing::new(imported.secret.to_base32()),
            totp: imported.params,
        })
    }

    /// How the trader knows the entry, in lists and confirmations: `Issuer: account name`, or
    /// whichever of the two it has.
    pub fn display_name(&self) -> String {
        match (self.issuer.is_empty(), self.account_name.is_empty()) {
            (false, false) => format!("{}: {}", self.issuer, self.account_name),
            (false, true) => self.issuer.clone(),
            _ => self.account_name.clone(),
        }
    }

    /// The stored secret, ready for [`crate::totp::code_at`].
    pub fn totp_secret(&self) -> Result<TotpSecret, TotpError> {
        TotpSecret::parse(&self.secret)
    }

    /// The entry as an `otpauth://` link, for export to another authenticator.
    pub fn to_uri(&self) -> Result<String, TotpError> {
        Ok(OtpAuth {
            issuer: self.issuer.clone(),
            account_name: self.account_name.clone(),
            secret: self.totp_secret()?,
            params: self.totp.clone(),
        }
        .to_uri())
    }
}

impl core::fmt::Debug for TotpEntry {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("TotpEntry")
            .field("id", &self.id)
            .field("issuer", &self.issuer)
            .field("account_name", &self.account_name)
            .field("secret", &"<redacted>")
            .field("totp", &self.totp)
            .finish()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::totp::Algorithm;

    const LINK: &str = "otpauth://totp/Demo%3A%20Desk:alice?secret=MFXGOZLMFVXW4ZJNMRSW23ZBEE\
                        &issuer=Demo%3A%20Desk&digits=8&algorithm=SHA256&period=60";

    #[test]
    fn link_fills_what_was_left_empty() {
        let entry = TotpEntry::from_form("e1".into(), "", " ", LINK).unwrap();
        assert_eq!(entry.issuer, "Demo: Desk");
        assert_eq!(entry.account_name, "alice");
        assert_eq!(entry.totp.digits, 8);
        assert_eq!(entry.totp.algorithm, Algorithm::Sha256);
        assert_eq!(entry.totp.period_secs, 60);
        assert_eq!(entry.secret.as_str(), "MFXGOZLMFVXW4ZJNMRSW23ZBEE");

        let typed = TotpEntry::from_form("e2".into(), "Desk", "bob", LINK).unwrap();
        assert_eq!(
            (typed.issuer.as_str(), typed.account_name.as_str()),
            ("Desk", "bob")
        );
    }

    #[test]
    fn a_name_is_required_and_errors_never_echo() {
        let err = TotpEntry::from_form("e".into(), "", "", "JBSWY3DPEHPK3PXP").unwrap_err();
        assert_eq!(err.to_string(), "Issuer or account name is required");
        let err = TotpEntry::from_form("e".into(), "Mail", "", "JBSWY3DPEHPK3PX0").unwrap_err();
        assert!(!err.to_string().contains("JBSWY3DPEHPK3PX0"), "{err}");
    }

    #[test]
    fn export_round_trips_and_debug_hides_the_secret() {
        let entry = TotpEntry::from_form("e1".into(), "", "", LINK).unwrap();
        let uri = entry.to_uri().unwrap();
        assert_eq!(
            uri,
            "otpauth://totp/Demo%3A%20Desk:alice?secret=MFXGOZLMFVXW4ZJNMRSW23ZBEE\
             &issuer=Demo%3A%20Desk&algorithm=SHA256&digits=8&period=60"
        );
        let again = TotpEntry::from_form("e1".into(), "", "", &uri).unwrap();
        assert_eq!(again, entry);
        assert!(!format!("{entry:?}").contains("MFXG"));
    }
}
