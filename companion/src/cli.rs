//! The trader's commands: the companion's own vault, logging in, and orders.
//!
//! Every rule (vault format, TOTP, SmartAPI requests and replies, instruments, order checks)
//! comes from halo-core; these modules only read the terminal, files and the network.

pub mod login;
pub mod order;
pub mod orders;
pub mod pairing;
pub mod vault;

pub(crate) mod http;
pub(crate) mod names;
mod prompt;
pub(crate) mod store;
