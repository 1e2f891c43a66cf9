//! The [`Op`] enum: every edit a design can take, as data (see the module's documentation).

use super::*;
use ipnet::Ipv6Net;
use std::net::Ipv6Addr;

fn yes() -> bool {
    true
}

/// One edit of a design. `Add…` creates a resource (with what AWS creates alongside it),
/// `Update…` changes the fields it sets (`None`: unchanged), the association ops move links,
/// [`Op::Delete`] removes any resource. A few short forms the labs use (`SetVpcDns`,
/// `SetEndpointGroups` …) are the same change as the `Update…` op they name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Op {
    // ----------------------------------------------------------------------- VPCs and subnets
    /// A VPC with its main route table, default NACL and default security group.
    AddVpc {
        name: String,
        cidr: Ipv4Net,
        #[serde(default)]
        region: Option<String>,
        #[serde(default)]
        dns_hostnames: bool,
        #[serde(default = "yes")]
        dns_support: bool,
        #[serde(default)]
        secondary_cidrs: Vec<Ipv4Net>,
    },
    /// `secondary_cidrs` is the whole new list: CIDRs left out are removed (A2).
    UpdateVpc {
        vpc: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        secondary_cidrs: Option<Vec<Ipv4Net>>,
        #[serde(default)]
        dns_support: Option<bool>,
        #[serde(default)]
        dns_hostnames: Option<bool>,
    },
    AddVpcCidr {
        vpc: Ref,
        cidr: Ipv4Net,
    },
    SetVpcDns {
        vpc: Ref,
        #[serde(default)]
        support: Option<bool>,
        #[serde(default)]
        hostnames: Option<bool>,
    },
    AddSubnet {
        vpc: Ref,
        name: String,
        cidr: Ipv4Net,
        /// A zone name or just its letter.
        az: String,
        #[serde(default)]
        public_ip_on_launch: bool,
        /// An explicit route table association; none: the main table (R1).
        #[serde(default)]
        route_table: Option<Ref>,
        /// An explicit network ACL association; none: the default ACL (L1).
        #[serde(default)]
        network_acl: Option<Ref>,
    },
    /// `route_table: Some(None)` goes back to the main table (R1).
    UpdateSubnet {
        subnet: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        cidr: Option<Ipv4Net>,
        #[serde(default)]
        public_ip_on_launch: Option<bool>,
        #[serde(default)]
        route_table: Option<Option<Ref>>,
    },

    // ------------------------------------------------------------------------------- IPv6
    /// A7: associate an IPv6 block with a VPC. No `cidr`: an Amazon-provided /56 (a stable
    /// stand-in until AWS assigns one); `pool` says where a given block comes from.
    AddVpcIpv6Block {
        vpc: Ref,
        #[serde(default)]
        cidr: Option<Ipv6Net>,
        #[serde(default)]
        pool: Ipv6Pool,
    },
    /// A7: make a subnet dual-stack with an IPv6 block (no `cidr`: the lowest free /64).
    SetSubnetIpv6 {
        subnet: Ref,
        #[serde(default)]
        cidr: Option<Ipv6Net>,
        #[serde(default)]
        assign_on_creation: bool,
    },
    /// A7: an IPv6-only subnet (no IPv4 CIDR; no `cidr`: the lowest free /64). Its hostnames
    /// are resource names, as AWS requires of IPv6-only subnets.
    AddIpv6OnlySubnet {
        vpc: Ref,
        name: String,
        az: String,
        #[serde(default)]
        cidr: Option<Ipv6Net>,
        #[serde(default)]
        dns64: bool,
    },
    /// N4: DNS64 on a subnet's resolver answers.
    SetSubnetDns64 {
        subnet: Ref,
        enabled: bool,
    },
    /// A7: an IPv6 address on an instance's primary interface, or on the network interface
    /// `instance` names (no `address`: the first free one after the four reserved).
    AddInstanceIpv6 {
        instance: Ref,
        #[serde(default)]
        address: Option<Ipv6Addr>,
    },
    /// A7, R2: disassociate an IPv6 block from a VPC (refused while a subnet holds part of it).
    RemoveVpcIpv6Block {
        vpc: Ref,
        cidr: Ipv6Net,
    },
    /// A7: take a dual-stack subnet's IPv6 block away (refused while an interface there holds
    /// an IPv6 address, and for an IPv6-only subnet).
    RemoveSubnetIpv6 {
        subnet: Ref,
    },
    /// A7: the IPv6 addresses of an interface, or of an instance's primary interface, become
    /// exactly these.
    SetIpv6Addresses {
        resource: Ref,
        #[serde(default)]
        addresses: Vec<Ipv6Addr>,
    },
    /// T2: IPv6 support on a transit gateway VPC attachment (off by default: the attachment
    /// then neither propagates nor carries IPv6).
    SetTgwAttachmentIpv6 {
        attachment: Ref,
        enabled: bool,
    },

    // ------------------------------------------------------------------ route tables, routes
    AddRouteTable {
        vpc: Ref,
        name: String,
        #[serde(default)]
        subnets: Vec<Ref>,
        #[serde(default)]
        main: bool,
        #[serde(default)]
        gateways: Vec<Ref>,
        #[serde(default)]
        propagating_vgws: Vec<Ref>,
    },
    /// Lists are the whole new lists. `main: Some(true)` makes the table main; a main table
    /// cannot be made not main (R1).
    UpdateRouteTable {
        table: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        main: Option<bool>,
        #[serde(default)]
        subnets: Option<Vec<Ref>>,
        #[serde(default)]
        gateways: Option<Vec<Ref>>,
        #[serde(default)]
        propagating_vgws: Option<Vec<Ref>>,
    },
    AssociateRouteTable {
        table: Ref,
        subnet: Ref,
    },
    /// The subnet goes back to its VPC's main table (R1).
    DisassociateRouteTable {
        subnet: Ref,
    },
    SetMainRouteTable {
        table: Ref,
    },
    /// `target` is any resource a route may point at (R5). A route to a peering that is not
    /// active is a blackhole until it is (R6, P4).
    AddRoute {
        table: Ref,
        destination: RouteDestination,
        target: Ref,
    },
    /// Replace the route for `destination` in place, with a new target and optionally a new
    /// destination.
    ReplaceRoute {
        table: Ref,
        destination: RouteDestination,
        #[serde(default)]
        new_destination: Option<RouteDestination>,
        target: Ref,
    },
    DeleteRoute {
        table: Ref,
        destination: RouteDestination,
    },

    // ------------------------------------------------------------------------------ gateways
    AddInternetGateway {
        name: String,
        #[serde(default)]
        vpc: Option<Ref>,
    },
    /// `vpc: Some(None)` detaches it.
    UpdateInternetGateway {
        igw: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        vpc: Option<Option<Ref>>,
    },
    AttachInternetGateway {
        igw: Ref,
        vpc: Ref,
    },
    DetachInternetGateway {
        igw: Ref,
    },
    AddEgressOnlyInternetGateway {
        name: String,
        vpc: Ref,
    },
    UpdateEgressOnlyInternetGateway {
        eigw: Ref,
        #[serde(default)]
        name: Option<String>,
    },
    AddElasticIp {
        name: String,
        public_ip: Ipv4Addr,
        /// Associate with this instance's primary interface.
        #[serde(default)]
        instance: Option<Ref>,
        /// The address was made up (an editor default), not allocated by AWS.
        #[serde(default)]
        placeholder: bool,
    },
    UpdateElasticIp {
        eip: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        public_ip: Option<Ipv4Addr>,
    },
    /// `private_ip: None` takes the subnet's first free address (A6). A public NAT gateway
    /// needs an Elastic IP (N1): a new one at `public_ip`, or an existing one.
    AddNatGateway {
        name: String,
        subnet: Ref,
        #[serde(default)]
        private_ip: Option<Ipv4Addr>,
        #[serde(default)]
        public_ip: Option<Ipv4Addr>,
        #[serde(default)]
        eip: NatEip,
        #[serde(default)]
        connectivity: NatConnectivity,
        #[serde(default)]
        state: NatState,
    },
    /// A regional NAT gateway (N9): in a VPC, no subnet, serving every AZ its workloads are
    /// in. A new Elastic IP at `public_ip` unless `eip` names one; `route_table` is its own
    /// table (none: the one AWS creates, local and `0.0.0.0/0` to the internet gateway).
    AddRegionalNatGateway {
        name: String,
        vpc: Ref,
        #[serde(default)]
        public_ip: Option<Ipv4Addr>,
        #[serde(default)]
        eip: NatEip,
        #[serde(default)]
        route_table: Option<Ref>,
        #[serde(default)]
        state: NatState,
    },
    UpdateNatGateway {
        nat: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        private_ip: Option<Ipv4Addr>,
        #[serde(default)]
        connectivity: Option<NatConnectivity>,
        #[serde(default)]
        eip: Option<NatEip>,
        #[serde(default)]
        state: Option<NatState>,
        /// A regional NAT gateway's own route table: `Some(None)` goes back to AWS's (N9).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        route_table: Option<Option<Ref>>,
    },

    // ------------------------------------------------------------ instances and interfaces
    /// An instance with its primary interface. `private_ip: None` takes the first free
    /// address; no groups means the VPC's default group (S5).
    AddInstance {
        name: String,
        subnet: Ref,
        #[serde(default)]
        private_ip: Option<Ipv4Addr>,
        #[serde(default)]
        groups: Vec<Ref>,
        #[serde(default)]
        public_ip: Option<Ipv4Addr>,
        #[serde(default)]
        role: String,
        #[serde(default)]
        instance_type: Option<String>,
        #[serde(default)]
        state: InstanceState,
        #[serde(default = "yes")]
        source_dest_check: bool,
    },
    /// Interface fields change the primary interface.
    UpdateInstance {
        instance: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        instance_type: Option<String>,
        #[serde(default)]
        state: Option<InstanceState>,
        #[serde(default)]
        role: Option<String>,
        #[serde(default)]
        private_ip: Option<Ipv4Addr>,
        #[serde(default)]
        public_ip: Option<Option<Ipv4Addr>>,
        #[serde(default)]
        groups: Option<Vec<Ref>>,
        #[serde(default)]
        source_dest_check: Option<bool>,
    },
    SetSourceDestCheck {
        instance: Ref,
        enabled: bool,
    },
    SetInstanceState {
        instance: Ref,
        state: InstanceState,
    },
    SetInterfaceGroups {
        instance: Ref,
        groups: Vec<Ref>,
    },
    AddNetworkInterface {
        name: String,
        subnet: Ref,
        /// Primary first; empty: the first free address.
        #[serde(default)]
        private_ips: Vec<Ipv4Addr>,
        #[serde(default)]
        public_ip: Option<Ipv4Addr>,
        #[serde(default)]
        eip: Option<Ref>,
        #[serde(default)]
        groups: Vec<Ref>,
        #[serde(default)]
        instance: Option<Ref>,
        #[serde(default)]
        device_index: u32,
        #[serde(default = "yes")]
        source_dest_check: bool,
    },
    UpdateNetworkInterface {
        eni: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        private_ips: Option<Vec<Ipv4Addr>>,
        #[serde(default)]
        public_ip: Option<Option<Ipv4Addr>>,
        #[serde(default)]
        eip: Option<Option<Ref>>,
        #[serde(default)]
        groups: Option<Vec<Ref>>,
        #[serde(default)]
        instance: Option<Option<Ref>>,
        #[serde(default)]
        device_index: Option<u32>,
        #[serde(default)]
        source_dest_check: Option<bool>,
    },

    // ----------------------------------------------------- security groups and network ACLs
    AddSecurityGroup {
        vpc: Ref,
        name: String,
        #[serde(default)]
        description: String,
    },
    UpdateSecurityGroup {
        group: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        description: Option<String>,
    },
    AddSgRule {
        group: Ref,
        direction: Direction,
        protocol: Protocol,
        #[serde(default)]
        ports: PortSpec,
        peer: PeerSpec,
        #[serde(default)]
        description: String,
    },
    /// Replace rule `index` of `direction`; `to_direction` moves it to the other list.
    ReplaceSgRule {
        group: Ref,
        direction: Direction,
        index: usize,
        to_direction: Direction,
        protocol: Protocol,
        #[serde(default)]
        ports: PortSpec,
        peer: PeerSpec,
        #[serde(default)]
        description: String,
    },
    /// Remove the rules matching protocol and ports (any peer when `peer` is absent).
    RemoveSgRule {
        group: Ref,
        direction: Direction,
        protocol: Protocol,
        #[serde(default)]
        ports: PortSpec,
        #[serde(default)]
        peer: Option<PeerSpec>,
    },
    /// Remove rule `index` of `direction`.
    DeleteSgRule {
        group: Ref,
        direction: Direction,
        index: usize,
    },
    AddNetworkAcl {
        vpc: Ref,
        name: String,
        #[serde(default)]
        subnets: Vec<Ref>,
    },
    /// `subnets` is the whole new list; subnets left out go back to the default ACL (L1).
    UpdateNetworkAcl {
        acl: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        subnets: Option<Vec<Ref>>,
    },
    AssociateNetworkAcl {
        acl: Ref,
        subnet: Ref,
    },
    AddNaclEntry {
        acl: Ref,
        entry: NaclEntry,
    },
    ReplaceNaclEntry {
        acl: Ref,
        index: usize,
        entry: NaclEntry,
    },
    DeleteNaclEntry {
        acl: Ref,
        index: usize,
    },

    // ------------------------------------------------------------------------------ peering
    AddPeering {
        name: String,
        requester: Ref,
        accepter: Ref,
        status: PeeringStatus,
        #[serde(default)]
        allow_dns_resolution: bool,
    },
    UpdatePeering {
        peering: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        status: Option<PeeringStatus>,
        #[serde(default)]
        allow_dns_resolution: Option<bool>,
    },
    SetPeeringStatus {
        peering: Ref,
        status: PeeringStatus,
    },

    // ------------------------------------------------------------------------- prefix lists
    AddPrefixList {
        name: String,
        #[serde(default)]
        region: Option<String>,
        #[serde(default)]
        cidrs: Vec<IpNet>,
    },
    UpdatePrefixList {
        prefix_list: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        region: Option<String>,
        #[serde(default)]
        cidrs: Option<Vec<IpNet>>,
    },

    // ------------------------------------------------------- endpoints and load balancers
    /// `service` is a short name (`s3`) or a full service name.
    AddGatewayEndpoint {
        vpc: Ref,
        service: String,
        route_tables: Vec<Ref>,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        state: Option<EndpointState>,
    },
    /// `interfaces` are (subnet, address) pairs; `subnets` get an interface at their first
    /// free address. One per AZ (E1).
    AddInterfaceEndpoint {
        vpc: Ref,
        name: String,
        service: String,
        #[serde(default)]
        interfaces: Vec<(Ref, Ipv4Addr)>,
        #[serde(default)]
        subnets: Vec<Ref>,
        #[serde(default)]
        groups: Vec<Ref>,
        #[serde(default)]
        private_dns: bool,
        #[serde(default)]
        state: Option<EndpointState>,
        /// Interface (the default) or Gateway Load Balancer.
        #[serde(default)]
        kind: Option<EndpointKind>,
        /// The random part of the endpoint's DNS names (E5); made up when absent.
        #[serde(default)]
        dns_suffix: Option<String>,
    },
    /// Lists are whole new lists. `route_tables` for a gateway endpoint keeps its managed routes
    /// in step (G2); `subnets` for an interface endpoint keeps the interfaces it has there.
    UpdateEndpoint {
        endpoint: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        state: Option<EndpointState>,
        #[serde(default)]
        route_tables: Option<Vec<Ref>>,
        #[serde(default)]
        subnets: Option<Vec<Ref>>,
        #[serde(default)]
        groups: Option<Vec<Ref>>,
        #[serde(default)]
        private_dns: Option<bool>,
    },
    SetEndpointPrivateDns {
        endpoint: Ref,
        enabled: bool,
    },
    SetEndpointState {
        endpoint: Ref,
        state: EndpointState,
    },
    SetEndpointGroups {
        endpoint: Ref,
        groups: Vec<Ref>,
    },
    AddEndpointService {
        name: String,
        #[serde(default)]
        region: Option<String>,
        #[serde(default)]
        load_balancers: Vec<Ref>,
        #[serde(default = "yes")]
        acceptance_required: bool,
        #[serde(default)]
        allowed_principals: Vec<String>,
    },
    UpdateEndpointService {
        service: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        load_balancers: Option<Vec<Ref>>,
        #[serde(default)]
        acceptance_required: Option<bool>,
        #[serde(default)]
        allowed_principals: Option<Vec<String>>,
    },
    /// One node per subnet, at the subnet's first free address.
    AddLoadBalancer {
        name: String,
        vpc: Ref,
        #[serde(default)]
        kind: LoadBalancerKind,
        #[serde(default)]
        scheme: LoadBalancerScheme,
        #[serde(default)]
        subnets: Vec<Ref>,
        #[serde(default)]
        groups: Vec<Ref>,
        #[serde(default)]
        listeners: Vec<ListenerSpec>,
    },
    UpdateLoadBalancer {
        load_balancer: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        kind: Option<LoadBalancerKind>,
        #[serde(default)]
        scheme: Option<LoadBalancerScheme>,
        #[serde(default)]
        subnets: Option<Vec<Ref>>,
        #[serde(default)]
        groups: Option<Vec<Ref>>,
        #[serde(default)]
        listeners: Option<Vec<ListenerSpec>>,
    },
    AddTargetGroup {
        name: String,
        vpc: Ref,
        protocol: Protocol,
        port: u16,
        #[serde(default)]
        targets: Vec<TargetSpec>,
        /// `Lambda` or `Alb` (M10, M11); absent, the first target says it.
        #[serde(default)]
        target_type: Option<TargetType>,
    },
    UpdateTargetGroup {
        target_group: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        protocol: Option<Protocol>,
        #[serde(default)]
        port: Option<u16>,
        #[serde(default)]
        targets: Option<Vec<TargetSpec>>,
    },

    // ------------------------------------------------------- managed services (M1–M9)
    /// A DB subnet group (M1): subnets of one VPC in at least two Availability Zones. `service`
    /// says whose API it belongs to (RDS's serves Aurora, Neptune and DocumentDB).
    AddDbSubnetGroup {
        name: String,
        #[serde(default)]
        service: DatabaseService,
        subnets: Vec<Ref>,
        #[serde(default)]
        description: String,
    },
    /// `subnets` is the whole new list; a subnet holding a database's interface stays (M1).
    UpdateDbSubnetGroup {
        group: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        subnets: Option<Vec<Ref>>,
        #[serde(default)]
        description: Option<String>,
    },
    /// A database or cache with the interfaces AWS creates for it (M1): placed through
    /// `subnet_group` (OpenSearch: `subnets`), one interface per instance or node (`nodes`, for
    /// clusters and caches), in `az` first when given. No `engine`: the service's default; no
    /// `port`: the engine's (M3); no `publicly_accessible`: AWS's default (M2).
    AddDatabase {
        name: String,
        #[serde(default)]
        service: DatabaseService,
        #[serde(default)]
        engine: String,
        #[serde(default)]
        port: Option<u16>,
        #[serde(default)]
        publicly_accessible: Option<bool>,
        #[serde(default)]
        subnet_group: Option<Ref>,
        #[serde(default)]
        subnets: Vec<Ref>,
        #[serde(default)]
        groups: Vec<Ref>,
        #[serde(default)]
        multi_az: bool,
        #[serde(default)]
        nodes: Option<u32>,
        #[serde(default)]
        az: Option<String>,
    },
    /// `port: Some(None)` goes back to the engine's default (M3); a new `subnet_group` places
    /// the interfaces anew, keeping those in subnets it still has.
    UpdateDatabase {
        database: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        engine: Option<String>,
        #[serde(default)]
        port: Option<Option<u16>>,
        #[serde(default)]
        publicly_accessible: Option<bool>,
        #[serde(default)]
        subnet_group: Option<Ref>,
        #[serde(default)]
        groups: Option<Vec<Ref>>,
        #[serde(default)]
        multi_az: Option<bool>,
    },
    /// A Lambda function with a VpcConfig (M7), an ECS service with awsvpc networking (M8) or an
    /// EKS cluster (M9), with its interfaces: one per subnet (Lambda), per task (ECS), per zone
    /// up to two (EKS).
    AddComputeService {
        name: String,
        kind: ComputeSpec,
        subnets: Vec<Ref>,
        #[serde(default)]
        groups: Vec<Ref>,
    },
    /// Its kind stays (a Lambda function stays one); its fields may change.
    UpdateComputeService {
        service: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        kind: Option<ComputeSpec>,
        #[serde(default)]
        subnets: Option<Vec<Ref>>,
        #[serde(default)]
        groups: Option<Vec<Ref>>,
    },

    // --------------------------------------------------------------------------- transit
    /// A transit gateway with its default route table (T3).
    AddTransitGateway {
        name: String,
        #[serde(default)]
        region: Option<String>,
        #[serde(default)]
        asn: Option<u32>,
        #[serde(default = "yes")]
        default_association: bool,
        #[serde(default = "yes")]
        default_propagation: bool,
    },
    UpdateTransitGateway {
        tgw: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        asn: Option<u32>,
        #[serde(default)]
        default_association: Option<bool>,
        #[serde(default)]
        default_propagation: Option<bool>,
    },
    /// Attach a VPC with one subnet per AZ; associates and propagates with the default table.
    AttachVpcToTransitGateway {
        tgw: Ref,
        vpc: Ref,
        subnets: Vec<Ref>,
        name: String,
    },
    /// `association: None` follows the gateway's default association (T3); `Some(None)` is
    /// no association.
    AddTgwAttachment {
        tgw: Ref,
        name: String,
        attaches: AttachSpec,
        #[serde(default)]
        state: AttachmentState,
        #[serde(default)]
        association: Option<Option<Ref>>,
        /// T9: appliance mode, for a VPC attachment.
        #[serde(default)]
        appliance_mode: bool,
    },
    UpdateTgwAttachment {
        attachment: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        state: Option<AttachmentState>,
        #[serde(default)]
        association: Option<Option<Ref>>,
        /// For a VPC attachment.
        #[serde(default)]
        subnets: Option<Vec<Ref>>,
        /// T9: appliance mode, for a VPC attachment.
        #[serde(default)]
        appliance_mode: Option<bool>,
    },
    AddTgwRouteTable {
        tgw: Ref,
        name: String,
        #[serde(default)]
        propagations: Vec<Ref>,
        #[serde(default)]
        routes: Vec<TgwRouteSpec>,
    },
    UpdateTgwRouteTable {
        table: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        propagations: Option<Vec<Ref>>,
        #[serde(default)]
        routes: Option<Vec<TgwRouteSpec>>,
    },
    AddVpnGateway {
        name: String,
        #[serde(default)]
        vpc: Option<Ref>,
        #[serde(default)]
        asn: Option<u32>,
    },
    UpdateVpnGateway {
        vgw: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        vpc: Option<Option<Ref>>,
        #[serde(default)]
        asn: Option<u32>,
    },
    AddCustomerGateway {
        name: String,
        ip: Ipv4Addr,
        #[serde(default)]
        bgp_asn: Option<u32>,
    },
    UpdateCustomerGateway {
        cgw: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        ip: Option<Ipv4Addr>,
        #[serde(default)]
        bgp_asn: Option<u32>,
    },
    AddVpnConnection {
        name: String,
        customer_gateway: Ref,
        #[serde(default)]
        gateway: Option<VpnSide>,
        #[serde(default)]
        static_routes_only: bool,
        #[serde(default)]
        routes: Vec<Ipv4Net>,
        #[serde(default)]
        state: VpnState,
    },
    UpdateVpnConnection {
        vpn: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        customer_gateway: Option<Ref>,
        #[serde(default)]
        gateway: Option<Option<VpnSide>>,
        #[serde(default)]
        static_routes_only: Option<bool>,
        #[serde(default)]
        routes: Option<Vec<Ipv4Net>>,
        #[serde(default)]
        state: Option<VpnState>,
    },

    /// B2: what the appliances behind a Gateway Load Balancer decide for this target group:
    /// 5-tuple rules, first match, else the default (allow all when empty).
    SetTargetGroupAppliance {
        target_group: Ref,
        appliance: ApplianceRules,
    },

    // ------------------------------------------------------------------- Network Firewall
    /// A firewall in a VPC with one endpoint per AZ, one in each of `subnets` (F1), running
    /// `policy`.
    AddNetworkFirewall {
        name: String,
        vpc: Ref,
        policy: Ref,
        subnets: Vec<Ref>,
    },
    /// `subnets` is the whole new list: an endpoint stays in each subnet kept, one is made in
    /// each subnet added, and the others go (F1).
    UpdateNetworkFirewall {
        firewall: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        policy: Option<Ref>,
        #[serde(default)]
        subnets: Option<Vec<Ref>>,
    },
    /// A firewall policy: stateless rule groups by priority and default actions (F2), stateful
    /// rule groups and their rule order (F3).
    AddFirewallPolicy {
        name: String,
        #[serde(default)]
        stateless_default: StatelessAction,
        #[serde(default)]
        stateless_fragment_default: StatelessAction,
        #[serde(default)]
        stateless_groups: Vec<PolicyGroupSpec>,
        #[serde(default)]
        stateful_groups: Vec<PolicyGroupSpec>,
        #[serde(default)]
        rule_order: RuleOrder,
        #[serde(default)]
        stateful_defaults: Vec<StatefulDefault>,
    },
    /// Lists are whole new lists. The rule order is fixed once the policy exists (F3).
    UpdateFirewallPolicy {
        policy: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        stateless_default: Option<StatelessAction>,
        #[serde(default)]
        stateless_fragment_default: Option<StatelessAction>,
        #[serde(default)]
        stateless_groups: Option<Vec<PolicyGroupSpec>>,
        #[serde(default)]
        stateful_groups: Option<Vec<PolicyGroupSpec>>,
        #[serde(default)]
        stateful_defaults: Option<Vec<StatefulDefault>>,
    },
    /// A rule group: stateless rules (F2), or one stateful source — 5-tuple rules (F3) or a
    /// domain list (F4). Its kind and capacity are fixed once created.
    AddFirewallRuleGroup {
        name: String,
        kind: RuleGroupKind,
        #[serde(default)]
        capacity: Option<u32>,
        #[serde(default)]
        stateless_rules: Vec<StatelessRule>,
        #[serde(default)]
        stateful_rules: Vec<StatefulRule>,
        #[serde(default)]
        domain_list: Option<DomainList>,
        #[serde(default)]
        home_net: Vec<IpNet>,
    },
    /// Lists are whole new lists; `domain_list: Some(None)` removes the list.
    UpdateFirewallRuleGroup {
        group: Ref,
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        stateless_rules: Option<Vec<StatelessRule>>,
        #[serde(default)]
        stateful_rules: Option<Vec<StatefulRule>>,
        #[serde(default)]
        domain_list: Option<Option<DomainList>>,
        #[serde(default)]
        home_net: Option<Vec<IpNet>>,
    },

    // ------------------------------------------------------------------------ any resource
    /// Delete a resource; `cascade` cleans up what refers to it, else the delete is refused
    /// while anything does.
    Delete {
        resource: Ref,
        #[serde(default)]
        cascade: bool,
    },
}
