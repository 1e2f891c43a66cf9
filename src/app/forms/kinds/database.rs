//! The database form (M1–M3): RDS, Aurora, Redshift, Neptune, DocumentDB, OpenSearch,
//! ElastiCache. The service, engine, subnet group, subnets and groups are picked.

use super::managed::{self, refresh_choice, refresh_multi};
use super::{fixed, here};
use crate::app::forms::{choices, parse, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::model::ops::{Op, Ref};
use crate::model::{DatabaseService, Design, ResourceKind as RK};

pub struct DatabaseForm;
pub static FORM: DatabaseForm = DatabaseForm;

impl FormSpec for DatabaseForm {
    fn kind(&self) -> FormKind {
        FormKind::Resource(RK::Database)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let h = here(d, ctx);
        let x = match target {
            FormTarget::Edit(id) => Some(d.database(id).ok_or("the database is gone")?),
            _ => None,
        };
        let edit = x.is_some();
        let vpc = x.map_or(h.vpc.clone(), |x| x.vpc.clone());
        let service = x.map_or(DatabaseService::Rds, |x| x.service);
        let engine = x.map_or(service.default_engine().to_string(), |x| x.engine().to_string());
        Ok(vec![
            Field::text("name", "Name", x.map_or("", |x| &x.name), "unique within the VPC"),
            fixed(edit, Field::choice("vpc", "VPC", choices::vpcs(d), &vpc)),
            fixed(edit, Field::choice("service", "Service", managed::services(), &format!("{service:?}"))),
            Field::choice("engine", "Engine", managed::engines(service), &engine),
            Field::text(
                "port",
                "Port",
                x.and_then(|x| x.port).map(|p| p.to_string()).unwrap_or_default(),
                "empty: the engine's default (M3)",
            ),
            Field::choice(
                "subnet_group",
                "Subnet group",
                managed::subnet_groups(d, &vpc, service),
                x.and_then(|x| x.subnet_group.as_deref()).unwrap_or(""),
            )
            .with_hint("←/→ to choose; add a DB subnet group first (M1)"),
            fixed(
                edit,
                Field::multi(
                    "subnets",
                    "Subnets",
                    managed::subnets(d, &vpc),
                    &x.map(|x| parse::ids_text(&x.subnets)).unwrap_or_default(),
                )
                .with_hint("OpenSearch only: one per zone, up to three (M1)"),
            ),
            Field::multi(
                "security_groups",
                "Security groups",
                choices::security_groups(d, &vpc),
                &x.map(|x| parse::ids_text(&x.security_groups)).unwrap_or_default(),
            )
            .with_hint("type to find, Space ticks; none: the VPC default group (S5)"),
            Field::yes_no("publicly_accessible", "Publicly accessible", x.is_some_and(|x| x.publicly_accessible))
                .with_hint("a public address; needs an internet gateway (M2)"),
            fixed(
                edit,
                Field::text(
                    "nodes",
                    "Instances",
                    x.map_or("1".to_string(), |x| x.interfaces.len().max(1).to_string()),
                    "cluster instances or cache nodes, one interface each (M1)",
                ),
            ),
            Field::yes_no("multi_az", "Multi-AZ", x.is_some_and(|x| x.multi_az))
                .with_hint("a standby in another zone; it takes no connections"),
        ])
    }

    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        let vpc = form.get("vpc").to_string();
        let service = managed::service_of(form.get("service"));
        match key {
            "vpc" => {
                refresh_choice(form, "subnet_group", managed::subnet_groups(d, &vpc, service));
                refresh_multi(form, "subnets", managed::subnets(d, &vpc));
                refresh_multi(form, "security_groups", choices::security_groups(d, &vpc));
            }
            "service" => {
                refresh_choice(form, "engine", managed::engines(service));
                if let Some(f) = form.field_mut("engine") {
                    f.input = crate::app::forms::LineInput::new(service.default_engine());
                }
                refresh_choice(form, "subnet_group", managed::subnet_groups(d, &vpc, service));
            }
            _ => {}
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let g = |k: &str| form.get(k);
        let port = if g("port").trim().is_empty() {
            None
        } else {
            Some(dr.field("port", parse::num::<u16>(g("port"), 1, 65535, "the port"), 0))
        };
        let groups = parse::refs(d, g("security_groups"), &[RK::SecurityGroup]);
        let public = form.flag("publicly_accessible");
        let multi_az = form.flag("multi_az");
        let engine = g("engine").to_string();
        let subnet_group = parse::opt_ref(g("subnet_group"));
        match form.editing() {
            None => {
                let service = managed::service_of(g("service"));
                let nodes = dr.field("nodes", parse::num::<u32>(g("nodes"), 1, 16, "the instance count"), 1);
                dr.require_vpc(form);
                let opensearch = service == DatabaseService::OpenSearch;
                dr.ops.push(Op::AddDatabase {
                    name: g("name").to_string(),
                    service,
                    engine,
                    port,
                    publicly_accessible: Some(public),
                    subnet_group: if opensearch { None } else { subnet_group },
                    subnets: if opensearch { parse::refs(d, g("subnets"), &[RK::Subnet]) } else { Vec::new() },
                    groups,
                    multi_az,
                    nodes: (nodes != 1).then_some(nodes),
                    az: None,
                });
            }
            Some(id) => {
                let Some(x) = d.database(id) else {
                    dr.errors.push(("name", crate::text!("{id} is no longer in the design")));
                    return dr;
                };
                let bad = dr.errors.iter().any(|(k, _)| *k == "port");
                let upd = Op::UpdateDatabase {
                    database: Ref::id(id),
                    name: parse::changed(g("name").to_string(), &x.name),
                    engine: parse::changed(engine, &x.engine().to_string()),
                    port: parse::changed(port, &x.port).filter(|_| !bad),
                    publicly_accessible: parse::changed(public, &x.publicly_accessible),
                    subnet_group: parse::changed(subnet_group, &x.subnet_group.clone().map(Ref::id)).flatten(),
                    groups: parse::refs_change(d, g("security_groups"), &[RK::SecurityGroup], &x.security_groups),
                    multi_az: parse::changed(multi_az, &x.multi_az),
                };
                let none = Op::UpdateDatabase {
                    database: Ref::id(id),
                    name: None,
                    engine: None,
                    port: None,
                    publicly_accessible: None,
                    subnet_group: None,
                    groups: None,
                    multi_az: None,
                };
                if upd != none {
                    dr.ops.push(upd);
                }
            }
        }
        dr
    }

    fn field_of(&self, op_field: &'static str) -> &'static str {
        match op_field {
            "groups" => "security_groups",
            "database" => "name",
            "az" => "subnet_group",
            f => f,
        }
    }
}
