//! The stateful inspection points a request passed (firewall endpoints, appliances behind a
//! Gateway Load Balancer), so its reply can be matched to them (B2, F3), and the check that
//! the reply comes back through the same ones (T9).

use crate::sim::engine::Walk;
use crate::sim::index::Node;

/// A stateful inspection point a request passed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Inspection {
    /// What inspects: a firewall (its index) or a Gateway Load Balancer (its index).
    pub owner: Inspector,
    /// Where: the firewall endpoint or the appliance's interface.
    pub at: Node,
    /// Its Availability Zone.
    pub az: String,
    /// The stateful engine saw the request and let it through, so it passes the reply.
    pub stateful: bool,
}

/// Who inspects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Inspector {
    Firewall(usize),
    Gwlb(usize),
}

impl Walk<'_, '_> {
    /// T9: on the reply, the request's record at the same inspector. `Ok` when the reply comes
    /// back through the same place (its state lets it pass when `stateful`), `Err` with a
    /// warning when it comes through another AZ's (asymmetric: the state is not there).
    pub(crate) fn reply_state(&self, owner: Inspector, at: Node, az: &str) -> Option<Result<bool, crate::l10n::Text>> {
        let seen = self.inspected.iter().filter(|i| i.owner == owner).collect::<Vec<_>>();
        if let Some(i) = seen.iter().find(|i| i.at == at) {
            return Some(Ok(i.stateful));
        }
        let first = seen.first()?;
        Some(Err(crate::text!(
            "asymmetric path: the request was inspected in {} and the reply comes back through {az}, where no state for the flow exists, so a stateful inspection point may drop it: turn on appliance mode on the inspection VPC's transit gateway attachment, or route both directions through one AZ (T9)",
            first.az
        )))
    }
}
