//! How the popup writes and reads numbers: rupees, quantities, codes, times.
//!
//! Prices travel as integer paise so that ₹2,945.50 never becomes 2945.4999. The popup reads
//! the price only to show the order back to the user; the worker validates it again against the
//! instrument's tick before anything is sent.

/// Rupees from the worker's LTP as paise, rounded to the nearest paisa.
pub fn rupees_to_paise(rupees: f64) -> Option<u64> {
    halo_core::orders::rupees_to_paise(rupees)
}

/// Paise as plain rupees for an input or a message: `294550` -> `2945.50`.
pub fn paise_plain(paise: u64) -> String {
    halo_core::orders::format_paise(paise)
}

/// Paise as rupees grouped the Indian way: `294550` -> `2,945.50`, lakhs as `1,23,456.00`.
pub fn paise_grouped(paise: u64) -> String {
    halo_core::orders::format_paise_grouped(paise)
}

/// Reads a price typed in rupees ("2945.5", "₹2945.50") as paise. A comma is refused, not
/// dropped: "1,5" (a decimal comma) would otherwise become ₹15.00.
pub fn parse_price_paise(text: &str) -> Result<u64, String> {
    let cleaned: String = text.trim().trim_start_matches('₹').to_owned();
    if cleaned.contains(',') {
        return Err(COMMA.to_owned());
    }
    let (whole, fraction) = cleaned.split_once('.').unwrap_or((&cleaned, ""));
    let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if cleaned.is_empty() || whole.is_empty() && fraction.is_empty() {
        return Err("Enter a price in rupees, such as 2945.50.".to_owned());
    }
    if !all_digits(whole) || !all_digits(fraction) {
        return Err(format!(
            "\"{}\" is not a price: use digits and one dot.",
            text.trim()
        ));
    }
    if fraction.len() > 2 {
        return Err("A price has at most two decimals (paise).".to_owned());
    }

    let rupees: u64 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| too_big())?
    };
    let paise: u64 = format!("{fraction:0<2}").parse().map_err(|_| too_big())?;
    let total = rupees
        .checked_mul(100)
        .and_then(|r| r.checked_add(paise))
        .ok_or_else(too_big)?;
    if total == 0 {
        return Err("Enter a price above zero.".to_owned());
    }
    Ok(total)
}

/// Why a price with a comma is refused; the same words as halo-core's.
const COMMA: &str = "Use a dot for paise, without commas: 2945.50";

/// "Price is 67% below the last price ₹151.90", when a limit price is more than 10% away from
/// the last traded price: most often a slip of a finger, a digit too many or too few. A warning
/// for the confirm step, never a refusal.
pub fn far_from_last_price(price_paise: u64, ltp_paise: u64) -> Option<String> {
    if price_paise == 0 || ltp_paise == 0 {
        return None;
    }
    let off = price_paise.abs_diff(ltp_paise);
    if off.saturating_mul(10) <= ltp_paise {
        return None;
    }
    let percent = off.saturating_mul(100).saturating_add(ltp_paise / 2) / ltp_paise;
    let direction = if price_paise > ltp_paise {
        "above"
    } else {
        "below"
    };
    Some(format!(
        "Price is {percent}% {direction} the last price ₹{}",
        paise_grouped(ltp_paise)
    ))
}

fn too_big() -> String {
    "That price is too large.".to_owned()
}

/// Reads the "Quantity" input: a whole number above zero.
pub fn parse_quantity(text: &str) -> Result<u32, String> {
    match text.trim().parse::<u32>() {
        Ok(quantity) if quantity > 0 => Ok(quantity),
        _ => Err("Quantity must be a whole number above zero.".to_owned()),
    }
}

/// A code split in two halves for reading ("005", "924"); the halves joined are the code.
pub fn code_halves(code: &str) -> (&str, &str) {
    let middle = code.len().div_ceil(2);
    if code.is_char_boundary(middle) {
        code.split_at(middle)
    } else {
        (code, "")
    }
}

/// `HH:MM` from hours and minutes.
pub fn hh_mm(hours: u32, minutes: u32) -> String {
    format!("{hours:02}:{minutes:02}")
}

/// Today's date in India (`YYYY-MM-DD`), the day an API key typed now was created.
pub fn today_ist() -> String {
    // IST is UTC+05:30 all year, so shifting the instant and reading UTC fields gives the
    // Indian day whatever the device's time zone; the worker checks dates the same way.
    let instant = js_sys::Date::now() + 330.0 * 60_000.0;
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(instant));
    format!(
        "{:04}-{:02}-{:02}",
        date.get_utc_full_year(),
        date.get_utc_month() + 1,
        date.get_utc_date()
    )
}

/// The local wall-clock time of a Unix timestamp in milliseconds, as `HH:MM`.
pub fn local_hh_mm(unix_ms: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(unix_ms));
    hh_mm(date.get_hours(), date.get_minutes())
}

/// The tick size for display: `10` paise -> `₹0.10`.
pub fn tick(tick_paise: u32) -> String {
    format!("₹{}", paise_plain(u64::from(tick_paise)))
}

/// Whether the page was opened as the popped-out window (`popup.html?window=1`).
pub fn is_popped_out_query(search: &str) -> bool {
    search
        .trim_start_matches('?')
        .split('&')
        .any(|pair| pair == "window=1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rupees_group_in_thousands_then_lakhs() {
        assert_eq!(paise_grouped(294_550), "2,945.50");
        assert_eq!(paise_grouped(5), "0.05");
        assert_eq!(paise_grouped(99_900), "999.00");
        assert_eq!(paise_grouped(100_000), "1,000.00");
        assert_eq!(paise_grouped(12_345_600), "1,23,456.00");
        assert_eq!(paise_grouped(1_234_567_899), "1,23,45,678.99");
    }

    #[test]
    fn ltp_becomes_paise() {
        assert_eq!(rupees_to_paise(2945.5), Some(294_550));
        // 0.1 + 0.2 style float noise must not lose a paisa.
        assert_eq!(rupees_to_paise(1.15), Some(115));
        assert_eq!(rupees_to_paise(-1.0), None);
        assert_eq!(rupees_to_paise(f64::NAN), None);
        assert_eq!(paise_plain(294_550), "2945.50");
        assert_eq!(paise_plain(7), "0.07");
    }

    #[test]
    fn prices_are_read_in_paise() {
        assert_eq!(parse_price_paise("2945.5"), Ok(294_550));
        assert_eq!(parse_price_paise("₹2945.50"), Ok(294_550));
        for typed in ["1,5", "2945,5", " 2,945.50 "] {
            assert_eq!(
                parse_price_paise(typed),
                Err("Use a dot for paise, without commas: 2945.50".to_owned()),
                "{typed}"
            );
        }
        assert_eq!(parse_price_paise("₹100"), Ok(10_000));
        assert_eq!(parse_price_paise(".05"), Ok(5));
        assert_eq!(parse_price_paise("12."), Ok(1_200));
        assert_eq!(
            parse_price_paise("2945.505"),
            Err("A price has at most two decimals (paise).".to_owned())
        );
        assert_eq!(
            parse_price_paise("-5"),
            Err("\"-5\" is not a price: use digits and one dot.".to_owned())
        );
        assert_eq!(
            parse_price_paise(""),
            Err("Enter a price in rupees, such as 2945.50.".into())
        );
        assert_eq!(
            parse_price_paise("."),
            Err("Enter a price in rupees, such as 2945.50.".into())
        );
        assert_eq!(
            parse_price_paise("0.00"),
            Err("Enter a price above zero.".to_owned())
        );
        assert_eq!(parse_price_paise("99999999999999999999"), Err(too_big()));
    }

    #[test]
    fn quantities() {
        assert_eq!(parse_quantity(" 25 "), Ok(25));
        assert!(parse_quantity("0").is_err());
        assert!(parse_quantity("1.5").is_err());
        assert!(parse_quantity("").is_err());
    }

    #[test]
    fn codes_split_in_halves() {
        assert_eq!(code_halves("005924"), ("005", "924"));
        assert_eq!(code_halves("12345678"), ("1234", "5678"));
        assert_eq!(code_halves("1234567"), ("1234", "567"));
    }

    #[test]
    fn times_and_ticks() {
        assert_eq!(hh_mm(9, 5), "09:05");
        assert_eq!(tick(10), "₹0.10");
        assert_eq!(tick(5), "₹0.05");
    }

    #[test]
    fn popped_out_query() {
        assert!(is_popped_out_query("?window=1"));
        assert!(is_popped_out_query("?a=b&window=1"));
        assert!(!is_popped_out_query(""));
        assert!(!is_popped_out_query("?window=10"));
    }

    #[test]
    fn a_price_far_from_the_last_one_is_pointed_out() {
        assert_eq!(
            far_from_last_price(5_000, 15_190).as_deref(),
            Some("Price is 67% below the last price ₹151.90")
        );
        assert_eq!(
            far_from_last_price(2_945_500, 294_550).as_deref(),
            Some("Price is 900% above the last price ₹2,945.50")
        );
        assert_eq!(
            far_from_last_price(16_709, 15_190),
            None,
            "exactly 10% above"
        );
        assert_eq!(
            far_from_last_price(16_710, 15_190).as_deref(),
            Some("Price is 10% above the last price ₹151.90")
        );
        assert_eq!(far_from_last_price(15_000, 15_190), None);
        assert_eq!(
            far_from_last_price(15_000, 0),
            None,
            "no last price, no warning"
        );
    }
}
