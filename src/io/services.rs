//! Managed services in files and imports: a loaded design's services must have unique ids and
//! point only at what is there ([`validate`]); an import's are made so ([`make_consistent`]).

use super::report::ImportReport;
use super::LoadError;
use crate::model::edit::Strength;
use crate::model::*;
use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

/// The kind a link's target must be, by the words of its field (see `Design::service_links`).
fn expected(field: &str, to: &str, d: &Design, kinds: &HashMap<&str, ResourceKind>) -> bool {
    match field {
        "VPC" => kinds.get(to) == Some(&ResourceKind::Vpc),
        "subnet" | "interface subnet" => kinds.get(to) == Some(&ResourceKind::Subnet),
        "security group" => kinds.get(to) == Some(&ResourceKind::SecurityGroup),
        "target group" => kinds.get(to) == Some(&ResourceKind::TargetGroup),
        "subnet group" => d.db_subnet_group(to).is_some(),
        _ => true,
    }
}

/// A loaded design's managed services: ids unique across the whole design, links to what is
/// there and of the right kind. Errors point at the service's `id:` in the file.
pub fn validate(design: &Design, text: &str, file: &Path) -> Result<(), LoadError> {
    let kinds: HashMap<&str, ResourceKind> =
        design.resources().filter(|r| !r.kind().is_service()).map(|r| (r.id(), r.kind())).collect();
    let mut seen: HashSet<&str> = HashSet::new();
    for s in design.services() {
        if kinds.contains_key(s.id()) || !seen.insert(s.id()) {
            let (line, col) = super::native::locate_id(text, s.id(), 2);
            return Err(LoadError::at(
                file,
                line,
                col,
                crate::text!("the id '{}' is used twice; ids must be unique", s.id()),
            ));
        }
    }
    for l in design.service_links() {
        if expected(&l.field, &l.to, design, &kinds) {
            continue;
        }
        let (line, col) = super::native::locate_id(text, &l.from, 1);
        let (kind_ui, field_ui) = (l.from_label, &l.field);
        let said = if kinds.contains_key(l.to.as_str()) || design.find_service(&l.to).is_some() {
            crate::text!("{kind_ui} {} refers to '{}' ({field_ui}), which is not of that kind", l.from, l.to)
        } else {
            crate::text!("{kind_ui} {} refers to '{}' ({field_ui}), which is not in the design", l.from, l.to)
        };
        return Err(LoadError::at(file, line, col, said));
    }
    Ok(())
}

/// `count` interfaces for a service spread over `subnets` one zone at a time (M1), at made-up
/// addresses marked as placeholders, each with a made-up public address when `public`.
pub fn place(
    ph: &mut crate::io::placeholder::Placeholders,
    d: &Design,
    subnets: &[Id],
    count: usize,
    public: bool,
) -> Vec<ServiceInterface> {
    let zoned: Vec<(&str, &str)> =
        subnets.iter().map(|s| (s.as_str(), d.subnet(s).map(|x| x.az.as_str()).unwrap_or(""))).collect();
    let mut out = Vec::new();
    for sn in crate::model::services::spread(&zoned, count) {
        let Some(ip) = ph.private_ip(d, sn) else { continue };
        let mut i = ServiceInterface::new(sn, ip);
        i.placeholder = true;
        if public {
            i.public_ip = Some(ph.public_ip());
        }
        out.push(i);
    }
    out
}

/// VPC ids managed services need but the design lacks (they become external stubs).
pub fn wanted_vpcs(d: &Design) -> BTreeSet<Id> {
    let have: HashSet<&str> = d.vpcs.iter().map(|v| v.id.as_str()).collect();
    d.services().map(|s| s.vpc()).filter(|v| !have.contains(v)).map(str::to_string).collect()
}

/// One id per service (the first wins), and no link to anything missing: an interface in a
/// subnet that is not there goes, a missing group leaves the list. Told to the report.
pub fn make_consistent(d: &mut Design, report: &mut ImportReport) {
    let taken: HashSet<String> = d.resources().filter(|r| !r.kind().is_service()).map(|r| r.id().to_string()).collect();
    let mut seen: HashSet<String> = HashSet::new();
    let mut dropped: Vec<String> = Vec::new();
    let mut keep = |id: &str| {
        let fresh = !taken.contains(id) && seen.insert(id.to_string());
        if !fresh {
            dropped.push(id.to_string());
        }
        fresh
    };
    d.databases.retain(|x| keep(&x.id));
    d.db_subnet_groups.retain(|x| keep(&x.id));
    d.compute_services.retain(|x| keep(&x.id));
    for id in dropped {
        report.warn("", &id, crate::text!("this id is used by more than one resource; kept the first"));
    }
    let kinds: HashMap<String, ResourceKind> = d.resources().map(|r| (r.id().to_string(), r.kind())).collect();
    let kinds_ref: HashMap<&str, ResourceKind> = kinds.iter().map(|(k, v)| (k.as_str(), *v)).collect();
    let bad: Vec<ServiceLink> =
        d.service_links().into_iter().filter(|l| !expected(&l.field, &l.to, d, &kinds_ref)).collect();
    let mut doomed: BTreeSet<Id> = BTreeSet::new();
    let mut gone: BTreeSet<Id> = BTreeSet::new();
    for l in bad {
        if l.strength == Strength::Owner {
            report.warn(
                "",
                &l.from,
                crate::text!(
                    "{kind_ui} {} needs {} ({field_ui}), which is not in the import: dropped",
                    l.from,
                    l.to,
                    kind_ui = l.from_label,
                    field_ui = l.field
                ),
            );
            doomed.insert(l.from);
        } else {
            report.info(
                "",
                &l.from,
                crate::text!("{} refers to {}, which is not in the import: link dropped", l.field, l.to),
            );
            gone.insert(l.to);
        }
    }
    gone.extend(doomed);
    d.unlink_services(&gone);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design() -> Design {
        let mut d = Design::new("t", "us-east-1");
        d.add_vpc("v", "us-east-1", "10.0.0.0/16".parse().expect("cidr"));
        let vpc = d.vpcs[0].id.clone();
        d.subnets.push(Subnet::new("subnet-a", "a", &vpc, "10.0.1.0/24".parse().expect("cidr"), "us-east-1a"));
        d.databases.push(Database {
            id: "db-1".into(),
            name: "orders".into(),
            vpc,
            service: DatabaseService::Rds,
            engine: "postgres".into(),
            port: None,
            publicly_accessible: false,
            subnet_group: None,
            subnets: vec!["subnet-a".into()],
            security_groups: Vec::new(),
            multi_az: false,
            interfaces: vec![ServiceInterface::new("subnet-a", "10.0.1.10".parse().expect("ip"))],
            endpoint: String::new(),
        });
        d
    }

    #[test]
    fn a_valid_design_passes_and_a_missing_subnet_is_refused() {
        let d = design();
        validate(&d, "", Path::new("t")).expect("valid");
        let mut bad = d.clone();
        bad.databases[0].interfaces[0].subnet = "subnet-gone".into();
        let e = validate(&bad, "", Path::new("t")).expect_err("dangling");
        assert!(e.to_string().contains("subnet-gone"), "{e}");
        let mut twice = d.clone();
        twice.databases[0].id = "subnet-a".into();
        assert!(validate(&twice, "", Path::new("t")).is_err(), "an id shared with a subnet");
    }

    #[test]
    fn consistency_drops_links_to_what_is_missing() {
        let mut d = design();
        d.databases[0].security_groups.push("sg-gone".into());
        d.databases[0].interfaces.push(ServiceInterface::new("subnet-gone", "10.9.0.1".parse().expect("ip")));
        let mut report = ImportReport::new("t");
        make_consistent(&mut d, &mut report);
        assert!(d.databases[0].security_groups.is_empty());
        assert_eq!(d.databases[0].interfaces.len(), 1);
        validate(&d, "", Path::new("t")).expect("consistent");
    }
}
