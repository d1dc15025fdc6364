//! `halo`, Halo's companion: the command line that sits beside the browser extension.
//!
//! This file only parses arguments, sets up logging and hands over to a command's module.
//! Logs go to stderr through `tracing` (stdout is kept for a command's own output, such as
//! the sandbox's ready line); filter them with `RUST_LOG`, e.g. `RUST_LOG=debug`.

mod sandbox;

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use tracing_subscriber::EnvFilter;

/// Halo's companion for Angel One SmartAPI traders.
#[derive(Debug, Parser)]
#[command(name = "halo", version, propagate_version = true)]
#[command(
    about = "Halo's companion for Angel One SmartAPI traders",
    long_about = "Halo's companion for Angel One SmartAPI traders.\n\n\
                  Runs beside the Halo browser extension. Logs go to stderr; set RUST_LOG \
                  (for example RUST_LOG=debug) to see more or less of them.",
    after_help = "Examples:\n  \
                  halo sandbox --port 8787\n      \
                  a local SmartAPI broker with a demo account, for rehearsing\n  \
                  halo help sandbox\n      \
                  the sandbox's options, its demo account and more examples"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run a local broker on 127.0.0.1 that speaks Angel One SmartAPI's wire format
    #[command(
        long_about = "Run a local broker on 127.0.0.1 that speaks Angel One SmartAPI's wire \
                      format, for rehearsing with the extension and for tests.\n\n\
                      It logs in made-up accounts (client code, MPIN, TOTP), accepts orders \
                      and fills or rejects them as Angel's RMS would, serves the instrument \
                      master at Angel's path, and lists every order request it received at \
                      GET /sandbox/orders. Prices are made up. When ready it prints \
                      `halo sandbox listening on http://127.0.0.1:PORT` on stdout. \
                      Point Halo's Endpoint setting at that URL.",
        after_help = "Examples:\n  \
                      halo sandbox --port 8787\n      \
                      the demo account: client code DEMO01, MPIN 1234, API key \
                      sandbox-api-key,\n      TOTP secret JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP\n  \
                      halo sandbox --port 0 --accounts accounts.json\n      \
                      any free port; accounts.json is a JSON array of\n      \
                      {\"clientcode\", \"mpin\", \"totp_secret\", \"api_key\", \"name\"}\n  \
                      halo sandbox --port 8787 --instruments OpenAPIScripMaster.json \
                      --fill-after-ms 5000\n      \
                      a full instrument master; orders stay open for 5 s"
    )]
    Sandbox(sandbox::SandboxArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    init_logging();

    let result = match cli.command {
        Command::Sandbox(args) => run_async(sandbox::run(args)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("halo: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_logging() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::stderr().is_terminal())
        .init();
}

fn run_async(work: impl Future<Output = anyhow::Result<()>>) -> anyhow::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|error| anyhow::anyhow!("cannot start the async runtime: {error}"))?;
    runtime.block_on(work)
}
