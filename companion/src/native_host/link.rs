//! One browser connection's pairing state: nothing yet, a pairing waiting for the person's
//! confirmation, or an open sealed channel.
//!
//! The rules live in halo-core's `pairing`; this module keeps the state between frames, shows
//! the pairing code (stderr, a desktop notification where there is one, and `halo pairing`),
//! and keeps confirmed pairings. A first pairing gets one confirmation: a wrong code drops the
//! candidate, so a code cannot be guessed by trying.

use halo_core::pairing::wire::{FromCompanion, PairConfirmation, Reply, Request, ToCompanion};
use halo_core::pairing::{
    self, Candidate, Channel, KeyPair, Role, Sealed, code_matches, public_from_base64,
};

use super::launch::Caller;
use super::pairings::{self, Paired, Pending};

/// Where this connection stands.
#[derive(Default)]
pub enum Link {
    /// No pairing and no channel yet.
    #[default]
    Idle,
    /// A code is shown; the person has not confirmed it yet.
    Pairing {
        /// The pairing it becomes.
        candidate: Candidate,
        /// The channel the confirmation arrives on.
        channel: Channel,
    },
    /// A paired connection: every request is sealed.
    Open {
        /// The connection's channel.
        channel: Channel,
    },
}

impl Link {
    /// Answers one clear frame, handing sealed requests to `serve`.
    pub fn answer(
        &mut self,
        frame: ToCompanion,
        caller: &Caller,
        serve: impl FnOnce(Request) -> Reply,
    ) -> FromCompanion {
        match frame {
            ToCompanion::PairStart { id, public } => self.pair_start(id, &public, caller),
            ToCompanion::PairConfirm { id, sealed } => self.pair_confirm(id, &sealed, caller),
            ToCompanion::Hello {
                id,
                pairing,
                public,
            } => self.hello(id, &pairing, &public, caller),
            ToCompanion::Sealed { id, sealed } => self.sealed(id, &sealed, serve),
        }
    }

    fn pair_start(&mut self, id: Option<u64>, public: &str, caller: &Caller) -> FromCompanion {
        let result = (|| {
            let peer = public_from_base64(public)?;
            let own = KeyPair::from_random(crate::cli::order::random()?);
            let candidate = pairing::begin(&own, Role::Companion, &peer)?;
            let channel = pairing::open_channel(&candidate.pairing, &own, Role::Companion, &peer)?;
            anyhow::Ok((own, candidate, channel))
        })();
        let (own, candidate, channel) = match result {
            Ok(parts) => parts,
            Err(error) => return refusal(id, "pairing-refused", format!("{error:#}")),
        };

        show_code(&candidate.code, caller);
        *self = Link::Pairing { candidate, channel };
        FromCompanion::PairCode {
            id,
            public: own.public_base64(),
        }
    }

    fn pair_confirm(&mut self, id: Option<u64>, sealed: &Sealed, caller: &Caller) -> FromCompanion {
        // One confirmation per code, right or wrong.
        let Link::Pairing {
            candidate,
            mut channel,
        } = std::mem::take(self)
        else {
            return refusal(
                id,
                "pairing-refused",
                "no pairing was started on this connection",
            );
        };
        pairings::clear_pending();

        let confirmation = channel
            .open(sealed)
            .map_err(anyhow::Error::from)
            .and_then(|plain| Ok(serde_json::from_slice::<PairConfirmation>(&plain)?));
        let confirmation = match confirmation {
            Ok(confirmation) => confirmation,
            Err(error) => return refusal(id, "pairing-refused", format!("{error:#}")),
        };
        if !code_matches(&candidate.code, &confirmation.code) {
            tracing::warn!("pairing refused: the confirmed code is not the one shown");
            let error = pairing::PairingError::CodeMismatch;
            return refusal(id, "pairing-refused", error.to_string());
        }

        let paired = Paired {
            pairing: candidate.pairing.clone(),
            origin: caller.origin(),
            browser: confirmation.browser.chars().take(60).collect(),
            paired_at: pairings::now_secs(),
        };
        if let Err(error) = pairings::add(paired) {
            return refusal(
                id,
                "internal",
                format!("the pairing could not be kept: {error:#}"),
            );
        }
        tracing::info!(pairing = %candidate.pairing.id, "paired with {}", caller.origin());
        let reply = Reply::Paired {
            pairing: candidate.pairing.id.clone(),
        };
        match seal(&mut channel, &reply) {
            Ok(sealed) => {
                *self = Link::Open { channel };
                FromCompanion::Paired { id, sealed }
            }
            Err(error) => refusal(id, "internal", error),
        }
    }

    fn hello(
        &mut self,
        id: Option<u64>,
        pairing: &str,
        public: &str,
        caller: &Caller,
    ) -> FromCompanion {
        let paired = match pairings::find(pairing, &caller.origin()) {
            Ok(Some(paired)) => paired,
            Ok(None) => {
                *self = Link::Idle;
                return refusal(
                    id,
                    "not-paired",
                    "this browser is not paired with the companion (or the pairing was removed); \
                     pair again under Settings in Halo's popup",
                );
            }
            Err(error) => return refusal(id, "internal", format!("{error:#}")),
        };
        let result = (|| {
            let peer = public_from_base64(public)?;
            let own = KeyPair::from_random(crate::cli::order::random()?);
            let channel = pairing::open_channel(&paired.pairing, &own, Role::Companion, &peer)?;
            anyhow::Ok((own, channel))
        })();
        match result {
            Ok((own, channel)) => {
                *self = Link::Open { channel };
                FromCompanion::Hello {
                    id,
                    public: own.public_base64(),
                }
            }
            Err(error) => refusal(id, "refused", format!("{error:#}")),
        }
    }

    fn sealed(
        &mut self,
        id: Option<u64>,
        sealed: &Sealed,
        serve: impl FnOnce(Request) -> Reply,
    ) -> FromCompanion {
        let Link::Open { channel } = self else {
            return refusal(
                id,
                "not-paired",
                "say hello with a pairing before sealed requests",
            );
        };
        let request = match channel.open(sealed) {
            Ok(plain) => serde_json::from_slice::<Request>(&plain),
            Err(error) => {
                tracing::warn!(%error, "refused a sealed message");
                return refusal(id, "refused", error.to_string());
            }
        };
        let reply = match request {
            Ok(request) => serve(request),
            // Serde's text could quote a token from the request: say only that it was unreadable.
            Err(_) => Reply::Error {
                code: "unknown-request".into(),
                message: "the companion does not know this request; update it".into(),
            },
        };
        match seal(channel, &reply) {
            Ok(sealed) => FromCompanion::Sealed { id, sealed },
            Err(error) => refusal(id, "internal", error),
        }
    }
}

fn seal(channel: &mut Channel, reply: &Reply) -> Result<Sealed, String> {
    let plain = zeroize::Zeroizing::new(serde_json::to_vec(reply).map_err(|e| e.to_string())?);
    channel.seal(&plain).map_err(|error| error.to_string())
}

fn refusal(id: Option<u64>, code: &str, message: impl Into<String>) -> FromCompanion {
    FromCompanion::Error {
        id,
        code: code.to_owned(),
        message: message.into(),
    }
}

/// Shows the code where a person can see it: stderr (a terminal, or the browser's log), a
/// desktop notification where one can be sent, and `halo pairing`.
fn show_code(code: &str, caller: &Caller) {
    eprintln!("Halo pairing code: {code}. Confirm in Halo's popup only if it shows the same code.");
    let pending = Pending {
        code: code.to_owned(),
        origin: caller.origin(),
        shown_at: pairings::now_secs(),
    };
    if let Err(error) = pairings::show_pending(&pending) {
        tracing::warn!("the pairing code could not be written for `halo pairing`: {error:#}");
    }
    notify(code);
}

/// A desktop notification, best effort: the browser usually starts the companion with no
/// terminal in sight. Its output goes nowhere: stdout carries frames only.
fn notify(code: &str) {
    use std::process::{Command, Stdio};

    let body = format!("Pairing code {code}: confirm in Halo's popup if it shows the same.");
    let mut command = if cfg!(target_os = "macos") {
        let mut command = Command::new("osascript");
        command.args([
            "-e",
            &format!("display notification \"{body}\" with title \"Halo companion\""),
        ]);
        command
    } else if cfg!(target_os = "linux") {
        let mut command = Command::new("notify-send");
        command.args(["Halo companion", &body]);
        command
    } else {
        // TODO: a Windows toast needs a registered app id; until then Windows users run
        // `halo pairing` to see the code.
        return;
    };
    let spawned = command
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if let Ok(mut child) = spawned {
        // Reaped on a thread so no zombie is left; its outcome does not matter.
        std::thread::spawn(move || child.wait());
    }
}
