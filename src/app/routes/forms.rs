//! The route pane's forms: a route (the same route form as the tree's, with the target typed,
//! so both editors make the same ops) and "which route wins for this address".

use super::which_route;
use crate::app::forms::kinds::{table_of, ROUTE_TYPED};
use crate::app::forms::{parse, Context, Draft, Errors, Field, Form, FormKind, FormSpec, FormTarget};
use crate::app::{App, Popup};
use crate::model::{Design, RouteState};

/// A route, added or edited from the route pane.
pub struct RoutePaneForm;
pub static ROUTE: RoutePaneForm = RoutePaneForm;

impl FormSpec for RoutePaneForm {
    fn kind(&self) -> FormKind {
        FormKind::Route
    }

    fn title(&self, d: &Design, target: &FormTarget, lang: crate::l10n::Lang) -> String {
        ROUTE_TYPED.title(d, target, lang)
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        ROUTE_TYPED.fields(d, target, ctx)
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        ROUTE_TYPED.draft(form, d)
    }

    /// The targets follow the destination's family (an egress-only gateway for IPv6, I5).
    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        ROUTE_TYPED.changed(form, key, d)
    }

    /// Apply as the tree's route form does, then keep the pane on the route.
    fn submit(&self, app: &mut App, mut form: Form) {
        let Some((rt, index)) = table_of(&form, &app.design).map(|(t, i)| (t.clone(), i)) else { return };
        let template =
            if index.is_some() { "edit route {destination} in {rt}" } else { "add route {destination} in {rt}" };
        let what =
            crate::l10n::uif(app.lang(), template, &[("destination", &form.get("destination")), ("rt", &rt.name)]);
        let ops = self.draft(&form, &app.design).ops;
        if ops.is_empty() {
            app.info(crate::l10n::uif(app.lang(), "{what}: no change", &[("what", &what)]));
            return;
        }
        match app.apply(&what, ops) {
            Ok(_) => {
                let at = ROUTE_TYPED.select_after(&form, &[], &app.design).and_then(|n| match n {
                    crate::app::tree::NodeRef::Route { index, .. } => Some(index),
                    _ => None,
                });
                let at = at.unwrap_or(0);
                app.routes.cursor = at;
                app.routes.associations = false;
                let state = app.design.route_table(&rt.id).and_then(|t| t.routes.get(at)).map(|r| r.state);
                let note = if state == Some(RouteState::Blackhole) {
                    " (blackhole until the peering is active, R6)"
                } else {
                    ""
                };
                app.info(crate::l10n::uif(
                    app.lang(),
                    "{what}: done{note} (u undoes)",
                    &[("what", &what), ("note", &note)],
                ));
            }
            Err(e) => {
                form.message = Some(crate::l10n::uif(app.lang(), "Not applied: {e}", &[("e", &e)]));
                app.set_popup(Popup::Form(form));
            }
        }
    }
}

/// Which route of the table wins for an address (R3, R4).
pub struct WhichForm;
pub static WHICH: WhichForm = WhichForm;

impl FormSpec for WhichForm {
    fn kind(&self) -> FormKind {
        FormKind::Pane("which route wins")
    }

    fn title(&self, d: &Design, target: &FormTarget, lang: crate::l10n::Lang) -> String {
        let name = match target {
            FormTarget::NewIn(t) => d.route_table(t).map(|t| t.name.clone()).unwrap_or_default(),
            _ => String::new(),
        };
        crate::l10n::uif(lang, "Which route of {name} wins?", &[("name", &name)])
    }

    fn fields(&self, d: &Design, target: &FormTarget, _ctx: &Context) -> Result<Vec<Field>, String> {
        let FormTarget::NewIn(t) = target else { return Err("select a route table".into()) };
        let rt = d.route_table(t).ok_or("the route table is gone")?;
        Ok(vec![
            Field::text("table", "Route table", format!("{} ({})", rt.name, rt.id), "").locked(),
            Field::text("address", "Address", "", "an IPv4 address, e.g. 52.219.60.1"),
        ])
    }

    fn draft(&self, _form: &Form, _d: &Design) -> Draft {
        Draft::default()
    }

    fn check(&self, form: &Form, _d: &Design) -> Errors {
        match parse::ip(form.get("address")) {
            Err(m) => vec![("address", m)],
            Ok(_) => Vec::new(),
        }
    }

    fn submit(&self, app: &mut App, form: Form) {
        let FormTarget::NewIn(t) = &form.target else { return };
        let Some(rt) = app.design.route_table(t).cloned() else { return };
        let Ok(addr) = parse::ip(form.get("address")) else { return };
        let w = which_route(&app.design, &rt.id, addr, app.rev);
        let summary = match w.as_ref().and_then(|w| w.winner.map(|(r, net)| (r, net, w.beaten.len()))) {
            Some((r, net, n)) => {
                let routes = app.design.effective_routes(&rt);
                let t = routes.get(r).map(|r| r.target.to_string()).unwrap_or_default();
                let lang = app.lang();
                if n == 1 {
                    crate::l10n::uif(
                        lang,
                        "{addr}: {net} → {t} wins over 1 other matching route",
                        &[("addr", &addr), ("net", &net), ("t", &t)],
                    )
                } else {
                    crate::l10n::uif(
                        lang,
                        "{addr}: {net} → {t} wins over {n} other matching routes",
                        &[("addr", &addr), ("net", &net), ("t", &t), ("n", &n)],
                    )
                }
            }
            None => crate::l10n::uif(app.lang(), "{addr}: no route matches; the packet is dropped", &[("addr", &addr)]),
        };
        if let Some(Some((r, _))) = w.as_ref().map(|w| w.winner) {
            app.routes.cursor = r;
        }
        app.routes.which = w;
        app.routes.associations = false;
        app.info(summary);
    }
}
