//! Elastic IPs, NAT gateways, instances and network interfaces (X4, N1–N8).
//!
//! Interfaces AWS manages for other resources (NAT gateways, interface endpoints, load
//! balancers, TGW attachments) become part of those resources, not plain ENIs.

use super::collect::Raw;
use super::json::{arr, b, ip, obj, s, so, strings};
use super::{Ctx, EniRole};
use crate::model::*;
use serde_json::Value;

/// `Addresses`: Elastic IPs, remembering what each is associated with.
pub fn import_addresses(cx: &mut Ctx) {
    for raw in cx.c.get("Addresses") {
        let v = &raw.v;
        let Some(public_ip) = ip(v, "PublicIp") else { continue };
        let id = so(v, "AllocationId").unwrap_or_else(|| {
            cx.report.info(
                &raw.file,
                public_ip.to_string(),
                crate::text!("EC2-Classic address without an AllocationId"),
            );
            format!("eipalloc-{}", public_ip.to_string().replace('.', "-"))
        });
        if let Some(eni) = so(v, "NetworkInterfaceId") {
            cx.eip_by_eni.insert(eni, id.clone());
        } else if let Some(i) = so(v, "InstanceId") {
            cx.eip_by_instance.insert(i, id.clone());
        }
        cx.ph.note(public_ip);
        let name = cx.name(v, &id);
        cx.d.elastic_ips.push(ElasticIp { id, name, public_ip, placeholder: false });
    }
}

/// Sort out which interfaces stand for other resources, and gather every interface (those of
/// `NetworkInterfaces` and those listed inside instances) by id.
pub fn classify_interfaces(cx: &mut Ctx) {
    for raw in cx.c.get("NetworkInterfaces") {
        if let Some(id) = so(&raw.v, "NetworkInterfaceId") {
            cx.enis.entry(id).or_insert_with(|| raw.clone());
        }
    }
    for inst in cx.c.get("Instances") {
        let instance_id = so(&inst.v, "InstanceId");
        for e in arr(&inst.v, "NetworkInterfaces") {
            let Some(id) = so(e, "NetworkInterfaceId") else { continue };
            let mut v = e.clone();
            // An instance's own list leaves out the instance id: put it where an ENI has it.
            if let (Some(obj), Some(i)) = (v.get_mut("Attachment").and_then(Value::as_object_mut), &instance_id) {
                obj.entry("InstanceId").or_insert_with(|| Value::String(i.clone()));
            }
            cx.enis.entry(id).or_insert_with(|| Raw {
                file: inst.file.clone(),
                account: inst.account.clone(),
                region: inst.region.clone(),
                table: inst.table.clone(),
                v,
            });
        }
    }
    // Real addresses first, so no placeholder made later collides with one.
    for raw in cx.enis.values() {
        arr(&raw.v, "PrivateIpAddresses").iter().filter_map(|p| ip(p, "PrivateIpAddress")).for_each(|a| cx.ph.note(a));
        eni_ip(&raw.v).into_iter().chain(eni_public_ip(&raw.v)).for_each(|a| cx.ph.note(a));
    }
    for nat in cx.c.get("NatGateways") {
        for a in arr(&nat.v, "NatGatewayAddresses") {
            ip(a, "PrivateIp").into_iter().chain(ip(a, "PublicIp")).for_each(|a| cx.ph.note(a));
        }
    }
    for (id, raw) in &cx.enis {
        if let Some(role) = role_of(&raw.v) {
            cx.eni_roles.insert(id.clone(), role);
        }
    }
}

fn role_of(v: &Value) -> Option<EniRole> {
    let kind = s(v, "InterfaceType").unwrap_or("interface");
    let desc = s(v, "Description").unwrap_or("");
    let last_word = || desc.split_whitespace().last().unwrap_or("").to_string();
    match kind {
        "nat_gateway" | "natGateway" => Some(EniRole::NatGateway(last_word())),
        "vpc_endpoint" | "gateway_load_balancer_endpoint" => Some(EniRole::Endpoint(last_word())),
        "transit_gateway" => Some(EniRole::TgwAttachment),
        _ if desc.starts_with("ELB net/") || desc.starts_with("ELB app/") || desc.starts_with("ELB gwy/") => {
            Some(EniRole::LoadBalancer(desc.trim_start_matches("ELB ").to_string()))
        }
        _ if desc.starts_with("Interface for NAT Gateway ") => Some(EniRole::NatGateway(last_word())),
        _ if desc.starts_with("VPC Endpoint Interface ") => Some(EniRole::Endpoint(last_word())),
        _ => super::services::role_of(desc),
    }
}

/// The primary private IP of an interface.
pub fn eni_ip(v: &Value) -> Option<std::net::Ipv4Addr> {
    ip(v, "PrivateIpAddress").or_else(|| arr(v, "PrivateIpAddresses").iter().find_map(|p| ip(p, "PrivateIpAddress")))
}

/// The public IP of an interface's association.
pub fn eni_public_ip(v: &Value) -> Option<std::net::Ipv4Addr> {
    ip(obj(v, "Association"), "PublicIp")
}

/// An Elastic IP allocation for a public address the snapshot shows in use but whose
/// `Addresses` entry is missing; created when needed.
fn ensure_eip(cx: &mut Ctx, file: &str, allocation: Option<String>, public_ip: std::net::Ipv4Addr) -> Id {
    if let Some(e) = allocation.as_deref().and_then(|a| cx.ix.elastic_ip(&cx.d, a)) {
        return e.id.clone();
    }
    if let Some(id) = cx.eip_of_ip(public_ip) {
        return id;
    }
    let id = allocation.unwrap_or_else(|| format!("eipalloc-{}", public_ip.to_string().replace('.', "-")));
    cx.report.info(file, &id, crate::text!("Elastic IP {public_ip} is in use but not in Addresses: added"));
    cx.ph.note(public_ip);
    cx.d.elastic_ips.push(ElasticIp { id: id.clone(), name: id.clone(), public_ip, placeholder: false });
    id
}

/// NAT gateways with their private IP and EIP (N1, N2, N7).
pub fn import_nat_gateways(cx: &mut Ctx) {
    for raw in cx.c.get("NatGateways") {
        let v = &raw.v;
        if s(v, "AvailabilityMode") == Some("regional") {
            regional_nat_gateway(cx, &raw.file, v);
            continue;
        }
        let (Some(id), Some(subnet)) = (so(v, "NatGatewayId"), so(v, "SubnetId")) else { continue };
        let addr = arr(v, "NatGatewayAddresses").iter().find(|a| b(a, "IsPrimary") != Some(false)).cloned();
        let addr = addr.unwrap_or(Value::Null);
        let eni_ip = so(&addr, "NetworkInterfaceId").and_then(|e| cx.enis.get(&e)).and_then(|r| eni_ip(&r.v));
        let (private_ip, placeholder) = match ip(&addr, "PrivateIp").or(eni_ip) {
            Some(a) => (a, false),
            None => match cx.ph.private_ip(&cx.d, &subnet) {
                Some(a) => (a, true),
                None => {
                    cx.report.warn(
                        &raw.file,
                        &id,
                        crate::text!("NAT gateway without a private IP in a subnet the snapshot lacks: skipped"),
                    );
                    continue;
                }
            },
        };
        cx.ph.note(private_ip);
        let connectivity = if s(v, "ConnectivityType") == Some("private") {
            NatConnectivity::Private
        } else {
            NatConnectivity::Public
        };
        let eip = match (so(&addr, "AllocationId"), ip(&addr, "PublicIp")) {
            (a, Some(p)) => Some(ensure_eip(cx, &raw.file, a, p)),
            (Some(a), None) => Some(a),
            (None, None) => None,
        };
        let state = nat_state(v);
        let name = cx.name(v, &id);
        cx.d.nat_gateways.push(NatGateway {
            id,
            name,
            subnet: Some(subnet),
            connectivity,
            private_ip: Some(private_ip),
            eip,
            state,
            placeholder,
            ..Default::default()
        });
    }
}

fn nat_state(v: &Value) -> NatState {
    match s(v, "State") {
        Some("pending") => NatState::Pending,
        Some("failed") => NatState::Failed,
        Some("deleting") => NatState::Deleting,
        Some("deleted") => NatState::Deleted,
        _ => NatState::Available,
    }
}

/// N9: a regional NAT gateway (`AvailabilityMode: regional`): its VPC, the route table AWS
/// made for it (`RouteTableId`), and its addresses; with `AutoProvisionZones: disabled` (manual
/// mode) the addresses are kept per AZ.
fn regional_nat_gateway(cx: &mut Ctx, file: &str, v: &Value) {
    let (Some(id), Some(vpc)) = (so(v, "NatGatewayId"), so(v, "VpcId")) else { return };
    let mut zones: Vec<NatZoneAddress> = Vec::new();
    let mut first = None;
    for a in arr(v, "NatGatewayAddresses") {
        let Some(public) = ip(a, "PublicIp") else { continue };
        let e = ensure_eip(cx, file, so(a, "AllocationId"), public);
        first.get_or_insert_with(|| e.clone());
        if let Some(z) = so(a, "AvailabilityZone").or_else(|| so(a, "AvailabilityZoneId")) {
            match zones.iter_mut().find(|x| x.zone == z) {
                Some(x) => x.eips.push(e),
                None => zones.push(NatZoneAddress { zone: z, eips: vec![e] }),
            }
        }
    }
    if s(v, "AutoProvisionZones") != Some("disabled") {
        zones.clear(); // automatic mode: AWS follows the VPC's subnets (N9)
    }
    let route_table = so(v, "RouteTableId");
    let state = nat_state(v);
    let name = cx.name(v, &id);
    cx.d.nat_gateways.push(NatGateway {
        id,
        name,
        availability_mode: NatAvailabilityMode::Regional,
        vpc: Some(vpc),
        route_table,
        zones,
        eip: first,
        state,
        ..Default::default()
    });
}

fn instance_state(v: &Value) -> InstanceState {
    match s(obj(v, "State"), "Name") {
        Some("pending") => InstanceState::Pending,
        Some("stopping") => InstanceState::Stopping,
        Some("stopped") => InstanceState::Stopped,
        Some("shutting-down") => InstanceState::ShuttingDown,
        Some("terminated") => InstanceState::Terminated,
        _ => InstanceState::Running,
    }
}

/// Instances, then every interface that does not stand for another resource.
pub fn import_instances_and_interfaces(cx: &mut Ctx) {
    for raw in cx.c.get("Instances") {
        let v = &raw.v;
        let Some(id) = so(v, "InstanceId") else { continue };
        let state = instance_state(v);
        if state != InstanceState::Running {
            cx.report.info(
                &raw.file,
                &id,
                crate::text!("instance is {}: it answers nothing", format!("{state:?}").to_lowercase()),
            );
        }
        let has_enis = !arr(v, "NetworkInterfaces").is_empty();
        if !has_enis {
            synthesize_primary_eni(cx, raw, &id);
        }
        cx.d.instances.push(Instance {
            id: id.clone(),
            name: cx.name(v, &id),
            instance_type: so(v, "InstanceType").unwrap_or_default(),
            state,
            role: String::new(),
        });
    }
    let mut ids: Vec<&Id> = cx.enis.keys().collect();
    ids.sort();
    let ids: Vec<Id> = ids.into_iter().cloned().collect();
    for id in ids {
        let raw = cx.enis[&id].clone();
        match cx.eni_roles.get(&id) {
            Some(EniRole::TgwAttachment) => cx.report.info(
                &raw.file,
                &id,
                crate::text!("transit gateway attachment interface: part of the attachment"),
            ),
            Some(_) => {}
            None => plain_eni(cx, &raw, &id),
        }
    }
}

/// An instance listed without its interfaces (older or trimmed output): its primary interface
/// from the instance's own fields.
fn synthesize_primary_eni(cx: &mut Ctx, raw: &Raw, id: &str) {
    let v = &raw.v;
    let (Some(subnet), Some(addr)) = (so(v, "SubnetId"), ip(v, "PrivateIpAddress")) else {
        cx.report.info(&raw.file, id, crate::text!("instance without network interfaces in the snapshot"));
        return;
    };
    let mut e = serde_json::json!({
        "NetworkInterfaceId": format!("eni-of-{id}"),
        "SubnetId": subnet,
        "PrivateIpAddress": addr.to_string(),
        "Attachment": {"InstanceId": id, "DeviceIndex": 0},
        "SourceDestCheck": b(v, "SourceDestCheck").unwrap_or(true),
        "Groups": v.get("SecurityGroups").cloned().unwrap_or(Value::Null),
    });
    if let Some(p) = so(v, "PublicIpAddress") {
        e["Association"] = serde_json::json!({"PublicIp": p, "IpOwnerId": "amazon"});
    }
    plain_eni(cx, &Raw { v: e, ..raw.clone() }, &format!("eni-of-{id}"));
}

fn plain_eni(cx: &mut Ctx, raw: &Raw, id: &str) {
    let v = &raw.v;
    let Some(subnet) = so(v, "SubnetId") else {
        cx.report.warn(&raw.file, id, crate::text!("network interface without a subnet: skipped"));
        return;
    };
    let mut ips: Vec<std::net::Ipv4Addr> = Vec::new();
    ips.extend(eni_ip(v));
    for p in arr(v, "PrivateIpAddresses") {
        if let Some(a) = ip(p, "PrivateIpAddress") {
            if !ips.contains(&a) {
                ips.push(a);
            }
        }
    }
    let ipv6: Vec<std::net::Ipv6Addr> =
        arr(v, "Ipv6Addresses").iter().filter_map(|a| crate::net::parse_ipv6(s(a, "Ipv6Address")?).ok()).collect();
    let mut placeholder = false;
    // A7: an interface in an IPv6-only subnet has IPv6 addresses and no IPv4 one.
    if ips.is_empty() && ipv6.is_empty() {
        match cx.ph.private_ip(&cx.d, &subnet) {
            Some(a) => {
                ips.push(a);
                placeholder = true;
            }
            None => {
                cx.report.warn(&raw.file, id, crate::text!("network interface without a private IP: skipped"));
                return;
            }
        }
    }
    ips.iter().for_each(|a| cx.ph.note(*a));
    let att = obj(v, "Attachment");
    let instance = so(att, "InstanceId").filter(|_| !matches!(s(att, "Status"), Some("detached" | "detaching")));
    let device_index = super::json::n(att, "DeviceIndex").and_then(|n| u32::try_from(n).ok()).unwrap_or(0);
    let assoc = obj(v, "Association");
    let mut eip = cx.eip_by_eni.get(id).cloned();
    if eip.is_none() && device_index == 0 {
        eip = instance.as_ref().and_then(|i| cx.eip_by_instance.get(i)).cloned();
    }
    let mut public_ip = None;
    if let (None, Some(p)) = (&eip, eni_public_ip(v)) {
        if s(assoc, "IpOwnerId") == Some("amazon") && so(assoc, "AllocationId").is_none() {
            public_ip = Some(p);
            cx.ph.note(p);
        } else {
            eip = Some(ensure_eip(cx, &raw.file, so(assoc, "AllocationId"), p));
        }
    }
    if b(v, "RequesterManaged") == Some(true) || !matches!(s(v, "InterfaceType"), None | Some("interface")) {
        let what = s(v, "Description").filter(|d| !d.is_empty()).unwrap_or("an AWS service");
        cx.report.info(&raw.file, id, crate::text!("interface managed for {what}: imported as a plain interface"));
    }
    let default_name =
        s(v, "Description").filter(|d| !d.is_empty() && d.len() <= 64 && !d.starts_with("Primary network"));
    let name = super::json::name_tag(v)
        .or_else(|| cx.names.get(id).cloned())
        .or_else(|| default_name.map(str::to_string))
        .unwrap_or_else(|| id.to_string());
    cx.d.network_interfaces.push(NetworkInterface {
        id: id.to_string(),
        name,
        subnet,
        private_ips: ips,
        ipv6_addresses: ipv6,
        public_ip,
        eip,
        security_groups: strings(v, "Groups", Some("GroupId")),
        source_dest_check: b(v, "SourceDestCheck").unwrap_or(true),
        instance,
        device_index,
        placeholder,
    });
}
