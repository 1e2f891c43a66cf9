//! Large synthetic designs for benchmarks and scale tests (`vpcraft gen`).
//!
//! Proportions follow a typical multi-account estate: per VPC three AZs with a public and a
//! private /24 each, a public table and one private table per AZ, an IGW, a NAT gateway,
//! two to four instances, a few security groups; every other VPC has an S3 gateway endpoint,
//! every fifth an interface endpoint, and VPCs are peered with a neighbour. Ids are assigned
//! directly so generation is linear in size.

use super::*;
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// A small deterministic pseudo-random generator (64-bit LCG), so the same seed always gives
/// the same design without a dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 {
            0
        } else {
            self.next() % n
        }
    }
}

fn addr(base: u32, off: u32) -> Ipv4Addr {
    Ipv4Addr::from(base.wrapping_add(off))
}

fn net(base: u32, len: u8) -> Ipv4Net {
    Ipv4Net::new(Ipv4Addr::from(base), len).map(|n| n.trunc()).unwrap_or_default()
}

/// The most VPCs [`generate`] makes (ids keep five digits well below this).
pub const MAX_VPCS: usize = 16_384;

/// VPCs per estate: one /20 of 10.0.0.0/8 each.
const ESTATE: usize = 4096;

/// The base address of VPC `v`'s /20: the `v % 4096`-th /20 of 10.0.0.0/8. Beyond 4,096 VPCs
/// the blocks repeat, as separate estates reuse 10.0.0.0/8; a VPC is only peered with one
/// 5 places before it, whose block is never its own, so no peering overlaps (P2).
fn vpc_base(v: usize) -> u32 {
    u32::from(Ipv4Addr::new(10, 0, 0, 0)) + (((v % ESTATE) as u32) << 12)
}

/// Generate a design with `vpcs` VPCs (at most [`MAX_VPCS`]; each takes a /20 of 10.0.0.0/8,
/// the first 4,096 distinct ones). Linear in size.
pub fn generate(vpcs: usize, seed: u64) -> Design {
    let vpcs = vpcs.min(MAX_VPCS);
    let mut rng = Lcg(seed ^ 0x5eed);
    let regions = ["ap-northeast-2", "ap-northeast-1", "us-east-1", "us-west-2", "eu-west-1"];
    let mut d = Design::new(format!("generated-{vpcs}"), regions[0]);
    d.description = format!("Synthetic design: {vpcs} VPCs, seed {seed}");
    let catalog = ServiceCatalog::builtin();
    let mut pub_ip: u32 = u32::from(Ipv4Addr::new(3, 34, 0, 10));
    let mut next_public = || {
        pub_ip += 1;
        Ipv4Addr::from(pub_ip)
    };
    // Where each VPC's route tables start in `d.route_tables`.
    let mut rt_start: Vec<usize> = Vec::with_capacity(vpcs + 1);
    for v in 0..vpcs {
        let region = regions[v % regions.len()];
        let azs = catalog.azs(region);
        let base = vpc_base(v);
        let vpc_id = format!("vpc-{v:05}");
        let cidr = net(base, 20);
        let mut vpc = Vpc::new(vpc_id.clone(), format!("vpc-{region}-{v}"), region, cidr);
        vpc.enable_dns_hostnames = true;
        d.vpcs.push(vpc);
        // Companions, with direct ids.
        let mut main = RouteTable::new(format!("rtb-{v:05}-main"), format!("vpc{v}-main"), vpc_id.clone(), [cidr]);
        main.main = true;
        d.network_acls.push(NetworkAcl::new_default(format!("acl-{v:05}"), format!("vpc{v}-default"), vpc_id.clone()));
        let default_sg = format!("sg-{v:05}-default");
        let mut g = SecurityGroup::new(default_sg.clone(), "default", vpc_id.clone());
        g.is_default = true;
        g.ingress.push(SgRule::allow_all_to(SgPeer::group(default_sg.clone())));
        d.security_groups.push(g);
        let web_sg = format!("sg-{v:05}-web");
        let mut w = SecurityGroup::new(web_sg.clone(), format!("vpc{v}-web"), vpc_id.clone());
        w.ingress.push(SgRule::tcp(443, SgPeer::any_ipv4()));
        w.ingress.push(SgRule::tcp(80, SgPeer::any_ipv4()));
        d.security_groups.push(w);
        let app_sg = format!("sg-{v:05}-app");
        let mut a = SecurityGroup::new(app_sg.clone(), format!("vpc{v}-app"), vpc_id.clone());
        a.ingress.push(SgRule::tcp(8080, SgPeer::group(web_sg.clone())));
        a.ingress.push(SgRule::tcp(22, SgPeer::Cidr(cidr.into())));
        d.security_groups.push(a);

        let igw = format!("igw-{v:05}");
        d.internet_gateways.push(InternetGateway {
            id: igw.clone(),
            name: format!("vpc{v}-igw"),
            vpc: Some(vpc_id.clone()),
        });
        let mut pub_rt = RouteTable::new(format!("rtb-{v:05}-pub"), format!("vpc{v}-public"), vpc_id.clone(), [cidr]);
        pub_rt.routes.push(Route::to_cidr(Ipv4Net::default(), RouteTarget::InternetGateway(igw.clone())));
        let nat = format!("nat-{v:05}");
        let mut private_tables = Vec::new();
        for (z, az) in azs.iter().take(3).enumerate() {
            let pub_sn = format!("subnet-{v:05}-pub{z}");
            let pvt_sn = format!("subnet-{v:05}-pvt{z}");
            let pub_base = base + ((z as u32) << 8);
            let pvt_base = base + (((z + 8) as u32) << 8);
            let mut s = Subnet::new(
                pub_sn.clone(),
                format!("vpc{v}-public-{z}"),
                vpc_id.clone(),
                net(pub_base, 24),
                az.clone(),
            );
            s.map_public_ip_on_launch = true;
            d.subnets.push(s);
            d.subnets.push(Subnet::new(
                pvt_sn.clone(),
                format!("vpc{v}-private-{z}"),
                vpc_id.clone(),
                net(pvt_base, 24),
                az.clone(),
            ));
            pub_rt.subnets.push(pub_sn.clone());
            let mut prt =
                RouteTable::new(format!("rtb-{v:05}-pvt{z}"), format!("vpc{v}-private-{z}"), vpc_id.clone(), [cidr]);
            prt.routes.push(Route::to_cidr(Ipv4Net::default(), RouteTarget::NatGateway(nat.clone())));
            prt.subnets.push(pvt_sn.clone());
            private_tables.push(prt);
            if z == 0 {
                let eip = format!("eipalloc-{v:05}");
                d.elastic_ips.push(ElasticIp {
                    id: eip.clone(),
                    name: format!("vpc{v}-nat-eip"),
                    public_ip: next_public(),
                    placeholder: false,
                });
                d.nat_gateways.push(NatGateway {
                    id: nat.clone(),
                    name: format!("vpc{v}-nat"),
                    subnet: Some(pub_sn.clone()),
                    connectivity: NatConnectivity::Public,
                    private_ip: Some(addr(pub_base, 5)),
                    eip: Some(eip),
                    state: NatState::Available,
                    ..Default::default()
                });
            }
            // Instances: a web server in some public subnets, app servers in private ones.
            let n_app = 1 + rng.below(2) as u32;
            if z == 0 || rng.below(3) == 0 {
                let id = format!("i-{v:05}-web{z}");
                push_instance(
                    &mut d,
                    &id,
                    &format!("vpc{v}-web-{z}"),
                    &pub_sn,
                    addr(pub_base, 10),
                    &web_sg,
                    Some(next_public()),
                );
            }
            for k in 0..n_app {
                if z > 0 && k > 0 {
                    continue;
                }
                let id = format!("i-{v:05}-app{z}{k}");
                push_instance(
                    &mut d,
                    &id,
                    &format!("vpc{v}-app-{z}-{k}"),
                    &pvt_sn,
                    addr(pvt_base, 10 + k),
                    &app_sg,
                    None,
                );
            }
        }
        if v % 2 == 0 {
            if let Some(svc) = catalog.service(region, "s3") {
                let ep = format!("vpce-{v:05}-s3");
                let pl = svc.prefix_list_id.clone().unwrap_or_default();
                for t in &mut private_tables {
                    t.routes.push(Route::gateway_endpoint(pl.clone(), ep.clone()));
                }
                d.endpoints.push(VpcEndpoint {
                    id: ep,
                    name: format!("vpc{v}-s3"),
                    vpc: vpc_id.clone(),
                    kind: EndpointKind::Gateway,
                    service_name: svc.service_name.clone(),
                    state: EndpointState::Available,
                    route_tables: private_tables.iter().map(|t| t.id.clone()).collect(),
                    interfaces: Vec::new(),
                    security_groups: Vec::new(),
                    private_dns_enabled: false,
                    dns_suffix: String::new(),
                });
            }
        }
        if v % 5 == 0 {
            let pvt0 = format!("subnet-{v:05}-pvt0");
            let pvt_base = base + (8u32 << 8);
            d.endpoints.push(VpcEndpoint {
                id: format!("vpce-{v:05}-sts"),
                name: format!("vpc{v}-sts"),
                vpc: vpc_id.clone(),
                kind: EndpointKind::Interface,
                service_name: format!("com.amazonaws.{region}.sts"),
                state: EndpointState::Available,
                route_tables: Vec::new(),
                interfaces: vec![EndpointInterface {
                    subnet: pvt0,
                    ip: addr(pvt_base, 50),
                    eni: None,
                    placeholder: false,
                }],
                security_groups: vec![default_sg.clone()],
                private_dns_enabled: true,
                dns_suffix: format!("{:08x}", rng.next() as u32),
            });
        }
        rt_start.push(d.route_tables.len());
        d.route_tables.push(main);
        d.route_tables.push(pub_rt);
        d.route_tables.extend(private_tables);
        // Peer with the previous VPC of the same region, both sides routed.
        if v >= regions.len() && v % 3 == 0 {
            let peer = v - regions.len();
            let pcx = format!("pcx-{v:05}");
            d.peerings.push(VpcPeering {
                id: pcx.clone(),
                name: format!("vpc{peer}-vpc{v}"),
                requester_vpc: format!("vpc-{peer:05}"),
                accepter_vpc: vpc_id.clone(),
                status: PeeringStatus::Active,
                allow_dns_resolution: false,
            });
            let peer_cidr = net(vpc_base(peer), 20);
            // Each VPC's tables are one run of the list: this VPC's is the last, its peer's
            // starts at `rt_start[peer]`, so only those two runs are visited.
            let tables = d.route_tables.len();
            let runs = [(rt_start[v], tables, peer_cidr), (rt_start[peer], rt_start[peer + 1], cidr)];
            for (from, to, dest) in runs {
                for t in d.route_tables[from..to].iter_mut().filter(|t| !t.main) {
                    t.routes.push(Route::to_cidr(dest, RouteTarget::VpcPeering(pcx.clone())));
                }
            }
        }
    }
    d
}

/// [`generate`] made dual-stack, as the Terraform VPC module's one flag does: each VPC gets a
/// /56 (from 2600:1f00::/32, one per VPC so they never overlap, A7), each subnet the /64 of its
/// IPv4 /24's index with `assign_ipv6_address_on_creation`, and an egress-only internet
/// gateway; public tables route `::/0` to the internet gateway, private tables to the
/// egress-only one (I5); the default NACL and group get AWS's IPv6 rules (L4, S4), the web group
/// admits 443 and 80 from `::/0`, the instances an IPv6 address. Linear in size, like
/// [`generate`], whose IPv4 design it leaves as it was.
pub fn generate_dual_stack(vpcs: usize, seed: u64) -> Design {
    use ipnet::{IpNet, Ipv6Net};
    use std::collections::HashMap;
    use std::net::Ipv6Addr;
    let mut d = generate(vpcs, seed);
    d.description = format!("{} (dual-stack)", d.description);
    let block = |v: usize| (0x2600_1f00u128 << 96) | ((v as u128) << 72);
    let vpc_ix: HashMap<String, usize> = d.vpcs.iter().enumerate().map(|(i, v)| (v.id.clone(), i)).collect();
    for (v, vpc) in d.vpcs.iter_mut().enumerate() {
        let cidr = Ipv6Net::new(Ipv6Addr::from(block(v)), 56).unwrap_or_default();
        vpc.ipv6_cidr_blocks.push(Ipv6CidrBlock::amazon(cidr));
        d.egress_only_internet_gateways.push(EgressOnlyInternetGateway {
            id: format!("eigw-{v:05}"),
            name: format!("vpc{v}-eigw"),
            vpc: vpc.id.clone(),
        });
    }
    // A subnet's /64 is the index of its /24 inside the VPC's /20.
    let mut subnet_v6: HashMap<String, u128> = HashMap::new();
    for s in &mut d.subnets {
        let (Some(&v), Some(c)) = (vpc_ix.get(&s.vpc), s.cidr) else { continue };
        let index = (u32::from(c.network()) >> 8) & 0xf;
        let base = block(v) | (u128::from(index) << 64);
        s.ipv6_cidr = Ipv6Net::new(Ipv6Addr::from(base), 64).ok();
        s.assign_ipv6_address_on_creation = true;
        subnet_v6.insert(s.id.clone(), base);
    }
    let any6 = IpNet::V6(Ipv6Net::default());
    for t in &mut d.route_tables {
        let Some(&v) = vpc_ix.get(&t.vpc) else { continue };
        t.routes.push(Route::local(Ipv6Net::new(Ipv6Addr::from(block(v)), 56).unwrap_or_default()));
        if t.main {
            continue;
        }
        let target = if t.routes.iter().any(|r| matches!(r.target, RouteTarget::InternetGateway(_))) {
            RouteTarget::InternetGateway(format!("igw-{v:05}"))
        } else {
            RouteTarget::EgressOnlyInternetGateway(format!("eigw-{v:05}"))
        };
        t.routes.push(Route::to_cidr(any6, target));
    }
    for a in d.network_acls.iter_mut().filter(|a| a.is_default) {
        for egress in [false, true] {
            a.entries.push(NaclEntry {
                rule_number: 101,
                egress,
                action: RuleAction::Allow,
                protocol: Protocol::All,
                ports: PortSpec::All,
                cidr: any6,
            });
        }
    }
    for g in &mut d.security_groups {
        if g.is_default {
            g.egress.push(SgRule::allow_all_to(SgPeer::any_ipv6()));
        } else if g.id.ends_with("-web") {
            g.ingress.push(SgRule::tcp(443, SgPeer::any_ipv6()));
            g.ingress.push(SgRule::tcp(80, SgPeer::any_ipv6()));
            g.egress.push(SgRule::allow_all_to(SgPeer::any_ipv6()));
        } else {
            g.egress.push(SgRule::allow_all_to(SgPeer::any_ipv6()));
        }
    }
    for e in &mut d.network_interfaces {
        if let Some(&base) = subnet_v6.get(&e.subnet) {
            let host = e.private_ips.first().map_or(10, |a| u128::from(a.octets()[3]));
            e.ipv6_addresses.push(Ipv6Addr::from(base | host));
        }
    }
    d
}

fn push_instance(d: &mut Design, id: &str, name: &str, subnet: &str, ip: Ipv4Addr, sg: &str, public: Option<Ipv4Addr>) {
    d.instances.push(Instance {
        id: id.to_string(),
        name: name.to_string(),
        instance_type: "t3.small".into(),
        state: InstanceState::Running,
        role: String::new(),
    });
    let mut nic =
        NetworkInterface::new(format!("eni-{}", id.trim_start_matches("i-")), format!("{name}-eth0"), subnet, ip);
    nic.instance = Some(id.to_string());
    nic.security_groups = vec![sg.to_string()];
    nic.public_ip = public;
    d.network_interfaces.push(nic);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_design_is_consistent_and_deterministic() {
        let a = generate(40, 7);
        let b = generate(40, 7);
        assert_eq!(a, b);
        assert_eq!(a.vpcs.len(), 40);
        assert_eq!(a.subnets.len(), 240);
        let text = crate::io::native::to_string(&a).unwrap();
        crate::io::native::load_str(&text, std::path::Path::new("gen.ron")).unwrap();
    }

    #[test]
    fn past_4096_vpcs_blocks_repeat_but_no_peering_overlaps() {
        let d = generate(4200, 1);
        assert_eq!(d.vpcs.len(), 4200);
        assert_eq!(d.vpcs[4096].cidr, d.vpcs[0].cidr);
        let cidr = |id: &str| d.vpcs.iter().find(|v| v.id == id).map(|v| v.cidr);
        for p in d.peerings.iter().filter(|p| p.accepter_vpc.as_str() >= "vpc-04096") {
            assert_ne!(cidr(&p.requester_vpc), cidr(&p.accepter_vpc), "{}", p.id);
        }
        // Both sides of a peering route to it from their non-main tables.
        let p = d.peerings.last().unwrap();
        for t in d.route_tables.iter().filter(|t| !t.main && (t.vpc == p.requester_vpc || t.vpc == p.accepter_vpc)) {
            let target = RouteTarget::VpcPeering(p.id.clone());
            assert_eq!(t.routes.iter().filter(|r| r.target == target).count(), 1, "{}", t.id);
        }
    }
}
