//! `halo doctor`: checks the native-messaging install against the ways it usually fails, and
//! says how to fix each one.
//!
//! The usual failures, seen in other native hosts' bug reports: a manifest in the wrong folder
//! (Brave and Edge each have their own), a `path` that is relative, missing, a wrapper script
//! or an older copy of the binary, an extension id missing from the allowed list or written
//! without its trailing `/`, and browsers packaged as Flatpak or Snap, whose sandbox cannot
//! start programs from outside it. A browser that reports an absurd message length read text
//! where a length belongs; the length's four bytes show what that text was.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::install::{self, Browser, HOST_NAME, Location, Os};
use crate::native_host::launch::{FIREFOX_ADDON_ID, HALO_EXTENSION_ID};

/// One problem found, and what to do about it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    /// What is wrong, in a sentence.
    pub problem: String,
    /// What to run or change.
    pub fix: String,
}

fn finding(problem: impl Into<String>, fix: impl Into<String>) -> Finding {
    Finding {
        problem: problem.into(),
        fix: fix.into(),
    }
}

/// Arguments of `halo doctor`.
#[derive(Debug, clap::Args)]
pub struct DoctorArgs {
    /// Check only this browser
    #[arg(long, value_enum)]
    browser: Option<Browser>,
    /// Check the manifest in this Chromium profile folder (a --user-data-dir)
    #[arg(long, value_name = "DIR")]
    user_data_dir: Option<PathBuf>,
    /// Explain a message length a browser reported (e.g. 858927154) instead of checking
    #[arg(long, value_name = "N")]
    length: Option<u64>,
}

/// Runs the checks and prints a report; fails when a problem was found.
pub fn run(args: DoctorArgs) -> anyhow::Result<()> {
    if let Some(length) = args.length {
        println!("{}", explain_length(length));
        return Ok(());
    }

    let binary = install::this_binary()?;
    let mut problems = 0;

    let targets: Vec<(Browser, Location)> = match &args.user_data_dir {
        Some(dir) => {
            let manifest = dir
                .join("NativeMessagingHosts")
                .join(format!("{HOST_NAME}.json"));
            vec![(
                Browser::Chromium,
                Location {
                    browser_dir: dir.to_string_lossy().into_owned(),
                    manifest: manifest.to_string_lossy().into_owned(),
                    registry_key: None,
                },
            )]
        }
        None => {
            let home = install::this_home()?;
            let browsers = args
                .browser
                .map_or(Browser::ALL.to_vec(), |browser| vec![browser]);
            for found in sandboxed_browsers(Path::new(&home.home)) {
                report("Sandboxed browser", &[found]);
                problems += 1;
            }
            browsers
                .into_iter()
                .map(|browser| (browser, install::location(browser, Os::current(), &home)))
                .collect()
        }
    };

    for (browser, place) in targets {
        if !Path::new(&place.browser_dir).is_dir() && args.user_data_dir.is_none() {
            println!(
                "{}: not used by this user ({} is missing)",
                browser.display_name(),
                place.browser_dir
            );
            continue;
        }
        let findings = check_location(browser, &place, &binary);
        if findings.is_empty() {
            println!("{}: ok ({})", browser.display_name(), place.manifest);
        } else {
            report(browser.display_name(), &findings);
            problems += findings.len();
        }
    }
    anyhow::ensure!(
        problems == 0,
        "{problems} problem(s) found; fix them, then run halo doctor again"
    );
    Ok(())
}

fn report(title: &str, findings: &[Finding]) {
    println!("{title}:");
    for found in findings {
        println!("  problem: {}\n  fix:     {}", found.problem, found.fix);
    }
}

/// Everything wrong with one browser's install.
pub fn check_location(browser: Browser, place: &Location, this_binary: &Path) -> Vec<Finding> {
    let manifest_path = Path::new(&place.manifest);
    let reinstall = format!("run `halo install --browser {}`", browser.flag());

    let text = match std::fs::read_to_string(manifest_path) {
        Ok(text) => text,
        Err(error) => {
            let folder = manifest_path.parent().unwrap_or(manifest_path);
            let problem = if !folder.is_dir() {
                format!(
                    "the folder {} is missing, so there is no manifest",
                    folder.display()
                )
            } else if error.kind() == std::io::ErrorKind::NotFound {
                format!("no host manifest at {}", place.manifest)
            } else {
                format!("the manifest {} cannot be read ({error})", place.manifest)
            };
            return vec![finding(problem, reinstall)];
        }
    };

    let mut findings = check_manifest_text(browser, &text, &reinstall);
    if let Some(path) = serde_json::from_str::<Value>(&text)
        .ok()
        .and_then(|value| value.get("path").and_then(Value::as_str).map(str::to_owned))
    {
        findings.extend(check_binary(Path::new(&path), this_binary, &reinstall));
    }
    if let Some(key) = &place.registry_key {
        findings.extend(check_registry(key, &place.manifest, &reinstall));
    }
    findings
}

/// What is wrong with a manifest's text (name, type, allowed ids), without touching disk.
pub fn check_manifest_text(browser: Browser, text: &str, reinstall: &str) -> Vec<Finding> {
    let Ok(value) = serde_json::from_str::<Value>(text) else {
        return vec![finding("the host manifest is not valid JSON", reinstall)];
    };
    let mut findings = Vec::new();

    if value["name"] != HOST_NAME {
        findings.push(finding(
            format!("the manifest's name is {}, not {HOST_NAME}", value["name"]),
            reinstall,
        ));
    }
    if value["type"] != "stdio" {
        findings.push(finding("the manifest's type is not \"stdio\"", reinstall));
    }
    match value.get("path").and_then(Value::as_str) {
        None => findings.push(finding("the manifest has no path to halo", reinstall)),
        Some(path) if !is_absolute_anywhere(path) => findings.push(finding(
            format!("the manifest's path {path} is relative; browsers need an absolute path"),
            reinstall,
        )),
        Some(_) => {}
    }

    let (field, wanted) = if browser.is_firefox() {
        ("allowed_extensions", FIREFOX_ADDON_ID.to_owned())
    } else {
        (
            "allowed_origins",
            install::chromium_origin(HALO_EXTENSION_ID),
        )
    };
    let allowed: Vec<&str> = value[field]
        .as_array()
        .map(|list| list.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !allowed.contains(&wanted.as_str()) {
        let slashless = wanted.trim_end_matches('/');
        let problem = if allowed.contains(&slashless) {
            format!("{field} has {slashless} without the trailing /, which never matches")
        } else {
            format!(
                "{field} does not allow Halo ({wanted}); the browser will say access is \
                     forbidden"
            )
        };
        findings.push(finding(problem, reinstall));
    }
    findings
}

/// The binary the manifest points at: present, a real executable, and this version.
fn check_binary(path: &Path, this_binary: &Path, reinstall: &str) -> Vec<Finding> {
    let shown = path.display();
    if !path.is_file() {
        return vec![finding(
            format!("the manifest points at {shown}, which does not exist"),
            reinstall,
        )];
    }
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_lowercase();
    if ["bat", "cmd", "sh", "ps1"].contains(&extension.as_str()) {
        return vec![finding(
            format!(
                "the manifest points at a script ({shown}); anything it prints breaks the \
                     browser's messages"
            ),
            format!("point it at the halo binary itself: {reinstall}"),
        )];
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map(|meta| meta.permissions().mode())
            .unwrap_or(0);
        if mode & 0o111 == 0 {
            return vec![finding(
                format!("{shown} is not executable"),
                format!("run `chmod +x {shown}`"),
            )];
        }
    }

    let mut findings = Vec::new();
    let same = std::fs::canonicalize(path).is_ok_and(|real| real == this_binary);
    match version_of(path) {
        Some(version) if version != env!("CARGO_PKG_VERSION") => findings.push(finding(
            format!(
                "the manifest points at halo {version} ({shown}); this is halo {}",
                env!("CARGO_PKG_VERSION")
            ),
            format!("a stale binary: {reinstall} with the halo you mean to use"),
        )),
        None => findings.push(finding(
            format!("{shown} does not answer `--version` like halo"),
            reinstall.to_owned(),
        )),
        Some(_) if !same => findings.push(finding(
            format!(
                "the manifest points at another copy of halo ({shown}), not {}",
                this_binary.display()
            ),
            format!("if that copy may go stale, {reinstall} from the one you keep"),
        )),
        Some(_) => {}
    }
    findings
}

/// The version a halo binary reports, e.g. "0.1.0".
fn version_of(path: &Path) -> Option<String> {
    let output = std::process::Command::new(path)
        .arg("--version")
        .output()
        .ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    text.trim().strip_prefix("halo ").map(str::to_owned)
}

fn check_registry(key: &str, manifest: &str, reinstall: &str) -> Vec<Finding> {
    let output = std::process::Command::new("reg")
        .args(["query", key, "/ve"])
        .output();
    match output {
        Ok(out) if String::from_utf8_lossy(&out.stdout).contains(manifest) => Vec::new(),
        _ => vec![finding(
            format!("the registry key {key} does not name {manifest}"),
            reinstall.to_owned(),
        )],
    }
}

fn is_absolute_anywhere(path: &str) -> bool {
    let bytes = path.as_bytes();
    path.starts_with('/')
        || path.starts_with(r"\\")
        || (bytes.len() > 2 && bytes[1] == b':' && (bytes[2] == b'\\' || bytes[2] == b'/'))
}

/// Browsers installed as Flatpak or Snap packages in this home folder.
pub fn sandboxed_browsers(home: &Path) -> Vec<Finding> {
    const PACKAGES: [(&str, &str); 9] = [
        ("snap/chromium", "Chromium (Snap)"),
        ("snap/firefox", "Firefox (Snap)"),
        ("snap/brave", "Brave (Snap)"),
        (".var/app/org.chromium.Chromium", "Chromium (Flatpak)"),
        (".var/app/com.google.Chrome", "Google Chrome (Flatpak)"),
        (".var/app/com.brave.Browser", "Brave (Flatpak)"),
        (".var/app/com.microsoft.Edge", "Microsoft Edge (Flatpak)"),
        (".var/app/org.mozilla.firefox", "Firefox (Flatpak)"),
        (
            ".var/app/io.gitlab.librewolf-community",
            "LibreWolf (Flatpak)",
        ),
    ];
    PACKAGES
        .iter()
        .filter(|(dir, _)| home.join(dir).is_dir())
        .map(|(dir, name)| {
            finding(
                format!(
                    "{name} is installed (~/{dir}); its sandbox cannot start halo, so the \
                         companion will not connect from it"
                ),
                "use that browser from your distribution's own package or the vendor's \
                 .deb/.rpm, then run `halo install`",
            )
        })
        .collect()
}

/// What an absurd length reported by a browser was: its four bytes, read as text.
pub fn explain_length(length: u64) -> String {
    let Ok(length) = u32::try_from(length) else {
        return format!("{length} does not fit in a 4-byte length; it was not read from a prefix");
    };
    let bytes = length.to_ne_bytes();
    if bytes.iter().all(|b| b.is_ascii_graphic() || *b == b' ') {
        let text: String = bytes.iter().map(|&b| char::from(b)).collect();
        format!(
            "{length} is the text \"{text}\" read as a length: something printed text on the \
             host's stdout where a message should be (a log line starting with \"{text}\"?). \
             Halo prints only messages there, so the manifest probably points at a wrapper \
             script or another program; run `halo install` so it points at halo itself."
        )
    } else {
        format!("{length} is bytes {bytes:02x?}, not text; a length this size is refused")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FIX: &str = "run `halo install --browser chromium`";

    fn good_chromium() -> Value {
        install::manifest(Browser::Chromium, "/usr/local/bin/halo", &[])
    }

    #[test]
    fn a_log_timestamp_read_as_a_length_is_decoded() {
        let text = explain_length(858_927_154);
        assert!(text.contains("\"2023\""), "{text}");
        assert!(explain_length(1 << 40).contains("does not fit"));
    }

    #[test]
    fn a_good_manifest_has_no_findings() {
        let text = good_chromium().to_string();
        assert_eq!(
            check_manifest_text(Browser::Chromium, &text, FIX),
            Vec::new()
        );
    }

    #[test]
    fn an_id_not_allowed_or_without_its_slash_is_named() {
        let mut value = good_chromium();
        value["allowed_origins"] = serde_json::json!(["chrome-extension://someoneelse/"]);
        let found = check_manifest_text(Browser::Chromium, &value.to_string(), FIX);
        assert_eq!(found.len(), 1);
        assert!(
            found[0].problem.contains("does not allow Halo"),
            "{:?}",
            found[0]
        );
        assert_eq!(found[0].fix, FIX);

        value["allowed_origins"] =
            serde_json::json!([format!("chrome-extension://{HALO_EXTENSION_ID}")]);
        let found = check_manifest_text(Browser::Chromium, &value.to_string(), FIX);
        assert!(
            found[0].problem.contains("without the trailing /"),
            "{:?}",
            found[0]
        );
    }

    #[test]
    fn a_relative_path_and_a_wrong_name_are_named() {
        let mut value = good_chromium();
        value["path"] = "halo".into();
        value["name"] = "halo".into();
        let found = check_manifest_text(Browser::Chromium, &value.to_string(), FIX);
        let problems: Vec<&str> = found.iter().map(|f| f.problem.as_str()).collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("name is \"halo\""));
        assert!(problems[1].contains("relative"));
        assert!(is_absolute_anywhere(r"C:\Users\Asha Rao\halo.exe"));
    }

    #[test]
    fn a_firefox_manifest_needs_allowed_extensions() {
        let chromium_style = good_chromium().to_string();
        let found = check_manifest_text(Browser::Firefox, &chromium_style, FIX);
        assert!(
            found[0]
                .problem
                .starts_with("allowed_extensions does not allow Halo")
        );
    }

    #[test]
    fn missing_folder_missing_binary_script_and_sandboxes_are_found() {
        let home = tempfile::tempdir().unwrap();
        let root = home.path();
        let place = install::location(
            Browser::Brave,
            Os::Linux,
            &install::Home {
                home: root.to_string_lossy().into(),
                local_app_data: None,
            },
        );
        let me = Path::new("/nowhere/halo");
        let found = check_location(Browser::Brave, &place, me);
        assert!(
            found[0].problem.contains("NativeMessagingHosts is missing"),
            "{found:?}"
        );

        let manifest = Path::new(&place.manifest);
        std::fs::create_dir_all(manifest.parent().unwrap()).unwrap();
        let gone = install::manifest(Browser::Brave, "/nowhere/halo", &[]);
        std::fs::write(manifest, gone.to_string()).unwrap();
        let found = check_location(Browser::Brave, &place, me);
        assert!(found[0].problem.contains("does not exist"), "{found:?}");

        let script = root.join("halo.sh");
        std::fs::write(&script, "#!/bin/sh\necho started\nexec halo \"$@\"\n").unwrap();
        let wrapped = install::manifest(Browser::Brave, &script.to_string_lossy(), &[]);
        std::fs::write(manifest, wrapped.to_string()).unwrap();
        let found = check_location(Browser::Brave, &place, me);
        assert!(found[0].problem.contains("points at a script"), "{found:?}");

        std::fs::create_dir_all(root.join(".var/app/org.mozilla.firefox")).unwrap();
        let sandboxed = sandboxed_browsers(root);
        assert_eq!(sandboxed.len(), 1);
        assert!(
            sandboxed[0]
                .problem
                .starts_with("Firefox (Flatpak) is installed")
        );
    }
}
