//! Peering checks (P1–P8).

use super::{Ctx, FindingCode, Findings};
use crate::model::*;

use crate::model::peering::overlapping_blocks as overlap;

/// The peerings `v` requested (P1–P4, P7): each a link between two VPCs, checked with its
/// requester, the other side and the other peerings of the pair found through the index.
pub fn vpc(ctx: &Ctx, v: &Vpc, out: &mut Findings) {
    for p in ctx.ix.vpc_peerings(&v.id).filter(|p| p.requester_vpc == v.id) {
        peering(ctx, p, out);
    }
}

/// One peering, when both its VPCs are in the design.
fn peering(ctx: &Ctx, p: &VpcPeering, out: &mut Findings) {
    let (Some(a), Some(b)) = (ctx.ix.vpc(&p.requester_vpc), ctx.ix.vpc(&p.accepter_vpc)) else {
        return;
    };
    if a.id == b.id {
        out.add(
            FindingCode::PeeringSameVpc,
            &[&p.id],
            crate::text!("{} connects {} with itself", ctx.name(&p.id), ctx.name(&a.id)),
        );
        return;
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
    // P1: one peering per pair: the one of the same pair just before this one.
    let same_pair = |q: &VpcPeering| {
        (q.requester_vpc == a.id && q.accepter_vpc == b.id) || (q.requester_vpc == b.id && q.accepter_vpc == a.id)
    };
    let prev = ctx
        .ix
        .vpc_peerings(&a.id)
        .take_while(|q| !std::ptr::eq(*q, p))
        .filter(|q| same_pair(q))
        .last()
        .map(|q| q.id.as_str());
    if let Some(prev) = prev {
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
        return;
    }
    // P4: routes on both sides.
    let target = RouteTarget::VpcPeering(p.id.clone());
    let routes_to = |vpc: &str| ctx.ix.vpc_route_tables(vpc).any(|rt| rt.routes.iter().any(|r| r.target == target));
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
