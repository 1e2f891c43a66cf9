//! The IPv6 ops (issue 14): blocks, dual-stack and IPv6-only subnets, DNS64, interface
//! addresses, IPv6 support on transit gateway attachments. AWS's rules for them (A7, I5, L4,
//! S4) live once, in `model::ipv6`; here they are checked by applying the change to a copy
//! of the design, so the dry run refuses exactly what the commit would.

use super::common::Cx;
use super::{Applied, Op, OpError, Prepare};
use crate::model::edit::EditError;
use crate::model::*;

use ResourceKind as RK;

/// A change made the way the model's IPv6 functions make it: on the dry run's copy, then on
/// the design.
type Change = Box<dyn Fn(&mut Design) -> Result<Applied, EditError>>;

pub(super) fn prepare(mut cx: Cx<'_>, op: &Op) -> Prepare {
    let change: Change = match op {
        Op::AddVpcIpv6Block { vpc, cidr, pool } => {
            let Some(v) = cx.id(vpc, RK::Vpc, "vpc") else { return cx.stop() };
            let (c, pool) = (*cidr, pool.clone());
            Box::new(move |d| {
                d.add_vpc_ipv6_block(&v, c, pool.clone())?;
                Ok(Applied { created: None, touched: vec![v.clone()] })
            })
        }
        Op::SetSubnetIpv6 { subnet, cidr, assign_on_creation } => {
            let Some(s) = cx.id(subnet, RK::Subnet, "subnet") else { return cx.stop() };
            let (c, assign) = (*cidr, *assign_on_creation);
            Box::new(move |d| {
                d.set_subnet_ipv6(&s, c)?;
                if let Some(x) = d.subnets.iter_mut().find(|x| x.id == s) {
                    x.assign_ipv6_address_on_creation = assign;
                }
                Ok(Applied { created: None, touched: vec![s.clone()] })
            })
        }
        Op::AddIpv6OnlySubnet { vpc, name, az, cidr, dns64 } => {
            let Some(v) = cx.id(vpc, RK::Vpc, "vpc") else { return cx.stop() };
            cx.name(RK::Subnet, name, Some(&v), None);
            let region = cx.d.vpc(&v).map(|x| x.region.clone()).unwrap_or_default();
            let az = if az.len() <= 2 { format!("{region}{az}") } else { az.clone() };
            let (name, c, dns64) = (name.clone(), *cidr, *dns64);
            Box::new(move |d| {
                let id = d.new_id(RK::Subnet);
                // A placeholder first, so set_subnet_ipv6 applies A7 to the real block.
                let mut s = Subnet::ipv6_only(id.clone(), name.clone(), v.clone(), Default::default(), az.clone());
                s.ipv6_cidr = None;
                s.enable_dns64 = dns64;
                d.subnets.push(s);
                if let Err(e) = d.set_subnet_ipv6(&id, c) {
                    d.subnets.retain(|x| x.id != id);
                    return Err(e);
                }
                Ok(Applied { created: Some(id.clone()), touched: vec![id] })
            })
        }
        Op::SetSubnetDns64 { subnet, enabled } => {
            let Some(s) = cx.id(subnet, RK::Subnet, "subnet") else { return cx.stop() };
            let on = *enabled;
            Box::new(move |d| {
                if let Some(x) = d.subnets.iter_mut().find(|x| x.id == s) {
                    x.enable_dns64 = on;
                }
                Ok(Applied { created: None, touched: vec![s.clone()] })
            })
        }
        Op::AddInstanceIpv6 { instance, address } => {
            // An interface may be named too: the address goes on it rather than the primary.
            let Some((kind, i)) = cx.any_id(instance, &[RK::Instance, RK::NetworkInterface], "instance") else {
                return cx.stop();
            };
            let Some(eni) = cx.interface_of(kind, &i, "instance") else { return cx.stop() };
            let a = *address;
            Box::new(move |d| {
                d.add_ipv6_address(&eni, a)?;
                Ok(Applied { created: None, touched: vec![eni.clone()] })
            })
        }
        Op::RemoveVpcIpv6Block { vpc, cidr } => {
            let Some(v) = cx.id(vpc, RK::Vpc, "vpc") else { return cx.stop() };
            let c = *cidr;
            Box::new(move |d| {
                d.remove_vpc_ipv6_block(&v, c)?;
                Ok(Applied { created: None, touched: vec![v.clone()] })
            })
        }
        Op::RemoveSubnetIpv6 { subnet } => {
            let Some(s) = cx.id(subnet, RK::Subnet, "subnet") else { return cx.stop() };
            Box::new(move |d| {
                d.remove_subnet_ipv6(&s)?;
                Ok(Applied { created: None, touched: vec![s.clone()] })
            })
        }
        Op::SetIpv6Addresses { resource, addresses } => {
            let Some((kind, id)) = cx.any_id(resource, &[RK::Instance, RK::NetworkInterface], "resource") else {
                return cx.stop();
            };
            let Some(eni) = cx.interface_of(kind, &id, "resource") else { return cx.stop() };
            let a = addresses.clone();
            Box::new(move |d| {
                d.set_ipv6_addresses(&eni, &a)?;
                Ok(Applied { created: None, touched: vec![eni.clone()] })
            })
        }
        Op::SetTgwAttachmentIpv6 { attachment, enabled } => {
            let Some(a) = cx.id(attachment, RK::TgwAttachment, "attachment") else { return cx.stop() };
            let on = *enabled;
            Box::new(move |d| {
                if let Some(x) = d.tgw_attachments.iter_mut().find(|x| x.id == a) {
                    x.ipv6_support = on;
                }
                Ok(Applied { created: None, touched: vec![a.clone()] })
            })
        }
        _ => return Err(vec![OpError::invalid("", None, "not an IPv6 op")]),
    };
    if !cx.ok() {
        return cx.stop();
    }
    // The dry run: the model's functions check A7/I5 as they change; a refusal on the copy is
    // the op's refusal, and the commit makes the same change to the design it was checked on.
    let mut copy = cx.d.clone();
    if let Err(e) = change(&mut copy) {
        cx.refuse(OpError::from(e));
    }
    // The default security group too: a VPC's first IPv6 block gives it the ::/0 egress rule
    // (S4), which an undo must take back.
    let touches = [
        RK::Vpc,
        RK::Subnet,
        RK::RouteTable,
        RK::NetworkAcl,
        RK::SecurityGroup,
        RK::NetworkInterface,
        RK::TgwAttachment,
    ];
    cx.finish(&touches, move |d| change(d).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::super::{Direction, PeerSpec, Ref};
    use super::*;
    use crate::rules::Rule;
    use ipnet::IpNet;

    fn n(s: &str) -> Ref {
        Ref::name(s)
    }

    fn instance(name: &str, subnet: &str, private_ip: Option<&str>) -> Op {
        Op::AddInstance {
            name: name.into(),
            subnet: n(subnet),
            private_ip: private_ip.map(|p| p.parse().unwrap()),
            groups: vec![],
            public_ip: None,
            role: String::new(),
            instance_type: None,
            state: InstanceState::Running,
            source_dest_check: true,
        }
    }

    /// VPC `a` (10.0.0.0/16 and an Amazon /56 stand-in) with dual-stack subnet `s`.
    fn dual() -> Design {
        let mut d = Design::new("t", "ap-northeast-2");
        for op in [
            Op::AddVpc {
                name: "a".into(),
                cidr: "10.0.0.0/16".parse().unwrap(),
                region: None,
                dns_hostnames: true,
                dns_support: true,
                secondary_cidrs: vec![],
            },
            Op::AddVpcIpv6Block { vpc: n("a"), cidr: None, pool: Ipv6Pool::Amazon },
            Op::AddSubnet {
                vpc: n("a"),
                name: "s".into(),
                cidr: "10.0.0.0/24".parse().unwrap(),
                az: "a".into(),
                public_ip_on_launch: false,
                route_table: None,
                network_acl: None,
            },
            Op::SetSubnetIpv6 { subnet: n("s"), cidr: None, assign_on_creation: true },
        ] {
            d.apply(&op).unwrap_or_else(|e| panic!("{op:?}: {e}"));
        }
        d
    }

    /// S4: the first block gives the default group its ::/0 egress rule; what the op says it
    /// writes must cover it, or an undo (which keeps only those collections) leaves the rule.
    #[test]
    fn s4_a_first_block_is_undone_with_the_default_group_rule() {
        let mut d = Design::new("t", "ap-northeast-2");
        let vpc = Op::AddVpc {
            name: "a".into(),
            cidr: "10.0.0.0/16".parse().unwrap(),
            region: None,
            dns_hostnames: true,
            dns_support: true,
            secondary_cidrs: vec![],
        };
        d.apply(&vpc).unwrap();
        let before = d.clone();
        let p = d.prepare(&Op::AddVpcIpv6Block { vpc: n("a"), cidr: None, pool: Ipv6Pool::Amazon }).unwrap();
        let kept = super::super::snapshot::Snapshot::take(&d, p.touches());
        p.commit(&mut d);
        assert!(d.security_groups[0].egress.iter().any(|r| r.peer == SgPeer::any_ipv6()));
        kept.restore(&mut d);
        assert_eq!(d, before);
    }

    #[test]
    fn a7_blocks_subnets_and_addresses_by_op() {
        let mut d = dual();
        assert_eq!(d.subnets[0].ipv6_cidr.unwrap().to_string(), "2001:db8::/64");
        assert!(d.subnets[0].assign_ipv6_address_on_creation);
        let only = Op::AddIpv6OnlySubnet { vpc: n("a"), name: "v6".into(), az: "a".into(), cidr: None, dns64: true };
        d.apply(&only).unwrap();
        let v6 = d.subnets.iter().find(|s| s.name == "v6").unwrap();
        assert_eq!(v6.ipv6_cidr.unwrap().to_string(), "2001:db8:0:1::/64");
        assert!(v6.is_ipv6_only() && v6.enable_dns64);
        // An instance in an IPv6-only subnet: no IPv4 address, the first IPv6 one after the
        // four reserved.
        let i = d.apply(&instance("h", "v6", None)).unwrap().created.unwrap();
        let nic = &d.instance_interfaces(&i)[0];
        assert!(nic.private_ips.is_empty());
        assert_eq!(nic.ipv6_addresses[0].to_string(), "2001:db8:0:1::4", "A7: after the four reserved");
        let j = d.apply(&instance("h2", "v6", None)).unwrap().created.unwrap();
        assert_eq!(d.instance_interfaces(&j)[0].ipv6_addresses[0].to_string(), "2001:db8:0:1::5");
        // A /64 outside the VPC's block, a reserved address, an IPv4 address in an IPv6-only
        // subnet: refused with the rule.
        let outside = Op::SetSubnetIpv6 {
            subnet: n("s"),
            cidr: Some("2001:db9::/64".parse().unwrap()),
            assign_on_creation: false,
        };
        assert!(d.apply(&outside).is_err());
        let reserved = Op::AddInstanceIpv6 { instance: n("h"), address: Some("2001:db8:0:1::3".parse().unwrap()) };
        assert!(d.apply(&reserved).unwrap_err().to_string().contains("A7"));
        let e = d.apply(&instance("x", "v6", Some("10.0.0.9"))).unwrap_err();
        assert_eq!((e.field, e.rule), ("private_ip", Some(Rule::A7)), "{e}");
        assert_eq!(d.instances.len(), 2, "a refused edit leaves nothing behind");
        // A dual-stack subnet that assigns IPv6 on creation gives a new instance its IPv4
        // address and an IPv6 one at launch, as AWS does; more come by their own op.
        let k = d.apply(&instance("k", "s", None)).unwrap().created.unwrap();
        assert_eq!(d.instance_interfaces(&k)[0].private_ips.len(), 1);
        assert_eq!(d.instance_interfaces(&k)[0].ipv6_addresses[0].to_string(), "2001:db8::4");
        d.apply(&Op::AddInstanceIpv6 { instance: n("k"), address: None }).unwrap();
        assert_eq!(d.instance_interfaces(&k)[0].ipv6_addresses[1].to_string(), "2001:db8::5");
        // Without AssignIpv6AddressOnCreation, no IPv6 address at launch.
        let keep = Op::SetSubnetIpv6 { subnet: n("s"), cidr: d.subnets[0].ipv6_cidr, assign_on_creation: false };
        d.apply(&keep).unwrap();
        let m = d.apply(&instance("m", "s", None)).unwrap().created.unwrap();
        assert!(d.instance_interfaces(&m)[0].ipv6_addresses.is_empty());
    }

    #[test]
    fn a7_removing_blocks_and_setting_addresses() {
        let mut d = dual();
        let block = d.vpcs[0].ipv6_cidr_blocks[0].cidr;
        let k = d.apply(&instance("k", "s", None)).unwrap().created.unwrap();
        // A subnet with an interface holding an IPv6 address keeps its block (A7).
        let e = d.apply(&Op::RemoveSubnetIpv6 { subnet: n("s") }).unwrap_err();
        assert_eq!(e.rule, Some(Rule::A7), "{e}");
        // Addresses become exactly the list; reserved, outside or duplicate ones are refused.
        let set = |a: &[&str]| Op::SetIpv6Addresses {
            resource: n("k"),
            addresses: a.iter().map(|x| x.parse().unwrap()).collect(),
        };
        d.apply(&set(&["2001:db8::a", "2001:db8::b"])).unwrap();
        let got: Vec<String> = d.instance_interfaces(&k)[0].ipv6_addresses.iter().map(|a| a.to_string()).collect();
        assert_eq!(got, ["2001:db8::a", "2001:db8::b"]);
        for bad in [&["2001:db8::1"][..], &["2001:db8:0:9::a"], &["2001:db8::c", "2001:db8::c"]] {
            let e = d.apply(&set(bad)).unwrap_err();
            assert_eq!(e.rule, Some(Rule::A7), "{bad:?}: {e}");
        }
        assert_eq!(d.instance_interfaces(&k)[0].ipv6_addresses.len(), 2, "a refusal changes nothing");
        // The VPC block holds the subnet's /64: refused until the subnet lets it go.
        let drop_block = Op::RemoveVpcIpv6Block { vpc: n("a"), cidr: block };
        assert_eq!(d.apply(&drop_block).unwrap_err().rule, Some(Rule::A7));
        d.apply(&set(&[])).unwrap();
        d.apply(&Op::RemoveSubnetIpv6 { subnet: n("s") }).unwrap();
        assert!(d.subnets[0].ipv6_cidr.is_none() && !d.subnets[0].assign_ipv6_address_on_creation);
        d.apply(&drop_block).unwrap();
        assert!(d.vpcs[0].ipv6_cidr_blocks.is_empty());
        assert!(d.route_tables.iter().all(|t| t.routes.iter().all(|r| r.destination.to_string() != block.to_string())));
        // An IPv6-only subnet's block is its only one; its interfaces keep an address.
        d.apply(&Op::AddVpcIpv6Block { vpc: n("a"), cidr: None, pool: Ipv6Pool::Amazon }).unwrap();
        let only = Op::AddIpv6OnlySubnet { vpc: n("a"), name: "v6".into(), az: "a".into(), cidr: None, dns64: true };
        d.apply(&only).unwrap();
        assert_eq!(d.apply(&Op::RemoveSubnetIpv6 { subnet: n("v6") }).unwrap_err().rule, Some(Rule::A7));
        d.apply(&instance("h", "v6", None)).unwrap();
        let none = Op::SetIpv6Addresses { resource: n("h"), addresses: vec![] };
        assert_eq!(d.apply(&none).unwrap_err().rule, Some(Rule::A7));
    }

    #[test]
    fn r2_s4_i5_new_tables_groups_and_the_egress_only_gateway() {
        let mut d = dual();
        let rt = Op::AddRouteTable {
            vpc: n("a"),
            name: "rt".into(),
            subnets: vec![],
            main: false,
            gateways: vec![],
            propagating_vgws: vec![],
        };
        d.apply(&rt).unwrap();
        let t = d.route_tables.iter().find(|r| r.name == "rt").unwrap();
        assert_eq!(t.routes.iter().filter(|r| r.is_local()).count(), 2, "R2: a local route per block");
        d.apply(&Op::AddSecurityGroup { vpc: n("a"), name: "g".into(), description: String::new() }).unwrap();
        let g = d.security_groups.iter().find(|g| g.name == "g").unwrap();
        assert_eq!(g.egress, vec![SgRule::allow_all_to(SgPeer::any_ipv4())], "S4: only the default group gets ::/0");
        d.apply(&Op::AddEgressOnlyInternetGateway { name: "e".into(), vpc: n("a") }).unwrap();
        let route = |dest: &str| Op::AddRoute {
            table: n("rt"),
            destination: RouteDestination::Cidr(dest.parse().unwrap()),
            target: n("e"),
        };
        d.apply(&route("::/0")).unwrap();
        let e = d.apply(&route("0.0.0.0/0")).unwrap_err();
        assert_eq!(e.rule, Some(Rule::I5), "I5: an egress-only gateway carries IPv6 only: {e}");
        let second = Op::AddEgressOnlyInternetGateway { name: "e2".into(), vpc: n("a") };
        assert!(d.apply(&second).is_err(), "I5: one per VPC");
        // A prefix list of IPv6 entries may go to it; one of IPv4 entries may not.
        for (name, cidr) in [("v6", "2a00:1450::/32"), ("v4", "192.0.2.0/24")] {
            let pl = Op::AddPrefixList { name: name.into(), region: None, cidrs: vec![cidr.parse::<IpNet>().unwrap()] };
            d.apply(&pl).unwrap();
        }
        let pl_id = |d: &Design, name: &str| d.prefix_lists.iter().find(|p| p.name == name).unwrap().id.clone();
        let via_list =
            |id: String| Op::AddRoute { table: n("rt"), destination: RouteDestination::PrefixList(id), target: n("e") };
        let (v6, v4) = (pl_id(&d, "v6"), pl_id(&d, "v4"));
        d.apply(&via_list(v6)).unwrap();
        assert_eq!(d.apply(&via_list(v4)).unwrap_err().rule, Some(Rule::I5));
        // SG rules of either family.
        let rule = Op::AddSgRule {
            group: n("g"),
            direction: Direction::Inbound,
            protocol: Protocol::Tcp,
            ports: PortSpec::Range { from: 443, to: 443 },
            peer: PeerSpec::Cidr("::/0".parse().unwrap()),
            description: String::new(),
        };
        d.apply(&rule).unwrap();
        let g = d.security_groups.iter().find(|g| g.name == "g").unwrap();
        assert_eq!(g.ingress[0].peer, SgPeer::any_ipv6());
    }
}
