//! One connection's sealed messages: AES-256-GCM under a key for each direction, with the
//! message's number as the nonce.
//!
//! Numbers start at 0 in each direction and must go up by exactly one. A message whose number is
//! not the next one is refused before it is opened, so a replayed message (an old number), a
//! dropped one (a gap) or one moved to the other direction (another key and nonce prefix) never
//! gets through; a flipped bit fails GCM's tag. The pairing id and the direction are bound in
//! as associated data.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Key, Nonce};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

use super::{PairingError, Role};

/// A sealed message as the wire carries it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sealed {
    /// The message's number in its direction, from 0.
    pub n: u64,
    /// Ciphertext and GCM tag, base64.
    pub c: String,
}

/// The sealing state of one connection, on one side.
pub struct Channel {
    send: Aes256Gcm,
    receive: Aes256Gcm,
    send_direction: u8,
    receive_direction: u8,
    next_send: u64,
    next_receive: u64,
    pairing_id: String,
}

impl std::fmt::Debug for Channel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Channel")
            .field("pairing_id", &self.pairing_id)
            .field("next_send", &self.next_send)
            .field("next_receive", &self.next_receive)
            .finish_non_exhaustive()
    }
}

/// The direction byte of messages from the extension, and from the companion.
const FROM_EXTENSION: u8 = 1;
const FROM_COMPANION: u8 = 2;

impl Channel {
    /// A channel with these 32-byte keys (see [`super::open_channel`]).
    pub(super) fn new(
        pairing_id: &str,
        role: Role,
        send: &[u8; 32],
        receive: &[u8; 32],
    ) -> Channel {
        let (send_direction, receive_direction) = match role {
            Role::Extension => (FROM_EXTENSION, FROM_COMPANION),
            Role::Companion => (FROM_COMPANION, FROM_EXTENSION),
        };
        // Keyed by reference, so no unwiped copy of a key is left behind.
        let cipher = |key: &[u8; 32]| Aes256Gcm::new(<&Key<Aes256Gcm>>::from(key));
        Channel {
            send: cipher(send),
            receive: cipher(receive),
            send_direction,
            receive_direction,
            next_send: 0,
            next_receive: 0,
            pairing_id: pairing_id.to_owned(),
        }
    }

    /// The id of the pairing this channel belongs to.
    pub fn pairing_id(&self) -> &str {
        &self.pairing_id
    }

    /// Seals the next outgoing message.
    pub fn seal(&mut self, plaintext: &[u8]) -> Result<Sealed, PairingError> {
        let n = self.next_send;
        let aad = self.aad(self.send_direction);
        let sealed = self
            .send
            .encrypt(
                &Nonce::from(nonce(self.send_direction, n)),
                Payload {
                    msg: plaintext,
                    aad: &aad,
                },
            )
            .map_err(|_| PairingError::Altered)?;
        self.next_send += 1;
        Ok(Sealed {
            n,
            c: BASE64.encode(sealed),
        })
    }

    /// Opens the next incoming message; refuses one out of turn or altered, and then still
    /// expects the same number next.
    pub fn open(&mut self, sealed: &Sealed) -> Result<Zeroizing<Vec<u8>>, PairingError> {
        if sealed.n != self.next_receive {
            return Err(PairingError::OutOfTurn {
                expected: self.next_receive,
                got: sealed.n,
            });
        }
        let ciphertext = BASE64
            .decode(sealed.c.as_bytes())
            .map_err(|_| PairingError::Malformed)?;
        let aad = self.aad(self.receive_direction);
        let plaintext = self
            .receive
            .decrypt(
                &Nonce::from(nonce(self.receive_direction, sealed.n)),
                Payload {
                    msg: &ciphertext,
                    aad: &aad,
                },
            )
            .map_err(|_| PairingError::Altered)?;
        self.next_receive += 1;
        Ok(Zeroizing::new(plaintext))
    }

    fn aad(&self, direction: u8) -> Vec<u8> {
        let mut aad = self.pairing_id.as_bytes().to_vec();
        aad.push(direction);
        aad
    }
}

/// Direction byte, three zeros, then the number big-endian: never repeats under one key.
fn nonce(direction: u8, n: u64) -> [u8; 12] {
    let mut bytes = [0u8; 12];
    bytes[0] = direction;
    bytes[4..].copy_from_slice(&n.to_be_bytes());
    bytes
}

#[cfg(test)]
mod tests {
    use super::super::{KeyPair, begin, open_channel};
    use super::*;

    /// A paired extension and companion, with one connection's channels open on both sides.
    fn connected() -> (Channel, Channel) {
        let (a, b) = (KeyPair::from_random([1; 32]), KeyPair::from_random([2; 32]));
        let pairing = begin(&a, Role::Extension, &b.public()).unwrap().pairing;
        let (x, y) = (KeyPair::from_random([3; 32]), KeyPair::from_random([4; 32]));
        let extension = open_channel(&pairing, &x, Role::Extension, &y.public()).unwrap();
        let companion = open_channel(&pairing, &y, Role::Companion, &x.public()).unwrap();
        (extension, companion)
    }

    #[test]
    fn messages_go_both_ways_in_turn() {
        let (mut extension, mut companion) = connected();
        for round in 0..3u8 {
            let ask = extension.seal(&[b'q', round]).unwrap();
            assert_eq!(ask.n, u64::from(round));
            assert_eq!(companion.open(&ask).unwrap().as_slice(), &[b'q', round]);
            let answer = companion.seal(b"answer").unwrap();
            assert_eq!(extension.open(&answer).unwrap().as_slice(), b"answer");
        }
    }

    #[test]
    fn a_replayed_message_is_refused() {
        let (mut extension, mut companion) = connected();
        let first = extension.seal(b"place order").unwrap();
        companion.open(&first).unwrap();
        assert_eq!(
            companion.open(&first).unwrap_err(),
            PairingError::OutOfTurn {
                expected: 1,
                got: 0
            }
        );
        // Renumbering the old message does not help: the nonce is part of the tag.
        let renumbered = Sealed { n: 1, ..first };
        assert_eq!(
            companion.open(&renumbered).unwrap_err(),
            PairingError::Altered
        );
    }

    #[test]
    fn an_altered_message_is_refused_and_the_next_still_opens() {
        let (mut extension, mut companion) = connected();
        let sealed = extension.seal(b"BUY 1 RELIANCE").unwrap();
        let mut bytes = BASE64.decode(&sealed.c).unwrap();
        bytes[5] ^= 0x01;
        let altered = Sealed {
            n: 0,
            c: BASE64.encode(&bytes),
        };
        assert_eq!(companion.open(&altered).unwrap_err(), PairingError::Altered);
        assert_eq!(
            companion.open(&sealed).unwrap().as_slice(),
            b"BUY 1 RELIANCE"
        );
    }

    #[test]
    fn a_message_sent_back_to_its_sender_is_refused() {
        let (mut extension, _) = connected();
        let own = extension.seal(b"ping").unwrap();
        assert_eq!(extension.open(&own).unwrap_err(), PairingError::Altered);
    }

    #[test]
    fn another_pairing_cannot_open_the_channel() {
        let (mut extension, _) = connected();
        let (a, b) = (KeyPair::from_random([5; 32]), KeyPair::from_random([6; 32]));
        let stranger = begin(&a, Role::Extension, &b.public()).unwrap().pairing;
        let (x, y) = (KeyPair::from_random([3; 32]), KeyPair::from_random([4; 32]));
        let mut wrong = open_channel(&stranger, &y, Role::Companion, &x.public()).unwrap();
        let sealed = extension.seal(b"ping").unwrap();
        assert_eq!(wrong.open(&sealed).unwrap_err(), PairingError::Altered);
    }
}
