//! "VPC and more", as the AWS console calls it: one form for a VPC with its subnets in each AZ
//! (sized and placed by the address planner), its internet gateway, route tables with their
//! routes and associations, NAT gateways with their Elastic IPs and an S3 gateway endpoint. It
//! previews every resource and makes them all as one batch of ops: one undo step.

use super::forms::{choices, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use super::tree::NodeRef;
use crate::l10n::Text;
use crate::model::ops::{Applied, NatEip, Op, Ref};
use crate::model::{Design, NatConnectivity, NatState, ResourceKind as RK, RouteDestination};
use ipnet::Ipv4Net;

/// The add menu's label.
pub const LABEL: &str = "VPC and more…";

pub struct VpcMoreForm;
pub static FORM: VpcMoreForm = VpcMoreForm;

/// How many AZs the form offers at most.
const MAX_AZS: usize = 6;

fn counts(lo: usize, hi: usize) -> Vec<Choice> {
    (lo..=hi).map(|n| Choice::new(n.to_string(), n.to_string())).collect()
}

fn nat_choices() -> Vec<Choice> {
    vec![Choice::new("none", "none"), Choice::new("one", "one, in the first AZ"), Choice::new("per-az", "one per AZ")]
}

/// The zones of a region the form can use.
fn zones(d: &Design, region: &str) -> Vec<String> {
    d.azs(region).into_iter().take(MAX_AZS).collect()
}

/// "2a" for "ap-northeast-2a": how the seed names its subnets (my-pub-2a).
fn az_suffix(az: &str) -> &str {
    az.rsplit('-').next().unwrap_or(az)
}

/// The subnet size the planner picks: /n+4 of the VPC's /n when the subnets fit (the console's
/// default), else the largest size that holds them all.
fn auto_size(cidr: Ipv4Net, subnets: usize) -> Option<u8> {
    let n = subnets.max(1).next_power_of_two().trailing_zeros() as u8;
    let fit = cidr.prefix_len().checked_add(n)?;
    let size = (cidr.prefix_len() + 4).max(fit);
    (size <= 28).then_some(size)
}

/// What the form stands for: every resource, by name, in the order they are made.
#[derive(Debug, Default)]
struct Plan {
    ops: Vec<Op>,
    preview: Vec<Text>,
}

impl FormSpec for VpcMoreForm {
    fn kind(&self) -> FormKind {
        FormKind::Pane("VPC and more")
    }

    fn title(&self, _d: &Design, _target: &FormTarget, lang: crate::l10n::Lang) -> String {
        crate::l10n::ui(lang, "New VPC and more")
    }

    fn fields(&self, d: &Design, _target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let region = if ctx.region.is_empty() { d.default_region.clone() } else { ctx.region.clone() };
        let name = if d.vpcs.iter().any(|v| v.name == "my-vpc") { "" } else { "my" };
        let cidr = crate::model::ops::suggest_vpc_cidr(d).unwrap_or_else(|| "10.0.0.0/16".parse().expect("a CIDR"));
        let n = zones(d, &region).len().max(1);
        Ok(vec![
            Field::text("name", "Name prefix", name, "names start with it: my-vpc, my-pub-2a, my-igw…"),
            Field::text("cidr", "IPv4 CIDR", cidr.to_string(), "/16 to /28 (A1)"),
            Field::choice("azs", "Availability zones", counts(1, n), &n.min(2).to_string())
                .with_hint("type a number or ←/→"),
            Field::choice("public", "Public subnets per AZ", counts(0, 2), "1")
                .with_hint("routed to the internet gateway (R9)"),
            Field::choice("private", "Private subnets per AZ", counts(0, 2), "1"),
            Field::choice("size", "Subnet size", Vec::new(), "").with_hint("the planner's pick: /n+4 when it fits"),
            Field::choice("nat", "NAT gateways", nat_choices(), "none")
                .with_hint("each with a new Elastic IP, in a public subnet (N1)"),
            Field::yes_no("s3", "S3 gateway endpoint", false).with_hint("on the private route tables (G2)"),
            Field::yes_no("dns_hostnames", "DNS hostnames", true),
            Field::yes_no("dns_support", "DNS resolution", true),
            Field::yes_no("ipv6", "IPv6 (dual-stack)", false)
                .with_hint("an Amazon /56, a /64 per subnet, ::/0 to the IGW or an egress-only IGW (A7, I5)"),
            Field::choice("region", "Region", choices::regions(d, &region), &region),
        ])
        .map(|mut fields| {
            refresh_sizes(&mut fields, d, None);
            fields
        })
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        if key == "region" {
            let region = form.get("region").to_string();
            let n = zones(d, &region).len().max(1);
            let cur = form.get("azs").to_string();
            if let Some(f) = form.field_mut("azs") {
                *f = Field::choice("azs", "Availability zones", counts(1, n), &cur).with_hint("type a number or ←/→");
                f.touched = true;
            }
        }
        if matches!(key, "cidr" | "azs" | "public" | "private" | "region") {
            let keep =
                form.fields.iter().find(|f| f.key == "size").filter(|f| f.touched).map(|f| f.value().to_string());
            refresh_sizes(&mut form.fields, d, keep);
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let (plan, errors) = plan(form, d);
        Draft { ops: plan.ops, errors }
    }

    fn preview(&self, form: &Form, d: &Design) -> Vec<Text> {
        plan(form, d).0.preview
    }

    fn notes(&self, form: &Form) -> Vec<(&'static str, String)> {
        parse::cidr_note(form.get("cidr")).map(|n| ("cidr", n)).into_iter().collect()
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "cidr" => "cidr",
            "region" => "region",
            "subnet" | "az" => "azs",
            _ => "name",
        }
    }

    fn select_after(&self, _form: &Form, applied: &[Applied], _d: &Design) -> Option<NodeRef> {
        let id = applied.first()?.created.clone()?;
        Some(NodeRef::Resource { kind: RK::Vpc, id })
    }
}

/// The subnet sizes that hold every subnet, the planner's pick first selected (or `keep`).
fn refresh_sizes(fields: &mut [Field], _d: &Design, keep: Option<String>) {
    let get = |k: &str| fields.iter().find(|f| f.key == k).map(|f| f.value().trim().to_string()).unwrap_or_default();
    let per_az = get("public").parse::<usize>().unwrap_or(0) + get("private").parse::<usize>().unwrap_or(0);
    let total = per_az * get("azs").parse::<usize>().unwrap_or(1);
    let (options, pick) = match parse::cidr(&get("cidr")) {
        Ok(c) => {
            let auto = auto_size(c, total);
            let lo = c.prefix_len() + total.max(1).next_power_of_two().trailing_zeros() as u8;
            let opts: Vec<Choice> = (lo.max(16)..=28).map(|p| Choice::new(format!("/{p}"), format!("/{p}"))).collect();
            (opts, auto.map(|p| format!("/{p}")).unwrap_or_default())
        }
        Err(_) => (Vec::new(), String::new()),
    };
    let value = keep.filter(|k| options.iter().any(|o| o.value == *k)).unwrap_or(pick);
    if let Some(f) = fields.iter_mut().find(|f| f.key == "size") {
        let touched = f.touched;
        *f = Field::choice("size", "Subnet size", options, &value).with_hint("the planner's pick: /n+4 when it fits");
        f.touched = touched;
    }
}

/// The ops and the preview of the form's values, and what does not parse.
fn plan(form: &Form, d: &Design) -> (Plan, Vec<(&'static str, crate::l10n::Text)>) {
    let mut errors: Vec<(&'static str, crate::l10n::Text)> = Vec::new();
    let mut p = Plan::default();
    let prefix = form.get("name").to_string();
    if prefix.is_empty() {
        errors.push(("name", "required: the names start with it (my → my-vpc, my-pub-2a…)".into()));
    }
    let cidr = match parse::cidr(form.get("cidr")) {
        Ok(c) => c,
        Err(e) => {
            errors.push(("cidr", e));
            return (p, errors);
        }
    };
    let region = form.get("region").to_string();
    let n_az: usize = form.get("azs").parse().unwrap_or(1);
    let azs: Vec<String> = zones(d, &region).into_iter().take(n_az).collect();
    if azs.is_empty() {
        errors.push(("azs", crate::text!("no availability zones known in {region}")));
        return (p, errors);
    }
    let n_pub: usize = form.get("public").parse().unwrap_or(0);
    let n_pvt: usize = form.get("private").parse().unwrap_or(0);
    let nat = form.get("nat").to_string();
    let s3 = form.flag("s3");
    if nat != "none" && n_pub == 0 {
        errors.push(("nat", "a NAT gateway sits in a public subnet: ask for one per AZ (N1)".into()));
    }
    if nat != "none" && n_pvt == 0 {
        errors.push(("nat", "a NAT gateway serves private subnets: ask for one per AZ".into()));
    }
    let tier_name = |kind: &str, n: usize, i: usize| if n == 1 { kind.to_string() } else { format!("{kind}{}", i + 1) };
    let mut tiers: Vec<(String, bool)> = Vec::new();
    tiers.extend((0..n_pub).map(|i| (tier_name("pub", n_pub, i), true)));
    tiers.extend((0..n_pvt).map(|i| (tier_name("pvt", n_pvt, i), false)));
    let size: Option<u8> = form.get("size").trim_start_matches('/').parse().ok();
    let rows = match (tiers.is_empty(), size) {
        (true, _) => Vec::new(),
        (false, None) => {
            errors.push(("size", crate::text!("{} subnets do not fit in {cidr} (A5)", tiers.len() * azs.len())));
            Vec::new()
        }
        (false, Some(size)) => {
            let names: Vec<&str> = tiers.iter().map(|(t, _)| t.as_str()).collect();
            match crate::net::layout(cidr, &names, &azs, size) {
                Ok(rows) => rows,
                Err(e) => {
                    errors.push(("size", format!("{e} (A5)").into()));
                    Vec::new()
                }
            }
        }
    };

    let name = |what: &str| format!("{prefix}-{what}");
    let vpc = Ref::name(name("vpc"));
    let (hostnames, support) = (form.flag("dns_hostnames"), form.flag("dns_support"));
    p.ops.push(Op::AddVpc {
        name: name("vpc"),
        cidr,
        region: Some(region.clone()),
        dns_hostnames: hostnames,
        dns_support: support,
        secondary_cidrs: Vec::new(),
    });
    let onoff = |b: bool| if b { "on" } else { "off" };
    let (vpc_name, support_ui, hostnames_ui) = (name("vpc"), onoff(support), onoff(hostnames));
    p.preview.push(crate::text!("VPC {vpc_name} {cidr} in {region} (DNS resolution {support_ui}, hostnames {hostnames_ui}) with its main route table, default SG and NACL"));
    let subnet_name = |tier: &str, az: &str| name(&format!("{tier}-{}", az_suffix(az)));
    let public_subnets: Vec<String> = rows
        .iter()
        .filter(|r| tiers.iter().any(|(t, p)| *p && *t == r.tier))
        .map(|r| subnet_name(&r.tier, &r.az))
        .collect();
    // The public table and its gateway.
    let pub_rt = name("pub-rt");
    if n_pub > 0 {
        p.ops.push(Op::AddInternetGateway { name: name("igw"), vpc: Some(vpc.clone()) });
        let (igw, vpc_name) = (name("igw"), name("vpc"));
        p.preview.push(crate::text!("internet gateway {igw}, attached to {vpc_name}"));
        p.ops.push(table(&vpc, &pub_rt));
        p.ops.push(route(&pub_rt, &name("igw")));
        let (igw, subnets) = (name("igw"), public_subnets.join(", "));
        p.preview.push(crate::text!("route table {pub_rt}: 0.0.0.0/0 → {igw} · {subnets}"));
    }
    // The private tables: one per AZ with a NAT gateway in each, else one.
    let pvt_rt = |az: &str| if nat == "per-az" { name(&format!("pvt-rt-{}", az_suffix(az))) } else { name("pvt-rt") };
    let mut pvt_tables: Vec<String> = Vec::new();
    if n_pvt > 0 {
        for az in &azs {
            let t = pvt_rt(az);
            if !pvt_tables.contains(&t) {
                p.ops.push(table(&vpc, &t));
                pvt_tables.push(t);
            }
        }
    }
    for r in &rows {
        let public = tiers.iter().any(|(t, p)| *p && *t == r.tier);
        let table = if public { pub_rt.clone() } else { pvt_rt(&r.az) };
        p.ops.push(Op::AddSubnet {
            vpc: vpc.clone(),
            name: subnet_name(&r.tier, &r.az),
            cidr: r.cidr,
            az: r.az.clone(),
            public_ip_on_launch: public,
            route_table: Some(Ref::name(table.clone())),
            network_acl: None,
        });
        let (subnet, cidr, az) = (subnet_name(&r.tier, &r.az), r.cidr, &r.az);
        let kind_ui = if public { "public" } else { "private" };
        p.preview.push(crate::text!("subnet {subnet} {cidr} {az} · {kind_ui} · {table}"));
    }
    // NAT gateways, each with a new Elastic IP, in the AZ's first public subnet.
    if nat != "none" && n_pub > 0 && n_pvt > 0 {
        let nat_azs: Vec<&String> = if nat == "per-az" { azs.iter().collect() } else { azs.iter().take(1).collect() };
        for az in nat_azs {
            let nat_name = name(&format!("nat-{}", az_suffix(az)));
            let home = subnet_name(&tiers[0].0, az);
            p.ops.push(Op::AddNatGateway {
                name: nat_name.clone(),
                subnet: Ref::name(home.clone()),
                private_ip: None,
                public_ip: None,
                eip: NatEip::New,
                connectivity: NatConnectivity::Public,
                state: NatState::Available,
            });
            p.preview.push(crate::text!("NAT gateway {nat_name} in {home} with a new Elastic IP"));
        }
        for t in &pvt_tables {
            let target = if nat == "per-az" {
                let suffix = t.rsplit('-').next().unwrap_or_default();
                name(&format!("nat-{suffix}"))
            } else {
                name(&format!("nat-{}", az_suffix(&azs[0])))
            };
            p.ops.push(route(t, &target));
        }
    }
    for t in &pvt_tables {
        let subnets: Vec<String> = rows
            .iter()
            .filter(|r| !tiers.iter().any(|(x, p)| *p && *x == r.tier) && pvt_rt(&r.az) == *t)
            .map(|r| subnet_name(&r.tier, &r.az))
            .collect();
        let via_ui = if nat == "none" {
            "local only".to_string()
        } else {
            p.ops
                .iter()
                .find_map(|o| match o {
                    Op::AddRoute { table: Ref::Name(x), target: Ref::Name(n), .. } if x == t => {
                        Some(format!("0.0.0.0/0 → {n}"))
                    }
                    _ => None,
                })
                .unwrap_or_default()
        };
        let subnets = subnets.join(", ");
        p.preview.push(crate::text!("route table {t}: {via_ui} · {subnets}"));
    }
    if s3 {
        let tables: Vec<Ref> = if pvt_tables.is_empty() {
            (n_pub > 0).then(|| Ref::name(pub_rt.clone())).into_iter().collect()
        } else {
            pvt_tables.iter().map(|t| Ref::name(t.clone())).collect()
        };
        let on: Vec<String> = tables.iter().map(|t| t.to_string()).collect();
        p.ops.push(Op::AddGatewayEndpoint {
            vpc: vpc.clone(),
            service: "s3".into(),
            route_tables: tables,
            name: Some(name("s3")),
            state: None,
        });
        let (s3, tables) = (name("s3"), on.join(", "));
        p.preview.push(crate::text!("S3 gateway endpoint {s3} on {tables}"));
    }
    if form.flag("ipv6") {
        dual_stack(
            &mut p,
            &vpc,
            &name,
            &rows.iter().map(|r| subnet_name(&r.tier, &r.az)).collect::<Vec<_>>(),
            n_pub > 0,
            &pvt_tables,
        );
    }
    (p, errors)
}

/// Dual-stack, as the console's "IPv6 CIDR block: Amazon-provided" and Terraform's one flag
/// make it: an Amazon-provided /56 (A7), the next free /64 for each subnet with auto-assign on,
/// `::/0` to the internet gateway in the public table and, for the private tables, to an
/// egress-only internet gateway (IPv6 out, nothing unsolicited in, I5).
fn dual_stack(
    p: &mut Plan,
    vpc: &Ref,
    name: &dyn Fn(&str) -> String,
    subnets: &[String],
    public: bool,
    private: &[String],
) {
    p.ops.push(Op::AddVpcIpv6Block { vpc: vpc.clone(), cidr: None, pool: crate::model::Ipv6Pool::Amazon });
    let vpc_name = name("vpc");
    p.preview.push(crate::text!(
        "IPv6: an Amazon-provided /56 for {vpc_name}, the next free /64 for each subnet (auto-assign on)"
    ));
    for s in subnets {
        p.ops.push(Op::SetSubnetIpv6 { subnet: Ref::name(s.clone()), cidr: None, assign_on_creation: true });
    }
    let any = || RouteDestination::Cidr("::/0".parse().expect("a CIDR"));
    if public {
        p.ops.push(Op::AddRoute {
            table: Ref::name(name("pub-rt")),
            destination: any(),
            target: Ref::name(name("igw")),
        });
        let (rt, igw) = (name("pub-rt"), name("igw"));
        p.preview.push(crate::text!("route table {rt}: ::/0 → {igw}"));
    }
    if !private.is_empty() {
        p.ops.push(Op::AddEgressOnlyInternetGateway { name: name("eigw"), vpc: vpc.clone() });
        for t in private {
            p.ops.push(Op::AddRoute {
                table: Ref::name(t.clone()),
                destination: any(),
                target: Ref::name(name("eigw")),
            });
        }
        let (eigw, tables) = (name("eigw"), private.join(", "));
        p.preview.push(crate::text!("egress-only internet gateway {eigw}: ::/0 from {tables}"));
    }
}

fn table(vpc: &Ref, name: &str) -> Op {
    Op::AddRouteTable {
        vpc: vpc.clone(),
        name: name.to_string(),
        subnets: Vec::new(),
        main: false,
        gateways: Vec::new(),
        propagating_vgws: Vec::new(),
    }
}

fn route(table: &str, target: &str) -> Op {
    Op::AddRoute {
        table: Ref::name(table),
        destination: RouteDestination::Cidr("0.0.0.0/0".parse().expect("a CIDR")),
        target: Ref::name(target),
    }
}
