//! Pairing and the sealed channel against the real `halo` binary, with halo-core's pairing code
//! playing the extension: a round trip, a wrong code, a replayed and an altered message, and an
//! order that reaches the sandbox through the companion.

// Test code: a failed unwrap is a failed test, which is what it should be.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Stdio};
use std::time::{SystemTime, UNIX_EPOCH};

use common::Sandbox;
use halo_core::pairing::wire::{
    Credentials, FromCompanion, OrderRequest, PairConfirmation, Reply, Request, ToCompanion,
};
use halo_core::pairing::{self, Channel, KeyPair, Pairing, Role, public_from_base64};
use halo_core::smartapi::{self, Endpoint};
use halo_core::totp::{self, TotpParams, TotpSecret};
use serde_json::{Value, json};
use zeroize::Zeroizing;

const ORIGIN: &str = "chrome-extension://bhnhgnemdmhcebimjefkdalgefgnbidk/";

/// `halo` as Chromium starts it, for one connection.
struct Host {
    child: Child,
    stdin: ChildStdin,
    stdout: ChildStdout,
}

impl Host {
    fn start(config: &Path) -> Host {
        let mut child = common::halo(config)
            .arg(ORIGIN)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        Host {
            stdin: child.stdin.take().unwrap(),
            stdout: child.stdout.take().unwrap(),
            child,
        }
    }

    fn ask(&mut self, frame: &impl serde::Serialize) -> FromCompanion {
        let body = serde_json::to_vec(frame).unwrap();
        let mut bytes = (body.len() as u32).to_ne_bytes().to_vec();
        bytes.extend_from_slice(&body);
        self.stdin.write_all(&bytes).unwrap();
        self.stdin.flush().unwrap();

        let mut prefix = [0u8; 4];
        self.stdout.read_exact(&mut prefix).unwrap();
        let mut body = vec![0u8; u32::from_ne_bytes(prefix) as usize];
        self.stdout.read_exact(&mut body).unwrap();
        serde_json::from_slice(&body).unwrap()
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a pairing: the extension's key pair, the candidate and its channel, and the code the
/// companion wrote for `halo pairing`.
fn pair_start(host: &mut Host, config: &Path) -> (pairing::Candidate, Channel, String) {
    let own = KeyPair::from_random([0x11; 32]);
    let FromCompanion::PairCode { public, .. } = host.ask(&ToCompanion::PairStart {
        id: Some(1),
        public: own.public_base64(),
    }) else {
        panic!("no pairing code");
    };
    let peer = public_from_base64(&public).unwrap();
    let candidate = pairing::begin(&own, Role::Extension, &peer).unwrap();
    let channel = pairing::open_channel(&candidate.pairing, &own, Role::Extension, &peer).unwrap();
    let shown: Value =
        serde_json::from_str(&std::fs::read_to_string(config.join("pairing-code.json")).unwrap())
            .unwrap();
    (
        candidate,
        channel,
        shown["code"].as_str().unwrap().to_owned(),
    )
}

fn confirm(host: &mut Host, channel: &mut Channel, code: &str) -> FromCompanion {
    let confirmation = PairConfirmation {
        code: code.to_owned(),
        browser: "Chromium".to_owned(),
    };
    let sealed = channel
        .seal(&serde_json::to_vec(&confirmation).unwrap())
        .unwrap();
    host.ask(&ToCompanion::PairConfirm {
        id: Some(2),
        sealed,
    })
}

/// Pairs for real and hands back the pairing.
fn paired(config: &Path) -> Pairing {
    let mut host = Host::start(config);
    let (candidate, mut channel, shown) = pair_start(&mut host, config);
    assert_eq!(shown, candidate.code);
    let FromCompanion::Paired { sealed, .. } = confirm(&mut host, &mut channel, &candidate.code)
    else {
        panic!("not paired");
    };
    let reply: Reply = serde_json::from_slice(&channel.open(&sealed).unwrap()).unwrap();
    assert_eq!(
        reply,
        Reply::Paired {
            pairing: candidate.pairing.id.clone()
        }
    );
    candidate.pairing
}

/// A new connection of a paired extension.
fn hello(config: &Path, pairing: &Pairing) -> (Host, Channel) {
    let mut host = Host::start(config);
    let own = KeyPair::from_random([0x22; 32]);
    let answer = host.ask(&ToCompanion::Hello {
        id: Some(1),
        pairing: pairing.id.clone(),
        public: own.public_base64(),
    });
    let FromCompanion::Hello { public, .. } = answer else {
        panic!("no hello: {answer:?}");
    };
    let peer = public_from_base64(&public).unwrap();
    let channel = pairing::open_channel(pairing, &own, Role::Extension, &peer).unwrap();
    (host, channel)
}

fn request(host: &mut Host, channel: &mut Channel, request: &Request) -> Reply {
    let sealed = channel.seal(&serde_json::to_vec(request).unwrap()).unwrap();
    match host.ask(&ToCompanion::Sealed { id: None, sealed }) {
        FromCompanion::Sealed { sealed, .. } => {
            serde_json::from_slice(&channel.open(&sealed).unwrap()).unwrap()
        }
        other => panic!("no sealed reply: {other:?}"),
    }
}

#[test]
fn pairing_then_a_sealed_ping_in_a_new_connection() {
    let config = tempfile::tempdir().unwrap();
    let pairing = paired(config.path());
    assert!(!config.path().join("pairing-code.json").exists());

    let (mut host, mut channel) = hello(config.path(), &pairing);
    for _ in 0..2 {
        assert_eq!(
            request(&mut host, &mut channel, &Request::Ping),
            Reply::Pong {
                version: env!("CARGO_PKG_VERSION").into()
            }
        );
    }

    let listing = common::halo(config.path()).arg("pairing").output().unwrap();
    let text = String::from_utf8(listing.stdout).unwrap();
    assert!(
        text.contains(&format!("Paired Chromium ({ORIGIN}) as {}", pairing.id)),
        "{text}"
    );
}

#[test]
fn a_wrong_code_is_refused_and_nothing_is_paired() {
    let config = tempfile::tempdir().unwrap();
    let mut host = Host::start(config.path());
    let (candidate, mut channel, _) = pair_start(&mut host, config.path());
    let wrong = if candidate.code == "000 000" {
        "000 001"
    } else {
        "000 000"
    };

    let FromCompanion::Error { code, message, .. } = confirm(&mut host, &mut channel, wrong) else {
        panic!("a wrong code was accepted");
    };
    assert_eq!(code, "pairing-refused");
    assert!(
        message.contains("not the code the companion showed"),
        "{message}"
    );
    // One try per code: the right code after a wrong one is refused too.
    let FromCompanion::Error { code, .. } = confirm(&mut host, &mut channel, &candidate.code)
    else {
        panic!("a second try was accepted");
    };
    assert_eq!(code, "pairing-refused");
    assert!(!config.path().join("pairings.json").exists());

    // And the candidate cannot open a connection.
    let mut host = Host::start(config.path());
    let answer = host.ask(&ToCompanion::Hello {
        id: Some(1),
        pairing: candidate.pairing.id.clone(),
        public: KeyPair::from_random([3; 32]).public_base64(),
    });
    assert!(matches!(answer, FromCompanion::Error { ref code, .. } if code == "not-paired"));
}

#[test]
fn replayed_and_altered_messages_are_refused() {
    let config = tempfile::tempdir().unwrap();
    let pairing = paired(config.path());
    let (mut host, mut channel) = hello(config.path(), &pairing);

    let sealed = channel
        .seal(&serde_json::to_vec(&Request::Ping).unwrap())
        .unwrap();
    let frame = ToCompanion::Sealed {
        id: Some(5),
        sealed: sealed.clone(),
    };
    assert!(matches!(host.ask(&frame), FromCompanion::Sealed { .. }));
    let FromCompanion::Error { code, message, .. } = host.ask(&frame) else {
        panic!("a replayed message was answered");
    };
    assert_eq!(code, "refused");
    assert!(message.contains("out of turn"), "{message}");

    let mut next = channel
        .seal(&serde_json::to_vec(&Request::Ping).unwrap())
        .unwrap();
    let original = next.c.clone();
    next.c = format!("A{}", &original[1..]);
    let FromCompanion::Error { code, message, .. } = host.ask(&ToCompanion::Sealed {
        id: Some(6),
        sealed: next.clone(),
    }) else {
        panic!("an altered message was answered");
    };
    assert_eq!(code, "refused");
    assert!(message.contains("integrity"), "{message}");

    // A message from another connection of the same pairing does not open here either.
    let (_, mut other) = hello(config.path(), &pairing);
    let foreign = other.seal(b"{\"type\":\"ping\"}").unwrap();
    assert!(matches!(
        host.ask(&ToCompanion::Sealed {
            id: None,
            sealed: foreign
        }),
        FromCompanion::Error { .. }
    ));
}

/// Logs the sandbox's demo account in (README: all values made up) and returns its JWT.
fn demo_jwt(root: &str) -> String {
    let secret = TotpSecret::parse("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP").unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let code = totp::code_at(&secret, &TotpParams::default(), now).unwrap();
    let endpoint = Endpoint::parse(root).unwrap();
    let request = smartapi::login(&endpoint, "sandbox-api-key", "DEMO01", "1234", &code.code);
    let mut builder = reqwest::blocking::Client::new().post(&request.url);
    for (name, value) in &request.headers {
        builder = builder.header(name, value);
    }
    let reply: Value = builder
        .body(request.body.unwrap())
        .send()
        .unwrap()
        .json()
        .unwrap();
    reply["data"]["jwtToken"].as_str().unwrap().to_owned()
}

#[test]
fn an_order_reaches_the_sandbox_through_the_companion() {
    let sandbox = Sandbox::start();
    let config = tempfile::tempdir().unwrap();
    let pairing = paired(config.path());
    let (mut host, mut channel) = hello(config.path(), &pairing);
    let credentials = Credentials {
        api_key: Zeroizing::new("sandbox-api-key".into()),
        jwt_token: Zeroizing::new(demo_jwt(&sandbox.root)),
    };
    let order = OrderRequest {
        exchange: "NSE".into(),
        token: "2885".into(),
        side: "BUY".into(),
        quantity: "1".into(),
        price: "2945.50".into(),
        product: "DELIVERY".into(),
    };

    // Only Angel or a loopback sandbox: another host is refused before anything is sent.
    let refused = request(
        &mut host,
        &mut channel,
        &Request::PlaceOrder {
            endpoint: "https://broker.example".into(),
            credentials: credentials.clone(),
            order: order.clone(),
        },
    );
    assert!(
        matches!(refused, Reply::Error { ref code, .. } if code == "refused"),
        "{refused:?}"
    );

    let Reply::Placed { order: placed } = request(
        &mut host,
        &mut channel,
        &Request::PlaceOrder {
            endpoint: sandbox.root.clone(),
            credentials: credentials.clone(),
            order,
        },
    ) else {
        panic!("not placed");
    };
    assert_eq!(placed.order_id.len(), 15, "{placed:?}");
    assert_eq!(placed.status.as_deref(), Some("open"));

    let received: Value = reqwest::blocking::get(format!("{}/sandbox/orders", sandbox.root))
        .unwrap()
        .json()
        .unwrap();
    let orders = received.as_array().unwrap();
    assert_eq!(orders.len(), 1, "{received}");
    assert_eq!(orders[0]["request"]["symboltoken"], json!("2885"));
    assert_eq!(orders[0]["request"]["ordertag"], json!(placed.tag));

    let Reply::Status { order: status } = request(
        &mut host,
        &mut channel,
        &Request::OrderStatus {
            endpoint: sandbox.root.clone(),
            credentials: credentials.clone(),
            unique_order_id: placed.unique_order_id.clone(),
        },
    ) else {
        panic!("no status");
    };
    assert_eq!(status.order_id, placed.order_id);

    let Reply::Book { orders } = request(
        &mut host,
        &mut channel,
        &Request::OrderBook {
            endpoint: sandbox.root.clone(),
            credentials,
        },
    ) else {
        panic!("no book");
    };
    assert_eq!(orders.len(), 1);
    assert_eq!(orders[0].tag, placed.tag);
}
