//! The managed-service part of the scenario files (issue 19): edits that add databases, subnet
//! groups, compute services and application or classic load balancers, the `@endpoint:NAME`
//! placeholder (the DNS name AWS gives a database, an EKS cluster or a load balancer), and the
//! `audit` and `checks` expectations of a step. `scenario_files` parses and runs the files.

use crate::scenario_files::Edit;
use serde::Deserialize;
use vpcraft::model::builder::DesignBuilder;
use vpcraft::model::*;

/// A finding that `vpcraft audit` (or `vpcraft check`) must report, or with `absent: true`
/// must not: every field given must match the same finding.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FindingExpect {
    pub code: String,
    /// The finding's main resource (its first), by name or id.
    pub resource: Option<String>,
    /// Another resource it names, by name or id.
    pub involves: Option<String>,
    pub message_contains: Option<String>,
    /// Text one hop of its path holds (audit only).
    pub path_contains: Option<String>,
    /// Text one hop of its onward path holds (audit only: the second flow of an indirect
    /// exposure).
    pub onward_contains: Option<String>,
    /// The finding must not be there.
    #[serde(default)]
    pub absent: bool,
}

fn id(d: &Design, key: &str) -> Result<Id, String> {
    if let Ok(r) = d.resolve(key) {
        return Ok(r.id().to_string());
    }
    d.resolve_service(key).map(|s| s.id().to_string())
}

fn ids(d: &Design, keys: &[String]) -> Result<Vec<Id>, String> {
    keys.iter().map(|k| id(d, k)).collect()
}

fn nics(d: &Design, list: &[(String, String)]) -> Result<Vec<(Id, String)>, String> {
    list.iter()
        .map(|(s, a)| {
            a.parse::<std::net::Ipv4Addr>().map_err(|e| format!("'{a}' is not an address: {e}"))?;
            Ok((id(d, s)?, a.clone()))
        })
        .collect()
}

fn refs(v: &[Id]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

/// Apply a managed-service edit.
pub fn apply(b: &mut DesignBuilder, e: &Edit) -> Result<(), String> {
    match e {
        Edit::DbSubnetGroup { name, service, subnets } => {
            let s = ids(&b.design, subnets)?;
            b.db_subnet_group(name, *service, &refs(&s));
        }
        Edit::Database { name, service, engine, subnet_group, interfaces, groups, public_ip, port } => {
            let group = subnet_group.as_deref().map(|g| id(&b.design, g)).transpose()?;
            let n = nics(&b.design, interfaces)?;
            let n: Vec<(&str, &str)> = n.iter().map(|(s, a)| (s.as_str(), a.as_str())).collect();
            let g = ids(&b.design, groups)?;
            let db = b.database(*service, name, engine, group.as_deref(), &n, &refs(&g));
            if let Some(p) = public_ip {
                p.parse::<std::net::Ipv4Addr>().map_err(|e| format!("'{p}' is not an address: {e}"))?;
                b.publicly_accessible(&db, p);
            }
            if let Some(x) = b.design.databases.iter_mut().find(|x| x.id == db) {
                x.port = port.or(x.port);
            }
        }
        Edit::Compute { name, kind, interfaces, groups } => {
            let n = nics(&b.design, interfaces)?;
            let n: Vec<(&str, &str)> = n.iter().map(|(s, a)| (s.as_str(), a.as_str())).collect();
            let g = ids(&b.design, groups)?;
            b.compute(kind.clone(), name, &n, &refs(&g));
        }
        Edit::WebLoadBalancer { name, kind, scheme, nodes, groups, listeners } => {
            let mut n = Vec::new();
            for (s, a, p) in nodes {
                n.push((id(&b.design, s)?, a.clone(), p.clone()));
            }
            let n: Vec<(&str, &str, Option<&str>)> =
                n.iter().map(|(s, a, p)| (s.as_str(), a.as_str(), p.as_deref())).collect();
            let g = ids(&b.design, groups)?;
            let mut l = Vec::new();
            for (port, tg) in listeners {
                l.push((*port, id(&b.design, tg)?));
            }
            let l: Vec<(u16, &str)> = l.iter().map(|(p, t)| (*p, t.as_str())).collect();
            b.load_balancer(*kind, *scheme, name, &n, &refs(&g), &l);
        }
        other => return Err(format!("not a managed-service edit: {other:?}")),
    }
    Ok(())
}

/// `@endpoint:NAME`: the DNS name of a database, compute service or load balancer. `None`
/// when the text is not this placeholder.
pub fn endpoint_name(d: &Design, text: &str) -> Option<Result<String, String>> {
    let key = text.strip_prefix("@endpoint:")?;
    if let Ok(s) = d.resolve_service(key) {
        return Some(s.endpoint().map(str::to_string).ok_or_else(|| format!("'{key}' has no endpoint name")));
    }
    Some(match d.resolve(key) {
        Ok(Resource::LoadBalancer(lb)) if !lb.dns_name.is_empty() => Ok(lb.dns_name.clone()),
        Ok(_) => Err(format!("'{key}' has no endpoint name")),
        Err(e) => Err(e.into()),
    })
}

/// Whether `key` names the resource with this id.
fn names(d: &Design, key: &str, rid: &str) -> bool {
    rid == key || id(d, key).is_ok_and(|x| x == rid)
}

/// One finding, as the expectations read it.
struct Seen<'a> {
    code: &'a str,
    resources: &'a [String],
    message: &'a str,
    path: &'a [String],
    onward: &'a [String],
}

fn matches(d: &Design, want: &FindingExpect, f: &Seen<'_>) -> bool {
    let holds = |hops: &[String], t: &Option<String>| t.as_deref().is_none_or(|t| hops.iter().any(|h| h.contains(t)));
    f.code == want.code
        && want.resource.as_deref().is_none_or(|r| f.resources.first().is_some_and(|x| names(d, r, x)))
        && want.involves.as_deref().is_none_or(|r| f.resources.iter().any(|x| names(d, r, x)))
        && want.message_contains.as_deref().is_none_or(|t| f.message.contains(t))
        && holds(f.path, &want.path_contains)
        && holds(f.onward, &want.onward_contains)
}

fn expect(d: &Design, what: &str, wants: &[FindingExpect], seen: &[Seen<'_>], out: &mut Vec<String>) {
    for w in wants {
        let found = seen.iter().any(|f| matches(d, w, f));
        if found == w.absent {
            let list: Vec<String> =
                seen.iter().map(|f| format!("{} {:?}: {}", f.code, f.resources, f.message)).collect();
            out.push(format!(
                "{what}: {} {w:?}; it reports:\n    {}",
                if w.absent { "reports" } else { "does not report" },
                list.join("\n    ")
            ));
        }
    }
}

/// Every way the design's audit and checks differ from the expectations.
pub fn check_findings(d: &Design, place: &str, audit: &[FindingExpect], checks: &[FindingExpect]) -> Vec<String> {
    let mut out = Vec::new();
    if !audit.is_empty() {
        let found = vpcraft::sim::audit::audit(d);
        let english = |p: &[vpcraft::sim::audit::PathEntry]| p.iter().map(|e| e.to_string()).collect::<Vec<_>>();
        let paths: Vec<(Vec<String>, Vec<String>)> =
            found.iter().map(|f| (english(&f.path), english(&f.onward_path))).collect();
        let seen: Vec<Seen<'_>> = found
            .iter()
            .zip(&paths)
            .map(|(f, (path, onward))| Seen {
                code: f.code,
                resources: &f.resources,
                message: &f.message,
                path,
                onward,
            })
            .collect();
        expect(d, &format!("{place} audit"), audit, &seen, &mut out);
    }
    if !checks.is_empty() {
        let found = vpcraft::sim::checks::check_design(d);
        let seen: Vec<Seen<'_>> = found
            .iter()
            .map(|f| Seen {
                code: f.code.as_str(),
                resources: &f.resources,
                message: &f.message,
                path: &[],
                onward: &[],
            })
            .collect();
        expect(d, &format!("{place} checks"), checks, &seen, &mut out);
    }
    out
}
