//! How a failure reads in the popup: who refused, and which troubleshooting entry explains it.
//!
//! halo-core's errors are written for Angel ("Angel refused the request ..."), which is what a
//! trader meets in real use. Rehearsing against `halo sandbox`, the same words would blame a
//! broker that was never asked, so the worker renames the speaker before the popup shows it.
//!
//! [`trouble_for`] is the one place that decides which entry of the troubleshooting page a
//! failure links to; the popup only draws the link it is given.

use halo_core::publisher::PublisherError;
use halo_core::smartapi::ApiError;
use halo_extension_shared::trouble::Trouble;

use crate::error::WorkerError;
use crate::http::HttpError;

/// How halo-core's refusals begin.
const ANGEL_REFUSED: &str = "Angel refused ";

/// `message` as shown to the trader: a refusal at its start is the sandbox's when `sandbox`.
pub fn for_endpoint(message: String, sandbox: bool) -> String {
    match message.strip_prefix(ANGEL_REFUSED) {
        Some(rest) if sandbox => format!("The sandbox refused {rest}"),
        _ => message,
    }
}

/// [`for_endpoint`] with the endpoint in use; Angel's words when it cannot be read.
pub async fn for_current_endpoint(message: String) -> String {
    let sandbox = crate::endpoint::current()
        .await
        .is_ok_and(|endpoint| endpoint.is_sandbox());
    for_endpoint(message, sandbox)
}

/// The troubleshooting entry that explains `error`, if the page has one for it.
pub fn trouble_for(error: &WorkerError) -> Option<Trouble> {
    match error {
        WorkerError::Api(api) | WorkerError::SessionRenewed(api) => trouble_for_api(api),
        WorkerError::ClockCorrected { error, .. } => trouble_for_api(error),
        WorkerError::SessionEnded(_) | WorkerError::NotLoggedIn => Some(Trouble::SessionExpired),
        WorkerError::Publisher(publisher) => Some(trouble_for_publisher(publisher)),
        // Chromium gives up on the login window when a page in it does not load, which is how
        // Angel's /publisher-login/undefined (no redirect URL registered) usually ends.
        WorkerError::LoginWindow(_) => Some(Trouble::RedirectUrl),
        WorkerError::Http(HttpError::Unreachable { .. }) => Some(Trouble::Unreachable),
        _ => None,
    }
}

/// The entry for one of Angel's refusals (or a reply that was not JSON).
pub fn trouble_for_api(error: &ApiError) -> Option<Trouble> {
    match error {
        ApiError::RateLimited => Some(Trouble::RateLimit),
        // Angel's firewall page mostly means an order from an address other than the
        // registered static IP: the same fix as AG7002.
        ApiError::Blocked { .. } => Some(Trouble::Ag7002),
        _ => error.code().and_then(Trouble::for_code),
    }
}

fn trouble_for_publisher(error: &PublisherError) -> Trouble {
    match error {
        PublisherError::StateMismatch => Trouble::StateMismatch,
        PublisherError::KeyNotPublisher => Trouble::PublisherKey,
        _ => Trouble::RedirectUrl,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn angel(code: &str) -> WorkerError {
        WorkerError::Api(ApiError::Angel {
            code: code.to_owned(),
            message: "x".to_owned(),
        })
    }

    #[test]
    fn each_failure_links_to_its_entry() {
        assert_eq!(trouble_for(&angel("AB1007")), Some(Trouble::Ab1007));
        assert_eq!(trouble_for(&angel("AB1006")), Some(Trouble::Ab1006));
        assert_eq!(trouble_for(&angel("AG7002")), Some(Trouble::Ag7002));
        assert_eq!(trouble_for(&angel("AB2001")), None);
        let clock = WorkerError::ClockCorrected {
            error: ApiError::Angel {
                code: "AB1050".to_owned(),
                message: "Invalid totp".to_owned(),
            },
            device_ahead_secs: 75,
        };
        assert_eq!(trouble_for(&clock), Some(Trouble::Ab1050));
        assert_eq!(
            trouble_for(&WorkerError::Api(ApiError::RateLimited)),
            Some(Trouble::RateLimit)
        );
        let firewall = ApiError::Blocked { support_id: None };
        assert_eq!(
            trouble_for(&WorkerError::Api(firewall)),
            Some(Trouble::Ag7002)
        );
        assert_eq!(
            trouble_for(&WorkerError::SessionEnded(ApiError::RateLimited)),
            Some(Trouble::SessionExpired)
        );
        let undefined = PublisherError::NoRedirectUrl {
            redirect_url: "https://x.chromiumapp.org/".to_owned(),
        };
        assert_eq!(trouble_for(&undefined.into()), Some(Trouble::RedirectUrl));
        let forged = WorkerError::Publisher(PublisherError::StateMismatch);
        assert_eq!(trouble_for(&forged), Some(Trouble::StateMismatch));
        assert_eq!(trouble_for(&WorkerError::Locked), None);
    }

    #[test]
    fn the_sandbox_is_named_when_it_answered() {
        let refused = "Angel refused the request (AB1007). Check the client code and MPIN.";
        assert_eq!(
            for_endpoint(refused.to_owned(), true),
            "The sandbox refused the request (AB1007). Check the client code and MPIN."
        );
        assert_eq!(for_endpoint(refused.to_owned(), false), refused);
        let other = "The vault is locked. Unlock Halo first.";
        assert_eq!(for_endpoint(other.to_owned(), true), other);
    }
}
