//! Where SmartAPI calls go: Angel One itself, or a `halo sandbox` on this machine.

use thiserror::Error;

use super::{ANGEL_API_ROOT, ANGEL_INSTRUMENT_MASTER_URL, INSTRUMENT_MASTER_PATH};

/// The API root every request is built against.
///
/// Only two kinds exist on purpose: Angel's own root, and a loopback sandbox. A setting that
/// could name any host would let a mistyped or planted value send credentials elsewhere.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Endpoint {
    root: String,
    sandbox: bool,
}

/// An endpoint setting Halo refuses.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum EndpointError {
    /// Neither Angel's root nor a loopback address with a port.
    #[error(
        "Endpoint must be empty or \"angel\" for Angel One, or http://127.0.0.1:PORT or \
         http://localhost:PORT for a Halo sandbox on this computer"
    )]
    NotAllowed,
    /// A loopback address whose port is missing or not a number from 1 to 65535.
    #[error("The sandbox endpoint needs a port from 1 to 65535, e.g. http://127.0.0.1:8765")]
    BadPort,
}

impl Endpoint {
    /// Angel One's production API.
    pub fn angel() -> Endpoint {
        Endpoint {
            root: ANGEL_API_ROOT.to_string(),
            sandbox: false,
        }
    }

    /// Reads the endpoint setting: `""`, `"angel"` or Angel's root mean Angel;
    /// `http://127.0.0.1:PORT` or `http://localhost:PORT` (a trailing `/` is fine) mean a
    /// sandbox. Anything else, including other hosts and `https` loopback, is refused.
    pub fn parse(input: &str) -> Result<Endpoint, EndpointError> {
        let text = input.trim();
        let text = text.strip_suffix('/').unwrap_or(text);
        if text.is_empty() || text.eq_ignore_ascii_case("angel") {
            return Ok(Endpoint::angel());
        }
        if text.eq_ignore_ascii_case(ANGEL_API_ROOT) {
            return Ok(Endpoint::angel());
        }

        let lower = text.to_ascii_lowercase();
        let host_port = lower
            .strip_prefix("http://")
            .ok_or(EndpointError::NotAllowed)?;
        let (host, port) = match host_port.split_once(':') {
            Some((host, port)) => (host, port),
            None => (host_port, ""),
        };
        if host != "127.0.0.1" && host != "localhost" {
            return Err(EndpointError::NotAllowed);
        }
        let digits_only = !port.is_empty() && port.bytes().all(|b| b.is_ascii_digit());
        let port: u16 = match port.parse() {
            Ok(port) if digits_only && port > 0 => port,
            _ => return Err(EndpointError::BadPort),
        };
        Ok(Endpoint {
            root: format!("http://{host}:{port}"),
            sandbox: true,
        })
    }

    /// The root URL without a trailing slash, e.g. `https://apiconnect.angelone.in`.
    pub fn root(&self) -> &str {
        &self.root
    }

    /// True for a loopback sandbox.
    pub fn is_sandbox(&self) -> bool {
        self.sandbox
    }

    /// Where to download the instrument master: Angel's file, or the sandbox's copy.
    pub fn instrument_master_url(&self) -> String {
        if self.sandbox {
            format!("{}{INSTRUMENT_MASTER_PATH}", self.root)
        } else {
            ANGEL_INSTRUMENT_MASTER_URL.to_string()
        }
    }
}

impl Default for Endpoint {
    fn default() -> Self {
        Endpoint::angel()
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn angel_spellings() {
        for input in [
            "",
            "  ",
            "angel",
            "Angel",
            ANGEL_API_ROOT,
            "https://apiconnect.angelone.in/",
        ] {
            assert_eq!(Endpoint::parse(input), Ok(Endpoint::angel()), "{input:?}");
        }
        assert_eq!(
            Endpoint::angel().instrument_master_url(),
            ANGEL_INSTRUMENT_MASTER_URL
        );
        assert!(!Endpoint::angel().is_sandbox());
    }

    #[test]
    fn loopback_sandboxes() {
        let ep = Endpoint::parse("http://127.0.0.1:8765/").unwrap();
        assert!(ep.is_sandbox());
        assert_eq!(ep.root(), "http://127.0.0.1:8765");
        assert_eq!(
            ep.instrument_master_url(),
            "http://127.0.0.1:8765/OpenAPI_File/files/OpenAPIScripMaster.json"
        );
        assert_eq!(
            Endpoint::parse("http://localhost:9").unwrap().root(),
            "http://localhost:9"
        );
    }

    #[test]
    fn everything_else_refused() {
        for input in [
            "https://apiconnect.angelbroking.com",
            "http://apiconnect.angelone.in",
            "http://evil.example:8765",
            "https://127.0.0.1:8765",
            "127.0.0.1:8765",
            "http://127.0.0.1.evil.example:80",
            "http://user@127.0.0.1:80",
        ] {
            assert_eq!(
                Endpoint::parse(input),
                Err(EndpointError::NotAllowed),
                "{input}"
            );
        }
        for input in [
            "http://127.0.0.1",
            "http://127.0.0.1:0",
            "http://127.0.0.1:70000",
        ] {
            assert_eq!(
                Endpoint::parse(input),
                Err(EndpointError::BadPort),
                "{input}"
            );
        }
        assert_eq!(
            Endpoint::parse("http://localhost:80/path"),
            Err(EndpointError::BadPort)
        );
        assert_eq!(
            Endpoint::parse("http://localhost:+80"),
            Err(EndpointError::BadPort)
        );
    }
}
