//! The planner's IPv6 view (issue 14): a VPC's IPv6 blocks as grids of slots, a /56 as its
//! 256 /64s (A7), which subnet holds each, and the free ones; `n` on a free /64 opens the
//! subnet form with it chosen. The plan and the maps are `net::Ipv6Plan`'s.

use super::PlannerMsg;
use crate::app::forms::{kinds, Context, Form, FormTarget};
use crate::app::msg::Handled;
use crate::app::{App, Popup};
use crate::model::{Design, Vpc};
use crate::net::{self, SlotState};
use ipnet::Ipv6Net;

/// One slot of the view: the cell, its state, and the subnet that holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    /// The VPC block it is in.
    pub block: Ipv6Net,
    /// Its number in the block (`cidrsubnet(block, n, index)`).
    pub index: usize,
    pub cidr: Ipv6Net,
    pub state: SlotState,
    /// The subnet whose IPv6 block is or holds this cell.
    pub subnet: Option<String>,
}

/// Every slot of a VPC's IPv6 blocks, block after block, and why there are none. Linear in
/// the cells (256 a block) and the VPC's subnets.
pub fn slots(d: &Design, vpc: &Vpc) -> Slots {
    if vpc.ipv6_cidr_blocks.is_empty() {
        let name = &vpc.name;
        return Err(crate::text!(
            "{name} has no IPv6 block: edit the VPC (e) and add one, e.g. amazon for an Amazon-provided /56 (A7)"
        ));
    }
    let plan = d.ipv6_plan(&vpc.id).map_err(|e| crate::l10n::Text::from(e.to_string()))?;
    let mut held: Vec<(Ipv6Net, &str)> =
        d.vpc_subnets(&vpc.id).filter_map(|s| Some((s.ipv6_cidr?, s.id.as_str()))).collect();
    held.sort_by_key(|(c, _)| u128::from(c.network()));
    let mut out = Vec::new();
    for b in plan.blocks() {
        let map = plan.map(*b);
        for index in 0..map.cells.len() {
            let Some((cidr, state)) = map.cell(index) else { continue };
            // The subnet holding the cell, by a binary search over the sorted subnet blocks.
            let at = held.partition_point(|(c, _)| u128::from(c.broadcast()) < u128::from(cidr.network()));
            let subnet = held
                .get(at)
                .filter(|(c, _)| net::overlaps6(*c, cidr) && state != SlotState::Free)
                .map(|(_, id)| id.to_string());
            out.push(Slot { block: *b, index, cidr, state, subnet });
        }
    }
    Ok(out)
}

/// The slots of a VPC, or why it has none.
pub type Slots = Result<Vec<Slot>, crate::l10n::Text>;

/// The slots of the planner's VPC and the cursor clamped to them.
pub fn view(app: &App) -> Option<(&Vpc, Slots, usize)> {
    let vpc = super::current_vpc(app)?;
    let s = slots(&app.design, vpc);
    let n = s.as_ref().map_or(0, Vec::len);
    Some((vpc, s, app.planner.cursor6.min(n.saturating_sub(1))))
}

/// Apply a planner message in the IPv6 view; `None` for the messages both views share.
pub fn update(app: &mut App, m: PlannerMsg) -> Option<Handled> {
    let (vpc, slots, cur) = view(app)?;
    let vpc = vpc.clone();
    let slots = match slots {
        Ok(s) => s,
        Err(e) => {
            return match m {
                PlannerMsg::Carve | PlannerMsg::Split | PlannerMsg::Join | PlannerMsg::Resize => {
                    app.error(e.render(app.lang()));
                    Some(Handled::Yes)
                }
                _ => None,
            }
        }
    };
    let last = slots.len().saturating_sub(1);
    let slot = slots.get(cur).cloned();
    let row = 16;
    match m {
        PlannerMsg::Prev => app.planner.cursor6 = cur.saturating_sub(1),
        PlannerMsg::Next => app.planner.cursor6 = (cur + 1).min(last),
        PlannerMsg::First => app.planner.cursor6 = 0,
        PlannerMsg::Last => app.planner.cursor6 = last,
        PlannerMsg::PageUp => app.planner.cursor6 = cur.saturating_sub(row),
        PlannerMsg::PageDown => app.planner.cursor6 = (cur + row).min(last),
        PlannerMsg::Carve => match slot {
            Some(s) if s.state == SlotState::Free => open_subnet_form(app, &vpc, s.cidr),
            Some(s) => app.error(format!("{} is used: select a free /64 (dimmed) to create a subnet in", s.cidr)),
            None => app.error("nothing selected"),
        },
        PlannerMsg::Activate => match slot.and_then(|s| s.subnet) {
            Some(id) => {
                app.select_resource(&id);
                app.info(format!("selected {id} in the tree"));
            }
            None => app.info("a free /64: n creates a subnet in it"),
        },
        PlannerMsg::Split | PlannerMsg::Join | PlannerMsg::Resize => app.error(crate::l10n::ui(
            app.lang(),
            "a subnet's IPv6 block is always a /64 (A7): split, join and resize are in the IPv4 view (6)",
        )),
        // A tier × AZ layout: dual-stack by default, its /64s next to its IPv4 blocks.
        PlannerMsg::Layout => super::forms::open_layout(app, &vpc),
        _ => return None,
    }
    Some(Handled::Yes)
}

/// The subnet form with this /64 chosen and the VPC's next free IPv4 block (dual-stack; clear
/// it for an IPv6-only subnet).
fn open_subnet_form(app: &mut App, vpc: &Vpc, cidr: Ipv6Net) {
    // A /64 of a wider block's group: its first /64.
    let cidr = match net::subnet_by_index(cidr.into(), net::ipv6::SUBNET_PREFIX, 0) {
        Ok(ipnet::IpNet::V6(c)) => c,
        _ => cidr,
    };
    let ctx =
        Context { vpc: Some(vpc.id.clone()), region: vpc.region.clone(), block6: Some(cidr), ..Context::default() };
    match Form::open(&kinds::SUBNET, &app.design, FormTarget::New, &ctx) {
        Ok(mut form) => {
            form.title = format!("New subnet in {cidr}");
            app.set_popup(Popup::Form(form));
        }
        Err(e) => app.error(e),
    }
}
