//! A full-size instrument master for rehearsals and benchmarks (`--instruments-scale N`).
//!
//! Angel's daily file has about 150k rows and weighs 30-40 MB; the real rows Halo ships are
//! its first 2 MB (NSE cash) plus a few dozen derivatives. This module keeps every real row
//! and adds derivatives and BSE cash rows built from them: underlyings are real NSE names,
//! lot sizes, ticks and freeze quantities are drawn from the real rows, and symbols, strikes
//! and expiries follow Angel's spelling and NSE's calendar. The output depends only on the
//! real rows, the scale and the day, so a test sees the same file every run of a day.
//!
//! Nothing generated is a real contract: prices are ballpark levels, not market data.

use std::collections::HashSet;
use std::fmt::Write as _;

use anyhow::Context;
use halo_core::instruments::calendar::{civil_from_days, days_of_yyyymmdd, weekday};
use serde_json::Value;

/// Rows at scale 1, about the size of Angel's real 2025-26 master.
pub const FULL_SIZE_ROWS: usize = 160_000;

const MONTHS: [&str; 12] = [
    "JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC",
];

/// Index option families: name, ballpark level in rupees, strike step in rupees, weekly
/// expiry weekday (0 Monday) or `None` for monthly only, exchange. Levels are round
/// numbers near where these indices traded in 2025-26, not quotes.
const INDEX_FAMILIES: [(&str, i64, i64, Option<i64>, &str); 7] = [
    ("NIFTY", 26_000, 50, Some(1), "NFO"),
    ("BANKNIFTY", 59_000, 100, None, "NFO"),
    ("FINNIFTY", 27_500, 50, None, "NFO"),
    ("MIDCPNIFTY", 13_500, 25, None, "NFO"),
    ("NIFTYNXT50", 70_000, 100, None, "NFO"),
    ("SENSEX", 85_000, 100, Some(3), "BFO"),
    ("BANKEX", 65_000, 100, None, "BFO"),
];

/// MCX commodities: name, ballpark level in rupees, strike step, lot, tick in paise.
const COMMODITIES: [(&str, i64, i64, u32, u32); 6] = [
    ("GOLD", 130_000, 500, 100, 100),
    ("SILVER", 160_000, 1_000, 30, 100),
    ("CRUDEOIL", 5_600, 50, 100, 100),
    ("NATURALGAS", 320, 5, 1_250, 10),
    ("COPPER", 1_000, 5, 2_500, 5),
    ("ZINC", 280, 2, 5_000, 5),
];

/// Stock underlyings with futures and options, about NSE's F&O list.
const STOCK_UNDERLYINGS: usize = 210;
/// Monthly expiries listed at once (near, next, far), as NSE does.
const MONTHLY_EXPIRIES: usize = 3;

/// The real rows followed by generated ones, as one JSON array in Angel's format.
///
/// `scale` 1.0 gives about [`FULL_SIZE_ROWS`] rows; 0.1 a tenth of the generated ones.
/// `today` (as `20261203`) places the expiries: the generated contracts are live that day.
pub fn generate(real_json: &str, scale: f64, today: u32) -> anyhow::Result<String> {
    anyhow::ensure!(
        scale.is_finite() && scale > 0.0 && scale <= 10.0,
        "--instruments-scale must be above 0 and at most 10 (1 is the real master's size)"
    );
    let real: Vec<Value> =
        serde_json::from_str(real_json).context("the real instrument rows are not a JSON array")?;
    let mut builder = Builder::new(&real, today);
    let target = ((FULL_SIZE_ROWS as f64) * scale).round() as usize;
    let budget = target.saturating_sub(real.len());

    // Shares of the generated rows, by family, close to the real master's mix.
    builder.stock_derivatives(budget * 56 / 100);
    builder.index_options(budget * 26 / 100);
    builder.bse_cash(budget * 9 / 100);
    builder.commodities(budget * 9 / 100);

    let mut out = String::with_capacity(target * 240);
    out.push('[');
    for (at, row) in real.iter().enumerate() {
        if at > 0 {
            out.push_str(", ");
        }
        out.push_str(&serde_json::to_string(row).context("a real row could not be written")?);
    }
    for row in &builder.rows {
        out.push_str(", ");
        out.push_str(row);
    }
    out.push(']');
    Ok(out)
}

/// The facts about the real rows that generated rows are drawn from.
struct Builder {
    rng: SplitMix,
    today_days: i64,
    /// Real NSE equity names with their freeze quantity and tick (paise), in file order.
    equities: Vec<(String, u64, u32)>,
    /// Lot sizes of the real derivative rows.
    derivative_lots: Vec<u32>,
    /// Symbols already present per exchange, so no generated symbol shadows a real one.
    taken: HashSet<(String, String)>,
    next_token: std::collections::HashMap<String, u64>,
    rows: Vec<String>,
}

impl Builder {
    fn new(real: &[Value], today: u32) -> Builder {
        let text = |row: &Value, key: &str| {
            row.get(key)
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_owned()
        };
        let mut equities = Vec::new();
        let mut derivative_lots = Vec::new();
        let mut taken = HashSet::new();
        let mut next_token = std::collections::HashMap::new();
        for row in real {
            let (exchange, symbol) = (text(row, "exch_seg"), text(row, "symbol"));
            let token: u64 = text(row, "token").parse().unwrap_or(0);
            let next = next_token.entry(exchange.clone()).or_insert(0);
            *next = (*next).max(token + 1);
            let kind = text(row, "instrumenttype");
            if exchange == "NSE" && symbol.ends_with("-EQ") {
                let freeze = text(row, "freeze_qty").parse().unwrap_or(0);
                let tick = whole(&text(row, "tick_size")).max(1) as u32;
                equities.push((text(row, "name"), freeze, tick));
            }
            if kind.starts_with("OPT") || kind.starts_with("FUT") {
                derivative_lots.push(text(row, "lotsize").parse().unwrap_or(1).max(1));
            }
            taken.insert((exchange, symbol));
        }
        if derivative_lots.is_empty() {
            derivative_lots.push(1);
        }
        Builder {
            rng: SplitMix(0x4841_4c4f_5f4d_4153),
            today_days: days_of_yyyymmdd(today),
            equities,
            derivative_lots,
            taken,
            next_token,
            rows: Vec::new(),
        }
    }

    /// Futures and options on the most liquid-looking real equities (the highest freeze
    /// quantities), three monthly expiries, strikes around a made-up price.
    fn stock_derivatives(&mut self, budget: usize) {
        let mut names: Vec<(String, u64, u32)> = self.equities.clone();
        names.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        names.truncate(STOCK_UNDERLYINGS);
        if names.is_empty() {
            return;
        }
        let expiries = self.monthly_expiries(1, MONTHLY_EXPIRIES);
        let per_chain = (budget / (names.len() * expiries.len())).max(3);
        // Two sides of `strikes_per_side` strikes each side of the money, plus the future.
        let strikes_per_side = per_chain.div_ceil(4).max(1);
        for (name, _, tick) in names {
            let level = 100 + (self.rng.next() % 4_900) as i64;
            let step = nice_step(level);
            // Stock lots are larger than the index lots the real rows show, by a factor that
            // keeps one lot's value in the lakhs, as SEBI's minimum contract size requires.
            let base_lot = self.pick_lot();
            let lot = ((500_000 / level.max(1)) as u32 / base_lot).max(1) * base_lot;
            for &expiry in &expiries {
                self.future("NFO", &name, expiry, lot, tick.max(5), "FUTSTK");
                self.option_chain(
                    "NFO",
                    &name,
                    expiry,
                    level,
                    step,
                    strikes_per_side,
                    lot,
                    "OPTSTK",
                );
            }
        }
    }

    /// Weekly and monthly index options on NFO and BFO, plus their futures.
    fn index_options(&mut self, budget: usize) {
        let mut chains = Vec::new();
        for (name, level, step, weekly_day, exchange) in INDEX_FAMILIES {
            let expiries = match weekly_day {
                Some(day) => self.weekly_expiries(day, 8),
                None => self.monthly_expiries(1, MONTHLY_EXPIRIES),
            };
            chains.push((name, level, step, exchange, expiries));
        }
        let chain_count: usize = chains.iter().map(|chain| chain.4.len()).sum();
        let strikes_per_side = budget.div_ceil(chain_count.max(1) * 4).max(1);
        for (name, level, step, exchange, expiries) in chains {
            let lot = self.pick_lot();
            for expiry in self.monthly_expiries(1, MONTHLY_EXPIRIES) {
                self.future(exchange, name, expiry, lot, 10, "FUTIDX");
            }
            for expiry in expiries {
                self.option_chain(
                    exchange,
                    name,
                    expiry,
                    level,
                    step,
                    strikes_per_side,
                    lot,
                    "OPTIDX",
                );
            }
        }
    }

    /// BSE cash rows for real NSE names; BSE symbols carry no series suffix.
    fn bse_cash(&mut self, budget: usize) {
        let names: Vec<(String, u64, u32)> = self.equities.iter().take(budget).cloned().collect();
        for (name, freeze, tick) in names {
            let token = self.token("BSE", 500_000);
            let row = format!(
                "{{\"token\": \"{token}\", \"symbol\": {symbol}, \"name\": {symbol}, \
                 \"expiry\": \"\", \"strike\": \"-1.000000\", \"lotsize\": \"1\", \
                 \"instrumenttype\": \"\", \"exch_seg\": \"BSE\", \
                 \"tick_size\": \"{tick}.000000\", \"freeze_qty\": \"{freeze}\", \
                 \"is_cas_enabled\": true}}",
                symbol = quoted(&name),
            );
            self.push("BSE", &name, row);
        }
    }

    /// MCX futures and options on the underlying futures.
    fn commodities(&mut self, budget: usize) {
        let expiries = self.monthly_expiries(0, 6);
        let chains = COMMODITIES.len() * expiries.len();
        let strikes_per_side = budget.div_ceil(chains.max(1) * 4).max(1);
        for (name, level, step, lot, tick) in COMMODITIES {
            for &expiry in &expiries {
                self.future("MCX", name, expiry, lot, tick, "FUTCOM");
                self.option_chain(
                    "MCX",
                    name,
                    expiry,
                    level,
                    step,
                    strikes_per_side,
                    lot,
                    "OPTFUT",
                );
            }
        }
    }

    fn future(&mut self, exchange: &str, name: &str, expiry: i64, lot: u32, tick: u32, kind: &str) {
        let symbol = format!("{name}{}FUT", short_date(expiry));
        let token = self.token(exchange, 100_000);
        let row = derivative_row(
            &token, &symbol, name, expiry, None, lot, kind, exchange, tick,
        );
        self.push(exchange, &symbol, row);
    }

    #[allow(clippy::too_many_arguments)]
    fn option_chain(
        &mut self,
        exchange: &str,
        name: &str,
        expiry: i64,
        level: i64,
        step: i64,
        strikes_per_side: usize,
        lot: u32,
        kind: &str,
    ) {
        let at_the_money = level - level % step.max(1);
        let reach = strikes_per_side as i64;
        for offset in -reach..=reach {
            let strike = at_the_money + offset * step;
            if strike <= 0 {
                continue;
            }
            for side in ["CE", "PE"] {
                let symbol = format!("{name}{}{strike}{side}", short_date(expiry));
                let token = self.token(exchange, 100_000);
                let row = derivative_row(
                    &token,
                    &symbol,
                    name,
                    expiry,
                    Some(strike),
                    lot,
                    kind,
                    exchange,
                    5,
                );
                self.push(exchange, &symbol, row);
            }
        }
    }

    /// The last `weekday_of_expiry` (0 Monday) of each of the next `count` months, this month's
    /// included while it is still ahead. NSE's monthly contracts expire on the last Tuesday
    /// since September 2025; MCX's dates differ by commodity, and the last Monday stands in.
    fn monthly_expiries(&self, weekday_of_expiry: i64, count: usize) -> Vec<i64> {
        let (year, month, _) = civil_from_days(self.today_days);
        let mut out = Vec::new();
        let mut offset = 0;
        while out.len() < count {
            let months = year * 12 + (month - 1) + offset;
            let (y, m) = (months / 12, months % 12 + 1);
            let first_of_next = days_from_month(y, m + 1);
            let mut last = first_of_next - 1;
            while weekday(last) != weekday_of_expiry {
                last -= 1;
            }
            if last >= self.today_days {
                out.push(last);
            }
            offset += 1;
        }
        out
    }

    /// The next `count` dates falling on `weekday_of_expiry`, from today.
    fn weekly_expiries(&self, weekday_of_expiry: i64, count: usize) -> Vec<i64> {
        let mut first = self.today_days;
        while weekday(first) != weekday_of_expiry {
            first += 1;
        }
        (0..count as i64).map(|week| first + 7 * week).collect()
    }

    fn pick_lot(&mut self) -> u32 {
        let at = (self.rng.next() % self.derivative_lots.len() as u64) as usize;
        self.derivative_lots[at]
    }

    fn token(&mut self, exchange: &str, floor: u64) -> String {
        let next = self.next_token.entry(exchange.to_owned()).or_insert(floor);
        *next = (*next).max(floor);
        let token = *next;
        // Real tokens are not consecutive; small gaps keep generated ones looking alike.
        *next += 1 + self.rng.next() % 3;
        token.to_string()
    }

    fn push(&mut self, exchange: &str, symbol: &str, row: String) {
        if self.taken.insert((exchange.to_owned(), symbol.to_owned())) {
            self.rows.push(row);
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn derivative_row(
    token: &str,
    symbol: &str,
    name: &str,
    expiry: i64,
    strike_rupees: Option<i64>,
    lot: u32,
    kind: &str,
    exchange: &str,
    tick: u32,
) -> String {
    let strike = match strike_rupees {
        Some(rupees) => format!("{}.000000", rupees * 100),
        None => "-1.000000".to_owned(),
    };
    let mut row = String::with_capacity(240);
    // Writing to a String cannot fail.
    let _ = write!(
        row,
        "{{\"token\": \"{token}\", \"symbol\": {}, \"name\": {}, \"expiry\": \"{}\", \
         \"strike\": \"{strike}\", \"lotsize\": \"{lot}\", \"instrumenttype\": \"{kind}\", \
         \"exch_seg\": \"{exchange}\", \"tick_size\": \"{tick}.000000\", \
         \"freeze_qty\": \"{}\", \"is_cas_enabled\": false}}",
        quoted(symbol),
        quoted(name),
        long_date(expiry),
        u64::from(lot) * 24,
    );
    row
}

/// Day count of the first day of a month; month 13 is January of the next year.
fn days_from_month(year: i64, month: i64) -> i64 {
    let (year, month) = if month > 12 {
        (year + 1, month - 12)
    } else {
        (year, month)
    };
    halo_core::instruments::calendar::days_from_civil(year, month, 1)
}

/// `28JUL26`, as in Angel's trading symbols.
fn short_date(days: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    format!("{day:02}{}{:02}", MONTHS[(month - 1) as usize], year % 100)
}

/// `28JUL2026`, as in Angel's `expiry` field.
fn long_date(days: i64) -> String {
    let (year, month, day) = civil_from_days(days);
    format!("{day:02}{}{year}", MONTHS[(month - 1) as usize])
}

/// A strike step that reads like an exchange's for a price in rupees.
fn nice_step(level: i64) -> i64 {
    match level {
        ..=250 => 2,
        251..=500 => 5,
        501..=1_000 => 10,
        1_001..=2_500 => 20,
        _ => 50,
    }
}

/// The whole part of a decimal such as `"5.000000"`.
fn whole(text: &str) -> i64 {
    text.split('.')
        .next()
        .and_then(|whole| whole.parse().ok())
        .unwrap_or(0)
}

fn quoted(text: &str) -> String {
    serde_json::Value::from(text).to_string()
}

/// SplitMix64: a tiny fixed generator, so the same inputs give the same file on every run
/// and platform.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use halo_core::instruments::{ContractKind, Exchange, InstrumentMaster};

    const REAL: &str = include_str!("../../../tests/fixtures/instruments/scrip_master_sample.json");

    #[test]
    fn a_tenth_of_full_size_keeps_the_real_rows_and_is_deterministic() {
        let text = generate(REAL, 0.1, 20261203).unwrap();
        assert_eq!(text, generate(REAL, 0.1, 20261203).unwrap());
        let master = InstrumentMaster::parse(&text).unwrap();
        assert_eq!(master.skipped(), 0);
        assert!(
            (15_000..=21_000).contains(&master.len()),
            "{}",
            master.len()
        );

        let reliance = master.by_symbol(Exchange::Nse, "RELIANCE-EQ").unwrap();
        assert_eq!(reliance.token, "2885");
        // Tokens stay unique per exchange: the token index finds each row itself.
        for row in master.iter() {
            assert_eq!(
                master.by_token(row.exchange, &row.token),
                Some(row),
                "{row:?}"
            );
        }
        // The front NIFTY future and an at-the-money weekly option are live on the day.
        let front = master.futures(Exchange::Nfo, "NIFTY").find(|row| {
            row.expiry_iso()
                .is_some_and(|iso| iso.as_str() >= "2026-12-03")
        });
        assert_eq!(front.unwrap().trading_symbol, "NIFTY29DEC26FUT");
        let weekly = master.contract(
            Exchange::Nfo,
            "NIFTY",
            20261208,
            ContractKind::Call,
            2_600_000,
        );
        assert_eq!(weekly.unwrap().trading_symbol, "NIFTY08DEC2626000CE");
    }

    #[test]
    fn full_size_is_about_the_real_masters() {
        let text = generate(REAL, 1.0, 20261203).unwrap();
        let master = InstrumentMaster::parse(&text).unwrap();
        assert!(master.len() >= 150_000, "{} rows", master.len());
        assert!(
            (30_000_000..=45_000_000).contains(&text.len()),
            "{} bytes",
            text.len()
        );
    }

    #[test]
    fn absurd_scales_are_refused() {
        for scale in [0.0, -1.0, f64::NAN, 11.0] {
            assert!(generate(REAL, scale, 20261203).is_err(), "{scale}");
        }
    }
}
