//! What each kind of route target does to a packet (step 4 of the hop pipeline). Each file adds
//! methods to [`Walk`](super::engine::Walk).

pub(crate) mod endpoints;
pub(crate) mod firewall;
pub(crate) mod forwarding;
pub(crate) mod gwlb;
pub(crate) mod igw;
pub(crate) mod igw6;
pub(crate) mod managed;
pub(crate) mod nat;
pub(crate) mod peering;
pub(crate) mod state;
pub(crate) mod transit;
