//! The state of the TOTP-entries panel and every way it changes.
//!
//! Like the popup's main state it derives no `Debug`: the form holds a secret while it is
//! typed, and a read QR code holds one until it is saved or discarded.

use std::rc::Rc;

use halo_core::totp::{Algorithm, OtpAuth, parse_secret_or_uri};
use halo_extension_shared::totp::EntryCode;
use yew::Reducible;

/// Everything the panel shows.
#[derive(Clone, PartialEq, Default)]
pub struct PanelState {
    /// The worker's last list of entries with their codes.
    pub entries: Vec<EntryCode>,
    /// Why the last poll failed.
    pub error: Option<String>,
    /// The entry whose code was just copied.
    pub copied: Option<String>,
    /// The "Add TOTP entry" form.
    pub form: EntryDraft,
    /// Reading a QR code.
    pub qr: QrStage,
}

/// The "Add TOTP entry" form as typed.
#[derive(Clone, PartialEq, Default)]
pub struct EntryDraft {
    /// "Issuer".
    pub issuer: String,
    /// "Account".
    pub account_name: String,
    /// "Secret or otpauth link".
    pub secret: String,
    /// Whether the worker is saving.
    pub busy: bool,
    /// Why the last save failed.
    pub error: Option<String>,
    /// Whether the last save succeeded.
    pub saved: bool,
}

/// One input of the form.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum EntryField {
    /// "Issuer".
    Issuer,
    /// "Account".
    AccountName,
    /// "Secret or otpauth link".
    Secret,
}

/// Where reading a QR code is.
#[derive(Clone, PartialEq, Default)]
pub enum QrStage {
    /// Nothing read.
    #[default]
    Idle,
    /// A picture is being captured or decoded.
    Reading,
    /// A code was read and is shown for the user to confirm.
    Found(QrPreview),
    /// No usable code was read, and why.
    Failed(String),
}

/// What a read QR code holds, shown before anything is saved.
#[derive(Clone, PartialEq)]
pub struct QrPreview {
    /// The decoded text, sent to the worker as it is when confirmed.
    pub text: String,
    /// The issuer the link names, if any.
    pub issuer: String,
    /// The account the link names, if any.
    pub account_name: String,
    /// The secret in canonical base32, shown only on "Reveal".
    pub secret: String,
    /// "SHA1, 6 digits, every 30 s".
    pub parameters: String,
    /// Under 128 bits: works, but weaker than it should be.
    pub short: bool,
    /// Whether the secret is shown.
    pub revealed: bool,
}

impl QrPreview {
    /// Reads what a QR code held; an error says why it is not a TOTP secret.
    pub fn from_text(text: String) -> Result<QrPreview, String> {
        let OtpAuth {
            issuer,
            account_name,
            secret,
            params,
        } = parse_secret_or_uri(&text)
            .map_err(|error| format!("The QR code does not hold a usable TOTP secret: {error}."))?;
        let algorithm = match params.algorithm {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        };
        Ok(QrPreview {
            issuer,
            account_name,
            short: secret.is_short(),
            secret: secret.to_base32(),
            parameters: format!(
                "{algorithm}, {} digits, every {} s",
                params.digits, params.period_secs
            ),
            revealed: false,
            text,
        })
    }

    /// The secret as shown: dots until revealed, then groups of four.
    pub fn shown_secret(&self) -> String {
        let groups = self.secret.as_bytes().chunks(4).map(|chunk| {
            if self.revealed {
                String::from_utf8_lossy(chunk).into_owned()
            } else {
                "•".repeat(chunk.len())
            }
        });
        groups.collect::<Vec<_>>().join(" ")
    }
}

/// Every change the panel can undergo.
pub enum PanelAction {
    /// The worker answered `TotpEntries`.
    EntriesLoaded(Result<Vec<EntryCode>, String>),
    /// A code was copied (or copying failed).
    Copied(Result<String, String>),
    /// The "Copied" notice has been shown long enough.
    CopyNoticeOver,
    /// A form input changed.
    Edit(EntryField, String),
    /// "Save entry" was pressed.
    SaveStarted,
    /// Saving finished.
    SaveFinished(Result<(), String>),
    /// A picture is being read.
    QrStarted,
    /// A picture was read: its QR code's text, or why there is none.
    QrRead(Result<String, String>),
    /// "Reveal" or "Hide" on the read secret.
    ToggleReveal,
    /// "Discard": forget the read code.
    QrDiscarded,
}

impl Reducible for PanelState {
    type Action = PanelAction;

    fn reduce(self: Rc<Self>, action: PanelAction) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

impl PanelState {
    fn apply(&mut self, action: PanelAction) {
        match action {
            PanelAction::EntriesLoaded(Ok(entries)) => {
                self.entries = entries;
                self.error = None;
            }
            PanelAction::EntriesLoaded(Err(error)) => self.error = Some(error),
            PanelAction::Copied(Ok(id)) => self.copied = Some(id),
            PanelAction::Copied(Err(error)) => self.error = Some(error),
            PanelAction::CopyNoticeOver => self.copied = None,
            PanelAction::Edit(field, text) => {
                let slot = match field {
                    EntryField::Issuer => &mut self.form.issuer,
                    EntryField::AccountName => &mut self.form.account_name,
                    EntryField::Secret => &mut self.form.secret,
                };
                *slot = text;
                self.form.saved = false;
            }
            PanelAction::SaveStarted => {
                self.form.busy = true;
                self.form.error = None;
                self.form.saved = false;
            }
            PanelAction::SaveFinished(Ok(())) => {
                self.form = EntryDraft {
                    saved: true,
                    ..EntryDraft::default()
                };
                self.qr = QrStage::Idle;
            }
            PanelAction::SaveFinished(Err(error)) => {
                self.form.busy = false;
                self.form.error = Some(error);
            }
            PanelAction::QrStarted => {
                self.qr = QrStage::Reading;
                self.form.saved = false;
                self.form.error = None;
            }
            PanelAction::QrRead(result) => {
                self.qr = match result.and_then(QrPreview::from_text) {
                    Ok(preview) => QrStage::Found(preview),
                    Err(error) => QrStage::Failed(error),
                };
            }
            PanelAction::ToggleReveal => {
                if let QrStage::Found(preview) = &mut self.qr {
                    preview.revealed = !preview.revealed;
                }
            }
            PanelAction::QrDiscarded => self.qr = QrStage::Idle,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn state_after(actions: Vec<PanelAction>) -> PanelState {
        let mut state = PanelState::default();
        for action in actions {
            state.apply(action);
        }
        state
    }

    #[test]
    fn a_read_link_is_previewed_masked_until_revealed() {
        let link = "otpauth://totp/Demo%3Aalice?secret=MFXGOZLMFVXW4ZJNMRSW23ZBEE&issuer=Demo";
        let state = state_after(vec![
            PanelAction::QrStarted,
            PanelAction::QrRead(Ok(link.to_owned())),
        ]);
        let QrStage::Found(preview) = &state.qr else {
            panic!("not found");
        };
        assert_eq!(
            (preview.issuer.as_str(), preview.account_name.as_str()),
            ("Demo", "alice")
        );
        assert_eq!(preview.parameters, "SHA1, 6 digits, every 30 s");
        assert!(!preview.shown_secret().contains('M'));
        assert_eq!(preview.shown_secret().matches('•').count(), 26);

        let revealed = state_after(vec![
            PanelAction::QrRead(Ok(link.to_owned())),
            PanelAction::ToggleReveal,
        ]);
        let QrStage::Found(preview) = &revealed.qr else {
            panic!("not found");
        };
        assert_eq!(preview.shown_secret(), "MFXG OZLM FVXW 4ZJN MRSW 23ZB EE");
    }

    #[test]
    fn a_code_that_is_not_a_secret_says_so() {
        let state = state_after(vec![PanelAction::QrRead(Ok(
            "https://example.com/".to_owned()
        ))]);
        let QrStage::Failed(error) = &state.qr else {
            panic!("accepted");
        };
        assert!(
            error.starts_with("The QR code does not hold a usable TOTP secret"),
            "{error}"
        );
    }

    #[test]
    fn saving_clears_the_form_and_the_read_code() {
        let state = state_after(vec![
            PanelAction::Edit(EntryField::Issuer, "Mail".into()),
            PanelAction::QrRead(Ok("JBSWY3DPEHPK3PXP".into())),
            PanelAction::SaveStarted,
            PanelAction::SaveFinished(Ok(())),
        ]);
        assert!(state.form.saved);
        assert!(state.form.issuer.is_empty());
        assert!(state.qr == QrStage::Idle);
    }
}
