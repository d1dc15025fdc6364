//! `halo` as the browser's native-messaging host.
//!
//! The browser starts the host and speaks length-prefixed JSON on its stdin and stdout
//! ([`framing`]). Stdout carries frames and nothing else, on every path: logs go to stderr
//! (the browser keeps them in its own log), a request that fails or even panics gets an error
//! frame, and a caller that is not Halo gets one error frame and the door.

pub mod framing;
pub mod launch;
pub mod link;
pub mod pairings;
pub mod protocol;
pub mod requests;

use std::io::{self, Write};
use std::panic::{self, AssertUnwindSafe};
use std::process::ExitCode;

use halo_core::pairing::wire::ToCompanion;
use serde::Serialize;
use serde_json::Value;

use framing::{FrameError, read_frame, write_frame};
use launch::Caller;
use link::Link;
use protocol::{Reply, Request, id_of};

/// The `type`s of the pairing and sealed-channel frames (see halo-core's `pairing::wire`).
const CHANNEL_FRAMES: [&str; 4] = ["pair-start", "pair-confirm", "hello", "sealed"];

/// Serves one browser connection until the browser closes it.
pub fn run(caller: Caller) -> ExitCode {
    let mut out = frame_writer();
    let mut input = io::stdin().lock();

    let extra_ids = crate::config::allowed_extra_ids();
    if !launch::is_allowed(&caller, &extra_ids) {
        tracing::warn!(origin = %caller.origin(), "refused a caller that is not Halo");
        let message = format!(
            "{} is not allowed to use the Halo companion; run `halo install --extension-id ID` \
             to allow another extension id",
            caller.origin()
        );
        send(&mut out, &Reply::error(None, "origin-refused", message));
        return ExitCode::FAILURE;
    }
    tracing::info!(origin = %caller.origin(), "native host started");

    let mut link = Link::default();
    loop {
        match read_frame(&mut input) {
            Ok(Some(body)) => {
                let sent = match answer(&body, &mut link, &caller) {
                    Answer::Plain(reply) => send(&mut out, &reply),
                    Answer::Channel(reply) => send(&mut out, &reply),
                };
                if !sent {
                    return ExitCode::FAILURE;
                }
            }
            Ok(None) => return ExitCode::SUCCESS,
            Err(FrameError::TooLong { len, max }) => {
                // The stream cannot be trusted past an absurd prefix; say why, then stop.
                let message = format!("a message of {len} bytes is over the {max}-byte limit");
                send(&mut out, &Reply::error(None, "too-long", message));
                return ExitCode::FAILURE;
            }
            Err(error) => {
                tracing::warn!(%error, "native host stopped");
                return ExitCode::FAILURE;
            }
        }
    }
}

/// A reply in the clear protocol, or a frame of the pairing and sealed channel.
enum Answer {
    Plain(Reply),
    Channel(halo_core::pairing::wire::FromCompanion),
}

/// One request's reply. A panic in a handler becomes an error reply rather than a host that
/// dies with the request unanswered.
fn answer(body: &[u8], link: &mut Link, caller: &Caller) -> Answer {
    let value: Value = match serde_json::from_slice(body) {
        Ok(value) => value,
        Err(error) => {
            return Answer::Plain(Reply::error(
                None,
                "bad-json",
                format!("the request is not JSON: {error}"),
            ));
        }
    };
    let id = id_of(&value);
    let failed = || {
        Reply::error(
            id,
            "internal",
            "the companion failed on this request; see its log",
        )
    };

    let kind = value
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_owned();
    if CHANNEL_FRAMES.contains(&kind.as_str()) {
        // Serde's message could quote a key or a sealed body: only the type is named.
        let Ok(frame) = serde_json::from_value::<ToCompanion>(value) else {
            return Answer::Plain(Reply::error(
                id,
                "bad-request",
                format!("a malformed {kind}"),
            ));
        };
        let answered = panic::catch_unwind(AssertUnwindSafe(|| {
            link.answer(frame, caller, requests::serve)
        }));
        return match answered {
            Ok(reply) => Answer::Channel(reply),
            Err(_) => {
                // Whatever the connection held may be half-updated: start it over.
                *link = Link::Idle;
                Answer::Plain(failed())
            }
        };
    }

    let request: Request = match serde_json::from_value(value) {
        Ok(request) => request,
        Err(error) => {
            return Answer::Plain(Reply::error(
                id,
                "unknown-request",
                format!("unknown request: {error}"),
            ));
        }
    };
    Answer::Plain(
        panic::catch_unwind(AssertUnwindSafe(|| handle(request))).unwrap_or_else(|_| failed()),
    )
}

fn handle(request: Request) -> Reply {
    match request {
        Request::Ping { id, echo } => Reply::Pong {
            id,
            version: env!("CARGO_PKG_VERSION"),
            echo,
        },
    }
}

/// Writes one reply; false when the browser has gone.
fn send(out: &mut impl Write, reply: &impl Serialize) -> bool {
    let body = match serde_json::to_vec(reply) {
        Ok(body) => body,
        Err(error) => {
            tracing::error!(%error, "a reply could not be encoded");
            return false;
        }
    };
    match write_frame(out, &body) {
        Ok(()) => true,
        Err(FrameError::TooLong { len, .. }) => {
            tracing::error!(len, "a reply was too long for the browser");
            let short = Reply::error(None, "too-long", "the reply was over the 1 MiB limit");
            serde_json::to_vec(&short).is_ok_and(|body| write_frame(out, &body).is_ok())
        }
        Err(error) => {
            tracing::warn!(%error, "the browser went away");
            false
        }
    }
}

/// Stdout without Rust's line buffering, so each frame is one `write` to the pipe. Falls back
/// to the locked stdout, whose explicit flush after every frame keeps frames whole anyway.
fn frame_writer() -> Box<dyn Write> {
    #[cfg(unix)]
    {
        use std::os::fd::AsFd;
        if let Ok(fd) = io::stdout().as_fd().try_clone_to_owned() {
            return Box::new(std::fs::File::from(fd));
        }
    }
    #[cfg(windows)]
    {
        use std::os::windows::io::AsHandle;
        if let Ok(handle) = io::stdout().as_handle().try_clone_to_owned() {
            return Box::new(std::fs::File::from(handle));
        }
    }
    Box::new(io::stdout().lock())
}
