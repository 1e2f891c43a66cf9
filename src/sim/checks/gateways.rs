//! Gateway checks: internet gateways (I1, I2), NAT gateways (N1–N8), Elastic IPs, VGWs (T6)
//! and transit gateway attachments (T2, T3).

use super::{Ctx, FindingCode, Findings};
use crate::model::*;
use std::collections::HashMap;

pub fn check(ctx: &Ctx, out: &mut Findings) {
    let d = ctx.d;
    let mut igws: HashMap<&str, Vec<&str>> = HashMap::new();
    for g in &d.internet_gateways {
        if let Some(v) = &g.vpc {
            igws.entry(v.as_str()).or_default().push(&g.id);
            if !ctx.vpcs.contains_key(v.as_str()) {
                out.add(
                    FindingCode::IgwVpcMissing,
                    &[&g.id],
                    format!("{} is attached to {v}, which is not in the design", ctx.name(&g.id)),
                );
            }
        }
    }
    for (v, list) in &igws {
        if list.len() > 1 {
            let mut ids: Vec<&str> = vec![v];
            ids.extend(list.iter().copied());
            out.add(
                FindingCode::IgwMultiple,
                &ids,
                format!("{} has {} internet gateways attached; a VPC can have only one", ctx.name(v), list.len()),
            );
        }
    }
    let mut vgws: HashMap<&str, usize> = HashMap::new();
    for g in &d.vpn_gateways {
        if let Some(v) = &g.vpc {
            *vgws.entry(v.as_str()).or_default() += 1;
        }
    }
    for (v, n) in vgws {
        if n > 1 {
            out.add(
                FindingCode::VgwMultiple,
                &[v],
                format!("{} has {n} virtual private gateways attached; a VPC can have one", ctx.name(v)),
            );
        }
    }

    // EIPs used twice.
    let mut eip_users: HashMap<&str, Vec<&str>> = HashMap::new();
    for n in &d.nat_gateways {
        if let Some(e) = &n.eip {
            eip_users.entry(e.as_str()).or_default().push(&n.id);
        }
    }
    for e in &d.network_interfaces {
        if let Some(a) = &e.eip {
            eip_users.entry(a.as_str()).or_default().push(&e.id);
        }
    }
    for (eip, users) in &eip_users {
        if users.len() > 1 {
            let mut ids = vec![*eip];
            ids.extend(users.iter().copied());
            out.add(
                FindingCode::EipAssociatedTwice,
                &ids,
                format!("Elastic IP {} is associated with {} resources at once", ctx.name(eip), users.len()),
            );
        }
        if d.elastic_ip(eip).is_none() {
            out.add(
                FindingCode::EipMissing,
                &[users[0], eip],
                format!("{} uses Elastic IP {eip}, which is not in the design", ctx.name(users[0])),
            );
        }
    }

    for n in &d.nat_gateways {
        let vpc = ctx.subnet_vpc(&n.subnet);
        if n.connectivity == NatConnectivity::Public {
            if n.eip.is_none() {
                out.add(
                    FindingCode::NatNoEip,
                    &[&n.id],
                    format!("{} is a public NAT gateway without an Elastic IP", ctx.name(&n.id)),
                );
            }
            if let Some(v) = vpc {
                if !igws.contains_key(v.id.as_str()) {
                    out.add(
                        FindingCode::NatVpcNoIgw,
                        &[&n.id, &v.id],
                        format!(
                            "{} is a public NAT gateway in {}, which has no internet gateway: AWS fails it",
                            ctx.name(&n.id),
                            ctx.name(&v.id)
                        ),
                    );
                }
            }
            match ctx.subnet_rt.get(n.subnet.as_str()) {
                Some(rt) if Ctx::has_igw_route(rt) => {}
                _ => out.add(FindingCode::NatSubnetNotPublic, &[&n.id, &n.subnet], format!("{} sits in {}, whose route table has no route to an internet gateway; its traffic cannot leave (N3)", ctx.name(&n.id), ctx.name(&n.subnet))),
            }
        } else if ctx.subnet_rt.get(n.subnet.as_str()).is_some_and(|rt| Ctx::has_igw_route(rt)) {
            out.add(
                FindingCode::NatPrivateToIgw,
                &[&n.id],
                format!(
                    "{} is a private NAT gateway whose subnet routes to an internet gateway; the IGW drops its traffic",
                    ctx.name(&n.id)
                ),
            );
        }
        if n.state != NatState::Available {
            out.add(
                FindingCode::NatNotAvailable,
                &[&n.id],
                format!("{} is {:?}; only an available NAT gateway forwards", ctx.name(&n.id), n.state),
            );
        }
    }

    // I2: public IPs in subnets without an internet route, and the reverse.
    for e in &d.network_interfaces {
        let Some(rt) = ctx.subnet_rt.get(e.subnet.as_str()) else { continue };
        let public = d.interface_public_ip(e).is_some();
        if public && !Ctx::has_igw_route(rt) && e.instance.is_some() {
            out.add(FindingCode::PublicIpInPrivateSubnet, &[&e.id], format!("{} has a public IP but its subnet {} has no route to an internet gateway, so the address is unusable", ctx.name(&e.id), ctx.name(&e.subnet)));
        }
    }

    // T2/T3: transit gateway attachments.
    for a in &d.tgw_attachments {
        if let TgwAttachmentKind::Vpc { subnets, .. } = &a.kind {
            let mut by_az: HashMap<&str, &str> = HashMap::new();
            for s in subnets {
                if let Some(sub) = ctx.subnets.get(s.as_str()) {
                    if let Some(prev) = by_az.insert(sub.az.as_str(), s) {
                        out.add(
                            FindingCode::TgwAttachmentSubnetsSameAz,
                            &[&a.id, prev, s],
                            format!(
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
                format!(
                    "{} is associated with no transit gateway route table; packets from it have no routes",
                    ctx.name(&a.id)
                ),
            );
        }
    }
}
