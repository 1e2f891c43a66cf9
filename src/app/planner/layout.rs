//! A tier × AZ layout and the route tables its subnets are associated with: public tiers with
//! a table that routes to the VPC's internet gateway, the others with a private table (R9), so
//! a `public-2a` subnet is public. What the layout must create (a table, an internet gateway)
//! is shown in the preview, and Enter there applies everything as one undo step.
//!
//! A layout is dual-stack, IPv4-only or IPv6-only (issue 14): each IPv6 subnet gets a /64 of
//! the VPC's IPv6 block by slot number (`cidrsubnet(block, 8, n)`, stable: the same design
//! gives the same slots), next to its IPv4 block. A VPC without an IPv6 block gets an
//! Amazon-provided /56, held as a documentation-range stand-in until AWS assigns it (A7).

use super::az_short;
use crate::model::ops::Applied;
use crate::model::ops::{Op, Ref};
use crate::model::{Design, Id, RouteDestination, RouteTable, SubnetKind, Vpc};
use crate::net::{Ipv6LayoutRow, LayoutRow};
use ipnet::Ipv6Net;

/// 0.0.0.0/0: a public table's default route.
const ANYWHERE: ipnet::Ipv4Net = match ipnet::Ipv4Net::new(std::net::Ipv4Addr::UNSPECIFIED, 0) {
    Ok(n) => n,
    Err(_) => panic!("0.0.0.0/0"),
};

/// ::/0: a public table's IPv6 default route (R3: its own route, 0.0.0.0/0 never matches IPv6).
const ANYWHERE6: ipnet::Ipv6Net = match ipnet::Ipv6Net::new(std::net::Ipv6Addr::UNSPECIFIED, 0) {
    Ok(n) => n,
    Err(_) => panic!("::/0"),
};

/// The address families of a layout's subnets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LayoutFamily {
    /// An IPv4 block and an IPv6 /64 each.
    Dual,
    /// An IPv4 block each (what a VPC without IPv6 gets).
    #[default]
    Ipv4,
    /// A /64 each and no IPv4 block (A7: IPv6-only subnets).
    Ipv6,
}

impl LayoutFamily {
    /// The form's value for it.
    pub fn value(self) -> &'static str {
        match self {
            LayoutFamily::Dual => "dual",
            LayoutFamily::Ipv4 => "ipv4",
            LayoutFamily::Ipv6 => "ipv6",
        }
    }

    pub fn from_value(v: &str) -> LayoutFamily {
        match v {
            "dual" => LayoutFamily::Dual,
            "ipv6" => LayoutFamily::Ipv6,
            _ => LayoutFamily::Ipv4,
        }
    }

    pub fn has_ipv4(self) -> bool {
        self != LayoutFamily::Ipv6
    }

    pub fn has_ipv6(self) -> bool {
        self != LayoutFamily::Ipv4
    }
}

/// Where a layout's /64s come from, when the preview must say so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ipv6BlockPlan {
    /// The VPC has no IPv6 block: the layout associates an Amazon-provided /56, held as this
    /// documentation-range stand-in (A7).
    Adds(Ipv6Net),
    /// The VPC's block is a stand-in for an Amazon-provided /56 AWS has not assigned yet.
    Placeholder(Ipv6Net),
}

/// A planned layout waiting for Enter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutPreview {
    pub vpc: Id,
    /// The IPv4 subnets (none for an IPv6-only layout).
    pub rows: Vec<LayoutRow>,
    /// The IPv6 /64s, row for row with `rows` in a dual-stack layout (none for IPv4-only).
    pub rows6: Vec<Ipv6LayoutRow>,
    pub family: LayoutFamily,
    /// The IPv6 block the layout adds, or the placeholder its /64s come from.
    pub ipv6_block: Option<Ipv6BlockPlan>,
    /// The tiers whose subnets route to the internet gateway.
    pub public_tiers: Vec<String>,
    /// The table of the public tiers' subnets (none when no tier is public).
    pub public_table: Option<TablePlan>,
    /// The table of the other tiers' subnets (none when every tier is public).
    pub private_table: Option<TablePlan>,
}

/// The route table a group of a layout's subnets is associated with.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TablePlan {
    /// A table the VPC has.
    Existing { id: Id, name: String },
    /// A table the layout creates; `internet`: the gateway of its default route, for a public
    /// table.
    New { name: String, internet: Option<GatewayPlan> },
}

/// The internet gateway a new public table routes to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GatewayPlan {
    /// The one attached to the VPC.
    Existing { id: Id, name: String },
    /// One the layout creates and attaches to the VPC.
    New { name: String },
}

impl TablePlan {
    pub fn name(&self) -> &str {
        match self {
            TablePlan::Existing { name, .. } | TablePlan::New { name, .. } => name,
        }
    }

    fn reference(&self) -> Ref {
        match self {
            TablePlan::Existing { id, .. } => Ref::id(id.clone()),
            TablePlan::New { name, .. } => Ref::name(name.clone()),
        }
    }
}

impl LayoutPreview {
    /// Plan the tables of `rows` in `vpc`: the VPC's public table (one routing to its internet
    /// gateway, R9; a non-main one first) or a new one (with a new internet gateway when the
    /// VPC has none attached); a private table of the VPC (a non-main one first, else the main
    /// table when it is private) or a new one.
    pub fn new(
        d: &Design,
        vpc: &Vpc,
        (rows, rows6): (Vec<LayoutRow>, Vec<Ipv6LayoutRow>),
        ipv6_block: Option<Ipv6BlockPlan>,
        public_tiers: Vec<String>,
    ) -> LayoutPreview {
        let family = match (rows.is_empty(), rows6.is_empty()) {
            (false, false) => LayoutFamily::Dual,
            (true, false) => LayoutFamily::Ipv6,
            _ => LayoutFamily::Ipv4,
        };
        let tables: Vec<&RouteTable> = d.route_tables.iter().filter(|t| t.vpc == vpc.id).collect();
        let pick = |kind: SubnetKind| {
            let mut of_kind = tables.iter().filter(|t| t.subnet_kind() == kind);
            let first = of_kind.clone().find(|t| !t.main).or_else(|| of_kind.next());
            first.map(|t| TablePlan::Existing { id: t.id.clone(), name: t.name.clone() })
        };
        let tiers: Vec<&String> = rows.iter().map(|r| &r.tier).chain(rows6.iter().map(|r| &r.tier)).collect();
        let any_public = tiers.iter().any(|t| public_tiers.contains(t));
        let any_private = tiers.iter().any(|t| !public_tiers.contains(t));
        let mut taken: Vec<String> = Vec::new();
        let mut fresh = |base: String| {
            let name = unused_name(d, &taken, &base);
            taken.push(name.clone());
            name
        };
        let public_table = any_public.then(|| {
            pick(SubnetKind::Public).unwrap_or_else(|| {
                let igw = d.internet_gateways.iter().find(|g| g.vpc.as_deref() == Some(vpc.id.as_str()));
                let internet = Some(match igw {
                    Some(g) => GatewayPlan::Existing { id: g.id.clone(), name: g.name.clone() },
                    None => GatewayPlan::New { name: fresh(format!("{}-igw", vpc.name)) },
                });
                TablePlan::New { name: fresh(format!("{}-public", vpc.name)), internet }
            })
        });
        let private_table = any_private.then(|| {
            pick(SubnetKind::Private)
                .unwrap_or_else(|| TablePlan::New { name: fresh(format!("{}-private", vpc.name)), internet: None })
        });
        LayoutPreview {
            vpc: vpc.id.clone(),
            rows,
            rows6,
            family,
            ipv6_block,
            public_tiers,
            public_table,
            private_table,
        }
    }

    /// How many subnets the layout creates.
    pub fn len(&self) -> usize {
        self.rows.len().max(self.rows6.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The subnets, in order: tier, zone, IPv4 block (none when IPv6-only), IPv6 /64 (none
    /// when IPv4-only).
    pub fn subnets(&self) -> Vec<(&str, &str, Option<&LayoutRow>, Option<&Ipv6LayoutRow>)> {
        (0..self.len())
            .map(|i| {
                let (v4, v6) = (self.rows.get(i), self.rows6.get(i));
                let (tier, az) = match (v4, v6) {
                    (Some(r), _) => (r.tier.as_str(), r.az.as_str()),
                    (None, Some(r)) => (r.tier.as_str(), r.az.as_str()),
                    (None, None) => ("", ""),
                };
                (tier, az, v4, v6)
            })
            .collect()
    }

    /// Whether a tier's subnets go with the public table.
    pub fn is_public(&self, tier: &str) -> bool {
        self.public_tiers.iter().any(|t| t == tier)
    }

    /// The table a tier's subnets are associated with.
    pub fn table_of(&self, tier: &str) -> Option<&TablePlan> {
        if self.is_public(tier) {
            self.public_table.as_ref()
        } else {
            self.private_table.as_ref()
        }
    }

    /// A new public table's default routes, in words: `0.0.0.0/0`, `::/0` or both.
    fn defaults(&self) -> String {
        match self.family {
            LayoutFamily::Ipv4 => "0.0.0.0/0".into(),
            LayoutFamily::Dual => "0.0.0.0/0, ::/0".into(),
            LayoutFamily::Ipv6 => "::/0".into(),
        }
    }

    /// What the layout creates besides its subnets, in words (for the preview, which is the
    /// question Enter answers).
    pub fn creates(&self, lang: crate::l10n::Lang) -> Vec<String> {
        self.creates_said().iter().map(|t| t.render(lang)).collect()
    }

    /// What the layout creates besides its subnets, each a sentence every language says (the
    /// form's preview nests them in its own sentence).
    pub fn creates_said(&self) -> Vec<crate::l10n::Text> {
        let mut out = Vec::new();
        if let Some(Ipv6BlockPlan::Adds(c)) = self.ipv6_block {
            out.push(crate::text!(
                "IPv6 block {c} (Amazon-provided /56; a documentation-range stand-in until AWS assigns it, A7)"
            ));
        }
        let any = self.defaults();
        for t in [&self.public_table, &self.private_table].into_iter().flatten() {
            if let TablePlan::New { name, internet } = t {
                match internet {
                    Some(GatewayPlan::New { name: igw }) => {
                        out.push(crate::text!("internet gateway {igw} (attached)"));
                        out.push(crate::text!("route table {name} ({any} → {igw})"));
                    }
                    Some(GatewayPlan::Existing { name: igw, .. }) => {
                        out.push(crate::text!("route table {name} ({any} → {igw})"))
                    }
                    None => out.push(crate::text!("route table {name} (local only)")),
                }
            }
        }
        out
    }

    /// The ops the layout stands for: the IPv6 block it adds, the gateway and tables it
    /// creates, then one subnet per row, named `tier-az`, associated with its table (an
    /// IPv4-only or dual-stack subnet) or IPv6-only. Apply them with [`LayoutPreview::then`]
    /// as the second stage.
    pub fn ops(&self) -> Vec<Op> {
        let mut ops = Vec::new();
        if let Some(Ipv6BlockPlan::Adds(_)) = self.ipv6_block {
            // The same stand-in the preview showed: the design's next free documentation /56.
            ops.push(Op::AddVpcIpv6Block {
                vpc: Ref::id(self.vpc.clone()),
                cidr: None,
                pool: crate::model::Ipv6Pool::Amazon,
            });
        }
        for t in [&self.public_table, &self.private_table].into_iter().flatten() {
            let TablePlan::New { name, internet } = t else { continue };
            let target = match internet {
                Some(GatewayPlan::New { name: igw }) => {
                    ops.push(Op::AddInternetGateway { name: igw.clone(), vpc: Some(Ref::id(self.vpc.clone())) });
                    Some(Ref::name(igw.clone()))
                }
                Some(GatewayPlan::Existing { id, .. }) => Some(Ref::id(id.clone())),
                None => None,
            };
            ops.push(Op::AddRouteTable {
                vpc: Ref::id(self.vpc.clone()),
                name: name.clone(),
                subnets: vec![],
                main: false,
                gateways: vec![],
                propagating_vgws: vec![],
            });
            if let Some(target) = target {
                let mut defaults = Vec::new();
                if self.family.has_ipv4() {
                    defaults.push(ipnet::IpNet::V4(ANYWHERE));
                }
                if self.family.has_ipv6() {
                    defaults.push(ipnet::IpNet::V6(ANYWHERE6));
                }
                for d in defaults {
                    ops.push(Op::AddRoute {
                        table: Ref::name(name.clone()),
                        destination: RouteDestination::Cidr(d),
                        target: target.clone(),
                    });
                }
            }
        }
        for (tier, az, v4, v6) in self.subnets() {
            let name = format!("{tier}-{}", az_short(az));
            match v4 {
                Some(r) => ops.push(Op::AddSubnet {
                    vpc: Ref::id(self.vpc.clone()),
                    name,
                    cidr: r.cidr,
                    az: az.to_string(),
                    public_ip_on_launch: false,
                    route_table: self.table_of(tier).map(TablePlan::reference),
                    network_acl: None,
                }),
                None => ops.push(Op::AddIpv6OnlySubnet {
                    vpc: Ref::id(self.vpc.clone()),
                    name,
                    az: az.to_string(),
                    cidr: v6.map(|r| r.cidr),
                    dns64: false,
                }),
            }
        }
        ops
    }

    /// The second stage, from what [`LayoutPreview::ops`] did (its subnets are the last ops):
    /// each dual-stack subnet's /64 with auto-assign on (A7); each IPv6-only subnet's table.
    pub fn then(&self, done: &[Applied]) -> Vec<Op> {
        let n = self.len();
        let created: Vec<&str> =
            done[done.len().saturating_sub(n)..].iter().filter_map(|a| a.created.as_deref()).collect();
        let mut ops = Vec::new();
        for ((tier, _, v4, v6), id) in self.subnets().into_iter().zip(created) {
            match (v4, v6) {
                (Some(_), Some(r)) => {
                    ops.push(Op::SetSubnetIpv6 { subnet: Ref::id(id), cidr: Some(r.cidr), assign_on_creation: true })
                }
                (None, Some(_)) => {
                    if let Some(t) = self.table_of(tier) {
                        ops.push(Op::UpdateSubnet {
                            subnet: Ref::id(id),
                            name: None,
                            cidr: None,
                            public_ip_on_launch: None,
                            route_table: Some(Some(t.reference())),
                        });
                    }
                }
                _ => {}
            }
        }
        ops
    }
}

/// `base`, or `base-2`, `base-3` … : a name no resource of the design has (ops name what they
/// create by name, so it must be unambiguous) and not in `taken`.
fn unused_name(d: &Design, taken: &[String], base: &str) -> String {
    let used = |n: &str| taken.iter().any(|t| t == n) || d.resources().any(|r| r.name() == n);
    (1..).map(|k| if k == 1 { base.to_string() } else { format!("{base}-{k}") }).find(|n| !used(n)).unwrap_or_default()
}
