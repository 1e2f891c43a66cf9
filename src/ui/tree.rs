//! The VPC tree pane: the tree, the filter line, and a detail panel for the selected node.

use super::pane_block;
use super::theme::Theme;
use super::Screen;
use crate::app::findings::AppFinding;
use crate::app::findings::Severity;
use crate::app::tree::{plural, NodeRef, RowKind};
use crate::app::Pane;
use crate::l10n::{ui, uif};
use crate::model::*;
use crate::net::reserved::usable_count;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};
use ratatui::Frame;

/// Draw the tree pane. Returns where its rows went.
pub fn render(frame: &mut Frame, area: Rect, app: &Screen, focused: bool) -> Rect {
    let t = &app.theme;
    let lang = app.lang();
    let count = format!(
        "{} · {}",
        plural(lang, app.design.vpcs.len(), "VPC"),
        plural(lang, app.design.subnets.len(), "subnet")
    );
    let block = pane_block(app, Pane::Tree, &count, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width == 0 || inner.height == 0 {
        return Rect::default();
    }
    let show_filter = app.filter_editing() || !app.tree.filter.is_empty();
    let detail_h = if inner.height >= 18 { (inner.height * 2 / 5).clamp(6, 14) } else { 0 };
    let [filter_area, tree_area, detail_area] = Layout::vertical([
        Constraint::Length(u16::from(show_filter)),
        Constraint::Min(0),
        Constraint::Length(detail_h),
    ])
    .areas(inner);

    if show_filter {
        let mut spans =
            vec![Span::styled("/ ", t.key()), Span::styled(app.tree.filter.clone(), Style::new().fg(t.input_fg))];
        if app.tree.rows().is_empty() {
            spans.push(Span::styled(crate::l10n::ui(app.lang(), "  no match"), t.error()));
        }
        let style = if app.filter_editing() { t.input() } else { t.text() };
        frame.render_widget(Paragraph::new(Line::from(spans)).style(style), filter_area);
        if matches!(app.modal(), Some(crate::app::Modal::Filter)) {
            let x = filter_area.x + 2 + app.tree.filter_cursor.min(app.tree.filter.chars().count()) as u16;
            if x < filter_area.right() {
                frame.set_cursor_position((x, filter_area.y));
            }
        }
    }

    if app.tree.rows().is_empty() && !show_filter {
        let hint = Paragraph::new(vec![
            Line::from(crate::l10n::ui(app.lang(), "The design is empty.")),
            Line::from(vec![Span::styled("a", t.key()), Span::raw(crate::l10n::ui(app.lang(), " adds a VPC."))]),
        ])
        .style(t.muted());
        frame.render_widget(hint, tree_area);
    } else {
        rows(frame, tree_area, app, focused);
    }

    if detail_h > 0 {
        let block = Block::new()
            .borders(Borders::TOP)
            .border_style(t.border(false))
            .title(Span::styled(crate::l10n::ui(app.lang(), " Details "), t.title(false)));
        let inner = block.inner(detail_area);
        frame.render_widget(block, detail_area);
        let lines = detail_lines(app);
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).style(t.text()), inner);
    }
    tree_area
}

/// The colour of a finding's severity.
fn severity_colour(t: &Theme, s: Severity) -> ratatui::style::Color {
    match s {
        Severity::Error => t.error,
        Severity::Warning => t.warning,
        Severity::Info => t.info,
    }
}

/// How a kind of row looks.
fn row_style(t: &Theme, kind: RowKind) -> Style {
    match kind {
        RowKind::Region => Style::new().fg(t.region).add_modifier(Modifier::BOLD),
        RowKind::Vpc => Style::new().fg(t.vpc),
        RowKind::Subnet => Style::new().fg(t.subnet),
        RowKind::Resource => Style::new().fg(t.resource),
        RowKind::Group => Style::new().fg(t.group).add_modifier(Modifier::ITALIC),
        RowKind::Az => Style::new().fg(t.group),
        RowKind::Route { blackhole: true } => Style::new().fg(t.error),
        RowKind::Entry { deny: true } => Style::new().fg(t.warning),
        RowKind::Route { .. } | RowKind::Rule | RowKind::Entry { .. } => Style::new().fg(t.fg),
    }
}

/// The visible rows: indent, ▸/▾, the worst finding's mark, the name, the facts.
fn rows(frame: &mut Frame, area: Rect, app: &Screen, focused: bool) {
    let t = &app.theme;
    frame.buffer_mut().set_style(area, t.text());
    let rows = app.tree.rows();
    let height = usize::from(area.height);
    let start = app.tree.shown_offset(height);
    let selected = app.tree.selected_id();
    let highlight = if focused { t.selection() } else { Style::new().add_modifier(Modifier::REVERSED) };
    for (i, row) in rows.iter().skip(start).take(height).enumerate() {
        let Some(n) = app.tree.nodes.get(&row.id) else { continue };
        let r = Rect { y: area.y + i as u16, height: 1, ..area };
        let symbol = match (row.has_children, row.open) {
            (false, _) => "  ",
            (true, true) => "▾ ",
            (true, false) => "▸ ",
        };
        let mut spans = vec![Span::raw(format!("{x}{symbol}", x = (" ".repeat(row.depth * 2)), symbol = symbol))];
        if let Some(s) = n.node.resource_id().and_then(|id| app.derived.worst.get(id)) {
            let style = Style::new().fg(severity_colour(t, *s)).add_modifier(Modifier::BOLD);
            spans.push(Span::styled(format!("{} ", s.mark()), style));
        }
        spans.push(Span::styled(n.name.clone(), row_style(t, n.kind)));
        if !n.facts.is_empty() {
            spans.push(Span::styled(format!("  {}", n.facts), Style::new().fg(t.muted)));
        }
        frame.render_widget(Line::from(spans), r);
        if selected.as_deref() == Some(row.id.as_str()) {
            frame.buffer_mut().set_style(r, highlight);
        }
    }
}

/// A key (in the interface's language, padded by display width) and its value.
fn kv(app: &Screen, k: &str, v: impl Into<String>) -> Line<'static> {
    let k = ui(app.lang(), k);
    let w = super::width(&k).max(13) + 1;
    Line::from(vec![Span::styled(super::pad_to(&k, w), app.theme.muted()), Span::raw(v.into())])
}

fn list_or_dash(v: &[String]) -> String {
    if v.is_empty() {
        "-".into()
    } else {
        v.join(", ")
    }
}

/// The detail panel's lines for the selection.
pub fn detail_lines(app: &Screen) -> Vec<Line<'static>> {
    let d = &app.design;
    let t = &app.theme;
    let Some(node) = app.selected_node() else {
        return vec![Line::styled(crate::l10n::ui(app.lang(), "Nothing selected."), t.muted())];
    };
    let mut out = Vec::new();
    match node {
        NodeRef::Region(r) => {
            let vpcs: Vec<&Vpc> = d.vpcs.iter().filter(|v| v.region == *r).collect();
            out.push(Line::styled(
                crate::l10n::uif(app.lang(), "Region {r}", &[("r", &r)]),
                Style::new().fg(t.region).add_modifier(Modifier::BOLD),
            ));
            out.push(kv(app, "VPCs", vpcs.len().to_string()));
            out.push(kv(app, "zones", d.azs(r).join(", ")));
        }
        NodeRef::Az { vpc, az } => {
            let subs: Vec<&Subnet> = d.vpc_subnets(vpc).filter(|s| s.az == *az).collect();
            let usable: u64 = subs.iter().filter_map(|s| s.cidr).map(|c| usable_count(c.prefix_len())).sum();
            out.push(Line::styled(
                uif(app.lang(), "Availability zone {az}", &[("az", &az)]),
                Style::new().fg(t.group).add_modifier(Modifier::BOLD),
            ));
            out.push(kv(app, "subnets", subs.len().to_string()));
            out.push(kv(app, "usable IPs", usable.to_string()));
        }
        NodeRef::Group { kind, .. } => {
            out.push(Line::styled(ui(app.lang(), kind.title()), Style::new().fg(t.group).add_modifier(Modifier::BOLD)));
            if let Some(k) = kind.adds() {
                out.push(Line::from(vec![
                    Span::styled("a", t.key()),
                    Span::raw(uif(app.lang(), " adds a {k}", &[("k", &ui(app.lang(), k.label()))])),
                ]));
            }
        }
        NodeRef::Route { rtb, index } => {
            if let Some(r) = d.route_table(rtb).and_then(|t| t.routes.get(*index)) {
                out.push(Line::styled(
                    crate::l10n::uif(app.lang(), "Route in {rtb}", &[("rtb", &rtb)]),
                    Style::new().add_modifier(Modifier::BOLD),
                ));
                out.push(kv(app, "destination", r.destination.to_string()));
                out.push(kv(app, "target", format!("{} ({})", r.target, r.target.kind())));
                out.push(kv(app, "origin", ui(app.lang(), &r.origin.to_string())));
                out.push(kv(app, "state", ui(app.lang(), &format!("{:?}", r.state).to_lowercase())));
                if r.is_local() {
                    out.push(Line::styled(
                        crate::l10n::ui(app.lang(), "The local route is automatic and cannot be deleted (R2)."),
                        t.muted(),
                    ));
                }
            }
        }
        NodeRef::SgRule { sg, egress, index } => {
            let g = d.security_group(sg);
            let r = g.and_then(|g| if *egress { g.egress.get(*index) } else { g.ingress.get(*index) });
            if let Some(r) = r {
                out.push(Line::styled(
                    if *egress {
                        uif(app.lang(), "Outbound rule of {sg}", &[("sg", &sg)])
                    } else {
                        uif(app.lang(), "Inbound rule of {sg}", &[("sg", &sg)])
                    },
                    Style::new().add_modifier(Modifier::BOLD),
                ));
                out.push(kv(app, "protocol", r.protocol.to_string()));
                out.push(kv(app, "ports", r.ports.to_string()));
                let side = ui(app.lang(), if *egress { "to" } else { "from" });
                out.push(kv(app, &side, r.peer.to_string()));
                if !r.description.is_empty() {
                    out.push(kv(app, "description", r.description.clone()));
                }
                out.push(Line::styled(
                    crate::l10n::ui(app.lang(), "Security groups are stateful: replies pass (S3)."),
                    t.muted(),
                ));
            }
        }
        NodeRef::NaclEntry { acl, index } => {
            if let Some(e) = d.network_acl(acl).and_then(|a| a.entries.get(*index)) {
                out.push(Line::styled(
                    uif(app.lang(), "Entry {n} of {acl}", &[("n", &e.rule_number), ("acl", &acl)]),
                    Style::new().add_modifier(Modifier::BOLD),
                ));
                out.push(kv(app, "direction", ui(app.lang(), if e.egress { "outbound" } else { "inbound" })));
                out.push(kv(app, "action", ui(app.lang(), &e.action.to_string())));
                out.push(kv(app, "protocol", e.protocol.to_string()));
                out.push(kv(app, "ports", e.ports.to_string()));
                out.push(kv(app, "CIDR", e.cidr.to_string()));
                out.push(Line::styled(
                    crate::l10n::ui(app.lang(), "Lowest number first; the first match wins (L2)."),
                    t.muted(),
                ));
            }
        }
        NodeRef::Resource { kind, id } if kind.is_service() => service_detail(app, id, &mut out),
        NodeRef::Resource { id, .. } => resource_detail(app, id, &mut out),
    }
    out
}

/// `name (id)` of a resource or a managed service, the id when it is neither.
fn named(d: &Design, id: &str) -> String {
    d.find(id)
        .map(|r| r.display_name())
        .or_else(|| d.find_service(id).map(|s| s.display_name()))
        .unwrap_or_else(|| id.to_string())
}

/// A managed service (M1–M9): what it is, where its interfaces are, what decides who reaches it.
fn service_detail(app: &Screen, id: &str, out: &mut Vec<Line<'static>>) {
    let d = &app.design;
    let t = &app.theme;
    let Some(s) = d.find_service(id) else {
        out.push(Line::styled(crate::l10n::uif(app.lang(), "{id} is not in the design", &[("id", &id)]), t.error()));
        return;
    };
    out.push(Line::from(vec![
        Span::styled(s.label().to_string(), t.muted()),
        Span::raw(" "),
        Span::styled(s.display_name(), Style::new().fg(t.accent).add_modifier(Modifier::BOLD)),
    ]));
    out.push(kv(app, "VPC", named(d, s.vpc())));
    let nics: Vec<String> = s
        .interfaces()
        .iter()
        .map(|i| match i.public_ip {
            Some(p) => format!("{} in {} (public {p})", i.ip, named(d, &i.subnet)),
            None => format!("{} in {}", i.ip, named(d, &i.subnet)),
        })
        .collect();
    if !nics.is_empty() {
        out.push(kv(app, "interfaces", nics.join(", ")));
    }
    match s {
        Service::Database(db) => {
            out.push(kv(app, "engine", format!("{} on port {} (M3)", db.engine(), db.port())));
            out.push(kv(app, "public", if db.publicly_accessible { "publicly accessible (M2)" } else { "no" }));
            let groups: Vec<String> = db.security_groups.iter().map(|g| named(d, g)).collect();
            out.push(kv(app, "groups", list_or_dash(&groups)));
            if let Some(g) = &db.subnet_group {
                out.push(kv(app, "subnet group", named(d, g)));
            }
        }
        Service::SubnetGroup(g) => {
            let subnets: Vec<String> = g.subnets.iter().map(|x| named(d, x)).collect();
            out.push(kv(app, "subnets", list_or_dash(&subnets)));
        }
        Service::Compute(c) => {
            let groups: Vec<String> = c.interface_groups().into_iter().map(|g| named(d, g)).collect();
            out.push(kv(app, "groups", list_or_dash(&groups)));
            match &c.kind {
                ComputeKind::LambdaFunction => out.push(Line::styled(
                    crate::l10n::ui(app.lang(), "Outbound only: nothing opens a connection to it (M7)."),
                    t.muted(),
                )),
                ComputeKind::EcsService { assign_public_ip, desired_count, .. } => out.push(kv(
                    app,
                    "tasks",
                    format!("{desired_count}, public IPs {}", if *assign_public_ip { "on" } else { "off" }),
                )),
                ComputeKind::EksCluster {
                    endpoint_public_access,
                    endpoint_private_access,
                    public_access_cidrs,
                    ..
                } => {
                    let cidrs: Vec<String> = public_access_cidrs.iter().map(|c| c.to_string()).collect();
                    out.push(kv(
                        app,
                        "endpoint",
                        format!("public {endpoint_public_access}, private {endpoint_private_access} (M9)"),
                    ));
                    out.push(kv(
                        app,
                        "public CIDRs",
                        if cidrs.is_empty() { "0.0.0.0/0".to_string() } else { cidrs.join(", ") },
                    ));
                }
            }
        }
    }
    if let Some(e) = s.endpoint() {
        out.push(kv(app, "endpoint name", e.to_string()));
    }
}

fn resource_detail(app: &Screen, id: &str, out: &mut Vec<Line<'static>>) {
    let d = &app.design;
    let t = &app.theme;
    let Some(r) = d.find(id) else {
        out.push(Line::styled(crate::l10n::uif(app.lang(), "{id} is not in the design", &[("id", &id)]), t.error()));
        return;
    };
    out.push(Line::from(vec![
        Span::styled(ui(app.lang(), r.kind().label()), t.muted()),
        Span::raw(" "),
        Span::styled(r.display_name(), Style::new().fg(t.accent).add_modifier(Modifier::BOLD)),
    ]));
    match r {
        Resource::Vpc(v) => {
            let cidrs: Vec<String> = v.cidrs().map(|c| c.to_string()).collect();
            out.push(kv(app, "CIDRs", cidrs.join(", ")));
            if !v.ipv6_cidr_blocks.is_empty() {
                let blocks: Vec<String> = v
                    .ipv6_cidr_blocks
                    .iter()
                    .map(|b| match &b.pool {
                        _ if b.placeholder => format!("{} (Amazon-provided, stand-in until AWS assigns it)", b.cidr),
                        crate::model::Ipv6Pool::Amazon => format!("{} (Amazon-provided)", b.cidr),
                        crate::model::Ipv6Pool::Byoip(p) => format!("{} (BYOIP {p})", b.cidr),
                        crate::model::Ipv6Pool::Ipam(p) => format!("{} (IPAM {p})", b.cidr),
                    })
                    .collect();
                out.push(kv(app, "IPv6", blocks.join(", ")));
            }
            out.push(kv(app, "region", v.region.clone()));
            out.push(kv(
                app,
                "DNS",
                uif(
                    app.lang(),
                    "support {support} · hostnames {hostnames} · server {server}",
                    &[
                        ("support", &onoff(app, v.enable_dns_support)),
                        ("hostnames", &onoff(app, v.enable_dns_hostnames)),
                        ("server", &v.dns_server()),
                    ],
                ),
            ));
        }
        Resource::Subnet(s) => {
            match s.cidr {
                Some(c) => out.push(kv(
                    app,
                    "CIDR",
                    uif(
                        app.lang(),
                        "{cidr} · {usable} usable (A6)",
                        &[("cidr", &c), ("usable", &usable_count(c.prefix_len()))],
                    ),
                )),
                None => out.push(kv(app, "CIDR", ui(app.lang(), "none: IPv6-only (A7)"))),
            }
            if let Some(v6) = s.ipv6_cidr {
                out.push(kv(
                    app,
                    "IPv6",
                    format!(
                        "{v6} · {} {} · DNS64 {}",
                        ui(app.lang(), "auto-assign"),
                        onoff(app, s.assign_ipv6_address_on_creation),
                        onoff(app, s.enable_dns64)
                    ),
                ));
            }
            out.push(kv(app, "zone", s.az.clone()));
            let rt = d.subnet_route_table(&s.id);
            let how = if d.subnet_has_explicit_route_table(&s.id) {
                String::new()
            } else {
                ui(app.lang(), " (main, implicitly)")
            };
            out.push(kv(app, "route table", rt.map_or("-".into(), |r| format!("{} {}{how}", r.id, r.name))));
            out.push(kv(
                app,
                "network ACL",
                d.subnet_network_acl(&s.id).map_or("-".into(), |a| format!("{} {}", a.id, a.name)),
            ));
            out.push(kv(app, "public IPs", onoff(app, s.map_public_ip_on_launch)));
        }
        Resource::RouteTable(rt) => {
            out.push(kv(app, "main", if rt.main { "yes" } else { "no" }));
            out.push(kv(app, "subnets", list_or_dash(&rt.subnets)));
            out.push(kv(app, "routes", rt.routes.len().to_string()));
        }
        Resource::InternetGateway(g) => out.push(kv(app, "attached to", g.vpc.clone().unwrap_or_else(|| "-".into()))),
        Resource::EgressOnlyInternetGateway(g) => {
            out.push(kv(app, "attached to", g.vpc.clone()));
            out.push(kv(app, "carries", "IPv6 out and its replies; nothing unsolicited in (I5)"));
        }
        Resource::NatGateway(n) => {
            match &n.subnet {
                Some(s) => out.push(kv(app, "subnet", s.clone())),
                None => {
                    out.push(kv(app, "availability", "regional (every AZ of its VPC, N9)"));
                    out.push(kv(app, "VPC", n.vpc.clone().unwrap_or_else(|| "-".into())));
                    out.push(kv(
                        app,
                        "route table",
                        n.route_table.clone().unwrap_or_else(|| "AWS's (0.0.0.0/0 → IGW)".into()),
                    ));
                }
            }
            out.push(kv(app, "private IP", n.private_ip.map_or_else(|| "-".into(), |a| a.to_string())));
            let eip = n
                .eip
                .as_deref()
                .and_then(|e| d.elastic_ip(e))
                .map_or("-".into(), |e| format!("{} ({})", e.public_ip, e.id));
            out.push(kv(app, "Elastic IP", eip));
            out.push(kv(app, "state", format!("{:?} · {:?}", n.connectivity, n.state).to_lowercase()));
        }
        Resource::Instance(i) => {
            out.push(kv(app, "type", i.instance_type.clone()));
            out.push(kv(app, "state", format!("{:?}", i.state).to_lowercase()));
            for e in d.instance_interfaces(&i.id) {
                let ips: Vec<String> = e
                    .private_ips
                    .iter()
                    .map(|a| a.to_string())
                    .chain(e.ipv6_addresses.iter().map(|a| a.to_string()))
                    .collect();
                let public = d.interface_public_ip(e).map(|p| format!(" ⇢ {p}")).unwrap_or_default();
                out.push(kv(
                    app,
                    &format!("eth{}", e.device_index),
                    format!("{} {}{public} [{}]", e.id, ips.join(", "), e.security_groups.join(", ")),
                ));
            }
        }
        Resource::NetworkInterface(e) => {
            let ips: Vec<String> = e.private_ips.iter().map(|a| a.to_string()).collect();
            out.push(kv(app, "subnet", e.subnet.clone()));
            out.push(kv(app, "private IPs", ips.join(", ")));
            out.push(kv(app, "public IP", d.interface_public_ip(e).map_or("-".into(), |p| p.to_string())));
            if !e.ipv6_addresses.is_empty() {
                out.push(kv(app, "IPv6", crate::app::forms::parse::join(&e.ipv6_addresses)));
            }
            out.push(kv(app, "groups", list_or_dash(&e.security_groups)));
            out.push(kv(app, "src/dst check", onoff(app, e.source_dest_check)));
        }
        Resource::SecurityGroup(g) => {
            let (i, o) = (g.ingress.len(), g.egress.len());
            out.push(kv(
                app,
                "rules",
                crate::l10n::uif(app.lang(), "{i} inbound · {o} outbound", &[("i", &i), ("o", &o)]),
            ));
            if !g.description.is_empty() {
                out.push(kv(app, "description", g.description.clone()));
            }
        }
        Resource::NetworkAcl(a) => {
            out.push(kv(app, "default", if a.is_default { "yes" } else { "no" }));
            out.push(kv(app, "subnets", list_or_dash(&a.subnets)));
        }
        Resource::VpcPeering(p) => {
            out.push(kv(app, "between", format!("{} ↔ {}", p.requester_vpc, p.accepter_vpc)));
            out.push(kv(app, "status", p.status.to_string()));
        }
        Resource::VpcEndpoint(e) => {
            out.push(kv(app, "service", e.service_name.clone()));
            out.push(kv(app, "type", format!("{:?} · {}", e.kind, e.state.api_name())));
            if !e.route_tables.is_empty() {
                out.push(kv(app, "route tables", list_or_dash(&e.route_tables)));
            }
            for i in &e.interfaces {
                out.push(kv(app, "interface", format!("{} {}", i.subnet, i.ip)));
            }
        }
        Resource::ElasticIp(e) => out.push(kv(app, "public IP", e.public_ip.to_string())),
        Resource::TransitGateway(g) => {
            out.push(kv(app, "region", g.region.clone()));
            out.push(kv(app, "ASN", g.asn.to_string()));
            out.push(kv(app, "default table", g.default_route_table.clone().unwrap_or_else(|| "-".into())));
        }
        Resource::TgwRouteTable(r) => {
            out.push(kv(app, "propagations", list_or_dash(&r.propagations)));
            let routes: Vec<String> = r
                .static_routes
                .iter()
                .map(|x| format!("{} → {}", x.cidr, x.attachment.as_deref().unwrap_or("blackhole")))
                .collect();
            out.push(kv(app, "static routes", list_or_dash(&routes)));
        }
        Resource::CustomerGateway(c) => out.push(kv(app, "device", format!("{} · ASN {}", c.ip, c.bgp_asn))),
        Resource::VpnConnection(c) => {
            let to = c.vpn_gateway.clone().or_else(|| c.transit_gateway.clone()).unwrap_or_else(|| "-".into());
            out.push(kv(app, "between", format!("{} ↔ {to}", c.customer_gateway)));
            let routes: Vec<String> = c.routes.iter().map(|r| r.to_string()).collect();
            out.push(kv(app, "prefixes", list_or_dash(&routes)));
        }
        Resource::LoadBalancer(l) => {
            out.push(kv(app, "type", format!("{:?} · {:?}", l.kind, l.scheme).to_lowercase()));
            let nodes: Vec<String> = l.nodes.iter().map(|n| format!("{} {}", n.subnet, n.private_ip)).collect();
            out.push(kv(app, "nodes", list_or_dash(&nodes)));
        }
        Resource::TargetGroup(g) => {
            out.push(kv(app, "listens", format!("{} {}", g.protocol, g.port)));
            let targets: Vec<String> = g.targets.iter().map(|x| x.id.clone()).collect();
            out.push(kv(app, "targets", list_or_dash(&targets)));
        }
        Resource::NetworkFirewall(f) => {
            let policy = d.firewall_policy(&f.policy).map_or(f.policy.clone(), |p| format!("{} ({})", p.name, p.id));
            out.push(kv(app, "policy", policy));
            let eps: Vec<String> = f
                .endpoints
                .iter()
                .map(|e| {
                    let az = d.subnet(&e.subnet).map_or("?", |s| s.az.as_str());
                    format!("{} {az} {} in {}", e.id, e.ip, e.subnet)
                })
                .collect();
            out.push(kv(app, "endpoints", list_or_dash(&eps)));
        }
        Resource::FirewallPolicy(p) => {
            let refs = |l: &[RuleGroupRef]| -> Vec<String> {
                l.iter().map(|r| r.priority.map_or(r.group.clone(), |p| format!("{p}:{}", r.group))).collect()
            };
            out.push(kv(app, "stateless", list_or_dash(&refs(&p.stateless_groups))));
            out.push(kv(app, "default", p.stateless_default.api_name().to_string()));
            out.push(kv(app, "stateful", list_or_dash(&refs(&p.stateful_groups))));
            out.push(kv(app, "order", p.rule_order.api_name().to_string()));
        }
        Resource::FirewallRuleGroup(g) => {
            use crate::app::forms::kinds::{stateful_text, stateless_text};
            let mut rules: Vec<String> = Vec::new();
            for text in [stateless_text(&g.stateless_rules), stateful_text(&g.stateful_rules)] {
                rules.extend(text.split("; ").filter(|r| !r.is_empty()).map(str::to_string));
            }
            if let Some(l) = &g.domain_list {
                rules.push(format!("{} {}", l.action.api_name(), l.targets.join(" ")));
            }
            out.push(kv(app, "kind", format!("{:?} · capacity {}", g.kind, g.capacity).to_lowercase()));
            out.push(kv(app, "rules", list_or_dash(&rules)));
        }
        _ => {}
    }
    let refs = app.derived.refs.get(id).map(Vec::as_slice).unwrap_or_default();
    if !refs.is_empty() {
        // The reference's words through the catalogue ("associated subnet"; "route 0.0.0.0/0" keeps its CIDR).
        let field = |f: &str| match f.split_once(' ') {
            Some((w, rest)) if w == "route" || w == "listener" => format!("{} {rest}", ui(app.lang(), w)),
            _ => ui(app.lang(), f),
        };
        let mut names: Vec<String> = refs.iter().map(|r| format!("{} ({})", r.from, field(&r.field))).collect();
        names.dedup();
        let shown: Vec<String> = names.iter().take(4).cloned().collect();
        let more = if names.len() > 4 { format!(" … +{}", names.len() - 4) } else { String::new() };
        out.push(kv(app, "used by", format!("{}{more}", shown.join(", "))));
    }
    for f in app.derived.about(id) {
        out.push(finding_line(app, f));
        if let Some(fix) = f.fix_in(app.lang()) {
            out.push(Line::styled(crate::l10n::uif(app.lang(), "   fix: {fix}", &[("fix", &fix)]), t.muted()));
        }
    }
}

fn finding_line(app: &Screen, f: &AppFinding) -> Line<'static> {
    let color = severity_colour(&app.theme, f.severity);
    Line::from(vec![
        Span::styled(format!("{} {} ", f.severity.mark(), f.rule), Style::new().fg(color).add_modifier(Modifier::BOLD)),
        Span::raw(f.message_in(app.lang())),
    ])
}

fn onoff(app: &Screen, b: bool) -> String {
    ui(app.lang(), if b { "on" } else { "off" })
}
