//! The planner's forms: carve a subnet from a free block, resize a subnet, lay out tiers × AZs.
//! They follow the same [`FormSpec`] as every form; the carve and the resize are ops like any
//! other edit (A5, A6 are the ops' checks), the layout is a preview applied on Enter.

use super::layout::{Ipv6BlockPlan, LayoutFamily};
use super::{az_short, plan, select_cidr, LayoutPreview};
use crate::app::forms::{
    parse, Choice, Context, Draft, Errors, Field, Form, FormKind, FormSpec, FormTarget, LineInput,
};
use crate::app::{App, Pane, Popup};
use crate::l10n::Text;
use crate::model::ops::{Op, Ref};
use crate::model::{Design, Vpc};
use ipnet::Ipv4Net;

/// A subnet size: `/n` or `n`, /16 to /28 (A5).
pub(super) fn parse_prefix(s: &str) -> Result<u8, String> {
    let t = s.trim().trim_start_matches('/');
    match t.parse::<u8>() {
        Ok(n) if (16..=28).contains(&n) => Ok(n),
        _ => Err(format!("'{}' is not a subnet size: /16 to /28 (A5)", s.trim())),
    }
}

fn az_full(region: &str, az: &str) -> String {
    if az.len() <= 2 {
        format!("{region}{az}")
    } else {
        az.to_string()
    }
}

/// The zones a VPC's subnets may use: its region's, and those its subnets already use.
pub(super) fn az_choices(d: &Design, vpc: &Vpc) -> Vec<Choice> {
    let mut azs = d.azs(&vpc.region);
    for s in d.vpc_subnets(&vpc.id) {
        if !azs.contains(&s.az) {
            azs.push(s.az.clone());
        }
    }
    if azs.is_empty() {
        azs.push(format!("{}a", vpc.region));
    }
    azs.into_iter().map(|a| Choice::new(a.clone(), a)).collect()
}

fn form_vpc<'a>(form: &Form, d: &'a Design) -> Option<&'a Vpc> {
    match &form.target {
        FormTarget::NewIn(v) => d.vpc(v),
        FormTarget::Edit(s) => d.subnet(s).and_then(|s| d.vpc(&s.vpc)),
        _ => None,
    }
}

/// Report the outcome of a planner form: select the block, or reopen with the reason.
fn finish(app: &mut App, mut form: Form, result: Result<Ipv4Net, String>) {
    match result {
        Ok(cidr) => {
            select_cidr(app, cidr);
            let title = form.spec.0.title(&app.design, &form.target, app.lang());
            app.info(crate::l10n::uif(app.lang(), "{title}: done (u undoes)", &[("title", &title)]));
        }
        Err(e) => {
            form.message = Some(crate::l10n::uif(app.lang(), "Not applied: {e}", &[("e", &e)]));
            app.set_popup(Popup::Form(form));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Carve.

/// A new subnet in the selected free block.
pub struct CarveForm;
pub static CARVE: CarveForm = CarveForm;

impl FormSpec for CarveForm {
    fn kind(&self) -> FormKind {
        FormKind::Pane("subnet")
    }

    fn title(&self, _d: &Design, _target: &FormTarget, lang: crate::l10n::Lang) -> String {
        crate::l10n::ui(lang, "New subnet")
    }

    fn fields(&self, d: &Design, target: &FormTarget, ctx: &Context) -> Result<Vec<Field>, String> {
        let FormTarget::NewIn(v) = target else { return Err("a subnet is carved in a VPC".into()) };
        let vpc = d.vpc(v).ok_or("the VPC is gone")?;
        let free = ctx.block.ok_or("select a free block to carve from")?;
        let prefix = free.prefix_len().max(16);
        let cidr = Ipv4Net::new(free.network(), prefix).map(|c| c.trunc()).unwrap_or(free);
        let azs = az_choices(d, vpc);
        // The zone with the fewest subnets of this VPC.
        let az = azs
            .iter()
            .min_by_key(|c| d.vpc_subnets(&vpc.id).filter(|s| s.az == c.value).count())
            .map(|c| c.value.clone())
            .unwrap_or_default();
        let mut n = d.vpc_subnets(&vpc.id).count() + 1;
        while d.vpc_subnets(&vpc.id).any(|s| s.name == format!("subnet-{n}")) {
            n += 1;
        }
        let mut rts = vec![Choice::new("", "the main table (implicit, R1)")];
        rts.extend(
            d.route_tables
                .iter()
                .filter(|t| t.vpc == vpc.id)
                .map(|t| Choice::new(t.id.clone(), format!("{} ({})", t.name, t.id))),
        );
        Ok(vec![
            Field::text("block", "Free block", free.to_string(), "").locked(),
            Field::text("name", "Name", format!("subnet-{n}"), "a name unique in the VPC"),
            Field::choice("az", "Availability zone", azs, &az),
            Field::text("prefix", "Prefix length", format!("/{prefix}"), "/16 to /28 (A5); fills the CIDR"),
            Field::text("cidr", "CIDR", cidr.to_string(), "inside the VPC, overlapping no subnet (A5)"),
            Field::choice("route_table", "Route table", rts, ""),
        ])
    }

    /// The CIDR follows the prefix length.
    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        if key != "prefix" {
            return;
        }
        let Ok(n) = parse_prefix(form.get("prefix")) else { return };
        let Ok(free) = form.get("block").parse::<Ipv4Net>() else { return };
        let cidr = if n >= free.prefix_len() {
            Ipv4Net::new(free.network(), n).ok().map(|c| c.trunc())
        } else {
            form_vpc(form, d).and_then(|v| plan(d, v).ok()).and_then(|p| p.next_free_block(n).ok())
        };
        if let (Some(c), Some(f)) = (cidr, form.field_mut("cidr")) {
            f.input = LineInput::new(c.to_string());
        }
    }

    fn draft(&self, form: &Form, _d: &Design) -> Draft {
        let mut dr = Draft::default();
        let FormTarget::NewIn(vpc) = &form.target else { return dr };
        if let Err(m) = parse_prefix(form.get("prefix")) {
            dr.errors.push(("prefix", m.into()));
        }
        if form.get("az").is_empty() {
            dr.errors.push(("az", "required: the subnet's zone (A5)".into()));
        }
        let cidr = dr.field("cidr", parse::cidr(form.get("cidr")), Ipv4Net::default());
        dr.ops.push(Op::AddSubnet {
            vpc: Ref::id(vpc),
            name: form.get("name").to_string(),
            cidr,
            az: form.get("az").to_string(),
            public_ip_on_launch: false,
            route_table: parse::opt_ref(form.get("route_table")),
            network_acl: None,
        });
        dr
    }

    fn submit(&self, app: &mut App, form: Form) {
        let ops = self.draft(&form, &app.design).ops;
        let what = crate::l10n::uif(
            app.lang(),
            "carve subnet {name} {cidr}",
            &[("name", &form.get("name")), ("cidr", &form.get("cidr"))],
        );
        let result = app.apply(&what, ops).map_err(|e| e.to_string()).and_then(|applied| {
            let id = applied.iter().find_map(|a| a.created.clone()).ok_or("no subnet was created")?;
            app.design.subnet(&id).and_then(|s| s.cidr).ok_or_else(|| "the subnet is gone".to_string())
        });
        finish(app, form, result);
    }
}

// ---------------------------------------------------------------------------------------------
// Resize.

/// A new size for the selected subnet, where space allows.
pub struct ResizeForm;
pub static RESIZE: ResizeForm = ResizeForm;

/// What the resize form's subnet would become, or why it cannot (A5: aligned, inside the VPC,
/// over free space).
fn resize_target(form: &Form, d: &Design) -> Result<Ipv4Net, String> {
    let FormTarget::Edit(id) = &form.target else { return Err("no subnet".into()) };
    let s = d.subnet(id).ok_or("the subnet is gone")?;
    let vpc = d.vpc(&s.vpc).ok_or("the VPC is gone")?;
    let n = parse_prefix(form.get("prefix"))?;
    let p = plan(d, vpc)?;
    let cidr = s.cidr.ok_or("an IPv6-only subnet has no IPv4 block to resize")?;
    p.check_resize(cidr, n).map_err(|e| e.to_string())
}

impl FormSpec for ResizeForm {
    fn kind(&self) -> FormKind {
        FormKind::Pane("subnet size")
    }

    fn title(&self, d: &Design, target: &FormTarget, lang: crate::l10n::Lang) -> String {
        let name = match target {
            FormTarget::Edit(id) => d.subnet(id).map(|s| s.name.clone()).unwrap_or_default(),
            _ => String::new(),
        };
        crate::l10n::uif(lang, "Resize {name}", &[("name", &name)])
    }

    fn fields(&self, d: &Design, target: &FormTarget, _ctx: &Context) -> Result<Vec<Field>, String> {
        let FormTarget::Edit(id) = target else { return Err("select a subnet to resize".into()) };
        let s = d.subnet(id).ok_or("the subnet is gone")?;
        let cidr = s.cidr.ok_or("an IPv6-only subnet has no IPv4 block to resize")?;
        Ok(vec![
            Field::text("subnet", "Subnet", format!("{} {}", s.name, cidr), "").locked(),
            Field::text("prefix", "New prefix", format!("/{}", cidr.prefix_len()), "/16 to /28, where space allows"),
            Field::text("result", "Becomes", cidr.to_string(), "").locked(),
        ])
    }

    /// The result follows the new prefix.
    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        if key == "prefix" {
            let result = resize_target(form, d).map(|c| c.to_string()).unwrap_or_else(|_| "—".into());
            if let Some(f) = form.field_mut("result") {
                f.input = LineInput::new(result);
            }
        }
    }

    fn draft(&self, form: &Form, d: &Design) -> Draft {
        let mut dr = Draft::default();
        let FormTarget::Edit(id) = &form.target else { return dr };
        match resize_target(form, d) {
            Err(e) => dr.errors.push(("prefix", e.into())),
            Ok(c) if d.subnet(id).is_some_and(|s| s.cidr == Some(c)) => {}
            Ok(c) => dr.ops.push(Op::UpdateSubnet {
                subnet: Ref::id(id),
                name: None,
                cidr: Some(c),
                public_ip_on_launch: None,
                route_table: None,
            }),
        }
        dr
    }

    fn field_of(&self, _op_field: &'static str) -> &'static str {
        "prefix"
    }

    fn submit(&self, app: &mut App, form: Form) {
        let FormTarget::Edit(id) = form.target.clone() else { return };
        let result = resize_target(&form, &app.design).and_then(|new| {
            let name = app.design.subnet(&id).map(|s| s.name.clone()).unwrap_or_default();
            let ops = self.draft(&form, &app.design).ops;
            let what = crate::l10n::uif(app.lang(), "resize subnet {name} to {new}", &[("name", &name), ("new", &new)]);
            app.apply(what, ops).map(|_| new).map_err(|e| e.to_string())
        });
        finish(app, form, result);
    }
}

// ---------------------------------------------------------------------------------------------
// Layout.

/// Tiers × AZs of equal subnets in free space, previewed before they are applied.
pub struct LayoutForm;
pub static LAYOUT: LayoutForm = LayoutForm;

fn layout_preview(form: &Form, d: &Design) -> Result<LayoutPreview, (&'static str, String)> {
    let vpc = form_vpc(form, d).ok_or(("tiers", "the VPC is gone".to_string()))?;
    let tiers = parse::list(form.get("tiers"));
    if tiers.is_empty() {
        return Err(("tiers", "required: at least one tier, e.g. public, private".into()));
    }
    let public = parse::list(form.get("public"));
    if let Some(t) = public.iter().find(|t| !tiers.contains(t)) {
        return Err(("public", format!("'{t}' is not one of the tiers ({})", tiers.join(", "))));
    }
    let azs: Vec<String> = parse::list(form.get("azs")).iter().map(|a| az_full(&vpc.region, a)).collect();
    if azs.is_empty() {
        return Err(("azs", "required: at least one zone".into()));
    }
    let family = LayoutFamily::from_value(form.get("family"));
    let rows = if family.has_ipv4() {
        let size = parse_prefix(form.get("size")).map_err(|e| ("size", e))?;
        let p = plan(d, vpc).map_err(|e| ("size", e))?;
        p.layout(&tiers, &azs, size).map_err(|e| ("size", e.to_string()))?
    } else {
        Vec::new()
    };
    let (rows6, block) = if family.has_ipv6() { layout6(d, vpc, &tiers, &azs)? } else { (Vec::new(), None) };
    Ok(LayoutPreview::new(d, vpc, (rows, rows6), block, public))
}

/// An IPv6 layout's rows, and the block they come from when the preview must say so.
type Layout6 = (Vec<crate::net::Ipv6LayoutRow>, Option<Ipv6BlockPlan>);

/// The /64s of an IPv6 layout (A7), by slot in the VPC's IPv6 blocks; a VPC without one gets
/// an Amazon-provided /56's documentation-range stand-in, the one the op will associate.
fn layout6(d: &Design, vpc: &Vpc, tiers: &[String], azs: &[String]) -> Result<Layout6, (&'static str, String)> {
    let subnets: Vec<ipnet::Ipv6Net> = d.vpc_subnets(&vpc.id).filter_map(|s| s.ipv6_cidr).collect();
    let (blocks, note) = if vpc.ipv6_cidr_blocks.is_empty() {
        let c = d.placeholder_ipv6_block(&vpc.id);
        (vec![c], Some(Ipv6BlockPlan::Adds(c)))
    } else {
        let placeholder =
            vpc.ipv6_cidr_blocks.iter().find(|b| b.placeholder).map(|b| Ipv6BlockPlan::Placeholder(b.cidr));
        (vpc.ipv6_cidrs().collect(), placeholder)
    };
    let p = crate::net::Ipv6Plan::new(&blocks, &subnets).map_err(|e| ("family", e.to_string()))?;
    let rows = p.layout(tiers, azs, crate::net::ipv6::SUBNET_PREFIX).map_err(|e| ("family", e.to_string()))?;
    Ok((rows, note))
}

/// The layout's preview as the form's message: its sentences, said in each language.
fn show_preview(form: &mut Form, d: &Design) {
    form.message_said = layout_preview(form, d).ok().map(|p| preview_text(&p)).unwrap_or_default();
    form.message =
        (!form.message_said.is_empty()).then(|| form.message_said.iter().map(|t| t.english.as_str()).collect());
}

fn preview_text(p: &LayoutPreview) -> Vec<Text> {
    let items: Vec<String> = p
        .subnets()
        .into_iter()
        .map(|(tier, az, v4, v6)| {
            let table = p.table_of(tier).map(|t| format!(" → {}", t.name())).unwrap_or_default();
            let cidrs: Vec<String> =
                v4.map(|r| r.cidr.to_string()).into_iter().chain(v6.map(|r| r.cidr.to_string())).collect();
            format!("{tier}-{} {}{table}", az_short(az), cidrs.join(" + "))
        })
        .collect();
    let (n, items) = (p.len(), items.join(", "));
    let mut out = vec![crate::text!("Preview ({n} subnets): {items}")];
    // Each thing created is a sentence of its own, nested in the list's: every language says them.
    for (i, made) in p.creates_said().into_iter().enumerate() {
        let creates = made.english.clone();
        out.push(match i {
            0 => crate::text!("; also creates {creates}").with("creates", made),
            _ => crate::text!(", {creates}").with("creates", made),
        });
    }
    if let Some(Ipv6BlockPlan::Placeholder(c)) = p.ipv6_block {
        out.push(crate::text!(
            "; the /64s are slots of {c}, a documentation-range stand-in for the Amazon-provided /56 (A7)"
        ));
    }
    out
}

impl FormSpec for LayoutForm {
    fn kind(&self) -> FormKind {
        FormKind::Pane("subnet layout")
    }

    fn title(&self, d: &Design, target: &FormTarget, lang: crate::l10n::Lang) -> String {
        let name = match target {
            FormTarget::NewIn(v) => d.vpc(v).map(|v| v.name.clone()).unwrap_or_default(),
            _ => String::new(),
        };
        crate::l10n::uif(lang, "Lay out subnets in {name}", &[("name", &name)])
    }

    fn fields(&self, d: &Design, target: &FormTarget, _ctx: &Context) -> Result<Vec<Field>, String> {
        let FormTarget::NewIn(v) = target else { return Err("a layout goes in a VPC".into()) };
        let vpc = d.vpc(v).ok_or("the VPC is gone")?;
        let azs: Vec<String> = az_choices(d, vpc).into_iter().take(2).map(|c| c.value).collect();
        // Dual-stack where the VPC has an IPv6 block, as AWS's console lays out such a VPC.
        let family = if vpc.ipv6_cidr_blocks.is_empty() { LayoutFamily::Ipv4 } else { LayoutFamily::Dual };
        Ok(vec![
            Field::text("tiers", "Tiers", "public, private", "comma-separated tier names"),
            Field::text(
                "public",
                "Public tiers",
                "public",
                "tiers routed to the internet gateway (R9); the others get a private table",
            ),
            Field::text("azs", "AZs", azs.join(", "), "comma-separated zones (or letters: a, b)"),
            Field::text("size", "Subnet size", "/24", "/16 to /28 (A5)"),
            Field::choice("family", "IP family", families(), family.value()),
        ])
    }

    /// The preview follows everything; until the public tiers are edited, they are the tiers
    /// whose names say so (`public`, `pub-web` …), shown in their field.
    fn changed(&self, form: &mut Form, key: &str, d: &Design) {
        let tiers = parse::list(form.get("tiers"));
        if let Some(f) = form.field_mut("public").filter(|f| key == "tiers" && !f.touched) {
            let public: Vec<String> = tiers.into_iter().filter(|t| t.to_lowercase().starts_with("pub")).collect();
            f.input = LineInput::new(public.join(", "));
        }
        show_preview(form, d);
    }

    fn draft(&self, _form: &Form, _d: &Design) -> Draft {
        Draft::default()
    }

    fn check(&self, form: &Form, d: &Design) -> Errors {
        match layout_preview(form, d) {
            Err((k, m)) => vec![(k, m.into())],
            Ok(_) => Vec::new(),
        }
    }

    /// Submitting previews; Enter in the pane applies the preview.
    fn submit(&self, app: &mut App, form: Form) {
        match layout_preview(&form, &app.design) {
            Ok(p) => {
                let n = p.len();
                let also = if p.creates_said().is_empty() {
                    String::new()
                } else {
                    crate::l10n::ui(app.lang(), " (and the tables they need)")
                };
                app.planner.preview = Some(p);
                app.focus = Pane::Planner;
                app.info(crate::l10n::uif(
                    app.lang(),
                    "layout preview: {n} subnets{also} · Enter applies them as one change, Esc discards",
                    &[("n", &n), ("also", &also)],
                ));
            }
            Err((_, e)) => finish(app, form, Err(e)),
        }
    }
}

/// The layout form's address families.
fn families() -> Vec<Choice> {
    vec![
        Choice::new(LayoutFamily::Dual.value(), "dual-stack: an IPv4 block and a /64 each (A7)"),
        Choice::new(LayoutFamily::Ipv4.value(), "IPv4 only"),
        Choice::new(LayoutFamily::Ipv6.value(), "IPv6-only: a /64 each, no IPv4 block (A7)"),
    ]
}

/// Open the layout form, its preview already shown.
pub(super) fn open_layout(app: &mut App, vpc: &Vpc) {
    let ctx = Context::default();
    match Form::open(&LAYOUT, &app.design, FormTarget::NewIn(vpc.id.clone()), &ctx) {
        Ok(mut form) => {
            show_preview(&mut form, &app.design);
            app.set_popup(Popup::Form(form));
        }
        Err(e) => app.error(e),
    }
}
