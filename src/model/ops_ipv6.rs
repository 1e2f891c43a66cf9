//! The IPv6 edits of [`Op`] (issue 14): blocks, dual-stack and IPv6-only subnets, DNS64,
//! the egress-only gateway and interface addresses. Each goes through `model::ipv6`, where
//! AWS's rules (A7, I5, L4, S4) are applied once.

use super::edit::EditError;
use super::ops::Op;
use super::*;
use crate::net;
use ipnet::Ipv6Net;
use std::net::Ipv6Addr;

fn invalid(msg: impl Into<String>) -> EditError {
    EditError::Invalid(msg.into())
}

fn block(text: &str) -> Result<Ipv6Net, EditError> {
    net::parse_ipv6_cidr(text).map(|p| p.cidr).map_err(|e| invalid(e.to_string()))
}

fn address(text: &str) -> Result<Ipv6Addr, EditError> {
    net::parse_ipv6(text).map_err(|e| invalid(e.to_string()))
}

impl Design {
    /// Apply one of the IPv6 edits (the others are refused as not IPv6 ones).
    pub(super) fn apply_ipv6(&mut self, op: &Op) -> Result<Option<Id>, EditError> {
        match op {
            Op::AddVpcIpv6Block { vpc, cidr, pool } => {
                let v = self.id_of(vpc, ResourceKind::Vpc)?;
                let c = cidr.as_deref().map(block).transpose()?;
                self.add_vpc_ipv6_block(&v, c, pool.clone())?;
                Ok(None)
            }
            Op::SetSubnetIpv6 { subnet, cidr, assign_on_creation } => {
                let s = self.id_of(subnet, ResourceKind::Subnet)?;
                let c = cidr.as_deref().map(block).transpose()?;
                self.set_subnet_ipv6(&s, c)?;
                if let Some(x) = self.subnets.iter_mut().find(|x| x.id == s) {
                    x.assign_ipv6_address_on_creation = *assign_on_creation;
                }
                Ok(None)
            }
            Op::AddIpv6OnlySubnet { vpc, name, az, cidr, dns64 } => {
                let v = self.id_of(vpc, ResourceKind::Vpc)?;
                let region = self.vpc(&v).map(|x| x.region.clone()).unwrap_or_default();
                let az = if az.len() <= 2 { format!("{region}{az}") } else { az.clone() };
                let c = cidr.as_deref().map(block).transpose()?;
                let id = self.new_id(ResourceKind::Subnet);
                // A placeholder /64 first, so set_subnet_ipv6 applies A7 to the real one.
                let mut s = Subnet::ipv6_only(id.clone(), name.clone(), v, Ipv6Net::default(), az);
                s.ipv6_cidr = None;
                s.enable_dns64 = *dns64;
                self.subnets.push(s);
                if let Err(e) = self.set_subnet_ipv6(&id, c) {
                    self.subnets.retain(|x| x.id != id);
                    return Err(e);
                }
                Ok(Some(id))
            }
            Op::SetSubnetDns64 { subnet, enabled } => {
                let s = self.id_of(subnet, ResourceKind::Subnet)?;
                if let Some(x) = self.subnets.iter_mut().find(|x| x.id == s) {
                    x.enable_dns64 = *enabled;
                }
                Ok(None)
            }
            Op::AddEgressOnlyGateway { name, vpc } => {
                let v = self.id_of(vpc, ResourceKind::Vpc)?;
                self.add_egress_only_gateway(&v, name).map(Some)
            }
            Op::AddInstanceIpv6 { instance, address: a } => {
                let i = self.id_of(instance, ResourceKind::Instance)?;
                let eni = self
                    .instance_interfaces(&i)
                    .first()
                    .map(|e| e.id.clone())
                    .ok_or_else(|| invalid(format!("{i} has no network interface")))?;
                let a = a.as_deref().map(address).transpose()?;
                self.add_ipv6_address(&eni, a)?;
                Ok(None)
            }
            Op::AddPrefixList { name, cidrs } => {
                let mut list = Vec::new();
                for c in cidrs {
                    list.push(super::ops::any_cidr(c)?);
                }
                // A prefix list holds one family (its AddressFamily).
                if list.iter().any(|c| c.addr().is_ipv4()) && list.iter().any(|c| c.addr().is_ipv6()) {
                    return Err(invalid(format!("{name}: a prefix list is IPv4 or IPv6, not both")));
                }
                let id = self.new_id(ResourceKind::PrefixList);
                self.prefix_lists.push(PrefixList {
                    id: id.clone(),
                    name: name.clone(),
                    region: self.default_region.clone(),
                    cidrs: list,
                    aws_managed: false,
                });
                Ok(Some(id))
            }
            Op::SetTgwAttachmentIpv6 { attachment, enabled } => {
                let a = self.id_of(attachment, ResourceKind::TgwAttachment)?;
                if let Some(x) = self.tgw_attachments.iter_mut().find(|x| x.id == a) {
                    x.ipv6_support = *enabled;
                }
                Ok(None)
            }
            other => Err(invalid(format!("not an IPv6 edit: {other:?}"))),
        }
    }

    /// An instance in an IPv6-only subnet (A7): one interface with an IPv6 address (`address`
    /// empty: the first free one) and no IPv4 address.
    pub(super) fn add_ipv6_only_instance(
        &mut self,
        name: &str,
        subnet: &Subnet,
        address_text: &str,
        groups: &[String],
        role: &str,
    ) -> Result<Option<Id>, EditError> {
        if !subnet.is_ipv6_only() {
            return Err(invalid(format!(
                "{} has an IPv4 block: give the instance an IPv4 address, then an IPv6 one (A7)",
                subnet.name
            )));
        }
        let a = (!address_text.trim().is_empty()).then(|| address(address_text)).transpose()?;
        let mut gids = Vec::new();
        for g in groups {
            gids.push(self.id_of(g, ResourceKind::SecurityGroup)?);
        }
        if gids.is_empty() {
            gids.extend(self.default_security_group(&subnet.vpc).map(|g| g.id.clone()));
        }
        let id = self.new_id(ResourceKind::Instance);
        let eni = self.new_id(ResourceKind::NetworkInterface);
        let mut nic =
            NetworkInterface::new(eni.clone(), format!("{name}-eth0"), subnet.id.clone(), [0, 0, 0, 0].into());
        nic.private_ips.clear();
        nic.instance = Some(id.clone());
        nic.security_groups = gids;
        self.network_interfaces.push(nic);
        if let Err(e) = self.add_ipv6_address(&eni, a) {
            self.network_interfaces.retain(|x| x.id != eni);
            return Err(e);
        }
        self.instances.push(Instance {
            id: id.clone(),
            name: name.to_string(),
            instance_type: "t3.micro".into(),
            state: InstanceState::Running,
            role: role.to_string(),
        });
        Ok(Some(id))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dual() -> Design {
        let mut d = Design::new("t", "ap-northeast-2");
        for op in [
            Op::AddVpc { name: "a".into(), cidr: "10.0.0.0/16".into(), region: None, dns_hostnames: true },
            Op::AddVpcIpv6Block { vpc: "a".into(), cidr: None, pool: Ipv6Pool::Amazon },
            Op::AddSubnet {
                vpc: "a".into(),
                name: "s".into(),
                cidr: "10.0.0.0/24".into(),
                az: "a".into(),
                public_ip_on_launch: false,
            },
            Op::SetSubnetIpv6 { subnet: "s".into(), cidr: None, assign_on_creation: true },
        ] {
            d.apply(&op).unwrap_or_else(|e| panic!("{op:?}: {e}"));
        }
        d
    }

    #[test]
    fn a7_blocks_subnets_and_addresses_by_op() {
        let mut d = dual();
        assert_eq!(d.subnets[0].ipv6_cidr.unwrap().to_string(), "2001:db8::/64");
        assert!(d.subnets[0].assign_ipv6_address_on_creation);
        d.apply(&Op::AddIpv6OnlySubnet { vpc: "a".into(), name: "v6".into(), az: "a".into(), cidr: None, dns64: true })
            .unwrap();
        let v6 = d.subnets.iter().find(|s| s.name == "v6").unwrap();
        assert_eq!(v6.ipv6_cidr.unwrap().to_string(), "2001:db8:0:1::/64");
        assert!(v6.is_ipv6_only() && v6.enable_dns64);
        let i = d
            .apply(&Op::AddInstance {
                name: "h".into(),
                subnet: "v6".into(),
                private_ip: String::new(),
                groups: vec![],
                public_ip: None,
                role: String::new(),
            })
            .unwrap()
            .unwrap();
        let nic = &d.instance_interfaces(&i)[0];
        assert!(nic.private_ips.is_empty());
        assert_eq!(nic.ipv6_addresses[0].to_string(), "2001:db8:0:1::4", "A7: after the four reserved");
        // A /64 outside the VPC's block, a reserved address, an IPv4 address in an IPv6-only
        // subnet: refused with the rule.
        let outside =
            Op::SetSubnetIpv6 { subnet: "s".into(), cidr: Some("2001:db9::/64".into()), assign_on_creation: false };
        assert!(d.apply(&outside).is_err());
        let reserved = Op::AddInstanceIpv6 { instance: "h".into(), address: Some("2001:db8:0:1::3".into()) };
        assert!(d.apply(&reserved).unwrap_err().to_string().contains("A7"));
        let v4 = Op::AddInstance {
            name: "x".into(),
            subnet: "v6".into(),
            private_ip: "10.0.0.9".into(),
            groups: vec![],
            public_ip: None,
            role: String::new(),
        };
        assert!(d.apply(&v4).is_err());
        assert_eq!(d.instances.len(), 1, "a refused edit leaves nothing behind");
    }

    #[test]
    fn r2_s4_new_tables_know_the_ipv6_block_and_new_groups_allow_ipv4_out_only() {
        let mut d = dual();
        d.apply(&Op::AddRouteTable { vpc: "a".into(), name: "rt".into(), subnets: vec![] }).unwrap();
        let rt = d.route_tables.iter().find(|r| r.name == "rt").unwrap();
        assert_eq!(rt.routes.iter().filter(|r| r.is_local()).count(), 2);
        d.apply(&Op::AddSecurityGroup { vpc: "a".into(), name: "g".into(), description: String::new() }).unwrap();
        let g = d.security_groups.iter().find(|g| g.name == "g").unwrap();
        assert_eq!(g.egress, vec![SgRule::allow_all_to(SgPeer::any_ipv4())], "S4: only the default group gets ::/0");
        d.apply(&Op::AddEgressOnlyGateway { name: "e".into(), vpc: "a".into() }).unwrap();
        d.apply(&Op::AddRoute { table: "rt".into(), destination: "::/0".into(), target: "e".into() }).unwrap();
        assert!(d.apply(&Op::AddEgressOnlyGateway { name: "e2".into(), vpc: "a".into() }).is_err(), "I5: one per VPC");
        let bad = Op::AddRoute { table: "rt".into(), destination: "fe80::%eth0/64".into(), target: "e".into() };
        assert!(d.apply(&bad).unwrap_err().to_string().contains("zone id"));
    }
}
