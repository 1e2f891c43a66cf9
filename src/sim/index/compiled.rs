//! The parts of a design's index that do not depend on its interfaces' addresses: the
//! compiled route tables, network ACLs and transit gateway tables, the catalog's lookups and
//! the VPCs' blocks, apart from the address maps of
//! [`TraceIndex::with_catalog`](super::TraceIndex::with_catalog).

use super::{ids, HashMap, TgwEntry};
use crate::model::{Design, ServiceCatalog, TgwAttachmentKind};
use crate::net::PrefixTable;
use crate::sim::filters::nacl_order;
use crate::sim::routing::CompiledTable;
use ipnet::{IpNet, Ipv4Net, Ipv6Net};

/// See [`super::TraceIndex`] for each field.
pub(super) struct Compiled<'a> {
    pub eni_ix: HashMap<&'a str, usize>,
    pub pcx_overlap: Vec<bool>,
    pub tables: Vec<CompiledTable>,
    pub edge_rt: HashMap<&'a str, usize>,
    pub acl_in: Vec<Vec<usize>>,
    pub acl_out: Vec<Vec<usize>>,
    pub tgw_tables: Vec<PrefixTable<Option<usize>>>,
    pub service_prefixes: PrefixTable<usize>,
    pub vpc_blocks: HashMap<u32, Vec<(Ipv4Net, usize)>>,
    pub wide_vpcs: Vec<(Ipv4Net, usize)>,
    pub vpc_blocks6: HashMap<u128, Vec<(Ipv6Net, usize)>>,
    pub wide_vpcs6: Vec<(Ipv6Net, usize)>,
    pub service_by_dns: HashMap<&'a str, usize>,
    pub service_by_name: HashMap<&'a str, usize>,
    pub pl_cidrs: HashMap<&'a str, Vec<IpNet>>,
    pub edge_refused: HashMap<&'a str, (usize, crate::l10n::Text)>,
}

impl<'a> Compiled<'a> {
    pub fn new(d: &'a Design, cat: &'a ServiceCatalog) -> Compiled<'a> {
        let vpc_ix = ids(&d.vpcs, |x| &x.id);
        let vpn_ix = ids(&d.vpn_connections, |x| &x.id);
        let eni_ix = ids(&d.network_interfaces, |x| &x.id);
        let attach_ix = ids(&d.tgw_attachments, |x| &x.id);
        let pcx_overlap = d
            .peerings
            .iter()
            .map(|p| match (vpc_ix.get(p.requester_vpc.as_str()), vpc_ix.get(p.accepter_vpc.as_str())) {
                (Some(&a), Some(&b)) => {
                    a != b && crate::model::peering::overlapping_blocks(&d.vpcs[a], &d.vpcs[b]).is_some()
                }
                _ => false,
            })
            .collect();
        let pl_cidrs = |pl: &str| d.prefix_list_cidrs(pl, cat);
        let tables: Vec<CompiledTable> =
            d.route_tables.iter().map(|rt| CompiledTable::new(d.effective_routes(rt), pl_cidrs)).collect();
        let mut edge_rt = HashMap::default();
        for (i, rt) in d.route_tables.iter().enumerate() {
            for g in &rt.gateways {
                edge_rt.entry(g.as_str()).or_insert(i);
            }
        }
        let acl_in = d.network_acls.iter().map(|a| nacl_order(a, false)).collect();
        let acl_out = d.network_acls.iter().map(|a| nacl_order(a, true)).collect();

        let tgw_tables = d
            .tgw_route_tables
            .iter()
            .map(|rt| {
                let mut v: Vec<TgwEntry> = rt
                    .static_routes
                    .iter()
                    .map(|r| TgwEntry {
                        net: r.cidr.trunc(),
                        attachment: r.attachment.as_deref().and_then(|a| attach_ix.get(a).copied()),
                        rank: 0,
                    })
                    .collect();
                for p in &rt.propagations {
                    let Some(&ai) = attach_ix.get(p.as_str()) else { continue };
                    match &d.tgw_attachments[ai].kind {
                        TgwAttachmentKind::Vpc { vpc, .. } => {
                            let Some(&vi) = vpc_ix.get(vpc.as_str()) else { continue };
                            // IPv6 blocks propagate only from an attachment with IPv6 support.
                            let v6 = d.tgw_attachments[ai].ipv6_support;
                            for c in d.vpcs[vi].all_cidrs().filter(|c| v6 || matches!(c, IpNet::V4(_))) {
                                // T4: an identical CIDR already propagated is not propagated again.
                                if !v.iter().any(|e| e.rank > 0 && e.net == c) {
                                    v.push(TgwEntry { net: c, attachment: Some(ai), rank: 2 });
                                }
                            }
                        }
                        TgwAttachmentKind::Vpn { vpn } => {
                            if let Some(&c) = vpn_ix.get(vpn.as_str()) {
                                for net in &d.vpn_connections[c].routes {
                                    v.push(TgwEntry { net: IpNet::V4(net.trunc()), attachment: Some(ai), rank: 5 });
                                }
                            }
                        }
                        // T5: peering attachments carry static routes only.
                        TgwAttachmentKind::Peering { .. } => {}
                    }
                }
                // T4: longest prefix, then static > VPC-propagated > VPN-propagated.
                PrefixTable::new(v.into_iter().map(|e| (e.net, e.rank, e.attachment)))
            })
            .collect();
        // The most specific prefix wins; on a tie, gateway services (precise prefixes) first,
        // then the catalog's order.
        let service_prefixes = PrefixTable::new(
            cat.entries()
                .iter()
                .enumerate()
                .flat_map(|(i, e)| e.prefixes.iter().map(move |p| (IpNet::V4(*p), u8::from(!e.gateway_endpoint), i))),
        );
        // A1: VPC CIDRs are /16 or longer, so each sits in one /16 block.
        let mut vpc_blocks: HashMap<u32, Vec<(Ipv4Net, usize)>> = HashMap::default();
        let mut wide_vpcs = Vec::new();
        for (i, v) in d.vpcs.iter().enumerate() {
            for c in v.cidrs() {
                if c.prefix_len() >= 16 {
                    vpc_blocks.entry(u32::from(c.network()) >> 16).or_default().push((c, i));
                } else {
                    wide_vpcs.push((c, i));
                }
            }
        }
        let mut vpc_blocks6: HashMap<u128, Vec<(Ipv6Net, usize)>> = HashMap::default();
        let mut wide_vpcs6 = Vec::new();
        for (i, v) in d.vpcs.iter().enumerate() {
            for c in v.ipv6_cidrs() {
                if c.prefix_len() >= 44 {
                    vpc_blocks6.entry(u128::from(c.network()) >> 84).or_default().push((c, i));
                } else {
                    wide_vpcs6.push((c, i));
                }
            }
        }
        let mut service_by_dns = HashMap::default();
        let mut service_by_name = HashMap::default();
        for (i, e) in cat.entries().iter().enumerate() {
            service_by_dns.entry(e.dns_name.as_str()).or_insert(i);
            if let Some(n) = e.dualstack_dns_name.as_deref() {
                service_by_dns.entry(n).or_insert(i);
            }
            service_by_name.entry(e.service_name.as_str()).or_insert(i);
        }

        let mut pl_cidrs: HashMap<&'a str, Vec<IpNet>> = HashMap::default();
        for e in cat.entries() {
            if let Some(pl) = e.prefix_list_id.as_deref() {
                pl_cidrs.insert(pl, e.prefixes.iter().map(|&p| IpNet::V4(p)).collect());
            }
        }
        for pl in &d.prefix_lists {
            pl_cidrs.insert(pl.id.as_str(), pl.cidrs.clone());
        }
        let edge_refused: HashMap<&'a str, (usize, crate::l10n::Text)> =
            d.refused_edge_tables().into_iter().map(|(g, rt, why)| (g, (rt, why))).collect();
        Compiled {
            eni_ix,
            pcx_overlap,
            tables,
            edge_rt,
            acl_in,
            acl_out,
            tgw_tables,
            service_prefixes,
            vpc_blocks,
            wide_vpcs,
            vpc_blocks6,
            wide_vpcs6,
            service_by_dns,
            service_by_name,
            pl_cidrs,
            edge_refused,
        }
    }
}
