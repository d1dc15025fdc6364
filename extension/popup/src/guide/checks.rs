//! Checks of what a newcomer types, run on every keystroke so a mistake shows before Save.
//!
//! These catch the slips that cost people an afternoon: a one-time code pasted where the TOTP
//! secret belongs, a space inside a copied API key, a private address in the static-IP field.
//! The worker checks again on save; these only warn early and never block typing.

use halo_core::totp::parse_secret_or_uri;

/// What a field's text looks like so far.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// Looks right; the text says what was recognised.
    Good(String),
    /// Will be refused or will fail at Angel; the text says what to change.
    Problem(String),
}

impl Verdict {
    /// The sentence shown under the field.
    pub fn text(&self) -> &str {
        match self {
            Verdict::Good(text) | Verdict::Problem(text) => text,
        }
    }

    /// Whether this is a problem to fix.
    pub fn is_problem(&self) -> bool {
        matches!(self, Verdict::Problem(_))
    }
}

/// Angel's longest app name.
const APP_NAME_MAX_CHARS: usize = 20;

/// The client code: letters and digits, like `Z999999`.
pub fn client_code(text: &str) -> Option<Verdict> {
    let code = text.trim();
    if code.is_empty() {
        return None;
    }
    if !code.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Some(Verdict::Problem(
            "A client code is letters and digits only, such as Z999999.".to_owned(),
        ));
    }
    None
}

/// The MPIN: Angel's trading PIN is four digits.
pub fn mpin(text: &str) -> Option<Verdict> {
    if text.is_empty() {
        return None;
    }
    if !text.chars().all(|c| c.is_ascii_digit()) {
        return Some(Verdict::Problem(
            "The MPIN is digits only: the 4-digit PIN you log in to Angel One with.".to_owned(),
        ));
    }
    if text.len() != 4 {
        return Some(Verdict::Problem(format!(
            "Angel's MPIN has 4 digits; this has {}.",
            text.len()
        )));
    }
    None
}

/// The API key as copied from the SmartAPI app.
pub fn api_key(text: &str) -> Option<Verdict> {
    let key = text.trim();
    if key.is_empty() {
        return None;
    }
    if key.chars().any(char::is_whitespace) {
        return Some(Verdict::Problem(
            "The API key has a space inside it: copy it again from your SmartAPI app.".to_owned(),
        ));
    }
    if key != text {
        return Some(Verdict::Good(
            "The spaces around the key will be removed when it is saved.".to_owned(),
        ));
    }
    None
}

/// The TOTP secret: the text under the QR code (or an `otpauth://` link), never a code.
pub fn totp_secret(text: &str) -> Option<Verdict> {
    if text.trim().is_empty() {
        return None;
    }
    Some(match parse_secret_or_uri(text) {
        Ok(parsed) if parsed.secret.is_short() => Verdict::Good(format!(
            "A secret of {} bits: shorter than usual, but Halo can use it.",
            parsed.secret.bits()
        )),
        Ok(_) => Verdict::Good("A valid TOTP secret.".to_owned()),
        Err(error) => Verdict::Problem(error.to_string()),
    })
}

/// The app name on Angel's Create-App form: no spaces, at most 20 characters.
pub fn app_name(text: &str) -> Option<Verdict> {
    if text.is_empty() {
        return None;
    }
    if text.contains(' ') {
        return Some(Verdict::Problem(
            "Leave out the spaces: Angel's form refuses names with spaces.".to_owned(),
        ));
    }
    let chars = text.chars().count();
    if chars > APP_NAME_MAX_CHARS {
        return Some(Verdict::Problem(format!(
            "At most {APP_NAME_MAX_CHARS} characters; this has {chars}."
        )));
    }
    Some(Verdict::Good("Angel will accept this name.".to_owned()))
}

/// The static IP for Angel's form: a public IPv4 address.
pub fn static_ip(text: &str) -> Option<Verdict> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let Ok(address) = text.parse::<std::net::Ipv4Addr>() else {
        return Some(Verdict::Problem(
            "Type four numbers from 0 to 255 separated by dots, such as 203.0.113.7.".to_owned(),
        ));
    };
    if address.is_private() || address.is_loopback() || address.is_link_local() {
        return Some(Verdict::Problem(
            "That address is inside your own network. Angel sees your public address: search \
             \"what is my IP\" on the machine that will place the orders."
                .to_owned(),
        ));
    }
    Some(Verdict::Good(
        "A public address. Orders must come from it, so use the machine that has it.".to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(verdict: Option<Verdict>) -> bool {
        verdict.is_some_and(|v| v.is_problem())
    }

    #[test]
    fn a_one_time_code_in_the_secret_field_is_caught() {
        let verdict = totp_secret("081804").expect("a verdict");
        assert!(verdict.is_problem());
        assert!(
            verdict.text().contains("one-time code"),
            "{}",
            verdict.text()
        );
        assert!(!problem(totp_secret(
            "gezd gnbv gy3t qojq gezd gnbv gy3t qojq"
        )));
        assert!(!problem(totp_secret("ORSW4LLCPF2GK4ZB")));
        assert!(problem(totp_secret("not base32 at all!")));
        assert_eq!(totp_secret("  "), None);
    }

    #[test]
    fn spaces_in_an_api_key() {
        assert!(problem(api_key("AbCd 1234")));
        assert_eq!(
            api_key(" AbCd1234 "),
            Some(Verdict::Good(
                "The spaces around the key will be removed when it is saved.".to_owned()
            ))
        );
        assert_eq!(api_key("AbCd1234"), None);
    }

    #[test]
    fn mpin_and_client_code() {
        assert_eq!(mpin("1234"), None);
        assert!(problem(mpin("12a4")));
        assert!(problem(mpin("12345")));
        assert_eq!(client_code("Z999999"), None);
        assert!(problem(client_code("Z99 9999")));
    }

    #[test]
    fn app_names_and_addresses() {
        assert!(!problem(app_name("HaloDesk")));
        assert!(problem(app_name("Halo Desk")));
        assert!(problem(app_name("ThisNameIsFarTooLongForAngel")));
        assert!(!problem(static_ip("203.0.113.7")));
        assert!(problem(static_ip("192.168.1.20")));
        assert!(problem(static_ip("10.0.0.5")));
        assert!(problem(static_ip("203.0.113")));
    }
}
