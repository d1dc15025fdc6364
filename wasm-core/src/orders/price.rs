//! Rupee prices as typed, to and from integer paise.

use super::OrderError;

/// Reads a rupee price such as `2945.5` into paise (`294550`) with integer arithmetic only.
///
/// Refuses an empty field, a sign, more than two decimals, any comma (a decimal comma or a
/// thousands separator: "1,5" is not guessed to be 1.50 or 15) and anything else that is not a
/// plain decimal number.
pub fn parse_price_paise(text: &str) -> Result<u64, OrderError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(OrderError::PriceEmpty);
    }
    if text.starts_with('-') {
        return Err(OrderError::PriceNegative);
    }
    if text.contains(',') {
        return Err(OrderError::PriceComma);
    }

    let (rupees, paise) = text.split_once('.').unwrap_or((text, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    let well_formed = !rupees.is_empty() && digits(rupees) && digits(paise);
    if !well_formed || (text.contains('.') && paise.is_empty()) {
        return Err(OrderError::PriceNotANumber(text.chars().take(24).collect()));
    }
    if paise.len() > 2 {
        return Err(OrderError::PriceTooPrecise);
    }

    let rupees: u64 = rupees.parse().map_err(|_| OrderError::PriceTooLarge)?;
    // "5" after the point is 50 paise: pad to two digits before reading.
    let paise: u64 = format!("{paise:0<2}")
        .parse()
        .map_err(|_| OrderError::PriceTooLarge)?;
    rupees
        .checked_mul(100)
        .and_then(|whole| whole.checked_add(paise))
        .ok_or(OrderError::PriceTooLarge)
}

/// Writes paise as rupees with two decimals: `294550` is `"2945.50"`.
pub fn format_paise(paise: u64) -> String {
    format!("{}.{:02}", paise / 100, paise % 100)
}

/// Reads a rupee amount Angel sent as a JSON number (an order book's price, an LTP) into paise,
/// rounded to the nearest paisa; `None` for a negative, absurd or not-a-number amount. For
/// showing and pre-filling only: a price the trader types goes through [`parse_price_paise`].
pub fn rupees_to_paise(rupees: f64) -> Option<u64> {
    let paise = (rupees * 100.0).round();
    // `as` saturates; the range check keeps NaN and absurd values out instead of clamping.
    (0.0..1e15).contains(&paise).then_some(paise as u64)
}

/// Writes paise as rupees grouped the Indian way: `294550` is `"2,945.50"`, and lakhs read
/// `"1,23,456.00"`.
pub fn format_paise_grouped(paise: u64) -> String {
    let rupees = (paise / 100).to_string();
    let digits = rupees.as_bytes();
    let mut out = String::with_capacity(digits.len() + digits.len() / 2 + 3);
    // The last three digits form one group; every group before them has two.
    let head_len = digits.len().saturating_sub(3);
    for (i, digit) in digits.iter().enumerate() {
        if i > 0 && i <= head_len && (head_len - i).is_multiple_of(2) {
            out.push(',');
        }
        out.push(char::from(*digit));
    }
    format!("{out}.{:02}", paise % 100)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn prices_in_paise() {
        assert_eq!(parse_price_paise("2945.5"), Ok(294550));
        assert_eq!(parse_price_paise(" 812.35 "), Ok(81235));
        assert_eq!(parse_price_paise("812.3"), Ok(81230));
        assert_eq!(parse_price_paise("812"), Ok(81200));
        assert_eq!(parse_price_paise("0.05"), Ok(5));
        assert_eq!(parse_price_paise("007.10"), Ok(710));
    }

    #[test]
    fn refusals() {
        assert_eq!(parse_price_paise(""), Err(OrderError::PriceEmpty));
        assert_eq!(parse_price_paise("-1"), Err(OrderError::PriceNegative));
        assert_eq!(
            parse_price_paise("812.335"),
            Err(OrderError::PriceTooPrecise)
        );
        assert_eq!(
            parse_price_paise("99999999999999999999"),
            Err(OrderError::PriceTooLarge)
        );
        assert_eq!(
            parse_price_paise("184467440737095516.16"),
            Err(OrderError::PriceTooLarge)
        );
        for junk in [
            "abc",
            "+5",
            "1e3",
            ".5",
            "5.",
            "1.2.3",
            "12 34",
            "\u{20b9}5",
        ] {
            assert!(
                matches!(parse_price_paise(junk), Err(OrderError::PriceNotANumber(_))),
                "{junk}"
            );
        }
    }

    #[test]
    fn a_comma_is_refused_rather_than_guessed() {
        for typed in ["1,5", "2945,5", "1,234.50", "2,945.50", " 15, "] {
            assert_eq!(
                parse_price_paise(typed),
                Err(OrderError::PriceComma),
                "{typed}"
            );
        }
        assert_eq!(
            OrderError::PriceComma.to_string(),
            "Use a dot for paise, without commas: 2945.50"
        );
    }

    #[test]
    fn formatting() {
        assert_eq!(format_paise(294550), "2945.50");
        assert_eq!(format_paise(5), "0.05");
        assert_eq!(format_paise(0), "0.00");
        assert_eq!(format_paise(81230), "812.30");
        assert_eq!(format_paise_grouped(294_550), "2,945.50");
        assert_eq!(format_paise_grouped(5), "0.05");
        assert_eq!(format_paise_grouped(100_000), "1,000.00");
        assert_eq!(format_paise_grouped(12_345_600), "1,23,456.00");
        assert_eq!(format_paise_grouped(1_234_567_899), "1,23,45,678.99");
    }
}
