//! Values known only after apply, made stable: resource ids derived from addresses, the
//! attributes other resources refer to (a VPC's default security group, an instance's
//! primary interface), and the defaults of the data sources network code reads.

use crate::io::terraform::value::Value;
use crate::l10n::Text;
use crate::model::ServiceCatalog;
use std::collections::BTreeMap;

/// The id prefix AWS uses for a resource type (`vpc`, `subnet` …), or `None` for types that
/// do not become design resources.
pub fn id_prefix(ty: &str) -> Option<&'static str> {
    Some(match ty {
        "aws_vpc" => "vpc",
        "aws_subnet" => "subnet",
        "aws_route_table" => "rtb",
        "aws_internet_gateway" => "igw",
        "aws_egress_only_internet_gateway" => "eigw",
        "aws_nat_gateway" => "nat",
        "aws_eip" => "eipalloc",
        "aws_instance" => "i",
        "aws_network_interface" => "eni",
        "aws_security_group" => "sg",
        "aws_network_acl" => "acl",
        "aws_vpc_peering_connection" => "pcx",
        "aws_ec2_managed_prefix_list" => "pl",
        "aws_vpc_endpoint" => "vpce",
        "aws_vpc_endpoint_service" => "vpce-svc",
        "aws_lb" | "aws_alb" => "lb",
        "aws_elb" => "elb",
        "aws_lb_target_group" | "aws_alb_target_group" => "tg",
        "aws_ec2_transit_gateway" => "tgw",
        "aws_ec2_transit_gateway_vpc_attachment" | "aws_ec2_transit_gateway_peering_attachment" => "tgw-attach",
        "aws_ec2_transit_gateway_route_table" => "tgw-rtb",
        "aws_vpn_gateway" => "vgw",
        "aws_customer_gateway" => "cgw",
        "aws_vpn_connection" => "vpn",
        "aws_networkfirewall_firewall" => "fw",
        "aws_networkfirewall_firewall_policy" => "fwp",
        "aws_networkfirewall_rule_group" => "rg",
        _ => return None,
    })
}

fn fnv(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// A stable, AWS-shaped id for something only AWS would name: `subnet-0` + 16 hex digits of a
/// hash of what it stands for.
pub fn placeholder_id(prefix: &str, of: &str) -> String {
    format!("{prefix}-0{:016x}", fnv(of))
}

/// Attributes AWS computes that other resources refer to: the id (for every type), and the
/// companions a VPC comes with, an instance's primary interface, an EIP's allocation id …
pub fn computed(ty: &str, address: &str, obj: &BTreeMap<String, Value>, region: &str) -> Vec<(String, Value)> {
    let known = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_string);
    let mut out: Vec<(String, Value)> = Vec::new();
    let id = match ty {
        // The default_* resources adopt what they name; their id is its id.
        "aws_default_route_table" => known("default_route_table_id"),
        "aws_default_network_acl" => known("default_network_acl_id"),
        "aws_default_security_group" => known("vpc_id").map(|v| placeholder_id("sg", &format!("{v}/default-sg"))),
        _ => id_prefix(ty).map(|p| placeholder_id(p, address)),
    };
    let id = id.unwrap_or_else(|| placeholder_id("tf", address));
    let s = |x: &str| Value::str(x);
    match ty {
        "aws_vpc" => {
            let rtb = placeholder_id("rtb", &format!("{id}/main"));
            out.push(("default_route_table_id".into(), s(&rtb)));
            out.push(("main_route_table_id".into(), s(&rtb)));
            out.push(("default_network_acl_id".into(), s(&placeholder_id("acl", &format!("{id}/default-acl")))));
            out.push(("default_security_group_id".into(), s(&placeholder_id("sg", &format!("{id}/default-sg")))));
            if obj.get("enable_dns_support").is_none_or(Value::is_null) {
                out.push(("enable_dns_support".into(), Value::Bool(true)));
            }
            if let Some(b) = generated_ipv6(obj, address) {
                out.push(("ipv6_cidr_block".into(), s(&b)));
            }
        }
        "aws_vpc_ipv6_cidr_block_association" => {
            if let Some(b) = generated_ipv6(obj, address) {
                out.push(("ipv6_cidr_block".into(), s(&b)));
            }
        }
        "aws_instance" => {
            out.push(("primary_network_interface_id".into(), s(&placeholder_id("eni", &format!("{address}/eth0")))));
        }
        "aws_eip" => out.push(("allocation_id".into(), s(&id))),
        "aws_vpc_endpoint_service" => {
            out.push(("service_name".into(), s(&format!("com.amazonaws.vpce.{region}.{id}"))));
        }
        // M10: a lambda target group's attachment names the function by its ARN.
        "aws_lambda_function"
        | "aws_lb"
        | "aws_alb"
        | "aws_lb_target_group"
        | "aws_alb_target_group"
        | "aws_networkfirewall_firewall_policy"
        | "aws_networkfirewall_rule_group" => {
            out.push(("arn".into(), s(&id)));
        }
        "aws_networkfirewall_firewall" => {
            out.push(("arn".into(), s(&id)));
            out.push(("firewall_status".into(), firewall_status(obj, address)));
        }
        // Other resources name a subnet group or cluster by its name or identifier; AWS makes
        // one up when the configuration gives none (M1).
        "aws_db_subnet_group"
        | "aws_elasticache_subnet_group"
        | "aws_redshift_subnet_group"
        | "aws_neptune_subnet_group"
        | "aws_docdb_subnet_group" => out.push(("name".into(), s(&id))),
        "aws_rds_cluster" | "aws_neptune_cluster" | "aws_docdb_cluster" => {
            out.push(("cluster_identifier".into(), s(&id)));
        }
        "aws_vpn_connection" => {
            out.push((
                "transit_gateway_attachment_id".into(),
                s(&placeholder_id("tgw-attach", &format!("{address}/attachment"))),
            ));
        }
        "aws_ec2_transit_gateway" => {
            let rt = placeholder_id("tgw-rtb", &format!("{id}/default"));
            out.push(("association_default_route_table_id".into(), s(&rt)));
            out.push(("propagation_default_route_table_id".into(), s(&rt)));
        }
        _ => {}
    }
    out.push(("id".into(), s(&id)));
    out
}

/// F1: the endpoints AWS makes, one per subnet mapping, as the provider shows them:
/// `firewall_status[0].sync_states[*]` with `availability_zone` and `attachment[0]`'s
/// `endpoint_id` and `subnet_id`. The zone is the subnet's, which only the subnet knows: left
/// unknown.
fn firewall_status(obj: &BTreeMap<String, Value>, address: &str) -> Value {
    let mappings = obj.get("subnet_mapping").and_then(Value::as_seq).unwrap_or(&[]);
    let states = mappings
        .iter()
        .enumerate()
        .map(|(k, sm)| {
            let subnet = sm.get("subnet_id").cloned().unwrap_or(Value::Null);
            let endpoint = Value::str(placeholder_id("vpce", &format!("{address}/{k}")));
            let attachment = Value::map(BTreeMap::from([
                ("endpoint_id".to_string(), endpoint),
                ("subnet_id".to_string(), subnet),
                ("status".to_string(), Value::str("READY")),
            ]));
            Value::map(BTreeMap::from([
                (
                    "availability_zone".to_string(),
                    Value::unknown(format!("{address}.firewall_status availability_zone")),
                ),
                ("attachment".to_string(), Value::list(vec![attachment])),
            ]))
        })
        .collect();
    Value::list(vec![Value::map(BTreeMap::from([("sync_states".to_string(), Value::list(states))]))])
}

/// A7: the Amazon-provided /56 that `assign_generated_ipv6_cidr_block` asks for, which AWS
/// picks at apply: a stable stand-in from 2001:db8::/32 derived from the address.
fn generated_ipv6(obj: &BTreeMap<String, Value>, address: &str) -> Option<String> {
    let asked = matches!(obj.get("assign_generated_ipv6_cidr_block"), Some(Value::Bool(true)));
    let given = obj.get("ipv6_cidr_block").is_some_and(|v| !v.is_null());
    (asked && !given).then(|| crate::net::placeholder_vpc_block((fnv(address) & 0x00ff_ffff) as u32).to_string())
}

/// Defaults of data sources, with why each was assumed (`None`: nothing worth reporting).
pub fn data_defaults(ty: &str, obj: &BTreeMap<String, Value>, region: &str) -> Vec<(String, Value, Option<Text>)> {
    let s = |x: &str| Value::str(x);
    let given = |k: &str| obj.get(k).and_then(Value::as_str).map(str::to_string);
    match ty {
        "aws_availability_zones" => {
            let names = ServiceCatalog::builtin().azs(region);
            let ids: Vec<Value> =
                names.iter().enumerate().map(|(i, _)| s(&format!("{}-az{}", short(region), i + 1))).collect();
            vec![
                (
                    "names".into(),
                    Value::list(names.iter().map(|n| s(n)).collect()),
                    Some(crate::text!("the zones of {region} in vpcraft's catalog")),
                ),
                ("zone_ids".into(), Value::list(ids), None),
                ("id".into(), s(region), None),
            ]
        }
        "aws_region" => vec![
            ("name".into(), s(region), Some(crate::text!("the provider's region"))),
            ("region".into(), s(region), None),
            ("id".into(), s(region), None),
            ("endpoint".into(), s(&format!("ec2.{region}.amazonaws.com")), None),
        ],
        "aws_partition" => vec![
            ("partition".into(), s("aws"), None),
            ("dns_suffix".into(), s("amazonaws.com"), None),
            ("id".into(), s("aws"), None),
        ],
        "aws_caller_identity" => vec![
            ("account_id".into(), s("123456789012"), Some(crate::text!("a placeholder account"))),
            ("arn".into(), s("arn:aws:iam::123456789012:root"), None),
            ("user_id".into(), s("123456789012"), None),
            ("id".into(), s("123456789012"), None),
        ],
        "aws_vpc_endpoint_service" => {
            let name = given("service_name").unwrap_or_else(|| {
                format!("com.amazonaws.{region}.{}", given("service").unwrap_or_else(|| "unknown".into()))
            });
            let why = (given("service_name").is_none()).then(|| crate::text!("AWS's naming of regional services"));
            vec![("service_name".into(), s(&name), why), ("id".into(), s(&name), None)]
        }
        "aws_ami" => {
            vec![(
                "id".into(),
                s("ami-00000000000000000"),
                Some(crate::text!("any image: it does not change the network")),
            )]
        }
        _ => Vec::new(),
    }
}

/// `use1` style short region names for zone ids.
fn short(region: &str) -> String {
    let parts: Vec<&str> = region.split('-').collect();
    let head: String = parts.first().map(|p| p.chars().take(2).collect()).unwrap_or_default();
    let mid: String =
        parts.iter().skip(1).take(parts.len().saturating_sub(2)).filter_map(|p| p.chars().next()).collect();
    format!("{head}{mid}{}", parts.last().unwrap_or(&"1"))
}
