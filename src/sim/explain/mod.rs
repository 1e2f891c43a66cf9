//! What a hop decided, as a value: the engine records *which* decision it took and the things it
//! took it about (the table, the destination, the target, the group, the flow …), never the
//! sentence. One renderer per language turns it into text through the message catalogues
//! (`hop-…` messages in `assets/l10n/*.ftl`); English is the source and reads exactly as the
//! engine's sentences always did. Whole-network questions (reach, audit, diff) never render.
//!
//! The decisions every trace meets (sending, security groups, network ACLs, route tables,
//! switching, translations, answers and deliveries) are typed variants. The rarer decisions of
//! the gateways and services (`targets/*`, DNS) are [`Explanation::Said`]: a sentence kept with
//! the template it was written from ([`Text`]), which the catalogues render by template
//! (`text-…` messages).

use super::result::Header;
use crate::l10n::{self, Lang, Text};
use crate::model::{InstanceState, PortSpec, Protocol, RouteTarget, RuleAction, SgPeer};
use fluent_bundle::{FluentArgs, FluentValue};
use ipnet::IpNet;
use std::fmt;
use std::net::IpAddr;

/// What a hop decided, and about what.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Explanation {
    /// Nothing said: a quiet trace's rare decisions (see [`crate::sim::quietly`]).
    #[default]
    Unsaid,
    /// A sentence kept with the template it was written from.
    Said(Text),
    /// X4: a node sends a flow from its own address.
    Sends { who: String, flow: Header },
    /// S3: the destination answers; its groups let the reply out because they let the request in.
    AnswersStateful { who: String, to: Header },
    /// S3: a node that kept the client's address answers (load balancer).
    AnswersOwnGroups { who: String, to: Header },
    /// X1: answered on the host itself.
    AnswersOnHost { addr: IpAddr },
    /// I3, I5: an internet host answers.
    Answers { from: IpAddr, to: Header },
    /// G3: the AWS service answers through a gateway endpoint.
    ServiceAnswers { to: Header },
    /// E3: the AWS service answers through an interface endpoint.
    ServiceAnswersThroughEndpoint { to: Header },
    /// T6: a host on premises answers.
    OnPremisesAnswers { from: IpAddr, to: Header },
    /// G3: a gateway endpoint brings the reply back into its VPC.
    EndpointBringsBack { endpoint: String, vpc: String },
    /// S2: the destination receives the flow.
    Receives { who: String, flow: Header },
    /// S3: the source receives the reply.
    ReceivesReply { who: String },
    /// N4, N8, E9: a translation undone on the reply.
    TranslatesBack { who: String, from: Header, to: Header },
    /// X4: an instance that is not running neither sends (`answers` false) nor answers.
    NotRunning { instance: String, state: InstanceState, answers: bool },
    /// X4: the source/destination check drops a packet not for (or from) the interface.
    SourceCheckDrops { eni: String, outgoing: bool, addr: IpAddr },
    /// X4: the check is off, so the interface may forward.
    SourceCheckOff { eni: String },
    /// S2: a rule of a security group lets the node send (`egress`) or receive the flow.
    SgAllows { sg: String, who: String, egress: bool, flow: Header },
    /// S2: the node has no security group at all.
    SgNone { who: String, egress: bool, flow: Header },
    /// S2: the node's groups have no rules at all.
    SgEmpty { groups: String, who: String, egress: bool, flow: Header },
    /// S2: no rule of the node's groups matches.
    SgNoRule { groups: String, egress: bool, flow: Header },
    /// L1: the subnet has no network ACL in the design.
    NaclAbsent { subnet: String },
    /// L2, L3: the first matching entry allows the flow across the subnet's edge.
    NaclAllows { acl: String, egress: bool, flow: Header, subnet: String },
    /// L2, L3: an entry (`by_entry`) or the final `*` entry stops the flow; on a reply the
    /// sentence says the ACL is stateless.
    NaclStops { acl: String, egress: bool, flow: Header, subnet: String, by_entry: bool, reply: bool },
    /// X3, R8, L5: the destination is in the same subnet.
    Switched { dst: IpAddr, subnet: String },
    /// R1: the subnet has no route table.
    NoRouteTable { subnet: String },
    /// R3: the packet came back to a table unchanged.
    RoutingLoop { table: String },
    /// R3: no route matches; `points_back` when the only match points back at the forwarder (N3).
    NoRoute { table: String, dst: IpAddr, points_back: bool },
    /// R3: the table sends the destination to the target of its only (or longest) match.
    RouteSends { table: String, dst: IpAddr, target: RouteTarget, longest: bool },
    /// R6: the same, but the route is a blackhole.
    RouteBlackhole { table: String, dst: IpAddr, target: RouteTarget, longest: bool },
    /// R6: the route's target, named by id, is not in the design.
    TargetDeleted { id: String },
    /// R6: a route table's route names a target that is not in the design.
    RouteTargetGone { target: RouteTarget },
    /// R2: no interface of the VPC has the address.
    NoInterfaceAt { vpc: String, addr: IpAddr },
    /// N4, N9 (and NAT64, I5): a NAT gateway rewrites the source (and, for NAT64, the
    /// destination) from `before` to `after`; `transit_source` when the source is another
    /// VPC's that came through a transit gateway attachment (N6); `zone` what a regional
    /// NAT gateway did about the AZ.
    NatRewrites { nat: String, before: Header, after: Header, nat64: bool, transit_source: bool, zone: ZoneNote },
    /// M10: an application load balancer invokes the Lambda function of a `lambda` target
    /// group through the Lambda service: no packet enters the function's VPC interfaces.
    InvokesLambda { lb: String, function: String, group: String },
    /// M11: a network load balancer forwards to an application load balancer's node (an `alb`
    /// target group), keeping the client's address; the ALB's groups and listener decide next.
    ForwardsToAlb { nlb: String, alb: String, to: Header, client: IpAddr },
}

pub use matched::{Answer, Beaten, Lost, Matched, RouteEntry, TgwOrigin};

mod matched;

/// What a regional NAT gateway did about the AZ it served the packet in (N9).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum ZoneNote {
    /// A zonal NAT gateway, or no AZ known.
    #[default]
    None,
    /// Automatic mode: it serves every AZ its VPC has workloads in.
    Automatic { az: String },
    /// Manual mode: the zone's Elastic IP.
    Manual { eip: String, zone: String },
    /// Manual mode, the AZ not listed: the first zone's address (`az` unknown: "this AZ").
    ManualUnlisted { az: Option<String>, zone: String },
}

impl From<Text> for Explanation {
    fn from(t: Text) -> Explanation {
        if t.template.is_empty() && t.english.is_empty() {
            Explanation::Unsaid
        } else {
            Explanation::Said(t)
        }
    }
}

impl From<String> for Explanation {
    fn from(s: String) -> Explanation {
        Explanation::from(Text::from(s))
    }
}

/// `60.1.1.1:80`, or the address alone without ports.
fn dst_text(h: &Header) -> String {
    match h.dst_port {
        Some(p) => super::result::socket_text(h.dst, p),
        None => h.dst.to_string(),
    }
}

/// `send`/`receive`, `out`/`in`: the suffix of a message by direction.
fn dir(egress: bool) -> &'static str {
    if egress {
        "out"
    } else {
        "in"
    }
}

impl Explanation {
    /// Whether nothing was said.
    pub fn is_empty(&self) -> bool {
        match self {
            Explanation::Unsaid => true,
            Explanation::Said(t) => t.english.is_empty(),
            _ => false,
        }
    }

    /// The catalogue message of a typed decision and its parts (`None` for sentences).
    pub fn message(&self) -> Option<(String, Vec<(&'static str, String)>)> {
        use Explanation as E;
        let s = |v: &dyn fmt::Display| v.to_string();
        let (id, args): (String, Vec<(&'static str, String)>) = match self {
            E::Unsaid | E::Said(_) => return None,
            E::Sends { who, flow } => ("hop-sends".into(), vec![("who", who.clone()), ("flow", s(flow))]),
            E::AnswersStateful { who, to } => {
                ("hop-answers-stateful".into(), vec![("who", who.clone()), ("to", dst_text(to))])
            }
            E::AnswersOwnGroups { who, to } => {
                ("hop-answers-own-groups".into(), vec![("who", who.clone()), ("to", dst_text(to))])
            }
            E::AnswersOnHost { addr } => ("hop-answers-on-host".into(), vec![("addr", s(addr))]),
            E::Answers { from, to } => ("hop-answers".into(), vec![("from", s(from)), ("to", dst_text(to))]),
            E::ServiceAnswers { to } => ("hop-service-answers".into(), vec![("to", dst_text(to))]),
            E::ServiceAnswersThroughEndpoint { to } => {
                ("hop-service-answers-through-endpoint".into(), vec![("to", dst_text(to))])
            }
            E::OnPremisesAnswers { from, to } => {
                ("hop-on-premises-answers".into(), vec![("from", s(from)), ("to", dst_text(to))])
            }
            E::EndpointBringsBack { endpoint, vpc } => {
                ("hop-endpoint-brings-back".into(), vec![("endpoint", endpoint.clone()), ("vpc", vpc.clone())])
            }
            E::Receives { who, flow } => ("hop-receives".into(), vec![("who", who.clone()), ("flow", s(flow))]),
            E::ReceivesReply { who } => ("hop-receives-reply".into(), vec![("who", who.clone())]),
            E::TranslatesBack { who, from, to } => {
                ("hop-translates-back".into(), vec![("who", who.clone()), ("from", s(from)), ("to", s(to))])
            }
            E::NotRunning { instance, state, answers } => (
                format!("hop-not-running-{}", if *answers { "answers" } else { "sends" }),
                vec![
                    // The sentence was always written in lower case, the id with it.
                    ("instance", instance.to_lowercase()),
                    ("state", format!("{state:?}").to_lowercase()),
                ],
            ),
            E::SourceCheckDrops { eni, outgoing, addr } => {
                (format!("hop-source-check-drops-{}", dir(*outgoing)), vec![("eni", eni.clone()), ("addr", s(addr))])
            }
            E::SourceCheckOff { eni } => ("hop-source-check-off".into(), vec![("eni", eni.clone())]),
            E::SgAllows { sg, who, egress, flow } => (
                format!("hop-sg-allows-{}", dir(*egress)),
                vec![("sg", sg.clone()), ("who", who.clone()), ("flow", s(flow))],
            ),
            E::SgNone { who, egress, flow } => {
                (format!("hop-sg-none-{}", dir(*egress)), vec![("who", who.clone()), ("flow", s(flow))])
            }
            E::SgEmpty { groups, who, egress, flow } => (
                format!("hop-sg-empty-{}", dir(*egress)),
                vec![("groups", groups.clone()), ("who", who.clone()), ("flow", s(flow))],
            ),
            E::SgNoRule { groups, egress, flow } => {
                (format!("hop-sg-no-rule-{}", dir(*egress)), vec![("groups", groups.clone()), ("flow", s(flow))])
            }
            E::NaclAbsent { subnet } => ("hop-nacl-absent".into(), vec![("subnet", subnet.clone())]),
            E::NaclAllows { acl, egress, flow, subnet } => (
                format!("hop-nacl-allows-{}", dir(*egress)),
                vec![("acl", acl.clone()), ("flow", s(flow)), ("subnet", subnet.clone())],
            ),
            E::NaclStops { acl, egress, flow, subnet, by_entry, reply } => (
                format!(
                    "hop-nacl-stops-{}-{}{}",
                    dir(*egress),
                    if *by_entry { "entry" } else { "default" },
                    if *reply { "-reply" } else { "" }
                ),
                vec![("acl", acl.clone()), ("flow", s(flow)), ("subnet", subnet.clone())],
            ),
            E::Switched { dst, subnet } => ("hop-switched".into(), vec![("dst", s(dst)), ("subnet", subnet.clone())]),
            E::NoRouteTable { subnet } => ("hop-no-route-table".into(), vec![("subnet", subnet.clone())]),
            E::RoutingLoop { table } => ("hop-routing-loop".into(), vec![("table", table.clone())]),
            E::NoRoute { table, dst, points_back } => (
                if *points_back { "hop-no-route-points-back" } else { "hop-no-route" }.into(),
                vec![("table", table.clone()), ("dst", s(dst))],
            ),
            E::RouteSends { table, dst, target, longest } | E::RouteBlackhole { table, dst, target, longest } => {
                let kind = if matches!(self, E::RouteSends { .. }) { "sends" } else { "blackhole" };
                let local = if *target == RouteTarget::Local { "-local" } else { "" };
                let why = if *longest { "longest" } else { "only" };
                (
                    format!("hop-route-{kind}{local}-{why}"),
                    vec![("table", table.clone()), ("dst", s(dst)), ("target", s(target))],
                )
            }
            E::TargetDeleted { id } => ("hop-target-deleted".into(), vec![("id", id.clone())]),
            E::RouteTargetGone { target } => ("hop-route-target-gone".into(), vec![("target", s(target))]),
            E::NoInterfaceAt { vpc, addr } => {
                ("hop-no-interface-at".into(), vec![("vpc", vpc.clone()), ("addr", s(addr))])
            }
            E::NatRewrites { nat, before, after, nat64, .. } => (
                if *nat64 { "hop-nat64-rewrites" } else { "hop-nat-rewrites" }.into(),
                vec![
                    ("nat", nat.clone()),
                    ("src", s(&before.src)),
                    ("to", s(&after.src)),
                    ("dst", s(&before.dst)),
                    ("v4", s(&after.dst)),
                ],
            ),
            E::InvokesLambda { lb, function, group } => (
                "hop-invokes-lambda".into(),
                vec![("lb", lb.clone()), ("function", function.clone()), ("group", group.clone())],
            ),
            E::ForwardsToAlb { nlb, alb, to, client } => (
                "hop-forwards-to-alb".into(),
                vec![("nlb", nlb.clone()), ("alb", alb.clone()), ("to", dst_text(to)), ("client", s(client))],
            ),
        };
        Some((id, args))
    }

    /// The sentence in `lang` when its catalogue says this decision; `None` when it does not
    /// (a sentence whose template no catalogue knows, or nothing said).
    pub fn render_in(&self, lang: Lang) -> Option<String> {
        match self {
            Explanation::Unsaid => None,
            Explanation::Said(t) => match lang {
                Lang::En => Some(t.english.clone()),
                _ => t.translated(lang),
            },
            typed => {
                let (id, mut parts) = typed.message()?;
                if let Explanation::NatRewrites { before, after, transit_source, zone, .. } = typed {
                    parts.extend(nat_notes(lang, before, after, *transit_source, zone)?);
                }
                say(lang, &id, parts)
            }
        }
    }

    /// The sentence in `lang`, English when the catalogue of `lang` does not say it.
    pub fn render(&self, lang: Lang) -> String {
        self.render_in(lang).or_else(|| self.render_in(Lang::En)).unwrap_or_default()
    }
}

/// A catalogue message with text parts.
fn say(lang: Lang, id: &str, parts: Vec<(&'static str, String)>) -> Option<String> {
    let mut args = FluentArgs::new();
    for (k, v) in parts {
        args.set(k, FluentValue::from(super::render::said_in_sentence(v, lang)));
    }
    l10n::message(lang, id, &args)
}

/// The parts of a NAT gateway's sentence that are there only sometimes: the source port it
/// remapped, why it serves another VPC's source (N6), and the AZ note of a regional one (N9).
/// Each is a message of its own that carries its own separator.
fn nat_notes(
    lang: Lang,
    before: &Header,
    after: &Header,
    transit_source: bool,
    zone: &ZoneNote,
) -> Option<Vec<(&'static str, String)>> {
    let ports = match (before.src_port, after.src_port) {
        (Some(a), Some(b)) => say(lang, "hop-nat-ports", vec![("from", a.to_string()), ("to", b.to_string())])?,
        _ => String::new(),
    };
    let served = match transit_source {
        true => say(lang, "hop-nat-transit-source", vec![("src", before.src.to_string())])?,
        false => String::new(),
    };
    let zone = match zone {
        ZoneNote::None => String::new(),
        ZoneNote::Automatic { az } => say(lang, "hop-nat-zone-automatic", vec![("az", az.clone())])?,
        ZoneNote::Manual { eip, zone } => {
            say(lang, "hop-nat-zone-manual", vec![("eip", eip.clone()), ("zone", zone.clone())])?
        }
        ZoneNote::ManualUnlisted { az: Some(az), zone } => {
            say(lang, "hop-nat-zone-unlisted", vec![("az", az.clone()), ("zone", zone.clone())])?
        }
        ZoneNote::ManualUnlisted { az: None, zone } => {
            say(lang, "hop-nat-zone-unlisted-this-az", vec![("zone", zone.clone())])?
        }
    };
    Some(vec![("ports", ports), ("served", served), ("zone", zone)])
}

/// English: the engine's sentence, byte for byte.
impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

/// In JSON a decision (and a reason) is its English sentence, as it always was.
impl serde::Serialize for Explanation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Protocol;
    use Explanation as E;

    fn flow() -> Header {
        Header {
            src: "10.0.1.10".parse().expect("ip"),
            dst: "52.1.2.3".parse().expect("ip"),
            protocol: Protocol::Tcp,
            src_port: Some(49152),
            dst_port: Some(443),
        }
    }

    /// One value of every variant (and of every flag that picks a message), with the sentence
    /// the engine wrote for it before decisions were values: English must not move a byte.
    fn goldens() -> Vec<(Explanation, &'static str)> {
        let h = flow();
        let r = h.reversed();
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        let igw = RouteTarget::InternetGateway("igw-1".into());
        let mut after = h;
        after.src = ip("10.0.0.5");
        after.src_port = Some(1024);
        let mut v6 = h;
        v6.src = ip("2001:db8::10");
        v6.dst = ip("64:ff9b::3401:203");
        let mut v6_after = v6;
        v6_after.src = ip("52.9.9.9");
        v6_after.dst = ip("52.1.2.3");
        v6_after.src_port = Some(1024);
        vec![
            (crate::text!("its subnet is not in the design").into(), "its subnet is not in the design"),
            (
                E::Sends { who: "web (i-1)".into(), flow: h },
                "web (i-1) sends 10.0.1.10:49152 → 52.1.2.3:443 tcp from its own address",
            ),
            (
                E::AnswersStateful { who: "web (i-1)".into(), to: r },
                "web (i-1) answers 10.0.1.10:49152; security groups let the reply out because they allowed the request (stateful)",
            ),
            (
                E::AnswersOwnGroups { who: "alb (lb-1)".into(), to: r },
                "alb (lb-1) answers 10.0.1.10:49152; its security groups let the reply out (stateful)",
            ),
            (
                E::AnswersOnHost { addr: ip("169.254.169.254") },
                "169.254.169.254 answers on the host itself; nothing on the way can block it",
            ),
            (E::Answers { from: h.dst, to: r }, "52.1.2.3 answers 10.0.1.10:49152"),
            (E::ServiceAnswers { to: r }, "the service answers 10.0.1.10:49152"),
            (E::ServiceAnswersThroughEndpoint { to: r }, "the service answers through the endpoint to 10.0.1.10:49152"),
            (E::OnPremisesAnswers { from: h.dst, to: r }, "52.1.2.3 on premises answers 10.0.1.10:49152"),
            (
                E::EndpointBringsBack { endpoint: "vpce-1".into(), vpc: "vpc-1".into() },
                "vpce-1 brings the reply back into vpc-1",
            ),
            (E::Receives { who: "db (i-2)".into(), flow: h }, "db (i-2) receives 10.0.1.10:49152 → 52.1.2.3:443 tcp"),
            (
                E::ReceivesReply { who: "web (i-1)".into() },
                "web (i-1) receives the reply; its security groups let it in because they let the request out (stateful)",
            ),
            (
                E::TranslatesBack { who: "nat (nat-1)".into(), from: after.reversed(), to: r },
                "nat (nat-1) matches the reply to its connection and translates it back: 52.1.2.3:443 → 10.0.0.5:1024 tcp becomes 52.1.2.3:443 → 10.0.1.10:49152 tcp",
            ),
            (
                E::NotRunning { instance: "i-AB".into(), state: InstanceState::Stopped, answers: false },
                "i-ab is stopped and sends nothing",
            ),
            (
                E::NotRunning { instance: "i-1".into(), state: InstanceState::ShuttingDown, answers: true },
                "i-1 is shuttingdown and answers nothing",
            ),
            (
                E::SourceCheckDrops { eni: "eni-1".into(), outgoing: true, addr: h.src },
                "eni-1 has the source/destination check on, so it drops a packet whose source 10.0.1.10 is not its own address",
            ),
            (
                E::SourceCheckDrops { eni: "eni-1".into(), outgoing: false, addr: h.dst },
                "eni-1 has the source/destination check on, so it drops a packet whose destination 52.1.2.3 is not its own address",
            ),
            (
                E::SourceCheckOff { eni: "eni-1".into() },
                "eni-1 has the source/destination check off, so it may forward packets for other addresses",
            ),
            (
                E::SgAllows { sg: "sg-1".into(), who: "web (i-1)".into(), egress: true, flow: h },
                "sg-1 lets web (i-1) send 10.0.1.10:49152 → 52.1.2.3:443 tcp: a rule matches",
            ),
            (
                E::SgAllows { sg: "sg-1".into(), who: "web (i-1)".into(), egress: false, flow: h },
                "sg-1 lets web (i-1) receive 10.0.1.10:49152 → 52.1.2.3:443 tcp: a rule matches",
            ),
            (
                E::SgNone { who: "web (i-1)".into(), egress: true, flow: h },
                "web (i-1) has no security group, so it may not send 10.0.1.10:49152 → 52.1.2.3:443 tcp",
            ),
            (
                E::SgNone { who: "web (i-1)".into(), egress: false, flow: h },
                "web (i-1) has no security group, so it may not receive 10.0.1.10:49152 → 52.1.2.3:443 tcp",
            ),
            (
                E::SgEmpty { groups: "sg-1, sg-2".into(), who: "web (i-1)".into(), egress: true, flow: h },
                "sg-1, sg-2 has no rules at all, so web (i-1) may not send 10.0.1.10:49152 → 52.1.2.3:443 tcp",
            ),
            (
                E::SgEmpty { groups: "sg-1".into(), who: "web (i-1)".into(), egress: false, flow: h },
                "sg-1 has no rules at all, so web (i-1) may not receive 10.0.1.10:49152 → 52.1.2.3:443 tcp",
            ),
            (
                E::SgNoRule { groups: "sg-1".into(), egress: true, flow: h },
                "no outbound rule of sg-1 matches 10.0.1.10:49152 → 52.1.2.3:443 tcp",
            ),
            (
                E::SgNoRule { groups: "sg-1".into(), egress: false, flow: h },
                "no inbound rule of sg-1 matches 10.0.1.10:49152 → 52.1.2.3:443 tcp",
            ),
            (
                E::NaclAbsent { subnet: "subnet-1".into() },
                "subnet-1 has no network ACL in the design; treated as allowing everything",
            ),
            (
                E::NaclAllows { acl: "acl-1".into(), egress: true, flow: h, subnet: "app (subnet-1)".into() },
                "acl-1 lets 10.0.1.10:49152 → 52.1.2.3:443 tcp leave app (subnet-1): the first matching outbound rule allows it",
            ),
            (
                E::NaclAllows { acl: "acl-1".into(), egress: false, flow: h, subnet: "app (subnet-1)".into() },
                "acl-1 lets 10.0.1.10:49152 → 52.1.2.3:443 tcp enter app (subnet-1): the first matching inbound rule allows it",
            ),
            (
                E::NaclStops { acl: "acl-1".into(), egress: true, flow: h, subnet: "subnet-1".into(), by_entry: true, reply: false },
                "acl-1 stops 10.0.1.10:49152 → 52.1.2.3:443 tcp from leaving subnet-1: the first matching outbound rule denies it",
            ),
            (
                E::NaclStops { acl: "acl-1".into(), egress: false, flow: h, subnet: "subnet-1".into(), by_entry: false, reply: false },
                "acl-1 stops 10.0.1.10:49152 → 52.1.2.3:443 tcp from entering subnet-1: no inbound rule matches, so the final * rule denies it",
            ),
            (
                E::NaclStops { acl: "acl-1".into(), egress: true, flow: r, subnet: "subnet-1".into(), by_entry: false, reply: true },
                "acl-1 stops 52.1.2.3:443 → 10.0.1.10:49152 tcp from leaving subnet-1: no outbound rule matches, so the final * rule denies it (the ACL is stateless: the reply needs its own rule, L3, L6)",
            ),
            (
                E::NaclStops { acl: "acl-1".into(), egress: false, flow: r, subnet: "subnet-1".into(), by_entry: true, reply: true },
                "acl-1 stops 52.1.2.3:443 → 10.0.1.10:49152 tcp from entering subnet-1: the first matching inbound rule denies it (the ACL is stateless: the reply needs its own rule, L3, L6)",
            ),
            (
                E::Switched { dst: ip("10.0.1.20"), subnet: "subnet-1".into() },
                "10.0.1.20 is in subnet-1 too: the packet is switched inside the subnet, with no route table and no network ACL (R8, L5)",
            ),
            (E::NoRouteTable { subnet: "subnet-1".into() }, "subnet-1 has no route table (and its VPC no main table)"),
            (E::RoutingLoop { table: "rtb-1".into() }, "the packet comes back to rtb-1 unchanged: a routing loop"),
            (E::NoRoute { table: "rtb-1".into(), dst: h.dst, points_back: false }, "rtb-1 has no route for 52.1.2.3"),
            (
                E::NoRoute { table: "rtb-1".into(), dst: h.dst, points_back: true },
                "rtb-1 has no route for 52.1.2.3 (its only matching route points back at the forwarder itself, N3)",
            ),
            (
                E::RouteSends { table: "rtb-1".into(), dst: h.dst, target: igw.clone(), longest: false },
                "rtb-1 sends 52.1.2.3 to igw-1: the only matching route",
            ),
            (
                E::RouteSends { table: "rtb-1".into(), dst: h.dst, target: igw.clone(), longest: true },
                "rtb-1 sends 52.1.2.3 to igw-1: the longest matching prefix",
            ),
            (
                E::RouteSends { table: "rtb-1".into(), dst: ip("10.0.1.20"), target: RouteTarget::Local, longest: true },
                "rtb-1 sends 10.0.1.20 to local (inside the VPC): the longest matching prefix",
            ),
            (
                E::RouteBlackhole { table: "rtb-1".into(), dst: h.dst, target: igw.clone(), longest: false },
                "rtb-1 sends 52.1.2.3 to igw-1: the only matching route, but the route is a blackhole (its target is gone or not active)",
            ),
            (
                E::RouteBlackhole { table: "rtb-1".into(), dst: h.dst, target: RouteTarget::Local, longest: true },
                "rtb-1 sends 52.1.2.3 to local (inside the VPC): the longest matching prefix, but the route is a blackhole (its target is gone or not active)",
            ),
            (
                E::TargetDeleted { id: "pcx-1".into() },
                "pcx-1 is not in the design (deleted), so the route to it is a blackhole",
            ),
            (
                E::RouteTargetGone { target: igw },
                "the route's target igw-1 is not in the design (deleted), so the route is a blackhole",
            ),
            (
                E::NoInterfaceAt { vpc: "vpc-1".into(), addr: ip("10.0.9.9") },
                "no network interface in vpc-1 has the address 10.0.9.9",
            ),
            (
                E::NatRewrites {
                    nat: "nat-1".into(),
                    before: h,
                    after,
                    nat64: false,
                    transit_source: false,
                    zone: ZoneNote::None,
                },
                "nat-1 rewrites the source 10.0.1.10 → 10.0.0.5 and the source port 49152 → 1024 (1024–65535); the destination stays 52.1.2.3",
            ),
            (
                E::NatRewrites {
                    nat: "nat-1".into(),
                    before: h,
                    after,
                    nat64: false,
                    transit_source: true,
                    zone: ZoneNote::Automatic { az: "ap-northeast-2a".into() },
                },
                "nat-1 rewrites the source 10.0.1.10 → 10.0.0.5 and the source port 49152 → 1024 (1024–65535); the destination stays 52.1.2.3; 10.0.1.10 is from another VPC but came in through a transit gateway attachment, which a NAT gateway serves (centralized egress, N6); a regional NAT gateway serves every AZ its VPC has workloads in, here ap-northeast-2a",
            ),
            (
                E::NatRewrites {
                    nat: "nat-1".into(),
                    before: v6,
                    after: v6_after,
                    nat64: true,
                    transit_source: false,
                    zone: ZoneNote::Manual { eip: "eipalloc-1".into(), zone: "ap-northeast-2a".into() },
                },
                "nat-1 translates IPv6 to IPv4 (NAT64): the source 2001:db8::10 → 52.9.9.9 and the source port 49152 → 1024 (1024–65535), the destination 64:ff9b::3401:203 → 52.1.2.3, the IPv4 address inside it; in manual mode it uses eipalloc-1's address in ap-northeast-2a",
            ),
            (
                E::NatRewrites {
                    nat: "nat-1".into(),
                    before: Header { src_port: None, dst_port: None, protocol: Protocol::Icmp, ..h },
                    after: Header { src_port: None, dst_port: None, protocol: Protocol::Icmp, ..after },
                    nat64: false,
                    transit_source: false,
                    zone: ZoneNote::ManualUnlisted { az: None, zone: "ap-northeast-2a".into() },
                },
                "nat-1 rewrites the source 10.0.1.10 → 10.0.0.5; the destination stays 52.1.2.3; in manual mode it lists no addresses for this AZ, so the trace uses ap-northeast-2a's (AWS does not document which zone serves it)",
            ),
            (
                E::NatRewrites {
                    nat: "nat-1".into(),
                    before: Header { src_port: None, ..h },
                    after: Header { src_port: None, ..after },
                    nat64: false,
                    transit_source: false,
                    zone: ZoneNote::ManualUnlisted { az: Some("ap-northeast-2c".into()), zone: "ap-northeast-2a".into() },
                },
                "nat-1 rewrites the source 10.0.1.10 → 10.0.0.5; the destination stays 52.1.2.3; in manual mode it lists no addresses for ap-northeast-2c, so the trace uses ap-northeast-2a's (AWS does not document which zone serves it)",
            ),
            (
                E::InvokesLambda { lb: "front (lb-1)".into(), function: "api (lambda-1)".into(), group: "tg-1".into() },
                "front (lb-1) invokes api (lambda-1) through the Lambda service with the request as an event (target group tg-1): no packet enters the function's VPC interfaces, so none of its security groups or network ACLs apply",
            ),
            (
                E::ForwardsToAlb { nlb: "edge (lb-1)".into(), alb: "front (lb-2)".into(), to: h, client: ip("60.1.1.1") },
                "edge (lb-1) forwards to the application load balancer front (lb-2) at 52.1.2.3:443 (an alb target group), keeping the client's address 60.1.1.1; the ALB's security groups and listener decide next",
            ),
        ]
    }

    #[test]
    fn english_is_the_engines_sentence_byte_for_byte() {
        for (e, want) in goldens() {
            assert_eq!(e.to_string(), want, "{e:?}");
            assert_eq!(serde_json::to_string(&e).expect("json"), serde_json::to_string(want).expect("json"));
        }
    }

    /// Every typed decision has its own Korean sentence in ko.ftl (not the generic one of its
    /// action) that keeps the specifics: ids, addresses and the flow.
    #[test]
    fn every_decision_has_a_specific_korean_sentence_with_its_specifics() {
        let hangul = |s: &str| s.chars().any(|c| ('\u{AC00}'..='\u{D7A3}').contains(&c));
        let mut seen = std::collections::BTreeSet::new();
        // Every flag of the decisions that pick their message by flags.
        let mut all: Vec<Explanation> = goldens().into_iter().map(|(e, _)| e).collect();
        for bits in 0..8u8 {
            let [a, b, c] = [bits & 1 != 0, bits & 2 != 0, bits & 4 != 0];
            let (h, subnet) = (flow(), "subnet-1".to_string());
            all.push(E::NaclStops { acl: "acl-1".into(), egress: a, flow: h, subnet, by_entry: b, reply: c });
            let target = if a { RouteTarget::Local } else { RouteTarget::NatGateway("nat-1".into()) };
            let (table, dst) = ("rtb-1".to_string(), h.dst);
            all.push(if c {
                E::RouteSends { table, dst, target, longest: b }
            } else {
                E::RouteBlackhole { table, dst, target, longest: b }
            });
        }
        for e in all {
            let ko = e.render_in(Lang::Ko).unwrap_or_else(|| panic!("no Korean for {e:?}"));
            assert!(hangul(&ko), "{ko}");
            if let Some((id, parts)) = e.message() {
                seen.insert(id.clone());
                for (name, value) in parts {
                    // The state and the lowercased id of a stopped instance are said in Korean.
                    if name != "state" && name != "v4" {
                        assert!(ko.contains(&value), "{id}: {ko} lacks {name} = {value}");
                    }
                }
            }
        }
        // Every message a variant can pick is covered above, and each is in both catalogues.
        let (en, _) = crate::l10n::catalogue_ids(crate::l10n::EN_FTL);
        let (ko, _) = crate::l10n::catalogue_ids(crate::l10n::KO_FTL);
        let hop: Vec<&String> = en.iter().filter(|k| k.starts_with("hop-")).collect();
        for id in &hop {
            assert!(ko.contains(id), "{id} is not in ko.ftl");
            // NAT's optional parts, and the matched rules (`the_matched_rule_in_both_languages`).
            let part = (id.starts_with("hop-nat-") && *id != "hop-nat-rewrites") || id.starts_with("hop-match-");
            assert!(part || seen.contains(id.as_str()), "{id}: no variant above picks it");
        }
        assert!(seen.len() >= 50, "{} messages", seen.len());
        let specific =
            E::RouteSends { table: "rtb-1".into(), dst: flow().dst, target: RouteTarget::Local, longest: true };
        assert_eq!(
            specific.render(Lang::Ko),
            "라우팅 테이블 rtb-1이(가) 52.1.2.3을(를) local(VPC 내부)로 보냅니다: 가장 길게 일치하는 접두사입니다"
        );
        let stopped = E::NotRunning { instance: "i-1".into(), state: InstanceState::Stopped, answers: false };
        assert_eq!(stopped.render(Lang::Ko), "i-1이(가) 중지됨(stopped) 상태라서 아무것도 보내지 않습니다");
    }

    /// The rule that decided a hop: English as the engine wrote it, Korean by the catalogue.
    #[test]
    fn the_matched_rule_in_both_languages() {
        let any4: IpNet = "0.0.0.0/0".parse().expect("cidr");
        let sg = Matched::SgRule {
            sg: "sg-1".into(),
            egress: false,
            protocol: Protocol::Tcp,
            ports: PortSpec::Range { from: 80, to: 80 },
            peer: SgPeer::Cidr(any4),
        };
        assert_eq!(sg.to_string(), "sg-1 allow tcp 80 from 0.0.0.0/0");
        assert_eq!(sg.render(Lang::Ko), "sg-1 인바운드 규칙: tcp 80 허용, 소스 0.0.0.0/0");
        let out = Matched::SgRule {
            sg: "sg-1".into(),
            egress: true,
            protocol: Protocol::All,
            ports: PortSpec::All,
            peer: SgPeer::Cidr(any4),
        };
        assert_eq!(out.to_string(), "sg-1 allow all to 0.0.0.0/0");
        let entry = Matched::NaclEntry {
            number: Some(100),
            action: RuleAction::Allow,
            protocol: Protocol::Tcp,
            ports: PortSpec::Range { from: 1024, to: 65535 },
            cidr: any4,
        };
        assert_eq!(entry.to_string(), "rule 100 allow tcp 1024-65535 0.0.0.0/0");
        assert_eq!(entry.render(Lang::Ko), "규칙 100: tcp 1024-65535 0.0.0.0/0 허용");
        let last = crate::sim::filters::nacl_entry(None, true);
        assert_eq!(last.to_string(), "rule * deny all ::/0");
        assert_eq!(last.render(Lang::Ko), "규칙 *: all ::/0 거부");
        let route = Matched::from("0.0.0.0/0 → igw-1".to_string());
        assert_eq!(
            (route.to_string(), route.render(Lang::Ko)),
            ("0.0.0.0/0 → igw-1".into(), "0.0.0.0/0 → igw-1".into())
        );
        assert_eq!(serde_json::to_string(&entry).expect("json"), "\"rule 100 allow tcp 1024-65535 0.0.0.0/0\"");
    }

    /// A quoted route or DNS answer keeps its English byte for byte, and says its words
    /// (propagated, blackhole, static, AAAA, public, private hosted zone) in Korean.
    #[test]
    fn routes_and_records_say_their_words_in_korean() {
        let ip = |s: &str| s.parse::<IpAddr>().expect("ip");
        let cidr: IpNet = "192.168.0.0/16".parse().expect("cidr");
        let route = |pl: Option<&str>, propagated, blackhole| {
            Matched::Route(RouteEntry {
                prefix_list: pl.map(String::from),
                cidr,
                target: RouteTarget::VpnGateway("vgw-1".into()),
                propagated,
                blackhole,
            })
        };
        let cases = [
            (route(None, false, false), "192.168.0.0/16 → vgw-1", "192.168.0.0/16 → vgw-1"),
            (route(None, true, false), "192.168.0.0/16 → vgw-1 (propagated)", "192.168.0.0/16 → vgw-1 (전파됨)"),
            (route(None, false, true), "192.168.0.0/16 → vgw-1 [blackhole]", "192.168.0.0/16 → vgw-1 [블랙홀]"),
            (
                route(None, true, true),
                "192.168.0.0/16 → vgw-1 (propagated) [blackhole]",
                "192.168.0.0/16 → vgw-1 (전파됨) [블랙홀]",
            ),
            (route(Some("pl-1"), false, false), "pl-1 (192.168.0.0/16) → vgw-1", "pl-1 (192.168.0.0/16) → vgw-1"),
            (
                Matched::TgwRoute { cidr, attachment: None, origin: TgwOrigin::Static },
                "192.168.0.0/16 → blackhole (static)",
                "192.168.0.0/16 → 블랙홀 (정적)",
            ),
            (
                Matched::TgwRoute { cidr, attachment: Some("tgw-attach-1".into()), origin: TgwOrigin::Vpn },
                "192.168.0.0/16 → tgw-attach-1 (propagated from a VPN)",
                "192.168.0.0/16 → tgw-attach-1 (VPN에서 전파됨)",
            ),
            (
                Matched::Record { name: "s3.x".into(), ip: ip("2600::1"), answer: Answer::Aaaa, zone: None },
                "s3.x → 2600::1 (AAAA)",
                "s3.x → 2600::1 (AAAA)",
            ),
            (
                Matched::Record {
                    name: "s3.x".into(),
                    ip: ip("64:ff9b::1"),
                    answer: Answer::Dns64 { a: ip("52.1.2.3") },
                    zone: None,
                },
                "s3.x → 64:ff9b::1 (AAAA synthesised by DNS64 from A 52.1.2.3)",
                "s3.x → 64:ff9b::1 (DNS64가 A 레코드 52.1.2.3에서 합성한 AAAA)",
            ),
            (
                Matched::Record { name: "s3.x".into(), ip: ip("52.1.2.3"), answer: Answer::Public, zone: None },
                "s3.x → 52.1.2.3 (public)",
                "s3.x → 52.1.2.3 (퍼블릭)",
            ),
            (
                Matched::Record { name: "s3.x".into(), ip: ip("10.0.0.5"), answer: Answer::A, zone: None }
                    .in_zone("vpce-1"),
                "s3.x → 10.0.0.5 (private hosted zone of vpce-1)",
                "s3.x → 10.0.0.5 (vpce-1의 프라이빗 호스팅 영역)",
            ),
        ];
        for (m, en, ko) in cases {
            assert_eq!(m.to_string(), en);
            assert_eq!(serde_json::to_string(&m).expect("json"), serde_json::to_string(en).expect("json"));
            assert_eq!(m.render(Lang::Ko), ko);
        }
    }

    /// A sentence kept with its template says itself in Korean by that template; one no
    /// catalogue knows says nothing in Korean (the caller falls back to its action).
    #[test]
    fn sentences_by_template() {
        let t: Explanation = crate::text!("{} forwards the packet unchanged", "nat-1").into();
        assert_eq!(t.to_string(), "nat-1 forwards the packet unchanged");
        assert_eq!(t.render_in(Lang::Ko).as_deref(), Some("nat-1이(가) 패킷을 그대로 전달합니다"));
        let plain: Explanation = String::from("something no catalogue has").into();
        assert_eq!(plain.render_in(Lang::Ko), None);
        assert_eq!(plain.render(Lang::Ko), "something no catalogue has");
        assert_eq!(Explanation::from(crate::l10n::Text::default()), Explanation::Unsaid);
        assert!(Explanation::Unsaid.is_empty() && Explanation::Unsaid.to_string().is_empty());
    }
}
