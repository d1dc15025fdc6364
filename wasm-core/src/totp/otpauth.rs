//! `otpauth://totp/...` links: the text inside every authenticator QR code.
//!
//! The link names the issuer and account in its label (`Issuer:account`, the colon literal or
//! written `%3A`) and carries the secret and the code parameters in its query. Issuers get the
//! details wrong often enough that reading a link is lenient where nothing is at stake (a label
//! never fails an import) and strict where a wrong value would give wrong codes: a bad
//! `digits`, `period` or `algorithm` is refused with the field named.

use super::{Algorithm, DIGITS_RANGE, PERIOD_RANGE, TotpError, TotpParams, TotpSecret};

const SCHEME: &str = "otpauth://";

/// A value longer than this is cut when quoted in an error: it is a mistake, not a value.
const MAX_QUOTED_CHARS: usize = 16;

/// What an `otpauth://totp/` link says: who issued it, for which account, and how to compute
/// the codes. Its `Debug` never shows the secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OtpAuth {
    /// The service, from the `issuer` parameter or else the label's prefix; may be empty.
    pub issuer: String,
    /// The account at that service (an e-mail address, a client code); may be empty.
    pub account_name: String,
    /// The shared secret.
    pub secret: TotpSecret,
    /// Hash, digits and period.
    pub params: TotpParams,
}

impl OtpAuth {
    /// Reads an `otpauth://totp/` link.
    ///
    /// Refuses anything that is not such a link, `hotp` links (counter-based codes, which no
    /// broker uses), a missing or bad secret, and `digits` other than 6-8, `period` other than
    /// 1-3600 and `algorithm` other than SHA1, SHA256 or SHA512. The label is read as well as it
    /// can be and never causes a refusal.
    pub fn parse(input: &str) -> Result<OtpAuth, TotpError> {
        let text = input.trim();
        let rest = strip_prefix_ignore_case(text, SCHEME).ok_or(TotpError::NotOtpAuth)?;
        let (kind, rest) = rest.split_once('/').unwrap_or((rest, ""));
        if !kind.eq_ignore_ascii_case("totp") {
            return Err(TotpError::UnsupportedKind {
                kind: quoted(&kind.to_ascii_lowercase()),
            });
        }

        // A fragment is not part of the link's meaning; some generators append one.
        let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
        let (raw_label, query) = rest.split_once('?').unwrap_or((rest, ""));
        let fields = Query::parse(query);

        let secret_text = fields.get("secret").ok_or(TotpError::MissingSecret)?;
        let secret = TotpSecret::parse(&secret_text)?;
        let params = TotpParams {
            algorithm: match fields.get("algorithm") {
                Some(text) => parse_algorithm(&text)?,
                None => Algorithm::Sha1,
            },
            digits: match fields.get("digits") {
                Some(text) => parse_number(&text)
                    .filter(|n| DIGITS_RANGE.contains(n))
                    .ok_or_else(|| bad_field("digits", &text))?,
                None => 6,
            },
            period_secs: match fields.get("period") {
                Some(text) => parse_number(&text)
                    .filter(|n| PERIOD_RANGE.contains(n))
                    .ok_or_else(|| bad_field("period", &text))?,
                None => 30,
            },
        };

        let (label_issuer, account_name) = split_label(raw_label, fields.get("issuer").as_deref());
        // The parameter is the newer, unambiguous place for the issuer, so it wins.
        let issuer = fields
            .get("issuer")
            .map(|issuer| issuer.trim().to_owned())
            .filter(|issuer| !issuer.is_empty())
            .unwrap_or(label_issuer);

        Ok(OtpAuth {
            issuer,
            account_name,
            secret,
            params,
        })
    }

    /// The link for this entry, as another authenticator app imports it: label
    /// `Issuer:account`, secret in canonical base32, and every parameter spelled out.
    pub fn to_uri(&self) -> String {
        let label = match (self.issuer.is_empty(), self.account_name.is_empty()) {
            (false, false) => format!("{}:{}", encode(&self.issuer), encode(&self.account_name)),
            // The trailing colon keeps the issuer from being read back as the account.
            (false, true) => format!("{}:", encode(&self.issuer)),
            _ => encode(&self.account_name),
        };
        let mut uri = format!("{SCHEME}totp/{label}?secret={}", self.secret.to_base32());
        if !self.issuer.is_empty() {
            uri.push_str("&issuer=");
            uri.push_str(&encode(&self.issuer));
        }
        let algorithm = match self.params.algorithm {
            Algorithm::Sha1 => "SHA1",
            Algorithm::Sha256 => "SHA256",
            Algorithm::Sha512 => "SHA512",
        };
        uri.push_str(&format!(
            "&algorithm={algorithm}&digits={}&period={}",
            self.params.digits, self.params.period_secs
        ));
        uri
    }
}

/// A secret as the trader entered it: a bare base32 secret (Angel's parameters assumed) or a
/// whole `otpauth://` link, whose parameters and label are kept.
pub fn parse_secret_or_uri(input: &str) -> Result<OtpAuth, TotpError> {
    if strip_prefix_ignore_case(input.trim_start(), "otpauth:").is_some() {
        return OtpAuth::parse(input);
    }
    Ok(OtpAuth {
        issuer: String::new(),
        account_name: String::new(),
        secret: TotpSecret::parse(input)?,
        params: TotpParams::default(),
    })
}

/// The query's fields, decoded; the first of a repeated field counts.
struct Query(Vec<(String, String)>);

impl Query {
    fn parse(query: &str) -> Query {
        let fields = query
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(key, true).to_ascii_lowercase(), decode(value, true))
            })
            .collect();
        Query(fields)
    }

    fn get(&self, key: &str) -> Option<String> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, value)| value.clone())
    }
}

/// Splits a raw (still percent-encoded) label into issuer and account name.
///
/// A literal `:` separates the two even when the issuer itself contains an encoded one
/// (`Demo%3A%20Desk:alice`); otherwise the issuer parameter, if the decoded label starts with
/// it, marks where the account begins; otherwise the first decoded colon does.
fn split_label(raw: &str, issuer_param: Option<&str>) -> (String, String) {
    if let Some((issuer, account)) = raw.split_once(':') {
        return (
            decode(issuer, false).trim().to_owned(),
            decode(account, false).trim().to_owned(),
        );
    }
    let label = decode(raw, false);
    if let Some(issuer) = issuer_param.map(str::trim).filter(|i| !i.is_empty())
        && let Some(account) = label
            .strip_prefix(issuer)
            .and_then(|rest| rest.strip_prefix(':'))
    {
        return (issuer.to_owned(), account.trim().to_owned());
    }
    match label.split_once(':') {
        Some((issuer, account)) => (issuer.trim().to_owned(), account.trim().to_owned()),
        None => (String::new(), label.trim().to_owned()),
    }
}

/// Percent-decoding that never fails: a broken escape is kept as typed and bytes that are not
/// UTF-8 become U+FFFD. In the query, `+` is a space, as HTML forms write it.
fn decode(text: &str, plus_is_space: bool) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let byte = bytes[i];
        let escaped = (byte == b'%')
            .then(|| {
                Some((
                    hex_value(*bytes.get(i + 1)?)?,
                    hex_value(*bytes.get(i + 2)?)?,
                ))
            })
            .flatten();
        match escaped {
            Some((high, low)) => {
                out.push(high << 4 | low);
                i += 3;
            }
            None => {
                out.push(if plus_is_space && byte == b'+' {
                    b' '
                } else {
                    byte
                });
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(byte: u8) -> Option<u8> {
    match byte {
        b'0'..=b'9' => Some(byte - b'0'),
        b'a'..=b'f' => Some(byte - b'a' + 10),
        b'A'..=b'F' => Some(byte - b'A' + 10),
        _ => None,
    }
}

/// Percent-encodes all but RFC 3986's unreserved characters, so `:` in an issuer cannot be
/// mistaken for the label's separator.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn parse_algorithm(text: &str) -> Result<Algorithm, TotpError> {
    match text.trim().to_ascii_uppercase().replace('-', "").as_str() {
        "SHA1" => Ok(Algorithm::Sha1),
        "SHA256" => Ok(Algorithm::Sha256),
        "SHA512" => Ok(Algorithm::Sha512),
        _ => Err(bad_field("algorithm", text)),
    }
}

/// A plain decimal number: no sign, no spaces inside, no decimals.
fn parse_number<T: core::str::FromStr>(text: &str) -> Option<T> {
    let text = text.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

fn bad_field(field: &'static str, value: &str) -> TotpError {
    TotpError::BadLinkField {
        field,
        value: quoted(value),
    }
}

/// A value safe to put in an error: short, and without control characters.
fn quoted(value: &str) -> String {
    let mut shown: String = value
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_QUOTED_CHARS)
        .collect();
    if value.chars().count() > MAX_QUOTED_CHARS {
        shown.push('…');
    }
    shown
}

fn strip_prefix_ignore_case<'a>(text: &'a str, prefix: &str) -> Option<&'a str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn decode_is_lenient() {
        assert_eq!(decode("Demo%3A%20Desk", false), "Demo: Desk");
        assert_eq!(decode("100%", false), "100%");
        assert_eq!(decode("%zz%4", false), "%zz%4");
        assert_eq!(decode("a+b", true), "a b");
        assert_eq!(decode("a+b", false), "a+b");
        assert_eq!(decode("%FF", false), "\u{FFFD}");
    }

    #[test]
    fn encode_escapes_the_separator() {
        assert_eq!(encode("Demo: Desk"), "Demo%3A%20Desk");
        assert_eq!(encode("a.b-c_d~e"), "a.b-c_d~e");
        assert_eq!(decode(&encode("Ünïcode & co"), false), "Ünïcode & co");
    }

    #[test]
    fn labels_split_every_way_issuers_write_them() {
        assert_eq!(
            split_label("Demo%3A%20Desk:alice", Some("Demo: Desk")),
            ("Demo: Desk".into(), "alice".into())
        );
        assert_eq!(
            split_label("Demo%3Aalice", Some("Demo")),
            ("Demo".into(), "alice".into())
        );
        assert_eq!(
            split_label("Demo%3A%20Desk%3Aalice", Some("Demo: Desk")),
            ("Demo: Desk".into(), "alice".into())
        );
        assert_eq!(
            split_label("AngelOne:%20Z999999", None),
            ("AngelOne".into(), "Z999999".into())
        );
        assert_eq!(split_label("", None), (String::new(), String::new()));
        assert_eq!(split_label("%", None), (String::new(), "%".into()));
    }
}
