//! Design → CloudFormation → design keeps what matters: VPC and subnet CIDRs, each subnet's
//! routes (destination → target kind), security group rules and instance names. Over the
//! built-in examples, a kitchen-sink design and a generated one.

use crate::common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use vpcraft::io::cfn_import::{import_text, CfnImportOptions};
use vpcraft::io::export::cloudformation::to_cloudformation;
use vpcraft::io::export::{sanitize_identifier, Scope};
use vpcraft::model::*;

type Rules = BTreeMap<String, Vec<String>>;

/// A prefix list by content when the design has it (its id changes), else by id.
fn pl_key(d: &Design, id: &str) -> String {
    match d.prefix_list(id) {
        Some(p) => format!("pl{:?}", p.cidrs),
        None => id.to_string(),
    }
}

/// A group by its VPC for default groups, else by its (sanitised) name. On the imported side
/// `snap` maps a logical id back to the original name it starts with (`AristaDemo3` was
/// `Arista Demo`, numbered because the VPC took the plain name).
fn group_key(d: &Design, id: &str, snap: &BTreeSet<String>) -> String {
    match d.security_group(id) {
        Some(g) if g.is_default => format!("default@{}", d.vpc(&g.vpc).map(|v| v.cidr.to_string()).unwrap_or_default()),
        Some(g) => {
            let n = sanitize_identifier(&g.name, false, "SecurityGroup");
            snap.iter().filter(|k| n.starts_with(k.as_str())).max_by_key(|k| k.len()).cloned().unwrap_or(n)
        }
        None => id.to_string(),
    }
}

fn exportable(r: &Route) -> bool {
    r.state == RouteState::Active && !matches!(r.target, RouteTarget::Unknown(_)) && r.origin != RouteOrigin::Propagated
}

/// The comparable facts of the design's resources in one region.
fn facts(
    d: &Design,
    region: &str,
    snap: &BTreeSet<String>,
) -> (BTreeSet<String>, BTreeMap<String, BTreeSet<String>>, Rules, BTreeSet<String>) {
    let scope = Scope::of(d, region);
    let vpcs: BTreeSet<String> = d
        .vpcs
        .iter()
        .filter(|v| scope.has(&v.id))
        .map(|v| v.cidrs().map(|c| c.to_string()).collect::<Vec<_>>().join("+"))
        .collect();
    let mut routes = BTreeMap::new();
    for s in d.subnets.iter().filter(|s| scope.has(&s.id)) {
        let set = d
            .subnet_route_table(&s.id)
            .map(|t| {
                t.routes
                    .iter()
                    .filter(|r| exportable(r))
                    .map(|r| {
                        let dest = match &r.destination {
                            RouteDestination::Cidr(c) => c.to_string(),
                            RouteDestination::PrefixList(p) => pl_key(d, p),
                        };
                        format!("{dest}->{}", r.target.kind())
                    })
                    .collect()
            })
            .unwrap_or_default();
        routes.insert(s.primary_cidr_text(), set);
    }
    let mut rules: Rules = BTreeMap::new();
    for g in d.security_groups.iter().filter(|g| scope.has(&g.id)) {
        let mut list: Vec<String> = Vec::new();
        let mut ingress = g.ingress.clone();
        let mut egress = g.egress.clone();
        if g.is_default {
            // CloudFormation cannot remove the default group's own rules (the export notes it).
            let own_in = SgRule::allow_all_to(SgPeer::group(g.id.clone()));
            let own_out = SgRule::allow_all_to(SgPeer::Cidr(Default::default()));
            if !ingress.contains(&own_in) {
                ingress.push(own_in);
            }
            if !egress.contains(&own_out) {
                egress.push(own_out);
            }
        }
        for (dir, rs) in [("in", &ingress), ("out", &egress)] {
            for r in rs {
                let peer = match &r.peer {
                    SgPeer::Cidr(c) => c.to_string(),
                    SgPeer::PrefixList(p) => pl_key(d, p),
                    SgPeer::SecurityGroup { group, .. } => group_key(d, group, snap),
                };
                // "Any ICMP" has two spellings in the model.
                let ports = match r.ports {
                    PortSpec::Icmp { icmp_type: None, code: None } => PortSpec::All,
                    p => p,
                };
                list.push(format!("{dir} {} {ports} {peer}", r.protocol));
            }
        }
        list.sort();
        rules.insert(group_key(d, &g.id, snap), list);
    }
    let instances = d
        .instances
        .iter()
        .filter(|i| scope.has(&i.id))
        .map(|i| sanitize_identifier(&i.name, false, "Instance"))
        .collect();
    (vpcs, routes, rules, instances)
}

fn round_trip(name: &str, d: &Design) {
    let region = Scope::main_region(d);
    let out = to_cloudformation(d);
    let opts = CfnImportOptions { region: Some(region.clone()), params: Vec::new() };
    let (back, report) = import_text(&out.text, Path::new(&format!("{name}.json")), &opts)
        .unwrap_or_else(|e| panic!("{name}: the export does not import: {e}"));
    let (v1, r1, s1, i1) = facts(d, &region, &BTreeSet::new());
    let names: BTreeSet<String> = s1.keys().cloned().collect();
    let (v2, r2, s2, i2) = facts(&back, &region, &names);
    assert_eq!(v1, v2, "{name}: VPC CIDRs");
    assert_eq!(r1, r2, "{name}: routes per subnet\nnotes: {:#?}\n{report}", out.notes);
    assert_eq!(s1, s2, "{name}: security group rules");
    assert_eq!(i1, i2, "{name}: instance names");
}

#[test]
fn built_in_examples_survive_cloudformation() {
    for (name, _) in vpcraft::assets::EXAMPLES {
        round_trip(name, &vpcraft::assets::example(name).unwrap());
    }
}

#[test]
fn kitchen_sink_survives_cloudformation() {
    round_trip("kitchen-sink", &common::kitchen_sink());
}

#[test]
fn generated_design_survives_cloudformation() {
    round_trip("generated", &vpcraft::model::gen::generate(15, 42));
}

#[test]
fn snapshot_survives_cloudformation() {
    let p = Path::new("../shared/data/aws-snapshots/hybrid-cloud-aws");
    if !p.is_dir() {
        crate::common::skip_unless_ci(&format!(
            "skipping: {} not present (the shared data folder is absent)",
            p.display()
        ));
        return;
    }
    let (d, _) = vpcraft::io::snapshot::import_path(p, &Default::default()).unwrap();
    round_trip("hybrid", &d);
}
