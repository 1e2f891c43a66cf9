//! Design → `vpcraft export --to terraform` → the Terraform reader → a design that traces
//! the same way. Over every built-in example and every lab (after each step, with that step's
//! traces), plus generated flows between every pair of instances and out to the internet and
//! an AWS service. Traces are compared, not text: the verdict, the disposition, the code and
//! the kinds of the components passed in both directions. This is the contract between the
//! exporter and the reader, whatever either does inside.

use std::path::Path;
use vpcraft::io::export::terraform::to_terraform;
use vpcraft::io::export::Scope;
use vpcraft::io::terraform::{import_dir, TerraformOptions};
use vpcraft::model::Design;
use vpcraft::sim::{trace, TraceRequest, TraceResult};

/// What two traces must share.
fn shape(r: &TraceResult) -> String {
    let kinds = |hops: &[vpcraft::sim::Hop]| {
        hops.iter().map(|h| format!("{}:{}", h.component.kind, h.action)).collect::<Vec<_>>().join(" ")
    };
    format!(
        "{} {} {}\n  forward: {}\n  return: {}",
        r.verdict,
        r.disposition,
        r.code.map_or("-", |c| c.as_str()),
        kinds(&r.forward),
        kinds(&r.return_path)
    )
}

/// Export, write, read back.
fn reimport(name: &str, d: &Design) -> Design {
    reimport_with_notes(name, d).0
}

/// The same, with the export's notes (what Terraform cannot say).
fn reimport_with_notes(name: &str, d: &Design) -> (Design, Vec<String>) {
    let out = to_terraform(d);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("main.tf"), &out.text).unwrap();
    let opts = TerraformOptions { region: Some(Scope::main_region(d)), ..Default::default() };
    let (back, _) = import_dir(dir.path(), &opts)
        .unwrap_or_else(|e| panic!("{name}: the export does not read back: {e}\n{}", out.text));
    (back, out.notes)
}

/// A public address AWS assigns (an EIP's, an auto-assigned one) is a placeholder after the
/// round trip: the same resource, found by its `Name` tag, has another one.
/// So is an IPv6 address in an Amazon-provided block: AWS picks the /56, and after the round
/// trip the block is another stand-in; the same interface has the address at the same offset.
fn translate(a: &Design, b: &Design, endpoint: &str) -> String {
    let by_tag = |name: &str| b.tag_names.iter().find(|(_, t)| t.as_str() == name).map(|(id, _)| id.clone());
    if let Ok(v6) = endpoint.parse::<std::net::Ipv6Addr>() {
        let found = a.network_interfaces.iter().find(|n| n.ipv6_addresses.contains(&v6)).and_then(|n| {
            let owner = n.instance.as_deref().and_then(|i| a.instance(i)).map_or(n.name.clone(), |i| i.name.clone());
            let k = n.ipv6_addresses.iter().position(|x| *x == v6)?;
            by_tag(&owner)
                .and_then(|id| b.instance_interfaces(&id).first().and_then(|e| e.ipv6_addresses.get(k).copied()))
        });
        return found.map_or_else(|| endpoint.to_string(), |x| x.to_string());
    }
    let Ok(ip) = endpoint.parse::<std::net::Ipv4Addr>() else { return endpoint.to_string() };
    if let Some(e) = a.elastic_ips.iter().find(|e| e.public_ip == ip) {
        if let Some(x) = by_tag(&e.name).and_then(|id| b.elastic_ip(&id).map(|x| x.public_ip)) {
            return x.to_string();
        }
    }
    if let Some(n) = a.network_interfaces.iter().find(|n| n.public_ip == Some(ip)) {
        let owner = n.instance.as_deref().and_then(|i| a.instance(i)).map_or(n.name.clone(), |i| i.name.clone());
        let found = by_tag(&owner).and_then(|id| b.instance_interfaces(&id).first().and_then(|e| e.public_ip));
        if let Some(x) = found {
            return x.to_string();
        }
    }
    endpoint.to_string()
}

/// A blackhole route Terraform cannot declare (the export says so in its notes) is missing
/// after the round trip: the packet is still dropped at the same route table.
fn same(a: &TraceResult, b: &TraceResult, notes: &[String]) -> bool {
    if shape(a) == shape(b) {
        return true;
    }
    let left_out = notes.iter().any(|n| n.contains("blackhole route"));
    let kinds = |r: &TraceResult| r.forward.iter().map(|h| h.component.kind).collect::<Vec<_>>();
    left_out
        && a.code.map(|c| c.as_str()) == Some("BAD_STATE_ROUTE")
        && b.code.map(|c| c.as_str()) == Some("NO_ROUTE_TO_DESTINATION")
        && kinds(a) == kinds(b)
}

/// (from, to, proto, port) flows worth comparing on a design: every pair of instances on 22
/// and 443, each instance to the internet and to S3 in its region.
fn flows(d: &Design) -> Vec<(String, String, String, Option<u16>)> {
    let names: Vec<String> = d.instances.iter().take(12).map(|i| i.name.clone()).collect();
    let region = Scope::main_region(d);
    let mut out = Vec::new();
    for a in &names {
        for b in &names {
            if a != b {
                out.push((a.clone(), b.clone(), "tcp".to_string(), Some(443)));
                out.push((a.clone(), b.clone(), "tcp".to_string(), Some(22)));
            }
        }
        out.push((a.clone(), "8.8.8.8".into(), "tcp".into(), Some(443)));
        out.push((a.clone(), format!("s3.{region}.amazonaws.com"), "tcp".into(), Some(443)));
    }
    out
}

fn compare(
    what: &str,
    a: &Design,
    (b, notes): (&Design, &[String]),
    flows: &[(String, String, String, Option<u16>)],
    failures: &mut Vec<String>,
) -> usize {
    let mut n = 0;
    for (from, to, proto, port) in flows {
        let (from2, to2) = (translate(a, b, from), translate(a, b, to));
        let (Ok(ra), rb) = (
            TraceRequest::parse(a, from, to, proto, *port, None),
            TraceRequest::parse(b, &from2, &to2, proto, *port, None),
        ) else {
            continue;
        };
        let rb = match rb {
            Ok(r) => r,
            Err(e) => {
                failures
                    .push(format!("{what}: {from} → {to} resolves in the original but not after the round trip: {e}"));
                continue;
            }
        };
        let (ta, tb) = (trace(a, &ra), trace(b, &rb));
        n += 1;
        if !same(&ta, &tb, notes) {
            failures.push(format!(
                "{what}: {from} → {to} {proto}/{port:?}\n before: {}\n after:  {}\n reason before: {:?}\n reason after: {:?}",
                shape(&ta),
                shape(&tb),
                ta.reason,
                tb.reason
            ));
        }
    }
    n
}

#[test]
fn every_example_and_lab_traces_the_same_after_terraform() {
    let mut failures = Vec::new();
    let mut n = 0;
    for (name, _) in vpcraft::assets::EXAMPLES {
        let d = vpcraft::assets::example(name).unwrap();
        let (back, notes) = reimport_with_notes(name, &d);
        n += compare(name, &d, (&back, &notes), &flows(&d), &mut failures);
    }
    for lab in vpcraft::labs::all().unwrap() {
        let mut d = vpcraft::labs::run::start_design(&lab).unwrap();
        for (i, step) in lab.steps.iter().enumerate() {
            vpcraft::labs::run::apply_step(&lab, i, &mut d).unwrap();
            // Network Firewall (lab 11) compares once the exporter writes it: until then the
            // export has no `aws_networkfirewall_firewall` and the routes to its endpoints
            // cannot read back.
            if !d.network_firewalls.is_empty() && !to_terraform(&d).text.contains("aws_networkfirewall_firewall") {
                continue;
            }
            let (back, notes) = reimport_with_notes(&lab.name, &d);
            let mut fl = Vec::new();
            for t in &step.traces {
                let (Ok((f1, t1)), Ok((f2, t2))) =
                    (vpcraft::labs::run::expanded(&d, t), vpcraft::labs::run::expanded(&back, t))
                else {
                    failures.push(format!(
                        "lab {} step {}: {} → {} does not expand after the round trip",
                        lab.name,
                        i + 1,
                        t.from,
                        t.to
                    ));
                    continue;
                };
                // DNS names of interface endpoints differ by their random part (E5); compare
                // each design with its own.
                if f1 != f2 || t1 != t2 {
                    let (ra, rb) = (
                        TraceRequest::parse(&d, &f1, &t1, &t.proto, t.port, None),
                        TraceRequest::parse(&back, &f2, &t2, &t.proto, t.port, None),
                    );
                    if let (Ok(ra), Ok(rb)) = (ra, rb) {
                        n += 1;
                        let (ta, tb) = (trace(&d, &ra), trace(&back, &rb));
                        if !same(&ta, &tb, &notes) {
                            failures.push(format!(
                                "lab {} step {}: {f1} → {t1}\n before: {}\n after:  {}",
                                lab.name,
                                i + 1,
                                shape(&ta),
                                shape(&tb)
                            ));
                        }
                    }
                    continue;
                }
                fl.push((f1, t1, t.proto.clone(), t.port));
            }
            if i + 1 == lab.steps.len() {
                fl.extend(flows(&d));
            }
            n += compare(&format!("lab {} step {}", lab.name, i + 1), &d, (&back, &notes), &fl, &mut failures);
        }
    }
    assert!(n >= 100, "only {n} traces compared");
    assert!(failures.is_empty(), "{} of {n} traces differ:\n{}", failures.len(), failures.join("\n\n"));
}

#[test]
fn names_are_addresses_and_name_tags_still_resolve() {
    let d = vpcraft::assets::example("custom-vpc").unwrap();
    let back = reimport("custom-vpc", &d);
    let first = &d.instances[0];
    let r = back.resolve(&first.name).unwrap();
    assert!(r.name().starts_with("aws_instance."), "{}", r.name());
    assert_eq!(back.tag_names.get(r.id()), Some(&first.name));
    assert!(back.resolve(r.name()).is_ok());
    let _ = Path::new("");
}
