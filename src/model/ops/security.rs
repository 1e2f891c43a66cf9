//! Security groups and their rules (S1–S7), network ACLs and their entries (L1–L8).

use super::common::Cx;
use super::snapshot::Touch;
use super::{Applied, Direction, Op, OpError, PeerSpec, Prepare, Ref};
use crate::model::*;
use crate::rules::Rule;

use ResourceKind as RK;

pub(super) fn prepare(cx: Cx<'_>, op: &Op) -> Prepare {
    match op {
        Op::AddSecurityGroup { vpc, name, description } => add_group(cx, vpc, name, description),
        Op::UpdateSecurityGroup { group, name, description } => {
            update_group(cx, group, name.as_deref(), description.as_deref())
        }
        Op::AddSgRule { group, direction, protocol, ports, peer, description } => {
            let rule = RuleSpec { direction: *direction, protocol: *protocol, ports: *ports, peer, description };
            put_rule(cx, group, None, rule)
        }
        Op::ReplaceSgRule { group, direction, index, to_direction, protocol, ports, peer, description } => {
            let rule = RuleSpec { direction: *to_direction, protocol: *protocol, ports: *ports, peer, description };
            put_rule(cx, group, Some((*direction, *index)), rule)
        }
        Op::RemoveSgRule { group, direction, protocol, ports, peer } => {
            remove_rules(cx, group, *direction, *protocol, *ports, peer.as_ref())
        }
        Op::DeleteSgRule { group, direction, index } => delete_rule(cx, group, *direction, *index),
        Op::AddNetworkAcl { vpc, name, subnets } => add_acl(cx, vpc, name, subnets),
        Op::UpdateNetworkAcl { acl, name, subnets } => update_acl(cx, acl, name.as_deref(), subnets.as_deref()),
        Op::AssociateNetworkAcl { acl, subnet } => associate_acl(cx, acl, subnet),
        Op::AddNaclEntry { acl, entry } => put_entry(cx, acl, None, entry),
        Op::ReplaceNaclEntry { acl, index, entry } => put_entry(cx, acl, Some(*index), entry),
        Op::DeleteNaclEntry { acl, index } => delete_entry(cx, acl, *index),
        _ => Err(vec![OpError::invalid("", None, "not a security group or network ACL op")]),
    }
}

fn add_group(mut cx: Cx<'_>, vpc: &Ref, name: &str, description: &str) -> Prepare {
    let Some(vid) = cx.id(vpc, RK::Vpc, "vpc") else { return cx.stop() };
    cx.name(RK::SecurityGroup, name, Some(&vid), None);
    let (name, description) = (name.to_string(), description.to_string());
    cx.finish_with(vec![Touch::Appends(RK::SecurityGroup)], move |d| {
        let id = d.new_id(RK::SecurityGroup);
        let mut g = SecurityGroup::new(id.clone(), name, vid);
        g.description = description;
        d.security_groups.push(g);
        Applied { created: Some(id.clone()), touched: vec![id] }
    })
}

fn update_group(mut cx: Cx<'_>, group: &Ref, name: Option<&str>, description: Option<&str>) -> Prepare {
    let Some(id) = cx.id(group, RK::SecurityGroup, "group") else { return cx.stop() };
    if let Some(n) = name {
        let vpc = cx.d.security_group(&id).map(|g| g.vpc.clone());
        cx.name(RK::SecurityGroup, n, vpc.as_deref(), Some(&id));
    }
    let (name, description) = (name.map(str::to_string), description.map(str::to_string));
    cx.finish_with(vec![Touch::Rows(RK::SecurityGroup, vec![id.clone()])], move |d| {
        if let Some(g) = d.security_groups.iter_mut().find(|g| g.id == id) {
            if let Some(n) = name {
                g.name = n;
            }
            if let Some(x) = description {
                g.description = x;
            }
        }
        Applied { created: None, touched: vec![id] }
    })
}

struct RuleSpec<'a> {
    direction: Direction,
    protocol: Protocol,
    ports: PortSpec,
    peer: &'a PeerSpec,
    description: &'a str,
}

/// Why ports do not go with a protocol, if they do not.
fn ports_problem(protocol: Protocol, ports: PortSpec) -> Option<&'static str> {
    match (protocol, ports) {
        (_, PortSpec::All) => None,
        (Protocol::All, _) => Some("protocol 'all' covers every port: leave ports as 'all'"),
        (Protocol::Icmp, PortSpec::Icmp { .. }) => None,
        (Protocol::Tcp | Protocol::Udp, PortSpec::Range { from, to }) if from <= to => None,
        (Protocol::Tcp | Protocol::Udp, PortSpec::Range { .. }) => Some("the port range runs backwards"),
        (Protocol::Number(_), _) => Some("only tcp and udp have ports: leave ports as 'all'"),
        _ => Some("these ports do not go with the protocol"),
    }
}

/// Resolve a rule's peer (S6).
fn peer(cx: &mut Cx<'_>, p: &PeerSpec) -> Option<SgPeer> {
    match p {
        PeerSpec::Cidr(c) => Some(SgPeer::Cidr(c.trunc())),
        PeerSpec::Group(r) => cx.id(r, RK::SecurityGroup, "peer").map(SgPeer::group),
        PeerSpec::AccountGroup { account, group } => {
            if !(account.len() == 12 && account.chars().all(|c| c.is_ascii_digit()) && group.starts_with("sg-")) {
                cx.bad(
                    "peer",
                    Some(Rule::S6),
                    crate::text!("'{account}/{group}' is not an account id and a group id (S6)"),
                );
            }
            Some(SgPeer::SecurityGroup { group: group.clone(), account: Some(account.clone()) })
        }
        PeerSpec::PrefixList(pl) => {
            let known = cx.d.prefix_list(pl).is_some() || ServiceCatalog::builtin().by_prefix_list(pl).is_some();
            if !known {
                cx.bad("peer", Some(Rule::S6), crate::text!("{pl} is not a known prefix list (S6)"));
            }
            Some(SgPeer::PrefixList(pl.clone()))
        }
    }
}

/// Add a rule, or replace rule `old` (direction, index) with it.
fn put_rule(mut cx: Cx<'_>, group: &Ref, old: Option<(Direction, usize)>, r: RuleSpec<'_>) -> Prepare {
    let Some(gid) = cx.id(group, RK::SecurityGroup, "group") else { return cx.stop() };
    let Some(g) = cx.d.security_group(&gid).cloned() else { return cx.stop() };
    if let Some((dir, i)) = old {
        let list = if dir.egress() { &g.egress } else { &g.ingress };
        if i >= list.len() {
            cx.fail(OpError::not_found("index", crate::text!("{} has no rule {i} in that direction", g.name)));
            return cx.stop();
        }
    }
    if let Some(m) = ports_problem(r.protocol, r.ports) {
        cx.bad("ports", None, m);
    }
    let Some(p) = peer(&mut cx, r.peer) else { return cx.stop() };
    let egress = r.direction.egress();
    let rules = if egress { &g.egress } else { &g.ingress };
    let same_slot = |i: usize| old.is_some_and(|(d, j)| j == i && d == r.direction);
    if rules
        .iter()
        .enumerate()
        .any(|(i, x)| !same_slot(i) && x.protocol == r.protocol && x.ports == r.ports && x.peer == p)
    {
        cx.bad("peer", None, "the group already has this exact rule");
    }
    let count = rules.len() + usize::from(old.is_none_or(|(d, _)| d != r.direction));
    if count > 60 {
        cx.bad("direction", Some(Rule::S1), "60 rules per direction is the quota (S1)");
    }
    let rule = SgRule { protocol: r.protocol, ports: r.ports, peer: p, description: r.description.to_string() };
    cx.finish_with(vec![Touch::Rows(RK::SecurityGroup, vec![gid.clone()])], move |d| {
        if let Some(g) = d.security_groups.iter_mut().find(|g| g.id == gid) {
            if let Some((dir, i)) = old {
                let from = if dir.egress() { &mut g.egress } else { &mut g.ingress };
                if i < from.len() {
                    from.remove(i);
                }
                if dir.egress() == egress {
                    let to = if egress { &mut g.egress } else { &mut g.ingress };
                    let at = i.min(to.len());
                    to.insert(at, rule);
                    return Applied { created: None, touched: vec![gid] };
                }
            }
            let to = if egress { &mut g.egress } else { &mut g.ingress };
            to.push(rule);
        }
        Applied { created: None, touched: vec![gid] }
    })
}

fn remove_rules(
    mut cx: Cx<'_>,
    group: &Ref,
    direction: Direction,
    protocol: Protocol,
    ports: PortSpec,
    want: Option<&PeerSpec>,
) -> Prepare {
    let Some(gid) = cx.id(group, RK::SecurityGroup, "group") else { return cx.stop() };
    let Some(g) = cx.d.security_group(&gid).cloned() else { return cx.stop() };
    let p = match want {
        Some(w) => match peer(&mut cx, w) {
            Some(p) => Some(p),
            None => return cx.stop(),
        },
        None => None,
    };
    let hit = |r: &SgRule| r.protocol == protocol && r.ports == ports && p.as_ref().is_none_or(|p| &r.peer == p);
    let list = if direction.egress() { &g.egress } else { &g.ingress };
    if !list.iter().any(hit) {
        cx.fail(OpError::not_found("", crate::text!("{} has no such rule", g.name)));
        return cx.stop();
    }
    cx.finish_with(vec![Touch::Rows(RK::SecurityGroup, vec![gid.clone()])], move |d| {
        if let Some(g) = d.security_groups.iter_mut().find(|g| g.id == gid) {
            let list = if direction.egress() { &mut g.egress } else { &mut g.ingress };
            list.retain(|r| !(r.protocol == protocol && r.ports == ports && p.as_ref().is_none_or(|p| &r.peer == p)));
        }
        Applied { created: None, touched: vec![gid] }
    })
}

fn delete_rule(mut cx: Cx<'_>, group: &Ref, direction: Direction, index: usize) -> Prepare {
    let Some(gid) = cx.id(group, RK::SecurityGroup, "group") else { return cx.stop() };
    let len =
        cx.d.security_group(&gid).map_or(0, |g| if direction.egress() { g.egress.len() } else { g.ingress.len() });
    if index >= len {
        cx.fail(OpError::not_found("index", "the rule is gone"));
        return cx.stop();
    }
    cx.finish_with(vec![Touch::Rows(RK::SecurityGroup, vec![gid.clone()])], move |d| {
        if let Some(g) = d.security_groups.iter_mut().find(|g| g.id == gid) {
            let list = if direction.egress() { &mut g.egress } else { &mut g.ingress };
            if index < list.len() {
                list.remove(index);
            }
        }
        Applied { created: None, touched: vec![gid] }
    })
}

/// Subnets of the ACL's VPC only (L1).
fn check_acl_subnets(cx: &mut Cx<'_>, ids: &[Id], vpc: &str) {
    if let Some(s) = ids.iter().filter_map(|i| cx.d.subnet(i)).find(|s| s.vpc != vpc) {
        let m = crate::text!("{} is in {}; an ACL serves subnets of its own VPC (L1)", s.id, s.vpc);
        cx.bad("subnets", Some(Rule::L1), m);
    }
}

fn add_acl(mut cx: Cx<'_>, vpc: &Ref, name: &str, subnets: &[Ref]) -> Prepare {
    let vid = cx.id(vpc, RK::Vpc, "vpc");
    let subs = cx.ids(subnets, &[RK::Subnet], "subnets");
    let (Some(vid), Some(subs)) = (vid, subs) else { return cx.stop() };
    cx.name(RK::NetworkAcl, name, Some(&vid), None);
    check_acl_subnets(&mut cx, &subs, &vid);
    let name = name.to_string();
    // The ACL goes at the end of the list; the ACLs its subnets leave are changed in place.
    let rows: Vec<Id> = subs.iter().flat_map(|s| acls_listing(cx.d, s)).collect();
    cx.finish_with(vec![Touch::Rows(RK::NetworkAcl, rows), Touch::Appends(RK::NetworkAcl)], move |d| {
        let id = d.new_id(RK::NetworkAcl);
        d.network_acls.push(NetworkAcl::new_custom(id.clone(), name, vid));
        let mut touched = vec![id.clone()];
        for s in &subs {
            touched.extend(d.network_acls.iter().filter(|a| a.subnets.contains(s)).map(|a| a.id.clone()));
            let _ = d.associate_network_acl(s, &id);
        }
        Applied { created: Some(id), touched }
    })
}

fn update_acl(mut cx: Cx<'_>, acl: &Ref, name: Option<&str>, subnets: Option<&[Ref]>) -> Prepare {
    let Some(id) = cx.id(acl, RK::NetworkAcl, "acl") else { return cx.stop() };
    let Some(a) = cx.d.network_acl(&id).cloned() else { return cx.stop() };
    let subs = match subnets {
        Some(s) => match cx.ids(s, &[RK::Subnet], "subnets") {
            Some(x) => Some(x),
            None => return cx.stop(),
        },
        None => None,
    };
    if let Some(n) = name {
        cx.name(RK::NetworkAcl, n, Some(&a.vpc), Some(&id));
    }
    if let Some(s) = &subs {
        check_acl_subnets(&mut cx, s, &a.vpc);
    }
    let name = name.map(str::to_string);
    // The ACL and the ACLs its new subnets leave, changed in place.
    let mut rows = vec![id.clone()];
    rows.extend(subs.iter().flatten().flat_map(|s| acls_listing(cx.d, s)));
    cx.finish_with(vec![Touch::Rows(RK::NetworkAcl, rows)], move |d| {
        let mut touched = vec![id.clone()];
        if let Some(x) = d.network_acls.iter_mut().find(|x| x.id == id) {
            if let Some(n) = name {
                x.name = n;
            }
            if let Some(s) = &subs {
                // Subnets dropped from the list fall back to the default ACL (L1).
                x.subnets.retain(|y| s.contains(y));
            }
        }
        for s in subs.iter().flatten() {
            touched.extend(d.network_acls.iter().filter(|a| a.subnets.contains(s) && a.id != id).map(|a| a.id.clone()));
            let _ = d.associate_network_acl(s, &id);
        }
        Applied { created: None, touched }
    })
}

fn associate_acl(mut cx: Cx<'_>, acl: &Ref, subnet: &Ref) -> Prepare {
    let a = cx.id(acl, RK::NetworkAcl, "acl");
    let s = cx.id(subnet, RK::Subnet, "subnet");
    let (Some(a), Some(s)) = (a, s) else { return cx.stop() };
    let (av, sv) = (cx.d.network_acl(&a).map(|x| x.vpc.clone()), cx.d.subnet(&s).map(|x| x.vpc.clone()));
    if av != sv {
        let m =
            crate::text!("{a} belongs to {}, but {s} is in {} (L1)", av.unwrap_or_default(), sv.unwrap_or_default());
        cx.fail(OpError::invalid("subnet", Some(Rule::L1), m));
        return cx.stop();
    }
    // The ACL the subnet leaves and the one it joins, changed in place.
    let mut rows = acls_listing(cx.d, &s);
    rows.push(a.clone());
    cx.finish_with(vec![Touch::Rows(RK::NetworkAcl, rows)], move |d| {
        let mut touched: Vec<Id> =
            d.network_acls.iter().filter(|x| x.subnets.contains(&s)).map(|x| x.id.clone()).collect();
        let _ = d.associate_network_acl(&s, &a);
        touched.push(a);
        touched.push(s);
        Applied { created: None, touched }
    })
}

/// The network ACLs listing `subnet`: what an association of the subnet changes in place.
fn acls_listing(d: &Design, subnet: &str) -> Vec<Id> {
    d.network_acls.iter().filter(|a| a.subnets.iter().any(|x| x == subnet)).map(|a| a.id.clone()).collect()
}

/// Add an entry, or replace entry `index` with it (L2: numbered 1–32766, unique per direction,
/// 20 per direction).
fn put_entry(mut cx: Cx<'_>, acl: &Ref, index: Option<usize>, entry: &NaclEntry) -> Prepare {
    let Some(aid) = cx.id(acl, RK::NetworkAcl, "acl") else { return cx.stop() };
    let Some(a) = cx.d.network_acl(&aid).cloned() else { return cx.stop() };
    if index.is_some_and(|i| i >= a.entries.len()) {
        cx.fail(OpError::not_found("index", "the entry is gone"));
        return cx.stop();
    }
    let n = entry.rule_number;
    let dir = if entry.egress { "outbound" } else { "inbound" };
    if n == 0 || n > 32766 {
        cx.bad("rule_number", Some(Rule::L2), "the rule number must be a number from 1 to 32766 (L2)");
    } else if a
        .entries
        .iter()
        .enumerate()
        .any(|(i, x)| Some(i) != index && x.egress == entry.egress && x.rule_number == n)
    {
        let m = crate::text!("rule {n} already exists {dir_ui}; numbers are unique per direction (L2)", dir_ui = dir);
        cx.bad("rule_number", Some(Rule::L2), m);
    }
    if let Some(m) = ports_problem(entry.protocol, entry.ports) {
        cx.bad("ports", None, m);
    }
    let same = index.is_some_and(|i| a.entries.get(i).is_some_and(|x| x.egress == entry.egress));
    let count = a.entries.iter().filter(|x| x.egress == entry.egress).count() + usize::from(!same);
    if count > 20 {
        cx.bad("rule_number", Some(Rule::L2), "20 rules per direction is the quota (L2)");
    }
    let mut entry = entry.clone();
    entry.cidr = entry.cidr.trunc();
    cx.finish_with(vec![Touch::Rows(RK::NetworkAcl, vec![aid.clone()])], move |d| {
        if let Some(x) = d.network_acls.iter_mut().find(|x| x.id == aid) {
            match index {
                Some(i) if i < x.entries.len() => x.entries[i] = entry,
                _ => x.entries.push(entry),
            }
        }
        Applied { created: None, touched: vec![aid] }
    })
}

fn delete_entry(mut cx: Cx<'_>, acl: &Ref, index: usize) -> Prepare {
    let Some(aid) = cx.id(acl, RK::NetworkAcl, "acl") else { return cx.stop() };
    if cx.d.network_acl(&aid).is_none_or(|a| index >= a.entries.len()) {
        cx.fail(OpError::not_found("index", "the entry is gone"));
        return cx.stop();
    }
    cx.finish_with(vec![Touch::Rows(RK::NetworkAcl, vec![aid.clone()])], move |d| {
        if let Some(x) = d.network_acls.iter_mut().find(|x| x.id == aid) {
            if index < x.entries.len() {
                x.entries.remove(index);
            }
        }
        Applied { created: None, touched: vec![aid] }
    })
}
