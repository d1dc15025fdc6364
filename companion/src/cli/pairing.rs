//! `halo pairing`: the code a browser is waiting to have confirmed, and the browsers paired
//! with this companion; `--forget` removes every pairing.

use crate::native_host::pairings;

/// How long a shown code is worth reading: a popup that waited longer has given up.
const CODE_FRESH_SECS: u64 = 300;

/// Arguments of `halo pairing`.
#[derive(Debug, clap::Args)]
pub struct PairingArgs {
    /// Remove every pairing; each browser must pair again before it sends orders here
    #[arg(long)]
    forget: bool,
}

/// Prints the pending code and the pairings, or forgets them.
pub fn run(args: PairingArgs) -> anyhow::Result<()> {
    if args.forget {
        let count = pairings::load()?.len();
        pairings::save(&[])?;
        pairings::clear_pending();
        println!("Forgot {count} pairing(s); pair again from Halo's Settings.");
        return Ok(());
    }

    match pairings::pending()? {
        Some(pending)
            if pairings::now_secs().saturating_sub(pending.shown_at) < CODE_FRESH_SECS =>
        {
            println!(
                "Pairing code: {} (asked by {}, {} s ago). Confirm in Halo's popup only if it \
                 shows the same code.",
                pending.code,
                pending.origin,
                pairings::now_secs().saturating_sub(pending.shown_at)
            );
        }
        _ => println!("No browser is waiting to pair."),
    }
    let all = pairings::load()?;
    if all.is_empty() {
        println!("No browser is paired yet: press Pair under Settings in Halo's popup.");
    }
    for paired in all {
        println!(
            "Paired {} ({}) as {}",
            paired.browser, paired.origin, paired.pairing.id
        );
    }
    Ok(())
}
