//! Pairing's key agreement against RFC 7748's published X25519 vector
//! (`tests/fixtures/x25519.json`): the public keys, and both sides reaching one pairing.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use halo_core::pairing::{KeyPair, Role, begin};
use serde_json::Value;

const X25519: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/fixtures/x25519.json"
));

fn bytes(vector: &Value, name: &str) -> [u8; 32] {
    let text = vector[name].as_str().unwrap();
    let mut out = [0u8; 32];
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(&text[2 * i..2 * i + 2], 16).unwrap();
    }
    out
}

#[test]
fn rfc7748_keys_give_the_published_public_keys_and_one_pairing() {
    let vector: Value = serde_json::from_str(X25519).unwrap();
    let alice = KeyPair::from_random(bytes(&vector, "alice_private"));
    let bob = KeyPair::from_random(bytes(&vector, "bob_private"));
    assert_eq!(alice.public(), bytes(&vector, "alice_public"));
    assert_eq!(bob.public(), bytes(&vector, "bob_public"));

    let extension = begin(&alice, Role::Extension, &bob.public()).unwrap();
    let companion = begin(&bob, Role::Companion, &alice.public()).unwrap();
    assert_eq!(extension.pairing, companion.pairing);
    assert_eq!(extension.code, companion.code);
}
