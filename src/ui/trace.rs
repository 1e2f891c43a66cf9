//! The trace pane: the path as a chain of boxes with the packet on the current one, the
//! numbered steps beside it in step with the animation, and on a drop the reason and fixes.
//! Also the trace picker popup.

use super::Screen;
use super::{centered, pane_block};
use crate::app::trace_view::{Phase, TracePicker, TraceView, FIELDS};
use crate::app::{Pane, RowHit};
use crate::l10n::ui;
use crate::model::Design;
use crate::sim::render::decision_text;
use crate::sim::{circled, Component, ComponentKind, Hop, HopAction, TraceResult};
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, BorderType, Paragraph, Wrap};
use ratatui::Frame;

/// Display width of a string (double-width characters count twice).
fn width(s: &str) -> usize {
    Span::raw(s).width()
}

/// `s` cut to `n` columns (with … when cut).
fn cut(s: &str, n: usize) -> String {
    if width(s) <= n {
        return s.to_string();
    }
    let mut out = String::new();
    for c in s.chars() {
        if width(&out) + width(&c.to_string()) + 1 > n {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// `s` padded with `fill` to `n` columns.
fn pad(s: &str, n: usize, fill: char) -> String {
    let mut out = s.to_string();
    for _ in width(s)..n {
        out.push(fill);
    }
    out
}

/// A short name of a component kind, for box titles and step lines.
pub fn kind_label(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Instance => "EC2",
        ComponentKind::NetworkInterface => "ENI",
        ComponentKind::SecurityGroup => "SG",
        ComponentKind::NetworkAcl => "ACL",
        ComponentKind::RouteTable => "route table",
        ComponentKind::InternetGateway => "IGW",
        ComponentKind::EgressOnlyInternetGateway => "EIGW",
        ComponentKind::NatGateway => "NAT GW",
        ComponentKind::VpcPeering => "peering",
        ComponentKind::VpcEndpoint => "endpoint",
        ComponentKind::LoadBalancer => "LB",
        ComponentKind::TransitGateway => "TGW",
        ComponentKind::VpnGateway => "VGW",
        ComponentKind::Dns => "DNS",
        ComponentKind::AwsService => "AWS service",
        ComponentKind::OnPremises => "on-prem",
        ComponentKind::Database => "DB",
        ComponentKind::LambdaFunction => "Lambda",
        ComponentKind::EcsTask => "ECS task",
        ComponentKind::EksCluster => "EKS",
        ComponentKind::NetworkFirewall => "Network Firewall",
        ComponentKind::FirewallPolicy => "policy",
        ComponentKind::FirewallRuleGroup => "rule group",
        other => other.as_str(),
    }
}

/// A check drawn as a badge of a box: a security group or network ACL, or a Network Firewall
/// policy or rule group deciding at the firewall's box (F2, F3: its verdict is the badge's mark).
fn is_filter(h: &Hop) -> bool {
    matches!(
        h.component.kind,
        ComponentKind::SecurityGroup
            | ComponentKind::NetworkAcl
            | ComponentKind::FirewallPolicy
            | ComponentKind::FirewallRuleGroup
    )
}

/// A badge's label: the kind, or for a firewall rule group the group that matched (F2, F3).
fn badge_label(h: &Hop) -> String {
    match h.component.kind {
        ComponentKind::FirewallRuleGroup => cut(&h.component.name, 16),
        k => kind_label(k).to_string(),
    }
}

/// A box of the chain: one main hop and the SG/NACL checks that guard it, as badges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBox {
    pub main: Option<usize>,
    pub badges: Vec<usize>,
    /// A box with no hop of its own: where a flow its badges dropped on the way in was going
    /// (the instance whose security group refused it).
    pub target: Option<Component>,
}

impl ChainBox {
    fn contains(&self, i: usize) -> bool {
        self.main == Some(i) || self.badges.contains(&i)
    }
    fn last(&self) -> usize {
        self.badges.iter().copied().chain(self.main).max().unwrap_or(0)
    }
}

/// Group hops into boxes. A run of SG/NACL checks guards the box after it when that box is where
/// the packet is delivered (ingress), else the box before it (egress). A run that ends the
/// chain goes to `arrival` when given (the box the packet was entering when it was dropped,
/// see [`dropped_arriving_at`]), else to the last box.
pub fn group(hops: &[Hop], arrival: Option<&Component>) -> Vec<ChainBox> {
    let mut boxes: Vec<ChainBox> = Vec::new();
    let mut pending: Vec<usize> = Vec::new();
    for (i, h) in hops.iter().enumerate() {
        if is_filter(h) {
            pending.push(i);
            continue;
        }
        let ingress = matches!(
            h.component.kind,
            ComponentKind::Instance
                | ComponentKind::NetworkInterface
                | ComponentKind::LoadBalancer
                | ComponentKind::VpcEndpoint
                | ComponentKind::Database
                | ComponentKind::LambdaFunction
                | ComponentKind::EcsTask
                | ComponentKind::EksCluster
        ) && !pending.is_empty()
            && i > 0;
        let mut b = ChainBox { main: Some(i), badges: Vec::new(), target: None };
        if ingress || boxes.is_empty() {
            b.badges.append(&mut pending);
        } else if let Some(prev) = boxes.last_mut() {
            prev.badges.append(&mut pending);
        }
        boxes.push(b);
    }
    if !pending.is_empty() {
        match (arrival, boxes.last_mut()) {
            (Some(c), _) => boxes.push(ChainBox { main: None, badges: pending, target: Some(c.clone()) }),
            (None, Some(prev)) => prev.badges.append(&mut pending),
            (None, None) => boxes.push(ChainBox { main: None, badges: pending, target: None }),
        }
    }
    boxes
}

/// Where a flow dropped by a security group on its way in was going: the instance (or, for an
/// interface of no instance, the interface) whose address the packet was addressed to and that
/// the group guards. `None` when the last hop is not such a drop — a group dropping what its
/// own instance sends is drawn on that instance's box already (the box before the check).
pub fn dropped_arriving_at(d: &Design, hops: &[Hop]) -> Option<Component> {
    let h = hops.last().filter(|h| h.action == HopAction::Drop && h.component.kind == ComponentKind::SecurityGroup)?;
    let sg = h.component.id.as_str();
    let guards = |ip: std::net::IpAddr| {
        d.network_interfaces
            .iter()
            .find(|e| e.security_groups.iter().any(|g| g == sg) && e.addresses().any(|a| a == ip))
    };
    // Egress: the check is of what the sender, the last box before it, sends.
    let sender = hops.iter().rev().find(|x| !is_filter(x)).map(|x| x.component.id.as_str());
    if let (Some(src), Some(sender)) = (guards(h.before.src), sender) {
        if src.id == sender || src.instance.as_deref() == Some(sender) {
            return None;
        }
    }
    let eni = guards(h.before.dst)?;
    Some(match eni.instance.as_deref().and_then(|i| d.instance(i)) {
        Some(i) => Component::new(ComponentKind::Instance, i.id.clone(), i.name.clone()),
        None => Component::new(ComponentKind::NetworkInterface, eni.id.clone(), eni.name.clone()),
    })
}

/// Where the flow stopped: (phase, index), for a dropped trace.
pub fn stop_at(r: &TraceResult) -> Option<(Phase, usize)> {
    if r.delivered() {
        return None;
    }
    if r.return_path.last().is_some_and(|h| h.action == HopAction::Drop) {
        return Some((Phase::Return, r.return_path.len() - 1));
    }
    (!r.forward.is_empty()).then(|| (Phase::Forward, r.forward.len() - 1))
}

/// The address change at a NAT hop: `src → src'` (or the destination's on the way back).
fn nat_text(h: &Hop) -> Option<String> {
    if h.before.src != h.after.src {
        Some(format!("{}→{}", h.before.src, h.after.src))
    } else if h.before.dst != h.after.dst {
        Some(format!("dst {}→{}", h.before.dst, h.after.dst))
    } else {
        None
    }
}

/// The chain drawn as lines of boxes, wrapped to `width` columns.
pub fn chain_lines(app: &Screen, tv: &TraceView, width_cols: usize) -> Vec<Line<'static>> {
    let t = &app.theme;
    let hops = tv.hops();
    let cur = tv.anim.index;
    let stop = tv.result.as_ref().and_then(stop_at).filter(|(p, _)| *p == tv.anim.phase).map(|(_, i)| i);
    let arrival = dropped_arriving_at(&app.design, hops);
    let boxes = group(hops, arrival.as_ref());
    let mut rows: Vec<[Vec<Span<'static>>; 3]> = vec![Default::default()];
    let mut x = 0usize;
    for (bi, b) in boxes.iter().enumerate() {
        let main = b.main.and_then(|i| hops.get(i));
        let component = main.map(|h| &h.component).or(b.target.as_ref());
        let kind = ui(app.lang(), component.map_or("checks", |c| kind_label(c.kind)));
        let name = match component {
            Some(c) if c.kind == ComponentKind::Dns => "Route 53 Resolver".to_string(),
            Some(c) => cut(&crate::sim::render::component_name(c, app.lang()), 20),
            None => String::new(),
        };
        let mut badges: Vec<(String, Style)> = Vec::new();
        for &i in &b.badges {
            let Some(h) = hops.get(i) else { continue };
            let label = badge_label(h);
            let (mark, style) = if Some(i) == stop && cur >= i {
                ("✖", t.error())
            } else if i < cur || (i == cur && Some(i) != stop) {
                ("✓", Style::new().fg(t.ok))
            } else {
                ("", t.muted())
            };
            let style = if i == cur { style.add_modifier(Modifier::BOLD | Modifier::REVERSED) } else { style };
            badges.push((format!("{label}{mark}"), style));
        }
        let nat = main.and_then(nat_text);
        let here = b.contains(cur);
        let stopped = stop.is_some_and(|s| b.contains(s) && cur >= s);
        let passed = b.last() < cur;
        let border = if stopped {
            t.error().add_modifier(Modifier::BOLD)
        } else if here {
            Style::new().fg(t.accent).add_modifier(Modifier::BOLD)
        } else if passed {
            Style::new().fg(t.ok)
        } else {
            t.muted()
        };
        let marker = if stopped {
            Span::styled("✖ ", t.error().add_modifier(Modifier::BOLD))
        } else if here {
            Span::styled("● ", Style::new().fg(t.accent).add_modifier(Modifier::BOLD))
        } else {
            Span::raw("  ")
        };
        let badge_w: usize = badges.iter().map(|(s, _)| width(s) + 1).sum();
        let bottom_w = badge_w + nat.as_ref().map_or(0, |n| width(n) + 1);
        let inner = (width(&name) + 3).max(width(&kind) + 2).max(bottom_w + 1).max(6);
        let w = inner + 2;
        let connector = if bi == 0 { 0 } else { 3 };
        if x > 0 && x + connector + w > width_cols {
            rows.push(Default::default());
            x = 0;
        }
        let row = rows.len() - 1;
        let [top, mid, bot] = &mut rows[row];
        if x > 0 {
            top.push(Span::raw("   "));
            mid.push(Span::styled("─▶ ", t.muted()));
            bot.push(Span::raw("   "));
            x += 3;
        } else if bi > 0 {
            top.push(Span::raw("  "));
            mid.push(Span::styled("└▶", t.muted()));
            bot.push(Span::raw("  "));
            x += 2;
        }
        top.push(Span::styled(format!("╭─{}╮", pad(&kind, inner - 1, '─')), border));
        let name_style = if here || stopped { border } else { t.text() };
        mid.push(Span::styled("│", border));
        mid.push(marker);
        mid.push(Span::styled(pad(&name, inner - 2, ' '), name_style));
        mid.push(Span::styled("│", border));
        bot.push(Span::styled("╰─", border));
        let mut used = 1;
        for (s, st) in badges {
            used += width(&s) + 1;
            bot.push(Span::styled(s, st));
            bot.push(Span::styled("─", border));
        }
        if let Some(n) = nat {
            used += width(&n) + 1;
            bot.push(Span::styled(n, Style::new().fg(t.warning)));
            bot.push(Span::styled("─", border));
        }
        bot.push(Span::styled(format!("{}╯", pad("", inner.saturating_sub(used), '─')), border));
        x += w;
    }
    rows.into_iter().flat_map(|r| r.into_iter().map(Line::from)).collect()
}

/// One step of the list: `▶ ① kind name — decision`, the current one reversed, a drop marked.
pub fn step_line(app: &Screen, tv: &TraceView, i: usize, h: &Hop, stop: Option<usize>) -> Line<'static> {
    let (mark, text, style) = step_parts(app, tv, i, h, stop);
    Line::from(vec![Span::styled(mark, style), Span::styled(text, style)])
}

/// One step of the list wrapped to `width` columns (by display width, at spaces where it can):
/// the mark on the first row, the rest of the text indented under it. Nothing is cut.
pub fn step_rows(
    app: &Screen,
    tv: &TraceView,
    i: usize,
    h: &Hop,
    stop: Option<usize>,
    cols: usize,
) -> Vec<Line<'static>> {
    let (mark, text, style) = step_parts(app, tv, i, h, stop);
    let indent = width(mark);
    super::wrap_text(&text, cols.saturating_sub(indent).max(1))
        .into_iter()
        .enumerate()
        .map(|(r, piece)| {
            let lead = if r == 0 { mark.to_string() } else { " ".repeat(indent) };
            Line::from(vec![Span::styled(lead, style), Span::styled(piece, style)])
        })
        .collect()
}

/// The first of `heights` (rows per step) to show in `rows` rows so that step `cur` is in view
/// (at the bottom while there are steps after it, else as many of the last steps as fit).
pub fn first_shown(heights: &[usize], cur: usize, rows: usize) -> usize {
    let back = |end: usize| {
        let mut first = end;
        let mut used = 0;
        while first > 0 && used + heights[first - 1] <= rows {
            used += heights[first - 1];
            first -= 1;
        }
        first
    };
    if heights.is_empty() {
        return 0;
    }
    let cur = cur.min(heights.len() - 1);
    // The current step itself, even when it alone is taller than the list.
    let to_cur = back(cur + 1).min(cur);
    to_cur.min(back(heights.len()))
}

fn step_parts(app: &Screen, tv: &TraceView, i: usize, h: &Hop, stop: Option<usize>) -> (&'static str, String, Style) {
    let t = &app.theme;
    let cur = tv.anim.index;
    let c = &h.component;
    // A lab's blog steps sit beside the hops they cover: "⑤ [2] route table …".
    let blog: String = tv.blog_of(h.step).map(|n| format!(" [{n}]")).collect();
    let lang = app.lang();
    let decision = tv.result.as_ref().map_or_else(|| h.decision.render(lang), |r| decision_text(r, h, lang));
    let name = crate::sim::render::component_name(c, lang);
    let text = format!("{}{blog} {} {name} — {decision}", circled(h.step), ui(lang, kind_label(c.kind)));
    let (mark, style) = if Some(i) == stop && cur >= i {
        ("✖ ", t.error().add_modifier(Modifier::BOLD))
    } else if i == cur {
        ("▶ ", Style::new().fg(t.accent).add_modifier(Modifier::BOLD))
    } else if i < cur {
        ("  ", t.text())
    } else {
        ("  ", t.muted())
    };
    let style = if i == cur { style.add_modifier(Modifier::REVERSED) } else { style };
    (mark, text, style)
}

/// Lines with wide characters (Korean) wider than `cols` columns wrapped by display width,
/// each part in its own style (`super::wrap`); other lines stay as they are (the paragraph's
/// own wrap serves narrow text well).
fn wrap_lines(lines: Vec<Line<'static>>, cols: usize) -> Vec<Line<'static>> {
    let mut out = Vec::with_capacity(lines.len());
    for line in lines {
        let wide = line.spans.iter().any(|s| s.content.chars().count() != s.width());
        if line.width() <= cols || cols == 0 || !wide {
            out.push(line);
            continue;
        }
        out.extend(super::wrap::lines([line], u16::try_from(cols).unwrap_or(u16::MAX)));
    }
    out
}

/// The current step's details and, on a drop, the reason and every fix.
fn detail_lines(app: &Screen, tv: &TraceView) -> Vec<Line<'static>> {
    let t = &app.theme;
    let lang = app.lang();
    let mut out = Vec::new();
    if let Some(h) = tv.current() {
        out.push(Line::from(vec![
            Span::styled(format!("{} ", circled(h.step)), Style::new().fg(t.accent).add_modifier(Modifier::BOLD)),
            Span::styled(crate::sim::render::component_label(&h.component, lang), Style::new().fg(t.accent)),
            Span::styled(format!(" · {} [{}]", crate::sim::render::action_word(h.action, lang), h.rule), t.muted()),
        ]));
        let decision = tv.result.as_ref().map_or_else(|| h.decision.render(lang), |r| decision_text(r, h, lang));
        out.push(Line::styled(decision, t.text()));
        if h.before != h.after {
            out.push(Line::from(vec![
                Span::styled("NAT ", Style::new().fg(t.warning).add_modifier(Modifier::BOLD)),
                Span::styled(format!("{}  ⇒  {}", h.before, h.after), Style::new().fg(t.warning)),
            ]));
        } else {
            out.push(Line::styled(format!("{} {}", ui(lang, "packet"), h.before), t.muted()));
        }
        if let Some(m) = &h.matched {
            let m = m.render(lang);
            out.push(Line::styled(crate::l10n::t(lang, "trace-matched", &[("what", &m)]), t.muted()));
        }
        for b in &h.beaten {
            let b = b.render(lang);
            out.push(Line::styled(crate::l10n::t(lang, "trace-beat", &[("what", &b)]), t.muted()));
        }
    }
    if let Some(r) = &tv.result {
        if !r.delivered() {
            out.push(Line::raw(""));
            let step = r.stop_hop().map(|h| circled(h.step)).unwrap_or_default();
            out.push(Line::styled(
                format!(
                    "✖ {} {step}: {}: {}",
                    ui(lang, "dropped at"),
                    r.code.map_or("?", |c| c.as_str()),
                    match (&r.reason, r.code) {
                        (Some(reason), Some(c)) => crate::sim::render::reason_text(reason, c, lang),
                        (reason, _) => reason.as_ref().map(|x| x.render(lang)).unwrap_or_default(),
                    }
                ),
                t.error().add_modifier(Modifier::BOLD),
            ));
            if !r.blockers.is_empty() {
                out.push(Line::styled(ui(lang, "Fixes:"), t.error()));
                for b in &r.blockers {
                    out.push(Line::from(vec![
                        Span::styled(format!("  {} ", circled(b.step)), t.error()),
                        Span::styled(
                            format!("{}: {}", crate::sim::render::component_label(&b.component, lang), b.fix_in(lang)),
                            t.text(),
                        ),
                    ]));
                }
                out.push(Line::from(vec![
                    Span::styled("Enter", t.key()),
                    Span::styled(format!(" {} ", ui(lang, "on the stop step jumps there; fix it, then")), t.muted()),
                    Span::styled("R", t.key()),
                    Span::styled(format!(" {}", ui(lang, "re-traces.")), t.muted()),
                ]));
            }
        }
    }
    out
}

/// Draw the trace pane.
pub fn render(frame: &mut Frame, area: Rect, app: &Screen, focused: bool) {
    let t = &app.theme;
    let tv = &app.trace_view;
    // The title names the trace shown, of the open design: a request kept from another design
    // (for re-trace) is not shown until it is traced here.
    let subtitle = tv.result.as_ref().and(tv.spec.as_ref()).map(|s| s.label()).unwrap_or_default();
    let block = pane_block(app, Pane::Trace, &subtitle, focused);
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.width < 4 || inner.height < 2 {
        return;
    }
    let lang = app.lang();
    let Some(r) = &tv.result else {
        let lines = vec![Line::from(vec![
            Span::styled(format!("{} ", ui(lang, "No trace yet.")), t.muted()),
            Span::styled("t", t.key()),
            Span::styled(format!(" {} ", ui(lang, "(or")), t.muted()),
            Span::styled("n", t.key()),
            Span::styled(format!(" {} ", ui(lang, "here) picks a source and a destination;")), t.muted()),
            Span::styled("L", t.key()),
            Span::styled(format!(" {}", ui(lang, "opens the guided labs.")), t.muted()),
        ])];
        frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }).style(t.text()), inner);
        return;
    };
    let verdict_style = if r.delivered() {
        Style::new().fg(t.ok).add_modifier(Modifier::BOLD)
    } else {
        t.error().add_modifier(Modifier::BOLD)
    };
    let hops = tv.hops();
    let phase = ui(
        lang,
        match tv.anim.phase {
            Phase::Forward => "forward",
            Phase::Return => "return",
        },
    );
    let step_no = hops.get(tv.anim.index).map(|h| circled(h.step)).unwrap_or_default();
    let state =
        if tv.anim.playing { format!("▶ {}", ui(lang, "playing")) } else { format!("⏸ {}", ui(lang, "paused")) };
    let head = vec![
        Line::from(vec![
            Span::styled(
                format!("{}: {} ({})", ui(lang, "Verdict"), crate::sim::render::verdict_text(r, lang), r.disposition),
                verdict_style,
            ),
            Span::styled(
                format!("  {state} {} · {phase} {step_no} {}/{}", tv.anim.speed_label(), tv.anim.index + 1, hops.len()),
                t.muted(),
            ),
        ]),
        Line::from(super::hint_spans(
            app,
            &[
                ("Space".into(), "play"),
                ("←/→".into(), "step"),
                ("r".into(), "restart"),
                ("+/-".into(), "speed"),
                ("n".into(), "new"),
                ("R".into(), "re-trace"),
                ("Enter".into(), "jump"),
            ],
        )),
    ];
    let side = inner.width >= 110;
    let [head_area, body] = Layout::vertical([Constraint::Length(2), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(head).style(t.text()), head_area);
    let (chain_area, steps_area) = if side {
        let [a, b] = Layout::horizontal([Constraint::Percentage(45), Constraint::Percentage(55)]).areas(body);
        (a, b)
    } else {
        let chain = chain_lines(app, tv, usize::from(body.width));
        let h = (chain.len() as u16).min(body.height / 2).max(3.min(body.height));
        let [a, b] = Layout::vertical([Constraint::Length(h), Constraint::Min(0)]).areas(body);
        (a, b)
    };
    let chain = chain_lines(app, tv, usize::from(chain_area.width));
    frame.render_widget(Paragraph::new(chain).style(t.text()), chain_area);

    // The steps of the phase, the current one kept in view, then the details.
    let stop = tv.result.as_ref().and_then(stop_at).filter(|(p, _)| *p == tv.anim.phase).map(|(_, i)| i);
    let title = ui(
        lang,
        match tv.anim.phase {
            Phase::Forward => "Forward",
            Phase::Return => "Return (second run)",
        },
    );
    // Wrapped here by display width (ratatui's word wrap can put a wide character that ends
    // a row over the pane's border): a Korean sentence takes more rows, never the border.
    let details = wrap_lines(detail_lines(app, tv), usize::from(steps_area.width));
    // Zoomed (or alone on a small terminal) each step is wrapped to the list's width: a long
    // decision takes more rows and is never cut. Beside the other panes the list stays one row
    // per step, an overview (the current step's whole text is in the details under it).
    let steps: Vec<Vec<Line>> = hops
        .iter()
        .enumerate()
        .map(|(i, h)| match app.single {
            true => step_rows(app, tv, i, h, stop, usize::from(steps_area.width)),
            false => vec![step_line(app, tv, i, h, stop)],
        })
        .collect();
    let heights: Vec<usize> = steps.iter().map(Vec::len).collect();
    let needed = heights.iter().sum::<usize>().min(usize::from(u16::MAX)) as u16;
    let avail = steps_area.height.saturating_sub(1);
    let want_steps = needed.min(avail.saturating_sub(avail.min(details.len() as u16 + 1)).max(avail / 2));
    let [title_area, list_area, detail_area] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(want_steps), Constraint::Min(0)]).areas(steps_area);
    frame.render_widget(Paragraph::new(Line::styled(title, Style::new().fg(t.accent))), title_area);
    let first = first_shown(&heights, tv.anim.index, usize::from(list_area.height).max(1));
    let lines: Vec<Line> = steps.into_iter().skip(first).flatten().collect();
    frame.render_widget(Paragraph::new(lines), list_area);
    frame.render_widget(
        Paragraph::new(details).wrap(Wrap { trim: false }).scroll((app.scroll[Pane::Trace.index()], 0)).style(t.text()),
        detail_area,
    );
}

/// Draw the trace picker; returns where its fields and candidates are.
pub fn render_picker(frame: &mut Frame, area: Rect, app: &Screen, p: &TracePicker) -> Vec<(Rect, RowHit)> {
    let t = &app.theme;
    let r = centered(area, 84, 22);
    if r.width < 10 || r.height < 5 {
        return Vec::new();
    }
    super::clear(frame, r);
    let block = Block::bordered()
        .border_type(BorderType::Double)
        .border_style(Style::new().fg(t.popup_border))
        .title(Line::from(Span::styled(crate::l10n::ui(app.lang(), " Trace a packet "), t.title(true))))
        .title_bottom(Line::from(picker_hints(app, usize::from(r.width.saturating_sub(2)))))
        .style(t.popup());
    let inner = block.inner(r);
    frame.render_widget(block, r);
    let mut lines = Vec::new();
    for (i, label) in FIELDS.iter().enumerate() {
        let focused = i == p.field;
        let text = &p.inputs[i].text;
        let style = if focused { t.input() } else { t.text() };
        let label = crate::l10n::ui(app.lang(), label);
        let pad = " ".repeat(9usize.saturating_sub(super::width(&label)));
        let mut spans = vec![
            Span::styled(format!("{pad}{label}: "), if focused { t.title(true) } else { t.muted() }),
            Span::styled(text.clone(), style),
        ];
        if focused {
            spans.push(Span::styled("▏", Style::new().fg(t.accent)));
        }
        lines.push(Line::from(spans));
    }
    // The message or hint is wrapped here by display width, so that the rows it takes are
    // counted (a wrapping paragraph in a one-row area cut it at the popup's border).
    let (note, style) = match &p.message {
        Some(m) => (m.clone(), t.error()),
        None => (
            crate::l10n::ui(
                app.lang(),
                match p.field {
                    0 | 1 => "type to filter: an instance, interface, NAT gateway, endpoint, load balancer, internet, a service name, or an IP",
                    2 => "tcp, udp, icmp or a protocol number",
                    _ => "the destination port (empty for ICMP); Enter traces",
                },
            ),
            t.muted(),
        ),
    };
    lines.extend(super::wrap_text(&note, usize::from(inner.width)).into_iter().map(|l| Line::styled(l, style)));
    let head = lines.len() as u16;
    let [top, list] = Layout::vertical([Constraint::Length(head), Constraint::Min(0)]).areas(inner);
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), top);
    let vis = p.visible();
    let rows = usize::from(list.height).max(1);
    let first = p.selected.saturating_sub(rows - 1);
    let items: Vec<Line> = vis
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(i, c)| {
            if i == p.selected {
                Line::styled(format!("▶ {}", c.shown(app.lang())), t.selection())
            } else {
                Line::styled(format!("  {}", c.shown(app.lang())), t.text())
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(items), list);
    let row = |y: u16| Rect { y, height: 1, ..inner };
    let fields = (0..FIELDS.len().min(usize::from(top.height))).map(|i| (row(top.y + i as u16), RowHit::TraceField(i)));
    let shown = (first..vis.len().min(first + rows)).enumerate();
    fields.chain(shown.map(|(k, i)| (row(list.y + k as u16), RowHit::TraceCandidate(i)))).collect()
}

/// The picker's key hints as fit in `room` columns, the trace key named as the keymap binds
/// it (the status bar names the same key); the least needed hints go first when it is narrow.
fn picker_hints(app: &Screen, room: usize) -> Vec<Span<'static>> {
    use crate::app::keymap::{bindings, Layer};
    use crate::app::msg::Msg;
    use crate::app::trace_view::TraceMsg;
    let run = bindings(Layer::TracePicker)
        .iter()
        .find(|b| b.msg == Msg::TraceView(TraceMsg::PickerRun))
        .and_then(|b| b.keys.first())
        .map(|k| k.label())
        .unwrap_or_default();
    // (key, what, priority: the highest is dropped first)
    let all: [(String, &str, u8); 5] = [
        ("Enter".into(), "take / next / trace", 0),
        ("Tab".into(), "next field", 3),
        ("↑↓".into(), "candidates", 2),
        (run, "trace now", 1),
        ("Esc".into(), "close", 0),
    ];
    for drop in (0..=3u8).rev() {
        let keep: Vec<(String, &str)> = all.iter().filter(|h| h.2 <= drop).map(|h| (h.0.clone(), h.1)).collect();
        let spans = super::hint_spans(app, &keep);
        if drop == 0 || spans.iter().map(|s| super::width(&s.content)).sum::<usize>() <= room {
            return spans;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::first_shown;

    #[test]
    fn the_current_step_stays_in_view_whatever_the_rows_per_step() {
        // One row per step: the current one at the bottom, or the last steps when near the end.
        assert_eq!(first_shown(&[1; 10], 2, 4), 0);
        assert_eq!(first_shown(&[1; 10], 6, 4), 3);
        assert_eq!(first_shown(&[1; 10], 9, 4), 6);
        // Wrapped steps: as many before the current one as fit with it.
        let h = [2, 3, 1, 2, 4, 1];
        assert_eq!(first_shown(&h, 3, 6), 1, "steps 1–3 take the 6 rows");
        assert_eq!(first_shown(&h, 4, 5), 4, "step 4 (4 rows) with the last step after it");
        // A step taller than the list is still shown from its first row.
        assert_eq!(first_shown(&h, 4, 3), 4);
        assert_eq!(first_shown(&[], 0, 5), 0);
    }
}
