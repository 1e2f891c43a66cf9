//! Transit gateways, their attachments and route tables (T1–T5).
//!
//! `describe-transit-gateway-attachments` gives each attachment's associated table;
//! propagations and routes (`get-transit-gateway-route-table-propagations`,
//! `search-transit-gateway-routes`) do not name their table, so they are used only when the
//! file names it beside the list (`TransitGatewayRouteTableId`) or the snapshot has one table.

use super::collect::Raw;
use super::json::{arr, cidr, n, obj, s, so, strings};
use super::Ctx;
use crate::model::*;

fn attachment_state(text: Option<&str>) -> AttachmentState {
    match text {
        Some("pendingAcceptance") => AttachmentState::PendingAcceptance,
        Some("pending" | "initiating" | "initiatingRequest") => AttachmentState::Pending,
        Some("failed" | "failing" | "rejected" | "rejecting") => AttachmentState::Failed,
        Some("deleted" | "deleting") => AttachmentState::Deleted,
        _ => AttachmentState::Available,
    }
}

/// Transit gateways, their route tables, attachments, propagations and static routes.
pub fn import_transit(cx: &mut Ctx) {
    for raw in cx.c.get("TransitGateways") {
        let v = &raw.v;
        let Some(id) = so(v, "TransitGatewayId") else { continue };
        if matches!(s(v, "State"), Some("deleted" | "deleting")) {
            cx.report.info(&raw.file, &id, crate::text!("transit gateway is deleted: skipped"));
            continue;
        }
        let o = obj(v, "Options");
        cx.d.transit_gateways.push(TransitGateway {
            id: id.clone(),
            name: cx.name(v, &id),
            region: cx.region(raw),
            asn: n(o, "AmazonSideAsn").and_then(|a| u32::try_from(a).ok()).unwrap_or(64512),
            default_association: s(o, "DefaultRouteTableAssociation") != Some("disable"),
            default_propagation: s(o, "DefaultRouteTablePropagation") != Some("disable"),
            default_route_table: so(o, "AssociationDefaultRouteTableId"),
        });
    }
    for raw in cx.c.get("TransitGatewayRouteTables") {
        let v = &raw.v;
        let (Some(id), Some(tgw)) = (so(v, "TransitGatewayRouteTableId"), so(v, "TransitGatewayId")) else { continue };
        if matches!(s(v, "State"), Some("deleted" | "deleting")) {
            continue;
        }
        let name = cx.name(v, &id);
        cx.d.tgw_route_tables.push(TgwRouteTable {
            id,
            name,
            tgw,
            propagations: Vec::new(),
            static_routes: Vec::new(),
        });
    }
    import_attachments(cx);
    import_propagations_and_routes(cx);
}

fn import_attachments(cx: &mut Ctx) {
    let generic = cx.c.get("TransitGatewayAttachments");
    let vpc_specific = cx.c.get("TransitGatewayVpcAttachments");
    let peering = cx.c.get("TransitGatewayPeeringAttachments");
    let mut ids: Vec<String> = generic
        .iter()
        .chain(vpc_specific)
        .chain(peering)
        .filter_map(|r| so(&r.v, "TransitGatewayAttachmentId"))
        .collect();
    let mut seen = std::collections::HashSet::new();
    ids.retain(|i| seen.insert(i.clone()));
    // Each list by attachment id, once (a lookup per attachment in each list would be N²).
    let by_id = |list: &'_ [Raw]| {
        let mut m: std::collections::HashMap<String, Raw> = std::collections::HashMap::new();
        for r in list {
            if let Some(id) = so(&r.v, "TransitGatewayAttachmentId") {
                m.entry(id).or_insert_with(|| r.clone());
            }
        }
        m
    };
    let (generic_ix, vpc_ix, peering_ix) = (by_id(generic), by_id(vpc_specific), by_id(peering));
    let find = |ix: &std::collections::HashMap<String, Raw>, id: &str| ix.get(id).cloned();
    for id in ids {
        let g = find(&generic_ix, &id);
        let vpcv = find(&vpc_ix, &id);
        let peer = find(&peering_ix, &id);
        let any = g.as_ref().or(vpcv.as_ref()).or(peer.as_ref()).cloned();
        let Some(any) = any else { continue };
        let file = any.file.clone();
        let state = attachment_state(s(&any.v, "State"));
        let tgw = so(&any.v, "TransitGatewayId")
            .or_else(|| peer.as_ref().and_then(|p| so(obj(&p.v, "RequesterTgwInfo"), "TransitGatewayId")));
        let Some(tgw) = tgw else { continue };
        let resource_type = g.as_ref().and_then(|g| so(&g.v, "ResourceType"));
        let kind = if let Some(vv) = &vpcv {
            let Some(vpc) = so(&vv.v, "VpcId") else { continue };
            TgwAttachmentKind::Vpc { vpc, subnets: strings(&vv.v, "SubnetIds", None) }
        } else if let Some(p) = &peer {
            let (req, acc) = (obj(&p.v, "RequesterTgwInfo"), obj(&p.v, "AccepterTgwInfo"));
            let other = if s(req, "TransitGatewayId") == Some(tgw.as_str()) { acc } else { req };
            let Some(peer_tgw) = so(other, "TransitGatewayId") else { continue };
            TgwAttachmentKind::Peering { peer_tgw }
        } else {
            let gv = &g.as_ref().map(|g| g.v.clone()).unwrap_or_default();
            match (resource_type.as_deref(), so(gv, "ResourceId")) {
                (Some("vpc"), Some(vpc)) => {
                    cx.report.info(
                        &file,
                        &id,
                        crate::text!(
                            "VPC attachment without describe-transit-gateway-vpc-attachments: its subnets are unknown"
                        ),
                    );
                    TgwAttachmentKind::Vpc { vpc, subnets: Vec::new() }
                }
                (Some("vpn"), Some(vpn)) => TgwAttachmentKind::Vpn { vpn },
                (Some("peering"), Some(peer_tgw)) => TgwAttachmentKind::Peering { peer_tgw },
                (other, _) => {
                    cx.report.warn(
                        &file,
                        &id,
                        crate::text!("{} attachment: not modelled, skipped", other.unwrap_or("unknown")),
                    );
                    continue;
                }
            }
        };
        let association = g
            .as_ref()
            .map(|g| obj(&g.v, "Association"))
            .filter(|a| !matches!(s(a, "State"), Some("disassociated" | "disassociating")))
            .and_then(|a| so(a, "TransitGatewayRouteTableId"));
        let name = cx.name(&any.v, &id);
        // T9: describe-transit-gateway-vpc-attachments `Options.ApplianceModeSupport`.
        let appliance_mode =
            vpcv.as_ref().and_then(|vv| s(obj(&vv.v, "Options"), "ApplianceModeSupport")) == Some("enable");
        // T2: `Options.Ipv6Support`.
        let ipv6_support = vpcv.as_ref().and_then(|vv| s(obj(&vv.v, "Options"), "Ipv6Support")) == Some("enable");
        cx.d.tgw_attachments.push(TgwAttachment {
            id,
            name,
            tgw,
            kind,
            state,
            association,
            ipv6_support,
            appliance_mode,
        });
    }
    // Attachments of TGWs that propagate by default propagate into the default table (T3).
    let defaults: Vec<(Id, Id)> =
        cx.d.transit_gateways
            .iter()
            .filter(|t| t.default_propagation)
            .filter_map(|t| Some((t.id.clone(), t.default_route_table.clone()?)))
            .collect();
    let explicit = !cx.c.get("TransitGatewayRouteTablePropagations").is_empty();
    if !explicit && !defaults.is_empty() && !cx.d.tgw_attachments.is_empty() {
        cx.report.info(
            "",
            "TransitGatewayRouteTablePropagations",
            crate::text!("not in the snapshot: assumed every attachment propagates into its gateway's default table"),
        );
        for (tgw, table) in defaults {
            let atts: Vec<Id> = cx.d.tgw_attachments.iter().filter(|a| a.tgw == tgw).map(|a| a.id.clone()).collect();
            if let Some(rt) = cx.ix.tgw_route_table_mut(&mut cx.d, &table) {
                rt.propagations.extend(atts);
            }
        }
    }
}

/// The table a table-less list belongs to: named beside it, else the only table there is.
fn table_for(cx: &mut Ctx, raw: &Raw, key: &str) -> Option<Id> {
    if let Some(t) = &raw.table {
        return Some(t.clone());
    }
    if cx.d.tgw_route_tables.len() == 1 {
        return Some(cx.d.tgw_route_tables[0].id.clone());
    }
    cx.report.warn(
        &raw.file,
        key,
        crate::text!("does not say which transit gateway route table it belongs to: skipped"),
    );
    None
}

fn import_propagations_and_routes(cx: &mut Ctx) {
    let mut warned = std::collections::HashSet::new();
    for raw in cx.c.get("TransitGatewayRouteTablePropagations") {
        if warned.contains(&raw.file) {
            continue;
        }
        let Some(table) = table_for(cx, raw, "TransitGatewayRouteTablePropagations") else {
            warned.insert(raw.file.clone());
            continue;
        };
        let Some(att) = so(&raw.v, "TransitGatewayAttachmentId") else { continue };
        if matches!(s(&raw.v, "State"), Some("disabled" | "disabling")) {
            continue;
        }
        if let Some(rt) = cx.ix.tgw_route_table_mut(&mut cx.d, &table) {
            if !rt.propagations.contains(&att) {
                rt.propagations.push(att);
            }
        }
    }
    for raw in cx.c.get("Routes") {
        if warned.contains(&raw.file) {
            continue;
        }
        // Propagated routes follow from the propagations (T3); only static ones are stored.
        if s(&raw.v, "Type") == Some("propagated") {
            continue;
        }
        let Some(c) = cidr(&raw.v, "DestinationCidrBlock") else { continue };
        let Some(table) = table_for(cx, raw, "Routes") else {
            warned.insert(raw.file.clone());
            continue;
        };
        let attachment = if s(&raw.v, "State") == Some("blackhole") {
            None
        } else {
            arr(&raw.v, "TransitGatewayAttachments").iter().find_map(|a| so(a, "TransitGatewayAttachmentId"))
        };
        if let Some(rt) = cx.ix.tgw_route_table_mut(&mut cx.d, &table) {
            rt.static_routes.push(TgwRoute { cidr: c.into(), attachment });
        }
    }
}
