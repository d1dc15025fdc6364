//! The sites Halo reads symbols from, and where each keeps its symbol.
//!
//! Every content script sends the same report: its site, a raw symbol text (the text of one
//! element, or nothing) and the page's URL and title. Which of them names the symbol differs
//! by site, and is decided here: a TradingView chart's header, a TradingView symbol page's
//! path (`/symbols/NSE-RELIANCE/`), NSE's quote URLs (`?symbol=`, and the derivatives page's
//! `identifier=`), Chartink's `/stocks/reliance.html` and Screener's `/company/RELIANCE/`.

use crate::page_symbol::{self, PageSymbol, SymbolSource};

/// A site with a Halo content script.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Site {
    /// `*.tradingview.com` charts and symbol pages.
    TradingView,
    /// `www.nseindia.com` quote pages.
    Nse,
    /// `chartink.com` stock pages.
    Chartink,
    /// `www.screener.in` company pages.
    Screener,
}

impl Site {
    /// The site a content script names in its report.
    pub fn from_wire(name: &str) -> Option<Site> {
        match name {
            "tradingview" => Some(Site::TradingView),
            "nse" => Some(Site::Nse),
            "chartink" => Some(Site::Chartink),
            "screener" => Some(Site::Screener),
            _ => None,
        }
    }

    /// The site an `https` URL belongs to, judged by its host alone.
    pub fn of_url(url: &str) -> Option<Site> {
        let host = url
            .strip_prefix("https://")?
            .split(['/', '?', '#'])
            .next()?;
        let host = host.to_ascii_lowercase();
        let on = |domain: &str| host == domain || host.ends_with(&format!(".{domain}"));
        if on("tradingview.com") {
            Some(Site::TradingView)
        } else if on("nseindia.com") {
            Some(Site::Nse)
        } else if on("chartink.com") {
            Some(Site::Chartink)
        } else if on("screener.in") {
            Some(Site::Screener)
        } else {
            None
        }
    }
}

/// The symbol a page of `site` shows, as the page spells it.
pub fn read(site: Site, raw_text: Option<&str>, url: &str, title: &str) -> Option<PageSymbol> {
    let path = path_of(url);
    let from_url = |symbol: String| PageSymbol {
        symbol,
        source: SymbolSource::Url,
    };
    match site {
        Site::TradingView => match path.strip_prefix("/symbols/") {
            Some(rest) => tradingview_symbol_page(rest).map(from_url),
            None => page_symbol::pick(raw_text, url, title),
        },
        Site::Nse => nse_quote(url).map(from_url),
        Site::Chartink => {
            let file = path.strip_prefix("/stocks/")?.strip_suffix(".html")?;
            plain_ticker(file).map(|ticker| from_url(format!("NSE:{ticker}")))
        }
        Site::Screener => {
            let ticker = plain_ticker(path.strip_prefix("/company/")?.split('/').next()?)?;
            // Screener names companies without an NSE listing by their BSE scrip code, which
            // is also Angel's BSE token.
            let exchange = if ticker.bytes().all(|b| b.is_ascii_digit()) {
                "BSE"
            } else {
                "NSE"
            };
            Some(from_url(format!("{exchange}:{ticker}")))
        }
    }
}

/// `NSE-RELIANCE` (or `NSE-M_M`) to `NSE:RELIANCE`; a slug without an exchange is kept.
fn tradingview_symbol_page(rest: &str) -> Option<String> {
    let slug = rest.split('/').next()?;
    let symbol = match slug.split_once('-') {
        Some((exchange, ticker)) => format!("{exchange}:{}", plain_ticker(ticker)?),
        None => plain_ticker(slug)?,
    };
    Some(symbol)
}

/// NSE's equity quote (`?symbol=RELIANCE`) or derivatives quote, whose `identifier` spells
/// the contract as type, name, `DD-MM-YYYY`, `CE`/`PE`/`XX` and strike
/// (`OPTIDXNIFTY28-07-2026CE23500.00`, `FUTIDXNIFTY28-07-2026XX0.00`).
fn nse_quote(url: &str) -> Option<String> {
    if path_of(url).contains("/derivatives")
        && let Some(identifier) = page_symbol::query_param(url, "identifier")
    {
        return nse_contract(&identifier);
    }
    let symbol = page_symbol::query_param(url, "symbol")?;
    plain_ticker(&symbol).map(|ticker| format!("NSE:{ticker}"))
}

/// An NSE derivatives identifier in Angel's spelling (`NIFTY28JUL2623500CE`).
fn nse_contract(identifier: &str) -> Option<String> {
    const MONTHS: [&str; 12] = [
        "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
    ];
    let identifier = identifier.trim().to_ascii_uppercase();
    let rest = identifier.get(6..).filter(|_| identifier.is_ascii())?;
    let date_at = rest.find(|c: char| c.is_ascii_digit())?;
    let (name, rest) = rest.split_at(date_at);
    let (date, rest) = (rest.get(..10)?, rest.get(10..)?);
    let (day, month, year) = (date.get(..2)?, date.get(3..5)?, date.get(8..10)?);
    let month = MONTHS.get(month.parse::<usize>().ok()?.checked_sub(1)?)?;
    let (side, strike) = (rest.get(..2)?, rest.get(2..)?);
    let strike = strike.strip_suffix(".00").unwrap_or(strike);
    match side {
        "XX" => Some(format!("NFO:{name}{day}{month}{year}FUT")),
        "CE" | "PE" => Some(format!("NFO:{name}{day}{month}{year}{strike}{side}")),
        _ => None,
    }
}

/// A ticker as a URL spells it: percent-decoded, upper-cased, and only if it could be one.
fn plain_ticker(text: &str) -> Option<String> {
    let ticker = page_symbol::percent_decode(text)
        .trim()
        .to_ascii_uppercase();
    let plausible = !ticker.is_empty()
        && ticker.chars().count() <= 40
        && ticker
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "&-_.".contains(c));
    plausible.then_some(ticker)
}

/// The path of a URL, without query or fragment.
fn path_of(url: &str) -> &str {
    let after_scheme = url.split_once("://").map_or(url, |(_, rest)| rest);
    let without_query = after_scheme
        .split(['?', '#'])
        .next()
        .unwrap_or(after_scheme);
    without_query
        .find('/')
        .map_or("/", |at| &without_query[at..])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn symbol(site: Site, url: &str) -> Option<String> {
        read(site, None, url, "").map(|found| found.symbol)
    }

    #[test]
    fn sites_by_host() {
        let site = |url| Site::of_url(url);
        assert_eq!(
            site("https://in.tradingview.com/chart/x/"),
            Some(Site::TradingView)
        );
        assert_eq!(
            site("https://www.nseindia.com/get-quotes/equity?symbol=SBIN"),
            Some(Site::Nse)
        );
        assert_eq!(
            site("https://chartink.com/stocks/sbin.html"),
            Some(Site::Chartink)
        );
        assert_eq!(
            site("https://www.screener.in/company/SBIN/"),
            Some(Site::Screener)
        );
        assert_eq!(site("https://tradingview.com.evil.example/chart/"), None);
        assert_eq!(site("https://eviltradingview.com/chart/"), None);
        assert_eq!(site("http://www.screener.in/company/SBIN/"), None);
    }

    #[test]
    fn tradingview_symbol_pages() {
        let tv = |url| symbol(Site::TradingView, url);
        assert_eq!(
            tv("https://www.tradingview.com/symbols/NSE-RELIANCE/").as_deref(),
            Some("NSE:RELIANCE")
        );
        assert_eq!(
            tv("https://in.tradingview.com/symbols/NSE-M_M/?exchange=NSE").as_deref(),
            Some("NSE:M_M")
        );
        assert_eq!(
            tv("https://www.tradingview.com/symbols/NSE-BAJAJ_AUTO/ideas/").as_deref(),
            Some("NSE:BAJAJ_AUTO")
        );
        assert_eq!(tv("https://www.tradingview.com/symbols/<script>/"), None);
    }

    #[test]
    fn nse_quote_pages() {
        const DERIVATIVES: &str = "https://www.nseindia.com/get-quotes/derivatives";
        let nse = |url: &str| symbol(Site::Nse, url);
        assert_eq!(
            nse("https://www.nseindia.com/get-quotes/equity?symbol=M%26M").as_deref(),
            Some("NSE:M&M")
        );
        assert_eq!(
            nse(&format!(
                "{DERIVATIVES}?symbol=NIFTY&identifier=OPTIDXNIFTY28-07-2026CE23500.00"
            ))
            .as_deref(),
            Some("NFO:NIFTY28JUL2623500CE")
        );
        assert_eq!(
            nse(&format!(
                "{DERIVATIVES}?symbol=NIFTY&identifier=FUTIDXNIFTY28-07-2026XX0.00"
            ))
            .as_deref(),
            Some("NFO:NIFTY28JUL26FUT")
        );
        assert_eq!(nse("https://www.nseindia.com/get-quotes/equity"), None);
        assert_eq!(
            nse(&format!(
                "{DERIVATIVES}?identifier=OPTIDXNIFTY28-13-2026CE1.00"
            )),
            None
        );
    }

    #[test]
    fn chartink_and_screener_pages() {
        assert_eq!(
            symbol(Site::Chartink, "https://chartink.com/stocks/reliance.html").as_deref(),
            Some("NSE:RELIANCE")
        );
        assert_eq!(
            symbol(Site::Chartink, "https://chartink.com/screener/x"),
            None
        );
        let screener = |url| symbol(Site::Screener, url);
        assert_eq!(
            screener("https://www.screener.in/company/RELIANCE/consolidated/").as_deref(),
            Some("NSE:RELIANCE")
        );
        assert_eq!(
            screener("https://www.screener.in/company/500325/").as_deref(),
            Some("BSE:500325")
        );
        assert_eq!(screener("https://www.screener.in/screens/"), None);
    }
}
