//! Errors name the server that answered: with a sandbox endpoint, it was not Angel.
//!
//! halo-core's errors are written for Angel ("Angel refused the request ..."), which is what a
//! trader meets in real use. Rehearsing against `halo sandbox`, the same words would blame a
//! broker that was never asked, so the worker renames the speaker before the popup shows it.

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

#[cfg(test)]
mod tests {
    use super::*;

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
