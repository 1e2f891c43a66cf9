//! Reading evaluated properties: scalars that may be strings ("80", "true"), and references
//! (`$ref`, `$getatt`, literal ids, `$import`) resolved to design ids.

use super::Cx;
use crate::io::cfn::markers::{marker, Marker};
use crate::model::{Id, ResourceKind};
use serde_json::Value;

/// Every CloudFormation type the import reads (the rest are reported as skipped).
pub const HANDLED: &[&str] = &[
    "AWS::EC2::VPC",
    "AWS::EC2::VPCCidrBlock",
    "AWS::EC2::Subnet",
    "AWS::EC2::SubnetCidrBlock",
    "AWS::EC2::RouteTable",
    "AWS::EC2::Route",
    "AWS::EC2::SubnetRouteTableAssociation",
    "AWS::EC2::GatewayRouteTableAssociation",
    "AWS::NetworkFirewall::Firewall",
    "AWS::NetworkFirewall::FirewallPolicy",
    "AWS::NetworkFirewall::RuleGroup",
    "AWS::EC2::InternetGateway",
    "AWS::EC2::EgressOnlyInternetGateway",
    "AWS::EC2::VPCGatewayAttachment",
    "AWS::EC2::NatGateway",
    "AWS::EC2::EIP",
    "AWS::EC2::EIPAssociation",
    "AWS::EC2::Instance",
    "AWS::EC2::NetworkInterface",
    "AWS::EC2::NetworkInterfaceAttachment",
    "AWS::EC2::SecurityGroup",
    "AWS::EC2::SecurityGroupIngress",
    "AWS::EC2::SecurityGroupEgress",
    "AWS::EC2::NetworkAcl",
    "AWS::EC2::NetworkAclEntry",
    "AWS::EC2::SubnetNetworkAclAssociation",
    "AWS::EC2::VPCPeeringConnection",
    "AWS::EC2::PrefixList",
    "AWS::EC2::VPCEndpoint",
    "AWS::EC2::VPCEndpointService",
    "AWS::EC2::VPCEndpointServicePermissions",
    "AWS::ElasticLoadBalancingV2::LoadBalancer",
    "AWS::ElasticLoadBalancingV2::TargetGroup",
    "AWS::ElasticLoadBalancingV2::Listener",
    "AWS::EC2::TransitGateway",
    "AWS::EC2::TransitGatewayAttachment",
    "AWS::EC2::TransitGatewayVpcAttachment",
    "AWS::EC2::TransitGatewayPeeringAttachment",
    "AWS::EC2::TransitGatewayRouteTable",
    "AWS::EC2::TransitGatewayRouteTableAssociation",
    "AWS::EC2::TransitGatewayRouteTablePropagation",
    "AWS::EC2::TransitGatewayRoute",
    "AWS::EC2::VPNGateway",
    "AWS::EC2::VPNGatewayRoutePropagation",
    "AWS::EC2::CustomerGateway",
    "AWS::EC2::VPNConnection",
    "AWS::EC2::VPNConnectionRoute",
];

/// The design kind and id prefix of a CloudFormation type that becomes a design resource.
pub fn kind_of_type(ty: &str, props: &Value) -> Option<(ResourceKind, &'static str)> {
    use ResourceKind as K;
    Some(match ty {
        "AWS::EC2::VPC" => (K::Vpc, "vpc"),
        "AWS::EC2::Subnet" => (K::Subnet, "subnet"),
        "AWS::EC2::RouteTable" => (K::RouteTable, "rtb"),
        "AWS::EC2::InternetGateway" => (K::InternetGateway, "igw"),
        "AWS::EC2::EgressOnlyInternetGateway" => (K::EgressOnlyInternetGateway, "eigw"),
        "AWS::EC2::NatGateway" => (K::NatGateway, "nat"),
        "AWS::EC2::EIP" => (K::ElasticIp, "eipalloc"),
        "AWS::EC2::Instance" => (K::Instance, "i"),
        "AWS::EC2::NetworkInterface" => (K::NetworkInterface, "eni"),
        "AWS::EC2::SecurityGroup" => (K::SecurityGroup, "sg"),
        "AWS::EC2::NetworkAcl" => (K::NetworkAcl, "acl"),
        "AWS::EC2::VPCPeeringConnection" => (K::VpcPeering, "pcx"),
        "AWS::EC2::PrefixList" => (K::PrefixList, "pl"),
        "AWS::EC2::VPCEndpoint" => (K::VpcEndpoint, "vpce"),
        "AWS::EC2::VPCEndpointService" => (K::EndpointService, "vpce-svc"),
        "AWS::ElasticLoadBalancingV2::LoadBalancer" => {
            let prefix = match props.get("Type").and_then(Value::as_str) {
                Some("network") => "nlb",
                Some("gateway") => "gwlb",
                _ => "alb",
            };
            (K::LoadBalancer, prefix)
        }
        "AWS::ElasticLoadBalancingV2::TargetGroup" => (K::TargetGroup, "tg"),
        "AWS::EC2::TransitGateway" => (K::TransitGateway, "tgw"),
        "AWS::EC2::TransitGatewayAttachment"
        | "AWS::EC2::TransitGatewayVpcAttachment"
        | "AWS::EC2::TransitGatewayPeeringAttachment" => (K::TgwAttachment, "tgw-attach"),
        "AWS::EC2::TransitGatewayRouteTable" => (K::TgwRouteTable, "tgw-rtb"),
        "AWS::EC2::VPNGateway" => (K::VpnGateway, "vgw"),
        "AWS::EC2::CustomerGateway" => (K::CustomerGateway, "cgw"),
        "AWS::EC2::VPNConnection" => (K::VpnConnection, "vpn"),
        _ => return None,
    })
}

/// A property.
pub fn p<'v>(props: &'v Value, key: &str) -> &'v Value {
    props.get(key).unwrap_or(&Value::Null)
}

/// A string property (not a marker, not empty).
pub fn s<'v>(props: &'v Value, key: &str) -> Option<&'v str> {
    p(props, key).as_str().filter(|x| !x.is_empty() && !x.contains("{{$"))
}

/// A boolean, also from `"true"` / `"false"`.
pub fn b(props: &Value, key: &str) -> Option<bool> {
    match p(props, key) {
        Value::Bool(x) => Some(*x),
        Value::String(x) => x.trim().to_ascii_lowercase().parse().ok(),
        _ => None,
    }
}

/// An integer, also from a numeric string.
pub fn n(props: &Value, key: &str) -> Option<i64> {
    match p(props, key) {
        Value::Number(x) => x.as_i64(),
        Value::String(x) => x.trim().parse().ok(),
        _ => None,
    }
}

/// A list property (a single value counts as a list of one).
pub fn list<'v>(props: &'v Value, key: &str) -> Vec<&'v Value> {
    match p(props, key) {
        Value::Array(a) => a.iter().collect(),
        Value::Null => Vec::new(),
        v => vec![v],
    }
}

/// An IPv4 CIDR, canonicalised.
pub fn cidr(props: &Value, key: &str) -> Option<ipnet::Ipv4Net> {
    s(props, key)?.trim().parse::<ipnet::Ipv4Net>().ok().map(|c| c.trunc())
}

/// An IPv4 address.
pub fn ip(props: &Value, key: &str) -> Option<std::net::Ipv4Addr> {
    s(props, key)?.trim().parse().ok()
}

impl Cx<'_> {
    /// Resolve a reference to a design id of kind `want`. Literal ids and imports are external
    /// and come back as they are (`import:<name>` for imports); stubs for them are made where
    /// a resource needs its owner. `None` (with a report item) when nothing usable is there.
    pub fn resolve(&mut self, v: &Value, want: ResourceKind, from: &str) -> Option<Id> {
        match self.lookup(v, from) {
            Some(Found::Design(kind, id)) if kind == want => Some(id),
            Some(Found::Design(kind, id)) => {
                self.report.warn(
                    "",
                    from,
                    crate::text!(
                        "refers to {id} ({kind_ui}) where a {want_ui} belongs: ignored",
                        kind_ui = kind.label(),
                        want_ui = want.label()
                    ),
                );
                None
            }
            Some(Found::External(id)) => Some(id),
            None => None,
        }
    }

    /// Resolve a reference of any kind.
    pub fn lookup(&mut self, v: &Value, from: &str) -> Option<Found> {
        match marker(v) {
            Some(Marker::Ref(l)) => self.logical(l, from),
            Some(Marker::GetAtt(l, attr)) => {
                let found = self.logical(l, from)?;
                match (attr, &found) {
                    ("DefaultSecurityGroup", Found::Design(ResourceKind::Vpc, vpc)) => {
                        let g = self.default_of(vpc).0?;
                        Some(Found::Design(ResourceKind::SecurityGroup, g))
                    }
                    ("DefaultNetworkAcl", Found::Design(ResourceKind::Vpc, vpc)) => {
                        let a = self.default_of(vpc).1?;
                        Some(Found::Design(ResourceKind::NetworkAcl, a))
                    }
                    _ => Some(found),
                }
            }
            Some(Marker::Import(name)) => {
                self.report.info(
                    "",
                    from,
                    crate::text!("Fn::ImportValue {name}: another stack's resource, taken as external"),
                );
                Some(Found::External(format!("import:{name}")))
            }
            Some(_) => {
                self.report.warn(
                    "",
                    from,
                    crate::text!("a value known only at deploy time where a reference belongs: ignored"),
                );
                None
            }
            None => match v.as_str() {
                Some(text) if !text.is_empty() && !text.contains("{{$") => Some(Found::External(text.to_string())),
                Some(text) if text.contains("{{$ref:") => {
                    let l = text.split("{{$ref:").nth(1)?.split("}}").next()?.to_string();
                    self.logical(&l, from)
                }
                _ => None,
            },
        }
    }

    fn logical(&mut self, l: &str, from: &str) -> Option<Found> {
        match self.ids.get(l) {
            Some((k, id)) => Some(Found::Design(*k, id.clone())),
            None => {
                self.report.warn("", from, crate::text!("refers to {l}, which is not imported: ignored"));
                None
            }
        }
    }
}

/// What a reference resolved to.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// A resource of the template.
    Design(ResourceKind, Id),
    /// An id the template does not create.
    External(Id),
}
