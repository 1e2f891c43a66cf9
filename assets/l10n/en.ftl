# vpcraft's messages in English: the source catalogue. Every message here is also in ko.ftl.

## Lessons
lesson-hop = { $count ->
    [one] hop
   *[other] hops
}

## Trace vocabulary: component kinds, hop actions, explanation codes (section 11)
kind-instance = instance
kind-network-interface = network-interface
kind-security-group = security-group
kind-network-acl = network-acl
kind-subnet = subnet
kind-vpc = vpc
kind-route-table = route-table
kind-internet-gateway = internet-gateway
kind-egress-only-internet-gateway = egress-only-internet-gateway
kind-nat-gateway = nat-gateway
kind-vpc-peering = vpc-peering
kind-vpc-endpoint = vpc-endpoint
kind-endpoint-service = endpoint-service
kind-load-balancer = load-balancer
kind-transit-gateway = transit-gateway
kind-tgw-route-table = tgw-route-table
kind-vpn-gateway = vpn-gateway
kind-dns = dns
kind-amazon-dns = amazon-dns
kind-imds = imds
kind-link-local = link-local
kind-host = host
kind-internet = internet
kind-aws-service = aws-service
kind-on-premises = on-premises
kind-database = database
kind-lambda-function = lambda-function
kind-ecs-task = ecs-task
kind-eks-cluster = eks-cluster
kind-network-firewall = network-firewall
kind-firewall-policy = firewall-policy
kind-firewall-rule-group = firewall-rule-group
action-resolve = a name was resolved to an address
action-egress-allowed = a security group lets the packet out
action-ingress-allowed = a security group lets the packet in
action-stateful-allowed = a stateful filter lets the reply through
action-nacl-allowed = a network ACL lets the packet across the subnet edge
action-check-passed = the source/destination check passes
action-send = the packet leaves its source
action-switch = switched inside the subnet, no route table
action-route = the route table chose the next hop
action-arrive = the packet arrived
action-nat = an address or port is rewritten
action-forward = passed on
action-reply = the destination answers
action-deliver = delivered
action-exit = leaves the design (the internet, an AWS service, on premises)
action-drop = dropped
action-inspect = an inspection point looked at the packet and let it through
code-BAD_STATE = a component is not in a working state (stopped, pending, not accepted)
code-BAD_STATE_ATTACHMENT = a transit gateway attachment is not available
code-BAD_STATE_ROUTE = the matching route is a blackhole, or its target is gone or not active (R6)
code-BAD_STATE_VPN = the VPN connection is not available
code-CANNOT_ROUTE = the route cannot carry the packet (link-local, IPv6-only target)
code-NO_ROUTE_TO_DESTINATION = no route matches the destination (R3)
code-ENI_SOURCE_DEST_CHECK_RESTRICTION = the source/destination check drops forwarded traffic (X4, N8)
code-ENI_SG_RULES_MISMATCH = no security group rule allows the packet (S2)
code-SG_HAS_NO_RULES = the security group has no rules at all
code-SUBNET_ACL_RESTRICTION = a network ACL denies the packet (L2, L3)
code-IGW_PUBLIC_IP_ASSOCIATION_FOR_EGRESS = the source has no public address for the internet gateway (I2, I4)
code-IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS = the destination from the internet is not an associated public address (I4)
code-IGW_DESTINATION_ADDRESS_NOT_IN_RFC1918_EGRESS = the internet gateway does not send to private (RFC 1918) addresses (I4)
code-IGW_DESTINATION_ADDRESS_NOT_IN_RFC6598_EGRESS = the internet gateway does not send to shared (RFC 6598) addresses (I4)
code-IGW_SOURCE_ADDRESS_NOT_IN_RFC1918_INGRESS = the internet gateway drops private (RFC 1918) sources from the internet (I4)
code-IGW_SOURCE_ADDRESS_NOT_IN_RFC6598_INGRESS = the internet gateway drops shared (RFC 6598) sources from the internet (I4)
code-VPC_BLOCK_PUBLIC_ACCESS_ENABLED = VPC Block Public Access stops internet gateway traffic
code-GATEWAY_REJECTS_SPOOFED_TRAFFIC = a gateway drops a source that is not an address of its VPC (X5)
code-NGW_REQUIRES_SOURCE_IN_VPC = a NAT gateway serves only its own VPC (N6)
code-PCX_REQUIRES_ADDRESS_IN_VPC_CIDR = peering is not transitive (P5, P6)
code-VPCE_GATEWAY_PROTOCOL_RESTRICTION = a gateway endpoint passes only TCP and ICMP echo (G5)
code-VPCE_INTRA_VPC_TRAFFIC = an endpoint never opens connections (X5)
code-TGW_ROUTE_AZ_RESTRICTION = no transit gateway attachment subnet in the source's AZ (T2)
code-TGW_ATTACH_MISSING_TGW_RTB_ASSOCIATION = the attachment has no transit gateway route table (T3)
code-TGW_RTB_BAD_STATE_ROUTE = the transit gateway route is a blackhole (T4)
code-TGW_RTB_CANNOT_ROUTE = no transit gateway route matches (T4)
code-VGW_PRIVATE_IP_ASSOCIATION_FOR_EGRESS = VGW traffic must come from a VPC address (T6, T8)
code-VGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS = VGW traffic must go to a VPC address (T8)
code-PROTOCOL_RESTRICTION = the component does not carry this protocol (E3, N5)
code-NO_POSSIBLE_DESTINATION = nothing answers there (a NAT gateway's own address, N5)
code-UNKNOWN_DESTINATION = the destination is not known to the design
code-ELBV2_LISTENER_PORT_RESTRICTION = the load balancer has no listener on the port (E9)
code-ELBV2_LISTENER_HAS_NO_TG = the listener forwards to no target group
code-ELBV2_NO_TARGETS_IN_AZ = the target group has no running target
code-UNSUPPORTED_COMPONENT = the trace does not follow this kind of component
code-UNKNOWN_RESOURCE = a reference points at a resource that is not in the design
code-ELB_LISTENER_PORT_RESTRICTION = the classic load balancer has no listener on the port (M6)
code-SERVICE_PORT_RESTRICTION = the managed service listens only on its own port (M3)
code-SERVICE_OUTBOUND_ONLY = nothing can open a connection to a Lambda function (M7)
code-EKS_PUBLIC_ACCESS_CIDR_RESTRICTION = the EKS public endpoint admits only its public access CIDRs (M9)
code-ROUTING_LOOP = the packet came back to a place it had been
code-FIREWALL_RULES_RESTRICTION = a Network Firewall rule or default action drops the packet (F2, F3, F4)
code-GWLB_PROTOCOL_RESTRICTION = a Gateway Load Balancer reaches its appliances only with GENEVE (B1)
code-GWLB_DESTINATION_PORT_RESTRICTION = a Gateway Load Balancer reaches its appliances only on UDP 6081 (B1)
code-VPCE_SERVICE_NOT_INSTALLED_IN_AZ = the endpoint service has no load balancer node in the endpoint's AZ (E9, B2)
code-APPLIANCE_RULES_RESTRICTION = the appliance behind the Gateway Load Balancer drops the packet by its rules (B2)

## Trace text (vpcraft trace, the trace pane)
trace-flow = Flow { $header }
trace-forward = Forward
trace-return = Return
trace-verdict = Verdict: { $verdict } ({ $disposition })
trace-reason = Reason: { $code }: { $reason }
trace-fixes = Fixes:
trace-matched = matched: { $what }
trace-beat = beat: { $what }
trace-warning = warning: { $what }
verdict-delivered = delivered
verdict-dropped = dropped

## Check text (vpcraft check)
severity-error = error
severity-warning = warning
severity-info = info
check-fix = fix: { $fix }
check-summary = { $design }: { $errors } errors, { $warnings } warnings, { $infos } notes
