//! VPC peering (P1–P8): only active peerings pass traffic, only between the two VPCs.

use crate::model::peering::overlapping_blocks;
use crate::model::PeeringStatus;
use crate::rules::Rule;
use crate::sim::engine::{Block, Flow, Step, Via, Walk};
use crate::sim::fixes::{gateway_prefix_list, peering_state};
use crate::sim::result::{Code, Component, ComponentKind, Disposition, Header, HopAction};

impl Walk<'_, '_> {
    /// A route sends the packet to a peering connection.
    pub(crate) fn peering(&mut self, id: &str, vpc: usize, h: Header) -> Flow {
        let ix = self.ix;
        let here = &ix.d.vpcs[vpc];
        let Some(&p) = ix.pcx_ix.get(id) else {
            return self.deleted_target(ComponentKind::VpcPeering, id, crate::text!("remove the route to {id}"), h);
        };
        let pcx = &ix.d.peerings[p];
        let comp = Component::new(ComponentKind::VpcPeering, pcx.id.clone(), pcx.name.clone());
        let Some(other) = pcx.other_side(&here.id) else {
            let s =
                Step::new(comp, HopAction::Drop, Rule::P4, said!(crate::text!("{id} does not connect {}", here.id)));
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NullRouted,
                    Code::BadStateRoute,
                    said!(crate::text!("route to a peering of {}", here.id)),
                ),
            );
        };
        let Some(&peer) = ix.vpc_ix.get(other) else {
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::P4,
                said!(crate::text!("the VPC on the other side of {id} ({other}) is not in the design")),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::InsufficientInfo,
                    Code::UnknownDestination,
                    said!(crate::text!("add {other} to the design")),
                ),
            );
        };
        let there = &ix.d.vpcs[peer];
        let recorded_active = pcx.status == PeeringStatus::Active;
        if let Some((x, y)) = (recorded_active && ix.pcx_overlap[p]).then(|| overlapping_blocks(here, there)).flatten()
        {
            // P2: AWS never creates a peering between overlapping VPCs; it fails at once, so a
            // route to one a design records as active is a blackhole (one recorded in another
            // state is one already by P1 below).
            let s = Step::new(
                comp,
                HopAction::Drop,
                Rule::P2,
                said!(crate::text!(
                    "{id} joins {} ({x}) and {} ({y}), whose blocks overlap: AWS cannot create it (it fails at once), so the route to it is a blackhole",
                    here.id, there.id
                )),
            );
            return self.stop(
                s,
                h,
                Block::new(
                    Disposition::NullRouted,
                    Code::BadStateRoute,
                    crate::text!("re-address one VPC, or connect them with PrivateLink, which tolerates overlap"),
                ),
            );
        }
        if pcx.status != PeeringStatus::Active {
            // P1, P4, R6: a route to a peering that is not active is a blackhole.
            let s = Step::new(
                comp.clone(),
                HopAction::Drop,
                Rule::P1,
                said!(crate::text!("{id} is {}, not active, so the route to it is a blackhole", pcx.status)),
            );
            self.block(
                s,
                h,
                Block::new(Disposition::NullRouted, Code::BadStateRoute, said!(peering_state(id, pcx.status))),
            );
            if !matches!(
                pcx.status,
                PeeringStatus::PendingAcceptance | PeeringStatus::Provisioning | PeeringStatus::InitiatingRequest
            ) {
                return None;
            }
        }
        if !there.contains_addr(h.dst) || !here.contains_addr(h.src) {
            // P5, P6, G4: non-transitive; the peer's gateways are not ours to use.
            let (rule, why) = if !there.contains_addr(h.dst) {
                if gateway_prefix_list(ix, peer, h.dst).is_some() {
                    (
                        Rule::G4,
                        said!(crate::text!(
                            "{} is not in {}: a peering never reaches the peer's gateway endpoint (G4, P6)",
                            h.dst,
                            there.id
                        )),
                    )
                } else if ix.vpc_igw[peer].is_some() || !ix.vpc_nats[peer].is_empty() {
                    (Rule::P6, said!(crate::text!("{} is not in {}: a peering never reaches the peer's internet or NAT gateway (no edge-to-edge routing, P6)", h.dst, there.id)))
                } else {
                    (Rule::P5, said!(crate::text!("{} is not in {}: peering is not transitive", h.dst, there.id)))
                }
            } else {
                (Rule::P5, said!(crate::text!("the source {} is not in {}: peering is not transitive", h.src, here.id)))
            };
            let s = Step::new(comp, HopAction::Drop, rule, why);
            let fix = if rule == Rule::P5 {
                crate::text!("peer the two VPCs directly, or connect them through a transit gateway")
            } else {
                crate::text!("give {} its own internet access or endpoint", here.id)
            };
            return self.stop(s, h, Block::new(Disposition::NoRoute, Code::PcxRequiresAddressInVpcCidr, fix));
        }
        let cross_region = here.region != there.region;
        let (from, to) = (&here.id, &there.id);
        let said = if cross_region {
            let (r1, r2) = (&here.region, &there.region);
            crate::text!(
                "{id} carries the packet from {from} to {to}; it crosses Regions ({r1} → {r2}), so security group references to the other side do not apply (P7)"
            )
        } else {
            crate::text!("{id} carries the packet from {from} to {to}")
        };
        let s = Step::new(comp, HopAction::Forward, Rule::P4, said!(said));
        self.pass(s, h, h);
        self.via = Via::Peering { cross_region };
        self.arrive_local(peer, h, None)
    }
}
