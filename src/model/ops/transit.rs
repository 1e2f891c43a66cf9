//! Transit gateways, their attachments and route tables (T1–T5), virtual private gateways,
//! customer gateways and VPN connections (T6).

use super::common::{check_subnets_per_az, Cx};
use super::{Applied, AttachSpec, Op, OpError, Prepare, Ref, TgwRouteSpec, VpnSide};
use crate::model::*;
use crate::rules::Rule;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

use ResourceKind as RK;

pub(super) fn prepare(cx: Cx<'_>, op: &Op) -> Prepare {
    match op {
        Op::AddTransitGateway { name, region, asn, default_association, default_propagation } => {
            let c = TgwChange {
                name: Some(name.clone()),
                asn: Some(asn.unwrap_or(64512)),
                default_association: Some(*default_association),
                default_propagation: Some(*default_propagation),
            };
            transit_gateway(cx, Err(region.as_deref()), c)
        }
        Op::UpdateTransitGateway { tgw, name, asn, default_association, default_propagation } => {
            let c = TgwChange {
                name: name.clone(),
                asn: *asn,
                default_association: *default_association,
                default_propagation: *default_propagation,
            };
            transit_gateway(cx, Ok(tgw), c)
        }
        Op::AttachVpcToTransitGateway { tgw, vpc, subnets, name } => {
            let attaches = AttachSpec::Vpc { vpc: vpc.clone(), subnets: subnets.clone() };
            add_attachment(cx, tgw, name, &attaches, AttachmentState::Available, None, false)
        }
        Op::AddTgwAttachment { tgw, name, attaches, state, association, appliance_mode } => {
            add_attachment(cx, tgw, name, attaches, *state, association.as_ref(), *appliance_mode)
        }
        Op::UpdateTgwAttachment { attachment, name, state, association, subnets, appliance_mode } => {
            let change = AttachmentChange {
                name: name.as_deref(),
                state: *state,
                association: association.as_ref(),
                subnets: subnets.as_deref(),
                appliance_mode: *appliance_mode,
            };
            update_attachment(cx, attachment, change)
        }
        Op::AddTgwRouteTable { tgw, name, propagations, routes } => {
            tgw_route_table(cx, Err(tgw), Some(name), Some(propagations), Some(routes))
        }
        Op::UpdateTgwRouteTable { table, name, propagations, routes } => {
            tgw_route_table(cx, Ok(table), name.as_deref(), propagations.as_deref(), routes.as_deref())
        }
        Op::AddVpnGateway { name, vpc, asn } => {
            vpn_gateway(cx, None, Some(name), Some(vpc.clone()), Some(asn.unwrap_or(64512)))
        }
        Op::UpdateVpnGateway { vgw, name, vpc, asn } => vpn_gateway(cx, Some(vgw), name.as_deref(), vpc.clone(), *asn),
        Op::AddCustomerGateway { name, ip, bgp_asn } => {
            customer_gateway(cx, None, Some(name), Some(*ip), Some(bgp_asn.unwrap_or(65000)))
        }
        Op::UpdateCustomerGateway { cgw, name, ip, bgp_asn } => {
            customer_gateway(cx, Some(cgw), name.as_deref(), *ip, *bgp_asn)
        }
        Op::AddVpnConnection { name, customer_gateway, gateway, static_routes_only, routes, state } => {
            let c = VpnChange {
                name: Some(name.clone()),
                customer_gateway: Some(customer_gateway.clone()),
                gateway: Some(gateway.clone()),
                static_routes_only: Some(*static_routes_only),
                routes: Some(routes.clone()),
                state: Some(*state),
            };
            vpn_connection(cx, None, c)
        }
        Op::UpdateVpnConnection { vpn, name, customer_gateway, gateway, static_routes_only, routes, state } => {
            let c = VpnChange {
                name: name.clone(),
                customer_gateway: customer_gateway.clone(),
                gateway: gateway.clone(),
                static_routes_only: *static_routes_only,
                routes: routes.clone(),
                state: *state,
            };
            vpn_connection(cx, Some(vpn), c)
        }
        _ => Err(vec![OpError::invalid("", None, "not a transit or VPN op")]),
    }
}

/// A private ASN for an Amazon side (T1, T6).
fn check_asn(cx: &mut Cx<'_>, asn: u32, field: &'static str) {
    if !((64512..=65534).contains(&asn) || (4_200_000_000..=4_294_967_294).contains(&asn)) {
        cx.bad(field, None, crate::text!("{asn} is not a private ASN: use 64512-65534 or 4200000000-4294967294"));
    }
}

#[derive(Default)]
struct TgwChange {
    name: Option<String>,
    asn: Option<u32>,
    default_association: Option<bool>,
    default_propagation: Option<bool>,
}

/// Add a transit gateway in a region (`Err(region)`, default: the design's) with its default
/// route table (T3), or change one (`Ok(tgw)`).
fn transit_gateway(mut cx: Cx<'_>, which: Result<&Ref, Option<&str>>, c: TgwChange) -> Prepare {
    let editing = match which {
        Ok(r) => match cx.id(r, RK::TransitGateway, "tgw") {
            Some(id) => Some(id),
            None => return cx.stop(),
        },
        Err(_) => None,
    };
    let region = match which {
        Err(r) => r.map_or_else(|| cx.d.default_region.clone(), str::to_string),
        Ok(_) => String::new(),
    };
    if let Some(n) = &c.name {
        cx.name(RK::TransitGateway, n, None, editing.as_deref());
    }
    if let Some(a) = c.asn {
        check_asn(&mut cx, a, "asn");
    }
    cx.finish(&[RK::TransitGateway, RK::TgwRouteTable], move |d| {
        let (id, created, mut touched) = match editing {
            Some(id) => (id.clone(), None, vec![id]),
            None => {
                let id = d.new_id(RK::TransitGateway);
                let rt = d.new_id(RK::TgwRouteTable);
                let name = c.name.clone().unwrap_or_default();
                d.transit_gateways.push(TransitGateway {
                    id: id.clone(),
                    name: name.clone(),
                    region,
                    asn: 64512,
                    default_association: true,
                    default_propagation: true,
                    default_route_table: Some(rt.clone()),
                });
                d.tgw_route_tables.push(TgwRouteTable {
                    id: rt.clone(),
                    name: format!("{name}-default"),
                    tgw: id.clone(),
                    propagations: Vec::new(),
                    static_routes: Vec::new(),
                });
                (id.clone(), Some(id.clone()), vec![id, rt])
            }
        };
        if let Some(t) = d.transit_gateways.iter_mut().find(|t| t.id == id) {
            if let Some(n) = c.name {
                t.name = n;
            }
            if let Some(a) = c.asn {
                t.asn = a;
            }
            if let Some(x) = c.default_association {
                t.default_association = x;
            }
            if let Some(x) = c.default_propagation {
                t.default_propagation = x;
            }
        }
        touched.dedup();
        Applied { created, touched }
    })
}

/// A table of this transit gateway, for an association (T3).
fn check_association(cx: &mut Cx<'_>, r: Option<&Ref>, tgw: &str) -> Option<Option<Id>> {
    let id = cx.opt_id(r, RK::TgwRouteTable, "association")?;
    if let Some(t) = id.as_deref().and_then(|i| cx.d.tgw_route_table(i)) {
        if t.tgw != tgw {
            let m = crate::text!("{} belongs to {}, not this transit gateway (T3)", t.id, t.tgw);
            cx.bad("association", Some(Rule::T3), m);
        }
    }
    Some(id)
}

fn add_attachment(
    mut cx: Cx<'_>,
    tgw: &Ref,
    name: &str,
    attaches: &AttachSpec,
    state: AttachmentState,
    association: Option<&Option<Ref>>,
    appliance_mode: bool,
) -> Prepare {
    let Some(tid) = cx.id(tgw, RK::TransitGateway, "tgw") else { return cx.stop() };
    // T9: appliance mode is an option of VPC attachments.
    if appliance_mode && !matches!(attaches, AttachSpec::Vpc { .. }) {
        cx.bad("appliance_mode", Some(Rule::T9), "appliance mode is an option of VPC attachments only (T9)");
    }
    let Some(t) = cx.d.transit_gateway(&tid).cloned() else { return cx.stop() };
    cx.name(RK::TgwAttachment, name, Some(&tid), None);
    let kind = match attaches {
        AttachSpec::Vpc { vpc, subnets } => {
            let v = cx.id(vpc, RK::Vpc, "vpc");
            let s = cx.ids(subnets, &[RK::Subnet], "subnets");
            let (Some(v), Some(s)) = (v, s) else { return cx.stop() };
            if let Some(x) = cx.d.vpc(&v).filter(|x| x.region != t.region) {
                let m = crate::text!(
                    "{} is in {}, the transit gateway in {}; a TGW is regional (T1)",
                    x.id,
                    x.region,
                    t.region
                );
                cx.bad("vpc", Some(Rule::T1), m);
            }
            if s.is_empty() {
                cx.bad("subnets", Some(Rule::T2), "required: one subnet per AZ the VPC uses (T2)");
            }
            check_subnets_per_az(&mut cx, &s, &v, "subnets", "a VPC attachment uses one subnet per AZ (T2)");
            TgwAttachmentKind::Vpc { vpc: v, subnets: s }
        }
        AttachSpec::Vpn { vpn } => match cx.id(vpn, RK::VpnConnection, "vpn") {
            Some(v) => TgwAttachmentKind::Vpn { vpn: v },
            None => return cx.stop(),
        },
        AttachSpec::Peering { peer } => match cx.id(peer, RK::TransitGateway, "peer") {
            Some(p) => {
                if p == tid {
                    cx.bad("peer", Some(Rule::T5), "a transit gateway cannot peer with itself (T5)");
                }
                TgwAttachmentKind::Peering { peer_tgw: p }
            }
            None => return cx.stop(),
        },
    };
    let assoc = match association {
        Some(a) => match check_association(&mut cx, a.as_ref(), &tid) {
            Some(x) => x,
            None => return cx.stop(),
        },
        None => {
            if t.default_association {
                t.default_route_table.clone()
            } else {
                None
            }
        }
    };
    let name = name.to_string();
    cx.finish(&[RK::TgwAttachment, RK::TgwRouteTable], move |d| {
        let id = d.new_id(RK::TgwAttachment);
        let vpc = match &kind {
            TgwAttachmentKind::Vpc { vpc, .. } => Some(vpc.clone()),
            _ => None,
        };
        d.tgw_attachments.push(TgwAttachment {
            id: id.clone(),
            name,
            tgw: tid.clone(),
            kind,
            state,
            association: assoc,
            ipv6_support: false,
            appliance_mode,
        });
        let mut touched = vec![id.clone(), tid];
        touched.extend(vpc);
        // Default propagation puts the new attachment's routes in the default table (T3).
        if t.default_propagation {
            if let Some(rt) = t.default_route_table.and_then(|r| d.tgw_route_tables.iter_mut().find(|x| x.id == r)) {
                rt.propagations.push(id.clone());
                touched.push(rt.id.clone());
            }
        }
        Applied { created: Some(id), touched }
    })
}

/// What an `UpdateTgwAttachment` changes (`None`: unchanged).
struct AttachmentChange<'o> {
    name: Option<&'o str>,
    state: Option<AttachmentState>,
    association: Option<&'o Option<Ref>>,
    subnets: Option<&'o [Ref]>,
    appliance_mode: Option<bool>,
}

fn update_attachment(mut cx: Cx<'_>, attachment: &Ref, change: AttachmentChange<'_>) -> Prepare {
    let AttachmentChange { name, state, association, subnets, appliance_mode } = change;
    let Some(id) = cx.id(attachment, RK::TgwAttachment, "attachment") else { return cx.stop() };
    let Some(a) = cx.d.tgw_attachment(&id).cloned() else { return cx.stop() };
    // T9: appliance mode is an option of VPC attachments.
    if appliance_mode == Some(true) && !matches!(a.kind, TgwAttachmentKind::Vpc { .. }) {
        cx.bad("appliance_mode", Some(Rule::T9), "appliance mode is an option of VPC attachments only (T9)");
    }
    if let Some(n) = name {
        cx.name(RK::TgwAttachment, n, Some(&a.tgw), Some(&id));
    }
    let assoc = match association {
        Some(x) => match check_association(&mut cx, x.as_ref(), &a.tgw) {
            Some(v) => Some(v),
            None => return cx.stop(),
        },
        None => None,
    };
    let subs = match subnets {
        Some(s) => match cx.ids(s, &[RK::Subnet], "subnets") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    if let (Some(s), TgwAttachmentKind::Vpc { vpc, .. }) = (&subs, &a.kind) {
        if s.is_empty() {
            cx.bad("subnets", Some(Rule::T2), "required: one subnet per AZ the VPC uses (T2)");
        }
        check_subnets_per_az(&mut cx, s, vpc, "subnets", "a VPC attachment uses one subnet per AZ (T2)");
    }
    let name = name.map(str::to_string);
    cx.finish(&[RK::TgwAttachment], move |d| {
        if let Some(x) = d.tgw_attachments.iter_mut().find(|x| x.id == id) {
            if let Some(n) = name {
                x.name = n;
            }
            if let Some(s) = state {
                x.state = s;
            }
            if let Some(v) = assoc {
                x.association = v;
            }
            if let (Some(s), TgwAttachmentKind::Vpc { subnets, .. }) = (subs, &mut x.kind) {
                *subnets = s;
            }
            if let Some(m) = appliance_mode {
                x.appliance_mode = m;
            }
        }
        Applied { created: None, touched: vec![id] }
    })
}

/// Add a route table to a transit gateway (`Err(tgw)`) or change one (`Ok(table)`).
fn tgw_route_table(
    mut cx: Cx<'_>,
    which: Result<&Ref, &Ref>,
    name: Option<&str>,
    propagations: Option<&[Ref]>,
    routes: Option<&[TgwRouteSpec]>,
) -> Prepare {
    let (editing, tgw) = match which {
        Ok(r) => {
            let Some(id) = cx.id(r, RK::TgwRouteTable, "table") else { return cx.stop() };
            let tgw = cx.d.tgw_route_table(&id).map(|t| t.tgw.clone()).unwrap_or_default();
            (Some(id), tgw)
        }
        Err(t) => match cx.id(t, RK::TransitGateway, "tgw") {
            Some(t) => (None, t),
            None => return cx.stop(),
        },
    };
    if let Some(n) = name {
        cx.name(RK::TgwRouteTable, n, Some(&tgw), editing.as_deref());
    }
    let props = match propagations {
        Some(p) => match cx.ids(p, &[RK::TgwAttachment], "propagations") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    if let Some(a) = props.iter().flatten().filter_map(|i| cx.d.tgw_attachment(i)).find(|a| a.tgw != tgw) {
        let m = crate::text!("{} belongs to {}, not this transit gateway (T3)", a.id, a.tgw);
        cx.bad("propagations", Some(Rule::T3), m);
    }
    let mut static_routes = None;
    if let Some(rs) = routes {
        let mut out: Vec<TgwRoute> = Vec::new();
        for r in rs {
            let cidr = r.cidr.trunc();
            let att = match &r.attachment {
                Some(a) => match cx.id(a, RK::TgwAttachment, "routes") {
                    Some(id) => Some(id),
                    None => return cx.stop(),
                },
                None => None,
            };
            if att.as_deref().and_then(|i| cx.d.tgw_attachment(i)).is_some_and(|x| x.tgw != tgw) {
                cx.bad(
                    "routes",
                    Some(Rule::T4),
                    crate::text!("{} belongs to another transit gateway (T4)", att.clone().unwrap_or_default()),
                );
            }
            if out.iter().any(|x| x.cidr == cidr) {
                cx.bad("routes", Some(Rule::T4), crate::text!("{cidr} has two static routes (T4)"));
            }
            out.push(TgwRoute { cidr, attachment: att });
        }
        static_routes = Some(out);
    }
    let name = name.map(str::to_string);
    cx.finish(&[RK::TgwRouteTable], move |d| {
        let (id, created) = match editing {
            Some(id) => (id, None),
            None => {
                let id = d.new_id(RK::TgwRouteTable);
                d.tgw_route_tables.push(TgwRouteTable {
                    id: id.clone(),
                    name: String::new(),
                    tgw,
                    propagations: Vec::new(),
                    static_routes: Vec::new(),
                });
                (id.clone(), Some(id))
            }
        };
        if let Some(t) = d.tgw_route_tables.iter_mut().find(|t| t.id == id) {
            if let Some(n) = name {
                t.name = n;
            }
            if let Some(p) = props {
                t.propagations = p;
            }
            if let Some(r) = static_routes {
                t.static_routes = r;
            }
        }
        Applied { created, touched: vec![id] }
    })
}

fn vpn_gateway(
    mut cx: Cx<'_>,
    existing: Option<&Ref>,
    name: Option<&str>,
    vpc: Option<Option<Ref>>,
    asn: Option<u32>,
) -> Prepare {
    let editing = match existing {
        Some(r) => match cx.id(r, RK::VpnGateway, "vgw") {
            Some(id) => Some(id),
            None => return cx.stop(),
        },
        None => None,
    };
    let vpc = match vpc {
        Some(v) => match cx.opt_id(v.as_ref(), RK::Vpc, "vpc") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    if let Some(n) = name {
        cx.name(RK::VpnGateway, n, None, editing.as_deref());
    }
    if let Some(Some(v)) = &vpc {
        if let Some(o) =
            cx.d.vpn_gateways.iter().find(|x| x.vpc.as_deref() == Some(v) && Some(x.id.as_str()) != editing.as_deref())
        {
            let m = crate::text!("{v} already has {} attached; one VGW per VPC (T6)", o.id);
            cx.bad("vpc", Some(Rule::T6), m);
        }
    }
    if asn == Some(0) || asn == Some(u32::MAX) {
        cx.bad("asn", None, "the ASN must be a number from 1 to 4294967294");
    }
    let name = name.map(str::to_string);
    cx.finish(&[RK::VpnGateway], move |d| {
        let (id, created) = match editing {
            Some(id) => (id, None),
            None => {
                let id = d.new_id(RK::VpnGateway);
                d.vpn_gateways.push(VpnGateway { id: id.clone(), name: String::new(), vpc: None, asn: 64512 });
                (id.clone(), Some(id))
            }
        };
        let mut touched = vec![id.clone()];
        if let Some(g) = d.vpn_gateways.iter_mut().find(|g| g.id == id) {
            touched.extend(g.vpc.clone());
            if let Some(n) = name {
                g.name = n;
            }
            if let Some(v) = vpc {
                g.vpc = v;
            }
            touched.extend(g.vpc.clone());
            if let Some(a) = asn {
                g.asn = a;
            }
        }
        Applied { created, touched }
    })
}

fn customer_gateway(
    mut cx: Cx<'_>,
    existing: Option<&Ref>,
    name: Option<&str>,
    ip: Option<Ipv4Addr>,
    asn: Option<u32>,
) -> Prepare {
    let editing = match existing {
        Some(r) => match cx.id(r, RK::CustomerGateway, "cgw") {
            Some(id) => Some(id),
            None => return cx.stop(),
        },
        None => None,
    };
    if let Some(n) = name {
        cx.name(RK::CustomerGateway, n, None, editing.as_deref());
    }
    if asn == Some(0) || asn == Some(u32::MAX) {
        cx.bad("bgp_asn", None, "the BGP ASN must be a number from 1 to 4294967294");
    }
    let name = name.map(str::to_string);
    cx.finish(&[RK::CustomerGateway], move |d| {
        let (id, created) = match editing {
            Some(id) => (id, None),
            None => {
                let id = d.new_id(RK::CustomerGateway);
                d.customer_gateways.push(CustomerGateway {
                    id: id.clone(),
                    name: String::new(),
                    ip: ip.unwrap_or(Ipv4Addr::UNSPECIFIED),
                    bgp_asn: 65000,
                });
                (id.clone(), Some(id))
            }
        };
        if let Some(g) = d.customer_gateways.iter_mut().find(|g| g.id == id) {
            if let Some(n) = name {
                g.name = n;
            }
            if let Some(i) = ip {
                g.ip = i;
            }
            if let Some(a) = asn {
                g.bgp_asn = a;
            }
        }
        Applied { created, touched: vec![id] }
    })
}

#[derive(Default)]
struct VpnChange {
    name: Option<String>,
    customer_gateway: Option<Ref>,
    gateway: Option<Option<VpnSide>>,
    static_routes_only: Option<bool>,
    routes: Option<Vec<Ipv4Net>>,
    state: Option<VpnState>,
}

fn vpn_connection(mut cx: Cx<'_>, existing: Option<&Ref>, c: VpnChange) -> Prepare {
    let editing = match existing {
        Some(r) => match cx.id(r, RK::VpnConnection, "vpn") {
            Some(id) => Some(id),
            None => return cx.stop(),
        },
        None => None,
    };
    if let Some(n) = &c.name {
        cx.name(RK::VpnConnection, n, None, editing.as_deref());
    }
    let cgw = match &c.customer_gateway {
        Some(r) => match cx.id(r, RK::CustomerGateway, "customer_gateway") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    let side: Option<(Option<Id>, Option<Id>)> = match &c.gateway {
        Some(None) => Some((None, None)),
        Some(Some(VpnSide::VpnGateway(r))) => match cx.id(r, RK::VpnGateway, "gateway") {
            Some(x) => Some((Some(x), None)),
            None => return cx.stop(),
        },
        Some(Some(VpnSide::TransitGateway(r))) => match cx.id(r, RK::TransitGateway, "gateway") {
            Some(x) => Some((None, Some(x))),
            None => return cx.stop(),
        },
        None => None,
    };
    cx.finish(&[RK::VpnConnection], move |d| {
        let (id, created) = match editing {
            Some(id) => (id, None),
            None => {
                let id = d.new_id(RK::VpnConnection);
                d.vpn_connections.push(VpnConnection {
                    id: id.clone(),
                    name: String::new(),
                    customer_gateway: String::new(),
                    vpn_gateway: None,
                    transit_gateway: None,
                    static_routes_only: false,
                    routes: Vec::new(),
                    state: VpnState::Available,
                });
                (id.clone(), Some(id))
            }
        };
        let mut touched = vec![id.clone()];
        if let Some(x) = d.vpn_connections.iter_mut().find(|x| x.id == id) {
            touched.extend(x.vpn_gateway.clone());
            if let Some(n) = c.name {
                x.name = n;
            }
            if let Some(g) = cgw {
                x.customer_gateway = g;
            }
            if let Some((v, t)) = side {
                x.vpn_gateway = v;
                x.transit_gateway = t;
            }
            touched.extend(x.vpn_gateway.clone());
            if let Some(s) = c.static_routes_only {
                x.static_routes_only = s;
            }
            if let Some(r) = c.routes {
                x.routes = r;
            }
            if let Some(s) = c.state {
                x.state = s;
            }
        }
        Applied { created, touched }
    })
}
