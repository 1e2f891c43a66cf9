//! Gateway checks: internet gateways (I1, I2), NAT gateways (N1–N8), Elastic IPs, VGWs (T6)
//! and transit gateway attachments (T2, T3).

use super::{Ctx, FindingCode, Findings, Scope};
use crate::model::*;
use std::collections::HashMap;

/// The gateways, NAT gateways and public addresses of one VPC.
pub fn vpc(ctx: &Ctx, v: &Vpc, scope: &Scope, out: &mut Findings) {
    let igws = ctx.ix.vpc_positions(ResourceKind::InternetGateway, &v.id);
    if igws.len() > 1 {
        let igws: Vec<&str> = igws.iter().map(|&g| ctx.d.internet_gateways[g].id.as_str()).collect();
        igw_multiple(ctx, &v.id, &igws, out);
    }
    vgw_multiple(ctx, &v.id, ctx.ix.vpc_positions(ResourceKind::VpnGateway, &v.id).len(), out);
    for &n in &scope.nats {
        let n = &ctx.d.nat_gateways[n];
        nat(ctx, n, out);
        eip_users(ctx, n.eip.as_deref(), out);
    }
    for &e in &scope.enis {
        let e = &ctx.d.network_interfaces[e];
        public_ip(ctx, e, out);
        eip_users(ctx, e.eip.as_deref(), out);
    }
}

/// An Elastic IP used by more than one NAT gateway or interface, or not in the design: said by
/// the VPC of each user (the same finding; the list is sorted and deduplicated), its users
/// found through the index whatever VPC they are in.
fn eip_users(ctx: &Ctx, eip: Option<&str>, out: &mut Findings) {
    let Some(eip) = eip else { return };
    let users = ctx.ix.eip_users(eip);
    if users.len() > 1 {
        let mut ids = vec![eip];
        ids.extend(users.iter().copied());
        out.add(
            FindingCode::EipAssociatedTwice,
            &ids,
            crate::text!("Elastic IP {} is associated with {} resources at once", ctx.name(eip), users.len()),
        );
    }
    if ctx.ix.elastic_ip(eip).is_none() {
        if let Some(first) = users.first() {
            out.add(
                FindingCode::EipMissing,
                &[first, eip],
                crate::text!("{} uses Elastic IP {eip}, which is not in the design", ctx.name(first)),
            );
        }
    }
}

/// Transit gateway attachments, and gateways (and the Elastic IPs of those) of VPCs not in
/// the design.
pub fn design(ctx: &Ctx, out: &mut Findings) {
    let d = ctx.d;
    let mut igws: HashMap<&str, Vec<&str>> = HashMap::new();
    for g in ctx.outside(ResourceKind::InternetGateway).iter().copied().map(|g| &d.internet_gateways[g]) {
        if let Some(v) = g.vpc.as_deref() {
            igws.entry(v).or_default().push(&g.id);
            out.add(
                FindingCode::IgwVpcMissing,
                &[&g.id],
                crate::text!("{} is attached to {v}, which is not in the design", ctx.name(&g.id)),
            );
        }
    }
    for (v, list) in &igws {
        igw_multiple(ctx, v, list, out);
    }
    let mut vgws: HashMap<&str, usize> = HashMap::new();
    for g in ctx.outside(ResourceKind::VpnGateway).iter().copied().map(|g| &d.vpn_gateways[g]) {
        if let Some(v) = g.vpc.as_deref() {
            *vgws.entry(v).or_default() += 1;
        }
    }
    for (v, n) in vgws {
        vgw_multiple(ctx, v, n, out);
    }

    for n in d.nat_gateways.iter().filter(|n| ctx.ix.nat_vpc_id(n).and_then(|v| ctx.ix.vpc(v)).is_none()) {
        nat(ctx, n, out);
        eip_users(ctx, n.eip.as_deref(), out);
    }
    for e in ctx.enis_outside().iter().map(|&e| &d.network_interfaces[e]) {
        public_ip(ctx, e, out);
        eip_users(ctx, e.eip.as_deref(), out);
    }

    // T2/T3: transit gateway attachments.
    for a in &d.tgw_attachments {
        if let TgwAttachmentKind::Vpc { subnets, .. } = &a.kind {
            let mut by_az: HashMap<&str, &str> = HashMap::new();
            for s in subnets {
                if let Some(sub) = ctx.ix.subnet(s) {
                    if let Some(prev) = by_az.insert(sub.az.as_str(), s) {
                        out.add(
                            FindingCode::TgwAttachmentSubnetsSameAz,
                            &[&a.id, prev, s],
                            crate::text!(
                                "{} uses two subnets in {}; an attachment takes one subnet per AZ",
                                ctx.name(&a.id),
                                sub.az
                            ),
                        );
                    }
                }
            }
        }
        if a.association.is_none() {
            out.add(
                FindingCode::TgwAttachmentNotAssociated,
                &[&a.id],
                crate::text!(
                    "{} is associated with no transit gateway route table; packets from it have no routes",
                    ctx.name(&a.id)
                ),
            );
        }
    }
}

/// I1: one internet gateway per VPC.
fn igw_multiple(ctx: &Ctx, v: &str, list: &[&str], out: &mut Findings) {
    if list.len() > 1 {
        let mut ids: Vec<&str> = vec![v];
        ids.extend(list.iter().copied());
        out.add(
            FindingCode::IgwMultiple,
            &ids,
            crate::text!("{} has {} internet gateways attached; a VPC can have only one", ctx.name(v), list.len()),
        );
    }
}

/// T6: one virtual private gateway per VPC.
fn vgw_multiple(ctx: &Ctx, v: &str, n: usize, out: &mut Findings) {
    if n > 1 {
        out.add(
            FindingCode::VgwMultiple,
            &[v],
            crate::text!("{} has {n} virtual private gateways attached; a VPC can have one", ctx.name(v)),
        );
    }
}

/// N1–N3, N7 on one NAT gateway.
fn nat(ctx: &Ctx, n: &NatGateway, out: &mut Findings) {
    let vpc = ctx.ix.nat_vpc_id(n).and_then(|v| ctx.ix.vpc(v));
    if n.connectivity == NatConnectivity::Public {
        if n.eip.is_none() {
            out.add(
                FindingCode::NatNoEip,
                &[&n.id],
                crate::text!("{} is a public NAT gateway without an Elastic IP", ctx.name(&n.id)),
            );
        }
        if let Some(v) = vpc {
            if ctx.ix.vpc_internet_gateway(&v.id).is_none() {
                out.add(
                    FindingCode::NatVpcNoIgw,
                    &[&n.id, &v.id],
                    crate::text!(
                        "{} is a public NAT gateway in {}, which has no internet gateway: AWS fails it",
                        ctx.name(&n.id),
                        ctx.name(&v.id)
                    ),
                );
            }
        }
        match (&n.subnet, n.route_table.as_deref().and_then(|r| ctx.ix.route_table(r))) {
            (Some(s), _) => match ctx.subnet_rt(s) {
                Some(rt) if Ctx::has_igw_route(rt) => {}
                _ => out.add(FindingCode::NatSubnetNotPublic, &[&n.id, s], crate::text!("{} sits in {}, whose route table has no route to an internet gateway; its traffic cannot leave (N3)", ctx.name(&n.id), ctx.name(s))),
            },
            // N9: a regional NAT gateway routes by its own table; AWS's has 0.0.0.0/0 → IGW.
            (None, Some(rt)) if !Ctx::has_igw_route(rt) => out.add(FindingCode::NatSubnetNotPublic, &[&n.id, &rt.id], crate::text!("{} is a regional NAT gateway whose route table {} has no route to an internet gateway; its traffic cannot leave (N9)", ctx.name(&n.id), ctx.name(&rt.id))),
            (None, _) => {}
        }
    } else if n.subnet.as_deref().and_then(|s| ctx.subnet_rt(s)).is_some_and(Ctx::has_igw_route) {
        out.add(
            FindingCode::NatPrivateToIgw,
            &[&n.id],
            crate::text!(
                "{} is a private NAT gateway whose subnet routes to an internet gateway; the IGW drops its traffic",
                ctx.name(&n.id)
            ),
        );
    }
    if n.state != NatState::Available {
        out.add(
            FindingCode::NatNotAvailable,
            &[&n.id],
            crate::text!("{} is {:?}; only an available NAT gateway forwards", ctx.name(&n.id), n.state),
        );
    }
}

/// I2: a public address in a subnet without an internet route is unusable.
fn public_ip(ctx: &Ctx, e: &NetworkInterface, out: &mut Findings) {
    let Some(rt) = ctx.subnet_rt(&e.subnet) else { return };
    let public = ctx.ix.interface_public_ip(e).is_some();
    if public && !Ctx::has_igw_route(rt) && e.instance.is_some() {
        out.add(
            FindingCode::PublicIpInPrivateSubnet,
            &[&e.id],
            crate::text!(
                "{} has a public IP but its subnet {} has no route to an internet gateway, so the address is unusable",
                ctx.name(&e.id),
                ctx.name(&e.subnet)
            ),
        );
    }
}
