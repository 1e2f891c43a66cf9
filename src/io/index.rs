//! Finding a design's resources by id in constant time while an import builds the design: the
//! model's lookups scan a list, which done once per imported resource makes an import of N
//! VPCs cost N² (issue 17, H4).
//!
//! Imports only append to the design's lists until they finish, so each kind's index learns
//! the new tail on every lookup. A hit is checked against the list (a list that changed under
//! the index is re-read), so a stale index can never return the wrong resource.

use crate::model::*;
use std::collections::HashMap;

/// Positions by id in one list.
#[derive(Debug, Clone, Default)]
pub struct Positions {
    seen: usize,
    at: HashMap<String, usize>,
}

impl Positions {
    /// The position of `id` in `items` (the first, as the model's lookups find).
    pub fn find<T>(&mut self, items: &[T], id: &str, key: impl Fn(&T) -> &str) -> Option<usize> {
        if items.len() < self.seen {
            self.at.clear();
            self.seen = 0;
        }
        for (i, x) in items.iter().enumerate().skip(self.seen) {
            self.at.entry(key(x).to_string()).or_insert(i);
        }
        self.seen = items.len();
        let i = *self.at.get(id)?;
        if items.get(i).is_some_and(|x| key(x) == id) {
            return Some(i);
        }
        // The list changed in place: read it again.
        self.at.clear();
        self.seen = 0;
        self.find(items, id, key)
    }
}

macro_rules! index {
    ($($field:ident, $get:ident, $get_mut:ident: $ty:ty;)*) => {
        /// Positions of every kind an import looks up in its loops.
        #[derive(Debug, Default)]
        pub struct DesignIndex {
            $($field: Positions,)*
        }

        impl DesignIndex {
            $(
                pub fn $get<'d>(&mut self, d: &'d Design, id: &str) -> Option<&'d $ty> {
                    self.$field.find(&d.$field, id, |x| x.id.as_str()).map(|i| &d.$field[i])
                }

                pub fn $get_mut<'d>(&mut self, d: &'d mut Design, id: &str) -> Option<&'d mut $ty> {
                    self.$field.find(&d.$field, id, |x| x.id.as_str()).map(move |i| &mut d.$field[i])
                }
            )*
        }
    };
}

index! {
    vpcs, vpc, vpc_mut: Vpc;
    subnets, subnet, subnet_mut: Subnet;
    route_tables, route_table, route_table_mut: RouteTable;
    security_groups, security_group, security_group_mut: SecurityGroup;
    network_acls, network_acl, network_acl_mut: NetworkAcl;
    internet_gateways, internet_gateway, internet_gateway_mut: InternetGateway;
    vpn_gateways, vpn_gateway, vpn_gateway_mut: VpnGateway;
    instances, instance, instance_mut: Instance;
    network_interfaces, network_interface, network_interface_mut: NetworkInterface;
    elastic_ips, elastic_ip, elastic_ip_mut: ElasticIp;
    load_balancers, load_balancer, load_balancer_mut: LoadBalancer;
    tgw_route_tables, tgw_route_table, tgw_route_table_mut: TgwRouteTable;
    tgw_attachments, tgw_attachment, tgw_attachment_mut: TgwAttachment;
    transit_gateways, transit_gateway, transit_gateway_mut: TransitGateway;
    vpn_connections, vpn_connection, vpn_connection_mut: VpnConnection;
    endpoint_services, endpoint_service, endpoint_service_mut: EndpointService;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn follows_appends_and_changes() {
        let mut d = Design::new("x", "ap-northeast-2");
        let mut ix = DesignIndex::default();
        assert!(ix.vpc(&d, "vpc-1").is_none());
        for i in 0..3 {
            d.vpcs.push(Vpc::new(format!("vpc-{i}"), "v", "ap-northeast-2", "10.0.0.0/16".parse().unwrap()));
        }
        assert_eq!(ix.vpc(&d, "vpc-2").unwrap().id, "vpc-2");
        d.vpcs.remove(0);
        assert_eq!(ix.vpc(&d, "vpc-1").unwrap().id, "vpc-1");
        assert!(ix.vpc(&d, "vpc-0").is_none());
        d.vpcs[0].id = "vpc-9".into();
        assert!(ix.vpc(&d, "vpc-1").is_none(), "a stale position is never returned");
        ix.vpc_mut(&mut d, "vpc-2").unwrap().name = "renamed".into();
        assert_eq!(d.vpcs[1].name, "renamed");
    }
}
