//! Which account or TOTP entry a name typed on the command line means.
//!
//! Names are tried from the most specific down, so every record has a name that reaches it: an
//! account's label (unique in a vault, and never another account's client code) or its name
//! as listed, `Label (CLIENTCODE)`; then an entry's name as listed, `Issuer: account`; then
//! the looser names, a client code, an issuer or an entry's account name. Within one step a
//! name that fits several records is refused with their names, never guessed: a code or a
//! login for the wrong account is worse than a question.

use halo_core::vault::{Account, TotpEntry, VaultContents};

/// What a name picked out.
pub enum Named<'a> {
    /// An Angel account.
    Account(&'a Account),
    /// A TOTP entry for another service.
    Entry(&'a TotpEntry),
}

/// Why a name picked out nothing.
#[derive(Debug, PartialEq, Eq)]
pub enum NameProblem {
    /// Nothing in the vault answers to it.
    Nothing,
    /// More than one record answers to it; their names as `halo vault list` shows them.
    Several(Vec<String>),
}

/// The one account or TOTP entry `wanted` names, whatever the case.
pub fn named<'a>(contents: &'a VaultContents, wanted: &str) -> Result<Named<'a>, NameProblem> {
    pick(contents, wanted, true)
}

/// The one account `wanted` names (by label, name as listed, client code or Halo's id).
pub fn account_named<'a>(
    contents: &'a VaultContents,
    wanted: &str,
) -> Result<&'a Account, NameProblem> {
    match pick(contents, wanted, false)? {
        Named::Account(account) => Ok(account),
        // Entries were not searched.
        Named::Entry(_) => Err(NameProblem::Nothing),
    }
}

fn pick<'a>(
    contents: &'a VaultContents,
    wanted: &str,
    with_entries: bool,
) -> Result<Named<'a>, NameProblem> {
    let wanted = wanted.trim().to_lowercase();
    let same = |text: &str| !text.is_empty() && text.to_lowercase() == wanted;
    let accounts = contents.accounts.iter();
    let entries = contents.totp_entries.iter().filter(|_| with_entries);

    let by_label = accounts
        .clone()
        .filter(|a| same(&a.label) || same(&a.display_name()) || same(&a.id))
        .map(Named::Account)
        .collect();
    let by_entry_name = entries
        .clone()
        .filter(|e| same(&e.display_name()))
        .map(Named::Entry)
        .collect();
    let loosely: Vec<_> = accounts
        .filter(|a| same(&a.client_code))
        .map(Named::Account)
        .chain(
            entries
                .filter(|e| same(&e.issuer) || same(&e.account_name))
                .map(Named::Entry),
        )
        .collect();

    for mut found in [by_label, by_entry_name, loosely] {
        match found.len() {
            0 => continue,
            1 => return Ok(found.remove(0)),
            _ => return Err(NameProblem::Several(found.iter().map(listed).collect())),
        }
    }
    Err(NameProblem::Nothing)
}

/// A record's name as `halo vault list` shows it, which [`named`] takes back.
fn listed(named: &Named) -> String {
    match named {
        Named::Account(account) => format!("\"{}\" (an account)", account.display_name()),
        Named::Entry(entry) => format!("\"{}\" (a TOTP entry)", entry.display_name()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

    fn account(label: &str, client_code: &str) -> Account {
        let id = format!("id-{client_code}-{label}");
        Account::from_form(id, label, client_code, "1234", "abcDEF12", SECRET).unwrap()
    }

    fn entry(issuer: &str, name: &str) -> TotpEntry {
        TotpEntry::from_form(format!("e-{issuer}-{name}"), issuer, name, SECRET).unwrap()
    }

    fn picked(contents: &VaultContents, wanted: &str) -> Result<String, NameProblem> {
        named(contents, wanted).map(|found| listed(&found))
    }

    #[test]
    fn every_record_has_a_name_and_a_loose_name_is_never_guessed() {
        let contents = VaultContents {
            // A trading and a publisher app of one client, and an entry named like them.
            accounts: vec![account("Desk", "DEMO01"), account("Pub", "DEMO01")],
            totp_entries: vec![
                entry("Desk", "ops"),
                entry("Broker", "DEMO01"),
                entry("Google", "asha@example.com"),
                entry("Google", "ravi@example.com"),
            ],
        };
        // A label wins over entries named alike; its listed name works too.
        assert_eq!(
            picked(&contents, "desk").as_deref(),
            Ok("\"Desk (DEMO01)\" (an account)")
        );
        assert_eq!(
            picked(&contents, "Desk (DEMO01)").as_deref(),
            Ok("\"Desk (DEMO01)\" (an account)")
        );
        assert_eq!(
            picked(&contents, " desk: OPS ").as_deref(),
            Ok("\"Desk: ops\" (a TOTP entry)")
        );
        assert_eq!(
            picked(&contents, "demo01"),
            Err(NameProblem::Several(vec![
                "\"Desk (DEMO01)\" (an account)".to_owned(),
                "\"Pub (DEMO01)\" (an account)".to_owned(),
                "\"Broker: DEMO01\" (a TOTP entry)".to_owned(),
            ]))
        );
        assert!(matches!(
            picked(&contents, "Google"),
            Err(NameProblem::Several(_))
        ));
        assert_eq!(
            picked(&contents, "ravi@example.com").as_deref(),
            Ok("\"Google: ravi@example.com\" (a TOTP entry)")
        );
        assert_eq!(picked(&contents, "GitHub"), Err(NameProblem::Nothing));
        // Accounts alone: entries named alike do not count.
        let only = |wanted| account_named(&contents, wanted).map(|a| a.label.clone());
        assert_eq!(only("broker"), Err(NameProblem::Nothing));
        assert!(matches!(only("DEMO01"), Err(NameProblem::Several(names)) if names.len() == 2));
    }
}
