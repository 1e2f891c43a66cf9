//! Managed services as CloudFormation: classic load balancers (M6).

use super::{name_tag, Cfn};
use crate::model::*;
use serde_json::{json, Value};

/// `AWS::ElasticLoadBalancing::LoadBalancer`: its listeners' target groups fold back into
/// `Listeners` (port → instance port) and `Instances` (M6).
pub(super) fn classic_load_balancer(cx: &mut Cfn, lb: &LoadBalancer, logical: &str) {
    let d = cx.d;
    let subnets: Vec<Value> = lb.nodes.iter().map(|n| cx.r(&n.subnet)).collect();
    let mut p = json!({ "Subnets": subnets, "Tags": name_tag(&lb.name) });
    if lb.scheme == LoadBalancerScheme::Internal {
        p["Scheme"] = json!("internal");
    }
    if !lb.security_groups.is_empty() {
        p["SecurityGroups"] = json!(lb.security_groups.iter().map(|g| cx.r(g)).collect::<Vec<_>>());
    }
    let listeners: Vec<Value> = lb
        .listeners
        .iter()
        .map(|li| {
            let instance_port = li.target_group.as_deref().and_then(|t| d.target_group(t)).map_or(li.port, |t| t.port);
            let protocol = if li.protocol == Protocol::Udp { "UDP" } else { "TCP" };
            json!({
                "LoadBalancerPort": li.port.to_string(),
                "InstancePort": instance_port.to_string(),
                "Protocol": protocol,
            })
        })
        .collect();
    p["Listeners"] = json!(listeners);
    let instances: Vec<Value> = d.classic_instances(lb).into_iter().map(|i| cx.r(i)).collect();
    if !instances.is_empty() {
        p["Instances"] = json!(instances);
    }
    cx.add(logical, "AWS::ElasticLoadBalancing::LoadBalancer", p);
}
