//! Instances and network interfaces (A6, S1, S5, X4, N8).

use super::common::{check_groups, eip_user, first_free_ip, ip_problem, Cx};
use super::snapshot::Touch;
use super::{Applied, Op, OpError, Prepare, Ref};
use crate::model::*;
use crate::rules::Rule;
use std::net::Ipv4Addr;

use ResourceKind as RK;

pub(super) fn prepare(cx: Cx<'_>, op: &Op) -> Prepare {
    match op {
        Op::AddInstance {
            name,
            subnet,
            private_ip,
            groups,
            public_ip,
            role,
            instance_type,
            state,
            source_dest_check,
        } => {
            let spec = NewInstance {
                name,
                subnet,
                private_ip: *private_ip,
                groups,
                public_ip: *public_ip,
                role,
                instance_type: instance_type.as_deref().unwrap_or("t3.micro"),
                state: *state,
                source_dest_check: *source_dest_check,
            };
            add_instance(cx, spec)
        }
        Op::UpdateInstance {
            instance,
            name,
            instance_type,
            state,
            role,
            private_ip,
            public_ip,
            groups,
            source_dest_check,
        } => {
            let spec = InstanceChange {
                name: name.clone(),
                instance_type: instance_type.clone(),
                state: *state,
                role: role.clone(),
                private_ip: *private_ip,
                public_ip: *public_ip,
                groups: groups.clone(),
                source_dest_check: *source_dest_check,
            };
            update_instance(cx, instance, spec)
        }
        Op::SetSourceDestCheck { instance, enabled } => every_interface(cx, instance, Some(*enabled), None),
        Op::SetInstanceState { instance, state } => {
            let spec = InstanceChange { state: Some(*state), ..InstanceChange::default() };
            update_instance(cx, instance, spec)
        }
        Op::SetInterfaceGroups { instance, groups } => every_interface(cx, instance, None, Some(groups)),
        Op::AddNetworkInterface {
            name,
            subnet,
            private_ips,
            public_ip,
            eip,
            groups,
            instance,
            device_index,
            source_dest_check,
        } => {
            let spec = EniChange {
                name: Some(name.clone()),
                private_ips: Some(private_ips.clone()),
                public_ip: Some(*public_ip),
                eip: Some(eip.clone()),
                groups: Some(groups.clone()),
                instance: Some(instance.clone()),
                device_index: Some(*device_index),
                source_dest_check: Some(*source_dest_check),
            };
            eni(cx, Target::New(subnet), spec)
        }
        Op::UpdateNetworkInterface {
            eni: e,
            name,
            private_ips,
            public_ip,
            eip,
            groups,
            instance,
            device_index,
            source_dest_check,
        } => {
            let spec = EniChange {
                name: name.clone(),
                private_ips: private_ips.clone(),
                public_ip: *public_ip,
                eip: eip.clone(),
                groups: groups.clone(),
                instance: instance.clone(),
                device_index: *device_index,
                source_dest_check: *source_dest_check,
            };
            eni(cx, Target::Existing(e), spec)
        }
        _ => Err(vec![OpError::invalid("", None, "not an instance or interface op")]),
    }
}

struct NewInstance<'a> {
    name: &'a str,
    subnet: &'a Ref,
    private_ip: Option<Ipv4Addr>,
    groups: &'a [Ref],
    public_ip: Option<Ipv4Addr>,
    role: &'a str,
    instance_type: &'a str,
    state: InstanceState,
    source_dest_check: bool,
}

/// Groups for an interface in `vpc`: the ones given, or the VPC's default group (S5).
fn groups_or_default(cx: &mut Cx<'_>, groups: &[Ref], vpc: &str) -> Option<Vec<Id>> {
    let mut ids = cx.ids(groups, &[RK::SecurityGroup], "groups")?;
    check_groups(cx, &ids, vpc, "groups");
    if ids.is_empty() {
        ids.extend(cx.d.default_security_group(vpc).map(|g| g.id.clone()));
    }
    Some(ids)
}

/// An address for a new interface: the one given (checked, A6), else the first free one.
fn address(
    cx: &mut Cx<'_>,
    s: &Subnet,
    ip: Option<Ipv4Addr>,
    except: Option<&str>,
    field: &'static str,
) -> Option<Ipv4Addr> {
    match ip {
        Some(ip) => {
            if let Some(m) = ip_problem(cx.d, s, ip, except, &[]) {
                let rule = super::common::rule_in(&m.english);
                cx.bad(field, rule, m);
            }
            Some(ip)
        }
        None => {
            let free = first_free_ip(cx.d, s, &[]);
            if free.is_none() {
                cx.fail(OpError::invalid(
                    field,
                    Some(Rule::A6),
                    crate::text!("{} has no free address left (A6)", s.name),
                ));
            }
            free
        }
    }
}

/// A public IPv4 address on an interface is publicly routable (I2, I4).
fn check_public_ip(cx: &mut Cx<'_>, ip: Option<Ipv4Addr>) {
    if let Some(m) = ip.and_then(super::common::public_ip_problem) {
        cx.bad("public_ip", Some(Rule::I4), m);
    }
}

/// A7: an instance in an IPv6-only subnet has no IPv4 address (the subnet has no IPv4 block)
/// and gets the first free IPv6 address of the subnet's /64 after the four AWS reserves.
fn ipv6_only_address(
    cx: &mut Cx<'_>,
    s: &Subnet,
    private_ip: Option<Ipv4Addr>,
    public_ip: Option<Ipv4Addr>,
) -> Option<std::net::Ipv6Addr> {
    if let Some(ip) = private_ip {
        let m = crate::text!("{} is IPv6-only: it has no IPv4 block, so {ip} cannot be an address in it (A7)", s.name);
        cx.bad("private_ip", Some(Rule::A7), m);
    }
    if public_ip.is_some() {
        let m = crate::text!(
            "{} is IPv6-only: an instance there has no IPv4 address a public one could map to (A7)",
            s.name
        );
        cx.bad("public_ip", Some(Rule::A7), m);
    }
    let Some(block) = s.ipv6_cidr else {
        cx.fail(OpError::invalid(
            "subnet",
            Some(Rule::A7),
            crate::text!("{} has neither an IPv4 nor an IPv6 block (A7)", s.name),
        ));
        return None;
    };
    let taken: Vec<std::net::Ipv6Addr> =
        cx.d.network_interfaces
            .iter()
            .filter(|e| e.subnet == s.id)
            .flat_map(|e| e.ipv6_addresses.iter().copied())
            .collect();
    let free = crate::net::first_free_ipv6(block, &taken);
    if free.is_none() {
        cx.fail(OpError::invalid(
            "subnet",
            Some(Rule::A7),
            crate::text!("{} ({block}) has no free IPv6 address left (A7)", s.name),
        ));
    }
    free
}

/// The address a dual-stack subnet that assigns IPv6 on creation gives a new interface: the
/// first free one after the four AWS reserves (A7). `None` when it does not assign one.
fn auto_ipv6(d: &Design, s: &Subnet) -> Option<std::net::Ipv6Addr> {
    let block = s.ipv6_cidr.filter(|_| s.assign_ipv6_address_on_creation)?;
    let taken: Vec<std::net::Ipv6Addr> = d
        .network_interfaces
        .iter()
        .filter(|e| e.subnet == s.id)
        .flat_map(|e| e.ipv6_addresses.iter().copied())
        .collect();
    crate::net::first_free_ipv6(block, &taken)
}

fn add_instance(mut cx: Cx<'_>, n: NewInstance<'_>) -> Prepare {
    let Some(sid) = cx.id(n.subnet, RK::Subnet, "subnet") else { return cx.stop() };
    let Some(s) = cx.d.subnet(&sid).cloned() else { return cx.stop() };
    cx.name(RK::Instance, n.name, None, None);
    if n.instance_type.trim().is_empty() {
        cx.bad("instance_type", None, "required: an instance type such as t3.micro");
    }
    let Some(groups) = groups_or_default(&mut cx, n.groups, &s.vpc) else { return cx.stop() };
    let (ip, ipv6) = if s.is_ipv6_only() {
        let Some(a) = ipv6_only_address(&mut cx, &s, n.private_ip, n.public_ip) else { return cx.stop() };
        (None, Some(a))
    } else {
        let Some(ip) = address(&mut cx, &s, n.private_ip, None, "private_ip") else { return cx.stop() };
        // A7: a dual-stack subnet with AssignIpv6AddressOnCreation gives an instance launched
        // there an IPv6 address of its /64, as AWS does at launch.
        (Some(ip), auto_ipv6(cx.d, &s))
    };
    check_public_ip(&mut cx, n.public_ip);
    let (name, role, itype) = (n.name.to_string(), n.role.to_string(), n.instance_type.to_string());
    let (state, public_ip, check) = (n.state, n.public_ip, n.source_dest_check);
    // The instance and its interface go at the ends of their lists.
    cx.finish_with(vec![Touch::Appends(RK::Instance), Touch::Appends(RK::NetworkInterface)], move |d| {
        let id = d.new_id(RK::Instance);
        d.instances.push(Instance { id: id.clone(), name: name.clone(), instance_type: itype, state, role });
        let eni = d.new_id(RK::NetworkInterface);
        let mut nic =
            NetworkInterface::new(eni.clone(), format!("{name}-eth0"), sid, ip.unwrap_or(Ipv4Addr::UNSPECIFIED));
        if ip.is_none() {
            nic.private_ips.clear();
        }
        nic.ipv6_addresses.extend(ipv6);
        nic.instance = Some(id.clone());
        nic.security_groups = groups;
        nic.public_ip = public_ip;
        nic.source_dest_check = check;
        d.network_interfaces.push(nic);
        Applied { created: Some(id.clone()), touched: vec![id, eni] }
    })
}

#[derive(Default)]
struct InstanceChange {
    name: Option<String>,
    instance_type: Option<String>,
    state: Option<InstanceState>,
    role: Option<String>,
    private_ip: Option<Ipv4Addr>,
    public_ip: Option<Option<Ipv4Addr>>,
    groups: Option<Vec<Ref>>,
    source_dest_check: Option<bool>,
}

fn update_instance(mut cx: Cx<'_>, instance: &Ref, c: InstanceChange) -> Prepare {
    let Some(id) = cx.id(instance, RK::Instance, "instance") else { return cx.stop() };
    if let Some(n) = &c.name {
        cx.name(RK::Instance, n, None, Some(&id));
    }
    if c.instance_type.as_deref().is_some_and(|t| t.trim().is_empty()) {
        cx.bad("instance_type", None, "required: an instance type such as t3.micro");
    }
    check_public_ip(&mut cx, c.public_ip.flatten());
    let primary = cx.d.instance_interfaces(&id).first().map(|e| (*e).clone());
    let needs_eni =
        c.private_ip.is_some() || c.public_ip.is_some() || c.groups.is_some() || c.source_dest_check.is_some();
    let primary = match primary {
        Some(p) => Some(p),
        None if needs_eni => {
            cx.fail(OpError::invalid("instance", None, crate::text!("{id} has no network interface")));
            return cx.stop();
        }
        None => None,
    };
    let subnet = primary.as_ref().and_then(|p| cx.d.subnet(&p.subnet).cloned());
    let groups = match (&c.groups, &subnet) {
        (Some(g), Some(s)) => match groups_or_default(&mut cx, g, &s.vpc) {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        _ => None,
    };
    if let (Some(ip), Some(s), Some(p)) = (c.private_ip, &subnet, &primary) {
        if p.primary_ip() != Some(ip) {
            if let Some(m) = ip_problem(cx.d, s, ip, Some(&id), &[]) {
                let rule = super::common::rule_in(&m.english);
                cx.bad("private_ip", rule, m);
            }
        }
    }
    let eni = primary.map(|p| p.id);
    // The instance and its primary interface, changed in place: all an undo keeps.
    let mut touches = vec![Touch::Rows(RK::Instance, vec![id.clone()])];
    touches.extend(eni.iter().map(|e| Touch::Rows(RK::NetworkInterface, vec![e.clone()])));
    cx.finish_with(touches, move |d| {
        let mut touched = vec![id.clone()];
        if let Some(x) = d.instances.iter_mut().find(|x| x.id == id) {
            if let Some(v) = c.name {
                x.name = v;
            }
            if let Some(v) = c.instance_type {
                x.instance_type = v;
            }
            if let Some(v) = c.state {
                x.state = v;
            }
            if let Some(v) = c.role {
                x.role = v;
            }
        }
        if let Some(e) = eni {
            if let Some(nic) = d.network_interfaces.iter_mut().find(|x| x.id == e) {
                if let Some(ip) = c.private_ip {
                    match nic.private_ips.first_mut() {
                        Some(first) => *first = ip,
                        None => nic.private_ips.push(ip),
                    }
                }
                if let Some(p) = c.public_ip {
                    nic.public_ip = p;
                }
                if let Some(g) = groups {
                    nic.security_groups = g;
                }
                if let Some(s) = c.source_dest_check {
                    nic.source_dest_check = s;
                }
            }
            touched.push(e);
        }
        Applied { created: None, touched }
    })
}

/// Set the source/destination check or the groups on every interface of an instance.
fn every_interface(mut cx: Cx<'_>, instance: &Ref, check: Option<bool>, groups: Option<&[Ref]>) -> Prepare {
    let Some(id) = cx.id(instance, RK::Instance, "instance") else { return cx.stop() };
    let enis: Vec<(Id, String)> =
        cx.d.instance_interfaces(&id).iter().map(|e| (e.id.clone(), e.subnet.clone())).collect();
    let groups = match groups {
        Some(g) => {
            let Some(ids) = cx.ids(g, &[RK::SecurityGroup], "groups") else { return cx.stop() };
            if let Some(vpc) = enis.first().and_then(|(_, s)| cx.d.subnet(s)).map(|s| s.vpc.clone()) {
                check_groups(&mut cx, &ids, &vpc, "groups");
            }
            Some(ids)
        }
        None => None,
    };
    cx.finish_with(vec![Touch::Rows(RK::NetworkInterface, enis.iter().map(|(e, _)| e.clone()).collect())], move |d| {
        let ids: Vec<Id> = enis.into_iter().map(|(e, _)| e).collect();
        for e in d.network_interfaces.iter_mut().filter(|e| ids.contains(&e.id)) {
            if let Some(c) = check {
                e.source_dest_check = c;
            }
            if let Some(g) = &groups {
                e.security_groups = g.clone();
            }
        }
        let mut touched = ids;
        touched.push(id);
        Applied { created: None, touched }
    })
}

enum Target<'a> {
    New(&'a Ref),
    Existing(&'a Ref),
}

#[derive(Default)]
struct EniChange {
    name: Option<String>,
    private_ips: Option<Vec<Ipv4Addr>>,
    public_ip: Option<Option<Ipv4Addr>>,
    eip: Option<Option<Ref>>,
    groups: Option<Vec<Ref>>,
    instance: Option<Option<Ref>>,
    device_index: Option<u32>,
    source_dest_check: Option<bool>,
}

/// Add or change a network interface.
fn eni(mut cx: Cx<'_>, target: Target<'_>, c: EniChange) -> Prepare {
    let (editing, current) = match target {
        Target::New(subnet) => {
            let Some(sid) = cx.id(subnet, RK::Subnet, "subnet") else { return cx.stop() };
            (None, NetworkInterface::new(String::new(), String::new(), sid, Ipv4Addr::UNSPECIFIED))
        }
        Target::Existing(r) => {
            let Some(id) = cx.id(r, RK::NetworkInterface, "eni") else { return cx.stop() };
            let Some(e) = cx.d.network_interface(&id).cloned() else { return cx.stop() };
            (Some(id), e)
        }
    };
    let Some(s) = cx.d.subnet(&current.subnet).cloned() else { return cx.stop() };
    let edit = editing.as_deref();
    if let Some(n) = &c.name {
        cx.name(RK::NetworkInterface, n, Some(&s.id), edit);
    }
    check_public_ip(&mut cx, c.public_ip.flatten());
    // Addresses: each inside the subnet, off the reserved ones, not in use (A6); none given for
    // a new interface: the first free one.
    let ips = match &c.private_ips {
        Some(list) => {
            let mut taken = Vec::new();
            for ip in list {
                if let Some(m) = ip_problem(cx.d, &s, *ip, edit, &taken) {
                    let rule = super::common::rule_in(&m.english);
                    cx.bad("private_ips", rule, m);
                    break;
                }
                taken.push(*ip);
            }
            if list.is_empty() {
                match first_free_ip(cx.d, &s, &[]) {
                    Some(ip) => Some(vec![ip]),
                    None => {
                        let m = crate::text!("{} has no free address left (A6)", s.name);
                        cx.fail(OpError::invalid("private_ips", Some(Rule::A6), m));
                        return cx.stop();
                    }
                }
            } else {
                Some(list.clone())
            }
        }
        None => None,
    };
    let eip = match &c.eip {
        Some(e) => match cx.opt_id(e.as_ref(), RK::ElasticIp, "eip") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    if let Some(Some(e)) = &eip {
        if let Some(by) = eip_user(cx.d, e, edit) {
            cx.bad("eip", None, crate::text!("{e} is already associated with {by}"));
        }
    }
    let groups = match &c.groups {
        Some(g) => match groups_or_default(&mut cx, g, &s.vpc) {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    let instance = match &c.instance {
        Some(i) => match cx.opt_id(i.as_ref(), RK::Instance, "instance") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    let device = c.device_index.unwrap_or(current.device_index);
    if device > 31 {
        cx.bad("device_index", None, "the device index must be a number from 0 to 31");
    }
    let inst = instance.clone().unwrap_or(current.instance.clone());
    if let Some(i) = &inst {
        if let Some(o) =
            cx.d.network_interfaces
                .iter()
                .find(|x| x.instance.as_deref() == Some(i) && x.device_index == device && Some(x.id.as_str()) != edit)
        {
            cx.bad("device_index", None, crate::text!("{i} already has {} at device index {device}", o.id));
        }
    }
    let sid = s.id.clone();
    // A7: a new interface in a subnet that assigns IPv6 on creation gets an address, as AWS
    // gives one at CreateNetworkInterface.
    let v6 = if editing.is_none() { auto_ipv6(cx.d, &s) } else { None };
    // A new interface goes at the end of the list; an edited one is changed in place.
    let touch = match &editing {
        Some(id) => Touch::Rows(RK::NetworkInterface, vec![id.clone()]),
        None => Touch::Appends(RK::NetworkInterface),
    };
    cx.finish_with(vec![touch], move |d| {
        let id = match editing {
            Some(id) => id,
            None => {
                let id = d.new_id(RK::NetworkInterface);
                let first = ips.as_ref().and_then(|v| v.first().copied()).unwrap_or(Ipv4Addr::UNSPECIFIED);
                let mut nic = NetworkInterface::new(id.clone(), String::new(), sid, first);
                nic.ipv6_addresses.extend(v6);
                d.network_interfaces.push(nic);
                id
            }
        };
        let created = (current.id.is_empty()).then(|| id.clone());
        let mut touched = vec![id.clone()];
        touched.extend(inst.iter().cloned());
        touched.extend(current.instance.iter().cloned());
        if let Some(nic) = d.network_interfaces.iter_mut().find(|x| x.id == id) {
            if let Some(n) = c.name {
                nic.name = n;
            }
            if let Some(v) = ips {
                nic.private_ips = v;
            }
            if let Some(p) = c.public_ip {
                nic.public_ip = p;
            }
            if let Some(e) = eip {
                nic.eip = e;
            }
            if let Some(g) = groups {
                nic.security_groups = g;
            }
            if let Some(i) = instance {
                nic.instance = i;
            }
            nic.device_index = device;
            if let Some(s) = c.source_dest_check {
                nic.source_dest_check = s;
            }
        }
        Applied { created, touched }
    })
}
