//! The VPC endpoint form (G1, G2, E1, E2, E4, E10).

use super::{fixed, here};
use crate::app::forms::{choices, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{
    Design, EndpointKind, EndpointService, EndpointState, LoadBalancerKind, ResourceKind as RK, ServiceCatalog,
    ServiceEntry,
};

pub struct EndpointForm;
pub static FORM: EndpointForm = EndpointForm;

/// The services an endpoint of `kind` in `region` can connect to: AWS's services of the region
/// that offer that type (G1: S3 and DynamoDB for a gateway endpoint), and the design's endpoint
/// services, those fronting Gateway Load Balancers for a GatewayLoadBalancer endpoint and the
/// others for an interface endpoint (B2, E9; other regions when cross-region PrivateLink is
/// on, E10). `current` stays offered (an edit shows the endpoint's own).
fn services(d: &Design, kind: EndpointKind, region: &str, current: Option<&str>) -> Vec<Choice> {
    let mut v: Vec<Choice> = Vec::new();
    // By short name, so that what is typed (`ssm`) comes before what merely holds it.
    let mut aws: Vec<&ServiceEntry> = ServiceCatalog::builtin()
        .entries()
        .iter()
        .filter(|s| s.region == region)
        .filter(|s| match kind {
            EndpointKind::Gateway => s.gateway_endpoint,
            EndpointKind::Interface => s.interface_endpoint,
            EndpointKind::GatewayLoadBalancer => false,
        })
        .collect();
    aws.sort_by(|a, b| a.short.cmp(&b.short));
    v.extend(aws.iter().map(|s| Choice::new(&s.service_name, format!("{} ({})", s.short, s.service_name))));
    if kind != EndpointKind::Gateway {
        let gwlb = |s: &EndpointService| {
            s.load_balancers.iter().filter_map(|l| d.load_balancer(l)).any(|l| l.kind == LoadBalancerKind::Gateway)
        };
        let here = |s: &EndpointService| s.region == region || d.features.cross_region_privatelink;
        for s in
            d.endpoint_services.iter().filter(|s| here(s) && gwlb(s) == (kind == EndpointKind::GatewayLoadBalancer))
        {
            let lb = if gwlb(s) { "GWLB" } else { "NLB" };
            v.push(Choice::new(&s.service_name, format!("endpoint service {} ({lb}, {})", s.name, s.service_name)));
        }
    }
    if let Some(c) = current.filter(|c| !v.iter().any(|o| o.value == *c)) {
        v.push(Choice::new(c, c));
    }
    v
}

impl FormSpec for EndpointForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(RK::VpcEndpoint)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = here(d, ctx);
        let e = match target {
            FormTarget::Edit(id) => Some(d.endpoint(id).ok_or("the endpoint is gone")?),
            _ => None,
        };
        let edit = e.is_some();
        let vpc_id = e.map_or(h.vpc.clone(), |e| e.vpc.clone());
        let region = d.vpc(&vpc_id).map_or(h.region.clone(), |v| v.region.clone());
        let subnets = e.map(|e| e.interfaces.iter().map(|i| i.subnet.clone()).collect::<Vec<_>>().join(", "));
        let kind = e.map_or(EndpointKind::Gateway, |e| e.kind);
        let service = e.map_or_else(|| format!("com.amazonaws.{region}.s3"), |e| e.service_name.clone());
        let states = choices::ENDPOINT_STATES.iter().map(|s| Choice::new(s.api_name(), s.api_name())).collect();
        Ok(vec![
            Field::text("name", "Name", e.map_or("", |e| &e.name), "unique within the VPC"),
            fixed(edit, Field::choice("vpc", "VPC", choices::vpcs(d), &vpc_id)),
            fixed(
                edit,
                Field::choice(
                    "kind",
                    "Type",
                    choices::enums(&choices::ENDPOINT_KINDS),
                    &e.map_or("Gateway".into(), |e| choices::name_of(e.kind)),
                ),
            ),
            fixed(
                edit,
                Field::choice("service", "Service", services(d, kind, &region, Some(&service)), &service)
                    .with_hint("type to find: s3, ssm, or an endpoint service of the design (E9, B2)"),
            ),
            Field::multi(
                "route_tables",
                "Route tables",
                choices::all_route_tables(d, &vpc_id),
                &e.map(|e| parse::ids_text(&e.route_tables)).unwrap_or_default(),
            )
            .with_hint("gateway: the tables that get the pl → vpce route (G2); Space ticks"),
            Field::multi("subnets", "Subnets", choices::subnets(d, Some(&vpc_id)), &subnets.unwrap_or_default())
                .with_hint("interface: one per AZ at most (E1); Space ticks"),
            Field::multi(
                "security_groups",
                "Security groups",
                choices::security_groups(d, &vpc_id),
                &e.map(|e| parse::ids_text(&e.security_groups)).unwrap_or_default(),
            )
            .with_hint("interface: none means the VPC default (E2); Space ticks"),
            Field::yes_no("private_dns", "Private DNS", e.is_some_and(|e| e.private_dns_enabled))
                .with_hint("interface: the service's name resolves here (E4)"),
            Field::choice("state", "State", states, e.map_or("available", |e| e.state.api_name())),
        ])
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        // The services follow the type and the VPC's region.
        if matches!(key, "vpc" | "kind") {
            let kind = choices::pick(&choices::ENDPOINT_KINDS, form.get("kind"));
            let region = d.vpc(form.get("vpc")).map_or_else(|| d.default_region.clone(), |v| v.region.clone());
            super::managed::refresh_choice(form, "service", services(d, kind, &region, None));
        }
        // The candidates are the VPC's own.
        if key == "vpc" {
            let vpc = form.get("vpc").to_string();
            choices::refresh_multi(form, "route_tables", choices::all_route_tables(d, &vpc));
            choices::refresh_multi(form, "subnets", choices::subnets(d, Some(&vpc)));
            choices::refresh_multi(form, "security_groups", choices::security_groups(d, &vpc));
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let state = EndpointState::from_api(g("state")).unwrap_or_default();
        let kind = choices::pick(&choices::ENDPOINT_KINDS, g("kind"));
        match form.editing() {
            None => {
                dr.require_vpc(form);
                let vpc = Ref::id(g("vpc"));
                if kind == EndpointKind::Gateway {
                    dr.ops.push(Op::AddGatewayEndpoint {
                        vpc,
                        service: g("service").to_string(),
                        route_tables: parse::refs(d, g("route_tables"), &[RK::RouteTable]),
                        name: Some(g("name").to_string()),
                        state: Some(state),
                    });
                } else {
                    dr.ops.push(Op::AddInterfaceEndpoint {
                        vpc,
                        name: g("name").to_string(),
                        service: g("service").to_string(),
                        interfaces: Vec::new(),
                        subnets: parse::refs(d, g("subnets"), &[RK::Subnet]),
                        groups: parse::refs(d, g("security_groups"), &[RK::SecurityGroup]),
                        private_dns: form.flag("private_dns"),
                        state: Some(state),
                        kind: Some(kind),
                        dns_suffix: None,
                    });
                }
            }
            Some(id) => {
                let Some(e) = d.endpoint(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let gateway = e.kind == EndpointKind::Gateway;
                let current: Vec<String> = e.interfaces.iter().map(|i| i.subnet.clone()).collect();
                let name = parse::changed(g("name").to_string(), &e.name);
                let state = parse::changed(state, &e.state);
                let tables = if gateway {
                    parse::refs_change(d, g("route_tables"), &[RK::RouteTable], &e.route_tables)
                } else {
                    None
                };
                let (subnets, groups, dns) = if gateway {
                    (None, None, None)
                } else {
                    (
                        parse::refs_change(d, g("subnets"), &[RK::Subnet], &current),
                        parse::refs_change(d, g("security_groups"), &[RK::SecurityGroup], &e.security_groups),
                        parse::changed(form.flag("private_dns"), &e.private_dns_enabled),
                    )
                };
                let any = name.is_some()
                    || state.is_some()
                    || tables.is_some()
                    || subnets.is_some()
                    || groups.is_some()
                    || dns.is_some();
                if any {
                    dr.ops.push(Op::UpdateEndpoint {
                        endpoint: Ref::id(id),
                        name,
                        state,
                        route_tables: tables,
                        subnets,
                        groups,
                        private_dns: dns,
                    });
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "groups" => "security_groups",
            "interfaces" => "subnets",
            "endpoint" => "name",
            f => f,
        }
    }
}
