//! Elastic IPs, NAT gateways, instances and network interfaces.

use super::hcl::{Block, Hv};
use super::{alias, keep, tags, Tf};
use crate::model::*;

/// Elastic IPs, NAT gateways, instances, interfaces and EIP associations.
pub fn export(tf: &mut Tf) {
    let d = tf.d;
    for e in keep(d.elastic_ips.iter(), |e| tf.has(&e.id)) {
        let mut b = tf.resource("aws_eip", &tf.name(&e.id), &e.id);
        b.set("domain", Hv::s("vpc")).set("tags", tags(&e.name));
        tf.push(b);
    }
    for n in keep(d.nat_gateways.iter(), |n| tf.has(&n.id)) {
        let mut b = tf.resource("aws_nat_gateway", &tf.name(&n.id), &n.id);
        match &n.subnet {
            Some(s) => {
                b.set("subnet_id", tf.r(s));
            }
            // N9: a regional NAT gateway names its VPC; its EIPs go in per-AZ blocks (the
            // provider refuses `allocation_id` with `availability_mode = "regional"`).
            None => {
                b.set("availability_mode", Hv::s("regional"));
                if let Some(v) = &n.vpc {
                    b.set("vpc_id", tf.r(v));
                }
                for z in &n.zones {
                    let mut a = Block::new("availability_zone_address", &[]);
                    a.set("availability_zone", Hv::s(&z.zone));
                    a.set("allocation_ids", Hv::List(z.eips.iter().map(|e| tf.r(e)).collect()));
                    b.child(a);
                }
            }
        }
        match n.connectivity {
            NatConnectivity::Public => {
                if let (Some(e), false) = (&n.eip, n.is_regional()) {
                    b.set("allocation_id", tf.r(e));
                }
            }
            NatConnectivity::Private => {
                b.set("connectivity_type", Hv::s("private"));
            }
        }
        if let (false, Some(ip)) = (n.placeholder, n.private_ip) {
            b.set("private_ip", Hv::s(ip.to_string()));
        }
        b.set("tags", tags(&n.name));
        tf.push(b);
    }
    instances(tf);
    interfaces(tf);
    eip_associations(tf);
}

fn groups(tf: &Tf, e: &NetworkInterface) -> Hv {
    Hv::List(e.security_groups.iter().map(|g| tf.r(g)).collect())
}

fn instances(tf: &mut Tf) {
    let d = tf.d;
    for i in keep(d.instances.iter(), |i| tf.has(&i.id)) {
        let Some(primary) = tf.ix.instance_interfaces(&i.id).find(|e| tf.plan.inline_parent(&e.id).is_some()) else {
            tf.note(format!(
                "{}: an instance without a primary network interface cannot be declared; left out",
                i.name
            ));
            continue;
        };
        let region = tf.plan.region_of(&i.id).unwrap_or_default().to_string();
        if !tf.ami_regions.contains(&region) {
            tf.ami_regions.push(region.clone());
        }
        let mut b = tf.resource("aws_instance", &tf.name(&i.id), &i.id);
        b.set("ami", Hv::Expr(format!("data.aws_ssm_parameter.ami_{}.value", alias(&region))))
            .set("instance_type", Hv::s(if i.instance_type.is_empty() { "t3.micro" } else { &i.instance_type }))
            .set("subnet_id", tf.r(&primary.subnet));
        if !primary.placeholder {
            if let Some(ip) = primary.primary_ip() {
                b.set("private_ip", Hv::s(ip.to_string()));
            }
            if primary.private_ips.len() > 1 {
                b.set(
                    "secondary_private_ips",
                    Hv::List(primary.private_ips[1..].iter().map(|ip| Hv::s(ip.to_string())).collect()),
                );
            }
        }
        if !primary.ipv6_addresses.is_empty() {
            // A7: AWS assigns them from the subnet's block, whose prefix it picks.
            b.set("ipv6_address_count", Hv::Num(primary.ipv6_addresses.len() as i64));
        }
        b.set("vpc_security_group_ids", groups(tf, primary));
        if primary.public_ip.is_some() {
            b.set("associate_public_ip_address", Hv::Bool(true));
        }
        if !primary.source_dest_check {
            b.set("source_dest_check", Hv::Bool(false));
        }
        let stopped = matches!(i.state, InstanceState::Stopped | InstanceState::Stopping);
        if !stopped && i.state != InstanceState::Running {
            tf.note(format!("{}: state {:?} cannot be declared; the instance will run", i.name, i.state));
        }
        b.set("tags", tags(&i.name));
        tf.push(b);
        if stopped {
            let n = tf.fresh(&format!("{}_state", tf.name(&i.id)), "state");
            let mut st = tf.resource("aws_ec2_instance_state", &n, &i.id);
            st.set("instance_id", tf.r(&i.id)).set("state", Hv::s("stopped"));
            tf.push(st);
        }
    }
}

fn interfaces(tf: &mut Tf) {
    let d = tf.d;
    for e in keep(d.network_interfaces.iter(), |e| tf.has(&e.id)) {
        let mut b = tf.resource("aws_network_interface", &tf.name(&e.id), &e.id);
        b.set("subnet_id", tf.r(&e.subnet));
        if !e.placeholder && !e.private_ips.is_empty() {
            b.set("private_ips", Hv::List(e.private_ips.iter().map(|ip| Hv::s(ip.to_string())).collect()));
        }
        if !e.ipv6_addresses.is_empty() {
            b.set("ipv6_address_count", Hv::Num(e.ipv6_addresses.len() as i64));
        }
        if !e.security_groups.is_empty() {
            b.set("security_groups", groups(tf, e));
        }
        if !e.source_dest_check {
            b.set("source_dest_check", Hv::Bool(false));
        }
        if e.public_ip.is_some() {
            tf.note(format!(
                "{}: an auto-assigned public IP exists only on an instance's primary interface; not exported",
                e.name
            ));
        }
        if let Some(i) = e.instance.as_deref().filter(|i| tf.has(i)) {
            let mut a = Block::new("attachment", &[]);
            a.set("instance", tf.r(i)).set("device_index", Hv::Num(e.device_index.max(1).into()));
            b.child(a);
        }
        b.set("tags", tags(&e.name));
        tf.push(b);
    }
}

fn eip_associations(tf: &mut Tf) {
    let d = tf.d;
    for e in keep(d.network_interfaces.iter(), |e| tf.plan.in_scope(&e.id)) {
        let Some(eip) = e.eip.as_deref().filter(|a| tf.has(a)) else { continue };
        let base = tf.name(eip);
        let n = tf.fresh(&format!("{base}_association"), "eip_association");
        let mut b = tf.resource("aws_eip_association", &n, &e.id);
        b.set("allocation_id", tf.r(eip)).set("network_interface_id", tf.r(&e.id));
        tf.push(b);
    }
}
