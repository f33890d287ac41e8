//! What clients send: when requests are created ([`arrival`]) and which keys they touch
//! ([`keys`]). A client kind (components/client.rs) compiles these into its state machine.

pub mod arrival;
pub mod keys;

pub use arrival::Arrival;
pub use keys::{KeySpace, Popularity};
