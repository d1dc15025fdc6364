//! Text that can empty a trading account (a passphrase, MPIN, API key or TOTP secret) on its way
//! between popup and worker.
//!
//! It is wiped from wasm memory when dropped and prints as `<redacted>`, so deriving `Debug` on
//! a message that carries it cannot put it in a log. Copies the browser itself makes (the
//! message's JSON, the input's value) are beyond Rust's reach; this keeps Halo's own copies
//! short-lived.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use zeroize::Zeroizing;

/// A secret as typed, wiped on drop, never shown by `Debug`.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretText(Zeroizing<String>);

impl SecretText {
    /// The text, for the one place that needs it.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether nothing was typed.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for SecretText {
    fn from(text: String) -> Self {
        Self(Zeroizing::new(text))
    }
}

impl From<&str> for SecretText {
    fn from(text: &str) -> Self {
        Self::from(text.to_owned())
    }
}

impl std::ops::Deref for SecretText {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for SecretText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("<redacted>")
    }
}

impl Serialize for SecretText {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for SecretText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Self::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_never_shows_the_text_and_json_carries_it_whole() {
        let secret = SecretText::from("correct horse battery");
        assert_eq!(format!("{secret:?}"), "<redacted>");
        let json = serde_json::to_string(&secret).unwrap_or_default();
        assert_eq!(json, "\"correct horse battery\"");
        let back: Result<SecretText, _> = serde_json::from_str(&json);
        assert_eq!(back.ok().as_deref(), Some("correct horse battery"));
    }
}
