//! Importing a CloudFormation template: the resources [`crate::io::cfn`] evaluates become a
//! design.
//!
//! Logical ids become names (so `--from jhPrivateEC2` works) and ids are `<prefix>-<LogicalId>`.
//! Every VPC gets what AWS creates with it (main route table, default NACL, default security
//! group). Addresses AWS assigns at launch (private IPs, auto-assigned public IPs, EIPs, endpoint
//! interfaces, load balancer nodes, NAT gateway IPs) get deterministic placeholders marked
//! `placeholder: true`: private IPs from base + 10 upward in each subnet, in template order;
//! public IPs from the documentation ranges. Ids of things the template does not create (a
//! `vpc-…` parameter, an `Fn::ImportValue`) become external stubs, listed in the report. Resource
//! types vpcraft does not model are reported and skipped.

mod compute;
mod connect;
mod external;
mod firewall;
mod ipv6;
mod network;
mod security;
mod services;
pub(crate) mod values;

use crate::io::cfn::{self, EvalOptions, Template};
use crate::io::fixup::{make_consistent, VpcHint};
use crate::io::placeholder::Placeholders;
use crate::io::report::ImportReport;
use crate::io::LoadError;
use crate::model::{Design, Id, ResourceKind};
use std::collections::{BTreeMap, HashMap};
use std::path::Path;

/// How to evaluate a template for import.
#[derive(Debug, Clone, Default)]
pub struct CfnImportOptions {
    /// `AWS::Region` and where `Fn::GetAZs` looks (default `us-east-1`).
    pub region: Option<String>,
    /// Parameter values, `(name, value)`.
    pub params: Vec<(String, String)>,
}

impl CfnImportOptions {
    fn eval_options(&self) -> EvalOptions {
        let mut o = EvalOptions::new(self.region.clone().unwrap_or_else(|| crate::io::ASSUMED_REGION.to_string()));
        for (k, v) in &self.params {
            o = o.with_param(k.clone(), v.clone());
        }
        o
    }
}

fn load_error(e: cfn::CfnError, path: &Path) -> LoadError {
    match (e.line, e.column) {
        (0, _) => LoadError::plain(path, e.message),
        (l, c) => LoadError::at(path, l as usize, c.max(1) as usize, e.message),
    }
}

/// Import a template file.
pub fn import_file(path: &Path, opts: &CfnImportOptions) -> Result<(Design, ImportReport), LoadError> {
    let eo = opts.eval_options();
    let text = crate::io::input::read_text(path, eo.limits.max_bytes)?;
    import_text(&text, path, opts)
}

/// Import template text; `path` names it in errors and the report.
pub fn import_text(text: &str, path: &Path, opts: &CfnImportOptions) -> Result<(Design, ImportReport), LoadError> {
    let mut eo = opts.eval_options();
    let mut t = cfn::evaluate(text, &path.display().to_string(), &eo).map_err(|e| load_error(e, path))?;
    let inferred = if opts.region.is_none() { region_of_zones(&t, text, &eo.region) } else { None };
    if let Some(region) = inferred.as_ref().filter(|r| **r != eo.region) {
        // Read again so `AWS::Region` and `Fn::GetAZs` stand for the region the zones are in.
        eo.region = region.clone();
        t = cfn::evaluate(text, &path.display().to_string(), &eo).map_err(|e| load_error(e, path))?;
    }
    let name = if crate::io::input::is_stdin(path) {
        "stdin".to_string()
    } else {
        path.file_stem().map(|s| s.to_string_lossy().to_string()).unwrap_or_else(|| "template".into())
    };
    let (design, mut report) = import_template(&t, &name, &path.display().to_string(), &eo.region);
    if let Some(region) = inferred {
        report.info(
            "",
            "AWS::Region",
            crate::text!("the template does not say its region: {region} read from its availability zones"),
        );
    } else if opts.region.is_none() {
        // A template carries no region of its own; say which one `AWS::Region` and
        // `Fn::GetAZs` stood for, as the Terraform reader does.
        report.warn(
            "",
            "AWS::Region",
            crate::text!("a template does not say its region: {} assumed (give --region)", eo.region),
        );
    }
    crate::io::native::validate(&design, "", path)?;
    Ok((design, report))
}

/// The region every literal subnet availability zone of a template is in, when they all agree
/// (a template never says its region; a stack gets it when deployed, and our own export writes
/// zone names). `None` when there are none, they disagree, or they may only echo the region
/// assumed for the first reading (`Fn::GetAZs`, `AWS::Region`).
fn region_of_zones(t: &Template, text: &str, assumed: &str) -> Option<String> {
    let mut regions = t
        .resources
        .iter()
        .filter(|r| r.resource_type == "AWS::EC2::Subnet" && !r.condition_skipped)
        .filter_map(|r| r.properties.get("AvailabilityZone").and_then(|z| z.as_str()))
        .map(crate::io::snapshot::region_of_az);
    let first = regions.next()?;
    if !crate::model::is_region_name(&first) || regions.any(|r| r != first) {
        return None;
    }
    let echoes_assumed = first == assumed && (text.contains("GetAZs") || text.contains("AWS::Region"));
    (!echoes_assumed).then_some(first)
}

/// Turn an evaluated template into a design. Never fails: what cannot be used is reported.
pub fn import_template(t: &Template, name: &str, source: &str, region: &str) -> (Design, ImportReport) {
    let mut d = Design::new(name, region);
    d.description = t.description.clone().unwrap_or_default();
    let mut cx = Cx::new(t, d, ImportReport::new(source), region);
    cx.carry_evaluator_report();
    cx.assign_ids();
    external::prescan(&mut cx);
    network::vpcs_and_subnets(&mut cx);
    network::gateways(&mut cx);
    security::import(&mut cx);
    network::route_tables(&mut cx);
    compute::import(&mut cx);
    connect::import(&mut cx);
    services::import(&mut cx);
    firewall::import(&mut cx);
    network::routes(&mut cx);
    cx.finish()
}

/// A VPC's default security group and default network ACL, when it has them.
type Defaults = (Option<Id>, Option<Id>);

/// The state of one template import.
pub(crate) struct Cx<'a> {
    pub t: &'a Template,
    pub d: Design,
    pub report: ImportReport,
    pub region: String,
    /// Logical id → (kind, design id) of every resource that becomes a design resource.
    pub ids: HashMap<String, (ResourceKind, Id)>,
    pub ph: Placeholders,
    pub hints: HashMap<Id, VpcHint>,
    /// External VPC ids the template mentions (literal or imported), in order.
    pub ext_vpcs: Vec<Id>,
    /// External subnet id → an address the template puts in it.
    pub ext_subnet_ips: HashMap<Id, std::net::Ipv4Addr>,
    /// Where the next made-up external subnet goes (100.64.<n>.0/24).
    pub next_ext_subnet: u16,
    /// Design lookups by id in constant time (H4: imports stay linear).
    pub ix: crate::io::index::DesignIndex,
    /// The design ids in `ids`, to tell "will be created" from "external"; rebuilt when `ids`
    /// shrinks.
    assigned: (usize, std::collections::HashSet<Id>),
    /// The route table each subnet was associated with so far (R1: one each).
    pub subnet_tables: HashMap<Id, Id>,
    /// The network ACL each subnet was associated with so far (L1: one each).
    pub subnet_acls: HashMap<Id, Id>,
    /// Each VPC's default security group and default ACL, learnt as the lists grow.
    defaults: (usize, usize, HashMap<Id, Defaults>),
}

impl<'a> Cx<'a> {
    fn new(t: &'a Template, d: Design, report: ImportReport, region: &str) -> Cx<'a> {
        Cx {
            t,
            d,
            report,
            region: region.to_string(),
            ids: HashMap::new(),
            ph: Placeholders::default(),
            hints: HashMap::new(),
            ext_vpcs: Vec::new(),
            ext_subnet_ips: HashMap::new(),
            next_ext_subnet: 0,
            ix: Default::default(),
            assigned: Default::default(),
            subnet_tables: HashMap::new(),
            subnet_acls: HashMap::new(),
            defaults: Default::default(),
        }
    }

    /// A VPC's default security group and default network ACL (S5, L1), in constant time.
    pub fn default_of(&mut self, vpc: &str) -> Defaults {
        let (sgs, acls, map) = &mut self.defaults;
        if *sgs > self.d.security_groups.len() || *acls > self.d.network_acls.len() {
            (*sgs, *acls) = (0, 0);
            map.clear();
        }
        for g in self.d.security_groups[*sgs..].iter().filter(|g| g.is_default) {
            map.entry(g.vpc.clone()).or_default().0.get_or_insert_with(|| g.id.clone());
        }
        for a in self.d.network_acls[*acls..].iter().filter(|a| a.is_default) {
            map.entry(a.vpc.clone()).or_default().1.get_or_insert_with(|| a.id.clone());
        }
        (*sgs, *acls) = (self.d.security_groups.len(), self.d.network_acls.len());
        map.get(vpc).cloned().unwrap_or_default()
    }

    /// Whether a design id is one a template resource gets.
    pub fn assigned(&mut self, id: &str) -> bool {
        if self.assigned.0 != self.ids.len() {
            self.assigned = (self.ids.len(), self.ids.values().map(|(_, i)| i.clone()).collect());
        }
        self.assigned.1.contains(id)
    }

    /// Associate a subnet with a route table, as `Design::associate_route_table` does (R1: the
    /// previous association is replaced), in constant time.
    pub fn associate_route_table(&mut self, subnet: &str, rtb: &str) -> Result<(), String> {
        let s_vpc =
            self.ix.subnet(&self.d, subnet).ok_or_else(|| format!("{subnet} is not in the design"))?.vpc.clone();
        let t_vpc = self.ix.route_table(&self.d, rtb).ok_or_else(|| format!("{rtb} is not in the design"))?.vpc.clone();
        if t_vpc != s_vpc {
            return Err(format!("{rtb} belongs to {t_vpc}, but {subnet} is in {s_vpc}"));
        }
        if let Some(old) = self.subnet_tables.insert(subnet.to_string(), rtb.to_string()) {
            if let Some(t) = self.ix.route_table_mut(&mut self.d, &old) {
                t.subnets.retain(|x| x != subnet);
            }
        }
        if let Some(t) = self.ix.route_table_mut(&mut self.d, rtb) {
            t.subnets.push(subnet.to_string());
        }
        Ok(())
    }

    /// Associate a subnet with a network ACL, as `Design::associate_network_acl` does (L1), in
    /// constant time.
    pub fn associate_network_acl(&mut self, subnet: &str, acl: &str) -> Result<(), String> {
        let s_vpc =
            self.ix.subnet(&self.d, subnet).ok_or_else(|| format!("{subnet} is not in the design"))?.vpc.clone();
        let a_vpc = self.ix.network_acl(&self.d, acl).ok_or_else(|| format!("{acl} is not in the design"))?.vpc.clone();
        if a_vpc != s_vpc {
            return Err(format!("{acl} belongs to {a_vpc}, but {subnet} is in {s_vpc}"));
        }
        if let Some(old) = self.subnet_acls.insert(subnet.to_string(), acl.to_string()) {
            if let Some(a) = self.ix.network_acl_mut(&mut self.d, &old) {
                a.subnets.retain(|x| x != subnet);
            }
        }
        if let Some(a) = self.ix.network_acl_mut(&mut self.d, acl) {
            a.subnets.push(subnet.to_string());
        }
        Ok(())
    }

    fn carry_evaluator_report(&mut self) {
        for i in &self.t.report {
            let what = i.subject.clone().unwrap_or_else(|| format!("{:?}", i.kind));
            let (message, line) = (&i.message, i.line);
            let detail = if line > 0 {
                crate::text!("{message} (line {line})").with("message", message.clone())
            } else {
                message.clone()
            };
            match i.severity {
                cfn::Severity::Info => self.report.info("", what, detail),
                cfn::Severity::Warning => self.report.warn("", what, detail),
            }
        }
    }

    /// Ids for every resource that becomes a design resource, before any is created, so
    /// references in any order resolve.
    fn assign_ids(&mut self) {
        for r in &self.t.resources {
            if r.condition_skipped || r.properties.is_null() {
                continue;
            }
            let Some((kind, prefix)) = values::kind_of_type(&r.resource_type, &r.properties) else { continue };
            self.ids.insert(r.logical_id.clone(), (kind, format!("{prefix}-{}", r.logical_id)));
        }
    }

    /// Resources of one CloudFormation type, in template order.
    pub fn of_type(&self, ty: &str) -> Vec<&'a cfn::EvaluatedResource> {
        self.t
            .resources
            .iter()
            .filter(|r| r.resource_type == ty && !r.condition_skipped && r.properties.is_object())
            .collect()
    }

    /// The design id of a logical id.
    pub fn id(&self, logical: &str) -> Id {
        self.ids.get(logical).map(|(_, i)| i.clone()).unwrap_or_else(|| logical.to_string())
    }

    fn finish(mut self) -> (Design, ImportReport) {
        let handled = values::HANDLED;
        let mut other: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for r in &self.t.resources {
            if r.condition_skipped {
                continue;
            }
            if !handled.contains(&r.resource_type.as_str()) && !services::handles(r) {
                other.entry(&r.resource_type).or_default().push(&r.logical_id);
            }
        }
        for (ty, ids) in other {
            self.report.warn("", ty, crate::text!("not a network resource vpcraft models: skipped {}", ids.join(", ")));
        }
        let region = self.region.clone();
        make_consistent(&mut self.d, &mut self.report, &self.hints, &region);
        let vpcs: Vec<Id> = self.d.vpcs.iter().filter(|v| !v.external).map(|v| v.id.clone()).collect();
        self.d.add_companions_of_all(&vpcs);
        let mut azs: Vec<String> = self.d.subnets.iter().map(|s| s.az.clone()).collect();
        azs.sort();
        azs.dedup();
        self.d.regions.push(crate::model::Region { name: region, azs });
        self.report.count(&self.d);
        (self.d, self.report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEMPLATE: &str =
        "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n";

    #[test]
    fn the_report_says_which_region_a_template_was_read_in() {
        let path = Path::new("vpc.yaml");
        let (d, report) = import_text(TEMPLATE, path, &CfnImportOptions::default()).expect("imports");
        assert_eq!(d.default_region, "us-east-1");
        assert!(report.mentions("us-east-1 assumed"), "{report:?}");

        let opts = CfnImportOptions { region: Some("ap-northeast-2".into()), params: Vec::new() };
        let (d, report) = import_text(TEMPLATE, path, &opts).expect("imports");
        assert_eq!(d.default_region, "ap-northeast-2");
        assert!(!report.mentions("region"), "{report:?}");
    }

    #[test]
    fn a_template_without_a_region_is_read_in_the_region_its_zones_are_in() {
        let subnet = |n: u8, az: &str| {
            format!("  S{n}:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: 10.0.{n}.0/24\n      AvailabilityZone: {az}\n")
        };
        let path = Path::new("vpc.yaml");
        let agree = format!("{TEMPLATE}{}{}", subnet(1, "ap-northeast-2a"), subnet(2, "ap-northeast-2c"));
        let (d, report) = import_text(&agree, path, &CfnImportOptions::default()).expect("imports");
        assert_eq!(d.default_region, "ap-northeast-2");
        assert!(report.mentions("ap-northeast-2 read from its availability zones"), "{report:?}");
        assert!(!report.mentions("assumed"), "{report:?}");
        let findings = crate::sim::checks::check_design(&d);
        assert!(
            findings.iter().all(|f| f.code != crate::sim::checks::FindingCode::SubnetAzNotInRegion),
            "{findings:?}"
        );

        let disagree = format!("{TEMPLATE}{}{}", subnet(1, "ap-northeast-2a"), subnet(2, "eu-west-1a"));
        let (d, report) = import_text(&disagree, path, &CfnImportOptions::default()).expect("imports");
        assert_eq!(d.default_region, "us-east-1");
        assert!(report.mentions("us-east-1 assumed"), "{report:?}");

        let get_azs = format!("{TEMPLATE}{}", subnet(1, "!Select [0, !GetAZs '']"));
        let (_, report) = import_text(&get_azs, path, &CfnImportOptions::default()).expect("imports");
        assert!(report.mentions("us-east-1 assumed"), "{report:?}");
    }
}
