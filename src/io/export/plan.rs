//! The one walk both exporters share: which resources go out (per region), and for each
//! whether it is declared as a resource of its own, written inside another one, or implied by
//! another one; its name; and how other resources refer to it. CloudFormation and Terraform
//! only render this plan in their own syntax.
//!
//! - Declared: its own resource, with a unique name.
//! - Inline: an instance's primary interface (device index 0) written inside the instance;
//!   references to it go through the instance. Which ones is the target's choice
//!   ([`InlinePrimary`]): Terraform's `aws_instance` always creates its primary interface, so
//!   every one is inline; CloudFormation can attach a declared interface at index 0 (keeping
//!   its own name tag), so only one that needs an auto-assigned public address — which exists
//!   only on an interface the instance creates (`AssociatePublicIpAddress`) — is inline.
//! - Implied: AWS creates it with something else: the main route table and the default security
//!   group and network ACL with their VPC (Terraform adopts the last two with `aws_default_*`
//!   resources, so they get names there), a transit gateway VPN attachment with its VPN
//!   connection. AWS-managed prefix lists are AWS's own.

use super::names::LogicalIds;
use super::scope::Scope;
use crate::model::*;
use foldhash::HashMap;

/// Where a resource goes in the output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Placement {
    /// A resource of its own.
    Declared,
    /// Written inside `parent` (an instance's primary interface).
    Inline { parent: Id },
    /// The VPC's default security group or network ACL, which AWS creates with the VPC.
    VpcDefault,
    /// The VPC's main route table, which AWS creates with the VPC.
    MainRouteTable,
    /// Created by `owner` (a transit gateway VPN attachment, by its VPN connection).
    CreatedBy { owner: Id },
    /// AWS's own (a managed prefix list): referred to by id.
    AwsManaged,
}

/// Which primary interfaces (device index 0 of an instance) a target writes inside their
/// instance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InlinePrimary {
    /// Every one whose instance is exported.
    Always,
    /// Only one with an auto-assigned public address (the instance must create it).
    WithPublicIp,
}

/// What a target can say, which shapes the plan.
#[derive(Debug, Clone, Copy)]
pub struct TargetStyle {
    /// Every region (Terraform, through provider aliases) or only the main one (a
    /// CloudFormation stack is regional).
    pub all_regions: bool,
    /// Whether the VPC's default group and ACL are declared (adopted) and so named.
    pub names_vpc_defaults: bool,
    /// A fresh name set in the target's style.
    pub names: fn() -> LogicalIds,
    /// The word a name falls back to for a kind.
    pub kind_word: fn(ResourceKind) -> &'static str,
    /// Names the target uses for something else.
    pub reserved: &'static [&'static str],
    /// Whether what another resource creates (a VPN attachment) still takes a name, so the
    /// names after it do not move (CloudFormation keeps it out of the template but says so).
    pub names_created: bool,
    /// Which primary interfaces are written inside their instance.
    pub inline_primary: InlinePrimary,
}

/// A resource that goes out.
#[derive(Debug, Clone)]
pub struct Entry {
    pub kind: ResourceKind,
    pub placement: Placement,
    /// The region it goes to.
    pub region: String,
}

/// How one resource refers to another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ref<'p> {
    /// A resource of the output, by its name.
    Named(&'p str),
    /// An instance's primary interface, through the instance (named).
    PrimaryInterface { instance: &'p str },
    /// A VPN attachment, through its VPN connection (named).
    VpnAttachment { vpn: &'p str },
    /// A VPC's main route table, through the VPC (named).
    MainRouteTable { table: &'p str, vpc: &'p str },
    /// A VPC's default security group, through the VPC (named).
    DefaultSecurityGroup { vpc: &'p str },
    /// A VPC's default network ACL, through the VPC (named).
    DefaultNetworkAcl { vpc: &'p str },
    /// Something outside the output: its id as it is.
    Literal(&'p str),
}

/// The plan of one export.
pub struct ExportPlan<'a> {
    pub d: &'a Design,
    /// The design's index, for every lookup the emitters make.
    pub ix: &'a DesignIndex<'a>,
    /// Names of everything declared, and fresh names for what has no id (routes, rules …).
    pub names: LogicalIds,
    /// The regions exported: the design's default region first.
    pub regions: Vec<String>,
    entries: HashMap<&'a str, Entry>,
    scopes: Vec<Scope>,
    /// Target group id → the kinds of load balancer whose listeners forward to it.
    tg_users: HashMap<&'a str, Vec<LoadBalancerKind>>,
}

impl<'a> ExportPlan<'a> {
    /// Decide, for every resource of the regions `target` exports, where it goes and its name.
    pub fn new(ix: &'a DesignIndex<'a>, target: TargetStyle) -> ExportPlan<'a> {
        let d = ix.design();
        let mut regions = if target.all_regions { Scope::regions(d) } else { vec![Scope::main_region(d)] };
        // The default region first, so a resource two scopes claim goes there.
        regions.sort_by_key(|r| *r != d.default_region);
        let mut names = (target.names)();
        for r in target.reserved {
            names.reserve(r);
        }
        let mut entries: HashMap<&'a str, Entry> = HashMap::default();
        let mut scopes = Vec::new();
        for region in &regions {
            let scope = Scope::of(d, region);
            for r in d.resources().filter(|r| scope.has(r.id()) && !r.kind().is_service()) {
                if entries.contains_key(r.id()) {
                    continue;
                }
                let placement = placement(ix, &scope, target.inline_primary, r);
                let named = match placement {
                    Placement::Declared => true,
                    Placement::VpcDefault => target.names_vpc_defaults,
                    Placement::CreatedBy { .. } => target.names_created,
                    _ => false,
                };
                if named {
                    names.assign(r.id(), r.name(), (target.kind_word)(r.kind()));
                }
                entries.insert(r.id(), Entry { kind: r.kind(), placement, region: region.clone() });
            }
            scopes.push(scope);
        }
        let mut tg_users: HashMap<&'a str, Vec<LoadBalancerKind>> = HashMap::default();
        for lb in &d.load_balancers {
            for tg in lb.listeners.iter().filter_map(|l| l.target_group.as_deref()) {
                tg_users.entry(tg).or_default().push(lb.kind);
            }
        }
        ExportPlan { d, ix, names, regions, entries, scopes, tg_users }
    }

    /// The ELBv2 protocol of a target group, from the load balancers that use it: GENEVE
    /// behind a gateway load balancer, HTTP behind an application one, else its own UDP or TCP.
    pub fn target_group_protocol(&self, tg: &TargetGroup) -> &'static str {
        let users = self.tg_users.get(tg.id.as_str()).map(Vec::as_slice).unwrap_or(&[]);
        if users.contains(&LoadBalancerKind::Gateway) {
            "GENEVE"
        } else if users.contains(&LoadBalancerKind::Application) {
            "HTTP"
        } else if tg.protocol == Protocol::Udp {
            "UDP"
        } else {
            "TCP"
        }
    }

    /// The `TargetType` a target group goes out as (M4, M10, M11), for both exporters: the
    /// type it keeps (`lambda`, `alb`), else `instance` when every target is an instance of the
    /// design, `ip` otherwise.
    pub fn target_type_name(&self, tg: &TargetGroup) -> &'static str {
        match tg.target_type.filter(|t| t.kept()) {
            Some(t) => t.api_name(),
            None if tg.targets.iter().all(|t| self.ix.instance(&t.id).is_some()) => "instance",
            None => "ip",
        }
    }

    /// Where a resource goes, when it goes out at all.
    pub fn entry(&self, id: &str) -> Option<&Entry> {
        self.entries.get(id)
    }

    /// Whether a resource goes out (in any form).
    pub fn in_scope(&self, id: &str) -> bool {
        self.entries.contains_key(id)
    }

    /// The region a resource goes to.
    pub fn region_of(&self, id: &str) -> Option<&str> {
        self.entries.get(id).map(|e| e.region.as_str())
    }

    /// The region of every resource that goes out (with repeats).
    pub fn entry_regions(&self) -> impl Iterator<Item = &str> {
        self.entries.values().map(|e| e.region.as_str())
    }

    /// Whether a resource is declared under a name of its own.
    pub fn declared(&self, id: &str) -> bool {
        self.names.get(id).is_some()
    }

    /// The name of a declared resource.
    pub fn name(&self, id: &str) -> Option<&str> {
        self.names.get(id)
    }

    /// Whether a resource is written inside another; the other's id.
    pub fn inline_parent(&self, id: &str) -> Option<&str> {
        match &self.entries.get(id)?.placement {
            Placement::Inline { parent } => Some(parent),
            _ => None,
        }
    }

    /// Whether a resource is created by another one.
    pub fn created_by(&self, id: &str) -> Option<&str> {
        match &self.entries.get(id)?.placement {
            Placement::CreatedBy { owner } => Some(owner),
            _ => None,
        }
    }

    /// How another resource refers to `id`.
    pub fn reference<'p>(&'p self, id: &'p str) -> Ref<'p> {
        if let Some(n) = self.names.get(id) {
            return Ref::Named(n);
        }
        match self.entries.get(id).map(|e| &e.placement) {
            Some(Placement::Inline { parent }) => {
                if let Some(n) = self.names.get(parent) {
                    return Ref::PrimaryInterface { instance: n };
                }
            }
            Some(Placement::CreatedBy { owner }) => {
                if let Some(n) = self.names.get(owner) {
                    return Ref::VpnAttachment { vpn: n };
                }
            }
            _ => {}
        }
        let through_vpc = |vpc: &str| self.names.get(vpc);
        match self.ix.find(id) {
            Some(Resource::RouteTable(t)) if t.main => {
                if let Some(vpc) = through_vpc(&t.vpc) {
                    return Ref::MainRouteTable { table: id, vpc };
                }
            }
            Some(Resource::SecurityGroup(g)) if g.is_default => {
                if let Some(vpc) = through_vpc(&g.vpc) {
                    return Ref::DefaultSecurityGroup { vpc };
                }
            }
            Some(Resource::NetworkAcl(a)) if a.is_default => {
                if let Some(vpc) = through_vpc(&a.vpc) {
                    return Ref::DefaultNetworkAcl { vpc };
                }
            }
            _ => {}
        }
        Ref::Literal(id)
    }

    /// What the design has outside the regions exported, for the notes.
    pub fn left_out(&self) -> Vec<String> {
        match self.scopes.as_slice() {
            [only] => only.left_out(self.d),
            _ => Vec::new(),
        }
    }
}

/// Where one resource of `scope` goes.
fn placement(ix: &DesignIndex<'_>, scope: &Scope, inline: InlinePrimary, r: Resource<'_>) -> Placement {
    match r {
        Resource::RouteTable(t) if t.main => Placement::MainRouteTable,
        Resource::SecurityGroup(g) if g.is_default => Placement::VpcDefault,
        Resource::NetworkAcl(a) if a.is_default => Placement::VpcDefault,
        Resource::PrefixList(p) if p.aws_managed => Placement::AwsManaged,
        Resource::NetworkInterface(e) => {
            let inlined = match (e.instance.as_deref(), inline) {
                (Some(i), InlinePrimary::Always) => e.device_index == 0 && scope.has(i),
                (Some(i), InlinePrimary::WithPublicIp) => {
                    e.device_index == 0 && e.public_ip.is_some() && ix.instance(i).is_some()
                }
                (None, _) => false,
            };
            match e.instance.as_deref() {
                Some(i) if inlined => Placement::Inline { parent: i.to_string() },
                _ => Placement::Declared,
            }
        }
        Resource::TgwAttachment(TgwAttachment { kind: TgwAttachmentKind::Vpn { vpn }, .. }) => {
            Placement::CreatedBy { owner: vpn.clone() }
        }
        _ => Placement::Declared,
    }
}
