//! The entries of Halo's troubleshooting page, named the same way by the worker and the popup.
//!
//! The worker decides which entry explains a failure (`halo_worker::wording`); the popup draws
//! the entry and the "How to fix" link beside the message. Each entry's anchor is part of the
//! page's address (`options.html#ab1007`), so anchors never change once published.

use serde::{Deserialize, Serialize};

/// One symptom on the troubleshooting page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trouble {
    /// AB1007 "invalid user id or password": wrong MPIN or client code, an expired API key,
    /// or the TOTP set up on another account.
    Ab1007,
    /// AB1050 "Invalid totp": a wrong secret, a clock off, or a code reused across the 30 s
    /// boundary.
    Ab1050,
    /// The API key itself refused (`X-PrivateKey`, AG8004).
    ApiKey,
    /// AB1006: the client is blocked for trading.
    Ab1006,
    /// AG7002 or Angel's firewall page: orders must come from the static IP registered for
    /// the API key.
    Ag7002,
    /// Angel's plain-text "exceeding access rate" reply.
    RateLimit,
    /// The session ended (AG8001, AG8002, AB1010, AB1011, or a new trading day).
    SessionExpired,
    /// The publisher login came back without a session: the redirect URL is not registered.
    RedirectUrl,
    /// The publisher-login page refused a Trading app's key (HTTP 403).
    PublisherKey,
    /// A publisher login answer that Halo did not start (state mismatch).
    StateMismatch,
    /// The endpoint did not answer at all.
    Unreachable,
}

impl Trouble {
    /// Every entry, in the page's order.
    pub const ALL: [Trouble; 11] = [
        Trouble::Ab1007,
        Trouble::Ab1050,
        Trouble::ApiKey,
        Trouble::Ab1006,
        Trouble::Ag7002,
        Trouble::RateLimit,
        Trouble::SessionExpired,
        Trouble::RedirectUrl,
        Trouble::PublisherKey,
        Trouble::StateMismatch,
        Trouble::Unreachable,
    ];

    /// The entry's stable anchor on the troubleshooting page, such as `ab1007`.
    pub fn anchor(self) -> &'static str {
        match self {
            Trouble::Ab1007 => "ab1007",
            Trouble::Ab1050 => "ab1050",
            Trouble::ApiKey => "api-key",
            Trouble::Ab1006 => "ab1006",
            Trouble::Ag7002 => "ag7002",
            Trouble::RateLimit => "rate-limit",
            Trouble::SessionExpired => "session-expired",
            Trouble::RedirectUrl => "redirect-url",
            Trouble::PublisherKey => "publisher-key",
            Trouble::StateMismatch => "state-mismatch",
            Trouble::Unreachable => "unreachable",
        }
    }

    /// The entry whose anchor is `anchor`.
    pub fn from_anchor(anchor: &str) -> Option<Trouble> {
        Trouble::ALL
            .into_iter()
            .find(|entry| entry.anchor() == anchor)
    }

    /// The entry that explains one of Angel's error codes, if any does.
    pub fn for_code(code: &str) -> Option<Trouble> {
        match code {
            "AB1007" | "AB1000" | "AB1001" | "AB1002" | "AB1032" => Some(Trouble::Ab1007),
            "AB1050" => Some(Trouble::Ab1050),
            "AG8004" => Some(Trouble::ApiKey),
            "AB1006" => Some(Trouble::Ab1006),
            "AG7002" => Some(Trouble::Ag7002),
            "AG8001" | "AG8002" | "AG8003" | "AB1010" | "AB1011" => Some(Trouble::SessionExpired),
            _ => None,
        }
    }

    /// The troubleshooting page's address for this entry, relative to the extension's root.
    pub fn page_path(self) -> String {
        format!("options.html#{}", self.anchor())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_are_unique_and_round_trip() {
        for entry in Trouble::ALL {
            assert_eq!(Trouble::from_anchor(entry.anchor()), Some(entry));
            let json = serde_json::to_string(&entry).unwrap();
            assert_eq!(json, format!("\"{}\"", entry.anchor()));
        }
        let mut anchors: Vec<_> = Trouble::ALL.iter().map(|entry| entry.anchor()).collect();
        anchors.sort_unstable();
        anchors.dedup();
        assert_eq!(anchors.len(), Trouble::ALL.len());
    }

    #[test]
    fn codes_find_their_entry() {
        assert_eq!(Trouble::for_code("AB1007"), Some(Trouble::Ab1007));
        assert_eq!(Trouble::for_code("AB1050"), Some(Trouble::Ab1050));
        assert_eq!(Trouble::for_code("AG7002"), Some(Trouble::Ag7002));
        assert_eq!(Trouble::for_code("AB1010"), Some(Trouble::SessionExpired));
        assert_eq!(Trouble::for_code("AB9999"), None);
    }
}
