//! Managed services as Terraform: classic load balancers (M6).

use super::hcl::{Block, Hv};
use super::{tags, Tf};
use crate::model::*;

/// `aws_elb`: its listeners' target groups fold back into `listener` blocks (port → instance
/// port) and `instances` (M6).
pub(super) fn classic_load_balancer(tf: &mut Tf, lb: &LoadBalancer, name: &str) {
    let d = tf.d;
    let mut b = tf.resource("aws_elb", name, &lb.id);
    b.set("internal", Hv::Bool(lb.scheme == LoadBalancerScheme::Internal));
    b.set("subnets", Hv::List(lb.nodes.iter().map(|n| tf.r(&n.subnet)).collect()));
    if !lb.security_groups.is_empty() {
        b.set("security_groups", Hv::List(lb.security_groups.iter().map(|g| tf.r(g)).collect()));
    }
    let instances: Vec<Hv> = d.classic_instances(lb).into_iter().map(|i| tf.r(i)).collect();
    if !instances.is_empty() {
        b.set("instances", Hv::List(instances));
    }
    for li in &lb.listeners {
        let instance_port = li.target_group.as_deref().and_then(|t| d.target_group(t)).map_or(li.port, |t| t.port);
        let protocol = if li.protocol == Protocol::Udp { "udp" } else { "tcp" };
        let mut l = Block::new("listener", &[]);
        l.set("lb_port", Hv::Num(li.port.into()))
            .set("lb_protocol", Hv::s(protocol))
            .set("instance_port", Hv::Num(instance_port.into()))
            .set("instance_protocol", Hv::s(protocol));
        b.child(l);
    }
    b.set("tags", tags(&lb.name));
    tf.push(b);
}
