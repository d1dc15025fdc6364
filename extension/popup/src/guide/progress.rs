//! Where the trader stopped in the first-run guide, kept between visits.
//!
//! Only the platform chosen and the step reached are kept, in `chrome.storage.local`: nothing
//! typed in the guide is stored outside the vault.

/// The login route chosen in the guide: the vault's own type, so both name it alike.
pub use halo_core::vault::Platform;
use halo_extension_shared::chrome::{self, StorageArea};
use serde::{Deserialize, Serialize};

/// The `chrome.storage.local` key of the guide's progress.
const KEY: &str = "guide_progress";

/// The guide's five steps, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    /// 1. SMART_API or SMART_API_M.
    #[default]
    Platform,
    /// 2. Create the app on Angel's SmartAPI portal.
    CreateApp,
    /// 3. Enable TOTP and capture its secret.
    EnableTotp,
    /// 4. Add the account to the vault.
    AddAccount,
    /// 5. Validate (and, for SMART_API_M, log in).
    Validate,
}

impl Step {
    /// Every step, in order.
    pub const ALL: [Step; 5] = [
        Step::Platform,
        Step::CreateApp,
        Step::EnableTotp,
        Step::AddAccount,
        Step::Validate,
    ];

    /// 1 to 5.
    pub fn number(self) -> usize {
        Step::ALL.iter().position(|step| *step == self).unwrap_or(0) + 1
    }

    /// The step's title in the list of steps.
    pub fn title(self) -> &'static str {
        match self {
            Step::Platform => "Choose how you log in",
            Step::CreateApp => "Create the app on SmartAPI",
            Step::EnableTotp => "Enable TOTP",
            Step::AddAccount => "Add the account",
            Step::Validate => "Validate",
        }
    }

    /// The step after this one, if any.
    pub fn next(self) -> Option<Step> {
        Step::ALL.get(self.number()).copied()
    }

    /// The step before this one, if any.
    pub fn previous(self) -> Option<Step> {
        self.number()
            .checked_sub(2)
            .and_then(|i| Step::ALL.get(i).copied())
    }
}

/// What the guide remembers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Progress {
    /// The platform chosen in step 1.
    pub platform: Platform,
    /// The step the trader was on.
    pub step: Step,
    /// Whether the last step was finished (an account validated).
    #[serde(default)]
    pub done: bool,
}

/// The progress kept, or the start when there is none (or it cannot be read).
pub async fn load() -> Progress {
    chrome::storage_get(StorageArea::Local, KEY)
        .await
        .ok()
        .flatten()
        .unwrap_or_default()
}

/// Keeps `progress` for the next visit; failing only means the guide starts over next time.
pub async fn save(progress: Progress) {
    let _ = chrome::storage_set(StorageArea::Local, KEY, &progress).await;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_walk_in_order() {
        assert_eq!(Step::Platform.number(), 1);
        assert_eq!(Step::Validate.number(), 5);
        assert_eq!(Step::Platform.next(), Some(Step::CreateApp));
        assert_eq!(Step::Validate.next(), None);
        assert_eq!(Step::Platform.previous(), None);
        assert_eq!(Step::AddAccount.previous(), Some(Step::EnableTotp));
    }

    #[test]
    fn progress_is_kept_as_plain_words() {
        let progress = Progress {
            platform: Platform::SmartApiM,
            step: Step::EnableTotp,
            done: false,
        };
        let json = serde_json::to_string(&progress).unwrap();
        assert_eq!(
            json,
            r#"{"platform":"SMART_API_M","step":"enable_totp","done":false}"#
        );
        assert_eq!(serde_json::from_str::<Progress>(&json).unwrap(), progress);
    }
}
