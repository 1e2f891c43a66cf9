//! Peering checks (P1–P8).

use super::{Ctx, FindingCode, Findings};
use crate::model::*;
use std::collections::{HashMap, HashSet};

use crate::model::peering::overlapping_blocks as overlap;

/// Every peering (P1–P4, P7): a link between two VPCs, so checked with the whole design.
pub fn design(ctx: &Ctx, out: &mut Findings) {
    let d = ctx.d;
    // P4: which VPCs route to which peering, from one pass over every route.
    let mut routed: HashSet<(&str, &str)> = HashSet::new();
    for rt in &d.route_tables {
        for r in &rt.routes {
            if let RouteTarget::VpcPeering(p) = &r.target {
                routed.insert((rt.vpc.as_str(), p.as_str()));
            }
        }
    }
    let mut pairs: HashMap<(&str, &str), &str> = HashMap::new();
    for p in &d.peerings {
        let (Some(a), Some(b)) = (ctx.ix.vpc(&p.requester_vpc), ctx.ix.vpc(&p.accepter_vpc)) else {
            continue;
        };
        if a.id == b.id {
            out.add(
                FindingCode::PeeringSameVpc,
                &[&p.id],
                crate::text!("{} connects {} with itself", ctx.name(&p.id), ctx.name(&a.id)),
            );
            continue;
        }
        if let Some((x, y)) = overlap(a, b) {
            out.add(
                FindingCode::PeeringCidrOverlap,
                &[&p.id, &a.id, &b.id],
                crate::text!(
                    "{} joins {} ({x}) and {} ({y}), whose CIDRs overlap: AWS cannot create it (it goes to failed)",
                    ctx.name(&p.id),
                    ctx.name(&a.id),
                    ctx.name(&b.id)
                ),
            );
        }
        let key = if a.id < b.id { (a.id.as_str(), b.id.as_str()) } else { (b.id.as_str(), a.id.as_str()) };
        if let Some(prev) = pairs.insert(key, &p.id) {
            out.add(
                FindingCode::PeeringDuplicate,
                &[&p.id, prev],
                crate::text!(
                    "{} and {} both peer {} with {}; only one peering per pair of VPCs",
                    ctx.name(&p.id),
                    ctx.name(prev),
                    ctx.name(&a.id),
                    ctx.name(&b.id)
                ),
            );
        }
        if p.status != PeeringStatus::Active {
            out.add(
                FindingCode::PeeringNotActive,
                &[&p.id],
                crate::text!("{} is {}: it passes no traffic until it is active", ctx.name(&p.id), p.status),
            );
            continue;
        }
        // P4: routes on both sides.
        let routes_to = |vpc: &str| routed.contains(&(vpc, p.id.as_str()));
        match (routes_to(&a.id), routes_to(&b.id)) {
            (true, false) | (false, true) => {
                let (has, lacks) = if routes_to(&a.id) { (a, b) } else { (b, a) };
                out.add_with(
                    FindingCode::PeeringRouteOneSide,
                    &[&p.id, &lacks.id],
                    crate::text!(
                        "{} has routes in {} but none in {}: requests arrive, replies have no way back",
                        ctx.name(&p.id),
                        ctx.name(&has.id),
                        ctx.name(&lacks.id)
                    ),
                    &[&has.cidr, &p.id, &ctx.name(&lacks.id)],
                );
            }
            (false, false) => out.add(
                FindingCode::PeeringNoRoutes,
                &[&p.id],
                crate::text!("{} is active but no route table uses it", ctx.name(&p.id)),
            ),
            _ => {}
        }
        // P7: security group references across regions do not work.
        if a.region != b.region {
            let groups = ctx.ix.vpc_security_groups(&a.id).chain(ctx.ix.vpc_security_groups(&b.id));
            for g in groups {
                let peer_vpc = if g.vpc == a.id { &b.id } else { &a.id };
                for r in g.ingress.iter().chain(g.egress.iter()) {
                    if let SgPeer::SecurityGroup { group, account: None } = &r.peer {
                        if ctx.ix.security_group(group).is_some_and(|o| &o.vpc == peer_vpc) {
                            out.add(
                                FindingCode::SgReferenceAcrossRegion,
                                &[&g.id, group, &p.id],
                                crate::text!(
                                    "{} refers to {} across the inter-region peering {}; such references do not work",
                                    ctx.name(&g.id),
                                    ctx.name(group),
                                    ctx.name(&p.id)
                                ),
                            );
                        }
                    }
                }
            }
        }
    }
}
