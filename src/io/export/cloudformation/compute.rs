//! Elastic IPs, NAT gateways, network interfaces and instances.

use super::{name_tag, Cfn, AMI_PARAMETER};
use crate::model::*;
use serde_json::{json, Value};

/// Elastic IPs, NAT gateways, interfaces, instances and EIP associations.
pub fn export(cx: &mut Cfn) {
    let d = cx.d;
    for e in super::keep(d.elastic_ips.iter(), |e| cx.declared(&e.id)) {
        let l = cx.plan.name(&e.id).unwrap_or_default().to_string();
        cx.add(&l, "AWS::EC2::EIP", json!({ "Domain": "vpc", "Tags": name_tag(&e.name) }));
    }
    nat_gateways(cx);
    interfaces(cx);
    instances(cx);
    eip_associations(cx);
}

fn nat_gateways(cx: &mut Cfn) {
    let d = cx.d;
    for n in super::keep(d.nat_gateways.iter(), |n| cx.declared(&n.id)) {
        let l = cx.plan.name(&n.id).unwrap_or_default().to_string();
        let mut p = match &n.subnet {
            Some(s) => json!({ "SubnetId": cx.r(s), "Tags": name_tag(&n.name) }),
            // N9: a regional NAT gateway names its VPC, and in manual mode its AZs' addresses.
            None => {
                let mut p = json!({ "AvailabilityMode": "regional", "Tags": name_tag(&n.name) });
                if let Some(v) = &n.vpc {
                    p["VpcId"] = cx.r(v);
                }
                if !n.zones.is_empty() {
                    let zones: Vec<Value> = n
                        .zones
                        .iter()
                        .map(|z| {
                            let ids: Vec<Value> = z.eips.iter().map(|e| cx.getatt(e, "AllocationId")).collect();
                            json!({ "AvailabilityZone": z.zone, "AllocationIds": ids })
                        })
                        .collect();
                    p["AvailabilityZoneAddresses"] = Value::Array(zones);
                }
                if n.route_table.is_some() {
                    cx.note(format!("{}: AWS creates a regional NAT gateway's route table itself; the routes of the design's table are declared on a table of their own", n.name));
                }
                p
            }
        };
        let mut deps = Vec::new();
        match n.connectivity {
            NatConnectivity::Public => match &n.eip {
                Some(e) if n.zones.is_empty() => p["AllocationId"] = cx.getatt(e, "AllocationId"),
                Some(_) => {}
                None if n.is_regional() => {}
                None => {
                    cx.note(format!("{}: a public NAT gateway without an Elastic IP (N1); AWS will refuse it", n.name))
                }
            },
            NatConnectivity::Private => p["ConnectivityType"] = json!("private"),
        }
        if let (false, Some(ip)) = (n.placeholder, n.private_ip) {
            p["PrivateIpAddress"] = json!(ip.to_string());
        }
        // A public NAT gateway fails without an attached internet gateway (N1).
        if let Some(vpc) = n.vpc_id(d).cloned() {
            if let Some(g) = cx.ix.vpc_internet_gateway(&vpc) {
                deps.extend(super::network::attachment_of(cx, &g.id));
            }
        }
        if n.state != NatState::Available {
            cx.note(format!("{}: state {:?} cannot be declared; the NAT gateway will be available", n.name, n.state));
        }
        cx.add_with(&l, "AWS::EC2::NatGateway", p, deps);
    }
}

/// `PrivateIpAddress` / `PrivateIpAddresses` of an interface (none when AWS is to choose).
fn addresses(e: &NetworkInterface, p: &mut Value) {
    // A7: AWS assigns IPv6 addresses from the subnet's block, whose prefix it picks at
    // deployment; the template asks for as many.
    if !e.ipv6_addresses.is_empty() {
        p["Ipv6AddressCount"] = json!(e.ipv6_addresses.len());
    }
    if e.placeholder || e.private_ips.is_empty() {
        return;
    }
    if e.private_ips.len() == 1 {
        p["PrivateIpAddress"] = json!(e.private_ips[0].to_string());
    } else {
        let list: Vec<Value> = e
            .private_ips
            .iter()
            .enumerate()
            .map(|(k, ip)| json!({ "PrivateIpAddress": ip.to_string(), "Primary": k == 0 }))
            .collect();
        p["PrivateIpAddresses"] = json!(list);
    }
}

fn groups(cx: &Cfn, e: &NetworkInterface) -> Vec<Value> {
    e.security_groups.iter().map(|g| cx.r(g)).collect()
}

fn interfaces(cx: &mut Cfn) {
    let d = cx.d;
    for e in super::keep(d.network_interfaces.iter(), |e| cx.declared(&e.id)) {
        let l = cx.plan.name(&e.id).unwrap_or_default().to_string();
        let mut p = json!({ "SubnetId": cx.r(&e.subnet), "Tags": name_tag(&e.name) });
        addresses(e, &mut p);
        let g = groups(cx, e);
        if !g.is_empty() {
            p["GroupSet"] = json!(g);
        }
        if !e.source_dest_check {
            p["SourceDestCheck"] = json!(false);
        }
        if e.public_ip.is_some() && cx.plan.inline_parent(&e.id).is_none() {
            cx.note(format!(
                "{}: an auto-assigned public IP exists only on an instance's primary interface; not exported",
                e.name
            ));
        }
        cx.add(&l, "AWS::EC2::NetworkInterface", p);
    }
}

fn instances(cx: &mut Cfn) {
    let d = cx.d;
    for i in super::keep(d.instances.iter(), |i| cx.declared(&i.id)) {
        let l = cx.plan.name(&i.id).unwrap_or_default().to_string();
        let nics: Vec<&NetworkInterface> = cx.ix.instance_interfaces(&i.id).collect();
        if nics.is_empty() {
            cx.note(format!("{}: an instance without a network interface cannot be declared; left out", i.name));
            continue;
        }
        let mut list = Vec::new();
        let mut p = json!({
            "ImageId": { "Ref": AMI_PARAMETER },
            "InstanceType": if i.instance_type.is_empty() { "t3.micro" } else { i.instance_type.as_str() },
            "Tags": name_tag(&i.name),
        });
        for (k, e) in nics.iter().enumerate() {
            let index = if k == 0 { 0 } else { e.device_index.max(1) };
            if cx.plan.inline_parent(&e.id).is_some() {
                let mut n = json!({
                    "DeviceIndex": index.to_string(),
                    "SubnetId": cx.r(&e.subnet),
                    "DeleteOnTermination": true,
                });
                if e.public_ip.is_some() {
                    n["AssociatePublicIpAddress"] = json!(true);
                }
                addresses(e, &mut n);
                let g = groups(cx, e);
                if !g.is_empty() {
                    n["GroupSet"] = json!(g);
                }
                if !e.source_dest_check {
                    p["SourceDestCheck"] = json!(false);
                }
                list.push(n);
            } else {
                list.push(json!({ "DeviceIndex": index.to_string(), "NetworkInterfaceId": cx.r(&e.id) }));
            }
        }
        p["NetworkInterfaces"] = json!(list);
        if i.state != InstanceState::Running {
            cx.note(format!(
                "{}: state {} cannot be declared; the instance will run",
                i.name,
                format!("{:?}", i.state).to_lowercase()
            ));
        }
        cx.add(&l, "AWS::EC2::Instance", p);
        if !cx.parameters.contains_key(AMI_PARAMETER) {
            cx.parameters.insert(
                AMI_PARAMETER.into(),
                json!({
                    "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
                    "Default": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
                    "Description": "The image every instance starts from",
                }),
            );
        }
    }
}

fn eip_associations(cx: &mut Cfn) {
    let d = cx.d;
    for e in super::keep(d.network_interfaces.iter(), |e| cx.plan.in_scope(&e.id)) {
        let Some(eip) = e.eip.as_deref().filter(|a| cx.declared(a)) else { continue };
        let mut p = json!({ "AllocationId": cx.getatt(eip, "AllocationId") });
        match cx.plan.inline_parent(&e.id) {
            Some(i) => p["InstanceId"] = cx.r(i),
            None if cx.declared(&e.id) => p["NetworkInterfaceId"] = cx.r(&e.id),
            None => continue,
        }
        let base = cx.plan.name(eip).unwrap_or_default().to_string();
        let n = cx.fresh(&format!("{base}Association"), "EipAssociation");
        cx.add(&n, "AWS::EC2::EIPAssociation", p);
    }
}
