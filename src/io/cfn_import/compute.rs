//! Elastic IPs, NAT gateways, network interfaces and instances. Addresses the template leaves
//! to AWS get placeholders, in template order.

use super::values::{b, ip, list, n, p, s, Found};
use super::Cx;
use crate::model::*;
use serde_json::Value;
use std::collections::HashMap;
use std::net::Ipv4Addr;

/// Elastic IPs, NAT gateways, interfaces and instances in template order, then attachments.
pub fn import(cx: &mut Cx) {
    let t = cx.t;
    for r in t.resources.iter().filter(|r| !r.condition_skipped && r.properties.is_object()) {
        match r.resource_type.as_str() {
            "AWS::EC2::EIP" => {
                let public_ip = cx.ph.public_ip();
                cx.d.elastic_ips.push(ElasticIp {
                    id: cx.id(&r.logical_id),
                    name: r.logical_id.clone(),
                    public_ip,
                    placeholder: true,
                });
            }
            "AWS::EC2::NatGateway" => nat_gateway(cx, &r.logical_id, &r.properties),
            "AWS::EC2::NetworkInterface" => {
                let id = cx.id(&r.logical_id);
                if let Some(e) = interface(cx, &id, &r.logical_id, &r.properties, None, &r.logical_id) {
                    cx.d.network_interfaces.push(e);
                }
            }
            "AWS::EC2::Instance" => instance(cx, &r.logical_id, &r.properties),
            _ => {}
        }
    }
    attachments(cx);
}

fn nat_gateway(cx: &mut Cx, logical: &str, props: &Value) {
    if s(props, "AvailabilityMode").is_some_and(|m| m.eq_ignore_ascii_case("regional")) {
        return regional_nat_gateway(cx, logical, props);
    }
    let Some(subnet) = cx.subnet_ref(p(props, "SubnetId"), None, logical) else {
        cx.report.warn("", logical, crate::text!("NAT gateway without a usable subnet: skipped"));
        return;
    };
    let (private_ip, placeholder) = match ip(props, "PrivateIpAddress") {
        Some(a) => (a, false),
        None => match cx.ph.private_ip(&cx.d, &subnet) {
            Some(a) => (a, true),
            None => {
                cx.report.warn("", logical, crate::text!("no free address for the NAT gateway in its subnet: skipped"));
                return;
            }
        },
    };
    let private = s(props, "ConnectivityType") == Some("private");
    let eip = if private { None } else { allocation(cx, p(props, "AllocationId"), logical) };
    cx.d.nat_gateways.push(NatGateway {
        id: cx.id(logical),
        name: logical.to_string(),
        subnet: Some(subnet),
        connectivity: if private { NatConnectivity::Private } else { NatConnectivity::Public },
        private_ip: Some(private_ip),
        eip,
        state: NatState::Available,
        placeholder,
        ..Default::default()
    });
}

/// N9: `AvailabilityMode: regional`: a NAT gateway of a VPC (`VpcId`), no subnet. Manual mode
/// lists `AvailabilityZoneAddresses` (an AZ and its `AllocationIds` each); automatic mode has
/// AWS allocate the address, which gets a placeholder Elastic IP here.
fn regional_nat_gateway(cx: &mut Cx, logical: &str, props: &Value) {
    let Some(vpc) = cx.vpc_prop(props, "VpcId", logical) else {
        cx.report.warn("", logical, crate::text!("regional NAT gateway without a usable VpcId: skipped"));
        return;
    };
    if s(props, "ConnectivityType") == Some("private") {
        cx.report.warn(
            "",
            logical,
            crate::text!("a regional NAT gateway is a public one (N9); ConnectivityType private ignored"),
        );
    }
    let mut zones = Vec::new();
    for z in list(props, "AvailabilityZoneAddresses") {
        let zone = s(z, "AvailabilityZone").or_else(|| s(z, "AvailabilityZoneId")).map(str::to_string);
        let eips: Vec<Id> = list(z, "AllocationIds").into_iter().filter_map(|a| allocation(cx, a, logical)).collect();
        match zone {
            Some(zone) if !eips.is_empty() => zones.push(NatZoneAddress { zone, eips }),
            _ => cx.report.warn(
                "",
                logical,
                crate::text!("an AvailabilityZoneAddresses entry without an AZ or Elastic IPs: ignored"),
            ),
        }
    }
    let mut eip = allocation(cx, p(props, "AllocationId"), logical);
    if eip.is_none() && zones.is_empty() {
        // Automatic mode: AWS allocates the address; the trace needs one to show.
        let id = format!("{}-eip", cx.id(logical));
        let public_ip = cx.ph.public_ip();
        cx.d.elastic_ips.push(ElasticIp {
            id: id.clone(),
            name: format!("{logical}-eip"),
            public_ip,
            placeholder: true,
        });
        eip = Some(id);
    }
    cx.d.nat_gateways.push(NatGateway {
        id: cx.id(logical),
        name: logical.to_string(),
        availability_mode: NatAvailabilityMode::Regional,
        vpc: Some(vpc),
        zones,
        eip,
        state: NatState::Available,
        ..Default::default()
    });
}

/// An Elastic IP reference (`Fn::GetAtt EIP.AllocationId`, `Ref EIP` or an id).
fn allocation(cx: &mut Cx, v: &Value, from: &str) -> Option<Id> {
    if v.is_null() {
        return None;
    }
    match cx.lookup(v, from)? {
        Found::Design(ResourceKind::ElasticIp, id) | Found::External(id) => Some(id),
        Found::Design(k, id) => {
            cx.report.warn(
                "",
                from,
                crate::text!("{id} ({kind_ui}) is not an Elastic IP: ignored", kind_ui = k.label()),
            );
            None
        }
    }
}

/// A network interface from ENI-shaped properties (an `AWS::EC2::NetworkInterface` or an
/// instance's `NetworkInterfaces` entry). `public` asks for an auto-assigned public IP.
fn interface(
    cx: &mut Cx,
    id: &str,
    name: &str,
    props: &Value,
    public: Option<bool>,
    from: &str,
) -> Option<NetworkInterface> {
    let Some(subnet) = cx.subnet_ref(p(props, "SubnetId"), None, from) else {
        cx.report.warn("", from, crate::text!("network interface without a usable subnet: skipped"));
        return None;
    };
    let mut ips: Vec<Ipv4Addr> = Vec::new();
    ips.extend(ip(props, "PrivateIpAddress"));
    let mut listed: Vec<(bool, Ipv4Addr)> = list(props, "PrivateIpAddresses")
        .into_iter()
        .filter_map(|x| Some((b(x, "Primary").unwrap_or(false), ip(x, "PrivateIpAddress")?)))
        .collect();
    listed.sort_by_key(|(primary, _)| !primary);
    for (_, a) in listed {
        if !ips.contains(&a) {
            ips.push(a);
        }
    }
    let mut placeholder = false;
    // A7: an interface in an IPv6-only subnet has no IPv4 address.
    let ipv6_only = cx.d.subnet(&subnet).is_some_and(|x| x.is_ipv6_only());
    if ips.is_empty() && !ipv6_only {
        ips.extend(cx.ph.private_ip(&cx.d, &subnet));
        placeholder = true;
    }
    for _ in 0..n(props, "SecondaryPrivateIpAddressCount").unwrap_or(0).clamp(0, 49) {
        ips.extend(cx.ph.private_ip(&cx.d, &subnet));
        placeholder = true;
    }
    if ips.is_empty() && !ipv6_only {
        cx.report.warn("", from, crate::text!("no free address in the subnet: interface skipped"));
        return None;
    }
    let vpc = cx.ix.subnet(&cx.d, &subnet).map(|x| x.vpc.clone());
    let mut groups = cx.group_refs(list(props, "GroupSet"), vpc.as_deref(), from);
    if groups.is_empty() {
        // Without groups AWS uses the VPC's default group (S5).
        groups.extend(vpc.as_deref().and_then(|v| cx.default_of(v).0));
    }
    let public_ip = public.unwrap_or(false).then(|| {
        placeholder = true;
        cx.ph.public_ip()
    });
    let mut e = NetworkInterface::new(id, name, subnet, std::net::Ipv4Addr::UNSPECIFIED);
    e.private_ips = ips;
    cx.ipv6_addresses(&mut e, props, from);
    if e.private_ips.is_empty() && e.ipv6_addresses.is_empty() {
        cx.report.warn("", from, crate::text!("an interface in an IPv6-only subnet without an IPv6 address: skipped"));
        return None;
    }
    e.public_ip = public_ip;
    e.security_groups = groups;
    e.source_dest_check = b(props, "SourceDestCheck").unwrap_or(true);
    e.placeholder = placeholder;
    Some(e)
}

fn instance(cx: &mut Cx, logical: &str, props: &Value) {
    let id = cx.id(logical);
    let nis = list(props, "NetworkInterfaces");
    let mut created = 0;
    if nis.is_empty() {
        if p(props, "SubnetId").is_null() {
            cx.report.warn(
                "",
                logical,
                crate::text!(
                    "instance without SubnetId or NetworkInterfaces (it would launch in the default VPC): skipped"
                ),
            );
            cx.ids.remove(logical);
            return;
        }
        // The primary interface from the instance's own properties.
        let mut ni = serde_json::json!({ "SubnetId": p(props, "SubnetId"), "GroupSet": p(props, "SecurityGroupIds") });
        if let Some(a) = p(props, "PrivateIpAddress").as_str() {
            ni["PrivateIpAddress"] = Value::String(a.to_string());
        }
        for k in ["Ipv6AddressCount", "Ipv6Addresses"] {
            if !p(props, k).is_null() {
                ni[k] = p(props, k).clone();
            }
        }
        let sn = subnet_of(cx, props);
        let public = cx.ix.subnet(&cx.d, &sn).is_some_and(|sn| sn.map_public_ip_on_launch);
        if let Some(mut e) =
            interface(cx, &format!("eni-{logical}-0"), &format!("{logical}-eth0"), &ni, Some(public), logical)
        {
            e.instance = Some(id.clone());
            e.source_dest_check = b(props, "SourceDestCheck").unwrap_or(true);
            cx.d.network_interfaces.push(e);
            created += 1;
        }
    }
    for ni in &nis {
        if !p(ni, "NetworkInterfaceId").is_null() {
            created += 1;
            continue;
        }
        let index = n(ni, "DeviceIndex").and_then(|x| u32::try_from(x).ok()).unwrap_or(0);
        let public = match b(ni, "AssociatePublicIpAddress") {
            Some(x) => x,
            None => {
                let sn = subnet_of(cx, ni);
                index == 0 && cx.ix.subnet(&cx.d, &sn).is_some_and(|sn| sn.map_public_ip_on_launch)
            }
        };
        if let Some(mut e) = interface(
            cx,
            &format!("eni-{logical}-{index}"),
            &format!("{logical}-eth{index}"),
            ni,
            Some(public),
            logical,
        ) {
            e.instance = Some(id.clone());
            e.device_index = index;
            if index == 0 {
                e.source_dest_check = b(props, "SourceDestCheck").unwrap_or(true);
            }
            cx.d.network_interfaces.push(e);
            created += 1;
        }
    }
    if created == 0 {
        cx.report.warn("", logical, crate::text!("instance without a usable network interface: skipped"));
        cx.ids.remove(logical);
        return;
    }
    cx.d.instances.push(Instance {
        id,
        name: logical.to_string(),
        instance_type: s(props, "InstanceType").unwrap_or("m1.small").to_string(),
        state: InstanceState::Running,
        role: String::new(),
    });
}

/// The design id of a `SubnetId` property, when it is a template subnet.
fn subnet_of(cx: &Cx, props: &Value) -> Id {
    match crate::io::cfn::markers::marker(p(props, "SubnetId")) {
        Some(crate::io::cfn::markers::Marker::Ref(l)) => cx.id(l),
        _ => p(props, "SubnetId").as_str().unwrap_or_default().to_string(),
    }
}

/// Interfaces attached by id (instance entries, `NetworkInterfaceAttachment`) and Elastic IP
/// associations, once every interface exists.
fn attachments(cx: &mut Cx) {
    let mut attach: Vec<(String, Value, Value, u32)> = Vec::new();
    for r in cx.of_type("AWS::EC2::Instance") {
        for ni in list(&r.properties, "NetworkInterfaces") {
            if !p(ni, "NetworkInterfaceId").is_null() {
                let index = n(ni, "DeviceIndex").and_then(|x| u32::try_from(x).ok()).unwrap_or(0);
                let inst = crate::io::cfn::markers::ref_marker(&r.logical_id);
                attach.push((r.logical_id.clone(), inst, p(ni, "NetworkInterfaceId").clone(), index));
            }
        }
    }
    for r in cx.of_type("AWS::EC2::NetworkInterfaceAttachment") {
        let index = n(&r.properties, "DeviceIndex").and_then(|x| u32::try_from(x).ok()).unwrap_or(1);
        attach.push((
            r.logical_id.clone(),
            p(&r.properties, "InstanceId").clone(),
            p(&r.properties, "NetworkInterfaceId").clone(),
            index,
        ));
    }
    for (from, inst, eni, index) in attach {
        let Some(i) = cx.resolve(&inst, ResourceKind::Instance, &from) else { continue };
        let Some(e) = cx.resolve(&eni, ResourceKind::NetworkInterface, &from) else { continue };
        if cx.ix.instance(&cx.d, &i).is_none() {
            // An instance whose only interfaces are attached by id: it exists now.
            cx.d.instances.push(Instance {
                id: i.clone(),
                name: from.clone(),
                instance_type: String::new(),
                state: InstanceState::Running,
                role: String::new(),
            });
        }
        if let Some(x) = cx.ix.network_interface_mut(&mut cx.d, &e) {
            x.instance = Some(i);
            x.device_index = index;
        }
    }
    let mut assoc: Vec<(String, Value, Value, Value)> = Vec::new();
    for r in cx.of_type("AWS::EC2::EIP") {
        if !p(&r.properties, "InstanceId").is_null() {
            let eip = crate::io::cfn::markers::ref_marker(&r.logical_id);
            assoc.push((r.logical_id.clone(), eip, p(&r.properties, "InstanceId").clone(), Value::Null));
        }
    }
    for r in cx.of_type("AWS::EC2::EIPAssociation") {
        let eip = if p(&r.properties, "AllocationId").is_null() {
            p(&r.properties, "EIP")
        } else {
            p(&r.properties, "AllocationId")
        };
        assoc.push((
            r.logical_id.clone(),
            eip.clone(),
            p(&r.properties, "InstanceId").clone(),
            p(&r.properties, "NetworkInterfaceId").clone(),
        ));
    }
    // Each instance's primary interface (lowest device index), found once.
    let mut primary: HashMap<Id, (u32, Id)> = HashMap::new();
    for e in &cx.d.network_interfaces {
        if let Some(i) = &e.instance {
            let slot = primary.entry(i.clone()).or_insert((e.device_index, e.id.clone()));
            if e.device_index < slot.0 {
                *slot = (e.device_index, e.id.clone());
            }
        }
    }
    for (from, eip, inst, eni) in assoc {
        let Some(alloc) = allocation(cx, &eip, &from) else { continue };
        let target = if !eni.is_null() {
            cx.resolve(&eni, ResourceKind::NetworkInterface, &from)
        } else {
            let i = cx.resolve(&inst, ResourceKind::Instance, &from);
            i.and_then(|i| primary.get(&i).map(|(_, e)| e.clone()))
        };
        match target.and_then(|t| cx.ix.network_interface_mut(&mut cx.d, &t)) {
            Some(x) => {
                x.eip = Some(alloc);
                // The EIP replaces an auto-assigned public address (I3).
                x.public_ip = None;
            }
            None => cx.report.info(
                "",
                &from,
                crate::text!("Elastic IP association with an interface the template does not create: skipped"),
            ),
        }
    }
}
