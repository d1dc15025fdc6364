//! Parsing Angel's `OpenAPIScripMaster.json` and looking rows up by token or symbol.

use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};
use thiserror::Error;

use super::{ContractKind, Exchange, Instrument, expiry_date};

/// The day's instrument master, indexed for lookups by token, by trading symbol and by
/// contract (name, expiry, kind, strike).
#[derive(Clone, Debug, Default)]
pub struct InstrumentMaster {
    instruments: Vec<Instrument>,
    /// Indices into `instruments`, sorted by (exchange, token).
    by_token: Vec<u32>,
    /// Indices into `instruments`, sorted by (exchange, trading symbol).
    by_symbol: Vec<u32>,
    /// Futures and options only, sorted by [`ContractKey`].
    by_contract: Vec<(ContractKey, u32)>,
    skipped: usize,
}

/// Where a derivative sits in the contract index: exchange, expiry, kind and strike. The
/// underlying's name is read through the row's index, so the key stays small and `Copy`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct ContractKey {
    exchange: Exchange,
    expiry_yyyymmdd: u32,
    kind: ContractKind,
    strike_paise: i64,
}

/// Why an instrument master could not be used.
#[derive(Clone, Debug, PartialEq, Eq, Error)]
#[non_exhaustive]
pub enum MasterError {
    /// The text is not a JSON array of objects.
    #[error(
        "The instrument master is not a JSON array of rows (stopped at line {line}, column \
         {column}); download it again"
    )]
    NotJson {
        /// Line where reading stopped.
        line: usize,
        /// Column where reading stopped.
        column: usize,
    },
    /// The array holds no row Halo can use.
    #[error("The instrument master has no usable rows; download it again")]
    Empty,
    /// More rows than the index can address (over four billion).
    #[error("The instrument master is too large to index")]
    TooLarge,
}

impl InstrumentMaster {
    /// Parses the master's JSON text. Rows with and without the newer `freeze_qty` and
    /// `is_cas_enabled` fields are both accepted; numbers may be strings or numbers. A row
    /// with an unknown exchange or without a token or symbol is skipped (see
    /// [`skipped`](Self::skipped)) rather than failing the whole file; an unreadable lot size
    /// or tick reads as 0, which order checks refuse.
    pub fn parse(json: &str) -> Result<InstrumentMaster, MasterError> {
        // Rows are converted one at a time as they are read: the full master is tens of MB,
        // and holding every raw row before converting it would double the peak memory.
        let mut deserializer = serde_json::Deserializer::from_str(json);
        let not_json = |error: serde_json::Error| MasterError::NotJson {
            line: error.line(),
            column: error.column(),
        };
        // Rows are flat objects, so there are at most as many rows as `{`; sizing the vector
        // once avoids the doubled copy a growing one would leave behind in wasm memory.
        let rows_at_most = json.bytes().filter(|byte| *byte == b'{').count();
        let (instruments, skipped) = deserializer
            .deserialize_seq(RowsVisitor { rows_at_most })
            .map_err(not_json)?;
        deserializer.end().map_err(not_json)?;

        let mut master = InstrumentMaster::from_instruments(instruments)?;
        master.skipped = skipped;
        Ok(master)
    }

    /// Builds a master from rows already in Halo's units (tests, a sandbox, a cache).
    pub fn from_instruments(instruments: Vec<Instrument>) -> Result<InstrumentMaster, MasterError> {
        if instruments.is_empty() {
            return Err(MasterError::Empty);
        }
        let count = u32::try_from(instruments.len()).map_err(|_| MasterError::TooLarge)?;

        let mut by_token: Vec<u32> = (0..count).collect();
        by_token.sort_by(|&a, &b| {
            let (a, b) = (&instruments[a as usize], &instruments[b as usize]);
            (a.exchange, a.token.as_str()).cmp(&(b.exchange, b.token.as_str()))
        });
        let mut by_symbol: Vec<u32> = (0..count).collect();
        by_symbol.sort_by(|&a, &b| {
            let (a, b) = (&instruments[a as usize], &instruments[b as usize]);
            (a.exchange, a.trading_symbol.as_str()).cmp(&(b.exchange, b.trading_symbol.as_str()))
        });
        let by_contract = contract_index(&instruments);

        Ok(InstrumentMaster {
            instruments,
            by_token,
            by_symbol,
            by_contract,
            skipped: 0,
        })
    }

    /// Number of usable rows.
    pub fn len(&self) -> usize {
        self.instruments.len()
    }

    /// True when there are no rows (never, for a parsed master).
    pub fn is_empty(&self) -> bool {
        self.instruments.is_empty()
    }

    /// Rows left out by [`parse`](Self::parse) because Halo could not use them.
    pub fn skipped(&self) -> usize {
        self.skipped
    }

    /// Every row, in the file's order.
    pub fn iter(&self) -> impl Iterator<Item = &Instrument> {
        self.instruments.iter()
    }

    /// The row with this token on this exchange (tokens are unique per exchange).
    pub fn by_token(&self, exchange: Exchange, token: &str) -> Option<&Instrument> {
        let key = (exchange, token.trim());
        self.equal_range(&self.by_token, |row| {
            (row.exchange, row.token.as_str()).cmp(&key)
        })
        .first()
        .map(|&index| &self.instruments[index as usize])
    }

    /// The row with exactly this trading symbol on this exchange (case-sensitive, as Angel
    /// spells it: `M&M-EQ`, `NIFTY28JUL26FUT`).
    pub fn by_symbol(&self, exchange: Exchange, trading_symbol: &str) -> Option<&Instrument> {
        self.all_by_symbol(exchange, trading_symbol).next()
    }

    /// Every row with exactly this trading symbol on this exchange.
    pub fn all_by_symbol(
        &self,
        exchange: Exchange,
        trading_symbol: &str,
    ) -> impl Iterator<Item = &Instrument> {
        let key = (exchange, trading_symbol.trim());
        self.equal_range(&self.by_symbol, |row| {
            (row.exchange, row.trading_symbol.as_str()).cmp(&key)
        })
        .iter()
        .map(|&index| &self.instruments[index as usize])
    }

    /// Rows on this exchange whose trading symbol starts with `prefix`, in symbol order.
    pub fn with_symbol_prefix<'m>(
        &'m self,
        exchange: Exchange,
        prefix: &'m str,
    ) -> impl Iterator<Item = &'m Instrument> + 'm {
        let start = self.by_symbol.partition_point(|index| {
            let row = &self.instruments[*index as usize];
            (row.exchange, row.trading_symbol.as_str()) < (exchange, prefix)
        });
        self.by_symbol[start..]
            .iter()
            .map(|index| &self.instruments[*index as usize])
            .take_while(move |row| {
                row.exchange == exchange && row.trading_symbol.starts_with(prefix)
            })
    }

    /// The contract `name` (`NIFTY`, `RELIANCE`) of this `kind` expiring on `expiry_yyyymmdd`
    /// (as `20260728`), with `strike_paise` for options (ignored for futures).
    pub fn contract(
        &self,
        exchange: Exchange,
        name: &str,
        expiry_yyyymmdd: u32,
        kind: ContractKind,
        strike_paise: i64,
    ) -> Option<&Instrument> {
        let strike_paise = if kind == ContractKind::Future {
            0
        } else {
            strike_paise
        };
        let key = ContractKey {
            exchange,
            expiry_yyyymmdd,
            kind,
            strike_paise,
        };
        let name = name.trim();
        let start = self.by_contract.partition_point(|(row_key, index)| {
            self.contract_order(*row_key, *index, key, name).is_lt()
        });
        self.by_contract[start..]
            .iter()
            .take_while(|(row_key, index)| self.contract_order(*row_key, *index, key, name).is_eq())
            .map(|(_, index)| &self.instruments[*index as usize])
            .next()
    }

    /// Every future of `name` on this exchange, nearest expiry first.
    pub fn futures<'m>(
        &'m self,
        exchange: Exchange,
        name: &'m str,
    ) -> impl Iterator<Item = &'m Instrument> + 'm {
        let name = name.trim();
        let start = self.by_contract.partition_point(|(key, index)| {
            (
                key.exchange,
                self.instruments[*index as usize].name.as_str(),
            ) < (exchange, name)
        });
        self.by_contract[start..]
            .iter()
            .take_while(move |(key, index)| {
                key.exchange == exchange && self.instruments[*index as usize].name == name
            })
            .filter(|(key, _)| key.kind == ContractKind::Future)
            .map(|(_, index)| &self.instruments[*index as usize])
    }

    fn contract_order(
        &self,
        row_key: ContractKey,
        index: u32,
        key: ContractKey,
        name: &str,
    ) -> Ordering {
        let row_name = self.instruments[index as usize].name.as_str();
        (
            row_key.exchange,
            row_name,
            row_key.expiry_yyyymmdd,
            row_key.kind,
            row_key.strike_paise,
        )
            .cmp(&(
                key.exchange,
                name,
                key.expiry_yyyymmdd,
                key.kind,
                key.strike_paise,
            ))
    }

    fn equal_range<'a>(
        &self,
        sorted: &'a [u32],
        order: impl Fn(&Instrument) -> Ordering,
    ) -> &'a [u32] {
        let row = |index: &u32| &self.instruments[*index as usize];
        let start = sorted.partition_point(|index| order(row(index)) == Ordering::Less);
        let end = sorted.partition_point(|index| order(row(index)) != Ordering::Greater);
        &sorted[start..end.max(start)]
    }
}

/// The contract index: every future and option with a readable expiry, in key order (name
/// between exchange and expiry, so one underlying's contracts sit together).
fn contract_index(instruments: &[Instrument]) -> Vec<(ContractKey, u32)> {
    let mut index: Vec<(ContractKey, u32)> = Vec::with_capacity(instruments.len());
    index.extend(instruments.iter().zip(0u32..).filter_map(|(row, at)| {
        let kind = row.contract_kind()?;
        let (year, month, day) = expiry_date(row.expiry.as_deref()?)?;
        let key = ContractKey {
            exchange: row.exchange,
            expiry_yyyymmdd: year * 10_000 + month * 100 + day,
            kind,
            strike_paise: if kind == ContractKind::Future {
                0
            } else {
                row.strike_paise.unwrap_or(0)
            },
        };
        Some((key, at))
    }));
    // Unstable: no scratch buffer, and every key carries its row, so equal keys cannot be.
    index.sort_unstable_by(|(a, a_at), (b, b_at)| {
        let (a_name, b_name) = (
            &instruments[*a_at as usize].name,
            &instruments[*b_at as usize].name,
        );
        (
            a.exchange,
            a_name,
            a.expiry_yyyymmdd,
            a.kind,
            a.strike_paise,
            a_at,
        )
            .cmp(&(
                b.exchange,
                b_name,
                b.expiry_yyyymmdd,
                b.kind,
                b.strike_paise,
                b_at,
            ))
    });
    index
}

/// Reads the top-level array row by row, converting each as it comes.
struct RowsVisitor {
    rows_at_most: usize,
}

impl<'de> Visitor<'de> for RowsVisitor {
    type Value = (Vec<Instrument>, usize);

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of instrument rows")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut rows: A) -> Result<Self::Value, A::Error> {
        let mut instruments = Vec::with_capacity(self.rows_at_most);
        let mut skipped = 0;
        while let Some(row) = rows.next_element::<Row<'de>>()? {
            match row.into_instrument() {
                Some(instrument) => instruments.push(instrument),
                None => skipped += 1,
            }
        }
        instruments.shrink_to_fit();
        Ok((instruments, skipped))
    }
}

/// One raw row. Strings borrow from the file where they can: the full master is tens of MB.
#[derive(Deserialize)]
struct Row<'a> {
    #[serde(borrow, default)]
    token: Text<'a>,
    #[serde(borrow, default)]
    symbol: Text<'a>,
    #[serde(borrow, default)]
    name: Text<'a>,
    #[serde(borrow, default)]
    expiry: Text<'a>,
    #[serde(borrow, default)]
    strike: Text<'a>,
    #[serde(borrow, default)]
    lotsize: Text<'a>,
    #[serde(borrow, default)]
    instrumenttype: Text<'a>,
    #[serde(borrow, default)]
    exch_seg: Text<'a>,
    #[serde(borrow, default)]
    tick_size: Text<'a>,
    #[serde(borrow, default)]
    freeze_qty: Text<'a>,
}

impl Row<'_> {
    fn into_instrument(self) -> Option<Instrument> {
        let exchange = Exchange::from_wire(&self.exch_seg.0)?;
        let token = self.token.0.trim();
        let trading_symbol = self.symbol.0.trim();
        if token.is_empty() || trading_symbol.is_empty() {
            return None;
        }
        // Some index rows say "-1"; a lot size Halo cannot read is 0, which orders refuse.
        let lot_size = whole_number(&self.lotsize.0)
            .and_then(|(lots, _)| u32::try_from(lots).ok())
            .unwrap_or(0);
        // TODO: currency rows carry fractional-paise ticks (0.25); they read as 0 (unpriced)
        // until Halo trades CDS and needs a finer unit.
        let tick_paise = match whole_number(&self.tick_size.0) {
            Some((ticks, true)) => u32::try_from(ticks).unwrap_or(0),
            _ => 0,
        };
        // Angel writes -1 for "not an option" and 0 for indices and commodity futures.
        let strike_paise = whole_number(&self.strike.0)
            .map(|(paise, _)| paise)
            .filter(|paise| *paise > 0);
        let expiry = Some(self.expiry.0.trim().to_ascii_uppercase()).filter(|e| !e.is_empty());
        // Older rows have no freeze_qty; "0" or junk also means the limit is not known.
        let freeze_qty = whole_number(&self.freeze_qty.0)
            .and_then(|(units, _)| u64::try_from(units).ok())
            .filter(|units| *units > 0);

        Some(Instrument {
            token: token.to_string(),
            trading_symbol: trading_symbol.to_string(),
            name: self.name.0.trim().to_string(),
            exchange,
            instrument_type: self.instrumenttype.0.trim().to_string(),
            expiry,
            strike_paise,
            lot_size,
            tick_paise,
            freeze_qty,
        })
    }
}

/// Reads a decimal like `"2250000.000000"` or `"-1.000000"` without floats: the value
/// rounded half up to a whole number, and whether it was whole to begin with.
fn whole_number(text: &str) -> Option<(i64, bool)> {
    let text = text.trim();
    let (negative, digits) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let all_digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) {
        return None;
    }

    let mut value: i64 = whole.parse().ok()?;
    if fraction
        .as_bytes()
        .first()
        .is_some_and(|digit| *digit >= b'5')
    {
        value = value.checked_add(1)?;
    }
    let exact = fraction.bytes().all(|b| b == b'0');
    Some((if negative { -value } else { value }, exact))
}

/// A scalar field as text: Angel sends strings, but a number or bool must not sink the file.
#[derive(Default)]
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        de.deserialize_any(TextVisitor)
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = Text<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string, number, bool or null")
    }

    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Borrowed(v)))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v.to_string())))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v)))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v.to_string())))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v.to_string())))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(format!("{v:.6}"))))
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Text(Cow::Owned(v.to_string())))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Text::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(Text::default())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_without_floats() {
        assert_eq!(whole_number("2250000.000000"), Some((2250000, true)));
        assert_eq!(whole_number("-1.000000"), Some((-1, true)));
        assert_eq!(whole_number("5"), Some((5, true)));
        assert_eq!(whole_number("0.250000"), Some((0, false)));
        assert_eq!(whole_number("7.500000"), Some((8, false)));
        assert_eq!(whole_number(""), None);
        assert_eq!(whole_number("abc"), None);
        assert_eq!(whole_number("1e5"), None);
        assert_eq!(whole_number(".5"), None);
    }

    #[test]
    fn numbers_and_missing_fields_are_tolerated() {
        let json = r#"[{"token":1594,"symbol":"INFY-EQ","name":"INFY","lotsize":1,
            "exch_seg":"NSE","tick_size":10.0,"instrumenttype":null,"extra":{"a":1}},
            {"token":"1","symbol":"X","exch_seg":"NYSE","lotsize":"1"},
            {"token":"","symbol":"Y","exch_seg":"NSE","lotsize":"1"},
            {"token":"3","symbol":"Z","exch_seg":"NSE","lotsize":"many"}]"#;
        let master = InstrumentMaster::parse(json).unwrap();
        assert_eq!(master.len(), 2);
        assert_eq!(master.skipped(), 2);
        assert_eq!(master.by_token(Exchange::Nse, "3").unwrap().lot_size, 0);
        let infy = master.by_token(Exchange::Nse, "1594").unwrap();
        assert_eq!(
            (infy.tick_paise, infy.lot_size, infy.strike_paise),
            (10, 1, None)
        );
    }

    #[test]
    fn freeze_quantity_is_kept_when_known() {
        let json = r#"[{"token":"2885","symbol":"RELIANCE-EQ","exch_seg":"NSE","lotsize":"1",
            "tick_size":"10.000000","freeze_qty":"67662"},
            {"token":"3045","symbol":"SBIN-EQ","exch_seg":"NSE","lotsize":"1"},
            {"token":"1594","symbol":"INFY-EQ","exch_seg":"NSE","lotsize":"1","freeze_qty":"0"},
            {"token":"11536","symbol":"TCS-EQ","exch_seg":"NSE","lotsize":"1","freeze_qty":1800}]"#;
        let master = InstrumentMaster::parse(json).unwrap();
        let freeze = |token: &str| master.by_token(Exchange::Nse, token).unwrap().freeze_qty;
        assert_eq!(freeze("2885"), Some(67662));
        assert_eq!(freeze("3045"), None);
        assert_eq!(freeze("1594"), None);
        assert_eq!(freeze("11536"), Some(1800));
    }

    #[test]
    fn not_an_array_is_an_error() {
        assert!(matches!(
            InstrumentMaster::parse("{}"),
            Err(MasterError::NotJson { .. })
        ));
        assert!(matches!(
            InstrumentMaster::parse("<html>"),
            Err(MasterError::NotJson { .. })
        ));
        assert_eq!(
            InstrumentMaster::parse("[]").unwrap_err(),
            MasterError::Empty
        );
    }
}
