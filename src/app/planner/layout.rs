//! A tier × AZ layout and the route tables its subnets are associated with: public tiers with
//! a table that routes to the VPC's internet gateway, the others with a private table (R9), so
//! a `public-2a` subnet is public. What the layout must create (a table, an internet gateway)
//! is shown in the preview, and Enter there applies everything as one undo step.

use super::az_short;
use crate::model::ops::{Op, Ref};
use crate::model::{Design, Id, RouteDestination, RouteTable, SubnetKind, Vpc};
use crate::net::LayoutRow;

/// 0.0.0.0/0: a public table's default route.
const ANYWHERE: ipnet::Ipv4Net = match ipnet::Ipv4Net::new(std::net::Ipv4Addr::UNSPECIFIED, 0) {
    Ok(n) => n,
    Err(_) => panic!("0.0.0.0/0"),
};

/// A planned layout waiting for Enter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LayoutPreview {
    pub vpc: Id,
    pub rows: Vec<LayoutRow>,
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
    pub fn new(d: &Design, vpc: &Vpc, rows: Vec<LayoutRow>, public_tiers: Vec<String>) -> LayoutPreview {
        let tables: Vec<&RouteTable> = d.route_tables.iter().filter(|t| t.vpc == vpc.id).collect();
        let pick = |kind: SubnetKind| {
            let mut of_kind = tables.iter().filter(|t| t.subnet_kind() == kind);
            let first = of_kind.clone().find(|t| !t.main).or_else(|| of_kind.next());
            first.map(|t| TablePlan::Existing { id: t.id.clone(), name: t.name.clone() })
        };
        let any_public = rows.iter().any(|r| public_tiers.contains(&r.tier));
        let any_private = rows.iter().any(|r| !public_tiers.contains(&r.tier));
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
        LayoutPreview { vpc: vpc.id.clone(), rows, public_tiers, public_table, private_table }
    }

    /// Whether a row's subnet goes with the public table.
    pub fn is_public(&self, row: &LayoutRow) -> bool {
        self.public_tiers.contains(&row.tier)
    }

    /// The table a row's subnet is associated with.
    pub fn table_of(&self, row: &LayoutRow) -> Option<&TablePlan> {
        if self.is_public(row) {
            self.public_table.as_ref()
        } else {
            self.private_table.as_ref()
        }
    }

    /// What the layout creates besides its subnets, in words (for the preview, which is the
    /// question Enter answers).
    pub fn creates(&self) -> Vec<String> {
        let mut out = Vec::new();
        for t in [&self.public_table, &self.private_table].into_iter().flatten() {
            if let TablePlan::New { name, internet } = t {
                match internet {
                    Some(GatewayPlan::New { name: igw }) => {
                        out.push(format!("internet gateway {igw} (attached)"));
                        out.push(format!("route table {name} (0.0.0.0/0 → {igw})"));
                    }
                    Some(GatewayPlan::Existing { name: igw, .. }) => {
                        out.push(format!("route table {name} (0.0.0.0/0 → {igw})"))
                    }
                    None => out.push(format!("route table {name} (local only)")),
                }
            }
        }
        out
    }

    /// The ops the layout stands for: the gateway and tables it creates, then one subnet per
    /// row, named `tier-az` and associated with its table.
    pub fn ops(&self) -> Vec<Op> {
        let mut ops = Vec::new();
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
                ops.push(Op::AddRoute {
                    table: Ref::name(name.clone()),
                    destination: RouteDestination::Cidr(ipnet::IpNet::V4(ANYWHERE)),
                    target,
                });
            }
        }
        for r in &self.rows {
            ops.push(Op::AddSubnet {
                vpc: Ref::id(self.vpc.clone()),
                name: format!("{}-{}", r.tier, az_short(&r.az)),
                cidr: r.cidr,
                az: r.az.clone(),
                public_ip_on_launch: false,
                route_table: self.table_of(r).map(TablePlan::reference),
                network_acl: None,
            });
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
