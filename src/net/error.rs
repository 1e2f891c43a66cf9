//! Why a CIDR was refused, or what the user should know about it: one value per rule, each
//! with a sentence that names the rule.

use super::cidr::{AddressClass, OctetProblem, Rfc1918Range};
use ipnet::Ipv4Net;
use std::fmt;

/// Which AWS object a block is being checked as; decides the size rule that applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CidrRole {
    /// The primary VPC CIDR (A1).
    VpcCidr,
    /// A secondary VPC CIDR (A2).
    SecondaryCidr,
    /// A subnet (A5).
    Subnet,
}

impl CidrRole {
    fn describe(self) -> &'static str {
        match self {
            CidrRole::VpcCidr => "a VPC CIDR",
            CidrRole::SecondaryCidr => "a secondary VPC CIDR",
            CidrRole::Subnet => "a subnet",
        }
    }

    fn rule(self) -> &'static str {
        match self {
            CidrRole::VpcCidr => "A1",
            CidrRole::SecondaryCidr => "A2",
            CidrRole::Subnet => "A5",
        }
    }
}

/// Why AWS refuses a secondary CIDR because of the VPC's existing ranges (A3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FamilyRestriction {
    /// The new block is in a different RFC 1918 range from the primary CIDR.
    OtherRfc1918 {
        /// The RFC 1918 range the new block is in.
        range: Rfc1918Range,
    },
    /// The primary CIDR is not RFC 1918 (public, 100.64/10 or 198.19/16), so no RFC 1918 block
    /// can be added.
    Rfc1918IntoNonRfc1918 {
        /// The RFC 1918 range the new block is in.
        range: Rfc1918Range,
    },
    /// 198.19.0.0/16 can only be used by a VPC whose primary CIDR is in it.
    Range198_19,
    /// A 172.16.0.0/12 VPC cannot add from 172.31.0.0/16.
    Range172_31,
    /// A VPC with a block in 10.0.0.0/15 cannot add from 10.0.0.0/16.
    TenZeroSixteen {
        /// The existing block inside 10.0.0.0/15.
        existing: Ipv4Net,
    },
}

impl FamilyRestriction {
    /// The reason as a sentence kept with its template (said in Korean through the catalogue).
    pub fn text(&self) -> crate::l10n::Text {
        match self {
            FamilyRestriction::OtherRfc1918 { range } => {
                crate::text!("it comes from another RFC 1918 range ({range}) than the primary CIDR")
            }
            FamilyRestriction::Rfc1918IntoNonRfc1918 { range } => {
                crate::text!("it comes from the RFC 1918 range {range} and the primary CIDR is not RFC 1918")
            }
            FamilyRestriction::Range198_19 => crate::text!("AWS reserves 198.19.0.0/16 for VPCs created in it"),
            FamilyRestriction::Range172_31 => crate::text!("a 172.16.0.0/12 VPC cannot add from 172.31.0.0/16"),
            FamilyRestriction::TenZeroSixteen { existing } => {
                crate::text!("the VPC already has {existing} in 10.0.0.0/15, which rules out 10.0.0.0/16")
            }
        }
    }
}

impl fmt::Display for FamilyRestriction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().english)
    }
}

/// Why a CIDR was refused. `Display` gives one sentence suitable for the status bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CidrError {
    /// The input was empty or only spaces.
    Empty,
    /// No `/` and prefix length, e.g. `10.0.0.0`.
    MissingPrefix {
        /// The trimmed input.
        input: String,
    },
    /// More than one `/`.
    TooManySlashes {
        /// The trimmed input.
        input: String,
    },
    /// The input looks like IPv6, which the planner does not handle yet (A7).
    Ipv6NotSupported {
        /// The trimmed input.
        input: String,
    },
    /// The address does not have four dot-separated parts.
    WrongOctetCount {
        /// The trimmed input.
        input: String,
        /// How many dot-separated parts there were.
        found: usize,
    },
    /// One octet is not a number from 0 to 255.
    BadOctet {
        /// The trimmed input.
        input: String,
        /// 1-based position of the octet.
        position: usize,
        /// The octet as typed.
        octet: String,
        /// What is wrong with it.
        problem: OctetProblem,
    },
    /// The text after `/` is empty or not a number.
    BadPrefix {
        /// The trimmed input.
        input: String,
        /// The prefix as typed.
        prefix: String,
    },
    /// The prefix length is above 32.
    PrefixTooLong {
        /// The prefix as typed.
        prefix: String,
    },
    /// The block is larger than the role allows (A1, A2, A5: /16 at most).
    TooLarge {
        /// The canonical block.
        cidr: Ipv4Net,
        /// What it was checked as.
        role: CidrRole,
    },
    /// The block is smaller than the role allows (A1, A2, A5: /28 at least).
    TooSmall {
        /// The canonical block.
        cidr: Ipv4Net,
        /// What it was checked as.
        role: CidrRole,
    },
    /// The block touches 169.254.0.0/16 (A3).
    LinkLocal {
        /// The canonical block.
        cidr: Ipv4Net,
    },
    /// A secondary CIDR was checked against a VPC with no CIDR at all.
    NoPrimaryCidr,
    /// A secondary CIDR overlaps one of the VPC's CIDRs (A2).
    OverlapsVpcCidr {
        /// The new block.
        cidr: Ipv4Net,
        /// The VPC CIDR it overlaps.
        existing: Ipv4Net,
    },
    /// A secondary CIDR falls under an AWS family restriction (A3).
    FamilyRestricted {
        /// The new block.
        cidr: Ipv4Net,
        /// The VPC's primary CIDR.
        primary: Ipv4Net,
        /// Which restriction.
        reason: FamilyRestriction,
    },
    /// The VPC already has the maximum number of IPv4 CIDRs (A2: 50 with a quota increase).
    QuotaExceeded {
        /// How many CIDRs the VPC would have.
        count: usize,
    },
    /// A secondary CIDR is equal to or larger than a route destination (A2).
    CoversRoute {
        /// The new block.
        cidr: Ipv4Net,
        /// The route destination it covers.
        route: Ipv4Net,
    },
    /// A subnet is not inside any VPC CIDR (A5).
    OutsideVpc {
        /// The subnet.
        subnet: Ipv4Net,
        /// The VPC's CIDRs.
        vpc_cidrs: Vec<Ipv4Net>,
    },
    /// A subnet straddles two or more VPC CIDRs (A5: it must sit inside one).
    SpansVpcCidrs {
        /// The subnet.
        subnet: Ipv4Net,
    },
    /// A subnet overlaps an existing subnet (A5).
    OverlapsSubnet {
        /// The new subnet.
        subnet: Ipv4Net,
        /// The existing subnet it overlaps.
        existing: Ipv4Net,
    },
}

impl CidrError {
    /// The message, kept with its template so the catalogues can say it in Korean (parts named
    /// `…_ui` are interface words, said in the user's language).
    pub fn text(&self) -> crate::l10n::Text {
        match self {
            CidrError::Empty => "enter a CIDR block such as 10.0.0.0/16".into(),
            CidrError::MissingPrefix { input } => {
                crate::text!("'{input}' has no prefix length; add one after a slash, e.g. {input}/16")
            }
            CidrError::TooManySlashes { input } => crate::text!("'{input}' has more than one '/'; write it like 10.0.0.0/16"),
            CidrError::Ipv6NotSupported { input } => {
                crate::text!("'{input}' looks like IPv6, which is not supported yet; enter an IPv4 CIDR")
            }
            CidrError::WrongOctetCount { input, found } => {
                crate::text!("'{input}' has {found} dot-separated parts; an IPv4 address has 4, e.g. 10.0.0.0")
            }
            CidrError::BadOctet { input, position, octet, problem } => match problem {
                OctetProblem::Empty => crate::text!("octet {position} of '{input}' is empty"),
                OctetProblem::NotANumber => crate::text!("octet {position} of '{input}' is '{octet}', which is not a number"),
                OctetProblem::TooLarge => crate::text!("octet {position} of '{input}' is {octet}, which is larger than 255"),
                OctetProblem::LeadingZero => crate::text!(
                    "octet {position} of '{input}' is '{octet}'; leading zeros are not allowed because some tools read them as octal"
                ),
            },
            CidrError::BadPrefix { input, prefix } if prefix.is_empty() => {
                crate::text!("'{input}' has nothing after the '/'; add a prefix length such as 16")
            }
            CidrError::BadPrefix { input, prefix } => {
                crate::text!("the prefix length '{prefix}' in '{input}' is not a number from 0 to 32")
            }
            CidrError::PrefixTooLong { prefix } => crate::text!("prefix length {prefix} is larger than 32"),
            CidrError::TooLarge { cidr, role } => crate::text!(
                "{cidr} is too large for {role_ui}: the largest allowed is /16 ({rule})",
                role_ui = role.describe(),
                rule = role.rule()
            ),
            CidrError::TooSmall { cidr, role } => crate::text!(
                "{cidr} is too small for {role_ui}: the smallest allowed is /28 ({rule})",
                role_ui = role.describe(),
                rule = role.rule()
            ),
            CidrError::LinkLocal { cidr } => {
                crate::text!("{cidr} is in the link-local range 169.254.0.0/16, which AWS never allows in a VPC (A3)")
            }
            CidrError::NoPrimaryCidr => "the VPC has no primary CIDR to add a secondary CIDR to (A2)".into(),
            CidrError::OverlapsVpcCidr { cidr, existing } => crate::text!("{cidr} overlaps the VPC's existing CIDR {existing} (A2)"),
            CidrError::FamilyRestricted { cidr, primary, reason } => {
                crate::text!("{cidr} cannot be added to a VPC whose primary CIDR is {primary}: {reason} (A3)")
                    .with("reason", reason.text())
            }
            CidrError::QuotaExceeded { count } => {
                crate::text!("a VPC can have at most 50 IPv4 CIDRs and this would make {count} (A2)")
            }
            CidrError::CoversRoute { cidr, route } => crate::text!(
                "{cidr} is equal to or larger than the route destination {route}; use a smaller block that does not cover it (A2)"
            ),
            CidrError::OutsideVpc { subnet, vpc_cidrs } if vpc_cidrs.is_empty() => {
                crate::text!("{subnet} cannot be placed: the VPC has no CIDR (A5)")
            }
            CidrError::OutsideVpc { subnet, vpc_cidrs } => {
                let cidrs = vpc_cidrs.iter().map(|c| c.to_string()).collect::<Vec<_>>().join(", ");
                crate::text!("{subnet} is outside the VPC's CIDRs ({cidrs}); a subnet must sit inside one of them (A5)")
            }
            CidrError::SpansVpcCidrs { subnet } => {
                crate::text!("{subnet} spans more than one VPC CIDR; a subnet must sit inside a single one (A5)")
            }
            CidrError::OverlapsSubnet { subnet, existing } => {
                crate::text!("{subnet} overlaps the existing subnet {existing} (A5)")
            }
        }
    }
}

impl fmt::Display for CidrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text().english)
    }
}

impl std::error::Error for CidrError {}

/// Something AWS allows but the user should know about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CidrWarning {
    /// The block overlaps 172.17.0.0/16, which Docker, Cloud9 and SageMaker use (A4).
    DockerBridgeRange {
        /// The block.
        cidr: Ipv4Net,
    },
    /// The block is not RFC 1918 or RFC 6598 space; AWS allows it but never advertises it (A4).
    NotPrivate {
        /// The block.
        cidr: Ipv4Net,
        /// Where it sits.
        class: AddressClass,
    },
    /// The VPC would exceed the default quota of 5 IPv4 CIDRs and needs an increase (A2).
    AboveDefaultQuota {
        /// How many CIDRs the VPC would have.
        count: usize,
    },
}

impl fmt::Display for CidrWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CidrWarning::DockerBridgeRange { cidr } => write!(
                f,
                "{cidr} overlaps 172.17.0.0/16, which Docker, Cloud9 and SageMaker use; AWS allows it but discourages it (A4)"
            ),
            CidrWarning::NotPrivate { cidr, class } => {
                let kind = match class {
                    AddressClass::Loopback => "is in the loopback range 127.0.0.0/8",
                    AddressClass::Multicast => "is in the multicast range 224.0.0.0/4",
                    AddressClass::Reserved => "is in reserved address space",
                    AddressClass::Mixed => "mixes private and other address space",
                    _ => "is publicly routable",
                };
                write!(
                    f,
                    "{cidr} {kind}; AWS allows it but never advertises it, and RFC 1918 space is recommended (A4)"
                )
            }
            CidrWarning::AboveDefaultQuota { count } => write!(
                f,
                "this makes {count} IPv4 CIDRs, above the default quota of 5; request a quota increase (A2)"
            ),
        }
    }
}
