//! Who is in a matrix: `--from`/`--to` selectors turned into rows and columns.

use super::Family;
use crate::l10n::Text;
use crate::model::ServiceCatalog;
use crate::model::{Design, Resource, RouteDestination};
use serde::Serialize;
use std::collections::BTreeSet;

/// One row or column of a matrix.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Party {
    /// A subnet (index into the design's subnets): a hypothetical interface in it.
    Subnet(usize),
    /// Some host on the internet.
    Internet,
    /// An AWS service by its DNS name (`s3.ap-northeast-2.amazonaws.com`).
    Service(String),
}

impl Party {
    /// The id scripts see: the subnet's id, `internet`, or the service's name.
    pub fn id(&self, d: &Design) -> String {
        self.id_str(d).to_string()
    }

    /// [`Party::id`] without a copy.
    pub fn id_str<'s>(&'s self, d: &'s Design) -> &'s str {
        match self {
            Party::Subnet(i) => d.subnets.get(*i).map_or("", |s| s.id.as_str()),
            Party::Internet => "internet",
            Party::Service(n) => n,
        }
    }

    /// What people see: the subnet's name (or id), `internet`, the service's name.
    pub fn label(&self, d: &Design) -> String {
        self.label_str(d).to_string()
    }

    /// [`Party::label`] without a copy.
    pub fn label_str<'s>(&'s self, d: &'s Design) -> &'s str {
        match self {
            Party::Subnet(i) => d.subnets.get(*i).map_or("", |s| if s.name.is_empty() { &s.id } else { &s.name }),
            other => other.id_str(d),
        }
    }
}

/// Resolve one selector: a subnet (id or name), a VPC (all its subnets), `tier=NAME` (the
/// subnets whose name or `Name` tag contains NAME, ignoring case), `internet`, or an AWS service's DNS name.
pub fn parse_selector(d: &Design, text: &str) -> Result<Vec<Party>, Text> {
    parse_selector_for(d, text, Family::Ipv4)
}

/// [`parse_selector`] for a family's matrix. IPv6: every subnet is a row or column (one without
/// an IPv6 block is not applicable), and a service is named by its dual-stack name (a name
/// given by its regional name is taken as its dual-stack one; a service with none is refused).
pub fn parse_selector_for(d: &Design, text: &str, family: Family) -> Result<Vec<Party>, Text> {
    let ipv4 = family == Family::Ipv4;
    let t = text.trim();
    if t.is_empty() {
        return Err(crate::text!("an empty selector: name a subnet, a VPC, tier=NAME, internet or a service"));
    }
    if t.eq_ignore_ascii_case("internet") {
        return Ok(vec![Party::Internet]);
    }
    if let Some(tier) = t.strip_prefix("tier=").map(|x| x.trim().to_ascii_lowercase()) {
        if tier.is_empty() {
            return Err(crate::text!("tier= needs a name, e.g. tier=private"));
        }
        let hits: Vec<Party> = d
            .subnets
            .iter()
            .enumerate()
            .filter(|(_, s)| !ipv4 || s.cidr.is_some())
            .filter(|(_, s)| {
                // The subnet's name, or its `Name` tag when an import named it otherwise. The
                // model keeps no other tags, so a `Tier` tag is matched only through the name.
                s.name.to_ascii_lowercase().contains(&tier)
                    || d.tag_names.get(&s.id).is_some_and(|n| n.to_ascii_lowercase().contains(&tier))
            })
            .map(|(i, _)| Party::Subnet(i))
            .collect();
        if hits.is_empty() {
            return Err(crate::text!("tier={tier}: no subnet's name contains '{tier}'"));
        }
        return Ok(hits);
    }
    match d.resolve(t) {
        Ok(Resource::Subnet(s)) if ipv4 && s.cidr.is_none() => {
            return Err(crate::text!(
                "{} ({}) is IPv6-only: the matrix is IPv4 (a hypothetical interface needs an IPv4 address), so it has no row or column",
                s.name,
                s.id
            ))
        }
        Ok(Resource::Subnet(s)) => {
            return Ok(d.subnets.iter().position(|x| x.id == s.id).map(Party::Subnet).into_iter().collect())
        }
        Ok(Resource::Vpc(v)) => {
            let subs: Vec<Party> = d
                .subnets
                .iter()
                .enumerate()
                .filter(|(_, s)| s.vpc == v.id && (!ipv4 || s.cidr.is_some()))
                .map(|(i, _)| Party::Subnet(i))
                .collect();
            if subs.is_empty() {
                return Err(crate::text!("{} has no subnets with an IPv4 block (the matrix is IPv4)", v.id));
            }
            return Ok(subs);
        }
        Ok(r) => {
            let (name, kind_ui) = (r.display_name(), r.kind().label());
            return Err(crate::text!(
                "{name} is a {kind_ui}: a selector is a subnet, a VPC, tier=NAME, internet or an AWS service name"
            ));
        }
        Err(e) if e.contains("more than one") => return Err(e),
        Err(_) => {}
    }
    let name = t.trim_end_matches('.').to_ascii_lowercase();
    if let Some(svc) = ServiceCatalog::builtin().by_dns_name(&name) {
        if ipv4 || svc.is_dualstack_name(&name) {
            return Ok(vec![Party::Service(name)]);
        }
        return match &svc.dualstack_dns_name {
            Some(n) if name == svc.dns_name => Ok(vec![Party::Service(n.clone())]),
            _ => Err(crate::text!(
                "{name} answers A records only (IPv4): it has no flow in the IPv6 matrix; use --family ipv4, or a service's dual-stack name"
            )),
        };
    }
    Err(crate::text!("'{t}' is no subnet, VPC or AWS service name of the design (and not tier=NAME or internet)"))
}

/// Resolve many selectors, keeping the first occurrence of each party.
pub fn parse_selectors(d: &Design, list: &[String]) -> Result<Vec<Party>, Text> {
    parse_selectors_for(d, list, Family::Ipv4)
}

/// [`parse_selectors`] for a family's matrix.
pub fn parse_selectors_for(d: &Design, list: &[String], family: Family) -> Result<Vec<Party>, Text> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for s in list {
        for p in parse_selector_for(d, s, family)? {
            if seen.insert(p.clone()) {
                out.push(p);
            }
        }
    }
    Ok(out)
}

/// The default sources: every subnet with an IPv4 block (the matrix is IPv4; an IPv6-only
/// subnet has no hypothetical interface).
pub fn default_sources(d: &Design) -> Vec<Party> {
    default_sources_for(d, Family::Ipv4)
}

/// The default sources of a family's matrix: IPv6 takes every subnet (those without an IPv6
/// block are shown as not applicable rather than left out).
pub fn default_sources_for(d: &Design, family: Family) -> Vec<Party> {
    let keep = |s: &crate::model::Subnet| family == Family::Ipv6 || s.cidr.is_some();
    d.subnets.iter().enumerate().filter(|(_, s)| keep(s)).map(|(i, _)| Party::Subnet(i)).collect()
}

/// The default destinations of a family's matrix: IPv6 names the services by their dual-stack
/// names and leaves out those without one (their names answer A records only).
pub fn default_destinations_for(d: &Design, family: Family) -> Vec<Party> {
    if family == Family::Ipv4 {
        return default_destinations(d);
    }
    let cat = ServiceCatalog::builtin();
    let mut out = default_sources_for(d, family);
    out.push(Party::Internet);
    let mut names: Vec<String> = design_services(d)
        .iter()
        .filter_map(|n| cat.by_dns_name(n).and_then(|s| s.dualstack_dns_name.clone()))
        .collect();
    names.dedup();
    out.extend(names.into_iter().map(Party::Service));
    out
}

/// The default destinations: every subnet, the internet, and the AWS services the design has
/// endpoints for or routes to (by prefix list).
pub fn default_destinations(d: &Design) -> Vec<Party> {
    let mut out = default_sources(d);
    out.push(Party::Internet);
    out.extend(design_services(d).into_iter().map(Party::Service));
    out
}

/// The DNS names of the AWS services the design has endpoints for or routes to, sorted.
pub fn design_services(d: &Design) -> Vec<String> {
    let cat = ServiceCatalog::builtin();
    let mut names = BTreeSet::new();
    // Each VPC's region, found once (a large design has thousands of endpoints).
    let regions: std::collections::HashMap<&str, &str> =
        d.vpcs.iter().rev().map(|v| (v.id.as_str(), v.region.as_str())).collect();
    // Each (region, service) and prefix list is looked up in the catalogue once: a large design
    // names the same few thousands of times.
    let mut seen: std::collections::HashSet<(&str, &str)> = std::collections::HashSet::new();
    for e in &d.endpoints {
        let region = regions.get(e.vpc.as_str()).copied().unwrap_or(&d.default_region);
        if !seen.insert((region, e.service_name.as_str())) {
            continue;
        }
        let svc = cat.by_service_name(&e.service_name).or_else(|| cat.service(region, &e.service_name));
        if let Some(s) = svc {
            names.insert(s.dns_name.clone());
        }
    }
    let mut lists: std::collections::HashSet<&str> = std::collections::HashSet::new();
    for rt in &d.route_tables {
        for r in &rt.routes {
            if let RouteDestination::PrefixList(pl) = &r.destination {
                if !lists.insert(pl.as_str()) {
                    continue;
                }
                if let Some(s) = cat.entries().iter().find(|s| s.prefix_list_id.as_deref() == Some(pl.as_str())) {
                    names.insert(s.dns_name.clone());
                }
            }
        }
    }
    names.into_iter().filter(|n| !n.is_empty()).collect()
}

#[cfg(test)]
mod tests {
    use super::{parse_selector, Party};

    #[test]
    fn tier_matches_the_name_or_the_name_tag_of_an_import() {
        let mut d = crate::assets::example("endpoint-lab").expect("example");
        assert_eq!(parse_selector(&d, "tier=private"), Ok(vec![Party::Subnet(1)]));
        assert!(parse_selector(&d, "tier=web").is_err());
        d.tag_names.insert("subnet-0001".into(), "Web-Tier-A".into());
        assert_eq!(parse_selector(&d, "tier=web"), Ok(vec![Party::Subnet(0)]));
    }

    #[test]
    fn an_ipv6_only_subnet_is_in_no_matrix() {
        let mut d = crate::assets::example("endpoint-lab").expect("example");
        d.subnets[1].cidr = None;
        d.subnets[1].ipv6_cidr = Some("2001:db8:0:1::/64".parse().expect("cidr"));
        assert_eq!(super::default_sources(&d), vec![Party::Subnet(0)]);
        assert_eq!(parse_selector(&d, "jhVPC"), Ok(vec![Party::Subnet(0)]));
        let e = parse_selector(&d, "jhPrivateSN").expect_err("IPv6-only");
        assert!(e.contains("IPv6-only"), "{e}");
        let o = crate::sim::reach::ReachOptions::defaults(&d);
        let m = crate::sim::reach::compute(&d, &o).expect("the rest still has a matrix");
        assert_eq!(m.shape().0, 1);
    }
}
