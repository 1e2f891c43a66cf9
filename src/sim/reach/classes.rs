//! Source classes: subnets whose hypothetical interfaces every hop treats alike, so one
//! representative's trace answers for all of them.
//!
//! Two subnets are alike when they share the VPC, the route table (R1), the network ACL (L1),
//! the security groups (S5), the Availability Zone (T2, E4, load balancer and endpoint nodes
//! are picked by zone), whether they auto-assign public addresses (I2) and whether their
//! interface has an IPv6 address (A7: names resolve to AAAA then), and the CIDRs of the
//! design that hold them; and when nothing else tells them apart: their CIDR is held by no other
//! component and holds no smaller CIDR, and no gateway, endpoint, load balancer node,
//! transit gateway attachment or route target lives in them (a flow to such a thing is
//! switched inside its own subnet, X3). Then swapping the two subnets (and their interfaces'
//! addresses) maps the design onto itself, and every trace from one onto the trace from the
//! other. The only thing the swap does not carry is a NAT's port choice, a hash of the
//! addresses (N4): a [`super::cell::Summary`] says when a network ACL could tell those ports
//! apart, and then members are traced one by one.

use super::scope::Scope;
use super::select::Party;
use crate::model::TgwAttachmentKind;
use crate::sim::index::TraceIndex;
use rayon::prelude::*;
use std::collections::HashSet;

/// A group of rows that share answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Class {
    /// Row indices, the representative first.
    pub rows: Vec<usize>,
    /// Their subnets (design indices), in the same order.
    pub subnets: Vec<usize>,
    /// The VPC (index) of the subnets.
    pub vpc: Option<usize>,
}

impl Class {
    /// The representative's subnet.
    pub fn rep(&self) -> usize {
        self.subnets[0]
    }
}

/// Subnets a flow can be addressed to or forwarded through by something living in them.
pub(crate) fn busy_subnets(ix: &TraceIndex<'_>) -> HashSet<usize> {
    let d = ix.d;
    let mut out = HashSet::new();
    out.extend(ix.nat_subnet.iter().flatten().copied());
    out.extend(ix.ep_subnets.iter().flatten().flatten().copied());
    out.extend(ix.lb_subnets.iter().flatten().flatten().copied());
    // A VPC attachment's subnets (the index resolved them by id once).
    for (a, subs) in d.tgw_attachments.iter().zip(&ix.attach_subnets) {
        if matches!(a.kind, TgwAttachmentKind::Vpc { .. }) {
            out.extend(subs.iter().copied());
        }
    }
    for t in &ix.tables {
        for r in &t.routes {
            if let Some(s) = ix.target_node(&r.target).and_then(|n| ix.node_subnet(n)) {
                out.insert(s);
            }
        }
    }
    for g in &d.target_groups {
        for t in &g.targets {
            if let Some(s) =
                ix.instance_ix.get(t.id.as_str()).and_then(|&i| ix.instance_eni[i]).and_then(|e| ix.eni_subnet[e])
            {
                out.insert(s);
            }
        }
    }
    out
}

/// Group the subnet rows into classes. `eni_of[s]` is the hypothetical interface of subnet `s`
/// (its security groups are the ones the interface carries). `publics_alike` says that no CIDR
/// of the design tells the stand-in public addresses apart.
pub(crate) fn source_classes(
    ix: &TraceIndex<'_>,
    scope: &Scope,
    rows: &[Party],
    eni_of: &[Option<usize>],
    publics_alike: bool,
) -> (Vec<Class>, Vec<Option<u32>>) {
    let d = ix.d;
    let busy = busy_subnets(ix);
    type Key<'k> = (usize, Option<usize>, Option<usize>, &'k [usize], &'k str, (bool, bool, bool), Vec<u32>);
    // Each row's key is worked out apart (in parallel: thousands of CIDR chains), then the rows
    // are grouped in order.
    let key_of = |p: &Party| -> Option<Key<'_>> {
        let Party::Subnet(s) = *p else { return None };
        let vpc = ix.subnet_vpc.get(s).copied().flatten();
        let sub = &d.subnets[s];
        match (vpc, eni_of.get(s).copied().flatten()) {
            (Some(v), Some(e)) if !busy.contains(&s) && (publics_alike || !sub.map_public_ip_on_launch) => {
                // The subnet's block of the matrix's family: the other family's CIDRs never
                // tell its flows apart (R3).
                let own = match scope.family {
                    super::Family::Ipv4 => sub.cidr.map(ipnet::IpNet::V4),
                    super::Family::Ipv6 => sub.ipv6_cidr.map(ipnet::IpNet::V6),
                };
                own.and_then(|c| scope.anonymous_chain(c)).map(|chain| {
                    (
                        v,
                        ix.subnet_rt[s],
                        ix.subnet_acl[s],
                        &ix.eni_sgs[e],
                        sub.az.as_str(),
                        // Whether its interface has an IPv6 address (a dual-stack name answers
                        // with its AAAA record then), and DNS64 (an IPv4-only name answers
                        // with a NAT64 address then, N6).
                        (
                            sub.map_public_ip_on_launch,
                            !ix.d.network_interfaces[e].ipv6_addresses.is_empty(),
                            sub.enable_dns64,
                        ),
                        chain,
                    )
                })
            }
            _ => None,
        }
    };
    let keys: Vec<Option<Key<'_>>> = rows.par_iter().map(key_of).collect();
    let mut by_key: foldhash::HashMap<Key<'_>, u32> = foldhash::HashMap::default();
    let mut classes: Vec<Class> = Vec::new();
    let mut row_class = vec![None; rows.len()];
    for ((row, p), key) in rows.iter().enumerate().zip(keys) {
        let Party::Subnet(s) = *p else { continue };
        let vpc = ix.subnet_vpc.get(s).copied().flatten();
        let existing = key.as_ref().and_then(|k| by_key.get(k).copied());
        let c = match existing {
            Some(c) => c,
            None => {
                let c = classes.len() as u32;
                classes.push(Class { rows: Vec::new(), subnets: Vec::new(), vpc });
                if let Some(k) = key {
                    by_key.insert(k, c);
                }
                c
            }
        };
        classes[c as usize].rows.push(row);
        classes[c as usize].subnets.push(s);
        row_class[row] = Some(c);
    }
    (classes, row_class)
}
