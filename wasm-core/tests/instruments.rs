//! The sample instrument master parses, and page symbols resolve as the cases say.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{SAMPLE, sample};

use halo_core::instruments::{
    Exchange, Instrument, InstrumentMaster, Resolution, resolve, resolve_on,
};

fn found(page_symbol: &str) -> Instrument {
    match resolve(sample(), page_symbol) {
        Resolution::Found(instrument) => instrument,
        other => panic!("{page_symbol}: {other:?}"),
    }
}

#[test]
fn sample_parses_every_row() {
    assert_eq!(sample().len(), 9545);
    assert_eq!(sample().skipped(), 0);
}

#[test]
fn reliance_is_nse_2885_with_a_ten_paise_tick() {
    let reliance = sample().by_symbol(Exchange::Nse, "RELIANCE-EQ").unwrap();
    assert_eq!(reliance.token, "2885");
    assert_eq!(reliance.name, "RELIANCE");
    assert_eq!(reliance.tick_paise, 10);
    assert_eq!(reliance.lot_size, 1);
    assert_eq!(
        (reliance.strike_paise, reliance.expiry.as_deref()),
        (None, None)
    );
    assert!(!reliance.is_index() && !reliance.is_derivative());
    assert_eq!(sample().by_token(Exchange::Nse, "2885"), Some(reliance));
    assert_eq!(sample().by_token(Exchange::Bse, "2885"), None);
}

#[test]
fn resolving_plain_and_prefixed_symbols() {
    assert_eq!(found("NSE:RELIANCE").token, "2885");
    assert_eq!(found("RELIANCE").token, "2885");
    assert_eq!(found(" nse:reliance ").token, "2885");
    assert_eq!(found("NSE:SBIN").trading_symbol, "SBIN-EQ");
    assert_eq!(found("NSE:RELIANCE-EQ").token, "2885");
}

#[test]
fn case_o4_ampersand_and_hyphen_from_chart_tickers() {
    for page in ["NSE:M&M", "NSE:M_M", "NSE:M%26M", "NSE%3AM%26M"] {
        let instrument = found(page);
        assert_eq!(
            (
                instrument.trading_symbol.as_str(),
                instrument.token.as_str()
            ),
            ("M&M-EQ", "2031")
        );
    }
    for page in ["NSE:BAJAJ_AUTO", "NSE:BAJAJ-AUTO"] {
        let instrument = found(page);
        assert_eq!(
            (
                instrument.trading_symbol.as_str(),
                instrument.token.as_str()
            ),
            ("BAJAJ-AUTO-EQ", "16669")
        );
    }
}

#[test]
fn case_o4_two_candidates_ask_the_user() {
    let rows = vec![cash("A&B-EQ", "A&B", "1"), cash("A-B-EQ", "A-B", "2")];
    let master = InstrumentMaster::from_instruments(rows).unwrap();
    match resolve(&master, "NSE:A_B") {
        Resolution::Ambiguous(choices) => {
            let symbols: Vec<&str> = choices.iter().map(|c| c.trading_symbol.as_str()).collect();
            assert_eq!(symbols, ["A&B-EQ", "A-B-EQ"]);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn non_eq_series_are_found_by_name_and_two_series_are_ambiguous() {
    let one = InstrumentMaster::from_instruments(vec![cash("ISHAN-SM", "ISHAN", "7")]).unwrap();
    assert!(matches!(resolve(&one, "ISHAN"), Resolution::Found(row) if row.token == "7"));

    let two = vec![cash("XYZ-BE", "XYZ", "1"), cash("XYZ-SM", "XYZ", "2")];
    let two = InstrumentMaster::from_instruments(two).unwrap();
    assert!(matches!(resolve(&two, "NSE:XYZ"), Resolution::Ambiguous(rows) if rows.len() == 2));

    // EQ comes first when it exists, even with other series around.
    let with_eq = vec![cash("XYZ-BE", "XYZ", "1"), cash("XYZ-EQ", "XYZ", "3")];
    let with_eq = InstrumentMaster::from_instruments(with_eq).unwrap();
    assert!(matches!(resolve(&with_eq, "XYZ"), Resolution::Found(row) if row.token == "3"));
}

#[test]
fn indices_are_refused() {
    let nifty = sample().by_token(Exchange::Nse, "99926000").unwrap();
    assert!(nifty.is_index());
    assert_eq!(nifty.trading_symbol, "Nifty 50");
    // The old index token is typed as a cash row, with no tick: still an index.
    let legacy = sample().by_token(Exchange::Nse, "26000").unwrap();
    assert_eq!(
        (legacy.trading_symbol.as_str(), legacy.tick_paise),
        ("NIFTY", 0)
    );
    assert!(legacy.is_index());

    let pages = [
        "NSE:NIFTY",
        "NIFTY",
        "NSE:Nifty 50",
        "BSE:SENSEX",
        "NSE:BANKNIFTY",
        "MIDCPNIFTY",
    ];
    for page in pages {
        match resolve(sample(), page) {
            Resolution::NotTradable { reason } => {
                assert!(
                    reason.contains("index") && reason.contains("future or option"),
                    "{reason}"
                )
            }
            other => panic!("{page}: {other:?}"),
        }
    }
}

#[test]
fn exact_matches_only() {
    for page in [
        "NSE:RELIANC",
        "NSE:RELIANCEX",
        "NASDAQ:AAPL",
        "",
        "NSE:",
        "NSE:M",
    ] {
        assert!(
            matches!(resolve(sample(), page), Resolution::NotFound { .. }),
            "{page}"
        );
    }
    match resolve(sample(), "NASDAQ:AAPL") {
        Resolution::NotFound { symbol } => assert_eq!(symbol, "NASDAQ:AAPL"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn derivative_rows_by_exact_symbol() {
    let option = found("NFO:NIFTY28JUL2623500CE");
    assert_eq!(option.token, "63915");
    assert_eq!((option.lot_size, option.tick_paise), (65, 5));
    assert_eq!(option.strike_paise, Some(2_350_000));
    assert_eq!(option.expiry_iso().as_deref(), Some("2026-07-28"));
    assert!(option.is_derivative() && !option.is_index());

    let future = found("NFO:NIFTY28JUL26FUT");
    assert_eq!((future.strike_paise, future.tick_paise), (None, 10));
    assert!(future.is_derivative());

    // Mixed-case expiries in the file come out upper-cased.
    let april = sample().by_token(Exchange::Nfo, "45829").unwrap();
    assert_eq!(april.expiry.as_deref(), Some("04APR2024"));
    assert_eq!(april.expiry_iso().as_deref(), Some("2024-04-04"));
}

#[test]
fn case_o3_strike_units() {
    let json = r#"[
        {"token":"1","symbol":"NIFTY07MAR2422500CE","name":"NIFTY","expiry":"07MAR2024",
         "strike":"2250000.000000","lotsize":"75","instrumenttype":"OPTIDX","exch_seg":"NFO",
         "tick_size":"5.000000"},
        {"token":"2","symbol":"IDEA28MAR2417.5CE","name":"IDEA","expiry":"28MAR2024",
         "strike":"1750.000000","lotsize":"80000","instrumenttype":"OPTSTK","exch_seg":"NFO",
         "tick_size":"5.000000"},
        {"token":"3","symbol":"IDEA28MAR24FUT","name":"IDEA","expiry":"28MAR2024",
         "strike":"-1.000000","lotsize":"80000","instrumenttype":"FUTSTK","exch_seg":"NFO",
         "tick_size":"5.000000"}
    ]"#;
    let master = InstrumentMaster::parse(json).unwrap();

    let index_option = master.by_token(Exchange::Nfo, "1").unwrap();
    // 2250000 paise is 22500 rupees.
    assert_eq!(index_option.strike_paise, Some(2_250_000));
    assert_eq!(index_option.expiry_iso().as_deref(), Some("2024-03-07"));

    // 1750 paise is 17.50 rupees.
    assert_eq!(
        master.by_token(Exchange::Nfo, "2").unwrap().strike_paise,
        Some(1750)
    );
    assert_eq!(
        master.by_token(Exchange::Nfo, "3").unwrap().strike_paise,
        None
    );
}

#[test]
fn rows_with_and_without_the_newer_fields() {
    let json = r#"[
        {"token":"526","symbol":"BPCL-EQ","name":"BPCL","expiry":"","strike":"-1.000000",
         "lotsize":"1","instrumenttype":"","exch_seg":"NSE","tick_size":"5.000000",
         "freeze_qty":"321049","is_cas_enabled":true},
        {"token":"42494","symbol":"NIFTY05MAY2216400PE","name":"NIFTY","expiry":"05MAY2022",
         "strike":"1640000.000000","lotsize":"50","instrumenttype":"OPTIDX","exch_seg":"NFO",
         "tick_size":"5.000000"}
    ]"#;
    let master = InstrumentMaster::parse(json).unwrap();
    assert_eq!(master.len(), 2);
    assert_eq!(
        master
            .by_symbol(Exchange::Nse, "BPCL-EQ")
            .unwrap()
            .tick_paise,
        5
    );
    assert_eq!(
        master
            .by_symbol(Exchange::Nfo, "NIFTY05MAY2216400PE")
            .unwrap()
            .lot_size,
        50
    );
}

#[test]
fn case_o6_continuous_futures_need_the_date() {
    let on = |page: &str, today: u32| match resolve_on(sample(), page, today) {
        Resolution::Found(row) => row.trading_symbol,
        other => panic!("{page} on {today}: {other:?}"),
    };
    assert_eq!(on("NSE:NIFTY1!", 20260720), "NIFTY28JUL26FUT");
    assert_eq!(on("NSE:NIFTY2!", 20260720), "NIFTY25AUG26FUT");
    assert_eq!(on("NSE:NIFTY1!", 20260728), "NIFTY28JUL26FUT");
    assert_eq!(on("NSE:NIFTY1!", 20260729), "NIFTY25AUG26FUT");
    assert_eq!(
        resolve_on(sample(), "NSE:NIFTY1!", 20261001),
        Resolution::NotFound {
            symbol: "NSE:NIFTY1!".into()
        }
    );
    match resolve(sample(), "NSE:NIFTY1!") {
        Resolution::NotTradable { reason } => {
            assert!(reason.contains("contract month"), "{reason}")
        }
        other => panic!("{other:?}"),
    }
    // The index chart stays refused with a date too.
    assert!(matches!(
        resolve_on(sample(), "NSE:NIFTY", 20260720),
        Resolution::NotTradable { .. }
    ));
}

#[test]
fn case_o5_weekly_option_codes_resolve_only_when_the_master_has_them() {
    let option = |symbol: &str, token: &str| Instrument {
        exchange: Exchange::Nfo,
        instrument_type: "OPTIDX".into(),
        lot_size: 75,
        ..cash(symbol, "NIFTY", token)
    };
    let master = InstrumentMaster::from_instruments(vec![
        option("NIFTY16SEP2525050CE", "1"),
        option("BANKNIFTY20OCT2543500PE", "2"),
    ])
    .unwrap();
    assert!(
        matches!(resolve(&master, "NSE:NIFTY2591625050CE"), Resolution::Found(r) if r.token == "1")
    );
    assert!(
        matches!(resolve(&master, "BANKNIFTY25O2043500PE"), Resolution::Found(r) if r.token == "2")
    );
    // Well-formed code, but no such row in the sample: not found, never guessed.
    assert!(matches!(
        resolve(sample(), "NSE:NIFTY2591625050CE"),
        Resolution::NotFound { .. }
    ));
}

#[test]
fn nse_chart_of_an_nfo_contract() {
    let option = found("NSE:NIFTY28JUL2623500CE");
    assert_eq!(
        (option.exchange, option.token.as_str()),
        (Exchange::Nfo, "63915")
    );
}

#[test]
#[ignore = "timing; run with --release -- --ignored --nocapture"]
fn parse_time_of_the_sample() {
    let text = std::fs::read_to_string(SAMPLE).unwrap();
    let runs = 20;
    let start = std::time::Instant::now();
    for _ in 0..runs {
        assert_eq!(InstrumentMaster::parse(&text).unwrap().len(), 9545);
    }
    let each = start.elapsed() / runs;

    // Baseline: the same text into a generic JSON tree, with no indexing.
    let start = std::time::Instant::now();
    for _ in 0..runs {
        assert!(
            serde_json::from_str::<serde_json::Value>(&text)
                .unwrap()
                .is_array()
        );
    }
    let tree = start.elapsed() / runs;
    println!(
        "master: {} bytes in {each:?} per run (serde_json::Value: {tree:?})",
        text.len()
    );
}

fn cash(symbol: &str, name: &str, token: &str) -> Instrument {
    Instrument {
        token: token.into(),
        trading_symbol: symbol.into(),
        name: name.into(),
        exchange: Exchange::Nse,
        instrument_type: String::new(),
        expiry: None,
        strike_paise: None,
        lot_size: 1,
        tick_paise: 5,
        freeze_qty: None,
    }
}

#[test]
fn contracts_by_name_expiry_kind_and_strike() {
    use halo_core::instruments::ContractKind;
    let call = sample()
        .contract(
            Exchange::Nfo,
            "NIFTY",
            20260728,
            ContractKind::Call,
            2_350_000,
        )
        .unwrap();
    assert_eq!(call.trading_symbol, "NIFTY28JUL2623500CE");
    let put = sample().contract(
        Exchange::Nfo,
        "NIFTY",
        20220505,
        ContractKind::Put,
        1_640_000,
    );
    assert_eq!(put.unwrap().token, "42494");
    // The strike is ignored for a future.
    let future = sample().contract(Exchange::Nfo, "NIFTY", 20260825, ContractKind::Future, 7);
    assert_eq!(future.unwrap().trading_symbol, "NIFTY25AUG26FUT");
    // Mixed-case expiries in the file are indexed by date.
    let april = sample().contract(
        Exchange::Nfo,
        "NIFTY",
        20240404,
        ContractKind::Call,
        2_300_000,
    );
    assert_eq!(april.unwrap().token, "45829");

    for missing in [
        (
            Exchange::Nfo,
            "NIFTY",
            20260728,
            ContractKind::Put,
            2_350_000,
        ),
        (
            Exchange::Nfo,
            "NIFTY",
            20260728,
            ContractKind::Call,
            2_350_100,
        ),
        (
            Exchange::Bfo,
            "NIFTY",
            20260728,
            ContractKind::Call,
            2_350_000,
        ),
        (
            Exchange::Nfo,
            "NIFT",
            20260728,
            ContractKind::Call,
            2_350_000,
        ),
    ] {
        let (exchange, name, expiry, kind, strike) = missing;
        assert_eq!(
            sample().contract(exchange, name, expiry, kind, strike),
            None,
            "{missing:?}"
        );
    }

    let futures: Vec<&str> = sample()
        .futures(Exchange::Nfo, "NIFTY")
        .map(|row| row.trading_symbol.as_str())
        .collect();
    assert_eq!(
        futures,
        ["NIFTY28JUL26FUT", "NIFTY25AUG26FUT", "NIFTY29SEP26FUT"]
    );
}

#[test]
fn near_matches_are_offered_not_taken() {
    use halo_core::instruments::{MAX_NEAR_MATCHES, near_matches};
    // "RELIANC" is not resolved (exact matches only) but RELIANCE-EQ is offered.
    assert!(matches!(
        resolve(sample(), "NSE:RELIANC"),
        Resolution::NotFound { .. }
    ));
    let offered = near_matches(sample(), "NSE:RELIANC");
    assert!(
        offered
            .iter()
            .any(|row| row.trading_symbol == "RELIANCE-EQ"),
        "{offered:?}"
    );
    assert!(offered.len() <= MAX_NEAR_MATCHES);
    assert!(
        offered
            .iter()
            .all(|row| row.trading_symbol.starts_with("RELIANC"))
    );

    // Indices are never offered; short or foreign text offers nothing.
    assert!(
        near_matches(sample(), "NSE:Nifty")
            .iter()
            .all(|row| !row.is_index())
    );
    assert!(near_matches(sample(), "NSE:RE").is_empty());
    assert!(near_matches(sample(), "NASDAQ:AAPL").is_empty());
    // A chart ticker with `_` offers the `&` spelling.
    let mm = near_matches(sample(), "M_M");
    assert!(
        mm.iter().any(|row| row.trading_symbol == "M&M-EQ"),
        "{mm:?}"
    );
}

#[test]
fn other_series_carry_a_warning() {
    use halo_core::instruments::series_warning;
    let reliance = sample().by_symbol(Exchange::Nse, "RELIANCE-EQ").unwrap();
    assert_eq!(series_warning(reliance), None);
    let sme = cash("ISHAN-SM", "ISHAN", "7");
    let warning = series_warning(&sme).unwrap();
    assert!(
        warning.contains("ISHAN-SM") && warning.contains("SM series"),
        "{warning}"
    );
    let option = sample().by_token(Exchange::Nfo, "63915").unwrap();
    assert_eq!(series_warning(option), None);
}
