//! The route form, for both route editors: the tree's (targets offered as a list) and the
//! route pane's (a target typed as an id or name). Both make the same ops, so a route added
//! or edited from either is the same route (R2, R5, R6, R7 are the ops' checks).

use crate::app::forms::{choices, ipv6, parse, Choice, Context, Draft, Field, Form, FormKind, FormSpec, FormTarget};
use crate::app::tree::NodeRef;
use crate::model::ops::{Applied, Op, Ref};
use crate::model::{Design, ResourceKind, RouteDestination, RouteTable};

/// The route form. Both editors offer the targets this VPC's tables may use as a picker
/// with type-ahead; `typed` is the route pane's (which also takes an id or name from a file).
pub struct RouteForm {
    pub typed: bool,
}

/// The tree's route form.
pub static ROUTE: RouteForm = RouteForm { typed: false };
/// The route form with a typed target, as the route pane shows it.
pub static ROUTE_TYPED: RouteForm = RouteForm { typed: true };

/// The table a route form is about, and the route it edits.
pub fn table_of<'a>(form: &Form, d: &'a Design) -> Option<(&'a RouteTable, Option<usize>)> {
    match &form.target {
        FormTarget::NewIn(p) => d.route_table(p).map(|t| (t, None)),
        FormTarget::EditSub { parent, index, .. } => d.route_table(parent).map(|t| (t, Some(*index))),
        _ => None,
    }
}

/// The ops a route editor's input stands for: add a route, or replace route `index`. No
/// change, no op.
pub fn route_ops(rt: &RouteTable, index: Option<usize>, destination: &str, target: Ref) -> Draft {
    let mut dr = Draft::default();
    let text = destination.trim();
    let dest = if text.starts_with("pl-") {
        RouteDestination::PrefixList(text.to_string())
    } else {
        RouteDestination::Cidr(dr.field("destination", ipv6::any_cidr(text), ipnet::Ipv4Net::default().into()))
    };
    let table = Ref::id(rt.id.clone());
    match index.and_then(|i| rt.routes.get(i)) {
        None => dr.ops.push(Op::AddRoute { table, destination: dest, target }),
        Some(old) => {
            let same_target = old.target.id().is_some_and(|id| target == Ref::id(id));
            if old.destination != dest || !same_target {
                let new_destination = (old.destination != dest).then_some(dest);
                dr.ops.push(Op::ReplaceRoute { table, destination: old.destination.clone(), new_destination, target });
            }
        }
    }
    dr
}

impl RouteForm {
    /// The target the form names.
    fn target(&self, form: &Form, d: &Design) -> Ref {
        // The picker holds `kind:id`; anything else is an id or a name.
        let v = form.get("target");
        match v.split_once(':') {
            Some(_) => Ref::id(choices::target_id(v).unwrap_or_default()),
            None => parse::reference(d, v, &ResourceKind::ALL),
        }
    }
}

impl FormSpec for RouteForm {
    fn kind(&self) -> FormKind {
        FormKind::Route
    }

    fn title(&self, d: &Design, target: &FormTarget) -> String {
        let name = |p: &str| d.route_table(p).map(|t| t.name.clone()).unwrap_or_default();
        match target {
            FormTarget::EditSub { parent, .. } => format!("Edit route in {}", name(parent)),
            FormTarget::NewIn(p) => format!("New route in {}", name(p)),
            _ => "New route".into(),
        }
    }

    fn fields(&self, d: &Design, target: &FormTarget, _ctx: &Context) -> Result<Vec<Field>, String> {
        let (rt, r) = match target {
            FormTarget::NewIn(p) => (d.route_table(p).ok_or("select a route table first")?, None),
            FormTarget::EditSub { parent, index, .. } => {
                let rt = d.route_table(parent).ok_or("the route table is gone")?;
                (rt, Some(rt.routes.get(*index).ok_or("the route is gone")?))
            }
            _ => return Err("a route belongs to a route table".into()),
        };
        let table = Field::text("table", "Route table", format!("{} ({})", rt.name, rt.id), "").locked();
        let destination = |hint: &str| {
            Field::text("destination", "Destination", r.map(|r| r.destination.to_string()).unwrap_or_default(), hint)
        };
        let dest_text = r.map(|r| r.destination.to_string()).unwrap_or_default();
        let mut targets = family_targets(d, &rt.vpc, &dest_text);
        if let Some(r) = r {
            let v = choices::target_value(&r.target);
            if !targets.iter().any(|c| c.value == v) {
                targets.insert(0, Choice::new(&v, r.target.to_string()));
            }
        }
        let value = r.map(|r| choices::target_value(&r.target)).unwrap_or_default();
        Ok(vec![
            table,
            destination("a CIDR, e.g. 0.0.0.0/0 or ::/0 (R3), or a prefix list pl-…"),
            Field::choice("target", "Target", targets, &value).with_hint(TARGET_HINT),
        ])
    }

    /// The destination's family decides the targets offered: an egress-only internet gateway
    /// carries IPv6 only (I5), so it is offered for an IPv6 destination alone.
    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        if key != "destination" {
            return;
        }
        let Some((rt, _)) = table_of(form, d) else { return };
        let targets = family_targets(d, &rt.vpc, form.get("destination"));
        if let Some(f) = form.field_mut("target") {
            let cur = f.value().to_string();
            *f = Field::choice("target", "Target", targets, &cur).with_hint(TARGET_HINT);
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let Some((rt, index)) = table_of(form, d) else {
            let mut dr = Draft::default();
            dr.errors.push(("table", "the route table is gone".into()));
            return dr;
        };
        route_ops(rt, index, form.get("destination"), self.target(form, d))
    }

    fn select_after(&self, form: &Form, _applied: &[Applied], d: &Design) -> Option<NodeRef> {
        let (rt, _) = table_of(form, d)?;
        let text = form.get("destination");
        let dest = if text.starts_with("pl-") {
            RouteDestination::PrefixList(text.to_string())
        } else {
            RouteDestination::Cidr(ipv6::any_cidr(text).ok()?)
        };
        let index = rt.routes.iter().position(|r| r.destination == dest)?;
        Some(NodeRef::Route { rtb: rt.id.clone(), index })
    }
}

const TARGET_HINT: &str = "type to find: igw, eigw (IPv6), nat, pcx, tgw, vgw, vpce, eni, instance of this VPC (R5)";

/// The targets a table of `vpc` may use for `destination`: an egress-only internet gateway
/// only for an IPv6 destination (a CIDR or a prefix list of IPv6 entries, I5).
fn family_targets(d: &Design, vpc: &str, destination: &str) -> Vec<Choice> {
    let t = destination.trim();
    let v6 = if t.starts_with("pl-") {
        d.prefix_list(t).is_some_and(|p| !p.cidrs.is_empty() && p.cidrs.iter().all(|c| c.addr().is_ipv6()))
    } else {
        ipv6::is_ipv6_text(t)
    };
    let mut all = choices::route_targets(d, vpc);
    if !v6 {
        all.retain(|c| !c.value.starts_with("eigw:"));
    }
    all
}
