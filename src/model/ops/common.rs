//! What the ops of several kinds share: resolving references, names, addresses in a subnet,
//! security group and subnet lists, and deleting.

use super::snapshot::Touch;
use super::{Applied, OpError, Prepare, Prepared, Ref};
use crate::l10n::Text;
use crate::model::edit::DeleteMode;
use crate::model::*;
use crate::rules::Rule;
use ipnet::Ipv4Net;
use std::collections::HashSet;
use std::net::Ipv4Addr;

use ResourceKind as RK;

/// The checking context of one op: the design, whether AWS rules are enforced (trusted code
/// skips them, references must still resolve), and the problems found so far.
pub(crate) struct Cx<'d> {
    pub d: &'d Design,
    strict: bool,
    errs: Vec<OpError>,
}

impl<'d> Cx<'d> {
    pub fn new(d: &'d Design, strict: bool) -> Cx<'d> {
        Cx { d, strict, errs: Vec::new() }
    }

    /// A broken rule (dropped for trusted code).
    pub fn refuse(&mut self, e: OpError) {
        if self.strict {
            self.errs.push(e);
        }
    }

    /// Shorthand: refuse a value of `field`.
    pub fn bad(&mut self, field: &'static str, rule: Option<Rule>, msg: impl Into<Text>) {
        self.refuse(OpError::invalid(field, rule, msg));
    }

    /// A problem that stops even trusted code (a reference to nothing).
    pub fn fail(&mut self, e: OpError) {
        self.errs.push(e);
    }

    pub fn ok(&self) -> bool {
        self.errs.is_empty()
    }

    /// The problems, or the change.
    pub fn finish(self, touches: &[RK], commit: impl FnOnce(&mut Design) -> Applied + 'static) -> Prepare {
        self.finish_with(touches.iter().map(|k| Touch::Kind(*k)).collect(), commit)
    }

    /// The problems, or the change, which writes only what `touches` says (a few resources
    /// edited in place, additions at the end): what an undo of it keeps.
    pub fn finish_with(self, touches: Vec<Touch>, commit: impl FnOnce(&mut Design) -> Applied + 'static) -> Prepare {
        if self.errs.is_empty() {
            Ok(Prepared::new(touches, commit))
        } else {
            Err(self.errs)
        }
    }

    /// [`Cx::finish_with`] for an op that adds a resource of `kind` (at the end of its list)
    /// or, `editing` one, changes it in place, and writes nothing else.
    pub fn finish_one(
        self,
        kind: RK,
        editing: Option<&Id>,
        commit: impl FnOnce(&mut Design) -> Applied + 'static,
    ) -> Prepare {
        self.finish_with(vec![add_or_edit(kind, editing)], commit)
    }

    /// Stop here with the problems found (when nothing more can be checked).
    pub fn stop(self) -> Prepare {
        Err(self.errs)
    }

    /// The id of a resource of `kind`.
    pub fn id(&mut self, r: &Ref, kind: RK, field: &'static str) -> Option<Id> {
        match resolve_ref(self.d, r, &[kind]) {
            Ok((_, id)) => Some(id),
            Err(m) => {
                self.fail(OpError::not_found(field, m));
                None
            }
        }
    }

    /// The id and kind of a resource of one of `kinds`.
    pub fn any_id(&mut self, r: &Ref, kinds: &[RK], field: &'static str) -> Option<(RK, Id)> {
        match resolve_ref(self.d, r, kinds) {
            Ok(x) => Some(x),
            Err(m) => {
                self.fail(OpError::not_found(field, m));
                None
            }
        }
    }

    /// The interface a resource of `kind` stands for: an interface itself, an instance its
    /// primary interface (an instance without one is refused).
    pub fn interface_of(&mut self, kind: RK, id: &str, field: &'static str) -> Option<Id> {
        if kind != RK::Instance {
            return Some(id.to_string());
        }
        match self.d.instance_interfaces(id).first() {
            Some(e) => Some(e.id.clone()),
            None => {
                self.fail(OpError::invalid(field, None, crate::text!("{id} has no network interface")));
                None
            }
        }
    }

    /// The ids of a list of resources of one of `kinds`; a resource listed twice is refused.
    pub fn ids(&mut self, rs: &[Ref], kinds: &[RK], field: &'static str) -> Option<Vec<Id>> {
        let mut out: Vec<Id> = Vec::new();
        for r in rs {
            match resolve_ref(self.d, r, kinds) {
                Ok((_, id)) if out.contains(&id) => {
                    self.fail(OpError::invalid(field, None, crate::text!("'{r}' is listed twice")));
                    return None;
                }
                Ok((_, id)) => out.push(id),
                Err(m) => {
                    self.fail(OpError::not_found(field, m));
                    return None;
                }
            }
        }
        Some(out)
    }

    /// The optional id of a resource of `kind`.
    pub fn opt_id(&mut self, r: Option<&Ref>, kind: RK, field: &'static str) -> Option<Option<Id>> {
        match r {
            None => Some(None),
            Some(r) => self.id(r, kind, field).map(Some),
        }
    }

    /// Check a name (required, at most 255 characters, unique within its kind and scope).
    /// `editing` is the resource being renamed: keeping its own name is always fine, so an
    /// import's duplicates never block an unrelated edit.
    pub fn name(&mut self, kind: RK, name: &str, scope: Option<&str>, editing: Option<&str>) {
        if let Some(m) = name_problem(self.d, kind, name, scope, editing) {
            self.bad("name", None, m);
        }
    }
}

/// The rule a message cites at its end, e.g. `(A5)` or `(R2)`.
pub(crate) fn rule_in(message: &str) -> Option<Rule> {
    let open = message.rfind('(')?;
    let inside = message[open + 1..].split(')').next()?;
    inside.split([',', ' ', '/']).find_map(|w| w.parse::<Rule>().ok())
}

/// Resolve a reference to a resource of one of `kinds`: an id (of the right kind), else a
/// name, exact first, then ignoring case. An ambiguous name is refused with the candidates.
pub fn resolve_ref(d: &Design, r: &Ref, kinds: &[RK]) -> Result<(RK, Id), Text> {
    let what = || kinds.iter().map(|k| k.label()).collect::<Vec<_>>().join(" or ");
    match r {
        Ref::Id(id) => match d.find(id) {
            Some(x) if kinds.contains(&x.kind()) => Ok((x.kind(), id.clone())),
            Some(x) => {
                let kind_ui = x.kind().label();
                Err(crate::text!("'{id}' is a {kind_ui}, not a {want_ui}", want_ui = what()))
            }
            None => Err(crate::text!("'{id}' is not a {want_ui} in this design", want_ui = what())),
        },
        Ref::Name(name) => {
            // Exact name, then ignoring case, then a `Name` tag (an import's Terraform address
            // is its name; its tag is what people call it).
            for pass in 0..3 {
                let hits: Vec<(RK, Id)> = kinds
                    .iter()
                    .flat_map(|k| d.resources_of(*k))
                    .filter(|x| match pass {
                        0 => x.name() == name,
                        1 => x.name().eq_ignore_ascii_case(name),
                        _ => d.tag_names.get(x.id()).is_some_and(|t| t == name),
                    })
                    .map(|x| (x.kind(), x.id().to_string()))
                    .collect();
                match hits.len() {
                    0 => continue,
                    1 => return Ok(hits.into_iter().next().unwrap_or_else(|| (kinds[0], String::new()))),
                    n => {
                        let ids: Vec<String> = hits.into_iter().map(|(_, i)| i).collect();
                        return Err(crate::text!("'{name}' names {n} resources ({}); use an id", ids.join(", ")));
                    }
                }
            }
            Err(crate::text!("'{name}' is not a {want_ui} in this design", want_ui = what()))
        }
    }
}

/// The scope within which names of a kind must be unique: the VPC for kinds that live in one
/// (two VPCs may each have a subnet called `public-a`).
fn scope_of<'a>(r: Resource<'a>) -> Option<&'a str> {
    match r {
        Resource::Subnet(x) => Some(&x.vpc),
        Resource::RouteTable(x) => Some(&x.vpc),
        Resource::InternetGateway(x) => x.vpc.as_deref(),
        Resource::EgressOnlyInternetGateway(x) => Some(&x.vpc),
        Resource::NatGateway(x) => x.subnet.as_deref().or(x.vpc.as_deref()),
        Resource::NetworkInterface(x) => Some(&x.subnet),
        Resource::SecurityGroup(x) => Some(&x.vpc),
        Resource::NetworkAcl(x) => Some(&x.vpc),
        Resource::VpcEndpoint(x) => Some(&x.vpc),
        Resource::LoadBalancer(x) => Some(&x.vpc),
        Resource::TargetGroup(x) => Some(&x.vpc),
        Resource::TgwAttachment(x) => Some(&x.tgw),
        Resource::TgwRouteTable(x) => Some(&x.tgw),
        Resource::NetworkFirewall(x) => Some(&x.vpc),
        Resource::Database(x) => Some(&x.vpc),
        Resource::DbSubnetGroup(x) => Some(&x.vpc),
        Resource::ComputeService(x) => Some(&x.vpc),
        _ => None,
    }
}

/// Why a name cannot be used, if it cannot.
pub(crate) fn name_problem(
    d: &Design,
    kind: RK,
    name: &str,
    scope: Option<&str>,
    editing: Option<&str>,
) -> Option<Text> {
    let name = name.trim();
    if name.is_empty() {
        return Some("required: give it a name".into());
    }
    if name.chars().count() > 255 {
        return Some("names are at most 255 characters (an AWS tag value)".into());
    }
    if let Some(e) = editing {
        if d.find(e).is_some_and(|r| r.name() == name) {
            return None;
        }
    }
    let clash = d
        .resources_of(kind)
        .find(|r| r.name() == name && Some(r.id()) != editing && (scope.is_none() || scope_of(*r) == scope));
    clash.map(|r| {
        let (kind_ui, id) = (kind.label(), r.id());
        match scope {
            Some(s) => {
                crate::text!("a {kind_ui} named '{name}' already exists in {s} ({id}); names are unique within a kind")
            }
            None => crate::text!("a {kind_ui} named '{name}' already exists ({id}); names are unique within a kind"),
        }
    })
}

/// Addresses in use in a subnet, with who holds them, except those of `except` (the resource
/// being edited, or an instance whose interfaces are being edited).
pub fn used_ips(d: &Design, subnet: &str, except: Option<&str>) -> Vec<(Ipv4Addr, String)> {
    let mut v = Vec::new();
    for e in d.network_interfaces.iter().filter(|e| e.subnet == subnet && Some(e.id.as_str()) != except) {
        if e.instance.as_deref().is_some_and(|i| Some(i) == except) {
            continue;
        }
        v.extend(e.private_ips.iter().map(|a| (*a, e.id.clone())));
    }
    for n in d.nat_gateways.iter().filter(|n| n.subnet.as_deref() == Some(subnet) && Some(n.id.as_str()) != except) {
        v.extend(n.private_ip.map(|a| (a, n.id.clone())));
    }
    for ep in d.endpoints.iter().filter(|x| Some(x.id.as_str()) != except) {
        v.extend(ep.interfaces.iter().filter(|i| i.subnet == subnet).map(|i| (i.ip, ep.id.clone())));
    }
    for lb in d.load_balancers.iter().filter(|x| Some(x.id.as_str()) != except) {
        v.extend(lb.nodes.iter().filter(|n| n.subnet == subnet).map(|n| (n.private_ip, lb.id.clone())));
    }
    for fw in d.network_firewalls.iter().filter(|x| Some(x.id.as_str()) != except) {
        v.extend(fw.endpoints.iter().filter(|e| e.subnet == subnet).map(|e| (e.ip, e.id.clone())));
    }
    // M1: the interfaces AWS made for managed services hold their addresses too.
    for s in d.services().filter(|s| Some(s.id()) != except) {
        v.extend(s.interfaces().iter().filter(|i| i.subnet == subnet).map(|i| (i.ip, s.id().to_string())));
    }
    v
}

/// Whether an address is one of the five AWS keeps in every subnet (A6).
pub(crate) fn reserved(cidr: Ipv4Net, ip: Ipv4Addr) -> bool {
    let base = u32::from(cidr.network());
    let off = u32::from(ip).wrapping_sub(base);
    off < 4 || ip == cidr.broadcast()
}

/// Why an address cannot be given to a new interface in a subnet, if it cannot (A6).
pub(crate) fn ip_problem(
    d: &Design,
    subnet: &Subnet,
    ip: Ipv4Addr,
    except: Option<&str>,
    taken: &[Ipv4Addr],
) -> Option<Text> {
    let Some(cidr) = subnet.cidr.filter(|c| c.contains(&ip)) else {
        return Some(crate::text!("{ip} is not inside {} ({})", subnet.name, subnet.primary_cidr_text()));
    };
    if reserved(cidr, ip) {
        return Some(crate::text!("{ip} is reserved: AWS keeps the first four and the last address of {cidr} (A6)"));
    }
    if taken.contains(&ip) {
        return Some(crate::text!("{ip} is listed twice"));
    }
    used_ips(d, &subnet.id, except)
        .into_iter()
        .find(|(a, _)| *a == ip)
        .map(|(_, by)| crate::text!("{ip} is already used by {by}"))
}

/// The first free address of a subnet after the reserved ones (A6).
pub fn first_free_ip(d: &Design, subnet: &Subnet, also_taken: &[Ipv4Addr]) -> Option<Ipv4Addr> {
    let used: HashSet<Ipv4Addr> =
        used_ips(d, &subnet.id, None).into_iter().map(|(a, _)| a).chain(also_taken.iter().copied()).collect();
    let cidr = subnet.cidr?;
    let base = u32::from(cidr.network());
    let last = u32::from(cidr.broadcast());
    (base.saturating_add(4)..last).map(Ipv4Addr::from).find(|a| !used.contains(a))
}

/// A made-up public address for a new Elastic IP, from the documentation ranges.
pub fn placeholder_public_ip(d: &Design) -> Ipv4Addr {
    let used: HashSet<Ipv4Addr> = d.elastic_ips.iter().map(|e| e.public_ip).collect();
    ["203.0.113.0/24", "198.51.100.0/24", "192.0.2.0/24"]
        .iter()
        .filter_map(|n| n.parse::<Ipv4Net>().ok())
        .flat_map(|n| n.hosts())
        .find(|a| !used.contains(a))
        .unwrap_or(Ipv4Addr::new(203, 0, 113, 1))
}

/// The first free subnet of a VPC: /24s for a large VPC, the VPC's own size for a small one.
pub fn suggest_subnet(d: &Design, vpc: &Vpc) -> Option<Ipv4Net> {
    let subs: Vec<Ipv4Net> = d.vpc_subnets(&vpc.id).filter_map(|s| s.cidr).collect();
    for c in vpc.cidrs() {
        let len = c.prefix_len().clamp(24, 28);
        if let Ok(cands) = c.subnets(len) {
            if let Some(free) = cands.take(4096).find(|cand| !subs.iter().any(|s| crate::net::overlaps(*s, *cand))) {
                return Some(free);
            }
        }
    }
    None
}

/// A /16 no VPC of the design uses yet.
pub fn suggest_vpc_cidr(d: &Design) -> Option<Ipv4Net> {
    (0..=255u8)
        .filter_map(|n| Ipv4Net::new(Ipv4Addr::new(10, n, 0, 0), 16).ok())
        .find(|c| !d.vpcs.iter().any(|v| v.cidrs().any(|x| crate::net::overlaps(x, *c))))
}

/// Check a list of security groups for an interface in `vpc` (S1: at most five, same VPC).
pub(crate) fn check_groups(cx: &mut Cx<'_>, ids: &[Id], vpc: &str, field: &'static str) {
    if ids.len() > 5 {
        cx.bad(field, Some(Rule::S1), crate::text!("{} groups: at most 5 per interface (S1)", ids.len()));
    } else if let Some(g) = ids.iter().filter_map(|i| cx.d.security_group(i)).find(|g| g.vpc != vpc) {
        let m = crate::text!("{} is in {}; a group attaches only in its own VPC (S1)", g.id, g.vpc);
        cx.bad(field, Some(Rule::S1), m);
    }
}

/// Check that subnets are in `vpc` and in distinct AZs (`why` says which rule wants that).
pub(crate) fn check_subnets_per_az(cx: &mut Cx<'_>, ids: &[Id], vpc: &str, field: &'static str, why: &str) {
    let subs: Vec<&Subnet> = ids.iter().filter_map(|i| cx.d.subnet(i)).collect();
    if let Some(s) = subs.iter().find(|s| s.vpc != vpc) {
        let m = crate::text!("{} is in {}, not in this VPC", s.id, s.vpc);
        cx.bad(field, None, m);
    } else if let Some((a, b)) =
        subs.iter().enumerate().flat_map(|(i, a)| subs[i + 1..].iter().map(move |b| (a, b))).find(|(a, b)| a.az == b.az)
    {
        let m = crate::text!("{} and {} are both in {}: {why_ui}", a.id, b.id, a.az, why_ui = why);
        let rule = super::common::rule_in(why);
        cx.bad(field, rule, m);
    }
}

/// Who an Elastic IP is associated with, other than `editing`.
pub(crate) fn eip_user(d: &Design, eip: &str, editing: Option<&str>) -> Option<String> {
    let mine = |id: &str, inst: Option<&str>| editing.is_some_and(|e| e == id || inst == Some(e));
    d.network_interfaces
        .iter()
        .find(|x| x.eip.as_deref() == Some(eip) && !mine(&x.id, x.instance.as_deref()))
        .map(|x| x.id.clone())
        .or_else(|| {
            d.nat_gateways.iter().find(|x| x.eip.as_deref() == Some(eip) && !mine(&x.id, None)).map(|x| x.id.clone())
        })
}

/// What an op that adds a resource of `kind` (`editing` none) or changes one writes.
pub(crate) fn add_or_edit(kind: RK, editing: Option<&Id>) -> Touch {
    match editing {
        Some(id) => Touch::Rows(kind, vec![id.clone()]),
        None => Touch::Appends(kind),
    }
}

/// Delete a resource; `cascade` deletes what cannot live without it and unlinks the rest (R6:
/// routes to it become blackhole), else the delete is refused while anything refers to it.
pub(crate) fn delete(mut cx: Cx<'_>, resource: &Ref, cascade: bool) -> Prepare {
    let Some((_, id)) = cx.any_id(resource, &RK::ALL, "resource") else { return cx.stop() };
    let mode = if cascade { DeleteMode::Cascade } else { DeleteMode::Refuse };
    // The model's delete checks and refuses (R1, S5, L1, references) before changing anything,
    // so a dry run on a copy is not needed: run the same checks here.
    if let Err(e) = cx.d.delete_check(&id, mode) {
        cx.fail(e.into());
        return cx.stop();
    }
    // Everything that is removed or loses a link is touched.
    let doomed: HashSet<Id> = cx.d.delete_closure(&id).into_iter().collect();
    let mut touched: Vec<Id> = doomed.iter().cloned().collect();
    touched.extend(cx.d.references().into_iter().filter(|r| doomed.contains(&r.to)).map(|r| r.from));
    touched.extend(doomed.iter().flat_map(|s| cx.d.subnet_routes(s)).map(|r| r.from));
    touched.sort();
    touched.dedup();
    let touches = delete_touches(cx.d, &doomed, &touched);
    cx.finish_with(touches, move |d| {
        let _ = d.delete(&id, mode);
        Applied { created: None, touched }
    })
}

/// What deleting `doomed` writes: the resources that lose a link to it (the rest of
/// `touched`), changed in place, and `doomed` removed; per kind, rows before removals.
fn delete_touches(d: &Design, doomed: &HashSet<Id>, touched: &[Id]) -> Vec<Touch> {
    let wanted: HashSet<&str> = touched.iter().map(String::as_str).collect();
    let mut rows: Vec<(RK, Vec<Id>)> = RK::ALL.iter().map(|k| (*k, Vec::new())).collect();
    let mut gone = rows.clone();
    for r in d.resources().filter(|r| wanted.contains(r.id())) {
        let at = RK::ALL.iter().position(|k| *k == r.kind()).unwrap_or_default();
        let list = if doomed.contains(r.id()) { &mut gone[at].1 } else { &mut rows[at].1 };
        list.push(r.id().to_string());
    }
    let mut out = Vec::new();
    for ((kind, rows), (_, gone)) in rows.into_iter().zip(gone) {
        if !rows.is_empty() {
            out.push(Touch::Rows(kind, rows));
        }
        if !gone.is_empty() {
            out.push(Touch::Removes(kind, gone));
        }
    }
    out
}

/// Why `ip` cannot be an interface's public IPv4 address: the internet gateway maps only
/// publicly routable addresses (I2), and drops traffic whose public side is RFC 1918 or
/// RFC 6598 space (I4). `None` for a public address.
pub fn public_ip_problem(ip: Ipv4Addr) -> Option<Text> {
    use crate::net::cidr::AddressClass;
    // One sentence per class, so a catalogue can say each whole.
    Some(match crate::net::cidr::classify(Ipv4Net::from(ip)) {
        AddressClass::Public => return None,
        AddressClass::Private(r) => crate::text!(
            "{ip} is a private address (RFC 1918, {r}): a public IP must be publicly routable; the internet gateway drops traffic to or from it (I2, I4)"
        ),
        AddressClass::SharedAddressSpace => crate::text!(
            "{ip} is in the shared address space (RFC 6598, 100.64.0.0/10): a public IP must be publicly routable; the internet gateway drops traffic to or from it (I2, I4)"
        ),
        AddressClass::LinkLocal => crate::text!(
            "{ip} is link-local: a public IP must be publicly routable; the internet gateway drops traffic to or from it (I2, I4)"
        ),
        AddressClass::Loopback => crate::text!(
            "{ip} is a loopback address: a public IP must be publicly routable; the internet gateway drops traffic to or from it (I2, I4)"
        ),
        AddressClass::Multicast => crate::text!(
            "{ip} is a multicast address: a public IP must be publicly routable; the internet gateway drops traffic to or from it (I2, I4)"
        ),
        AddressClass::Reserved | AddressClass::Mixed => crate::text!(
            "{ip} is reserved address space: a public IP must be publicly routable; the internet gateway drops traffic to or from it (I2, I4)"
        ),
    })
}
