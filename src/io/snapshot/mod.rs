//! Importing a snapshot of real AWS resources: a folder (or one file) of raw
//! `aws ec2 describe-*` JSON, as tools like `aws-recon` or a shell loop write them.
//!
//! Files are recognised by their top-level keys (`Vpcs`, `Subnets`, `RouteTables` …), never by
//! name. Accepted layouts: `dir/*.json`, `dir/aws_configs/*.json`,
//! `dir/aws_configs/<region>/*.json` and `dir/aws_configs/accounts/<account>/<region>/*.json`.
//! States are kept (a deleted peering passes nothing, a stopped instance answers nothing, a
//! blackhole route drops). What is not understood goes into the [`ImportReport`], never into a
//! failure; only unreadable input (too large, malformed JSON) is an error.

mod collect;
mod compute;
mod connect;
mod elb;
pub mod files;
mod firewall;
mod json;
mod network;
mod security;
mod services;
mod transit;

use crate::io::fixup::{make_consistent, VpcHint};
use crate::io::placeholder::Placeholders;
use crate::io::report::ImportReport;
use crate::io::LoadError;
use crate::model::{Design, Id};
use collect::{Collected, Raw};
use files::Document;
use serde_json::Value;
use std::collections::HashMap;
use std::path::Path;

/// How to read a snapshot.
#[derive(Debug, Clone, Default)]
pub struct SnapshotOptions {
    /// The region for files whose folder does not name one and whose subnets do not tell.
    pub region: Option<String>,
}

/// Whether a JSON document looks like `describe-*` output (has a key a snapshot uses).
pub fn looks_like_snapshot(json: &Value) -> bool {
    const KEYS: &[&str] = &[
        "Vpcs",
        "Subnets",
        "RouteTables",
        "InternetGateways",
        "NatGateways",
        "NetworkInterfaces",
        "Reservations",
        "SecurityGroups",
        "NetworkAcls",
        "VpcPeeringConnections",
        "VpcEndpoints",
        "PrefixLists",
        "Addresses",
        "TransitGateways",
        "VpnGateways",
        "VpnConnections",
        "CustomerGateways",
        "LoadBalancers",
        "TargetGroups",
        "DBInstances",
        "DBClusters",
        "FirewallStatus",
        "FirewallPolicyResponse",
        "RuleGroupResponse",
    ];
    json.as_object().is_some_and(|o| o.keys().any(|k| KEYS.contains(&k.as_str()) || k.starts_with("TransitGateway")))
}

/// Import a snapshot folder or file.
pub fn import_path(path: &Path, opts: &SnapshotOptions) -> Result<(Design, ImportReport), LoadError> {
    let files = files::find_files(path)?;
    if files.is_empty() {
        return Err(LoadError::plain(path, crate::text!("holds no .json files (looked in ., aws_configs/, aws_configs/<region>/ and aws_configs/accounts/<account>/<region>/)")));
    }
    let mut total = 0;
    let mut docs = Vec::with_capacity(files.len());
    for f in &files {
        docs.push(files::read_document(path, f, &mut total)?);
    }
    let name = design_name(path);
    let (design, report) = import_owned(&name, &path.display().to_string(), docs, opts);
    crate::io::native::validate(&design, "", path)?;
    Ok((design, report))
}

/// Import one document already read (a single snapshot file, or standard input).
pub fn import_one(path: &Path, doc: Document, opts: &SnapshotOptions) -> Result<(Design, ImportReport), LoadError> {
    let name = design_name(path);
    let (design, report) = import_owned(&name, &path.display().to_string(), vec![doc], opts);
    crate::io::native::validate(&design, "", path)?;
    Ok((design, report))
}

/// Import parsed documents (the part of [`import_path`] after reading; tests feed it directly).
/// Never fails: whatever cannot be used is reported.
pub fn import_documents(name: &str, source: &str, docs: &[Document], opts: &SnapshotOptions) -> (Design, ImportReport) {
    import_owned(name, source, docs.to_vec(), opts)
}

/// [`import_documents`] of documents not needed afterwards (their items are moved, not copied).
fn import_owned(name: &str, source: &str, docs: Vec<Document>, opts: &SnapshotOptions) -> (Design, ImportReport) {
    let mut report = ImportReport::new(source);
    let mut c = Collected::default();
    // The first region a document's folder names, before the documents are used up.
    let folder_region = docs.iter().find_map(|d| d.region.clone());
    for d in docs {
        c.add_owned(d, &mut report);
    }
    let default_region = default_region(&c, folder_region, opts).unwrap_or_else(|| {
        let region = crate::io::ASSUMED_REGION;
        report.warn("", "region", crate::text!("no folder, subnet or --region names the region: {region} assumed"));
        region.to_string()
    });
    let mut cx = Ctx::new(&c, Design::new(name, default_region.clone()), report);
    cx.d.description = format!("Imported from the AWS snapshot {source}");
    network::import_prefix_lists(&mut cx);
    network::import_vpcs(&mut cx);
    network::import_subnets(&mut cx);
    network::import_gateways(&mut cx);
    connect::import_vpn_gateways(&mut cx);
    security::import_security_groups(&mut cx);
    security::import_network_acls(&mut cx);
    compute::import_addresses(&mut cx);
    compute::classify_interfaces(&mut cx);
    compute::import_nat_gateways(&mut cx);
    compute::import_instances_and_interfaces(&mut cx);
    elb::import_load_balancers(&mut cx);
    services::import(&mut cx);
    elb::settle_lambda_target_groups(&mut cx);
    connect::import_endpoint_services(&mut cx);
    connect::import_endpoints(&mut cx);
    firewall::import(&mut cx);
    connect::import_peerings(&mut cx);
    transit::import_transit(&mut cx);
    connect::import_vpn_connections(&mut cx);
    network::import_route_tables(&mut cx);
    connect::fold_propagated_routes(&mut cx);
    cx.finish()
}

/// A design name from the folder: the first part of the path that is not a layout folder.
fn design_name(path: &Path) -> String {
    if crate::io::input::is_stdin(path) {
        return "stdin".to_string();
    }
    let abs = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let mut p: &Path = &abs;
    if p.is_file() {
        p = p.parent().unwrap_or(p);
    }
    for c in p.ancestors() {
        let n = c.file_name().map(|n| n.to_string_lossy().to_string()).unwrap_or_default();
        let layout = n == "aws_configs" || n == "accounts" || files::is_region_name(&n) || files::is_account_id(&n);
        if !n.is_empty() && !layout {
            return n;
        }
    }
    "snapshot".to_string()
}

/// The region `--region`, a document's folder or a subnet's availability zone names, if any.
fn default_region(c: &Collected, folder_region: Option<String>, opts: &SnapshotOptions) -> Option<String> {
    if let Some(r) = &opts.region {
        return Some(r.clone());
    }
    if let Some(r) = folder_region {
        return Some(r);
    }
    let from_az = c.get("Subnets").iter().chain(c.get("AvailabilityZones")).find_map(|r| {
        json::s(&r.v, "RegionName").map(str::to_string).or_else(|| json::s(&r.v, "AvailabilityZone").map(region_of_az))
    });
    from_az
}

/// The region of an availability zone name (`us-west-2a` → `us-west-2`; local zones too).
pub fn region_of_az(az: &str) -> String {
    let trimmed = az.trim_end_matches(|c: char| c.is_ascii_lowercase());
    if files::is_region_name(trimmed) {
        return trimmed.to_string();
    }
    // Local and wavelength zones: us-west-2-lax-1a → us-west-2.
    let parts: Vec<&str> = az.split('-').collect();
    (3..=parts.len())
        .rev()
        .map(|k| parts[..k].join("-"))
        .find(|p| files::is_region_name(p))
        .unwrap_or_else(|| trimmed.to_string())
}

/// What a managed network interface stands for, so it is not also imported as a plain ENI.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EniRole {
    NatGateway(String),
    Endpoint(String),
    /// `net/<name>/<hex>` or `app/…` of the load balancer ARN.
    LoadBalancer(String),
    TgwAttachment,
    /// A managed service's interface (M1).
    Service(services::Owner),
}

/// The state of one import.
pub(crate) struct Ctx<'a> {
    pub c: &'a Collected,
    pub d: Design,
    pub report: ImportReport,
    /// Names from a `Tags` file, by resource id.
    pub names: HashMap<String, String>,
    pub ph: Placeholders,
    pub hints: HashMap<Id, VpcHint>,
    pub eni_roles: HashMap<Id, EniRole>,
    /// Raw interfaces by id (from `NetworkInterfaces` and the instances' own lists).
    pub enis: HashMap<Id, Raw>,
    /// Elastic IP allocation by the interface / instance it is associated with.
    pub eip_by_eni: HashMap<Id, Id>,
    pub eip_by_instance: HashMap<Id, Id>,
    /// Load balancer and target group ids by ARN.
    pub lb_ids: HashMap<String, Id>,
    pub tg_ids: HashMap<String, Id>,
    /// Design lookups by id in constant time (H4: imports stay linear).
    pub ix: crate::io::index::DesignIndex,
    eips_by_ip: (usize, HashMap<std::net::Ipv4Addr, Id>),
}

impl<'a> Ctx<'a> {
    fn new(c: &'a Collected, d: Design, report: ImportReport) -> Ctx<'a> {
        let mut names = HashMap::new();
        for t in c.get("Tags") {
            if json::s(&t.v, "Key") == Some("Name") {
                if let (Some(id), Some(v)) = (json::so(&t.v, "ResourceId"), json::so(&t.v, "Value")) {
                    names.insert(id, v);
                }
            }
        }
        Ctx {
            c,
            d,
            report,
            names,
            ph: Placeholders::default(),
            hints: HashMap::new(),
            eni_roles: HashMap::new(),
            enis: HashMap::new(),
            eip_by_eni: HashMap::new(),
            eip_by_instance: HashMap::new(),
            lb_ids: HashMap::new(),
            tg_ids: HashMap::new(),
            ix: Default::default(),
            eips_by_ip: Default::default(),
        }
    }

    /// A resource's name: its `Name` tag, else a `Tags` file entry, else its id.
    pub fn name(&self, v: &Value, id: &str) -> String {
        json::name_tag(v).or_else(|| self.names.get(id).cloned()).unwrap_or_else(|| id.to_string())
    }

    /// The Elastic IP allocation of a public address, if the design has one (looked up in
    /// constant time; allocations are only added during an import).
    pub fn eip_of_ip(&mut self, ip: std::net::Ipv4Addr) -> Option<Id> {
        let (seen, map) = &mut self.eips_by_ip;
        if *seen > self.d.elastic_ips.len() {
            *seen = 0;
            map.clear();
        }
        for e in &self.d.elastic_ips[*seen..] {
            map.entry(e.public_ip).or_insert_with(|| e.id.clone());
        }
        *seen = self.d.elastic_ips.len();
        map.get(&ip).cloned()
    }

    /// The region of a regional resource that is not in a VPC.
    pub fn region(&self, raw: &Raw) -> String {
        raw.region.clone().unwrap_or_else(|| self.d.default_region.clone())
    }

    fn finish(mut self) -> (Design, ImportReport) {
        let region = self.d.default_region.clone();
        make_consistent(&mut self.d, &mut self.report, &self.hints, &region);
        use std::collections::HashSet;
        let mains: HashSet<&str> = self.d.route_tables.iter().filter(|r| r.main).map(|r| r.vpc.as_str()).collect();
        let acls: HashSet<&str> = self.d.network_acls.iter().filter(|a| a.is_default).map(|a| a.vpc.as_str()).collect();
        let sgs: HashSet<&str> =
            self.d.security_groups.iter().filter(|g| g.is_default).map(|g| g.vpc.as_str()).collect();
        let lacking: Vec<Id> = self
            .d
            .vpcs
            .iter()
            .filter(|v| !v.external)
            .filter(|v| {
                let id = v.id.as_str();
                !mains.contains(id) || !acls.contains(id) || !sgs.contains(id)
            })
            .map(|v| v.id.clone())
            .collect();
        for v in &lacking {
            self.report.info("", v, crate::text!("the snapshot lacks its main route table, default NACL or default security group: added as AWS creates them"));
        }
        self.d.add_companions_of_all(&lacking);
        let mut regions: Vec<String> = self.d.vpcs.iter().map(|v| v.region.clone()).collect();
        regions.sort();
        regions.dedup();
        for r in regions {
            let mut azs: Vec<String> = self
                .c
                .get("AvailabilityZones")
                .iter()
                .filter_map(|z| json::so(&z.v, "ZoneName"))
                .chain(self.d.subnets.iter().map(|s| s.az.clone()))
                .filter(|z| region_of_az(z) == r)
                .collect();
            azs.sort();
            azs.dedup();
            self.d.regions.push(crate::model::Region { name: r, azs });
        }
        let mut accounts: Vec<String> = self.d.vpcs.iter().filter_map(|v| v.account.clone()).collect();
        accounts.sort();
        accounts.dedup();
        self.d.accounts = accounts.into_iter().map(|id| crate::model::Account { id, name: String::new() }).collect();
        self.report.count(&self.d);
        (self.d, self.report)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vpcs_only(region: Option<&str>) -> Document {
        let json = serde_json::json!({"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/16"}]});
        Document { name: "vpcs.json".into(), account: None, region: region.map(str::to_string), json }
    }

    #[test]
    fn the_report_says_when_no_region_was_found() {
        let (d, report) = import_documents("s", "s", &[vpcs_only(None)], &SnapshotOptions::default());
        assert_eq!(d.default_region, "us-east-1");
        assert!(report.mentions("us-east-1 assumed"), "{report:?}");

        let (d, report) = import_documents("s", "s", &[vpcs_only(Some("eu-west-1"))], &SnapshotOptions::default());
        assert_eq!(d.default_region, "eu-west-1");
        assert!(!report.mentions("region"), "{report:?}");
    }
}
