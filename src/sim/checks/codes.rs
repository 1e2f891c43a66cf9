//! Finding codes: each knows its stable code, severity, rule and fix. A fix template's `{}`
//! are filled in order by the arguments the check passes ([`FindingCode::fix`]).
//!
//! Two values may share a code when AWS's rule gives the same problem two severities or two
//! rules (a quota above the default is a warning, above the hard limit an error): the JSON
//! says the code, the value says which case it is.

use super::Severity::{self, *};
use crate::rules::Rule::{self, *};
use std::fmt;

/// Declares the codes as a table: `Variant = ("CODE", severity, rule, "fix template")`.
macro_rules! finding_codes {
    ($( $var:ident = ($code:literal, $sev:ident, $rule:ident, $fix:literal), )*) => {
        /// What a finding is about, with everything that follows from it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum FindingCode { $( $var, )* }

        impl FindingCode {
            /// Every code, grouped by rule in the order of the semantics document.
            pub const ALL: &'static [FindingCode] = &[$(FindingCode::$var),*];

            /// The stable code as written in output, e.g. `SUBNET_OVERLAP`.
            pub const fn as_str(self) -> &'static str {
                match self { $(FindingCode::$var => $code,)* }
            }

            /// How serious it is.
            pub const fn severity(self) -> Severity {
                match self { $(FindingCode::$var => $sev,)* }
            }

            /// The rule of the semantics document it comes from.
            pub const fn rule(self) -> Rule {
                match self { $(FindingCode::$var => $rule,)* }
            }

            /// The variant's name, e.g. `VpcCidrQuota` (two variants may share a code): the
            /// catalogues' `fix-…` message ids.
            pub const fn name(self) -> &'static str {
                match self { $(FindingCode::$var => stringify!($var),)* }
            }

            /// The one-line fix, with `{}` where [`FindingCode::fix`] puts the specifics.
            pub const fn fix_template(self) -> &'static str {
                match self { $(FindingCode::$var => $fix,)* }
            }
        }
    };
}

finding_codes! {
    VpcCidrSize = ("VPC_CIDR_SIZE", Error, A1, "choose a CIDR between /16 and /28"),
    VpcCidrHostBits = ("VPC_CIDR_HOST_BITS", Warning, A1, "write {}"),
    IdEmpty = ("ID_EMPTY", Error, A1, "give it an id (vpc-…, subnet-…)"),
    VpcCidrAboveDefaultQuota = ("VPC_CIDR_QUOTA", Warning, A2, "request a quota increase (up to 50)"),
    VpcCidrQuota = ("VPC_CIDR_QUOTA", Error, A2, "merge address space into fewer CIDRs"),
    VpcSecondaryCidrOverlap = ("VPC_SECONDARY_CIDR_OVERLAP", Error, A2, "choose a block that overlaps none of the VPC's CIDRs"),
    VpcSecondaryCidrSize = ("VPC_SECONDARY_CIDR_SIZE", Error, A2, "choose a /16 to /28 block"),
    VpcCidrLinkLocal = ("VPC_CIDR_LINK_LOCAL", Error, A3, "use an RFC 1918 range such as 10.0.0.0/16"),
    VpcSecondaryCidrFamily = ("VPC_SECONDARY_CIDR_FAMILY", Error, A3, "add a secondary CIDR from the primary's RFC 1918 family, 100.64.0.0/10 or a public range"),
    VpcSecondaryCidrTenZeroSixteen = ("VPC_SECONDARY_CIDR_FAMILY", Error, A3, "choose a block outside 10.0.0.0/16"),
    VpcCidrDockerConflict = ("VPC_CIDR_DOCKER_CONFLICT", Warning, A4, "prefer another range, e.g. 10.0.0.0/16"),
    VpcCidrPublicRange = ("VPC_CIDR_PUBLIC_RANGE", Info, A4, "prefer an RFC 1918 range"),
    AddressDuplicate = ("ADDRESS_DUPLICATE", Error, A5, "give each interface its own address"),
    AddressOutsideSubnet = ("ADDRESS_OUTSIDE_SUBNET", Error, A5, "use an address in {}"),
    SubnetAzNotInRegion = ("SUBNET_AZ_NOT_IN_REGION", Error, A5, "choose a zone of {}"),
    SubnetCidrHostBits = ("SUBNET_CIDR_HOST_BITS", Error, A5, "use {}"),
    RegionInvalid = ("REGION_INVALID", Error, A5, "use the region's code, e.g. ap-northeast-2"),
    SubnetCidrSize = ("SUBNET_CIDR_SIZE", Error, A5, "choose a /16 to /28 block"),
    SubnetOutsideVpc = ("SUBNET_OUTSIDE_VPC", Error, A5, "pick a block inside the VPC's CIDRs, or add a secondary CIDR"),
    SubnetOverlap = ("SUBNET_OVERLAP", Error, A5, "move one of them to a free block (see `vpcraft plan`)"),
    SubnetVpcMissing = ("SUBNET_VPC_MISSING", Error, A5, "delete the subnet or add its VPC"),
    AddressReserved = ("ADDRESS_RESERVED", Error, A6, "use an address from {} upward"),
    VpcIpv6BlockSize = ("VPC_IPV6_BLOCK_SIZE", Error, A7, "use an Amazon-provided /56, or a BYOIP/IPAM block of /44 to /60 in steps of 4"),
    VpcIpv6BlockUnusable = ("VPC_IPV6_BLOCK_UNUSABLE", Error, A7, "use global unicast or unique-local space"),
    VpcIpv6BlockQuota = ("VPC_IPV6_BLOCK_QUOTA", Error, A7, "keep at most 5 IPv6 blocks per VPC"),
    VpcIpv6BlockOverlap = ("VPC_IPV6_BLOCK_OVERLAP", Error, A7, "remove one of the overlapping blocks"),
    SubnetNoCidr = ("SUBNET_NO_CIDR", Error, A7, "give the subnet an IPv4 CIDR, an IPv6 block or both"),
    SubnetIpv6Size = ("SUBNET_IPV6_SIZE", Error, A7, "give the subnet a /64 (or /44 to /60 in steps of 4)"),
    SubnetIpv6OutsideVpc = ("SUBNET_IPV6_OUTSIDE_VPC", Error, A7, "pick a block inside one of the VPC's IPv6 blocks (see `vpcraft plan`)"),
    SubnetIpv6Overlap = ("SUBNET_IPV6_OVERLAP", Error, A7, "move one of them to a free /64 (see `vpcraft plan`)"),
    SubnetIpv6OnlyIpName = ("SUBNET_IPV6_ONLY_IP_NAME", Error, A7, "name its instances by resource (hostname type resource-name)"),
    AddressIpv6OutsideSubnet = ("ADDRESS_OUTSIDE_SUBNET", Error, A7, "use an address in {}"),
    AddressIpv6Reserved = ("ADDRESS_RESERVED", Error, A7, "use an address from {} upward"),
    AddressIpv6Duplicate = ("ADDRESS_DUPLICATE", Error, A7, "give each interface its own IPv6 address"),
    RtAssociationOtherVpc = ("RT_ASSOCIATION_OTHER_VPC", Error, R1, "associate the subnet with a table of its own VPC"),
    RtMainMissing = ("RT_MAIN_MISSING", Error, R1, "mark one of its route tables as main"),
    RtMainMultiple = ("RT_MAIN_MULTIPLE", Error, R1, "keep one table as main"),
    RtSubnetMultiple = ("RT_SUBNET_MULTIPLE", Error, R1, "remove one of the associations"),
    RtVpcMissing = ("RT_VPC_MISSING", Error, R1, "delete the table"),
    RouteMoreSpecificThanLocal = ("ROUTE_MORE_SPECIFIC_THAN_LOCAL", Error, R2, "remove it, or make it a whole subnet CIDR to a NAT gateway, an interface or a GWLB/firewall endpoint"),
    RtLocalRouteMissing = ("RT_LOCAL_ROUTE_MISSING", Error, R2, "add the local route {} → local"),
    RouteDuplicateDestination = ("ROUTE_DUPLICATE_DESTINATION", Error, R3, "delete one of them"),
    RouteTargetDetached = ("ROUTE_TARGET_DETACHED", Error, R5, "use a target attached to this VPC"),
    RouteToInterfaceEndpoint = ("ROUTE_TO_INTERFACE_ENDPOINT", Error, R5, "delete the route; clients reach the endpoint by DNS"),
    RouteBlackhole = ("ROUTE_BLACKHOLE", Warning, R6, "point the route at a working target or delete it"),
    RouteTargetMissing = ("ROUTE_TARGET_MISSING", Error, R6, "point the route at an existing target or delete it"),
    RouteReservedRange = ("ROUTE_RESERVED_RANGE", Error, R7, "remove the route"),
    IgwMultiple = ("IGW_MULTIPLE", Error, I1, "detach all but one"),
    IgwVpcMissing = ("IGW_VPC_MISSING", Error, I1, "detach it"),
    PublicIpInPrivateSubnet = ("PUBLIC_IP_IN_PRIVATE_SUBNET", Info, I2, "remove the public IP or route the subnet to an IGW"),
    EipAssociatedTwice = ("EIP_ASSOCIATED_TWICE", Error, I3, "give each its own Elastic IP"),
    EipMissing = ("EIP_MISSING", Error, I3, "allocate the Elastic IP or remove the association"),
    RouteEigwIpv4 = ("ROUTE_EIGW_IPV4", Warning, I5, "route IPv4 through a NAT gateway"),
    EigwMultiple = ("EIGW_MULTIPLE", Error, I5, "keep one egress-only internet gateway per VPC"),
    RouteIpv6PrivateToIgw = ("ROUTE_IPV6_PRIVATE_TO_IGW", Warning, I5, "route {} to an egress-only internet gateway instead, unless the subnet is meant to be reachable from the internet"),
    RouteEigwInPublicTable = ("ROUTE_EIGW_IN_PUBLIC_TABLE", Warning, I5, "route ::/0 to the internet gateway so the public subnet serves IPv6 too, or make the subnet private"),
    SubnetIpv6OnlyNoRoute = ("SUBNET_IPV6_ONLY_NO_ROUTE", Warning, I5, "add ::/0 → an egress-only internet gateway (and 64:ff9b::/96 → a NAT gateway for IPv4-only names)"),
    NatNoEip = ("NAT_NO_EIP", Error, N1, "allocate an Elastic IP for it"),
    NatVpcNoIgw = ("NAT_VPC_NO_IGW", Error, N1, "attach an internet gateway to the VPC"),
    NatPrivateToIgw = ("NAT_PRIVATE_TO_IGW", Warning, N2, "route a private NAT gateway toward a transit or virtual private gateway"),
    NatSubnetNotPublic = ("NAT_SUBNET_NOT_PUBLIC", Error, N3, "place the NAT gateway in a public subnet (a table with 0.0.0.0/0 → igw)"),
    NatNotAvailable = ("NAT_NOT_AVAILABLE", Warning, N7, "wait for it or recreate it"),
    NatInIpv6OnlySubnet = ("NAT_IN_IPV6_ONLY_SUBNET", Error, N1, "place the NAT gateway in a subnet with an IPv4 CIDR"),
    RouteIpv6ToNat = ("ROUTE_IPV6_TO_NAT", Error, N4, "route only 64:ff9b::/96 to a NAT gateway, and ::/0 to an egress-only internet gateway"),
    Nat64RouteNotNat = ("NAT64_ROUTE_NOT_NAT", Warning, N4, "point 64:ff9b::/96 at a NAT gateway"),
    Dns64WithoutNat64Route = ("DNS64_WITHOUT_NAT64_ROUTE", Warning, N4, "add a route 64:ff9b::/96 → a NAT gateway to {}, or turn DNS64 off"),
    Nat64RouteWithoutDns64 = ("NAT64_ROUTE_WITHOUT_DNS64", Info, N4, "turn on DNS64 in {} so IPv4-only names resolve to 64:ff9b:: addresses"),
    RouteTargetSourceDestCheck = ("ROUTE_TARGET_SOURCE_DEST_CHECK", Warning, N8, "turn off the source/destination check on {}"),
    PeeringNotActive = ("PEERING_NOT_ACTIVE", Info, P1, "accept the request in the accepter's account and region"),
    PeeringCidrOverlap = ("PEERING_CIDR_OVERLAP", Error, P2, "re-address one VPC; or use PrivateLink, which tolerates overlap"),
    PeeringSameVpc = ("PEERING_SAME_VPC", Error, P2, "peer two different VPCs"),
    PeeringDuplicate = ("PEERING_DUPLICATE", Error, P3, "delete one of them"),
    PeeringNoRoutes = ("PEERING_NO_ROUTES", Info, P4, "add routes to the peer CIDR on both sides"),
    PeeringRouteOneSide = ("PEERING_ROUTE_ONE_SIDE", Warning, P4, "add a route to {} → {} in {}'s tables"),
    PeeringIpv6RouteOneSide = ("PEERING_IPV6_ROUTE_ONE_SIDE", Warning, P4, "add a route {} → {} in {}'s tables"),
    RoutePeeringNotActive = ("ROUTE_PEERING_NOT_ACTIVE", Warning, P4, "accept the peering request"),
    SgReferenceAcrossRegion = ("SG_REFERENCE_ACROSS_REGION", Warning, P7, "use the peer VPC's CIDR in the rule"),
    GatewayEndpointServiceUnknown = ("ENDPOINT_SERVICE_UNKNOWN", Warning, G1, "check the service name"),
    GatewayEndpointOtherRegion = ("GATEWAY_ENDPOINT_OTHER_REGION", Error, G1, "use com.amazonaws.{}.{}"),
    GatewayEndpointUnsupported = ("GATEWAY_ENDPOINT_UNSUPPORTED", Error, G1, "create an interface endpoint instead"),
    InterfaceEndpointUnsupported = ("INTERFACE_ENDPOINT_UNSUPPORTED", Error, G1, "create a gateway endpoint"),
    RoutePrefixListUnknown = ("ROUTE_PREFIX_LIST_UNKNOWN", Warning, G1, "import the prefix list or use a catalog service"),
    GatewayEndpointRouteMissing = ("GATEWAY_ENDPOINT_ROUTE_MISSING", Warning, G2, "re-associate the endpoint with the table so AWS adds the route"),
    GatewayEndpointRouteNotManaged = ("GATEWAY_ENDPOINT_ROUTE_NOT_MANAGED", Error, G2, "delete the route and associate {} with {} instead"),
    GatewayEndpointNeedsDns = ("GATEWAY_ENDPOINT_NEEDS_DNS", Warning, G5, "turn on enableDnsSupport"),
    EndpointNoSubnets = ("ENDPOINT_NO_SUBNETS", Warning, E1, "choose at least one subnet"),
    EndpointSubnetOtherVpc = ("ENDPOINT_SUBNET_OTHER_VPC", Error, E1, "choose subnets of the endpoint's VPC"),
    EndpointTwoSubnetsInAz = ("ENDPOINT_TWO_SUBNETS_IN_AZ", Error, E1, "keep one subnet per AZ"),
    EndpointSgBlocksServicePort = ("ENDPOINT_SG_BLOCKS_SERVICE_PORT", Warning, E2, "allow inbound TCP {} from the VPC CIDR {} in the endpoint's group"),
    EndpointPrivateDnsNeedsDnsAttributes = ("ENDPOINT_PRIVATE_DNS_NEEDS_DNS_ATTRIBUTES", Error, E4, "turn on enableDnsHostnames and enableDnsSupport on {}"),
    EndpointNotAvailable = ("ENDPOINT_NOT_AVAILABLE", Warning, E8, "recreate the endpoint"),
    EndpointPendingAcceptance = ("ENDPOINT_NOT_AVAILABLE", Warning, E8, "the service owner must accept the connection"),
    EndpointServiceNotNlb = ("ENDPOINT_SERVICE_NOT_NLB", Error, E9, "put an NLB in front"),
    EndpointServiceNoLoadBalancer = ("ENDPOINT_SERVICE_NO_LOAD_BALANCER", Error, E9, "attach a network load balancer"),
    EndpointServiceUnknown = ("ENDPOINT_SERVICE_UNKNOWN", Warning, E9, "check the service name"),
    ListenerNoTargetGroup = ("LISTENER_NO_TARGET_GROUP", Warning, E9, "attach a target group"),
    LoadBalancerTwoSubnetsInAz = ("LOAD_BALANCER_TWO_SUBNETS_IN_AZ", Error, E9, "keep one subnet per AZ"),
    TargetGroupEmpty = ("TARGET_GROUP_EMPTY", Warning, E9, "register instances or IPs"),
    EniSgAboveDefaultQuota = ("ENI_SG_LIMIT", Warning, S1, "merge groups or raise the quota"),
    EniSgLimit = ("ENI_SG_LIMIT", Error, S1, "merge groups"),
    EniSgMissing = ("ENI_SG_MISSING", Error, S1, "pick an existing group"),
    EniSgOtherVpc = ("ENI_SG_OTHER_VPC", Error, S1, "use a group of the interface's VPC"),
    DeviceIndexDuplicate = ("DEVICE_INDEX_DUPLICATE", Error, S1, "give each interface its own device index (0 is the primary)"),
    InstanceNoInterface = ("INSTANCE_NO_INTERFACE", Warning, S1, "give it a network interface in a subnet"),
    SgRuleQuota = ("SG_RULE_QUOTA", Warning, S1, "merge rules or use prefix lists"),
    SgPortRangeReversed = ("PORT_RANGE_REVERSED", Error, S2, "write the range as {}-{}"),
    SgNoOutboundRules = ("SG_NO_OUTBOUND_RULES", Info, S4, "add an outbound rule if members must start connections"),
    SgIpv6TwinMissing = ("SG_IPV6_TWIN_MISSING", Warning, S2, "add the same rule for ::/0"),
    EniNoSg = ("ENI_NO_SG", Info, S5, "choose its groups explicitly"),
    SgDefaultMissing = ("SG_DEFAULT_MISSING", Warning, S5, "add the default group (inbound from itself, all outbound)"),
    SgRulePeerMissing = ("SG_RULE_PEER_MISSING", Warning, S6, "add the group to the design, or fix or delete the rule"),
    SgRulePeerUnreachable = ("SG_RULE_PEER_UNREACHABLE", Warning, S6, "refer to a CIDR instead"),
    SgRulePrefixListUnknown = ("SG_RULE_PREFIX_LIST_UNKNOWN", Warning, S6, "import the prefix list"),
    NaclAssociationOtherVpc = ("NACL_ASSOCIATION_OTHER_VPC", Error, L1, "associate an ACL of the subnet's VPC"),
    NaclDefaultMissing = ("NACL_DEFAULT_MISSING", Warning, L1, "add a default ACL allowing all"),
    NaclDefaultMultiple = ("NACL_DEFAULT_MULTIPLE", Error, L1, "keep one"),
    NaclSubnetMultiple = ("NACL_SUBNET_MULTIPLE", Error, L1, "remove one association"),
    NaclRuleNumberDuplicate = ("NACL_RULE_NUMBER_DUPLICATE", Error, L2, "renumber one"),
    NaclRuleNumberRange = ("NACL_RULE_NUMBER_RANGE", Error, L2, "renumber it"),
    NaclPortRangeReversed = ("PORT_RANGE_REVERSED", Error, L2, "write the range as {}-{}"),
    NaclRuleQuota = ("NACL_RULE_QUOTA", Warning, L2, "merge rules"),
    NaclIpv6TwinMissing = ("NACL_IPV6_TWIN_MISSING", Warning, L2, "add an entry with the same protocol and ports for ::/0"),
    NaclNoEphemeralInbound = ("NACL_NO_EPHEMERAL_INBOUND", Warning, L6, "add an inbound rule allowing TCP 1024-65535 from the servers"),
    NaclNoEphemeralOutbound = ("NACL_NO_EPHEMERAL_OUTBOUND", Warning, L6, "add an outbound rule allowing TCP 1024-65535 to the clients"),
    InstanceNotRunning = ("INSTANCE_NOT_RUNNING", Info, X4, "start the instance to trace to it"),
    TgwAttachmentSubnetsSameAz = ("TGW_ATTACHMENT_SUBNETS_SAME_AZ", Error, T2, "keep one subnet per AZ"),
    TgwAttachmentNoIpv6 = ("TGW_ATTACHMENT_NO_IPV6", Warning, T2, "turn on IPv6 support on {}"),
    TgwAttachmentNotAssociated = ("TGW_ATTACHMENT_NOT_ASSOCIATED", Warning, T3, "associate it with a TGW route table"),
    TgwIpv6NoRoute = ("TGW_IPV6_NO_ROUTE", Warning, T4, "add a route for {} to {}, or propagate the attachment that holds it"),
    VgwMultiple = ("VGW_MULTIPLE", Error, T6, "detach all but one"),
    DbSubnetGroupOneAz = ("DB_SUBNET_GROUP_ONE_AZ", Error, M1, "add a subnet in a second Availability Zone to the group"),
    DatabasePublic = ("DATABASE_PUBLIC", Error, M2, "turn off PubliclyAccessible on {}, or let port {} in only from the groups of its clients"),
    LoadBalancerInternetFacingPrivate = ("LOAD_BALANCER_INTERNET_FACING_PRIVATE", Error, M4, "place its nodes in public subnets (a table with 0.0.0.0/0 → igw), or make it internal"),
    LambdaNoEgress = ("LAMBDA_NO_EGRESS", Warning, M7, "route 0.0.0.0/0 from its subnets through a NAT gateway, or add VPC endpoints for the services it calls"),
    EgressReturnRouteMissing = ("EGRESS_RETURN_ROUTE_MISSING", Warning, N6, "add {} → the transit gateway to {}"),
    ApplianceModeOff = ("APPLIANCE_MODE_OFF", Warning, T9, "turn on appliance mode on {}"),
    EdgeRouteTableForbidden = ("EDGE_ROUTE_TABLE_FORBIDDEN", Error, R10, "route only the VPC's or a subnet's CIDR to local, a network interface or a Gateway Load Balancer endpoint"),
    InspectionOneWay = ("INSPECTION_ONE_WAY", Warning, B2, "route {} through the endpoint in {} too"),
    FirewallSubnetThroughOwnFirewall = ("FIREWALL_SUBNET_THROUGH_OWN_FIREWALL", Error, F1, "route {} past the firewall (to the NAT or internet gateway, or the transit gateway)"),
    ImportError = ("IMPORT_ERROR", Error, Import, "fix the source, or model this part by hand after importing"),
    ImportSkipped = ("IMPORT_SKIPPED", Warning, Import, "fix the source, or model this part by hand after importing"),
}

impl FindingCode {
    /// The fix with its `{}` filled by `args`, in order.
    pub fn fix(self, args: &[&dyn fmt::Display]) -> String {
        let mut out = String::new();
        let mut args = args.iter();
        let mut parts = self.fix_template().split("{}");
        if let Some(first) = parts.next() {
            out.push_str(first);
        }
        for part in parts {
            if let Some(a) = args.next() {
                out.push_str(&a.to_string());
            }
            out.push_str(part);
        }
        out
    }

    /// The fix in `lang` with its specifics (`{ $p0 }`, `{ $p1 }` … in the catalogue's
    /// `fix-` and the variant's name), if the catalogue has it; English is [`FindingCode::fix`].
    pub fn fix_in(self, lang: crate::l10n::Lang, args: &[String]) -> Option<String> {
        if lang == crate::l10n::Lang::En {
            return None;
        }
        let mut a = fluent_bundle::FluentArgs::new();
        for (i, v) in args.iter().enumerate() {
            a.set(format!("p{i}"), fluent_bundle::FluentValue::from(v.clone()));
        }
        crate::l10n::message(lang, &format!("fix-{}", self.name()), &a)
    }

    /// How many specifics the fix takes.
    pub fn fix_arity(self) -> usize {
        self.fix_template().matches("{}").count()
    }
}

impl fmt::Display for FindingCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl serde::Serialize for FindingCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl PartialEq<&str> for FindingCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_is_screaming_snake_with_a_fix() {
        for c in FindingCode::ALL {
            let s = c.as_str();
            assert!(
                !s.is_empty() && s.chars().all(|ch| ch.is_ascii_uppercase() || ch.is_ascii_digit() || ch == '_'),
                "{s}"
            );
            assert!(!c.fix_template().is_empty(), "{s}");
        }
        assert_eq!(
            FindingCode::GatewayEndpointOtherRegion.fix(&[&"us-east-1", &"s3"]),
            "use com.amazonaws.us-east-1.s3"
        );
        assert_eq!(FindingCode::SubnetOverlap.fix_arity(), 0);
    }

    #[test]
    fn codes_shared_by_two_values_differ_only_in_severity_rule_or_fix() {
        for a in FindingCode::ALL {
            for b in FindingCode::ALL {
                if a != b && a.as_str() == b.as_str() {
                    assert!(
                        a.severity() != b.severity() || a.rule() != b.rule() || a.fix_template() != b.fix_template(),
                        "{a:?} and {b:?} are the same finding twice"
                    );
                }
            }
        }
    }
}
