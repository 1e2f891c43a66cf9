//! The rule, entry or record that decided a hop ([`Matched`]), as a value each language says.

use super::*;

/// The rule, entry or record that decided a hop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matched {
    /// S2: a security group's rule, outbound (`egress`) or inbound.
    SgRule { sg: String, egress: bool, protocol: Protocol, ports: PortSpec, peer: SgPeer },
    /// L2: a network ACL's entry; `None` the final `*` entry (deny all to or from `cidr`).
    NaclEntry { number: Option<u16>, action: RuleAction, protocol: Protocol, ports: PortSpec, cidr: IpNet },
    /// R3, R4: a route table's route.
    Route(RouteEntry),
    /// T4: a transit gateway route table's route: its prefix, its attachment (`None`: a
    /// blackhole) and how it got there.
    TgwRoute { cidr: IpNet, attachment: Option<String>, origin: TgwOrigin },
    /// A DNS answer: `name → ip`, which record it came from, and (E4) the private hosted zone
    /// of the endpoint that answered.
    Record { name: String, ip: IpAddr, answer: Answer, zone: Option<String> },
    /// Data as written, with no words to translate: an address mapping (`10.0.0.5 ↔ 3.35.10.10`).
    Text(String),
    /// A quote with words in it (a listener, an EKS cluster's public access CIDRs, an
    /// appliance's rule), kept with its template so each language says it.
    Said(Text),
}

/// A route table's route as a trace quotes it: `0.0.0.0/0 → igw-1`, `pl-1 (52.219.56.0/22) →
/// vpce-1`, with `(propagated)` for a route a VGW propagated (T6) and `[blackhole]` for one
/// whose target is gone (R6). Each language says the words through its catalogue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteEntry {
    /// The prefix list of a prefix-list route (`cidr` is then the CIDR of it that matched).
    pub prefix_list: Option<String>,
    pub cidr: IpNet,
    pub target: RouteTarget,
    pub propagated: bool,
    pub blackhole: bool,
}

impl RouteEntry {
    /// The route in `lang`.
    pub fn render(&self, lang: Lang) -> Option<String> {
        let target = self.target.to_string();
        let mut s = match &self.prefix_list {
            None => say(lang, "hop-match-route", vec![("destination", self.cidr.to_string()), ("target", target)])?,
            Some(pl) => say(
                lang,
                "hop-match-route-list",
                vec![("list", pl.clone()), ("cidr", self.cidr.to_string()), ("target", target)],
            )?,
        };
        if self.propagated {
            s = say(lang, "hop-match-route-propagated", vec![("route", s)])?;
        }
        if self.blackhole {
            s = say(lang, "hop-match-route-blackhole", vec![("route", s)])?;
        }
        Some(s)
    }
}

/// How a transit gateway route got into its table (T4, T6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TgwOrigin {
    Static,
    /// Propagated from a VPC attachment.
    Vpc,
    /// Propagated from a VPN attachment.
    Vpn,
}

/// Which record a DNS answer came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    /// The A record (or the only answer).
    A,
    /// The AAAA record: the client has IPv6 and prefers it.
    Aaaa,
    /// An AAAA record DNS64 synthesised from the A record `a` (I5).
    Dns64 { a: IpAddr },
    /// The service's public address, where private DNS would have answered (E4).
    Public,
}

/// A route that lost to the winner, and why (R3, R4; T4 for a transit gateway's).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Beaten {
    /// The route ([`Matched::Route`] or [`Matched::TgwRoute`]).
    pub route: Matched,
    pub why: Lost,
}

/// Why a route lost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lost {
    /// A route table's tie rules (R3, R4).
    Route(crate::sim::routing::LostBecause),
    /// T4: a transit gateway route of lower preference for the same prefix.
    TgwLowerPreference,
}

impl Lost {
    /// The reason in English (an interface text: other languages say it by its `ui-…` id).
    pub fn text(self) -> &'static str {
        match self {
            Lost::Route(l) => l.text(),
            Lost::TgwLowerPreference => crate::sim::routing::TGW_LOWER_PREFERENCE,
        }
    }
}

impl Beaten {
    /// `10.0.0.0/8 → tgw-1 (less specific)` in `lang`.
    pub fn render(&self, lang: Lang) -> String {
        format!("{} ({})", self.route.render(lang), l10n::ui(lang, self.why.text()))
    }
}

impl fmt::Display for Beaten {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl serde::Serialize for Beaten {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// Nothing quoted (a quiet trace's, see [`crate::sim::quietly`]).
impl Default for Matched {
    fn default() -> Matched {
        Matched::Text(String::new())
    }
}

impl From<String> for Matched {
    fn from(s: String) -> Matched {
        Matched::Text(s)
    }
}

impl From<Text> for Matched {
    fn from(t: Text) -> Matched {
        Matched::Said(t)
    }
}

impl Matched {
    /// A DNS answer given by the private hosted zone of `endpoint` (E4); anything else as it is.
    pub(crate) fn in_zone(self, endpoint: &str) -> Matched {
        match self {
            Matched::Record { name, ip, answer, .. } => {
                Matched::Record { name, ip, answer, zone: Some(endpoint.to_string()) }
            }
            other => other,
        }
    }

    /// The rule in `lang`: the ids, addresses and names are data; the words around them
    /// (`propagated`, `blackhole`, `AAAA`, `public` …) are said by the catalogue.
    pub fn render(&self, lang: Lang) -> String {
        let proto = |p: &Protocol, ports: &PortSpec| crate::sim::filters::proto_ports(*p, ports);
        let said = match self {
            Matched::Text(s) => return s.clone(),
            Matched::Said(t) => return t.render(lang),
            Matched::Route(r) => r.render(lang),
            Matched::TgwRoute { cidr, attachment, origin } => {
                let to = match attachment {
                    Some(a) => Some(a.clone()),
                    None => say(lang, "hop-match-tgw-blackhole", Vec::new()),
                };
                let id = match origin {
                    TgwOrigin::Static => "hop-match-tgw-route-static",
                    TgwOrigin::Vpc => "hop-match-tgw-route-vpc",
                    TgwOrigin::Vpn => "hop-match-tgw-route-vpn",
                };
                to.and_then(|to| say(lang, id, vec![("cidr", cidr.to_string()), ("to", to)]))
            }
            Matched::Record { name, ip, answer, zone } => {
                let (name, ip) = (name.clone(), ip.to_string());
                let record = match answer {
                    Answer::A => say(lang, "hop-match-record", vec![("name", name), ("ip", ip)]),
                    Answer::Aaaa => say(lang, "hop-match-record-aaaa", vec![("name", name), ("ip", ip)]),
                    Answer::Dns64 { a } => {
                        say(lang, "hop-match-record-dns64", vec![("name", name), ("ip", ip), ("a", a.to_string())])
                    }
                    Answer::Public => say(lang, "hop-match-record-public", vec![("name", name), ("ip", ip)]),
                };
                match zone {
                    None => record,
                    Some(e) => record.and_then(|r| {
                        say(lang, "hop-match-record-private-zone", vec![("record", r), ("endpoint", e.clone())])
                    }),
                }
            }
            Matched::SgRule { sg, egress, protocol, ports, peer } => say(
                lang,
                &format!("hop-match-sg-{}", dir(*egress)),
                vec![("sg", sg.clone()), ("what", proto(protocol, ports)), ("peer", peer.to_string())],
            ),
            Matched::NaclEntry { number, action, protocol, ports, cidr } => say(
                lang,
                &format!("hop-match-nacl-{action}"),
                vec![
                    ("number", number.map_or_else(|| "*".to_string(), |n| n.to_string())),
                    ("what", proto(protocol, ports)),
                    ("cidr", cidr.to_string()),
                ],
            ),
        };
        said.or_else(|| (lang != Lang::En).then(|| self.render(Lang::En))).unwrap_or_default()
    }
}

impl fmt::Display for Matched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render(Lang::En))
    }
}

impl serde::Serialize for Matched {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}
