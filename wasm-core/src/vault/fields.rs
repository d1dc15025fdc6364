//! What the trader types into the account forms, cleaned and checked the same way wherever an
//! account is added, edited or given a new key.
//!
//! Pasted text brings stray spaces, line breaks and invisible characters; a label may also
//! carry direction controls (U+202E and friends) that make it read differently from what it
//! is. Lengths are capped well above any real value, so a runaway paste is refused with a
//! reason instead of filling the vault.

use zeroize::Zeroizing;

use super::AccountError;

/// The longest label or TOTP-entry name kept: a name to pick an account by, not a note.
pub const MAX_NAME_CHARS: usize = 64;
/// Angel's client codes are a handful of letters and digits.
pub const MAX_CLIENT_CODE_CHARS: usize = 16;
/// SmartAPI keys are short tokens; this leaves room for any other format.
pub const MAX_API_KEY_CHARS: usize = 128;

/// A label or name as kept: control, zero-width and direction-control characters dropped,
/// spaces trimmed, at most [`MAX_NAME_CHARS`]. Empty stays empty, for the caller's default.
pub fn clean_name(field: &'static str, typed: &str) -> Result<String, AccountError> {
    let kept = printable(typed);
    let kept = kept.trim();
    if kept.chars().count() > MAX_NAME_CHARS {
        return Err(AccountError::TooLong {
            field,
            max: MAX_NAME_CHARS,
        });
    }
    Ok(kept.to_owned())
}

/// A client code as Angel takes it: trimmed, upper case, letters and digits only. Empty is
/// returned as is; whether it is required is the caller's rule.
pub fn clean_client_code(typed: &str) -> Result<String, AccountError> {
    let code = typed.trim().to_ascii_uppercase();
    if !code.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(AccountError::ClientCode);
    }
    if code.len() > MAX_CLIENT_CODE_CHARS {
        return Err(AccountError::TooLong {
            field: "Client code",
            max: MAX_CLIENT_CODE_CHARS,
        });
    }
    Ok(code)
}

/// An API key as sent in `X-PrivateKey`: trimmed, required, one word of printable ASCII.
pub fn clean_api_key(typed: &str) -> Result<Zeroizing<String>, AccountError> {
    let key = Zeroizing::new(typed.trim().to_owned());
    if key.is_empty() {
        return Err(AccountError::Missing { field: "API key" });
    }
    if !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(AccountError::ApiKey);
    }
    if key.len() > MAX_API_KEY_CHARS {
        return Err(AccountError::TooLong {
            field: "API key",
            max: MAX_API_KEY_CHARS,
        });
    }
    Ok(key)
}

/// `text` without the characters that show nothing or change how the text around them is
/// shown: what a terminal or a page can print of a name from a vault nobody checked (an old
/// one, a hand-edited one) without the name moving the cursor or reversing the line.
pub fn printable(text: &str) -> String {
    text.chars().filter(|c| !is_invisible(*c)).collect()
}

/// Characters that show nothing, or change how the text around them is shown.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{200B}'..='\u{200F}'   // zero-width space, joiners, left/right marks
            | '\u{202A}'..='\u{202E}' // embeddings and overrides
            | '\u{2060}'..='\u{2064}' // word joiner, invisible operators
            | '\u{2066}'..='\u{2069}' // isolates
            | '\u{FEFF}') // byte-order mark
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn direction_controls_and_invisible_characters_leave_a_label() {
        assert_eq!(clean_name("Label", "\u{202E}live\u{202C}").unwrap(), "live");
        assert_eq!(clean_name("Label", " Main\u{200B} \n").unwrap(), "Main");
        assert_eq!(
            clean_name("Label", "Zerodha → Angel ₹").unwrap(),
            "Zerodha → Angel ₹"
        );
        assert_eq!(clean_name("Label", "\u{2066}\u{FEFF}").unwrap(), "");
        assert_eq!(
            printable("\x1b[31mRED\x1b[0m\x1b]0;pwned\x07"),
            "[31mRED[0m]0;pwned"
        );
    }

    #[test]
    fn runaway_pastes_are_refused_by_length() {
        let label = "€".repeat(MAX_NAME_CHARS);
        assert_eq!(clean_name("Label", &label).unwrap(), label);
        assert_eq!(
            clean_name("Label", &"x".repeat(100_000)),
            Err(AccountError::TooLong {
                field: "Label",
                max: MAX_NAME_CHARS
            })
        );
        assert_eq!(clean_client_code(" z999999 ").unwrap(), "Z999999");
        assert!(matches!(
            clean_client_code(&"Z".repeat(17)),
            Err(AccountError::TooLong { .. })
        ));
        assert_eq!(clean_api_key(" AbCd1234\n").unwrap().as_str(), "AbCd1234");
        assert!(matches!(
            clean_api_key(&"k".repeat(129)),
            Err(AccountError::TooLong { .. })
        ));
    }

    #[test]
    fn the_length_error_names_the_field_and_the_limit_only() {
        let error = clean_api_key(&"secretkey".repeat(50))
            .unwrap_err()
            .to_string();
        assert_eq!(error, "API key is too long: at most 128 characters");
    }
}
