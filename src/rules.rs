//! The numbering of `aws-network-semantics.md`: every rule id (`A5`, `R7`, `P2` …) as a value.
//!
//! Hops, findings and validation errors name the rule that decided them with a [`Rule`]; it
//! serializes to the id as written in the document, so JSON output stays `"rule": "A5"`.
//! This module is a leaf: it depends on nothing else in the crate, so every layer may use it.

/// Defines a fieldless enum whose values are written as fixed strings: `as_str`, `ALL`,
/// `Display`, `FromStr`, serde as the string, and comparison with `&str`.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident { $( $(#[$vmeta:meta])* $var:ident = $text:literal, )* }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name { $( $(#[$vmeta])* $var, )* }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$var),*];

            /// The value as written in output.
            pub const fn as_str(self) -> &'static str {
                match self { $($name::$var => $text,)* }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<$name, String> {
                match s {
                    $($text => Ok($name::$var),)*
                    _ => Err(format!("'{s}' is not a {}", stringify!($name))),
                }
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<$name, D::Error> {
                let s = <::std::borrow::Cow<'de, str> as ::serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(::serde::de::Error::custom)
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.as_str() == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.as_str() == *other
            }
        }
    };
}

pub(crate) use string_enum;

string_enum! {
    /// A rule of `aws-network-semantics.md`, by its number.
    pub enum Rule {
        /// Primary VPC CIDR /16–/28, canonicalised.
        A1 = "A1",
        /// Secondary VPC CIDRs: size, overlap, quota, route destinations.
        A2 = "A2",
        /// Address family restrictions on secondary CIDRs; never link-local.
        A3 = "A3",
        /// RFC 1918 recommended; 172.17/16 discouraged.
        A4 = "A4",
        /// A subnet is /16–/28, inside one VPC CIDR, overlapping no other, in one AZ.
        A5 = "A5",
        /// Five reserved addresses per subnet.
        A6 = "A6",
        /// IPv6 sizes.
        A7 = "A7",
        /// The default VPC.
        A8 = "A8",
        /// One route table per subnet: explicit, else main.
        R1 = "R1",
        /// The local route.
        R2 = "R2",
        /// Longest-prefix match.
        R3 = "R3",
        /// Tie rules after LPM.
        R4 = "R4",
        /// Route targets.
        R5 = "R5",
        /// Blackhole routes.
        R6 = "R6",
        /// No route into 169.254.168.0/22.
        R7 = "R7",
        /// Same-subnet traffic uses no route.
        R8 = "R8",
        /// Public, private and VPN-only subnets.
        R9 = "R9",
        /// Gateway (edge) route tables.
        R10 = "R10",
        /// One internet gateway per VPC.
        I1 = "I1",
        /// What internet access needs.
        I2 = "I2",
        /// The IGW's static 1:1 NAT.
        I3 = "I3",
        /// What the IGW drops.
        I4 = "I4",
        /// IPv6 and the egress-only IGW.
        I5 = "I5",
        /// Public NAT gateway.
        N1 = "N1",
        /// Private NAT gateway.
        N2 = "N2",
        /// The NAT gateway's path.
        N3 = "N3",
        /// NAT translation.
        N4 = "N4",
        /// NAT gateway behaviour.
        N5 = "N5",
        /// Whom a NAT gateway serves.
        N6 = "N6",
        /// NAT gateway limits and state.
        N7 = "N7",
        /// NAT instance.
        N8 = "N8",
        /// Regional NAT gateway: no subnet, one per VPC serving every AZ its workloads are in,
        /// its own route table (rules beyond the semantics document: see ARCHITECTURE.md).
        N9 = "N9",
        /// Peering states.
        P1 = "P1",
        /// No peering between overlapping CIDRs.
        P2 = "P2",
        /// One peering per pair; quotas.
        P3 = "P3",
        /// Routes on both sides.
        P4 = "P4",
        /// Peering is not transitive.
        P5 = "P5",
        /// No edge-to-edge routing.
        P6 = "P6",
        /// Inter-Region peering.
        P7 = "P7",
        /// Peer security group references and DNS.
        P8 = "P8",
        /// Peering costs.
        P9 = "P9",
        /// Gateway endpoints: same Region, prefix lists.
        G1 = "G1",
        /// Gateway endpoint routes.
        G2 = "G2",
        /// Gateway endpoint matching.
        G3 = "G3",
        /// Gateway endpoints across VPN, peering, TGW, DX.
        G4 = "G4",
        /// Gateway endpoint policy, SGs, DNS, protocols.
        G5 = "G5",
        /// Interface endpoint ENIs, one subnet per AZ.
        E1 = "E1",
        /// The endpoint's security group.
        E2 = "E2",
        /// Interface endpoint protocols.
        E3 = "E3",
        /// Private DNS.
        E4 = "E4",
        /// The endpoint's own DNS names.
        E5 = "E5",
        /// S3 interface endpoints and private DNS.
        E6 = "E6",
        /// Endpoints reachable from DX, VPN and peers.
        E7 = "E7",
        /// Endpoint states.
        E8 = "E8",
        /// The provider side: NLB, principals, targets.
        E9 = "E9",
        /// Cross-Region PrivateLink.
        E10 = "E10",
        /// Endpoint pricing.
        E11 = "E11",
        /// Security groups attach to ENIs; limits.
        S1 = "S1",
        /// Allow-only, unioned.
        S2 = "S2",
        /// Stateful.
        S3 = "S3",
        /// A new group's defaults.
        S4 = "S4",
        /// The default security group.
        S5 = "S5",
        /// Rule peers: CIDR, prefix list, group.
        S6 = "S6",
        /// Groups cannot block the Route 53 Resolver.
        S7 = "S7",
        /// One network ACL per subnet.
        L1 = "L1",
        /// Numbered rules, first match wins.
        L2 = "L2",
        /// Stateless.
        L3 = "L3",
        /// Default and custom ACLs.
        L4 = "L4",
        /// Evaluated only at the subnet's edge.
        L5 = "L5",
        /// Ephemeral ports.
        L6 = "L6",
        /// What an ACL cannot block.
        L7 = "L7",
        /// The TGW ENI subnet.
        L8 = "L8",
        /// The instance metadata service.
        X1 = "X1",
        /// The Amazon DNS server.
        X2 = "X2",
        /// Same-subnet traffic.
        X3 = "X3",
        /// The source/destination check.
        X4 = "X4",
        /// Gateways reject spoofed sources; endpoints never initiate.
        X5 = "X5",
        /// Transit gateway attachments.
        T1 = "T1",
        /// One subnet per AZ for a VPC attachment.
        T2 = "T2",
        /// Association and propagation.
        T3 = "T3",
        /// TGW route lookup.
        T4 = "T4",
        /// TGW peering.
        T5 = "T5",
        /// VGW and CGW.
        T6 = "T6",
        /// Direct Connect.
        T7 = "T7",
        /// No NAT, IGW or gateway endpoint from on premises or a peer.
        T8 = "T8",
        /// Managed services live in subnets through interfaces AWS creates for them, with the
        /// service's groups; subnet groups span two Availability Zones
        /// (`docs/managed-services.md`).
        M1 = "M1",
        /// Publicly accessible databases: a public address, a name that resolves to it outside
        /// the VPC, an internet gateway required.
        M2 = "M2",
        /// Database ports: the engine's default; a database takes connections on its port only.
        M3 = "M3",
        /// Application load balancers: groups on both sides, listener → target group → target,
        /// the node's address as the source, schemes and zones.
        M4 = "M4",
        /// Network load balancers: client IP preservation by target type and protocol.
        M5 = "M5",
        /// Classic load balancers: listener port → instance port on registered instances.
        M6 = "M6",
        /// Lambda functions in a VPC: shared interfaces, outbound only, never a public address.
        M7 = "M7",
        /// ECS tasks with awsvpc networking: one interface per task, a public address on request.
        M8 = "M8",
        /// EKS cluster endpoints: public access by CIDR, private access through interfaces.
        M9 = "M9",
        /// Lambda functions as targets: one function per target group, invoked by an application
        /// load balancer through the Lambda service, not over the network.
        M10 = "M10",
        /// Application load balancers as targets: one per target group, in the network load
        /// balancer's VPC, behind a TCP listener, on a port the ALB listens on.
        M11 = "M11",
        /// Appliance mode on a VPC attachment: both directions of a flow through one AZ
        /// (rules beyond the semantics document: see ARCHITECTURE.md, "Rules added for hub and
        /// spoke networks").
        T9 = "T9",
        /// Gateway Load Balancer: all IP packets, GENEVE on UDP 6081 to its appliances, each
        /// node to the targets of its own AZ.
        B1 = "B1",
        /// Gateway Load Balancer endpoints: a route target that sends the packet through the
        /// appliances and back to the endpoint's subnet table, unchanged.
        B2 = "B2",
        /// Network Firewall endpoints: one per AZ in a firewall subnet, a route target; what
        /// passes goes on by the firewall subnet's table.
        F1 = "F1",
        /// Network Firewall stateless engine: priority order, first match, default actions,
        /// each direction on its own.
        F2 = "F2",
        /// Network Firewall stateful engine: action order or strict order, default actions,
        /// replies of allowed flows pass.
        F3 = "F3",
        /// Network Firewall domain lists: HTTP Host and TLS SNI, for sources in HOME_NET.
        F4 = "F4",
        /// Not a rule of the document: what an import could not bring over.
        Import = "import",
    }
}

impl Rule {
    /// The section letter of the document (`A` addressing, `R` routes …); `None` for `import`.
    pub fn section(self) -> Option<char> {
        match self {
            Rule::Import => None,
            r => r.as_str().chars().next(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_round_trips_through_its_text_and_json() {
        for r in Rule::ALL {
            assert_eq!(r.as_str().parse::<Rule>(), Ok(*r));
            let json = serde_json::to_string(r).expect("serialize");
            assert_eq!(json, format!("\"{}\"", r.as_str()));
            assert_eq!(serde_json::from_str::<Rule>(&json).expect("deserialize"), *r);
        }
        assert!("Z9".parse::<Rule>().is_err());
        assert_eq!(Rule::R10.section(), Some('R'));
        assert_eq!(Rule::Import.section(), None);
        assert!(Rule::A5 == "A5");
    }
}
