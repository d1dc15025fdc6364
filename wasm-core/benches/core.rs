//! Speed figures for the work a trader waits on: unlocking the vault (Argon2id at the default
//! parameters), parsing and indexing the instrument master, resolving a chart symbol, and
//! generating a code. Run with `./build.sh bench`; the median of several runs is printed.
//!
//! A plain `main` rather than a benchmark framework: each figure is a wall-clock median that a
//! person compares with a target, not a statistical regression test.

use std::hint::black_box;
use std::time::{Duration, Instant};

use halo_core::instruments::{InstrumentMaster, resolve};
use halo_core::totp::{TotpParams, TotpSecret, code_at};
use halo_core::vault::{KdfParams, derive_key};

const MASTER: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/instruments/scrip_master_sample.json"
));

/// Runs `work` `runs` times and returns the median duration.
fn median(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn report(what: &str, target: &str, took: Duration) {
    println!(
        "{what:<48} {:>10.3} ms   (target {target})",
        took.as_secs_f64() * 1e3
    );
}

fn main() {
    let kdf = KdfParams::default();
    let took = median(5, || {
        black_box(derive_key("correct horse battery staple", &kdf, &[7; 16]).is_ok());
    });
    report(
        "vault unlock: Argon2id 64 MiB, t=3, p=1",
        "< 1000 ms native",
        took,
    );

    let took = median(7, || {
        black_box(
            InstrumentMaster::parse(MASTER)
                .map(|m| m.len())
                .unwrap_or(0),
        );
    });
    let rows = InstrumentMaster::parse(MASTER)
        .map(|m| m.len())
        .unwrap_or(0);
    report(
        &format!("instrument master: parse + index {rows} rows"),
        "< 100 ms",
        took,
    );

    if let Ok(master) = InstrumentMaster::parse(MASTER) {
        let took = median(101, || {
            for symbol in ["NSE:RELIANCE", "NSE:M_M", "NSE:BAJAJ_AUTO", "NSE:SBIN"] {
                black_box(resolve(&master, symbol));
            }
        });
        report("resolve 4 chart symbols", "< 1 ms", took);
    }

    if let Ok(secret) = TotpSecret::parse("GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ") {
        let params = TotpParams::default();
        let took = median(101, || {
            for step in 0..1000u64 {
                black_box(code_at(&secret, &params, 1_700_000_000 + step * 30).is_ok());
            }
        });
        report("1000 TOTP codes", "< 10 ms", took);
    }
}
