//! `halo`, Halo's companion: the command line that sits beside the browser extension.
//!
//! This file only parses arguments, sets up logging and hands over to a command's module.
//! Logs go to stderr through `tracing` (stdout is kept for a command's own output, such as
//! the sandbox's ready line); filter them with `RUST_LOG`, e.g. `RUST_LOG=debug`.

mod cli;
mod config;
mod doctor;
mod install;
mod native_host;
mod sandbox;
mod totp;

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
    /// Serve the browser's native messages on stdin/stdout (what the browser runs)
    #[command(
        long_about = "Serve Halo's native messages on stdin and stdout.\n\n\
                      Browsers start halo by themselves, through the host manifest that \
                      `halo install` writes; they pass their own arguments, which halo \
                      recognises. Run it by hand only to try the protocol: each message is a \
                      4-byte length in native byte order, then UTF-8 JSON.",
        after_help = "Examples:\n  \
                      halo native-host\n      \
                      speak the protocol on this terminal's stdin and stdout"
    )]
    NativeHost,
    /// Write the host manifest so browsers can start the companion
    #[command(
        long_about = "Write the native-messaging host manifest where each browser looks for \
                      it, pointing at this halo binary and allowing Halo's extension id. On \
                      Windows it also sets the per-user registry key the browser reads.",
        after_help = "Examples:\n  \
                      halo install\n      \
                      every browser this user has run (Chrome, Chromium, Brave, Edge, Firefox)\n  \
                      halo install --browser brave\n      \
                      only Brave, creating its folder if needed\n  \
                      halo install --user-data-dir ~/chromium-trading\n      \
                      a Chromium started with --user-data-dir ~/chromium-trading"
    )]
    Install(install::InstallArgs),
    /// Check the companion's browser install and print the fix for each problem
    #[command(
        long_about = "Check the native-messaging install against the usual failures: a \
                      manifest in the wrong folder or missing, a wrong or relative path, a \
                      wrapper script, a stale copy of halo, Halo's id not allowed, and browsers \
                      packaged as Flatpak or Snap. Prints the fix for each; exits 1 if any.",
        after_help = "Examples:\n  \
                      halo doctor\n      \
                      check every browser this user has run\n  \
                      halo doctor --length 858927154\n      \
                      explain an absurd message length from the browser's log (here \"2023\")"
    )]
    Doctor(doctor::DoctorArgs),
    /// The companion's own vault: create, import the extension's backup, export, list
    #[command(
        subcommand,
        long_about = "The companion's own vault, in the same format as the extension's: a \
                      backup downloaded from the extension opens here, and an export from here \
                      restores there. It lives in Halo's config folder (~/.config/halo on \
                      Linux). The passphrase is asked at a prompt, never taken as an argument; \
                      scripts may name a file holding it in HALO_PASSPHRASE_FILE.",
        after_help = "Examples:\n  \
                      halo vault import ~/Downloads/halo-vault-2026-03-02.json\n      \
                      use the extension's backup here (asks its passphrase)\n  \
                      halo vault list\n      \
                      labels, client codes and login routes; never a secret\n  \
                      halo vault export /media/usb/halo-vault.json\n      \
                      an encrypted copy the extension can restore"
    )]
    Vault(cli::vault::VaultCommand),
    /// Log an account in to SmartAPI and keep the session for orders
    #[command(after_help = "Examples:\n  \
                      halo login\n      \
                      the vault's only account, at Angel\n  \
                      halo login DEMO01 --endpoint http://127.0.0.1:8787\n      \
                      the sandbox's demo account\n  \
                      HALO_PASSPHRASE_FILE=~/.config/halo/pass halo login --daily 08:45\n      \
                      stay running; log in each trading day at 08:45 IST (docs/companion.md \
                      has systemd, launchd and Task Scheduler recipes)")]
    Login(cli::login::LoginArgs),
    /// Show the code a browser is waiting to pair with, and the paired browsers
    #[command(
        long_about = "Show the pairing code a browser is waiting to have confirmed, and the \
                      browsers paired with this companion.\n\n\
                      Press Pair under Settings in Halo's popup: the popup and the companion \
                      show the same six digits (the companion on stderr, in a desktop \
                      notification where there is one, and here). Confirm in the popup only if \
                      they match; from then on every message between them is encrypted and \
                      authenticated with the pairing's keys.",
        after_help = "Examples:\n  \
                      halo pairing\n      \
                      e.g. `Pairing code: 482 913 (asked by chrome-extension://.../, 4 s ago)`\n  \
                      halo pairing --forget\n      \
                      remove every pairing"
    )]
    Pairing(cli::pairing::PairingArgs),
    /// Show today's order book as a table
    #[command(after_help = "Examples:\n  \
                      halo orders\n  \
                      halo orders DEMO01")]
    Orders(cli::orders::OrdersArgs),
    /// Place a limit order, after a confirm, with the extension's checks
    #[command(
        long_about = "Place a limit order, after a confirm, with the extension's checks.\n\n\
                      QUANTITY is shares for stocks and LOTS for futures and options: 50 \
                      lots of a NIFTY option whose lot is 50 are 2500 units, and the confirm \
                      line says both. Without --limit the last traded price is proposed, and the \
                      confirm line says so; --yes needs --limit. An order worth more than \
                      ₹5,00,000 is refused, as in the extension; --max-value raises the limit \
                      for one order.",
        after_help = "Examples:\n  \
                      halo order buy RELIANCE 1 --limit 2945.50\n      \
                      asks \"Place this order?\" first\n  \
                      halo order buy NFO:NIFTY31DEC2626000PE 2\n      \
                      2 lots at the last traded price, after a confirm\n  \
                      halo order sell NSE:SBIN 10 --product intraday --limit 812.35 --yes\n      \
                      without asking (scripts)\n  \
                      halo order buy RELIANCE 200 --limit 2945.50 --max-value 600000\n      \
                      an order above ₹5,00,000, allowed this once"
    )]
    Order(cli::order::OrderArgs),
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
    /// Print the current TOTP and its seconds left, for a vault account or a secret on stdin
    #[command(
        long_about = "Print the current TOTP and the seconds it has left.\n\n\
                      For an account (or TOTP entry) of the companion's vault, after its \
                      passphrase; or for a secret (base32, as shown under the QR code) or a \
                      whole otpauth:// link read from standard input, never from an argument, \
                      where other users of the machine could see it. A link's period, digits \
                      and hash are honoured.",
        after_help = "Examples:\n  \
                      halo totp Main\n      \
                      the code of the vault's account labelled Main\n  \
                      pass show angel/totp | halo totp --stdin\n      \
                      the code now, e.g. `005924  17 s left`\n  \
                      halo totp --stdin --at 1234567890 < secret.txt\n      \
                      the code at a given Unix time"
    )]
    Totp(totp::TotpArgs),
}

fn main() -> ExitCode {
    // The browser's launch carries arguments clap would refuse: look for it first.
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(caller) = native_host::launch::detect(&args) {
        init_logging();
        return native_host::run(caller);
    }

    let cli = Cli::parse();
    init_logging();

    let result = match cli.command {
        Command::Sandbox(args) => run_async(sandbox::run(args)),
        Command::NativeHost => return native_host::run(native_host::launch::Caller::Terminal),
        Command::Install(args) => install::run(args),
        Command::Doctor(args) => doctor::run(args),
        Command::Vault(command) => cli::vault::run(command),
        Command::Login(args) => cli::login::run(args),
        Command::Orders(args) => cli::orders::run(args),
        Command::Pairing(args) => cli::pairing::run(args),
        Command::Order(args) => cli::order::run(args),
        Command::Totp(args) => totp::run(args),
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
