//! IPv6 edits of a design, as AWS makes them (A7, R2, L4, I5): associating a block with a VPC
//! adds its local route everywhere and the default ACL's IPv6 rules; subnets take a block of
//! it; interfaces take addresses from their subnet's block; a VPC gets one egress-only gateway.

use super::edit::EditError;
use super::*;
use crate::net::{self, Ipv6BlockSource};
use ipnet::{IpNet, Ipv6Net};
use std::net::Ipv6Addr;

fn invalid(msg: impl Into<crate::l10n::Text>) -> EditError {
    EditError::Invalid(msg.into())
}

/// Whether a default ACL's entries of one direction are still AWS's: rule 100 allowing all
/// IPv4 and nothing else (L4).
fn unmodified(acl: &NetworkAcl, egress: bool) -> bool {
    let v: Vec<&NaclEntry> = acl.entries.iter().filter(|e| e.egress == egress).collect();
    matches!(v.as_slice(), [e] if e.rule_number == 100
        && e.action == RuleAction::Allow
        && e.protocol == Protocol::All
        && e.cidr == IpNet::V4(ipnet::Ipv4Net::default()))
}

/// Whether a group's outbound rules are still the one AWS creates: all IPv4.
fn default_egress(sg: &SecurityGroup) -> bool {
    matches!(sg.egress.as_slice(), [r] if r.protocol == Protocol::All && r.peer == SgPeer::any_ipv4())
}

impl Design {
    /// The Amazon-provided /56 stand-in for a VPC whose real block AWS picks at creation: the
    /// first /56 of 2001:db8::/32 (by VPC position, so a design always gets the same ones) that
    /// no VPC of the design uses yet.
    pub fn placeholder_ipv6_block(&self, vpc: &str) -> Ipv6Net {
        let start = self.vpcs.iter().position(|v| v.id == vpc).unwrap_or(self.vpcs.len()) as u32;
        let used: Vec<Ipv6Net> = self.vpcs.iter().flat_map(|v| v.ipv6_cidrs()).collect();
        (0..=self.vpcs.len() as u32 + 8)
            .map(|k| net::placeholder_vpc_block(start.wrapping_add(k)))
            .find(|c| !used.iter().any(|u| net::overlaps6(*u, *c)))
            .unwrap_or_else(|| net::placeholder_vpc_block(start))
    }

    /// A7, R2, L4, S4: associate an IPv6 block with a VPC. `cidr` `None` asks for an
    /// Amazon-provided /56, held as a [`Design::placeholder_ipv6_block`] stand-in. Every route
    /// table of the VPC gets the block's local route; the default network ACL gets rule 101
    /// allowing all IPv6 in each direction whose rules are AWS's own; the default security
    /// group, if its outbound rules are AWS's own, also allows all IPv6 out.
    pub fn add_vpc_ipv6_block(
        &mut self,
        vpc_id: &str,
        cidr: Option<Ipv6Net>,
        pool: Ipv6Pool,
    ) -> Result<Ipv6Net, EditError> {
        let vpc = self.vpc(vpc_id).ok_or_else(|| EditError::NotFound(vpc_id.to_string()))?.clone();
        let (cidr, placeholder) = match cidr {
            Some(c) => (c.trunc(), false),
            None if pool.is_amazon() => (self.placeholder_ipv6_block(vpc_id), true),
            None => return Err(invalid("a BYOIP or IPAM block needs its CIDR (A7)")),
        };
        let source = if pool.is_amazon() { Ipv6BlockSource::Amazon } else { Ipv6BlockSource::Pool };
        net::check_vpc_ipv6_block(cidr, source).map_err(|e| invalid(e.to_string()))?;
        let mut all: Vec<Ipv6Net> = vpc.ipv6_cidrs().collect();
        all.push(cidr);
        net::check_vpc_ipv6_blocks(&all).map_err(|e| invalid(e.to_string()))?;
        // P2 and plain sense: another VPC of the design already holding it.
        if let Some(o) = self.vpcs.iter().find(|v| v.id != vpc_id && v.ipv6_cidrs().any(|c| net::overlaps6(c, cidr))) {
            return Err(invalid(crate::text!("{cidr} overlaps an IPv6 block of {} ({}) (A7)", o.name, o.id)));
        }
        if let Some(v) = self.vpcs.iter_mut().find(|v| v.id == vpc_id) {
            v.ipv6_cidr_blocks.push(Ipv6CidrBlock { cidr, pool, placeholder });
        }
        for rt in self.route_tables.iter_mut().filter(|r| r.vpc == vpc_id) {
            rt.routes.push(Route::local(cidr));
        }
        let first_block = vpc.ipv6_cidr_blocks.is_empty();
        if first_block {
            if let Some(acl) = self.network_acls.iter_mut().find(|a| a.is_default && a.vpc == vpc_id) {
                for egress in [false, true] {
                    if unmodified(acl, egress) {
                        acl.entries.push(NaclEntry {
                            rule_number: 101,
                            egress,
                            action: RuleAction::Allow,
                            protocol: Protocol::All,
                            ports: PortSpec::All,
                            cidr: IpNet::V6(Ipv6Net::default()),
                        });
                    }
                }
            }
            if let Some(sg) = self.security_groups.iter_mut().find(|g| g.is_default && g.vpc == vpc_id) {
                if default_egress(sg) {
                    sg.egress.push(SgRule::allow_all_to(SgPeer::any_ipv6()));
                }
            }
        }
        Ok(cidr)
    }

    /// A security group as AWS creates it in this VPC: no inbound rules and one outbound rule
    /// allowing all IPv4 (S4). Only the VPC's default group gets the ::/0 outbound rule when
    /// the VPC has an IPv6 block (UG:default-security-group); a custom group needs its IPv6
    /// egress written (as CloudFormation's and the CDK's defaults also say).
    pub fn new_security_group(&self, id: impl Into<Id>, name: impl Into<String>, vpc: &str) -> SecurityGroup {
        SecurityGroup::new(id, name, vpc)
    }

    /// The lowest free /64 of a VPC's IPv6 blocks (A7).
    pub fn next_free_subnet_ipv6(&self, vpc_id: &str) -> Result<Ipv6Net, EditError> {
        let plan = self.ipv6_plan(vpc_id)?;
        plan.next_free(net::ipv6::SUBNET_PREFIX, &[]).map_err(|e| invalid(e.to_string()))
    }

    /// The IPv6 plan of a VPC: its blocks and its subnets' IPv6 blocks.
    pub fn ipv6_plan(&self, vpc_id: &str) -> Result<net::Ipv6Plan, EditError> {
        let vpc = self.vpc(vpc_id).ok_or_else(|| EditError::NotFound(vpc_id.to_string()))?;
        let blocks: Vec<Ipv6Net> = vpc.ipv6_cidrs().collect();
        let subnets: Vec<Ipv6Net> = self.vpc_subnets(vpc_id).filter_map(|s| s.ipv6_cidr).collect();
        net::Ipv6Plan::new(&blocks, &subnets).map_err(|e| invalid(e.to_string()))
    }

    /// Up to `limit` free /64s of a VPC's IPv6 blocks, in address order (A7): each free /64 of
    /// a /56, and the first /64 of each free group of a wider block. Linear in the blocks'
    /// cells (256 each); none when the VPC has no IPv6 block or its plan is broken.
    pub fn free_subnet_ipv6(&self, vpc_id: &str, limit: usize) -> Vec<Ipv6Net> {
        let Ok(plan) = self.ipv6_plan(vpc_id) else { return Vec::new() };
        let mut out = Vec::new();
        for b in plan.blocks() {
            let map = plan.map(*b);
            for i in 0..map.cells.len() {
                if out.len() >= limit {
                    return out;
                }
                let Some((cell, net::SlotState::Free)) = map.cell(i) else { continue };
                if let Ok(IpNet::V6(first)) = net::subnet_by_index(IpNet::V6(cell), net::ipv6::SUBNET_PREFIX, 0) {
                    out.push(first);
                }
            }
        }
        out
    }

    /// A5, A7: give a subnet an IPv6 block (`None`: the lowest free /64).
    pub fn set_subnet_ipv6(&mut self, subnet: &str, cidr: Option<Ipv6Net>) -> Result<Ipv6Net, EditError> {
        let s = self.subnet(subnet).ok_or_else(|| EditError::NotFound(subnet.to_string()))?.clone();
        let vpc = self.vpc(&s.vpc).ok_or_else(|| EditError::NotFound(s.vpc.clone()))?;
        let blocks: Vec<Ipv6Net> = vpc.ipv6_cidrs().collect();
        if blocks.is_empty() {
            return Err(invalid(crate::text!("{} has no IPv6 block: add one first (A7)", vpc.name)));
        }
        let cidr = match cidr {
            Some(c) => c.trunc(),
            None => self.next_free_subnet_ipv6(&s.vpc)?,
        };
        let others: Vec<Ipv6Net> =
            self.vpc_subnets(&s.vpc).filter(|o| o.id != subnet).filter_map(|o| o.ipv6_cidr).collect();
        net::check_subnet_ipv6(&blocks, &others, cidr).map_err(|e| invalid(e.to_string()))?;
        if let Some(x) = self.subnets.iter_mut().find(|x| x.id == subnet) {
            x.ipv6_cidr = Some(cidr);
        }
        Ok(cidr)
    }

    /// A7: give an interface an IPv6 address from its subnet's block (`None`: the first free
    /// one after the four reserved at the start).
    pub fn add_ipv6_address(&mut self, eni: &str, addr: Option<Ipv6Addr>) -> Result<Ipv6Addr, EditError> {
        let e = self.network_interface(eni).ok_or_else(|| EditError::NotFound(eni.to_string()))?.clone();
        let s = self.subnet(&e.subnet).ok_or_else(|| EditError::NotFound(e.subnet.clone()))?;
        let block = s.ipv6_cidr.ok_or_else(|| invalid(crate::text!("{} has no IPv6 block (A7)", s.name)))?;
        let taken: Vec<Ipv6Addr> = self
            .network_interfaces
            .iter()
            .filter(|x| x.subnet == e.subnet)
            .flat_map(|x| x.ipv6_addresses.iter().copied())
            .collect();
        let a = match addr {
            Some(a) => {
                if !block.contains(&a) {
                    return Err(invalid(crate::text!("{a} is not inside {} ({block}) (A7)", s.name)));
                }
                if net::is_ipv6_reserved(block, a) {
                    return Err(invalid(crate::text!(
                        "{a} is reserved: AWS keeps the first four and the last address of {block} (A7)"
                    )));
                }
                if taken.contains(&a) {
                    return Err(invalid(crate::text!("{a} is already in use in {} (A7)", s.name)));
                }
                a
            }
            None => net::first_free_ipv6(block, &taken)
                .ok_or_else(|| invalid(crate::text!("{block} has no free address")))?,
        };
        if let Some(x) = self.network_interfaces.iter_mut().find(|x| x.id == eni) {
            x.ipv6_addresses.push(a);
        }
        Ok(a)
    }

    /// A7, R2: disassociate an IPv6 block from a VPC, with its local route in every table. AWS
    /// refuses while a subnet still holds a block of it (DisassociateVpcCidrBlock).
    pub fn remove_vpc_ipv6_block(&mut self, vpc_id: &str, cidr: Ipv6Net) -> Result<(), EditError> {
        let vpc = self.vpc(vpc_id).ok_or_else(|| EditError::NotFound(vpc_id.to_string()))?;
        let cidr = cidr.trunc();
        if !vpc.ipv6_cidrs().any(|c| c == cidr) {
            return Err(invalid(crate::text!("{cidr} is not an IPv6 block of {} (A7)", vpc.name)));
        }
        if let Some(s) = self.vpc_subnets(vpc_id).find(|s| s.ipv6_cidr.is_some_and(|c| cidr.contains(&c))) {
            return Err(invalid(crate::text!(
                "{cidr} still holds the subnet {} ({}): remove its IPv6 block or the subnet first (A7)",
                s.name,
                s.id
            )));
        }
        if let Some(v) = self.vpcs.iter_mut().find(|v| v.id == vpc_id) {
            v.ipv6_cidr_blocks.retain(|b| b.cidr != cidr);
        }
        let local = RouteDestination::Cidr(IpNet::V6(cidr));
        for rt in self.route_tables.iter_mut().filter(|r| r.vpc == vpc_id) {
            rt.routes.retain(|r| !(r.is_local() && r.destination == local));
        }
        Ok(())
    }

    /// A7: take a dual-stack subnet's IPv6 block away. AWS refuses for an IPv6-only subnet (it
    /// is its only block) and while an interface of the subnet holds an IPv6 address.
    pub fn remove_subnet_ipv6(&mut self, subnet: &str) -> Result<(), EditError> {
        let s = self.subnet(subnet).ok_or_else(|| EditError::NotFound(subnet.to_string()))?;
        let Some(block) = s.ipv6_cidr else {
            return Err(invalid(crate::text!("{} has no IPv6 block (A7)", s.name)));
        };
        if s.is_ipv6_only() {
            return Err(invalid(crate::text!(
                "{} is IPv6-only: {block} is its only block and cannot be removed (A7)",
                s.name
            )));
        }
        if let Some(e) = self.network_interfaces.iter().find(|e| e.subnet == subnet && !e.ipv6_addresses.is_empty()) {
            return Err(invalid(crate::text!(
                "{} ({}) still holds an IPv6 address of {block}: unassign it first (A7)",
                e.name,
                e.id
            )));
        }
        if let Some(x) = self.subnets.iter_mut().find(|x| x.id == subnet) {
            x.ipv6_cidr = None;
            x.assign_ipv6_address_on_creation = false;
        }
        Ok(())
    }

    /// A7: an interface's IPv6 addresses become exactly `addrs`, each inside its subnet's block,
    /// none reserved or held by another interface. An interface in an IPv6-only subnet keeps at
    /// least one (it has no other address).
    pub fn set_ipv6_addresses(&mut self, eni: &str, addrs: &[Ipv6Addr]) -> Result<(), EditError> {
        let e = self.network_interface(eni).ok_or_else(|| EditError::NotFound(eni.to_string()))?;
        if addrs.is_empty() && self.subnet(&e.subnet).is_some_and(Subnet::is_ipv6_only) {
            return Err(invalid(crate::text!(
                "{} is in an IPv6-only subnet: it needs an IPv6 address, its only address (A7)",
                e.name
            )));
        }
        let old = match self.network_interfaces.iter_mut().find(|x| x.id == eni) {
            Some(x) => std::mem::take(&mut x.ipv6_addresses),
            None => Vec::new(),
        };
        for a in addrs {
            if let Err(err) = self.add_ipv6_address(eni, Some(*a)) {
                if let Some(x) = self.network_interfaces.iter_mut().find(|x| x.id == eni) {
                    x.ipv6_addresses = old;
                }
                return Err(err);
            }
        }
        Ok(())
    }

    /// I5: an egress-only internet gateway for a VPC (one per VPC).
    pub fn add_egress_only_gateway(&mut self, vpc_id: &str, name: &str) -> Result<Id, EditError> {
        if self.vpc(vpc_id).is_none() {
            return Err(EditError::NotFound(vpc_id.to_string()));
        }
        if let Some(g) = self.egress_only_internet_gateways.iter().find(|g| g.vpc == vpc_id) {
            return Err(invalid(crate::text!("{vpc_id} already has an egress-only internet gateway, {} (I5)", g.id)));
        }
        let id = self.new_id(ResourceKind::EgressOnlyInternetGateway);
        self.egress_only_internet_gateways.push(EgressOnlyInternetGateway {
            id: id.clone(),
            name: name.to_string(),
            vpc: vpc_id.to_string(),
        });
        Ok(id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn design() -> (Design, Id) {
        let mut d = Design::new("t", "ap-northeast-2");
        let v = d.add_vpc("v", "ap-northeast-2", "10.0.0.0/16".parse().unwrap());
        (d, v)
    }

    #[test]
    fn l4_r2_an_ipv6_block_brings_its_local_route_and_rule_101() {
        let (mut d, v) = design();
        let c = d.add_vpc_ipv6_block(&v, None, Ipv6Pool::Amazon).unwrap();
        assert_eq!(c.to_string(), "2001:db8::/56");
        assert!(d.vpcs[0].ipv6_cidr_blocks[0].placeholder);
        let main = d.route_tables.iter().find(|r| r.main).unwrap();
        assert!(main.routes.iter().any(|r| r.is_local() && r.destination == RouteDestination::Cidr(IpNet::V6(c))));
        let acl = d.network_acls.iter().find(|a| a.is_default).unwrap();
        let v6: Vec<&NaclEntry> = acl.entries.iter().filter(|e| matches!(e.cidr, IpNet::V6(_))).collect();
        assert_eq!(v6.len(), 2);
        assert!(v6.iter().all(|e| e.rule_number == 101 && e.action == RuleAction::Allow));
        let sg = d.default_security_group(&v).unwrap();
        assert!(sg.egress.contains(&SgRule::allow_all_to(SgPeer::any_ipv6())));
        assert!(!d.new_security_group("sg-x", "x", &v).egress.contains(&SgRule::allow_all_to(SgPeer::any_ipv6())));
        // A second block: its local route, and no more rules.
        let c2 = d.add_vpc_ipv6_block(&v, None, Ipv6Pool::Amazon).unwrap();
        assert_ne!(c, c2);
        assert_eq!(d.network_acls[0].entries.len(), 4);
    }

    #[test]
    fn l4_a_modified_default_acl_gets_no_rule_101() {
        let (mut d, v) = design();
        d.network_acls[0].entries.retain(|e| e.egress);
        d.add_vpc_ipv6_block(&v, None, Ipv6Pool::Amazon).unwrap();
        let v6: Vec<&NaclEntry> = d.network_acls[0].entries.iter().filter(|e| matches!(e.cidr, IpNet::V6(_))).collect();
        assert_eq!(v6.len(), 1);
        assert!(v6[0].egress);
    }

    #[test]
    fn a7_subnets_and_addresses() {
        let (mut d, v) = design();
        d.add_vpc_ipv6_block(&v, Some("2600:1f18:1:2300::/56".parse().unwrap()), Ipv6Pool::Amazon).unwrap();
        assert!(d.add_vpc_ipv6_block(&v, Some("2600:1f18::/48".parse().unwrap()), Ipv6Pool::Amazon).is_err());
        let s = d.new_id(ResourceKind::Subnet);
        d.subnets.push(Subnet::new(s.clone(), "a", &v, "10.0.0.0/24".parse().unwrap(), "ap-northeast-2a"));
        assert_eq!(d.set_subnet_ipv6(&s, None).unwrap().to_string(), "2600:1f18:1:2300::/64");
        let e = d.new_id(ResourceKind::NetworkInterface);
        d.network_interfaces.push(NetworkInterface::new(e.clone(), "e", &s, "10.0.0.10".parse().unwrap()));
        assert_eq!(d.add_ipv6_address(&e, None).unwrap().to_string(), "2600:1f18:1:2300::4");
        assert!(d.add_ipv6_address(&e, Some("2600:1f18:1:2300::2".parse().unwrap())).is_err());
        assert!(d.add_ipv6_address(&e, Some("2600:1f18:1:2301::9".parse().unwrap())).is_err());
        let g = d.add_egress_only_gateway(&v, "eigw").unwrap();
        assert!(g.starts_with("eigw-"));
        assert!(d.add_egress_only_gateway(&v, "again").is_err());
    }
}
