//! Telling a browser's launch of `halo` from a person's command line.
//!
//! A host manifest's `path` cannot carry arguments, so the browser runs `halo` with its own:
//! Chromium passes the caller's origin (`chrome-extension://<id>/`, plus `--parent-window=N`
//! on Windows), Firefox the manifest's path and the add-on's id. This is read before the
//! command-line parser, which would reject those arguments and exit with a usage message on
//! stderr and no frame for the browser to read.

use std::ffi::OsString;
use std::path::Path;

/// Halo's extension id in Chromium-family browsers, fixed by the public `key` in manifest.json.
pub const HALO_EXTENSION_ID: &str = "bhnhgnemdmhcebimjefkdalgefgnbidk";

/// Halo's add-on id in Firefox (`browser_specific_settings.gecko.id`).
pub const FIREFOX_ADDON_ID: &str = "halo@halo-for-angel-one";

/// Who launched the host, as the browser said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// A Chromium-family browser, with the calling extension's id.
    Chromium {
        /// The 32-letter extension id taken from `chrome-extension://<id>/`.
        extension_id: String,
    },
    /// Firefox, with the calling add-on's id.
    Firefox {
        /// The add-on id, e.g. `halo@halo-for-angel-one`.
        addon_id: String,
    },
    /// `halo native-host` typed by a person (for trying the protocol by hand).
    Terminal,
}

impl Caller {
    /// The origin as a browser would write it in a host manifest.
    pub fn origin(&self) -> String {
        match self {
            Caller::Chromium { extension_id } => format!("chrome-extension://{extension_id}/"),
            Caller::Firefox { addon_id } => addon_id.clone(),
            Caller::Terminal => "terminal".to_owned(),
        }
    }
}

/// The browser's launch, if these arguments (program name first) are one.
pub fn detect(args: &[OsString]) -> Option<Caller> {
    let first = args.get(1)?.to_str()?;

    if let Some(rest) = first.strip_prefix("chrome-extension://") {
        let extension_id = rest.trim_end_matches('/');
        // Anything after the origin must be Windows' `--parent-window=N`, nothing else.
        let others_ok = args[2..].iter().all(|arg| {
            arg.to_str()
                .is_some_and(|arg| arg.starts_with("--parent-window="))
        });
        return others_ok.then(|| Caller::Chromium {
            extension_id: extension_id.to_owned(),
        });
    }

    // Firefox: an absolute path to a .json manifest, then the add-on id.
    let addon_id = args.get(2)?.to_str()?;
    let is_manifest = Path::new(first).is_absolute() && first.ends_with(".json");
    (is_manifest && args.len() == 3 && looks_like_addon_id(addon_id)).then(|| Caller::Firefox {
        addon_id: addon_id.to_owned(),
    })
}

/// Whether this caller may talk to the host: Halo itself, or an id the user allowed with
/// `halo install --extension-id`.
pub fn is_allowed(caller: &Caller, extra_ids: &[String]) -> bool {
    match caller {
        Caller::Chromium { extension_id } => {
            extension_id == HALO_EXTENSION_ID || extra_ids.iter().any(|id| id == extension_id)
        }
        Caller::Firefox { addon_id } => {
            addon_id == FIREFOX_ADDON_ID || extra_ids.iter().any(|id| id == addon_id)
        }
        Caller::Terminal => true,
    }
}

/// Firefox add-on ids are `name@domain` or a `{uuid}`.
fn looks_like_addon_id(id: &str) -> bool {
    (id.contains('@') && !id.contains(['/', '\\', ' ']))
        || (id.starts_with('{') && id.ends_with('}'))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<OsString> {
        list.iter().map(OsString::from).collect()
    }

    #[test]
    fn chromium_origin_starts_host_mode() {
        let origin = format!("chrome-extension://{HALO_EXTENSION_ID}/");
        let caller = detect(&args(&["halo", &origin])).unwrap();
        assert_eq!(
            caller,
            Caller::Chromium {
                extension_id: HALO_EXTENSION_ID.into()
            }
        );
        assert_eq!(caller.origin(), origin);
    }

    #[test]
    fn windows_parent_window_argument_is_accepted() {
        let origin = format!("chrome-extension://{HALO_EXTENSION_ID}/");
        let caller = detect(&args(&["halo.exe", &origin, "--parent-window=6553"])).unwrap();
        assert_eq!(
            caller,
            Caller::Chromium {
                extension_id: HALO_EXTENSION_ID.into()
            }
        );
    }

    #[test]
    fn firefox_manifest_path_and_addon_id_start_host_mode() {
        let manifest = "/home/asha/.mozilla/native-messaging-hosts/in.halo.companion.json";
        let caller = detect(&args(&["halo", manifest, FIREFOX_ADDON_ID])).unwrap();
        assert_eq!(
            caller,
            Caller::Firefox {
                addon_id: FIREFOX_ADDON_ID.into()
            }
        );
    }

    #[test]
    fn ordinary_commands_stay_command_line() {
        assert_eq!(detect(&args(&["halo", "totp", "main"])), None);
        assert_eq!(
            detect(&args(&["halo", "vault", "import", "/tmp/backup.json"])),
            None
        );
        assert_eq!(detect(&args(&["halo", "/tmp/backup.json"])), None);
        assert_eq!(detect(&args(&["halo"])), None);
    }

    #[test]
    fn only_halo_or_an_allowed_id_may_talk() {
        let halo = Caller::Chromium {
            extension_id: HALO_EXTENSION_ID.into(),
        };
        let other = Caller::Chromium {
            extension_id: "abcdefghijklmnopabcdefghijklmnop".into(),
        };
        assert!(is_allowed(&halo, &[]));
        assert!(!is_allowed(&other, &[]));
        assert!(is_allowed(
            &other,
            &["abcdefghijklmnopabcdefghijklmnop".into()]
        ));
        assert!(!is_allowed(
            &Caller::Firefox {
                addon_id: "evil@example.org".into()
            },
            &[]
        ));
    }
}
