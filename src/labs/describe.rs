//! One-line descriptions of edits, for `lab show` and the lab panel: each a sentence written
//! with [`crate::text!`], so the catalogues say it in the app's language (English as written).

use crate::l10n::Text;
use crate::model::ops::{Direction, NatEip, Op, PeerSpec, Ref};

/// A short sentence describing an edit ([`Text::render`] says it in a language).
pub fn describe(op: &Op) -> Text {
    match op {
        Op::AddVpc { name, cidr, region, .. } => match region {
            Some(r) => crate::text!("create VPC {name} {cidr} in {r}"),
            None => crate::text!("create VPC {name} {cidr}"),
        },
        Op::AddVpcCidr { vpc, cidr } => crate::text!("add CIDR {cidr} to {vpc}"),
        Op::SetVpcDns { vpc, support, hostnames } => match (support, hostnames) {
            (Some(s), Some(h)) => crate::text!(
                "{vpc}: DNS support {support_ui}, DNS hostnames {hostnames_ui}",
                support_ui = on(*s),
                hostnames_ui = on(*h)
            ),
            (Some(s), None) => crate::text!("{vpc}: DNS support {support_ui}", support_ui = on(*s)),
            (None, Some(h)) => crate::text!("{vpc}: DNS hostnames {hostnames_ui}", hostnames_ui = on(*h)),
            (None, None) => Text::from(format!("{vpc}: ")),
        },
        Op::AddSubnet { vpc, name, cidr, az, .. } => crate::text!("create subnet {name} {cidr} in {vpc} zone {az}"),
        Op::AddInternetGateway { name, vpc } => match vpc {
            Some(v) => crate::text!("create internet gateway {name} and attach it to {v}"),
            None => crate::text!("create internet gateway {name}"),
        },
        Op::AttachInternetGateway { igw, vpc } => crate::text!("attach {igw} to {vpc}"),
        Op::DetachInternetGateway { igw } => crate::text!("detach {igw}"),
        Op::AddRouteTable { vpc, name, subnets, .. } if subnets.is_empty() => {
            crate::text!("create route table {name} in {vpc}")
        }
        Op::AddRouteTable { vpc, name, subnets, .. } => {
            crate::text!("create route table {name} in {vpc} for {subnets}", subnets = join(subnets))
        }
        Op::AddRoute { table, destination, target } => crate::text!("{table}: add route {destination} → {target}"),
        Op::DeleteRoute { table, destination } => crate::text!("{table}: delete route {destination}"),
        Op::AssociateRouteTable { table, subnet } => crate::text!("associate {subnet} with {table}"),
        Op::SetMainRouteTable { table } => crate::text!("make {table} the main table"),
        Op::AddElasticIp { name, public_ip, instance, .. } => match instance {
            Some(i) => crate::text!("allocate Elastic IP {name} {public_ip} for {i}"),
            None => crate::text!("allocate Elastic IP {name} {public_ip}"),
        },
        Op::AddNatGateway { name, subnet, private_ip, public_ip, eip, .. } => {
            let at = at(private_ip);
            match (eip, public_ip) {
                (NatEip::New, Some(p)) => {
                    crate::text!("create NAT gateway {name} in {subnet} at {at_ui} with EIP {eip}", at_ui = at, eip = p)
                }
                (NatEip::Existing(e), _) => {
                    crate::text!("create NAT gateway {name} in {subnet} at {at_ui} with EIP {eip}", at_ui = at, eip = e)
                }
                (NatEip::New, None) => {
                    crate::text!("create NAT gateway {name} in {subnet} at {at_ui} with a new EIP", at_ui = at)
                }
                (NatEip::None, _) => {
                    crate::text!("create private NAT gateway {name} in {subnet} at {at_ui}", at_ui = at)
                }
            }
        }
        Op::AddSecurityGroup { vpc, name, .. } => crate::text!("create security group {name} in {vpc}"),
        Op::AddSgRule { group, direction, protocol, ports, peer, .. } => {
            let peer = peer_text(peer);
            match direction {
                Direction::Inbound => crate::text!("{group}: allow inbound {protocol} {ports} from {peer}"),
                Direction::Outbound => crate::text!("{group}: allow outbound {protocol} {ports} to {peer}"),
            }
        }
        Op::RemoveSgRule { group, direction, protocol, ports, .. } => {
            crate::text!("{group}: remove {dir_ui} {protocol} {ports}", dir_ui = dir(*direction))
        }
        Op::AddInstance { name, subnet, private_ip, public_ip, .. } => {
            let at = at(private_ip);
            match public_ip {
                Some(p) => crate::text!("launch {name} in {subnet} at {at_ui} (public {p})", at_ui = at),
                None => crate::text!("launch {name} in {subnet} at {at_ui}", at_ui = at),
            }
        }
        Op::SetSourceDestCheck { instance, enabled } => {
            crate::text!("{instance}: source/destination check {on_ui}", on_ui = on(*enabled))
        }
        Op::SetInstanceState { instance, state } => crate::text!("{instance}: state {state:?}"),
        Op::SetInterfaceGroups { instance, groups } => {
            crate::text!("{instance}: security groups {groups}", groups = join(groups))
        }
        Op::AddNetworkAcl { vpc, name, .. } => crate::text!("create network ACL {name} in {vpc}"),
        Op::AddNaclEntry { acl, entry } => crate::text!(
            "{acl}: rule {n} {dir_ui} {action_ui} {protocol} {ports} {cidr}",
            n = entry.rule_number,
            dir_ui = dir(Direction::of(entry.egress)),
            action_ui = entry.action,
            protocol = entry.protocol,
            ports = entry.ports,
            cidr = entry.cidr
        ),
        Op::AddPeering { name, requester, accepter, status, .. } => {
            crate::text!("request peering {name}: {requester} → {accepter} ({status})")
        }
        Op::SetPeeringStatus { peering, status } => crate::text!("{peering}: status {status}"),
        Op::AddGatewayEndpoint { vpc, service, route_tables, .. } => {
            crate::text!("create gateway endpoint {service} in {vpc} on {tables}", tables = join(route_tables))
        }
        Op::AddInterfaceEndpoint { vpc, name, service, private_dns, .. } => crate::text!(
            "create interface endpoint {name} for {service} in {vpc} (private DNS {dns_ui})",
            dns_ui = on(*private_dns)
        ),
        Op::SetEndpointPrivateDns { endpoint, enabled } => {
            crate::text!("{endpoint}: private DNS {on_ui}", on_ui = on(*enabled))
        }
        Op::SetEndpointState { endpoint, state } => {
            crate::text!("{endpoint}: state {state}", state = state.api_name())
        }
        Op::SetEndpointGroups { endpoint, groups } => {
            crate::text!("{endpoint}: security groups {groups}", groups = join(groups))
        }
        Op::AddTransitGateway { name, .. } => crate::text!("create transit gateway {name}"),
        Op::AttachVpcToTransitGateway { tgw, vpc, name, .. } => crate::text!("attach {vpc} to {tgw} ({name})"),
        Op::AddVpcIpv6Block { vpc, cidr, .. } => match cidr {
            Some(c) => crate::text!("associate IPv6 block {c} with {vpc}"),
            None => crate::text!("associate an Amazon-provided IPv6 /56 with {vpc}"),
        },
        Op::SetSubnetIpv6 { subnet, cidr, .. } => match cidr {
            Some(c) => crate::text!("give {subnet} the IPv6 block {c}"),
            None => crate::text!("give {subnet} the next free IPv6 /64"),
        },
        Op::AddIpv6OnlySubnet { vpc, name, az, cidr, dns64 } => crate::text!(
            "create IPv6-only subnet {name} {cidr_ui} in {vpc} zone {az} (DNS64 {dns64_ui})",
            cidr_ui = cidr.map_or(NEXT_FREE_64.to_string(), |c| c.to_string()),
            dns64_ui = on(*dns64)
        ),
        Op::SetSubnetDns64 { subnet, enabled } => crate::text!("{subnet}: DNS64 {on_ui}", on_ui = on(*enabled)),
        Op::AddInstanceIpv6 { instance, address } => match address {
            Some(a) => crate::text!("{instance}: add IPv6 address {a}"),
            None => crate::text!("{instance}: add the next free IPv6 address"),
        },
        Op::RemoveVpcIpv6Block { vpc, cidr } => crate::text!("disassociate IPv6 block {cidr} from {vpc}"),
        Op::RemoveSubnetIpv6 { subnet } => crate::text!("remove the IPv6 block of {subnet}"),
        Op::SetIpv6Addresses { resource, addresses } => {
            let addresses = if addresses.is_empty() {
                NONE.to_string()
            } else {
                addresses.iter().map(|a| a.to_string()).collect::<Vec<_>>().join(", ")
            };
            crate::text!("{resource}: IPv6 addresses {addresses_ui}", addresses_ui = addresses)
        }
        Op::SetTgwAttachmentIpv6 { attachment, enabled } => {
            crate::text!("{attachment}: IPv6 support {on_ui}", on_ui = on(*enabled))
        }
        Op::Delete { resource, .. } => crate::text!("delete {resource}"),
        // Ops the labs use that are described by their name alone (what [`generic`] writes).
        Op::AddEgressOnlyInternetGateway { .. } => crate::text!("add egress only internet gateway"),
        Op::AddFirewallPolicy { .. } => crate::text!("add firewall policy"),
        Op::AddFirewallRuleGroup { .. } => crate::text!("add firewall rule group"),
        Op::AddNetworkFirewall { .. } => crate::text!("add network firewall"),
        Op::AddTgwRouteTable { .. } => crate::text!("add tgw route table"),
        Op::ReplaceRoute { .. } => crate::text!("replace route"),
        Op::UpdateTgwAttachment { .. } => crate::text!("update tgw attachment"),
        other => Text::from(generic(other)),
    }
}

/// Where an address is given: the address, or the words for the first free one.
fn at(ip: &Option<impl std::fmt::Display>) -> String {
    ip.as_ref().map_or_else(|| "the first free address".to_string(), |ip| ip.to_string())
}

/// The part an `AddIpv6OnlySubnet` without a CIDR names.
const NEXT_FREE_64: &str = "(next free /64)";
/// No addresses.
const NONE: &str = "none";

fn join(refs: &[Ref]) -> String {
    refs.iter().map(Ref::key).collect::<Vec<_>>().join(", ")
}

fn peer_text(p: &PeerSpec) -> String {
    match p {
        PeerSpec::Cidr(c) => c.to_string(),
        PeerSpec::Group(r) => r.key().to_string(),
        PeerSpec::AccountGroup { account, group } => format!("{account}/{group}"),
        PeerSpec::PrefixList(pl) => pl.clone(),
    }
}

/// The ops the labs do not use yet: the op's name and what it changes.
fn generic(op: &Op) -> String {
    let text = format!("{op:?}");
    let name = text.split([' ', '{', '(']).next().unwrap_or_default();
    let mut words = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            words.push(' ');
        }
        words.push(c.to_ascii_lowercase());
    }
    words
}

fn on(b: bool) -> &'static str {
    if b {
        "on"
    } else {
        "off"
    }
}

fn dir(d: Direction) -> &'static str {
    match d {
        Direction::Inbound => "inbound",
        Direction::Outbound => "outbound",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::l10n::Lang;

    fn hangul(s: &str) -> bool {
        s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c))
    }

    /// AWS's names and acronyms, said the same in Korean.
    const AWS_WORDS: &[&str] =
        &["VPC", "CIDR", "DNS", "DNS64", "NAT", "EIP", "IP", "IPv6", "ACL", "TGW", "Amazon", "Network", "Firewall"];

    /// What is left of an English sentence in `t` said in Korean: the ASCII words of the
    /// Korean, once the sentence's values (names, CIDRs, addresses) are taken out, that are not
    /// AWS's names.
    fn english_left(t: &Text) -> Vec<String> {
        let mut ko = t.render(Lang::Ko);
        let mut values: Vec<String> = t.parts().unwrap_or_default().into_iter().map(|(_, v)| v).collect();
        values.sort_by_key(|v| std::cmp::Reverse(v.len()));
        for v in values.iter().filter(|v| !v.is_empty()) {
            ko = ko.replace(v.as_str(), " ");
        }
        ko.split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.chars().any(|c| c.is_ascii_alphabetic()) && !AWS_WORDS.contains(w))
            .map(str::to_string)
            .collect()
    }

    fn op(ron_text: &str) -> Op {
        ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
            .from_str(ron_text)
            .expect("an op")
    }

    /// Issue 16 item 9: in Korean mode the lab panel and `lab show --lang ko` list a step's
    /// changes in Korean. Every change of every step of the 11 labs has its catalogue message,
    /// says Hangul, and keeps no English word but AWS's names and the values it names; its
    /// English is the sentence as written.
    #[test]
    fn every_lab_steps_changes_are_said_in_korean() {
        let labs = crate::labs::all().expect("the labs");
        assert_eq!(labs.len(), 11);
        let (mut count, mut english) = (0, Vec::new());
        for lab in &labs {
            for (i, step) in lab.steps.iter().enumerate() {
                for op in &step.ops {
                    count += 1;
                    let t = describe(op);
                    assert_eq!(t.render(Lang::En), t.english);
                    let ko = t.render(Lang::Ko);
                    let left = english_left(&t);
                    if t.translated(Lang::Ko).is_none() || !hangul(&ko) || !left.is_empty() {
                        english.push(format!("lab {} step {}: {} → {ko} (English: {left:?})", lab.number, i + 1, t));
                    }
                }
            }
        }
        assert!(count > 150, "the labs' changes: {count}");
        assert!(english.is_empty(), "{} changes not said in Korean:\n{}", english.len(), english.join("\n"));
    }

    /// The sentences whose parts are hard to read back (a part with blanks, interface words
    /// inside a part) come out whole in Korean; English is unchanged.
    #[test]
    fn changes_the_labs_do_not_use_yet_are_said_in_korean_too() {
        use crate::model::{NaclEntry, PortSpec, Protocol, RuleAction};
        let entry = NaclEntry {
            rule_number: 100,
            egress: false,
            action: RuleAction::Deny,
            protocol: Protocol::Icmp,
            ports: PortSpec::Icmp { icmp_type: None, code: None },
            cidr: "10.0.0.0/8".parse().expect("a CIDR"),
        };
        let cases = [
            (
                Op::AddNaclEntry { acl: Ref::name("acl-a"), entry },
                "acl-a: rule 100 inbound deny icmp icmp type any code any 10.0.0.0/8",
                "acl-a: 인바운드 규칙 100 icmp icmp type any code any 10.0.0.0/8 거부",
            ),
            (
                op(r#"AddIpv6OnlySubnet(vpc: Name("v"), name: "v6", az: "a", dns64: true)"#),
                "create IPv6-only subnet v6 (next free /64) in v zone a (DNS64 on)",
                "v에 IPv6 전용 서브넷 v6 (다음 빈 /64) 생성 (가용 영역 a, DNS64 켬)",
            ),
            (op(r#"SetIpv6Addresses(resource: Name("web"))"#), "web: IPv6 addresses none", "web: IPv6 주소 없음"),
            (
                op(r#"SetVpcDns(vpc: Name("v"), support: true, hostnames: false)"#),
                "v: DNS support on, DNS hostnames off",
                "v: DNS 지원 켬, DNS 호스트 이름 끔",
            ),
            (
                op(r#"AddNatGateway(name: "n", subnet: Name("pub"))"#),
                "create NAT gateway n in pub at the first free address with a new EIP",
                "pub의 첫 번째 빈 주소에 NAT 게이트웨이 n 생성 (새 EIP)",
            ),
        ];
        for (op, en, ko) in cases {
            let t = describe(&op);
            assert_eq!(t.render(Lang::En), en);
            assert_eq!(t.render(Lang::Ko), ko);
        }
    }
}
