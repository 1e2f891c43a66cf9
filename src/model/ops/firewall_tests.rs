//! Network Firewall, Gateway Load Balancer endpoint and appliance mode ops (F1–F4, B2, T9).

use super::snapshot::Snapshot;
use super::*;
use crate::rules::Rule;

/// Ops as the labs write them.
fn ops(text: &str) -> Vec<Op> {
    ron::Options::default()
        .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME)
        .from_str::<Vec<Op>>(text)
        .expect("ops")
}

fn apply_all(d: &mut Design, text: &str) {
    for op in ops(text) {
        d.apply(&op).unwrap_or_else(|e| panic!("{op:?}: {e}"));
    }
}

fn refused(d: &Design, text: &str) -> Vec<OpError> {
    let op = ops(text).pop().expect("one op");
    let e = d.check(&op);
    assert!(!e.is_empty(), "{op:?} should be refused");
    e
}

fn rules_of(e: &[OpError]) -> Vec<Option<Rule>> {
    e.iter().map(|x| x.rule).collect()
}

/// An inspection VPC with a firewall subnet in zones a and b, a workload subnet in a with its
/// own table, a stateless group that drops SSH and a policy using it.
fn inspection() -> Design {
    let mut d = Design::new("t", "ap-northeast-2");
    apply_all(
        &mut d,
        r#"[
        AddVpc(name: "inspect", cidr: "10.0.0.0/16"),
        AddSubnet(vpc: Name("inspect"), name: "fw-a", cidr: "10.0.1.0/28", az: "a"),
        AddSubnet(vpc: Name("inspect"), name: "fw-b", cidr: "10.0.1.16/28", az: "b"),
        AddSubnet(vpc: Name("inspect"), name: "app-a", cidr: "10.0.2.0/24", az: "a"),
        AddRouteTable(vpc: Name("inspect"), name: "app-a-rt", subnets: [Name("app-a")]),
        AddFirewallRuleGroup(name: "no-ssh", kind: Stateless, capacity: 10, stateless_rules: [
            StatelessRule(priority: 10, protocols: [6], destination_ports: [(from: 22, to: 22)], action: Drop),
        ]),
        AddFirewallPolicy(name: "policy", stateless_groups: [(group: Name("no-ssh"), priority: 1)]),
    ]"#,
    );
    d
}

#[test]
fn a_firewall_gets_one_endpoint_per_zone_at_the_first_free_address_f1() {
    let mut d = inspection();
    apply_all(
        &mut d,
        r#"[AddNetworkFirewall(name: "fw", vpc: Name("inspect"), policy: Name("policy"), subnets: [Name("fw-a"), Name("fw-b")])]"#,
    );
    let fw = &d.network_firewalls[0];
    assert_eq!(fw.id, "fw-0001");
    let eps: Vec<(&str, String)> = fw.endpoints.iter().map(|e| (e.id.as_str(), e.ip.to_string())).collect();
    assert_eq!(eps, [("vpce-fw-0001-a", "10.0.1.4".to_string()), ("vpce-fw-0001-b", "10.0.1.20".to_string())]);
    assert_eq!(d.firewall_policy(&fw.policy).map(|p| p.name.as_str()), Some("policy"));
    // Two subnets of one zone: one endpoint per AZ (F1).
    let e = refused(
        &d,
        r#"[AddNetworkFirewall(name: "fw2", vpc: Name("inspect"), policy: Name("policy"), subnets: [Name("fw-a"), Name("app-a")])]"#,
    );
    assert!(rules_of(&e).contains(&Some(Rule::F1)), "{e:?}");
}

#[test]
fn a_route_names_the_firewall_and_gets_the_endpoint_of_its_zone_f1() {
    let mut d = inspection();
    apply_all(
        &mut d,
        r#"[
        AddNetworkFirewall(name: "fw", vpc: Name("inspect"), policy: Name("policy"), subnets: [Name("fw-a"), Name("fw-b")]),
        AddRoute(table: Name("app-a-rt"), destination: Cidr("0.0.0.0/0"), target: Name("fw")),
        AddRoute(table: Name("app-a-rt"), destination: Cidr("192.168.0.0/16"), target: Id("vpce-fw-0001-b")),
    ]"#,
    );
    let rt = d.route_tables.iter().find(|t| t.name == "app-a-rt").unwrap();
    let targets: Vec<String> = rt.routes.iter().skip(1).map(|r| r.target.to_string()).collect();
    assert_eq!(targets, ["vpce-fw-0001-a", "vpce-fw-0001-b"]);
    // The main table serves fw-a and fw-b, in two zones: it has to name the endpoint.
    let e =
        refused(&d, r#"[AddRoute(table: Name("inspect-main"), destination: Cidr("0.0.0.0/0"), target: Name("fw"))]"#);
    assert_eq!(rules_of(&e), [Some(Rule::F1)]);
    assert!(e[0].message.contains("vpce-fw-0001-a (ap-northeast-2a)"), "{}", e[0].message);
    // A firewall of another VPC is not a target here.
    apply_all(&mut d, r#"[AddVpc(name: "other", cidr: "10.9.0.0/16")]"#);
    let e = refused(
        &d,
        r#"[AddRoute(table: Name("other-main"), destination: Cidr("0.0.0.0/0"), target: Id("vpce-fw-0001-a"))]"#,
    );
    assert_eq!(rules_of(&e), [Some(Rule::F1)]);
}

#[test]
fn deletes_are_refused_while_used_and_cascade_to_blackholes_undone_by_a_snapshot() {
    let mut d = inspection();
    apply_all(
        &mut d,
        r#"[
        AddNetworkFirewall(name: "fw", vpc: Name("inspect"), policy: Name("policy"), subnets: [Name("fw-a")]),
        AddRoute(table: Name("app-a-rt"), destination: Cidr("0.0.0.0/0"), target: Name("fw")),
    ]"#,
    );
    for (what, by) in [("no-ssh", "firewall policy"), ("policy", "network firewall"), ("fw", "route table")] {
        let e = refused(&d, &format!(r#"[Delete(resource: Name("{what}"))]"#));
        assert!(
            matches!(&e[0].kind, OpErrorKind::Referenced { by: b, .. } if b[0].from_kind.label() == by),
            "{what}: {e:?}"
        );
    }
    // A subnet holding an endpoint is refused too, as AWS refuses it.
    let e = refused(&d, r#"[Delete(resource: Name("fw-a"))]"#);
    assert!(e[0].message.contains("fw-0001"), "{}", e[0].message);
    // Dropping the endpoint's subnet from the firewall while a route uses it is refused (F1).
    let e = refused(&d, r#"[UpdateNetworkFirewall(firewall: Name("fw"), subnets: [Name("fw-b")])]"#);
    assert_eq!(rules_of(&e), [Some(Rule::F1)]);
    let op = ops(r#"[Delete(resource: Name("fw"), cascade: true)]"#).pop().unwrap();
    let p = d.prepare(&op).unwrap();
    let before = d.clone();
    let undo = Snapshot::take(&d, p.touches());
    p.commit(&mut d);
    assert!(d.network_firewalls.is_empty());
    let rt = d.route_tables.iter().find(|t| t.name == "app-a-rt").unwrap();
    assert_eq!(rt.routes[1].state, RouteState::Blackhole, "R6: the route to the gone endpoint");
    undo.restore(&mut d);
    assert_eq!(d, before);
}

#[test]
fn policies_take_groups_of_their_kind_with_priorities_as_the_rule_order_wants_f2_f3() {
    let mut d = inspection();
    apply_all(
        &mut d,
        r#"[AddFirewallRuleGroup(name: "allow-web", kind: Stateful, stateful_rules: [
            StatefulRule(action: Pass, protocol: "TCP", source: HomeNet, destination: Any, destination_port: (from: 443, to: 443)),
        ])]"#,
    );
    let e =
        refused(&d, r#"[AddFirewallPolicy(name: "p2", stateless_groups: [(group: Name("allow-web"), priority: 1)])]"#);
    assert_eq!(rules_of(&e), [Some(Rule::F2)]);
    let e =
        refused(&d, r#"[AddFirewallPolicy(name: "p2", stateful_groups: [(group: Name("allow-web"), priority: 5)])]"#);
    assert_eq!(rules_of(&e), [Some(Rule::F3)]);
    let e = refused(
        &d,
        r#"[AddFirewallPolicy(name: "p2", rule_order: StrictOrder, stateful_groups: [(group: Name("allow-web"))])]"#,
    );
    assert_eq!(rules_of(&e), [Some(Rule::F3)]);
    let e = refused(&d, r#"[AddFirewallPolicy(name: "p2", stateful_defaults: [DropStrict])]"#);
    assert_eq!(rules_of(&e), [Some(Rule::F3)]);
    apply_all(
        &mut d,
        r#"[AddFirewallPolicy(name: "p2", rule_order: StrictOrder, stateful_groups: [(group: Name("allow-web"), priority: 5)], stateful_defaults: [DropStrict])]"#,
    );
    assert_eq!(d.firewall_policies[1].rule_order, RuleOrder::StrictOrder);
}

#[test]
fn rule_groups_hold_one_kind_of_rules_within_their_capacity_f2_f4() {
    let d = inspection();
    let dup = r#"[UpdateFirewallRuleGroup(group: Name("no-ssh"), stateless_rules: [
        StatelessRule(priority: 10, action: Drop), StatelessRule(priority: 10, action: Pass)])]"#;
    assert_eq!(rules_of(&refused(&d, dup)), [Some(Rule::F2)]);
    let domains = r#"[UpdateFirewallRuleGroup(group: Name("no-ssh"),
        domain_list: (action: AllowList, targets: [".example.com"], http_host: true))]"#;
    assert_eq!(rules_of(&refused(&d, domains)), [Some(Rule::F2)]);
    let no_proto = r#"[AddFirewallRuleGroup(name: "d", kind: Stateful, domain_list: (action: AllowList, targets: [".example.com"]))]"#;
    assert_eq!(rules_of(&refused(&d, no_proto)), [Some(Rule::F4)]);
    let bad_name = r#"[AddFirewallRuleGroup(name: "d", kind: Stateful, domain_list: (action: AllowList, targets: ["exa mple.com"], tls_sni: true))]"#;
    assert_eq!(rules_of(&refused(&d, bad_name)), [Some(Rule::F4)]);
    let full = r#"[AddFirewallRuleGroup(name: "d", kind: Stateless, capacity: 1, stateless_rules: [
        StatelessRule(priority: 1, action: Drop), StatelessRule(priority: 2, action: Pass)])]"#;
    assert_eq!(rules_of(&refused(&d, full)), [Some(Rule::F2)]);
}

#[test]
fn appliance_mode_is_for_vpc_attachments_and_gwlb_endpoints_are_route_targets_t9_b2() {
    let mut d = inspection();
    apply_all(
        &mut d,
        r#"[
        AddTransitGateway(name: "hub"),
        AddTgwAttachment(tgw: Name("hub"), name: "inspect-att", attaches: Vpc(vpc: Name("inspect"), subnets: [Name("app-a")]), appliance_mode: true),
        AddCustomerGateway(name: "dc", ip: "198.51.100.7"),
        AddVpnConnection(name: "vpn", customer_gateway: Name("dc"), gateway: TransitGateway(Name("hub"))),
        AddTgwAttachment(tgw: Name("hub"), name: "vpn-att", attaches: Vpn(vpn: Name("vpn"))),
        AddLoadBalancer(name: "gwlb", vpc: Name("inspect"), kind: Gateway, subnets: [Name("fw-a")]),
        AddEndpointService(name: "gwlb-svc", load_balancers: [Name("gwlb")], acceptance_required: false),
    ]"#,
    );
    assert!(d.tgw_attachments[0].appliance_mode);
    let e = refused(&d, r#"[UpdateTgwAttachment(attachment: Name("vpn-att"), appliance_mode: true)]"#);
    assert_eq!(rules_of(&e), [Some(Rule::T9)]);
    let svc = d.endpoint_services[0].service_name.clone();
    let two = format!(
        r#"[AddInterfaceEndpoint(vpc: Name("inspect"), name: "gwlbe", service: "{svc}", subnets: [Name("fw-a"), Name("fw-b")], kind: GatewayLoadBalancer)]"#
    );
    assert_eq!(rules_of(&refused(&d, &two)), [Some(Rule::B2)]);
    let iface = format!(
        r#"[AddInterfaceEndpoint(vpc: Name("inspect"), name: "x", service: "{svc}", subnets: [Name("fw-a")])]"#
    );
    assert_eq!(rules_of(&refused(&d, &iface)), [Some(Rule::B2)]);
    apply_all(
        &mut d,
        &format!(
            r#"[
            AddInterfaceEndpoint(vpc: Name("inspect"), name: "gwlbe", service: "{svc}", subnets: [Name("fw-a")], kind: GatewayLoadBalancer),
            AddRoute(table: Name("app-a-rt"), destination: Cidr("0.0.0.0/0"), target: Name("gwlbe")),
        ]"#
        ),
    );
    let rt = d.route_tables.iter().find(|t| t.name == "app-a-rt").unwrap();
    assert_eq!(rt.routes[1].target, RouteTarget::GatewayEndpoint(d.endpoints[0].id.clone()));
    apply_all(&mut d, r#"[AddLoadBalancer(name: "nlb", vpc: Name("inspect"), subnets: [Name("app-a")])]"#);
    let e = refused(&d, r#"[AddEndpointService(name: "mixed", load_balancers: [Name("gwlb"), Name("nlb")])]"#);
    assert_eq!(rules_of(&e), [Some(Rule::B2)]);
}
