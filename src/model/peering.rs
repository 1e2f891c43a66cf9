//! VPC peering connections (rules P1–P9).

use super::common::Id;
use super::vpc::Vpc;
use ipnet::IpNet;
use serde::{Deserialize, Serialize};
use std::fmt;

/// Peering lifecycle; only `Active` passes traffic (P1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub enum PeeringStatus {
    InitiatingRequest,
    PendingAcceptance,
    Provisioning,
    #[default]
    Active,
    Expired,
    Failed,
    Rejected,
    Deleting,
    Deleted,
}

impl PeeringStatus {
    /// The API spelling, e.g. `pending-acceptance`.
    pub fn api_name(self) -> &'static str {
        match self {
            PeeringStatus::InitiatingRequest => "initiating-request",
            PeeringStatus::PendingAcceptance => "pending-acceptance",
            PeeringStatus::Provisioning => "provisioning",
            PeeringStatus::Active => "active",
            PeeringStatus::Expired => "expired",
            PeeringStatus::Failed => "failed",
            PeeringStatus::Rejected => "rejected",
            PeeringStatus::Deleting => "deleting",
            PeeringStatus::Deleted => "deleted",
        }
    }

    pub fn from_api(s: &str) -> Option<PeeringStatus> {
        use PeeringStatus::*;
        [InitiatingRequest, PendingAcceptance, Provisioning, Active, Expired, Failed, Rejected, Deleting, Deleted]
            .into_iter()
            .find(|st| st.api_name().eq_ignore_ascii_case(s))
    }
}

impl fmt::Display for PeeringStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.api_name())
    }
}

/// A VPC peering connection between a requester and an accepter VPC (possibly in other regions or
/// accounts: the VPCs carry their region and account).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VpcPeering {
    pub id: Id,
    pub name: String,
    pub requester_vpc: Id,
    pub accepter_vpc: Id,
    #[serde(default)]
    pub status: PeeringStatus,
    /// Private DNS resolution across the peering (P7, P8).
    #[serde(default, skip_serializing_if = "super::common::is_false")]
    pub allow_dns_resolution: bool,
}

impl VpcPeering {
    /// The VPC on the other side of `vpc`, if `vpc` is one end.
    pub fn other_side(&self, vpc: &str) -> Option<&str> {
        if self.requester_vpc == vpc {
            Some(&self.accepter_vpc)
        } else if self.accepter_vpc == vpc {
            Some(&self.requester_vpc)
        } else {
            None
        }
    }
}

/// P2: the first pair of blocks, one of each VPC, that overlap: IPv4 CIDRs (primary and
/// secondary) or IPv6 blocks. AWS cannot create a peering between such VPCs; it goes to
/// `failed` at once, so it never carries traffic. Each VPC has at most 50 blocks.
pub fn overlapping_blocks(a: &Vpc, b: &Vpc) -> Option<(IpNet, IpNet)> {
    a.all_cidrs()
        .flat_map(|x| b.all_cidrs().map(move |y| (x, y)))
        .find(|(x, y)| x.contains(&y.network()) || y.contains(&x.network()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn p2_secondary_and_ipv6_blocks_overlap_too() {
        let mut a = Vpc::new("vpc-a", "a", "us-east-1", "10.0.0.0/16".parse().unwrap());
        let mut b = Vpc::new("vpc-b", "b", "us-east-1", "10.1.0.0/16".parse().unwrap());
        assert_eq!(overlapping_blocks(&a, &b), None);
        b.secondary_cidrs.push("10.0.128.0/17".parse().unwrap());
        let (x, y) = overlapping_blocks(&a, &b).unwrap();
        assert_eq!((x.to_string(), y.to_string()), ("10.0.0.0/16".into(), "10.0.128.0/17".into()));
        b.secondary_cidrs.clear();
        a.ipv6_cidr_blocks.push(super::super::Ipv6CidrBlock::amazon("2001:db8::/56".parse().unwrap()));
        b.ipv6_cidr_blocks.push(super::super::Ipv6CidrBlock::amazon("2001:db8::/56".parse().unwrap()));
        assert!(overlapping_blocks(&a, &b).is_some());
    }
}
