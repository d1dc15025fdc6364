//! `halo install`: the host manifest that tells a browser where the companion is.
//!
//! Each browser reads host manifests from its own folder (on Windows, from the file a registry
//! key names). The manifest names the host, points at the `halo` binary itself (an absolute
//! path; on Windows the `.exe`, never a `.bat` wrapper, whose output would corrupt the stream)
//! and allows Halo's extension id, written exactly as the browser compares it, trailing `/`
//! included. The locations are computed for every platform so they can be tested anywhere.

use std::path::{Path, PathBuf};

use anyhow::Context;
use serde_json::{Value, json};

use crate::native_host::launch::{FIREFOX_ADDON_ID, HALO_EXTENSION_ID};

/// The host's name, as the extension passes it to `connectNative`.
pub const HOST_NAME: &str = "in.halo.companion";

/// A browser Halo can install its host manifest for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Browser {
    /// Google Chrome.
    Chrome,
    /// Chromium.
    Chromium,
    /// Brave.
    Brave,
    /// Microsoft Edge.
    Edge,
    /// Firefox.
    Firefox,
}

impl Browser {
    /// Every browser, in the order `--browser all` visits them.
    pub const ALL: [Browser; 5] = [
        Browser::Chrome,
        Browser::Chromium,
        Browser::Brave,
        Browser::Edge,
        Browser::Firefox,
    ];

    /// The name people know it by.
    pub fn display_name(self) -> &'static str {
        match self {
            Browser::Chrome => "Google Chrome",
            Browser::Chromium => "Chromium",
            Browser::Brave => "Brave",
            Browser::Edge => "Microsoft Edge",
            Browser::Firefox => "Firefox",
        }
    }

    /// The name `--browser` takes.
    pub fn flag(self) -> &'static str {
        match self {
            Browser::Chrome => "chrome",
            Browser::Chromium => "chromium",
            Browser::Brave => "brave",
            Browser::Edge => "edge",
            Browser::Firefox => "firefox",
        }
    }

    /// Firefox reads `allowed_extensions`; the Chromium family reads `allowed_origins`.
    pub fn is_firefox(self) -> bool {
        self == Browser::Firefox
    }
}

/// The operating systems whose conventions differ.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Os {
    /// Linux and the BSDs (XDG folders).
    Linux,
    /// macOS.
    Mac,
    /// Windows (manifest file plus a registry key).
    Windows,
}

impl Os {
    /// The system this binary was built for.
    pub fn current() -> Os {
        if cfg!(windows) {
            Os::Windows
        } else if cfg!(target_os = "macos") {
            Os::Mac
        } else {
            Os::Linux
        }
    }

    fn separator(self) -> char {
        if self == Os::Windows { '\\' } else { '/' }
    }
}

/// Where one browser finds Halo's manifest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Location {
    /// The folder that exists when the browser has been run by this user (its profile root),
    /// or on Windows the folder Halo keeps the manifest in.
    pub browser_dir: String,
    /// The manifest file itself.
    pub manifest: String,
    /// On Windows, the per-user registry key whose default value must be `manifest`.
    pub registry_key: Option<String>,
}

/// The user's folders a location is computed from (given, so tests can pick them).
#[derive(Clone, Debug)]
pub struct Home {
    /// The home folder (`/home/asha`, `C:\Users\Asha Rao`).
    pub home: String,
    /// Windows only: `%LOCALAPPDATA%`, where Halo keeps its manifests.
    pub local_app_data: Option<String>,
}

fn join(os: Os, base: &str, parts: &[&str]) -> String {
    let mut out = base.trim_end_matches(os.separator()).to_owned();
    for part in parts {
        out.push(os.separator());
        out.push_str(part);
    }
    out
}

/// Where `browser` looks for Halo's manifest on `os`, for the user whose folders are `home`.
pub fn location(browser: Browser, os: Os, home: &Home) -> Location {
    let file = format!("{HOST_NAME}.json");
    let h = home.home.as_str();
    let (browser_dir, hosts) = match os {
        Os::Linux => {
            let dir = match browser {
                Browser::Chrome => join(os, h, &[".config", "google-chrome"]),
                Browser::Chromium => join(os, h, &[".config", "chromium"]),
                Browser::Brave => join(os, h, &[".config", "BraveSoftware", "Brave-Browser"]),
                Browser::Edge => join(os, h, &[".config", "microsoft-edge"]),
                Browser::Firefox => join(os, h, &[".mozilla"]),
            };
            let hosts = if browser.is_firefox() {
                "native-messaging-hosts"
            } else {
                "NativeMessagingHosts"
            };
            (dir.clone(), join(os, &dir, &[hosts]))
        }
        Os::Mac => {
            let support = join(os, h, &["Library", "Application Support"]);
            let dir = match browser {
                Browser::Chrome => join(os, &support, &["Google", "Chrome"]),
                Browser::Chromium => join(os, &support, &["Chromium"]),
                Browser::Brave => join(os, &support, &["BraveSoftware", "Brave-Browser"]),
                Browser::Edge => join(os, &support, &["Microsoft Edge"]),
                Browser::Firefox => join(os, &support, &["Mozilla"]),
            };
            (dir.clone(), join(os, &dir, &["NativeMessagingHosts"]))
        }
        Os::Windows => {
            let local = home
                .local_app_data
                .clone()
                .unwrap_or_else(|| join(os, h, &["AppData", "Local"]));
            let dir = join(os, &local, &["Halo", "NativeMessagingHosts"]);
            (dir.clone(), join(os, &dir, &[browser.flag()]))
        }
    };
    let registry_key = (os == Os::Windows).then(|| {
        let vendor = match browser {
            Browser::Chrome => r"Google\Chrome",
            Browser::Chromium => "Chromium",
            Browser::Brave => r"BraveSoftware\Brave-Browser",
            Browser::Edge => r"Microsoft\Edge",
            Browser::Firefox => "Mozilla",
        };
        format!(r"HKEY_CURRENT_USER\Software\{vendor}\NativeMessagingHosts\{HOST_NAME}")
    });
    Location {
        browser_dir,
        manifest: join(os, &hosts, &[&file]),
        registry_key,
    }
}

/// The manifest text for `browser`: the binary's absolute path and the ids allowed to call.
pub fn manifest(browser: Browser, binary: &str, extra_ids: &[String]) -> Value {
    let mut value = json!({
        "name": HOST_NAME,
        "description": "Halo companion: places Angel One orders from this computer",
        "path": binary,
        "type": "stdio",
    });
    if browser.is_firefox() {
        let mut ids = vec![FIREFOX_ADDON_ID.to_owned()];
        ids.extend(extra_ids.iter().filter(|id| id.contains('@')).cloned());
        value["allowed_extensions"] = json!(ids);
    } else {
        let mut origins = vec![chromium_origin(HALO_EXTENSION_ID)];
        origins.extend(
            extra_ids
                .iter()
                .filter(|id| !id.contains('@'))
                .map(|id| chromium_origin(id)),
        );
        value["allowed_origins"] = json!(origins);
    }
    value
}

/// `chrome-extension://<id>/`, with the trailing slash browsers require for a match.
pub fn chromium_origin(id: &str) -> String {
    format!("chrome-extension://{id}/")
}

/// The user's folders on this machine.
pub fn this_home() -> anyhow::Result<Home> {
    let base = directories::BaseDirs::new().context("cannot find your home folder")?;
    Ok(Home {
        home: base.home_dir().to_string_lossy().into_owned(),
        local_app_data: cfg!(windows).then(|| base.data_local_dir().to_string_lossy().into_owned()),
    })
}

/// This binary's absolute path, as the manifest must name it.
pub fn this_binary() -> anyhow::Result<PathBuf> {
    let exe = std::env::current_exe().context("cannot tell where this halo binary is")?;
    Ok(std::fs::canonicalize(&exe).unwrap_or(exe))
}

/// Arguments of `halo install`.
#[derive(Debug, clap::Args)]
pub struct InstallArgs {
    /// Which browser to install for; `all` means every browser this user has run
    #[arg(long, value_name = "BROWSER", default_value = "all")]
    browser: BrowserChoice,
    /// Also allow this extension id (a Halo built from source with another key), repeatable
    #[arg(long = "extension-id", value_name = "ID")]
    extension_ids: Vec<String>,
    /// Install into this Chromium profile folder (a --user-data-dir) instead of the usual one
    #[arg(long, value_name = "DIR")]
    user_data_dir: Option<PathBuf>,
}

/// `--browser`: one browser or all of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum BrowserChoice {
    All,
    Chrome,
    Chromium,
    Brave,
    Edge,
    Firefox,
}

impl BrowserChoice {
    fn browsers(self) -> Vec<Browser> {
        match self {
            BrowserChoice::All => Browser::ALL.to_vec(),
            BrowserChoice::Chrome => vec![Browser::Chrome],
            BrowserChoice::Chromium => vec![Browser::Chromium],
            BrowserChoice::Brave => vec![Browser::Brave],
            BrowserChoice::Edge => vec![Browser::Edge],
            BrowserChoice::Firefox => vec![Browser::Firefox],
        }
    }
}

/// Writes the manifests and says where.
pub fn run(args: InstallArgs) -> anyhow::Result<()> {
    let binary = this_binary()?;
    let binary_text = binary.to_string_lossy().into_owned();
    crate::config::save_allowed_extra_ids(&args.extension_ids)
        .context("cannot record the allowed extension ids")?;

    if let Some(dir) = &args.user_data_dir {
        let path = dir
            .join("NativeMessagingHosts")
            .join(format!("{HOST_NAME}.json"));
        write_manifest(
            &path,
            &manifest(Browser::Chromium, &binary_text, &args.extension_ids),
        )?;
        println!(
            "Installed for the Chromium profile {}: {}",
            dir.display(),
            path.display()
        );
        return Ok(());
    }

    let home = this_home()?;
    let mut installed = 0;
    for browser in args.browser.browsers() {
        let place = location(browser, Os::current(), &home);
        let wanted = args.browser != BrowserChoice::All;
        if !wanted && !Path::new(&place.browser_dir).is_dir() && Os::current() != Os::Windows {
            println!(
                "Skipped {}: not used by this user ({} is missing)",
                browser.display_name(),
                place.browser_dir
            );
            continue;
        }
        let value = manifest(browser, &binary_text, &args.extension_ids);
        write_manifest(Path::new(&place.manifest), &value)?;
        if let Some(key) = &place.registry_key {
            register(key, &place.manifest)?;
        }
        println!(
            "Installed for {}: {}",
            browser.display_name(),
            place.manifest
        );
        installed += 1;
    }
    if installed == 0 {
        println!("No browser folder found; name one, e.g. `halo install --browser chrome`.");
    }
    println!("Restart the browser, then check with `halo doctor`.");
    Ok(())
}

fn write_manifest(path: &Path, value: &Value) -> anyhow::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the folder {}", dir.display()))?;
    }
    let text = serde_json::to_string_pretty(value)?;
    std::fs::write(path, text + "\n").with_context(|| format!("cannot write {}", path.display()))
}

/// Points the per-user registry key at the manifest (Windows only).
fn register(key: &str, manifest: &str) -> anyhow::Result<()> {
    let status = std::process::Command::new("reg")
        .args(["add", key, "/ve", "/t", "REG_SZ", "/d", manifest, "/f"])
        .stdout(std::process::Stdio::null())
        .status()
        .context("cannot run reg.exe to register the manifest")?;
    anyhow::ensure!(status.success(), "reg.exe could not write {key}");
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn linux() -> Home {
        Home {
            home: "/home/asha".into(),
            local_app_data: None,
        }
    }

    #[test]
    fn linux_locations_are_each_browsers_own_folder() {
        let want = [
            (
                Browser::Chrome,
                "/home/asha/.config/google-chrome/NativeMessagingHosts",
            ),
            (
                Browser::Chromium,
                "/home/asha/.config/chromium/NativeMessagingHosts",
            ),
            (
                Browser::Brave,
                "/home/asha/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts",
            ),
            (
                Browser::Edge,
                "/home/asha/.config/microsoft-edge/NativeMessagingHosts",
            ),
            (
                Browser::Firefox,
                "/home/asha/.mozilla/native-messaging-hosts",
            ),
        ];
        for (browser, dir) in want {
            let place = location(browser, Os::Linux, &linux());
            assert_eq!(place.manifest, format!("{dir}/in.halo.companion.json"));
            assert_eq!(place.registry_key, None);
        }
    }

    #[test]
    fn macos_locations_are_under_application_support() {
        let home = Home {
            home: "/Users/asha".into(),
            local_app_data: None,
        };
        let chrome = location(Browser::Chrome, Os::Mac, &home);
        assert_eq!(
            chrome.manifest,
            "/Users/asha/Library/Application Support/Google/Chrome/NativeMessagingHosts/\
             in.halo.companion.json"
        );
        let firefox = location(Browser::Firefox, Os::Mac, &home);
        assert_eq!(
            firefox.manifest,
            "/Users/asha/Library/Application Support/Mozilla/NativeMessagingHosts/\
             in.halo.companion.json"
        );
    }

    #[test]
    fn windows_uses_backslashes_and_a_per_user_registry_key() {
        let home = Home {
            home: r"C:\Users\Asha Rao".into(),
            local_app_data: Some(r"C:\Users\Asha Rao\AppData\Local".into()),
        };
        let edge = location(Browser::Edge, Os::Windows, &home);
        assert_eq!(
            edge.manifest,
            r"C:\Users\Asha Rao\AppData\Local\Halo\NativeMessagingHosts\edge\in.halo.companion.json"
        );
        assert_eq!(
            edge.registry_key.as_deref(),
            Some(
                r"HKEY_CURRENT_USER\Software\Microsoft\Edge\NativeMessagingHosts\in.halo.companion"
            )
        );
        let chrome = location(Browser::Chrome, Os::Windows, &home);
        assert_eq!(
            chrome.registry_key.as_deref(),
            Some(
                r"HKEY_CURRENT_USER\Software\Google\Chrome\NativeMessagingHosts\in.halo.companion"
            )
        );
        let firefox = location(Browser::Firefox, Os::Windows, &home);
        assert!(
            firefox
                .registry_key
                .unwrap()
                .contains(r"\Software\Mozilla\NativeMessagingHosts\")
        );

        // The manifest names the .exe itself; JSON escapes each backslash.
        let exe = r"C:\Users\Asha Rao\AppData\Local\Halo\halo.exe";
        let text = serde_json::to_string(&manifest(Browser::Edge, exe, &[])).unwrap();
        assert!(text.contains(r#""path":"C:\\Users\\Asha Rao\\AppData\\Local\\Halo\\halo.exe""#));
    }

    #[test]
    fn manifests_allow_halo_with_the_trailing_slash() {
        let chromium = manifest(
            Browser::Chromium,
            "/usr/bin/halo",
            &["x@y".into(), "abc".into()],
        );
        assert_eq!(chromium["name"], HOST_NAME);
        assert_eq!(chromium["type"], "stdio");
        assert_eq!(
            chromium["allowed_origins"],
            json!([
                format!("chrome-extension://{HALO_EXTENSION_ID}/"),
                "chrome-extension://abc/"
            ])
        );
        assert!(chromium.get("allowed_extensions").is_none());

        let firefox = manifest(Browser::Firefox, "/usr/bin/halo", &["x@y".into()]);
        assert_eq!(
            firefox["allowed_extensions"],
            json!([FIREFOX_ADDON_ID, "x@y"])
        );
        assert!(firefox.get("allowed_origins").is_none());
    }
}
