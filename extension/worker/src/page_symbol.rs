//! Which symbol a chart page is showing, chosen from what its content script copied.
//!
//! TradingView shows the symbol in three places that disagree at times: the header button
//! (the truth, but decorated with a logo letter and a ▾ arrow), the URL's `symbol=` parameter
//! (which lags behind when the user switches symbol inside the chart) and the title. The header
//! wins; the URL only lends it the exchange prefix when both name the same ticker.

use serde::{Deserialize, Serialize};

/// Where on the page the symbol was read, so the ticket can say how sure it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SymbolSource {
    /// The chart's symbol header.
    Header,
    /// The URL's `symbol=` parameter, read because the page had no header.
    Url,
    /// The first word of the page title, the last resort.
    Title,
    /// Text the user selected and sent with "Trade with Halo".
    Selection,
}

impl SymbolSource {
    /// The name the popup shows ("from URL").
    pub fn as_str(self) -> &'static str {
        match self {
            SymbolSource::Header => "header",
            SymbolSource::Url => "url",
            SymbolSource::Title => "title",
            SymbolSource::Selection => "selection",
        }
    }
}

/// The symbol a page shows, as the page spells it (`NSE:RELIANCE`, `HINDUNILVR`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PageSymbol {
    /// The symbol, possibly with an exchange prefix.
    pub symbol: String,
    /// Where it was read.
    pub source: SymbolSource,
}

/// Picks the symbol from a page report; `None` when the page names none.
pub fn pick(header_text: Option<&str>, url: &str, title: &str) -> Option<PageSymbol> {
    let from_url = url_symbol(url);

    if let Some(ticker) = header_text.and_then(header_symbol) {
        let symbol = match &from_url {
            Some(full) if ticker_of(full).eq_ignore_ascii_case(&ticker) => full.clone(),
            _ => ticker,
        };
        return Some(PageSymbol {
            symbol,
            source: SymbolSource::Header,
        });
    }

    if let Some(symbol) = from_url {
        return Some(PageSymbol {
            symbol,
            source: SymbolSource::Url,
        });
    }

    title_symbol(title).map(|symbol| PageSymbol {
        symbol,
        source: SymbolSource::Title,
    })
}

/// The symbol in the header's text. The button holds an optional logo letter, the symbol and
/// a drop-down arrow, one per element; whether they come out as lines or as words depends on
/// the page's layout, and tickers have no spaces, so the text is read word by word.
fn header_symbol(text: &str) -> Option<String> {
    let words: Vec<&str> = text
        .split_whitespace()
        .map(|word| word.trim_matches(is_arrow))
        .filter(|word| !word.is_empty())
        .collect();

    // A lone letter next to a longer word is the logo placeholder drawn when an instrument
    // has no picture; alone, it could be a real one-letter ticker.
    let longest = words.iter().map(|word| word.chars().count()).max()?;
    words
        .iter()
        .find(|word| longest == 1 || word.chars().count() > 1)
        .map(|word| (*word).to_owned())
}

/// Drop-down arrows and chevrons TradingView has drawn after the symbol.
fn is_arrow(c: char) -> bool {
    matches!(c, '▾' | '▼' | '⌄' | '▿' | '⏷')
}

/// The decoded `symbol=` parameter of a chart URL, if it has a non-empty one.
fn url_symbol(url: &str) -> Option<String> {
    query_param(url, "symbol")
}

/// The decoded, trimmed value of a URL's query parameter `key`, if it has a non-empty one.
pub(crate) fn query_param(url: &str, key: &str) -> Option<String> {
    let without_fragment = url.split('#').next().unwrap_or(url);
    let (_, query) = without_fragment.split_once('?')?;
    query
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .find(|(name, _)| *name == key)
        .map(|(_, value)| percent_decode(value).trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// The ticker part of `EXCHANGE:TICKER` (all of it when there is no prefix).
fn ticker_of(symbol: &str) -> &str {
    symbol.rsplit_once(':').map_or(symbol, |(_, ticker)| ticker)
}

/// The title's first word, when it looks like a symbol rather than the site's name or a price.
fn title_symbol(title: &str) -> Option<String> {
    let word = title.split_whitespace().next()?;
    let has_letter = word.chars().any(|c| c.is_alphabetic());
    let is_site = word.to_ascii_lowercase().starts_with("tradingview");
    (has_letter && !is_site).then(|| word.to_owned())
}

/// Decodes `%XX` escapes and `+` as a space. Invalid escapes are kept as written: the symbol
/// is only ever looked up, never trusted.
pub(crate) fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                    (Some(high), Some(low)) => {
                        out.push(high * 16 + low);
                        i += 2;
                    }
                    _ => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn hex_value(byte: u8) -> Option<u8> {
    (byte as char)
        .to_digit(16)
        .and_then(|digit| u8::try_from(digit).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHART: &str = "https://www.tradingview.com/chart/AbCd1234/";

    fn header(symbol: &str) -> PageSymbol {
        PageSymbol {
            symbol: symbol.to_owned(),
            source: SymbolSource::Header,
        }
    }

    #[test]
    fn plain_header_div() {
        assert_eq!(
            pick(Some("RELIANCE"), CHART, "RELIANCE 2,945.50"),
            Some(header("RELIANCE"))
        );
    }

    #[test]
    fn logo_letter_and_arrow_are_dropped() {
        assert_eq!(
            pick(Some("R\nRELIANCE\n▾"), CHART, ""),
            Some(header("RELIANCE"))
        );
    }

    #[test]
    fn arrow_without_logo_is_dropped() {
        assert_eq!(
            pick(Some("RELIANCE\n▾"), CHART, ""),
            Some(header("RELIANCE"))
        );
        assert_eq!(
            pick(Some("  RELIANCE ▾ "), CHART, ""),
            Some(header("RELIANCE"))
        );
    }

    #[test]
    fn header_wins_over_a_lagging_url() {
        let url = "https://in.tradingview.com/chart/?symbol=NSE%3AMANALIPETC";
        assert_eq!(
            pick(Some("HINDUNILVR\n▾"), url, "MANALIPETC"),
            Some(header("HINDUNILVR"))
        );
    }

    #[test]
    fn url_lends_its_exchange_when_the_tickers_match() {
        let url = "https://www.tradingview.com/chart/?symbol=NSE%3AM%26M";
        assert_eq!(pick(Some("M\nM&M\n▾"), url, ""), Some(header("NSE:M&M")));
        let url = "https://www.tradingview.com/chart/x/?symbol=bse:reliance#tab";
        assert_eq!(
            pick(Some("RELIANCE"), url, ""),
            Some(header("bse:reliance"))
        );
    }

    #[test]
    fn no_header_falls_back_to_the_url_flagged() {
        let url = "https://in.tradingview.com/chart/?symbol=NSE%3AMANALIPETC&interval=D";
        let expected = PageSymbol {
            symbol: "NSE:MANALIPETC".to_owned(),
            source: SymbolSource::Url,
        };
        assert_eq!(pick(None, url, "MANALIPETC 100"), Some(expected.clone()));
        assert_eq!(pick(Some("\n▾\n"), url, ""), Some(expected));
    }

    #[test]
    fn no_header_no_url_symbol_falls_back_to_the_title() {
        let expected = PageSymbol {
            symbol: "SBIN".to_owned(),
            source: SymbolSource::Title,
        };
        assert_eq!(
            pick(None, CHART, "SBIN 812.30 ▲ +0.4% Unnamed"),
            Some(expected)
        );
    }

    #[test]
    fn nothing_to_read_gives_none() {
        assert_eq!(pick(None, CHART, ""), None);
        assert_eq!(pick(None, CHART, "TradingView — Track All Markets"), None);
        assert_eq!(pick(None, CHART, "2,945.50 ▲"), None);
        assert_eq!(
            pick(None, "https://www.tradingview.com/chart/?symbol=", ""),
            None
        );
    }

    #[test]
    fn lone_letter_is_kept_when_it_is_all_there_is() {
        assert_eq!(pick(Some("F\n▾"), CHART, ""), Some(header("F")));
    }

    #[test]
    fn percent_decoding_keeps_broken_escapes() {
        assert_eq!(percent_decode("NSE%3AM%26M"), "NSE:M&M");
        assert_eq!(percent_decode("A%2"), "A%2");
        assert_eq!(percent_decode("100%"), "100%");
        assert_eq!(percent_decode("%zzX"), "%zzX");
    }
}
