//! The filters a packet meets at an interface and a subnet's edge: the source/destination
//! check (X4), services answered inside a subnet, security groups (S1–S5) and network ACLs
//! (L1–L5).

use super::*;
use crate::sim::explain::Matched;
use crate::sim::filters::{evaluate_groups, evaluate_nacl, nacl_entry, SgOutcome};

impl<'w, 'a> Walk<'w, 'a> {
    /// X4: an interface with the source/destination check on drops packets whose source (out)
    /// or destination (in) is not its own address. Returns whether the packet passes.
    pub(crate) fn source_check(&mut self, eni: usize, h: Header, outgoing: bool) -> bool {
        let ix = self.ix;
        let e = &ix.d.network_interfaces[eni];
        let comp = ix.eni_component(eni);
        let addr = if outgoing { h.src } else { h.dst };
        let rule = if ix.eni_instance[eni].is_some() { Rule::N8 } else { Rule::X4 };
        if e.source_dest_check {
            let s = Step::new(
                comp,
                HopAction::Drop,
                rule,
                Explanation::SourceCheckDrops { eni: e.id.clone(), outgoing, addr },
            );
            self.block(
                s,
                h,
                Block::new(
                    if outgoing { Disposition::DeniedOut } else { Disposition::DeniedIn },
                    Code::EniSourceDestCheckRestriction,
                    said!(crate::text!("disable the source/destination check on {}", e.id)),
                ),
            );
            return false;
        }
        if !self.reply || outgoing {
            let s = Step::new(comp, HopAction::CheckPassed, rule, Explanation::SourceCheckOff { eni: e.id.clone() });
            self.pass(s, h, h);
        }
        true
    }

    /// X1, X2: IMDS and the Amazon DNS server answer on the host; nothing can block them.
    pub(super) fn local_service(&mut self, node: Node, subnet: usize, h: Header) -> Option<Flow> {
        let ix = self.ix;
        let Node::Eni(_) = node else { return None };
        let vpc = ix.vpc_of(subnet).map(|v| &ix.d.vpcs[v]);
        const IMDS: IpAddr = IpAddr::V4(Ipv4Addr::new(169, 254, 169, 254));
        const DNS_LINK_LOCAL: IpAddr = IpAddr::V4(Ipv4Addr::new(169, 254, 169, 253));
        // X1, X2: the same services at their IPv6 addresses (Nitro instances).
        const IMDS6: IpAddr = IpAddr::V6(std::net::Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x254));
        const DNS6: IpAddr = IpAddr::V6(std::net::Ipv6Addr::new(0xfd00, 0xec2, 0, 0, 0, 0, 0, 0x253));
        if h.dst == IMDS6 {
            let s = Step::new(
                Component::new(ComponentKind::Imds, "fd00:ec2::254", "instance metadata service"),
                HopAction::Deliver,
                Rule::X1,
                crate::text!("fd00:ec2::254 is the instance metadata service's IPv6 address, answered on the host itself; security groups and network ACLs cannot block it"),
            );
            return Some(self.deliver(s, h, Final::Local));
        }
        if h.dst == DNS6 {
            let s = Step::new(
                Component::new(ComponentKind::AmazonDns, "fd00:ec2::253", "Amazon DNS server"),
                HopAction::Deliver,
                Rule::X2,
                crate::text!("fd00:ec2::253 is the Amazon DNS server's IPv6 address, answered inside the VPC; security groups and network ACLs cannot block it"),
            );
            return Some(self.deliver(s, h, Final::Local));
        }
        if h.dst == IMDS {
            let s = Step::new(
                Component::new(ComponentKind::Imds, "169.254.169.254", "instance metadata service"),
                HopAction::Deliver,
                Rule::X1,
                crate::text!("169.254.169.254 is the instance metadata service, answered on the host itself; security groups and network ACLs cannot block it"),
            );
            return Some(self.deliver(s, h, Final::Local));
        }
        if h.dst == DNS_LINK_LOCAL || vpc.is_some_and(|v| IpAddr::V4(v.dns_server()) == h.dst) {
            let comp = Component::new(ComponentKind::AmazonDns, h.dst.to_string(), "Amazon DNS server");
            if vpc.is_some_and(|v| !v.enable_dns_support) {
                let v = vpc.map(|v| v.id.as_str()).unwrap_or("-");
                let s = Step::new(
                    comp,
                    HopAction::Drop,
                    Rule::X2,
                    said!(crate::text!("{v} has enableDnsSupport off, so the Amazon DNS server does not answer")),
                );
                return Some(self.stop(
                    s,
                    h,
                    Block::new(
                        Disposition::NeighborUnreachable,
                        Code::BadState,
                        said!(crate::text!("turn on enableDnsSupport on {v}")),
                    ),
                ));
            }
            let s = Step::new(
                comp,
                HopAction::Deliver,
                Rule::X2,
                said!(crate::text!("{} is the Amazon DNS server, answered inside the VPC; security groups and network ACLs cannot block it", h.dst)),
            );
            return Some(self.deliver(s, h, Final::Local));
        }
        let link_local6 =
            matches!(h.dst, IpAddr::V6(a) if crate::net::classify_ipv6(a) == crate::net::Ipv6Class::LinkLocal);
        if matches!(h.dst, IpAddr::V4(a) if a.is_link_local()) || link_local6 {
            let s = Step::new(
                Component::new(ComponentKind::LinkLocal, h.dst.to_string(), "link-local address"),
                HopAction::Drop,
                Rule::X1,
                said!(if link_local6 {
                    said!(crate::text!(
                        "{} is link-local: only IMDS (fd00:ec2::254) and DNS (fd00:ec2::253) answer there",
                        h.dst
                    ))
                } else {
                    said!(crate::text!(
                        "{} is link-local: only IMDS (169.254.169.254) and DNS (169.254.169.253) answer there",
                        h.dst
                    ))
                }),
            );
            return Some(self.stop(
                s,
                h,
                Block::new(Disposition::NoRoute, Code::CannotRoute, crate::text!("use an address that is routed")),
            ));
        }
        None
    }

    // ---------------------------------------------------------------- filters

    /// S2: the union of a node's groups in one direction. Returns whether it passes; a denial
    /// is recorded as a blocker and the walk may go on.
    pub(crate) fn security_groups(
        &mut self,
        node: Node,
        groups: &[usize],
        egress: bool,
        vpc: usize,
        h: Header,
    ) -> bool {
        let ix = self.ix;
        let peer = if egress { h.dst } else { h.src };
        let via = self.via;
        let outcome = evaluate_groups(&ix.d.security_groups, groups, egress, &h, peer, |p, ip| {
            self.sg_peer_matches(vpc, via, egress, p, ip)
        });
        let who = ix.node_component(node).label();
        match outcome {
            SgOutcome::Allowed(g, r) => {
                let sg = &ix.d.security_groups[g];
                let rule = if egress { &sg.egress[r] } else { &sg.ingress[r] };
                let action = if egress { HopAction::EgressAllowed } else { HopAction::IngressAllowed };
                let s = Step::new(
                    Component::new(ComponentKind::SecurityGroup, sg.id.clone(), sg.name.clone()),
                    action,
                    Rule::S2,
                    Explanation::SgAllows { sg: sg.id.clone(), who, egress, flow: h },
                )
                .matched(Matched::SgRule {
                    sg: sg.id.clone(),
                    egress,
                    protocol: rule.protocol,
                    ports: rule.ports,
                    peer: rule.peer.clone(),
                });
                self.pass(s, h, h);
                true
            }
            SgOutcome::Denied { no_rules } => {
                let comp = groups
                    .first()
                    .map(|&g| {
                        let sg = &ix.d.security_groups[g];
                        Component::new(ComponentKind::SecurityGroup, sg.id.clone(), sg.name.clone())
                    })
                    .unwrap_or_else(|| ix.node_component(node));
                let names: Vec<&str> = groups.iter().map(|&g| ix.d.security_groups[g].id.as_str()).collect();
                let decision = if groups.is_empty() {
                    Explanation::SgNone { who, egress, flow: h }
                } else if no_rules {
                    Explanation::SgEmpty { groups: names.join(", "), who, egress, flow: h }
                } else {
                    Explanation::SgNoRule { groups: names.join(", "), egress, flow: h }
                };
                // An empty group is reported as a mismatch too (no rule applies); the sentence
                // says the group is empty.
                let code = Code::EniSgRulesMismatch;
                let disposition = if egress { Disposition::DeniedOut } else { Disposition::DeniedIn };
                let fix = said!(fixes::security_group(ix, &comp.id, egress, vpc, &h));
                self.block(Step::new(comp, HopAction::Drop, Rule::S2, decision), h, Block::new(disposition, code, fix));
                false
            }
        }
    }

    /// S6: whether a rule's peer covers an address. Group references match the private
    /// addresses of the group's members in the same VPC, or across an active same-Region
    /// peering (P7, P8); never across a transit gateway unless the design turns that on.
    fn sg_peer_matches(&self, vpc: usize, via: Via, egress: bool, peer: &SgPeer, ip: IpAddr) -> bool {
        let ix = self.ix;
        match peer {
            SgPeer::Cidr(c) => c.contains(&ip),
            SgPeer::PrefixList(pl) => ix.prefix_list_contains(pl, ip),
            SgPeer::SecurityGroup { group, .. } => {
                let Some(&g) = ix.sg_ix.get(group.as_str()) else { return false };
                let member = |n: Node| ix.node_groups(n).contains(&g);
                if let Some(&n) = ix.by_private.get(&(vpc, ip)) {
                    if egress || via == Via::Local {
                        return member(n);
                    }
                }
                if !egress && matches!(via, Via::Peering { cross_region: true }) {
                    return false;
                }
                if via == Via::Transit && !ix.d.features.tgw_sg_referencing && !egress {
                    return false;
                }
                ix.vpc_peerings[vpc].iter().any(|&p| {
                    let x = &ix.d.peerings[p];
                    let other = if x.requester_vpc == ix.d.vpcs[vpc].id { &x.accepter_vpc } else { &x.requester_vpc };
                    let Some(&ov) = ix.vpc_ix.get(other.as_str()) else { return false };
                    x.status == crate::model::PeeringStatus::Active
                        && !ix.pcx_overlap[p]
                        && ix.d.vpcs[ov].region == ix.d.vpcs[vpc].region
                        && ix.by_private.get(&(ov, ip)).is_some_and(|&n| member(n))
                })
            }
        }
    }

    /// L2 (and L3 on replies): a subnet's NACL in one direction. Returns whether it passes.
    pub(crate) fn network_acl(&mut self, subnet: usize, egress: bool, h: Header) -> bool {
        let ix = self.ix;
        let sn = &ix.d.subnets[subnet];
        let rule = if self.reply { Rule::L3 } else { Rule::L2 };
        let subnet_label = Component::new(ComponentKind::Subnet, sn.id.clone(), sn.name.clone()).label();
        let Some(a) = ix.subnet_acl[subnet] else {
            let s = Step::new(
                Component::new(ComponentKind::Subnet, sn.id.clone(), sn.name.clone()),
                HopAction::NaclAllowed,
                Rule::L1,
                Explanation::NaclAbsent { subnet: sn.id.clone() },
            );
            self.pass(s, h, h);
            return true;
        };
        let acl = &ix.d.network_acls[a];
        let order = if egress { &ix.acl_out[a] } else { &ix.acl_in[a] };
        let out = evaluate_nacl(acl, order, egress, &h, self.reply);
        let entry = out.entry.and_then(|i| acl.entries.get(i));
        let comp = Component::new(ComponentKind::NetworkAcl, acl.id.clone(), acl.name.clone());
        if out.allowed {
            let s = Step::new(
                comp,
                HopAction::NaclAllowed,
                rule,
                Explanation::NaclAllows { acl: acl.id.clone(), egress, flow: h, subnet: subnet_label },
            )
            .matched(nacl_entry(entry, h.is_ipv6()))
            .at_subnet(&sn.id);
            self.pass(s, h, h);
            return true;
        }
        let s = Step::new(
            comp,
            HopAction::Drop,
            rule,
            Explanation::NaclStops {
                acl: acl.id.clone(),
                egress,
                flow: h,
                subnet: sn.id.clone(),
                by_entry: entry.is_some(),
                reply: self.reply,
            },
        )
        .matched(nacl_entry(entry, h.is_ipv6()))
        .at_subnet(&sn.id);
        let fix = said!(fixes::network_acl(acl, egress, entry, &h, self.reply));
        let disposition = if egress { Disposition::DeniedOut } else { Disposition::DeniedIn };
        self.block(s, h, Block::new(disposition, Code::SubnetAclRestriction, fix));
        false
    }
}
