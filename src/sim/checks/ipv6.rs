//! IPv6 checks (A7, I5, N4, R3, S2, L2, P2, P4, T2): block sizes and placement, addresses,
//! the route-table mistakes IPv6 invites (its addresses are public), NAT64 without DNS64 and
//! the reverse, rules with an IPv4 twin but no IPv6 one, and one-sided IPv6 routes over
//! peerings and transit gateways. The size rules are `net`'s; each check only applies them.

use super::{Ctx, FindingCode, Findings, Scope};
use crate::model::*;
use crate::net::{self, Ipv6BlockError, Ipv6BlockSource};
use ipnet::{IpNet, Ipv6Net};
use std::collections::HashMap;
use std::net::Ipv6Addr;

/// One VPC's IPv6: its blocks and egress-only gateways, its subnets' blocks (and the NAT
/// gateways in IPv6-only ones), its interfaces' addresses, its tables' IPv6 routes and NAT64,
/// its groups' and ACLs' rules without an IPv6 twin.
pub fn vpc(ctx: &Ctx, v: &Vpc, scope: &Scope, out: &mut Findings) {
    blocks(ctx, v, out);
    let eigws = ctx.ix.vpc_positions(ResourceKind::EgressOnlyInternetGateway, &v.id);
    if eigws.len() > 1 {
        let eigws: Vec<&str> = eigws.iter().map(|&g| ctx.d.egress_only_internet_gateways[g].id.as_str()).collect();
        eigw_multiple(ctx, &v.id, &eigws, out);
    }
    let subnets = &scope.subnets;
    subnet_blocks(ctx, v, subnets, out);
    for s in subnets {
        nat_in_ipv6_only(ctx, s, out);
        dns64(ctx, s, out);
    }
    addresses(ctx, &scope.enis, out);
    for rt in ctx.ix.vpc_route_tables(&v.id) {
        routes(ctx, rt, out);
        nat64(ctx, rt, out);
    }
    if !v.ipv6_cidr_blocks.is_empty() {
        for g in ctx.ix.vpc_security_groups(&v.id) {
            group_twins(ctx, g, out);
        }
        for a in ctx.ix.vpc_network_acls(&v.id) {
            acl_twins(ctx, a, out);
        }
    }
    // Peerings are checked with the VPC that requested them (see `peering::vpc`).
    for p in ctx.ix.vpc_peerings(&v.id).filter(|p| p.requester_vpc == v.id) {
        peering(ctx, p, out);
    }
}

/// What belongs to no VPC of the design (egress-only gateways, subnets and route tables of a
/// missing VPC, and the interfaces and NAT gateways in those subnets), and IPv6 over transit
/// gateways.
pub fn design(ctx: &Ctx, out: &mut Findings) {
    let d = ctx.d;
    let mut eigws: HashMap<&str, Vec<&str>> = HashMap::new();
    for &g in ctx.outside(ResourceKind::EgressOnlyInternetGateway) {
        let g = &d.egress_only_internet_gateways[g];
        eigws.entry(g.vpc.as_str()).or_default().push(g.id.as_str());
    }
    for (vpc, list) in &eigws {
        eigw_multiple(ctx, vpc, list, out);
    }
    let subnets: Vec<&Subnet> = ctx.outside(ResourceKind::Subnet).iter().copied().map(|s| &d.subnets[s]).collect();
    for s in &subnets {
        nat_in_ipv6_only(ctx, s, out);
        dns64(ctx, s, out);
    }
    if !subnets.is_empty() {
        addresses(
            ctx,
            &ctx.ix.positions_in_subnets(ResourceKind::NetworkInterface, subnets.iter().map(|s| s.id.as_str())),
            out,
        );
    }
    for &rt in ctx.outside(ResourceKind::RouteTable) {
        let rt = &d.route_tables[rt];
        routes(ctx, rt, out);
        nat64(ctx, rt, out);
    }
    transit(ctx, out);
}

/// A7: one VPC's IPv6 blocks: size by source, usable space, quota, no overlap.
fn blocks(ctx: &Ctx, v: &Vpc, out: &mut Findings) {
    for b in &v.ipv6_cidr_blocks {
        let source = if b.pool.is_amazon() { Ipv6BlockSource::Amazon } else { Ipv6BlockSource::Pool };
        match net::check_vpc_ipv6_block(b.cidr, source) {
            Err(e @ Ipv6BlockError::VpcSize { .. }) => {
                out.add(FindingCode::VpcIpv6BlockSize, &[&v.id], crate::text!("{}: {e}", ctx.name(&v.id)))
            }
            Err(e) => out.add(FindingCode::VpcIpv6BlockUnusable, &[&v.id], crate::text!("{}: {e}", ctx.name(&v.id))),
            Ok(()) => {}
        }
    }
    let all: Vec<Ipv6Net> = v.ipv6_cidrs().collect();
    match net::check_vpc_ipv6_blocks(&all) {
        Err(e @ Ipv6BlockError::Quota { .. }) => {
            out.add(FindingCode::VpcIpv6BlockQuota, &[&v.id], crate::text!("{}: {e}", ctx.name(&v.id)))
        }
        Err(e) => out.add(FindingCode::VpcIpv6BlockOverlap, &[&v.id], crate::text!("{}: {e}", ctx.name(&v.id))),
        Ok(()) => {}
    }
}

/// I5: one egress-only internet gateway per VPC (`list`: those naming `vpc`).
fn eigw_multiple(ctx: &Ctx, vpc: &str, list: &[&str], out: &mut Findings) {
    if list.len() > 1 {
        let mut res = vec![vpc];
        res.extend(list.iter().copied());
        out.add(
            FindingCode::EigwMultiple,
            &res,
            crate::text!("{} has {} egress-only internet gateways; a VPC has one (I5)", ctx.name(vpc), list.len()),
        );
    }
}

/// A5, A7: subnet IPv6 blocks: size, inside a VPC block, no overlap (by sorting); an
/// IPv6-only subnet names instances by resource and routes IPv6 somewhere.
fn subnet_blocks(ctx: &Ctx, v: &Vpc, subnets: &[&Subnet], out: &mut Findings) {
    let mut list: Vec<(Ipv6Net, &Subnet)> = Vec::new();
    for s in subnets.iter().copied() {
        if s.cidr.is_none() && s.ipv6_cidr.is_none() {
            out.add(
                FindingCode::SubnetNoCidr,
                &[&s.id],
                crate::text!("{} has neither an IPv4 CIDR nor an IPv6 block", ctx.name(&s.id)),
            );
            continue;
        }
        let Some(c) = s.ipv6_cidr else { continue };
        list.push((c, s));
        let blocks: Vec<Ipv6Net> = v.ipv6_cidrs().collect();
        match net::check_subnet_ipv6(&blocks, &[], c) {
            Err(e @ Ipv6BlockError::SubnetSize { .. }) => {
                out.add(FindingCode::SubnetIpv6Size, &[&s.id], crate::text!("{}: {e}", ctx.name(&s.id)))
            }
            Err(e) => {
                out.add(FindingCode::SubnetIpv6OutsideVpc, &[&s.id, &v.id], crate::text!("{}: {e}", ctx.name(&s.id)))
            }
            Ok(()) => {}
        }
        if s.is_ipv6_only() {
            if s.hostname_type != HostnameType::ResourceName {
                out.add(
                    FindingCode::SubnetIpv6OnlyIpName,
                    &[&s.id],
                    crate::text!(
                        "{} is IPv6-only, so its instances have no IPv4 address to be named after",
                        ctx.name(&s.id)
                    ),
                );
            }
            let routed = ctx.subnet_rt(s.id.as_str()).is_some_and(|rt| {
                rt.routes
                    .iter()
                    .any(|r| !r.is_local() && r.destination.ipv6().is_some() && r.state == RouteState::Active)
            });
            if !routed {
                out.add(
                    FindingCode::SubnetIpv6OnlyNoRoute,
                    &[&s.id],
                    crate::text!("{} is IPv6-only and its route table has no IPv6 route beyond local: it reaches nothing outside its VPC", ctx.name(&s.id)),
                );
            }
        }
    }
    list.sort_by_key(|(c, _)| (u128::from(c.network()), std::cmp::Reverse(c.prefix_len())));
    let mut widest: Option<(Ipv6Net, &Subnet)> = None;
    for &(c, s) in list.iter() {
        if let Some((wc, w)) = widest {
            if wc.contains(&c.network()) {
                out.add(
                    FindingCode::SubnetIpv6Overlap,
                    &[&s.id, &w.id],
                    crate::text!("{} ({c}) overlaps {} ({wc})", ctx.name(&s.id), ctx.name(&w.id)),
                );
            }
        }
        if widest.is_none_or(|(wc, _)| u128::from(c.broadcast()) > u128::from(wc.broadcast())) {
            widest = Some((c, s));
        }
    }
}

/// N4: a NAT gateway needs an IPv4 address, so none lives in an IPv6-only subnet (a regional
/// one has no subnet, N9).
fn nat_in_ipv6_only(ctx: &Ctx, s: &Subnet, out: &mut Findings) {
    if !s.is_ipv6_only() {
        return;
    }
    for n in ctx.ix.subnet_nat_gateways(&s.id).filter(|n| n.subnet.as_deref() == Some(s.id.as_str())) {
        out.add(
            FindingCode::NatInIpv6OnlySubnet,
            &[&n.id, &s.id],
            crate::text!(
                "{} is in the IPv6-only {}: a NAT gateway needs an IPv4 address",
                ctx.name(&n.id),
                ctx.name(&s.id)
            ),
        );
    }
}

/// A7: interface IPv6 addresses inside their subnet's block, not reserved, unique per VPC
/// (`interfaces`: positions in the design's list, in design order).
fn addresses(ctx: &Ctx, interfaces: &[usize], out: &mut Findings) {
    let mut seen: foldhash::HashMap<(&str, Ipv6Addr), &str> = foldhash::HashMap::default();
    for e in interfaces.iter().map(|&i| &ctx.d.network_interfaces[i]) {
        if e.ipv6_addresses.is_empty() {
            continue;
        }
        let Some(s) = ctx.ix.subnet(e.subnet.as_str()) else { continue };
        for &a in &e.ipv6_addresses {
            let Some(block) = s.ipv6_cidr.filter(|b| b.contains(&a)) else {
                let text = s.ipv6_cidr.map_or("no IPv6 block".to_string(), |b| b.to_string());
                out.add_with(
                    FindingCode::AddressIpv6OutsideSubnet,
                    &[&e.id, &s.id],
                    crate::text!(
                        "{} has IPv6 address {a}, outside its subnet {} ({text})",
                        ctx.name(&e.id),
                        ctx.name(&s.id)
                    ),
                    &[&text],
                );
                continue;
            };
            if net::is_ipv6_reserved(block, a) {
                let first = net::ipv6_reserved_addresses(block)[3].0;
                let first = Ipv6Addr::from(u128::from(first).saturating_add(1));
                out.add_with(
                    FindingCode::AddressIpv6Reserved,
                    &[&e.id, &s.id],
                    crate::text!("{} has IPv6 address {a}, one of the five AWS reserves in {block} (the first four and the last)", ctx.name(&e.id)),
                    &[&first],
                );
            }
            if let Some(other) = seen.insert((s.vpc.as_str(), a), e.id.as_str()) {
                if other != e.id {
                    out.add(
                        FindingCode::AddressIpv6Duplicate,
                        &[&e.id, other],
                        crate::text!("{} and {} both have {a}", ctx.name(&e.id), ctx.name(other)),
                    );
                }
            }
        }
    }
}

fn is_igw(t: &RouteTarget) -> bool {
    matches!(t, RouteTarget::InternetGateway(_))
}

/// I5, N4: what IPv6's public addresses make of routes: `::/0 → igw` in a table that keeps its
/// IPv4 private exposes the subnet; an egress-only gateway in a public table keeps its
/// servers off IPv6; a NAT gateway carries only 64:ff9b::/96.
fn routes(ctx: &Ctx, rt: &RouteTable, out: &mut Findings) {
    let active = || rt.routes.iter().filter(|r| r.state == RouteState::Active);
    let v4_igw = active().any(|r| r.destination.ipv4().is_some() && is_igw(&r.target));
    let v4_default_private = active().any(|r| {
        r.destination.ipv4().is_some_and(|c| c.prefix_len() == 0)
            && matches!(
                r.target,
                RouteTarget::NatGateway(_)
                    | RouteTarget::Instance(_)
                    | RouteTarget::NetworkInterface(_)
                    | RouteTarget::TransitGateway(_)
            )
    });
    for r in active() {
        let Some(dest) = r.destination.ipv6() else { continue };
        match &r.target {
            RouteTarget::InternetGateway(g) if !v4_igw && (v4_default_private || !rt.subnets.is_empty()) => {
                out.add_with(
                    FindingCode::RouteIpv6PrivateToIgw,
                    &[&rt.id, g],
                    crate::text!("{} keeps IPv4 private (no IPv4 route to an internet gateway) but routes {dest} to {g}: IPv6 addresses are public, so its subnets' interfaces can be reached from the internet over IPv6 wherever security groups and ACLs allow", ctx.name(&rt.id)),
                    &[&dest],
                );
            }
            RouteTarget::EgressOnlyInternetGateway(g) if v4_igw => {
                out.add(
                    FindingCode::RouteEigwInPublicTable,
                    &[&rt.id, g],
                    crate::text!("{} is public for IPv4 (a route to an internet gateway) but sends {dest} to the egress-only {g}: its servers cannot be reached over IPv6", ctx.name(&rt.id)),
                );
            }
            RouteTarget::NatGateway(n) if !net::NAT64_PREFIX.contains(&dest) => {
                out.add(
                    FindingCode::RouteIpv6ToNat,
                    &[&rt.id, n],
                    crate::text!(
                        "{} routes {dest} to the NAT gateway {n}, which translates IPv6 only for 64:ff9b::/96 (NAT64)",
                        ctx.name(&rt.id)
                    ),
                );
            }
            _ => {}
        }
    }
}

/// Whether a table has an active route covering 64:ff9b::/96, and where it goes.
fn nat64_route(rt: &RouteTable) -> Option<&Route> {
    rt.routes
        .iter()
        .filter(|r| r.state == RouteState::Active)
        .filter(|r| r.destination.ipv6().is_some_and(|c| c.contains(&net::NAT64_PREFIX)))
        .max_by_key(|r| r.destination.ipv6().map_or(0, |c| c.prefix_len()))
}

/// N4, I5: a subnet with DNS64 answers needs a NAT64 route in its table.
fn dns64(ctx: &Ctx, s: &Subnet, out: &mut Findings) {
    if !s.enable_dns64 {
        return;
    }
    let rt = ctx.subnet_rt(s.id.as_str());
    match rt.and_then(|rt| nat64_route(rt)) {
        // A wider route (`::/0`) to an internet or egress-only gateway takes the 64:ff9b::/96
        // answers to the internet, which does not route them (I5): the same mistake as no
        // route at all.
        Some(r)
            if r.destination.ipv6() != Some(net::NAT64_PREFIX)
                && matches!(r.target, RouteTarget::InternetGateway(_) | RouteTarget::EgressOnlyInternetGateway(_)) =>
        {
            let table = rt.map_or("its route table".to_string(), |t| t.id.clone());
            out.add_with(
                FindingCode::Dns64WithoutNat64Route,
                &[&s.id],
                crate::text!("{} has DNS64 on, so names with only an A record resolve to 64:ff9b::/96 addresses, but {table} sends them by {} to {}, and the internet does not route 64:ff9b::/96: those names become unreachable", ctx.name(&s.id), r.destination, r.target),
                &[&table],
            );
        }
        // A NAT gateway translates; so does a central one behind a transit gateway (AWS's
        // centralized NAT64 design: the spoke sends 64:ff9b::/96 to the transit gateway, the
        // egress VPC to its NAT gateway; N4, N6).
        Some(r)
            if matches!(r.target, RouteTarget::NatGateway(_) | RouteTarget::TransitGateway(_))
                || r.destination.ipv6() != Some(net::NAT64_PREFIX) => {}
        Some(r) => out.add(
            FindingCode::Nat64RouteNotNat,
            &[rt.map_or(s.id.as_str(), |t| t.id.as_str()), &s.id],
            crate::text!("64:ff9b::/96 goes to {}, but only a NAT gateway translates it to IPv4 (NAT64)", r.target),
        ),
        None => {
            let table = rt.map_or("its route table".to_string(), |t| t.id.clone());
            out.add_with(
                FindingCode::Dns64WithoutNat64Route,
                &[&s.id],
                crate::text!("{} has DNS64 on, so names with only an A record resolve to 64:ff9b::/96 addresses, but {table} has no route for them: those names become unreachable", ctx.name(&s.id)),
                &[&table],
            );
        }
    }
}

/// N4, I5: a table routing 64:ff9b::/96 for NAT64 needs a subnet with DNS64 on among the ones
/// using it (R1: those it lists, and the VPC's subnets without a table when it is the main
/// one), or nothing resolves to those addresses.
fn nat64(ctx: &Ctx, rt: &RouteTable, out: &mut Findings) {
    let Some(r) = nat64_route(rt) else { return };
    if r.destination.ipv6() != Some(net::NAT64_PREFIX) {
        return;
    }
    let main = rt.main.then(|| ctx.ix.vpc_subnets(&rt.vpc)).into_iter().flatten();
    let mut users: Vec<(usize, &Subnet)> = rt
        .subnets
        .iter()
        .filter_map(|s| ctx.ix.subnet(s))
        .chain(main)
        .filter(|s| ctx.subnet_rt(s.id.as_str()).is_some_and(|t| t.id == rt.id))
        .filter_map(|s| Some((ctx.ix.pos(ResourceKind::Subnet, &s.id)?, s)))
        .collect();
    users.sort_by_key(|(at, _)| *at);
    if users.iter().any(|(_, s)| s.enable_dns64) {
        return;
    }
    if let Some((_, first)) = users.first() {
        out.add_with(
            FindingCode::Nat64RouteWithoutDns64,
            &[&rt.id],
            crate::text!("{} routes 64:ff9b::/96 for NAT64, but none of its subnets has DNS64 on: nothing resolves to those addresses", ctx.name(&rt.id)),
            &[&first.id],
        );
    }
}

/// Whether a rule's ports and protocol are the same.
fn same_traffic(a: (Protocol, PortSpec), b: (Protocol, PortSpec)) -> bool {
    let icmp = |p: Protocol| if p.is_icmp() { Protocol::Icmp } else { p };
    icmp(a.0) == icmp(b.0) && (a.1 == b.1 || a.0.is_icmp())
}

/// S2: in a VPC with IPv6, a group's rule for all of IPv4 with no IPv6 twin (0.0.0.0/0
/// without ::/0): IPv6 clients are refused what IPv4 ones get.
fn group_twins(ctx: &Ctx, g: &SecurityGroup, out: &mut Findings) {
    let any4 = IpNet::V4(ipnet::Ipv4Net::default());
    let any6 = IpNet::V6(Ipv6Net::default());
    for (egress, rules) in [(false, &g.ingress), (true, &g.egress)] {
        for r in rules.iter().filter(|r| r.peer == SgPeer::Cidr(any4)) {
            let twin = rules.iter().any(|x| {
                x.peer == SgPeer::Cidr(any6)
                    && (x.protocol == Protocol::All || same_traffic((x.protocol, x.ports), (r.protocol, r.ports)))
            });
            if !twin {
                let (dir, prep) = if egress { ("outbound", "to") } else { ("inbound", "from") };
                let what = crate::sim::filters::proto_ports(r.protocol, &r.ports);
                out.add(
                    FindingCode::SgIpv6TwinMissing,
                    &[&g.id],
                    crate::text!("{} allows {what} {prep} 0.0.0.0/0 {dir_ui} but not {prep} ::/0: IPv6 traffic the same rule was meant for is refused", ctx.name(&g.id), dir_ui = dir),
                );
            }
        }
    }
}

/// L2: in a VPC with IPv6, an ACL entry allowing all of IPv4 with no IPv6 twin.
fn acl_twins(ctx: &Ctx, a: &NetworkAcl, out: &mut Findings) {
    let any4 = IpNet::V4(ipnet::Ipv4Net::default());
    let any6 = IpNet::V6(Ipv6Net::default());
    for e in a.entries.iter().filter(|e| e.cidr == any4 && e.action == RuleAction::Allow) {
        let twin = a.entries.iter().any(|x| {
            x.egress == e.egress
                && x.cidr == any6
                && (x.protocol == Protocol::All || same_traffic((x.protocol, x.ports), (e.protocol, e.ports)))
        });
        if !twin {
            let dir = if e.egress { "outbound" } else { "inbound" };
            out.add(
                FindingCode::NaclIpv6TwinMissing,
                &[&a.id],
                crate::text!("{} rule {} allows {} {dir_ui} for 0.0.0.0/0 and no entry does the same for ::/0: IPv6 meets the final * deny (IPv4 and IPv6 entries are separate)", ctx.name(&a.id), e.rule_number, crate::sim::filters::proto_ports(e.protocol, &e.ports), dir_ui = dir),
            );
        }
    }
}

/// Routes of a VPC's tables to `target` whose destination is an IPv6 prefix overlapping one of
/// `blocks`.
fn routes_to<'a>(ctx: &'a Ctx, vpc: &str, target: &RouteTarget, blocks: &'a [Ipv6Net]) -> Vec<&'a RouteTable> {
    ctx.ix
        .vpc_route_tables(vpc)
        .filter(|rt| {
            rt.routes.iter().any(|r| {
                &r.target == target
                    && r.destination.ipv6().is_some_and(|d| blocks.iter().any(|b| net::overlaps6(*b, d)))
            })
        })
        .collect()
}

/// P2, P4: an active peering's VPCs' IPv6 blocks overlap; IPv6 routes on one side only.
fn peering(ctx: &Ctx, p: &VpcPeering, out: &mut Findings) {
    if p.status != PeeringStatus::Active {
        return;
    }
    let (Some(a), Some(b)) = (ctx.ix.vpc(p.requester_vpc.as_str()), ctx.ix.vpc(p.accepter_vpc.as_str())) else {
        return;
    };
    let (ab, bb): (Vec<Ipv6Net>, Vec<Ipv6Net>) = (a.ipv6_cidrs().collect(), b.ipv6_cidrs().collect());
    if ab.is_empty() && bb.is_empty() {
        // No IPv6 on either side: no block to overlap, no IPv6 route to miss.
        return;
    }
    if let Some((x, y)) = ab.iter().find_map(|x| bb.iter().find(|y| net::overlaps6(*x, **y)).map(|y| (x, y))) {
        out.add(
            FindingCode::PeeringCidrOverlap,
            &[&p.id, &a.id, &b.id],
            crate::text!(
                "{} joins {} ({x}) and {} ({y}), whose IPv6 blocks overlap: AWS cannot create it (P2)",
                ctx.name(&p.id),
                ctx.name(&a.id),
                ctx.name(&b.id)
            ),
        );
        return;
    }
    let t = RouteTarget::VpcPeering(p.id.clone());
    let a_to_b = routes_to(ctx, &a.id, &t, &bb);
    let b_to_a = routes_to(ctx, &b.id, &t, &ab);
    let (has, lacks, lacks_blocks) = match (a_to_b.is_empty(), b_to_a.is_empty()) {
        (false, true) => (a, b, &ab),
        (true, false) => (b, a, &bb),
        _ => return,
    };
    let Some(block) = lacks_blocks.first() else { return };
    out.add_with(
        FindingCode::PeeringIpv6RouteOneSide,
        &[&p.id, &lacks.id],
        crate::text!("{} routes IPv6 over {} to {}, but {} has no IPv6 route back to {block}: IPv6 requests arrive, replies have no way back", ctx.name(&has.id), ctx.name(&p.id), ctx.name(&lacks.id), ctx.name(&lacks.id)),
        &[block, &p.id, &lacks.id],
    );
}

/// T2, T4: IPv6 routes to a transit gateway whose attachment has IPv6 support off, or whose
/// TGW route table has no IPv6 route for them.
fn transit(ctx: &Ctx, out: &mut Findings) {
    let d = ctx.d;
    if d.tgw_attachments.is_empty() {
        // No route to a transit gateway has an attachment to check.
        return;
    }
    // The first VPC attachment of each (transit gateway, VPC), in design order.
    let mut attachment: HashMap<(&str, &str), &TgwAttachment> = HashMap::new();
    for a in &d.tgw_attachments {
        if let TgwAttachmentKind::Vpc { vpc, .. } = &a.kind {
            attachment.entry((a.tgw.as_str(), vpc.as_str())).or_insert(a);
        }
    }
    for rt in &d.route_tables {
        for r in rt.routes.iter().filter(|r| r.state == RouteState::Active) {
            let (Some(dest), RouteTarget::TransitGateway(tgw)) = (r.destination.ipv6(), &r.target) else { continue };
            let Some(att) = attachment.get(&(tgw.as_str(), rt.vpc.as_str())).copied() else { continue };
            if !att.ipv6_support {
                out.add_with(
                    FindingCode::TgwAttachmentNoIpv6,
                    &[&rt.id, &att.id],
                    crate::text!("{} routes {dest} to {tgw}, but {} has IPv6 support off: the transit gateway carries none of it", ctx.name(&rt.id), att.id),
                    &[&att.id],
                );
                continue;
            }
            let Some(table) = att.association.as_deref().and_then(|t| ctx.ix.tgw_route_table(t)) else { continue };
            let statics = table.static_routes.iter().filter_map(|s| match s.cidr {
                IpNet::V6(c) => Some(c),
                IpNet::V4(_) => None,
            });
            let propagated =
                table.propagations.iter().filter_map(|p| ctx.ix.tgw_attachment(p)).filter(|a| a.ipv6_support).flat_map(
                    |a| match &a.kind {
                        TgwAttachmentKind::Vpc { vpc, .. } => {
                            ctx.ix.vpc(vpc).map(|v| v.ipv6_cidrs().collect::<Vec<_>>()).unwrap_or_default()
                        }
                        _ => Vec::new(),
                    },
                );
            let covered = statics.chain(propagated).any(|c| net::overlaps6(c, dest));
            if !covered {
                out.add_with(
                    FindingCode::TgwIpv6NoRoute,
                    &[&rt.id, &table.id],
                    crate::text!("{} routes {dest} to {tgw}, but {} (used for traffic from {}) has no IPv6 route for it: the transit gateway drops it", ctx.name(&rt.id), table.id, att.id),
                    &[&dest, &table.id],
                );
            }
        }
    }
}
