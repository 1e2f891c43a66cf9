//! VPCs, subnets, gateways and route tables.

use super::hcl::{Block, Hv};
use super::{keep, tags, Tf};
use crate::model::*;

/// VPCs, subnets, gateways and route tables.
pub fn export(tf: &mut Tf) {
    vpcs(tf);
    subnets(tf);
    gateways(tf);
    route_tables(tf);
}

fn vpcs(tf: &mut Tf) {
    let d = tf.d;
    for v in keep(d.vpcs.iter(), |v| tf.has(&v.id)) {
        let name = tf.name(&v.id);
        let mut b = tf.resource("aws_vpc", &name, &v.id);
        b.set("cidr_block", Hv::s(v.cidr.to_string()))
            .set("enable_dns_support", Hv::Bool(v.enable_dns_support))
            .set("enable_dns_hostnames", Hv::Bool(v.enable_dns_hostnames));
        // A7: the first IPv6 block on the VPC itself, the others as associations.
        for (k, blk) in v.ipv6_cidr_blocks.iter().enumerate() {
            let mut assoc;
            let target = if k == 0 {
                &mut b
            } else {
                let n = tf.fresh(&format!("{name}_ipv6_{}", k + 1), "ipv6");
                assoc = tf.resource("aws_vpc_ipv6_cidr_block_association", &n, &v.id);
                assoc.set("vpc_id", tf.r(&v.id));
                &mut assoc
            };
            match &blk.pool {
                Ipv6Pool::Amazon => {
                    target.set("assign_generated_ipv6_cidr_block", Hv::Bool(true));
                    if !blk.placeholder {
                        tf.note(format!(
                            "{}: AWS picks the IPv6 block; the design's {} cannot be requested",
                            v.name, blk.cidr
                        ));
                    }
                }
                Ipv6Pool::Byoip(pool) | Ipv6Pool::Ipam(pool) => {
                    target.set("ipv6_ipam_pool_id", Hv::s(pool)).set("ipv6_cidr_block", Hv::s(blk.cidr.to_string()));
                }
            }
            if k > 0 {
                let a = std::mem::replace(target, Block::new("resource", &[]));
                tf.push(a);
            }
        }
        b.set("tags", tags(&v.name));
        tf.push(b);
        for (k, c) in v.secondary_cidrs.iter().enumerate() {
            let n = tf.fresh(&format!("{name}_cidr_{}", k + 2), "cidr");
            let mut b = tf.resource("aws_vpc_ipv4_cidr_block_association", &n, &v.id);
            b.set("vpc_id", tf.r(&v.id)).set("cidr_block", Hv::s(c.to_string()));
            tf.push(b);
        }
    }
}

fn subnets(tf: &mut Tf) {
    let d = tf.d;
    for s in keep(d.subnets.iter(), |s| tf.has(&s.id)) {
        let name = tf.name(&s.id);
        let mut b = tf.resource("aws_subnet", &name, &s.id);
        b.set("vpc_id", tf.r(&s.vpc));
        if let Some(c) = s.cidr {
            b.set("cidr_block", Hv::s(c.to_string()));
        }
        b.set("availability_zone", Hv::s(&s.az));
        if s.map_public_ip_on_launch {
            b.set("map_public_ip_on_launch", Hv::Bool(true));
        }
        ipv6_subnet(tf, s, &mut b);
        b.set("tags", tags(&s.name));
        // A subnet in a secondary block waits for the block's association.
        if let Some(v) = tf.ix.vpc(&s.vpc) {
            let vn = tf.name(&v.id);
            let deps: Vec<Hv> = v
                .secondary_cidrs
                .iter()
                .enumerate()
                .filter(|(_, c)| s.cidr.is_some_and(|sc| c.contains(&sc.network())))
                .map(|(k, _)| Hv::Expr(format!("aws_vpc_ipv4_cidr_block_association.{vn}_cidr_{}", k + 2)))
                .collect();
            if !deps.is_empty() {
                b.set("depends_on", Hv::List(deps));
            }
        }
        tf.push(b);
    }
}

/// A subnet's IPv6 in the usual idiom, `cidrsubnet(aws_vpc.x.ipv6_cidr_block, 8, n)`, so the
/// slot survives AWS picking the /56; IPv6-only and DNS options.
fn ipv6_subnet(tf: &mut Tf, s: &Subnet, b: &mut Block) {
    if let Some(c) = s.ipv6_cidr {
        let first = tf.d.vpc(&s.vpc).and_then(|v| v.ipv6_cidrs().next());
        let slot = first
            .filter(|blk| blk.contains(&c))
            .and_then(|blk| Some((crate::net::index_in_block(blk, c)?, c.prefix_len().checked_sub(blk.prefix_len())?)));
        match (slot, tf.address(&s.vpc)) {
            (Some((n, bits)), Some(vpc)) => {
                b.set("ipv6_cidr_block", Hv::Expr(format!("cidrsubnet({vpc}.ipv6_cidr_block, {bits}, {n})")))
            }
            _ => b.set("ipv6_cidr_block", Hv::s(c.to_string())),
        };
    }
    if s.is_ipv6_only() {
        b.set("ipv6_native", Hv::Bool(true));
    }
    if s.assign_ipv6_address_on_creation {
        b.set("assign_ipv6_address_on_creation", Hv::Bool(true));
    }
    if s.enable_dns64 {
        b.set("enable_dns64", Hv::Bool(true));
    }
    if s.hostname_type == HostnameType::ResourceName {
        b.set("private_dns_hostname_type_on_launch", Hv::s("resource-name"));
    }
    if s.resource_name_dns_a_record {
        b.set("enable_resource_name_dns_a_record_on_launch", Hv::Bool(true));
    }
    if s.resource_name_dns_aaaa_record {
        b.set("enable_resource_name_dns_aaaa_record_on_launch", Hv::Bool(true));
    }
}

fn gateways(tf: &mut Tf) {
    let d = tf.d;
    for g in keep(d.internet_gateways.iter(), |g| tf.has(&g.id)) {
        let mut b = tf.resource("aws_internet_gateway", &tf.name(&g.id), &g.id);
        if let Some(v) = &g.vpc {
            b.set("vpc_id", tf.r(v));
        }
        b.set("tags", tags(&g.name));
        tf.push(b);
    }
    for g in keep(d.egress_only_internet_gateways.iter(), |g| tf.has(&g.id)) {
        let mut b = tf.resource("aws_egress_only_internet_gateway", &tf.name(&g.id), &g.id);
        b.set("vpc_id", tf.r(&g.vpc)).set("tags", tags(&g.name));
        tf.push(b);
    }
    for g in keep(d.vpn_gateways.iter(), |g| tf.has(&g.id)) {
        let mut b = tf.resource("aws_vpn_gateway", &tf.name(&g.id), &g.id);
        if let Some(v) = &g.vpc {
            b.set("vpc_id", tf.r(v));
        }
        b.set("amazon_side_asn", Hv::Num(i64::from(g.asn))).set("tags", tags(&g.name));
        tf.push(b);
    }
}

fn skipped(r: &Route) -> bool {
    r.is_local() || matches!(r.origin, RouteOrigin::Local | RouteOrigin::Propagated | RouteOrigin::EndpointManaged)
}

fn route_tables(tf: &mut Tf) {
    let d = tf.d;
    for rt in keep(d.route_tables.iter(), |t| tf.plan.in_scope(&t.id)) {
        let base = if rt.main {
            format!("{}_main", tf.name(&rt.vpc))
        } else {
            let name = tf.name(&rt.id);
            let mut b = tf.resource("aws_route_table", &name, &rt.id);
            b.set("vpc_id", tf.r(&rt.vpc)).set("tags", tags(&rt.name));
            tf.push(b);
            name
        };
        for r in rt.routes.iter().filter(|r| !skipped(r)) {
            route(tf, rt, &base, r);
        }
        for s in &rt.subnets {
            let n = tf.fresh(&format!("{}_{}", base, tf.name(s)), "association");
            let mut b = tf.resource("aws_route_table_association", &n, &rt.id);
            b.set("subnet_id", tf.r(s)).set("route_table_id", tf.r(&rt.id));
            tf.push(b);
        }
        for g in &rt.gateways {
            let n = tf.fresh(&format!("{base}_edge"), "association");
            let mut b = tf.resource("aws_route_table_association", &n, &rt.id);
            b.set("gateway_id", tf.r(g)).set("route_table_id", tf.r(&rt.id));
            tf.push(b);
        }
        for g in &rt.propagating_vgws {
            let n = tf.fresh(&format!("{base}_propagation"), "propagation");
            let mut b = tf.resource("aws_vpn_gateway_route_propagation", &n, &rt.id);
            b.set("vpn_gateway_id", tf.r(g)).set("route_table_id", tf.r(&rt.id));
            tf.push(b);
        }
    }
}

fn route(tf: &mut Tf, rt: &RouteTable, base: &str, r: &Route) {
    if r.state == RouteState::Blackhole {
        tf.note(format!(
            "{}: the blackhole route {} → {} cannot be declared; left out",
            rt.name, r.destination, r.target
        ));
        return;
    }
    let (key, target) = match &r.target {
        RouteTarget::Local => return,
        RouteTarget::InternetGateway(g) | RouteTarget::VpnGateway(g) => ("gateway_id", tf.r(g)),
        RouteTarget::EgressOnlyInternetGateway(g) => ("egress_only_gateway_id", tf.r(g)),
        RouteTarget::NatGateway(n) => ("nat_gateway_id", tf.r(n)),
        RouteTarget::Instance(i) => match tf.address(i) {
            Some(a) => ("network_interface_id", Hv::Expr(format!("{a}.primary_network_interface_id"))),
            None => ("network_interface_id", Hv::s(i)),
        },
        RouteTarget::NetworkInterface(e) => ("network_interface_id", tf.r(e)),
        RouteTarget::VpcPeering(p) => ("vpc_peering_connection_id", tf.r(p)),
        RouteTarget::GatewayEndpoint(e) => {
            ("vpc_endpoint_id", super::firewall::endpoint_ref(tf, e).unwrap_or_else(|| tf.r(e)))
        }
        RouteTarget::TransitGateway(t) => ("transit_gateway_id", tf.r(t)),
        RouteTarget::Unknown(id) => {
            tf.note(format!(
                "{}: route {} → {id}: a target Terraform cannot name here; left out",
                rt.name, r.destination
            ));
            return;
        }
    };
    let n = tf.fresh(&format!("{base}_route"), "route");
    let mut b: Block = tf.resource("aws_route", &n, &rt.id);
    b.set("route_table_id", tf.r(&rt.id));
    match &r.destination {
        // R3: an IPv6 route has its own destination argument.
        RouteDestination::Cidr(c) if c.addr().is_ipv6() => b.set("destination_ipv6_cidr_block", Hv::s(c.to_string())),
        RouteDestination::Cidr(c) => b.set("destination_cidr_block", Hv::s(c.to_string())),
        RouteDestination::PrefixList(pl) => b.set("destination_prefix_list_id", tf.r(pl)),
    };
    b.set(key, target);
    // Routes to a transit gateway wait for the VPC's attachment.
    if let RouteTarget::TransitGateway(t) = &r.target {
        let deps: Vec<Hv> =
            tf.d.tgw_attachments
                .iter()
                .filter(|a| &a.tgw == t && matches!(&a.kind, TgwAttachmentKind::Vpc { vpc, .. } if *vpc == rt.vpc))
                .filter_map(|a| tf.address(&a.id))
                .map(Hv::Expr)
                .collect();
        if !deps.is_empty() {
            b.set("depends_on", Hv::List(deps));
        }
    }
    tf.push(b);
}
