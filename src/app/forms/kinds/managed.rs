//! What the managed-service forms share (databases, DB subnet groups, compute in a VPC,
//! M1–M9): their tree facts, the pickers of a VPC's subnets, groups and subnet groups, and
//! refreshing those pickers when the VPC changes. References are always picked, never typed.

use crate::app::forms::{choices, Choice, FieldKind, Form};
use crate::model::{DatabaseService, Design};

/// A choice field's new options, keeping its value when it is still offered (else the first).
pub fn refresh_choice(form: &mut Form, key: &str, options: Vec<Choice>) {
    if let Some(f) = form.field_mut(key) {
        if !options.iter().any(|o| o.value == f.input.text) {
            f.input = crate::app::forms::LineInput::new(options.first().map(|o| o.value.clone()).unwrap_or_default());
        }
        f.kind = FieldKind::Choice(options);
        f.pick = 0;
    }
}

/// A multi picker's new options, dropping what is ticked but no longer offered (another VPC's).
pub fn refresh_multi(form: &mut Form, key: &str, options: Vec<Choice>) {
    if let Some(f) = form.field_mut(key) {
        let kept: Vec<String> =
            f.ticked().into_iter().filter(|v| options.iter().any(|o| o.value == f.split_port(v).0)).collect();
        f.input = crate::app::forms::LineInput::new(kept.join(", "));
    }
    choices::refresh_multi(form, key, options);
}

/// A VPC's subnets, with their zones (M1: the zones are what a subnet group must spread over).
pub fn subnets(d: &Design, vpc: &str) -> Vec<Choice> {
    choices::subnets(d, Some(vpc))
}

/// A VPC's subnet groups that a service may use (RDS's serve Aurora, Neptune and DocumentDB).
pub fn subnet_groups(d: &Design, vpc: &str, service: DatabaseService) -> Vec<Choice> {
    d.db_subnet_groups
        .iter()
        .filter(|g| g.vpc == vpc && g.service.subnet_group_api() == service.subnet_group_api())
        .map(|g| {
            let zones: std::collections::BTreeSet<&str> =
                g.subnets.iter().filter_map(|s| d.subnet(s)).map(|s| s.az.as_str()).collect();
            let zones: Vec<&str> = zones.into_iter().collect();
            Choice::new(&g.id, format!("{} ({}, {})", g.name, g.id, zones.join(" ")))
        })
        .collect()
}

/// The database services, by their labels.
pub fn services() -> Vec<Choice> {
    DatabaseService::ALL.iter().map(|s| Choice::new(format!("{s:?}"), s.label())).collect()
}

/// The service a choice names.
pub fn service_of(value: &str) -> DatabaseService {
    DatabaseService::ALL.into_iter().find(|s| format!("{s:?}") == value).unwrap_or_default()
}

/// The engines a service runs (M3), its default first.
pub fn engines(s: DatabaseService) -> Vec<Choice> {
    let list: &[&str] = match s {
        DatabaseService::Rds => &["mysql", "postgres", "mariadb", "oracle-ee", "sqlserver-ex", "db2-se"],
        DatabaseService::Aurora => &["aurora-mysql", "aurora-postgresql"],
        DatabaseService::Redshift => &["redshift"],
        DatabaseService::Neptune => &["neptune"],
        DatabaseService::DocumentDb => &["docdb"],
        DatabaseService::OpenSearch => &["opensearch", "elasticsearch"],
        DatabaseService::ElastiCache => &["redis", "valkey", "memcached"],
    };
    list.iter().map(|e| Choice::new(*e, format!("{e} (port {})", s.default_port(e)))).collect()
}
