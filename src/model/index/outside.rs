//! What the index says about resources by the VPC they name: a VPC's positions in a list, and
//! the resources naming a VPC the design does not hold (found through the VPC ids the lists
//! name, not by a lookup per resource).

use super::*;

impl<'a> DesignIndex<'a> {
    /// The grouping of a kind's list by the VPC id its elements name.
    fn by_vpc(kind: ResourceKind) -> Option<G> {
        use ResourceKind as K;
        Some(match kind {
            K::Subnet => G::SubnetsByVpc,
            K::RouteTable => G::RouteTablesByVpc,
            K::SecurityGroup => G::SecurityGroupsByVpc,
            K::NetworkAcl => G::NetworkAclsByVpc,
            K::VpcEndpoint => G::EndpointsByVpc,
            K::LoadBalancer => G::LoadBalancersByVpc,
            K::TargetGroup => G::TargetGroupsByVpc,
            K::InternetGateway => G::InternetGatewaysByVpc,
            K::EgressOnlyInternetGateway => G::EgressOnlyGatewaysByVpc,
            K::VpnGateway => G::VpnGatewaysByVpc,
            _ => return None,
        })
    }

    /// Positions (in the design's list) of the resources of `kind` whose VPC is `vpc`, in
    /// design order: subnets, route tables, groups, ACLs, endpoints, load balancers, target
    /// groups and gateways.
    pub fn vpc_positions(&self, kind: ResourceKind, vpc: &str) -> &[usize] {
        let Some(g) = Self::by_vpc(kind) else { return &[] };
        self.group(g).get(vpc).map(Vec::as_slice).unwrap_or(&[])
    }

    /// Positions of the resources of `kind` (as [`DesignIndex::vpc_positions`]) that name a
    /// VPC the design does not hold, in design order. Found through the VPC ids the list
    /// names, so it costs a lookup per VPC named rather than per resource.
    pub fn outside_vpcs(&self, kind: ResourceKind) -> Vec<usize> {
        let Some(g) = Self::by_vpc(kind) else { return Vec::new() };
        let mut v: Vec<usize> =
            self.group(g).iter().filter(|(k, _)| self.vpc(k).is_none()).flat_map(|(_, p)| p.iter().copied()).collect();
        v.sort_unstable();
        v
    }

    /// Positions of the interfaces whose subnet is in no VPC of the design (no such subnet, or
    /// its VPC missing), in design order: a lookup per subnet named.
    pub fn interfaces_outside_vpcs(&self) -> Vec<usize> {
        // When every subnet's VPC is in the design, a subnet named is in one if it exists.
        let every_subnet_in = self.outside_vpcs(ResourceKind::Subnet).is_empty();
        let outside = |k: &str| match every_subnet_in {
            true => self.subnet(k).is_none(),
            false => self.subnet_vpc(k).is_none(),
        };
        let mut v: Vec<usize> = self
            .interfaces_by_subnet()
            .iter()
            .filter(|(k, _)| outside(k))
            .flat_map(|(_, p)| p.iter().copied())
            .collect();
        v.sort_unstable();
        v
    }
}
