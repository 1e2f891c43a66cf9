//! AWS Network Firewall (F1–F4): `aws_networkfirewall_rule_group`, `_firewall_policy` and
//! `_firewall`, their blocks written from the API's shape ([`firewall_api::to_terraform`]),
//! and routes to a firewall endpoint picking it out of `firewall_status` by its subnet (the
//! idiom of AWS's examples; the Terraform reader evaluates it).

use super::hcl::{Block, Hv};
use super::Tf;
use crate::io::firewall_api::{self, aws_name, TfItem};
use crate::model::*;
use serde_json::Value;

const FIREWALL: &str = "aws_networkfirewall_firewall";
const POLICY: &str = "aws_networkfirewall_firewall_policy";
const GROUP: &str = "aws_networkfirewall_rule_group";

fn exported(tf: &Tf, f: &NetworkFirewall) -> bool {
    tf.plan.in_scope(&f.vpc)
}

/// Names for every firewall that goes out, and every policy and rule group, before routes
/// refer to them.
pub(super) fn assign_names(tf: &mut Tf) {
    let d = tf.d;
    for g in &d.firewall_rule_groups {
        tf.plan.names.assign(&g.id, &g.name, "rule_group");
    }
    for p in &d.firewall_policies {
        tf.plan.names.assign(&p.id, &p.name, "firewall_policy");
    }
    for f in &d.network_firewalls {
        if exported(tf, f) {
            tf.plan.names.assign(&f.id, &f.name, "firewall");
            for e in &f.endpoints {
                tf.firewall_endpoints.insert(e.id.clone(), (f.id.clone(), e.subnet.clone()));
            }
        }
    }
}

/// `<type>.<name>.<attr>` of a firewall resource, or the id itself when it does not go out.
fn attr(tf: &Tf, ty: &str, id: &str, attr: &str) -> Hv {
    match tf.plan.name(id) {
        Some(n) => Hv::Expr(format!("{ty}.{n}.{attr}")),
        None => Hv::s(id),
    }
}

/// The `vpc_endpoint_id` of a route to a firewall endpoint that goes out, if `id` is one.
pub(super) fn endpoint_ref(tf: &Tf, id: &str) -> Option<Hv> {
    let (f, subnet) = tf.firewall_endpoints.get(id)?;
    let n = tf.plan.name(f)?;
    let subnet = match tf.r(subnet) {
        Hv::Expr(x) => x,
        Hv::Str(s) => super::hcl::quote(&s),
        _ => return None,
    };
    Some(Hv::Expr(format!(
        "element([for ss in tolist({FIREWALL}.{n}.firewall_status[0].sync_states) : ss.attachment[0].endpoint_id if ss.attachment[0].subnet_id == {subnet}], 0)"
    )))
}

/// A JSON value as HCL; a rule group reference's `resource_arn` (a design id) as a reference.
fn hv(tf: &Tf, key: &str, v: &Value) -> Hv {
    match v {
        Value::String(s) if key == "resource_arn" => attr(tf, GROUP, s, "arn"),
        Value::String(s) => Hv::s(s.clone()),
        Value::Bool(b) => Hv::Bool(*b),
        Value::Number(n) => Hv::Num(n.as_i64().unwrap_or_default()),
        Value::Array(a) => Hv::List(a.iter().map(|x| hv(tf, key, x)).collect()),
        Value::Object(m) => Hv::Map(m.iter().map(|(k, x)| (k.clone(), hv(tf, k, x))).collect()),
        Value::Null => Hv::Expr("null".into()),
    }
}

fn fill(tf: &Tf, b: &mut Block, items: Vec<TfItem>) {
    for i in items {
        match i {
            TfItem::Attr(k, v) => {
                let x = hv(tf, &k, &v);
                b.set(&k, x);
            }
            TfItem::Block(k, inner) => {
                let mut c = Block::new(&k, &[]);
                fill(tf, &mut c, inner);
                b.child(c);
            }
        }
    }
}

pub(super) fn export(tf: &mut Tf) {
    let d = tf.d;
    let owner_of = |tf: &Tf| d.network_firewalls.iter().find(|f| exported(tf, f)).map(|f| f.vpc.clone());
    for g in &d.firewall_rule_groups {
        let name = tf.name(&g.id);
        let owner = owner_of(tf).unwrap_or_default();
        let mut b = tf.resource(GROUP, &name, &owner);
        let kind = match g.kind {
            RuleGroupKind::Stateless => "STATELESS",
            RuleGroupKind::Stateful => "STATEFUL",
        };
        b.set("name", Hv::s(aws_name(&g.name, "rule-group")))
            .set("type", Hv::s(kind))
            .set("capacity", Hv::Num(i64::from(g.capacity)));
        let mut rg = Block::new("rule_group", &[]);
        fill(tf, &mut rg, firewall_api::to_terraform(&firewall_api::rule_group_to_api(g)));
        b.child(rg);
        tf.push(b);
    }
    for p in &d.firewall_policies {
        let name = tf.name(&p.id);
        let owner = owner_of(tf).unwrap_or_default();
        let mut b = tf.resource(POLICY, &name, &owner);
        b.set("name", Hv::s(aws_name(&p.name, "firewall-policy")));
        let mut fp = Block::new("firewall_policy", &[]);
        let id = |g: &str| Value::String(g.to_string());
        fill(tf, &mut fp, firewall_api::to_terraform(&firewall_api::policy_to_api(p, &id)));
        b.child(fp);
        tf.push(b);
    }
    for f in &d.network_firewalls {
        if !exported(tf, f) {
            continue;
        }
        let name = tf.name(&f.id);
        let mut b = tf.resource(FIREWALL, &name, &f.vpc);
        b.set("name", Hv::s(aws_name(&f.name, "firewall")))
            .set("firewall_policy_arn", attr(tf, POLICY, &f.policy, "arn"))
            .set("vpc_id", tf.r(&f.vpc));
        for e in &f.endpoints {
            let mut m = Block::new("subnet_mapping", &[]);
            m.set("subnet_id", tf.r(&e.subnet));
            b.child(m);
        }
        tf.push(b);
    }
}
