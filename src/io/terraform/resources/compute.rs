//! Elastic IPs, NAT gateways, network interfaces and instances. Addresses AWS assigns at
//! launch get placeholders (private: from the subnet's base + 10 upward; public: from the
//! documentation ranges), each listed in the report. Public addresses follow AWS (I2): an
//! instance gets one when `associate_public_ip_address` says so, else when its subnet maps
//! public IPs on launch; an EIP association gives its address.

use super::{b, get, list, n, present, s, Mapper};
use crate::io::terraform::graph::Instance;
use crate::io::terraform::value::Value;
use crate::l10n::AsText;
use crate::model::*;
use std::net::Ipv4Addr;

/// `aws_eip`.
pub fn eip(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let (public_ip, placeholder) = match super::ip(v, "public_ip") {
        Some(a) => (a, false),
        None => {
            let a = m.ph.public_ip();
            m.report.info("", &i.address, crate::text!("public IP {a} assumed (AWS allocates it)"));
            (a, true)
        }
    };
    m.d.elastic_ips.push(ElasticIp { id: id.clone(), name: i.address.clone(), public_ip, placeholder });
    m.made(&id, ResourceKind::ElasticIp, m.d.elastic_ips.len() - 1);
    m.tag_name(&id, i);
}

/// `aws_nat_gateway`, public (with an EIP) or private (N1, N2).
pub fn nat_gateway(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    if s(v, "availability_mode") == Some("regional") {
        return regional_nat_gateway(m, i, id);
    }
    let sv = get(v, "subnet_id").clone();
    let Some(subnet) = m.subnet_of(i, &sv, "subnet_id") else {
        m.report.warn("", &i.address, crate::text!("NAT gateway without a usable subnet_id: skipped"));
        return;
    };
    let private = s(v, "connectivity_type") == Some("private");
    let (private_ip, placeholder) = match super::ip(v, "private_ip") {
        Some(a) => (a, false),
        None => match m.ph.private_ip(&m.d, &subnet) {
            Some(a) => {
                m.report.info("", &i.address, crate::text!("private IP {a} assumed (AWS assigns it)"));
                (a, true)
            }
            None => {
                m.report.warn(
                    "",
                    &i.address,
                    crate::text!("no free address for the NAT gateway in its subnet: skipped"),
                );
                return;
            }
        },
    };
    let eip = if private { None } else { m.id_of(i, "allocation_id", Some(ResourceKind::ElasticIp)) };
    m.d.nat_gateways.push(NatGateway {
        id: id.clone(),
        name: i.address.clone(),
        subnet: Some(subnet),
        connectivity: if private { NatConnectivity::Private } else { NatConnectivity::Public },
        private_ip: Some(private_ip),
        eip,
        state: NatState::Available,
        placeholder,
        ..Default::default()
    });
    m.made(&id, ResourceKind::NatGateway, m.d.nat_gateways.len() - 1);
    m.tag_name(&id, i);
}

/// N9: `availability_mode = "regional"`: a NAT gateway of `vpc_id`, no subnet; manual mode
/// lists `availability_zone_address` blocks (an AZ and its `allocation_ids`). Automatic mode
/// has AWS allocate the address: a placeholder Elastic IP stands for it.
fn regional_nat_gateway(m: &mut Mapper, i: &Instance, id: Id) {
    let v = &i.values;
    let Some(vpc) = m.vpc_of(i, "vpc_id") else {
        m.report.warn("", &i.address, crate::text!("regional NAT gateway without a usable vpc_id: skipped"));
        return;
    };
    let mut zones = Vec::new();
    for z in list(v, "availability_zone_address") {
        let zone = s(z, "availability_zone").or_else(|| s(z, "availability_zone_id")).map(str::to_string);
        let eips: Vec<Id> = list(z, "allocation_ids")
            .into_iter()
            .filter_map(|x| m.id_value(i, "allocation_ids", x, Some(ResourceKind::ElasticIp)))
            .collect();
        match zone {
            Some(zone) if !eips.is_empty() => zones.push(NatZoneAddress { zone, eips }),
            _ => m.report.warn(
                "",
                &i.address,
                crate::text!("an availability_zone_address block without an AZ or allocation_ids: ignored"),
            ),
        }
    }
    let mut eip = None;
    if zones.is_empty() {
        let e = format!("{id}-eip");
        let public_ip = m.ph.public_ip();
        m.report.info(
            "",
            &i.address,
            crate::text!("public address {public_ip} assumed (AWS allocates it in automatic mode)"),
        );
        m.d.elastic_ips.push(ElasticIp {
            id: e.clone(),
            name: format!("{}-eip", i.address),
            public_ip,
            placeholder: true,
        });
        eip = Some(e);
    }
    m.d.nat_gateways.push(NatGateway {
        id: id.clone(),
        name: i.address.clone(),
        availability_mode: NatAvailabilityMode::Regional,
        vpc: Some(vpc),
        zones,
        eip,
        state: NatState::Available,
        ..Default::default()
    });
    m.made(&id, ResourceKind::NatGateway, m.d.nat_gateways.len() - 1);
    m.tag_name(&id, i);
}

fn strings(v: &Value, key: &str) -> Vec<Ipv4Addr> {
    list(v, key).into_iter().filter_map(|x| x.as_str().and_then(|t| t.parse().ok())).collect()
}

/// An interface's addresses: those given, else placeholders (and `count` more).
fn addresses(
    m: &mut Mapper,
    i: &Instance,
    subnet: &str,
    given: Vec<Ipv4Addr>,
    extra: i64,
) -> Option<(Vec<Ipv4Addr>, bool)> {
    let mut ips = given;
    let mut placeholder = false;
    // A7: an interface in an IPv6-only subnet has no IPv4 address.
    let ipv6_only = m.index.get(subnet).and_then(|k| m.d.subnets.get(*k)).is_some_and(|s| s.is_ipv6_only());
    if ipv6_only {
        return Some((ips, false));
    }
    if ips.is_empty() {
        ips.extend(m.ph.private_ip(&m.d, subnet));
        placeholder = true;
    }
    for _ in 0..extra.clamp(0, 49) {
        ips.extend(m.ph.private_ip(&m.d, subnet));
        placeholder = true;
    }
    if ips.is_empty() {
        m.report.warn("", &i.address, crate::text!("no free address in its subnet: interface skipped"));
        return None;
    }
    if placeholder {
        let list: Vec<String> = ips.iter().map(Ipv4Addr::to_string).collect();
        m.report.info(
            "",
            &i.address,
            crate::text!("private IP {} assumed (AWS assigns it at launch)", list.join(", ")),
        );
    }
    Some((ips, placeholder))
}

/// The groups of an interface; none given means the VPC's default group (S5).
fn groups(m: &mut Mapper, i: &Instance, keys: &[&str], subnet: &str) -> Vec<Id> {
    let mut out = Vec::new();
    for k in keys {
        out.extend(m.ids_of(i, k, Some(ResourceKind::SecurityGroup)));
    }
    if out.is_empty() {
        if let Some(g) = m.subnet_vpc(subnet).and_then(|v| m.d.default_security_group(&v).map(|g| g.id.clone())) {
            out.push(g);
        }
    }
    out
}

/// `aws_network_interface` with its `attachment` blocks.
pub fn network_interface(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let sv = get(v, "subnet_id").clone();
    let Some(subnet) = m.subnet_of(i, &sv, "subnet_id") else { return };
    let mut given = strings(v, "private_ips");
    given.extend(super::ip(v, "private_ip").filter(|a| !given.contains(a)));
    let extra = n(v, "private_ips_count").unwrap_or(0);
    let Some((ips, placeholder)) = addresses(m, i, &subnet, given, extra) else { return };
    let mut e = NetworkInterface::new(id.clone(), &i.address, subnet.clone(), Ipv4Addr::UNSPECIFIED);
    e.private_ips = ips;
    e.placeholder = placeholder;
    ipv6_addresses(m, i, &mut e);
    e.security_groups = groups(m, i, &["security_groups"], &subnet);
    e.source_dest_check = b(v, "source_dest_check").unwrap_or(true);
    if let Some(a) = list(v, "attachment").first() {
        e.instance = s(a, "instance").map(str::to_string);
        e.device_index = n(a, "device_index").and_then(|x| u32::try_from(x).ok()).unwrap_or(1);
    }
    m.d.network_interfaces.push(e);
    m.made(&id, ResourceKind::NetworkInterface, m.d.network_interfaces.len() - 1);
    m.tag_name(&id, i);
}

/// `aws_instance`: the instance, its primary interface from its own arguments (or from a
/// `network_interface` block), and attachments of other interfaces.
pub fn instance(m: &mut Mapper, i: &Instance) {
    let v = &i.values;
    let Some(id) = s(v, "id").map(str::to_string) else { return };
    let attached: Vec<(Id, u32)> = list(v, "network_interface")
        .into_iter()
        .filter_map(|x| {
            Some((s(x, "network_interface_id")?.to_string(), n(x, "device_index").and_then(|d| u32::try_from(d).ok())?))
        })
        .collect();
    let subnet_value = get(v, "subnet_id").clone();
    if attached.is_empty() && subnet_value.is_null() {
        m.report.warn(
            "",
            &i.address,
            crate::text!(
                "instance without subnet_id or network_interface (it would launch in the default VPC): skipped"
            ),
        );
        return;
    }
    m.d.instances.push(Instance_ {
        id: id.clone(),
        name: i.address.clone(),
        instance_type: s(v, "instance_type").unwrap_or_default().to_string(),
        state: InstanceState::Running,
        role: String::new(),
    });
    m.made(&id, ResourceKind::Instance, m.d.instances.len() - 1);
    m.tag_name(&id, i);
    for (eni, index) in &attached {
        if let Some(e) = m.d.network_interfaces.iter_mut().find(|e| e.id == *eni) {
            e.instance = Some(id.clone());
            e.device_index = *index;
        }
    }
    if attached.iter().any(|(_, d)| *d == 0) {
        return;
    }
    let Some(subnet) = m.subnet_of(i, &subnet_value, "subnet_id") else { return };
    let eni = s(v, "primary_network_interface_id").map(str::to_string).unwrap_or_else(|| format!("eni-{id}"));
    let mut given: Vec<Ipv4Addr> = super::ip(v, "private_ip").into_iter().collect();
    given.extend(strings(v, "secondary_private_ips"));
    let Some((ips, mut placeholder)) = addresses(m, i, &subnet, given, 0) else { return };
    let public = match b(v, "associate_public_ip_address") {
        Some(x) => x,
        None => m.index.get(&subnet).and_then(|k| m.d.subnets.get(*k)).is_some_and(|sn| sn.map_public_ip_on_launch),
    };
    let public_ip = if public {
        let a = match super::ip(v, "public_ip") {
            Some(a) => a,
            None => {
                placeholder = true;
                let a = m.ph.public_ip();
                m.report.info("", &i.address, crate::text!("public IP {a} assumed (AWS assigns it at launch)"));
                a
            }
        };
        Some(a)
    } else {
        None
    };
    let mut e = NetworkInterface::new(
        eni.clone(),
        format!("{}.primary_network_interface", i.address),
        subnet.clone(),
        Ipv4Addr::UNSPECIFIED,
    );
    e.private_ips = ips;
    e.public_ip = public_ip;
    e.placeholder = placeholder;
    ipv6_addresses(m, i, &mut e);
    e.security_groups = groups(m, i, &["vpc_security_group_ids", "security_groups"], &subnet);
    e.source_dest_check = b(v, "source_dest_check").unwrap_or(true);
    e.instance = Some(id);
    m.d.network_interfaces.push(e);
    m.made(&eni, ResourceKind::NetworkInterface, m.d.network_interfaces.len() - 1);
}

/// A7: `ipv6_addresses` as written, else `ipv6_address_count` (or the subnet's
/// `assign_ipv6_address_on_creation`) addresses after the four reserved.
fn ipv6_addresses(m: &mut Mapper, i: &Instance, e: &mut NetworkInterface) {
    let v = &i.values;
    let Some(sn) = m.index.get(&e.subnet).and_then(|k| m.d.subnets.get(*k)) else { return };
    let Some(block) = sn.ipv6_cidr else { return };
    let auto = sn.assign_ipv6_address_on_creation;
    let mut taken: Vec<std::net::Ipv6Addr> =
        m.d.network_interfaces.iter().filter(|x| x.subnet == e.subnet).flat_map(|x| x.ipv6_addresses.clone()).collect();
    for a in list(v, "ipv6_addresses") {
        match a.as_str().map(crate::net::parse_ipv6) {
            Some(Ok(x)) if block.contains(&x) && !crate::net::is_ipv6_reserved(block, x) => {
                e.ipv6_addresses.push(x);
                taken.push(x);
            }
            Some(Ok(x)) => {
                m.report.warn("", &i.address, crate::text!("{x} is not a usable address of {block} (A7): skipped"))
            }
            Some(Err(err)) => {
                m.report.warn("", &i.address, crate::text!("ipv6_addresses: {err}").with("err", err.as_text()))
            }
            None => {}
        }
    }
    let count =
        n(v, "ipv6_address_count").map(|c| c.clamp(0, 10)).unwrap_or(i64::from(auto && e.ipv6_addresses.is_empty()));
    for _ in 0..count {
        if let Some(x) = crate::net::first_free_ipv6(block, &taken) {
            e.ipv6_addresses.push(x);
            taken.push(x);
            e.placeholder = true;
        }
    }
}

use crate::model::Instance as Instance_;

/// `aws_network_interface_attachment`.
pub fn interface_attachment(m: &mut Mapper, i: &Instance) {
    let (Some(inst), Some(eni)) = (
        m.id_of(i, "instance_id", Some(ResourceKind::Instance)),
        m.id_of(i, "network_interface_id", Some(ResourceKind::NetworkInterface)),
    ) else {
        return;
    };
    let index = n(&i.values, "device_index").and_then(|x| u32::try_from(x).ok()).unwrap_or(1);
    if let Some(e) = m.d.network_interfaces.iter_mut().find(|e| e.id == eni) {
        e.instance = Some(inst);
        e.device_index = index;
    }
}

/// `aws_network_interface_sg_attachment`: one more group on an interface.
pub fn sg_attachment(m: &mut Mapper, i: &Instance) {
    let (Some(g), Some(eni)) = (
        m.id_of(i, "security_group_id", Some(ResourceKind::SecurityGroup)),
        m.id_of(i, "network_interface_id", Some(ResourceKind::NetworkInterface)),
    ) else {
        return;
    };
    if let Some(e) = m.d.network_interfaces.iter_mut().find(|e| e.id == eni) {
        if !e.security_groups.contains(&g) {
            e.security_groups.push(g);
        }
    }
}

/// `aws_eip_association`, and an `aws_eip`'s own `instance` / `network_interface`.
pub fn eip_association(m: &mut Mapper, i: &Instance) {
    let key = if i.ty == "aws_eip" { "id" } else { "allocation_id" };
    let (inst_key, eni_key) =
        if i.ty == "aws_eip" { ("instance", "network_interface") } else { ("instance_id", "network_interface_id") };
    let eni = if present(&i.values, eni_key) {
        m.id_of(i, eni_key, Some(ResourceKind::NetworkInterface))
    } else if present(&i.values, inst_key) {
        let inst = m.id_of(i, inst_key, Some(ResourceKind::Instance));
        inst.and_then(|x| m.d.instance_interfaces(&x).first().map(|e| e.id.clone()))
    } else {
        return;
    };
    let (Some(eni), Some(eip)) = (eni, m.id_of(i, key, Some(ResourceKind::ElasticIp))) else { return };
    match m.d.network_interfaces.iter_mut().find(|e| e.id == eni) {
        Some(e) => e.eip = Some(eip),
        None => m.report.info(
            "",
            &i.address,
            crate::text!("associates with {eni}, which the configuration does not create: skipped"),
        ),
    }
}

/// `aws_ec2_instance_state`.
pub fn instance_state(m: &mut Mapper, i: &Instance) {
    let Some(inst) = m.id_of(i, "instance_id", Some(ResourceKind::Instance)) else { return };
    let state = match s(&i.values, "state") {
        Some("stopped") => InstanceState::Stopped,
        _ => InstanceState::Running,
    };
    if let Some(x) = m.d.instances.iter_mut().find(|x| x.id == inst) {
        x.state = state;
    }
}
