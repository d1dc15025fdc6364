//! `halo sandbox`: a local broker on 127.0.0.1 that speaks Angel One SmartAPI's wire format.
//!
//! It serves SmartAPI's paths with Angel's envelopes and error codes, logs made-up accounts in
//! with MPIN and TOTP, accepts orders and lets them fill or reject as Angel's RMS would, and
//! serves the instrument master at Angel's path. Pointing a client's API root and master URL
//! at it is all a rehearsal or a test needs. Nothing it says about prices is real.

mod accounts;
mod clock;
mod faults;
mod full_master;
mod gateway;
mod ids;
mod limits;
mod login;
mod market;
mod orders;
mod positions;
mod publisher;
mod reply;
mod routes;
mod state;
mod trading;

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use axum::body::Bytes;
use halo_core::instruments::{InstrumentMaster, india_day_yyyymmdd};
use tokio::net::TcpListener;

use accounts::{LoginAccount, check_accounts, demo_account, parse_accounts};
use state::SandboxState;

/// The real instrument-master rows the sandbox serves unless `--instruments` replaces them.
const EMBEDDED_MASTER: &str =
    include_str!("../../tests/fixtures/instruments/scrip_master_sample.json");

/// Options of `halo sandbox`.
#[derive(Debug, clap::Args)]
pub struct SandboxArgs {
    /// Port to listen on at 127.0.0.1; 0 picks a free one (the ready line says which).
    #[arg(long)]
    port: u16,

    /// JSON array of {clientcode, mpin, totp_secret, api_key, name}, each optionally with
    /// platform ("SMART_API" or "SMART_API_M") and redirect_url; without it, one demo
    /// account: DEMO01 / 1234 / JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP / sandbox-api-key.
    #[arg(long, value_name = "FILE")]
    accounts: Option<PathBuf>,

    /// An instrument master in Angel's OpenAPIScripMaster.json format, replacing the built-in
    /// sample of real rows.
    #[arg(long, value_name = "FILE")]
    instruments: Option<PathBuf>,

    /// Serve a full-size master generated from the real rows (or `--instruments`): 1 is the
    /// real file's size (about 160k rows, 35 MB), 0.1 a tenth of it.
    #[arg(long, value_name = "N")]
    instruments_scale: Option<f64>,

    /// Milliseconds a valid order stays open before it is complete (orders of two lots or
    /// more are half filled half-way through).
    #[arg(long, value_name = "MS", default_value_t = 1500)]
    fill_after_ms: u64,

    /// Refuse requests above Angel's documented rates with Angel's plain-text reply, as the
    /// real gateway does. Off by default so that scripts may poll freely.
    #[arg(long)]
    rate_limits: bool,

    /// Run the sandbox's clock this many seconds ahead of this machine's (negative: behind),
    /// in its TOTP checks and its Date header, to rehearse a client whose clock is off.
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 0,
        allow_negative_numbers = true
    )]
    clock_offset: i64,
}

/// Runs the sandbox until Ctrl-C or SIGTERM.
///
/// Once listening it prints exactly `halo sandbox listening on http://127.0.0.1:PORT` on
/// stdout; scripts wait for that line and read the port from it.
pub async fn run(args: SandboxArgs) -> anyhow::Result<()> {
    let accounts = load_accounts(args.accounts.as_deref())?;
    let (master, master_json) = load_master(args.instruments.as_deref(), args.instruments_scale)?;
    let fill_after = Duration::from_millis(args.fill_after_ms);
    let mut state = SandboxState::new(accounts, master, master_json, fill_after)?;
    state.clock_offset_secs = args.clock_offset;
    state.rate_limits = args.rate_limits;

    // Loopback only: the sandbox takes made-up credentials and must not be reachable from
    // the network.
    let listener = TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, args.port)))
        .await
        .with_context(|| format!("cannot listen on 127.0.0.1 port {}", args.port))?;
    let port = listener
        .local_addr()
        .context("cannot read the port listened on")?
        .port();
    let stop = watch_stop_signals()?;
    announce(port)?;

    axum::serve(listener, routes::router(Arc::new(state)))
        .with_graceful_shutdown(stop)
        .await
        .context("the sandbox server failed")?;
    tracing::info!("sandbox stopped");
    Ok(())
}

fn announce(port: u16) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    writeln!(stdout, "halo sandbox listening on http://127.0.0.1:{port}")
        .and_then(|()| stdout.flush())
        .context("cannot write the ready line to stdout")?;
    tracing::info!(port, "sandbox ready");
    Ok(())
}

fn load_accounts(path: Option<&Path>) -> anyhow::Result<Vec<LoginAccount>> {
    let Some(path) = path else {
        tracing::info!("no --accounts file: serving the demo account DEMO01");
        return Ok(check_accounts(vec![demo_account()])?);
    };

    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the accounts file {}", path.display()))?;
    let accounts = parse_accounts(&text).with_context(|| format!("refusing {}", path.display()))?;
    tracing::info!(count = accounts.len(), "accounts loaded");
    Ok(accounts)
}

fn load_master(
    path: Option<&Path>,
    scale: Option<f64>,
) -> anyhow::Result<(InstrumentMaster, Bytes)> {
    let (mut text, origin) = match path {
        None => (
            Bytes::from_static(EMBEDDED_MASTER.as_bytes()),
            "the built-in sample".to_owned(),
        ),
        Some(path) => {
            let text = std::fs::read(path)
                .with_context(|| format!("cannot read the instruments file {}", path.display()))?;
            (Bytes::from(text), path.display().to_string())
        }
    };

    let json = std::str::from_utf8(&text)
        .with_context(|| format!("the instrument master in {origin} is not UTF-8 text"))?;
    if let Some(scale) = scale {
        // The generated contracts are live today, as in the day's real file.
        let today = india_day_yyyymmdd(clock::unix_secs() as f64 * 1000.0);
        text = Bytes::from(full_master::generate(json, scale, today)?);
        tracing::info!(
            scale,
            bytes = text.len(),
            "full-size instrument master generated"
        );
    }
    let json = std::str::from_utf8(&text)
        .with_context(|| format!("the instrument master in {origin} is not UTF-8 text"))?;
    let master = InstrumentMaster::parse(json)
        .with_context(|| format!("refusing the instrument master in {origin}"))?;
    tracing::info!(rows = master.len(), from = %origin, "instrument master loaded");
    Ok((master, text))
}

/// Starts watching for Ctrl-C (and SIGTERM on Unix) and returns what resolves on the first.
///
/// Called before the ready line: a signal sent right after that line must stop the server
/// cleanly, not kill it because no handler was registered yet.
#[cfg(unix)]
fn watch_stop_signals() -> anyhow::Result<impl Future<Output = ()>> {
    use tokio::signal::unix::{SignalKind, signal};

    let mut interrupt = signal(SignalKind::interrupt()).context("cannot watch for Ctrl-C")?;
    let mut terminate = signal(SignalKind::terminate()).context("cannot watch for SIGTERM")?;
    Ok(async move {
        tokio::select! {
            _ = interrupt.recv() => tracing::info!("Ctrl-C: stopping"),
            _ = terminate.recv() => tracing::info!("SIGTERM: stopping"),
        }
    })
}

/// Starts watching for Ctrl-C and returns what resolves on it (see the Unix variant).
#[cfg(not(unix))]
fn watch_stop_signals() -> anyhow::Result<impl Future<Output = ()>> {
    let mut interrupt = tokio::signal::windows::ctrl_c().context("cannot watch for Ctrl-C")?;
    Ok(async move {
        interrupt.recv().await;
        tracing::info!("Ctrl-C: stopping");
    })
}
