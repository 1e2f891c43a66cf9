//! The trace's vocabulary as values: what a hop did ([`HopAction`]), what it happened at
//! ([`ComponentKind`]) and why a flow stopped ([`Code`], the Reachability Analyzer explanation
//! codes of section 11). Each serializes to the stable string users script against, so
//! `vpcraft trace --format json` is unchanged; code compares values, never text.

use crate::rules::string_enum;

string_enum! {
    /// What happened at a hop.
    pub enum HopAction {
        /// A DNS name was resolved to an address (E4, E5).
        Resolve = "resolve",
        /// A security group let the packet out (S2).
        EgressAllowed = "egress-allowed",
        /// A security group let the packet in (S2).
        IngressAllowed = "ingress-allowed",
        /// A stateful filter let a reply through (S3).
        StatefulAllowed = "stateful-allowed",
        /// A network ACL let the packet across the subnet's edge (L2, L3).
        NaclAllowed = "nacl-allowed",
        /// The source/destination check passed (X4).
        CheckPassed = "check-passed",
        /// The packet left its source.
        Send = "send",
        /// Switched inside a subnet, no route (X3).
        Switch = "switch",
        /// A route table chose the next hop (R3).
        Route = "route",
        /// The packet arrived at an intermediate component.
        Arrive = "arrive",
        /// An address or port was rewritten (I3, N4, N8, E9).
        Nat = "nat",
        /// A gateway or link passed the packet on.
        Forward = "forward",
        /// The destination answered.
        Reply = "reply",
        /// Delivered to a resource of the design.
        Deliver = "deliver",
        /// Left the design: the internet, an AWS service, on premises.
        Exit = "exit",
        /// Dropped.
        Drop = "drop",
        /// An inspection point (a firewall's rules, an appliance) looked at the packet and let
        /// it through (B2, F2, F3).
        Inspect = "inspect",
    }
}

string_enum! {
    /// The kind of part of the network a hop happened at.
    pub enum ComponentKind {
        Instance = "instance",
        NetworkInterface = "network-interface",
        SecurityGroup = "security-group",
        NetworkAcl = "network-acl",
        Subnet = "subnet",
        Vpc = "vpc",
        RouteTable = "route-table",
        InternetGateway = "internet-gateway",
        EgressOnlyInternetGateway = "egress-only-internet-gateway",
        NatGateway = "nat-gateway",
        VpcPeering = "vpc-peering",
        VpcEndpoint = "vpc-endpoint",
        EndpointService = "endpoint-service",
        LoadBalancer = "load-balancer",
        TransitGateway = "transit-gateway",
        TgwRouteTable = "tgw-route-table",
        VpnGateway = "vpn-gateway",
        /// The Route 53 Resolver answering a name.
        Dns = "dns",
        /// The Amazon DNS server as a destination (X2).
        AmazonDns = "amazon-dns",
        /// The instance metadata service (X1).
        Imds = "imds",
        /// A link-local address other than IMDS and DNS.
        LinkLocal = "link-local",
        /// Answered on the host itself.
        Host = "host",
        /// A host on the internet.
        Internet = "internet",
        /// An AWS service's public or endpoint side.
        AwsService = "aws-service",
        /// A host on premises, behind a VPN or Direct Connect.
        OnPremises = "on-premises",
        /// A managed database, cache or search domain (M1–M3).
        Database = "database",
        /// A Lambda function in a VPC (M7).
        LambdaFunction = "lambda-function",
        /// An ECS task of a service with awsvpc networking (M8).
        EcsTask = "ecs-task",
        /// An EKS cluster's API server endpoint (M9).
        EksCluster = "eks-cluster",
        /// An AWS Network Firewall and its endpoints (F1).
        NetworkFirewall = "network-firewall",
        /// A Network Firewall policy: its default actions (F2, F3).
        FirewallPolicy = "firewall-policy",
        /// A Network Firewall rule group (F2–F4).
        FirewallRuleGroup = "firewall-rule-group",
    }
}

string_enum! {
    /// Reachability Analyzer explanation codes (semantics doc, section 11) the engine reports.
    pub enum Code {
        BadState = "BAD_STATE",
        BadStateAttachment = "BAD_STATE_ATTACHMENT",
        BadStateRoute = "BAD_STATE_ROUTE",
        BadStateVpn = "BAD_STATE_VPN",
        CannotRoute = "CANNOT_ROUTE",
        NoRouteToDestination = "NO_ROUTE_TO_DESTINATION",
        EniSourceDestCheckRestriction = "ENI_SOURCE_DEST_CHECK_RESTRICTION",
        EniSgRulesMismatch = "ENI_SG_RULES_MISMATCH",
        SgHasNoRules = "SG_HAS_NO_RULES",
        SubnetAclRestriction = "SUBNET_ACL_RESTRICTION",
        IgwPublicIpAssociationForEgress = "IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS",
        IgwPrivateIpAssociationForIngress = "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS",
        IgwDestinationAddressNotInRfc1918Egress = "IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS",
        IgwDestinationAddressNotInRfc6598Egress = "IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS",
        IgwSourceAddressNotInRfc1918Ingress = "IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS",
        IgwSourceAddressNotInRfc6598Ingress = "IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS",
        VpcBlockPublicAccessEnabled = "VPC_BLOCK_PUBLIC_ACCESS_ENABLED",
        GatewayRejectsSpoofedTraffic = "GATEWAY_REJECTS_SPOOFED_TRAFFIC",
        NgwRequiresSourceInVpc = "NGW_REQUIRES_SOURCE_IN_VPC",
        PcxRequiresAddressInVpcCidr = "PCX_REQUIRES_ADDRESS_IN_VPC_CIDR",
        VpceGatewayProtocolRestriction = "VPCE_GATEWAY_PROTOCOL_RESTRICTION",
        VpceIntraVpcTraffic = "VPCE_INTRA_VPC_TRAFFIC",
        TgwRouteAzRestriction = "TGW_ROUTE_AZ_RESTRICTION",
        TgwAttachMissingTgwRtbAssociation = "TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION",
        TgwRtbBadStateRoute = "TGW_RTB_BAD_STATE_ROUTE",
        TgwRtbCannotRoute = "TGW_RTB_CANNOT_ROUTE",
        VgwPrivateIpAssociationForEgress = "VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS",
        VgwPrivateIpAssociationForIngress = "VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS",
        ProtocolRestriction = "PROTOCOL_RESTRICTION",
        NoPossibleDestination = "NO_POSSIBLE_DESTINATION",
        UnknownDestination = "UNKNOWN_DESTINATION",
        Elbv2ListenerPortRestriction = "ELBV2_LISTENER_PORT_RESTRICTION",
        Elbv2ListenerHasNoTg = "ELBV2_LISTENER_HAS_NO_TG",
        Elbv2NoTargetsInAz = "ELBV2_NO_TARGETS_IN_AZ",
        UnsupportedComponent = "UNSUPPORTED_COMPONENT",
        UnknownResource = "UNKNOWN_RESOURCE",
        ElbListenerPortRestriction = "ELB_LISTENER_PORT_RESTRICTION",
        /// Not a Reachability Analyzer code: a managed service listens only on its own port (M3).
        ServicePortRestriction = "SERVICE_PORT_RESTRICTION",
        /// Not a Reachability Analyzer code: nothing opens a connection to it (M7).
        ServiceOutboundOnly = "SERVICE_OUTBOUND_ONLY",
        /// Not a Reachability Analyzer code: the source is outside the public access CIDRs (M9).
        EksPublicAccessCidrRestriction = "EKS_PUBLIC_ACCESS_CIDR_RESTRICTION",
        FirewallRulesRestriction = "FIREWALL_RULES_RESTRICTION",
        GwlbProtocolRestriction = "GWLB_PROTOCOL_RESTRICTION",
        GwlbDestinationPortRestriction = "GWLB_DESTINATION_PORT_RESTRICTION",
        VpceServiceNotInstalledInAz = "VPCE_SERVICE_NOT_INSTALLED_IN_AZ",
        /// Not a Reachability Analyzer code: the packet came back to a place it had been.
        RoutingLoop = "ROUTING_LOOP",
        /// Not a Reachability Analyzer code: the internet started a connection to an interface
        /// behind an egress-only internet gateway (I5).
        EigwUnsolicitedInbound = "EIGW_UNSOLICITED_INBOUND",
        /// Not a Reachability Analyzer code: the appliance behind a Gateway Load Balancer drops
        /// the packet by the rules the design gives it (RA cannot see inside appliances).
        ApplianceRulesRestriction = "APPLIANCE_RULES_RESTRICTION",
    }
}

impl Code {
    /// The plain-language sentence of section 11 beside the code.
    pub fn describe(self) -> &'static str {
        match self {
            Code::BadState => "a component is not in a working state (stopped, pending, not accepted)",
            Code::BadStateAttachment => "a transit gateway attachment is not available",
            Code::BadStateRoute => "the matching route is a blackhole, or its target is gone or not active (R6)",
            Code::BadStateVpn => "the VPN connection is not available",
            Code::CannotRoute => "the route cannot carry the packet (link-local, IPv6-only target)",
            Code::NoRouteToDestination => "no route matches the destination (R3)",
            Code::EniSourceDestCheckRestriction => "the source/destination check drops forwarded traffic (X4, N8)",
            Code::EniSgRulesMismatch => "no security group rule allows the packet (S2)",
            Code::SgHasNoRules => "the security group has no rules at all",
            Code::SubnetAclRestriction => "a network ACL denies the packet (L2, L3)",
            Code::IgwPublicIpAssociationForEgress => {
                "the source has no public address for the internet gateway (I2, I4)"
            }
            Code::IgwPrivateIpAssociationForIngress => {
                "the destination from the internet is not an associated public address (I4)"
            }
            Code::IgwDestinationAddressNotInRfc1918Egress => {
                "the internet gateway does not send to private (RFC 1918) addresses (I4)"
            }
            Code::IgwDestinationAddressNotInRfc6598Egress => {
                "the internet gateway does not send to shared (RFC 6598) addresses (I4)"
            }
            Code::IgwSourceAddressNotInRfc1918Ingress => {
                "the internet gateway drops private (RFC 1918) sources from the internet (I4)"
            }
            Code::IgwSourceAddressNotInRfc6598Ingress => {
                "the internet gateway drops shared (RFC 6598) sources from the internet (I4)"
            }
            Code::VpcBlockPublicAccessEnabled => "VPC Block Public Access stops internet gateway traffic",
            Code::GatewayRejectsSpoofedTraffic => "a gateway drops a source that is not an address of its VPC (X5)",
            Code::NgwRequiresSourceInVpc => "a NAT gateway serves only its own VPC (N6)",
            Code::PcxRequiresAddressInVpcCidr => "peering is not transitive (P5, P6)",
            Code::VpceGatewayProtocolRestriction => "a gateway endpoint passes only TCP and ICMP echo (G5)",
            Code::VpceIntraVpcTraffic => "an endpoint never opens connections (X5)",
            Code::TgwRouteAzRestriction => "no transit gateway attachment subnet in the source's AZ (T2)",
            Code::TgwAttachMissingTgwRtbAssociation => "the attachment has no transit gateway route table (T3)",
            Code::TgwRtbBadStateRoute => "the transit gateway route is a blackhole (T4)",
            Code::TgwRtbCannotRoute => "no transit gateway route matches (T4)",
            Code::VgwPrivateIpAssociationForEgress => "VGW traffic must come from a VPC address (T6, T8)",
            Code::VgwPrivateIpAssociationForIngress => "VGW traffic must go to a VPC address (T8)",
            Code::ProtocolRestriction => "the component does not carry this protocol (E3, N5)",
            Code::NoPossibleDestination => "nothing answers there (a NAT gateway's own address, N5)",
            Code::UnknownDestination => "the destination is not known to the design",
            Code::Elbv2ListenerPortRestriction => "the load balancer has no listener on the port (E9)",
            Code::Elbv2ListenerHasNoTg => "the listener forwards to no target group",
            Code::Elbv2NoTargetsInAz => "the target group has no running target",
            Code::UnsupportedComponent => "the trace does not follow this kind of component",
            Code::UnknownResource => "a reference points at a resource that is not in the design",
            Code::ElbListenerPortRestriction => "the classic load balancer has no listener on the port (M6)",
            Code::ServicePortRestriction => "the managed service listens only on its own port (M3)",
            Code::ServiceOutboundOnly => "nothing can open a connection to a Lambda function (M7)",
            Code::EksPublicAccessCidrRestriction => "the EKS public endpoint admits only its public access CIDRs (M9)",
            Code::RoutingLoop => "the packet came back to a place it had been",
            Code::EigwUnsolicitedInbound => {
                "an egress-only internet gateway passes only connections started inside the VPC and their replies (I5)"
            }
            Code::FirewallRulesRestriction => "a Network Firewall rule or default action drops the packet (F2, F3, F4)",
            Code::GwlbProtocolRestriction => "a Gateway Load Balancer reaches its appliances only with GENEVE (B1)",
            Code::GwlbDestinationPortRestriction => {
                "a Gateway Load Balancer reaches its appliances only on UDP 6081 (B1)"
            }
            Code::VpceServiceNotInstalledInAz => {
                "the endpoint service has no load balancer node in the endpoint's AZ (E9, B2)"
            }
            Code::ApplianceRulesRestriction => {
                "the appliance behind the Gateway Load Balancer drops the packet by its rules (B2)"
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_and_has_a_sentence() {
        for a in HopAction::ALL {
            assert_eq!(a.as_str().parse::<HopAction>(), Ok(*a));
        }
        for k in ComponentKind::ALL {
            assert_eq!(k.as_str().parse::<ComponentKind>(), Ok(*k));
        }
        for c in Code::ALL {
            assert_eq!(c.as_str().parse::<Code>(), Ok(*c));
            assert!(!c.describe().is_empty());
            assert_eq!(serde_json::to_string(c).expect("json"), format!("\"{}\"", c.as_str()));
        }
    }
}
