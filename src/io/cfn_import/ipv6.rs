//! IPv6 in CloudFormation templates (issue 14): `AWS::EC2::VPCCidrBlock` with an
//! Amazon-provided, BYOIP or IPAM block, subnets' `Ipv6CidrBlock` written literally or in the
//! usual idiom `!Select [n, !Cidr [!Select [0, !GetAtt VPC.Ipv6CidrBlocks], 256, 64]]`,
//! `AWS::EC2::SubnetCidrBlock`, IPv6-only subnets and their DNS options.
//!
//! AWS picks an Amazon-provided /56 at deployment, so the template cannot know it: the block
//! becomes the design's stable stand-in (`Design::placeholder_ipv6_block`) and a subnet's
//! slot in it is kept, which is what the idiom expresses.

use super::values::{b, p, s};
use super::Cx;
use crate::io::cfn::markers::{marker, Marker, UNRESOLVED};
use crate::l10n::AsText;
use crate::model::*;
use crate::net;
use ipnet::{IpNet, Ipv6Net};
use serde_json::Value;
use std::collections::HashMap;

/// The IPv6 blocks the template's `AWS::EC2::VPCCidrBlock` resources made, by logical id.
pub type Blocks = HashMap<String, Ipv6Net>;

/// A list of IPv6 blocks as a template value stands for it.
enum List {
    /// The blocks themselves (a VPC's `Ipv6CidrBlocks`, or a literal list).
    Blocks(Vec<Ipv6Net>),
    /// `Fn::Cidr [block, count, bits]`: `count` blocks of `/(128 - bits)` from the start of `block`.
    Cidr { block: Ipv6Net, count: u128, prefix: u8 },
}

impl List {
    fn get(&self, i: u128) -> Option<Ipv6Net> {
        match self {
            List::Blocks(v) => v.get(usize::try_from(i).ok()?).copied(),
            List::Cidr { block, count, prefix } => {
                if i >= *count {
                    return None;
                }
                match net::subnet_by_index(IpNet::V6(*block), *prefix, i).ok()? {
                    IpNet::V6(c) => Some(c),
                    IpNet::V4(_) => None,
                }
            }
        }
    }
}

/// The one intrinsic an `$unresolved` marker holds: its name and arguments.
fn unresolved(v: &Value) -> Option<(&str, &[Value])> {
    let (name, args) = v.get(UNRESOLVED)?.as_object()?.iter().next()?;
    Some((name.as_str(), args.as_array()?.as_slice()))
}

fn index(v: &Value) -> Option<u128> {
    match v {
        Value::Number(n) => n.as_u64().map(u128::from),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

impl Cx<'_> {
    /// The IPv6 blocks of the VPC a logical id names.
    fn vpc_blocks(&self, logical: &str) -> Vec<Ipv6Net> {
        self.d.vpc(&self.id(logical)).map(|v| v.ipv6_cidrs().collect()).unwrap_or_default()
    }

    fn ipv6_list(&self, v: &Value, blocks: &Blocks) -> Option<List> {
        if let Some(Marker::GetAtt(res, "Ipv6CidrBlocks")) = marker(v) {
            return Some(List::Blocks(self.vpc_blocks(res)));
        }
        if let Some(a) = v.as_array() {
            return a.iter().map(|x| self.ipv6_block(x, blocks)).collect::<Option<Vec<_>>>().map(List::Blocks);
        }
        let (name, args) = unresolved(v)?;
        match (name, args) {
            ("Fn::Cidr", [block, count, bits]) => {
                let block = self.ipv6_block(block, blocks)?;
                let bits = u8::try_from(index(bits)?).ok().filter(|b| (1..=128).contains(b))?;
                let prefix = 128 - bits;
                if prefix < block.prefix_len() {
                    return None;
                }
                let count = index(count)?.min(net::Ipv6Plan::slot_count(block, prefix));
                Some(List::Cidr { block, count, prefix })
            }
            _ => None,
        }
    }

    /// One IPv6 block a template value stands for: a literal, a `VPCCidrBlock`'s
    /// `Ipv6CidrBlock`, or an element of a list picked by `Fn::Select`.
    pub fn ipv6_block(&self, v: &Value, blocks: &Blocks) -> Option<Ipv6Net> {
        if let Some(t) = v.as_str() {
            return net::parse_ipv6_cidr(t).ok().map(|c| c.cidr);
        }
        if let Some(Marker::GetAtt(res, "Ipv6CidrBlock")) = marker(v) {
            return blocks.get(res).copied();
        }
        let (name, args) = unresolved(v)?;
        match (name, args) {
            ("Fn::Select", [i, list]) => self.ipv6_list(list, blocks)?.get(index(i)?),
            _ => None,
        }
    }

    /// A7: `AWS::EC2::VPCCidrBlock` resources asking for IPv6: an Amazon-provided /56 (a
    /// stand-in: AWS picks it), a BYOIP block from a pool, or an IPAM allocation with its CIDR.
    pub fn ipv6_vpc_blocks(&mut self) -> Blocks {
        let mut out = Blocks::new();
        for r in self.of_type("AWS::EC2::VPCCidrBlock") {
            let props = &r.properties;
            let amazon = b(props, "AmazonProvidedIpv6CidrBlock") == Some(true);
            let cidr = s(props, "Ipv6CidrBlock").map(net::parse_ipv6_cidr);
            let pool = match (s(props, "Ipv6Pool"), s(props, "Ipv6IpamPoolId")) {
                (Some(pool), _) => Ipv6Pool::Byoip(pool.to_string()),
                (None, Some(pool)) => Ipv6Pool::Ipam(pool.to_string()),
                (None, None) => Ipv6Pool::Amazon,
            };
            if !amazon && cidr.is_none() && pool.is_amazon() {
                continue; // an IPv4 block, read by the caller
            }
            let Some(vpc) = self.resolve(p(props, "VpcId"), ResourceKind::Vpc, &r.logical_id) else { continue };
            let cidr = match cidr {
                Some(Ok(c)) => Some(c.cidr),
                Some(Err(e)) => {
                    self.report.error(
                        "",
                        &r.logical_id,
                        crate::text!("line {}, column {}: Ipv6CidrBlock: {e}; skipped", r.line, r.column),
                    );
                    continue;
                }
                None if !pool.is_amazon() => {
                    self.report.warn(
                        "",
                        &r.logical_id,
                        crate::text!("an IPAM or BYOIP IPv6 block without its Ipv6CidrBlock: AWS picks it at deployment; skipped (A7)"),
                    );
                    continue;
                }
                None => None,
            };
            match self.d.add_vpc_ipv6_block(&vpc, cidr, pool) {
                Ok(c) => {
                    out.insert(r.logical_id.clone(), c);
                }
                Err(e) => self.report.error(
                    "",
                    &r.logical_id,
                    crate::text!("IPv6 block not added: {e}").with("e", e.as_text()),
                ),
            }
        }
        out
    }

    /// A subnet's IPv6 properties: its block (A7), `Ipv6Native`, `AssignIpv6AddressOnCreation`,
    /// `EnableDns64` and `PrivateDnsNameOptionsOnLaunch`.
    pub fn ipv6_subnet_props(&mut self, sn: &mut Subnet, r: &crate::io::cfn::EvaluatedResource, blocks: &Blocks) {
        let props = &r.properties;
        let v = p(props, "Ipv6CidrBlock");
        if !v.is_null() {
            match self.ipv6_block(v, blocks) {
                Some(c) => sn.ipv6_cidr = Some(c),
                None => self.report.warn(
                    "",
                    &r.logical_id,
                    crate::text!(
                        "Ipv6CidrBlock is neither a literal IPv6 CIDR nor a slot of the VPC's IPv6 block: left out"
                    ),
                ),
            }
        }
        if let Some(x) = b(props, "AssignIpv6AddressOnCreation") {
            sn.assign_ipv6_address_on_creation = x;
        }
        sn.enable_dns64 = b(props, "EnableDns64").unwrap_or(false);
        let dns = p(props, "PrivateDnsNameOptionsOnLaunch");
        match s(dns, "HostnameType") {
            Some("resource-name") => sn.hostname_type = HostnameType::ResourceName,
            Some("ip-name") => sn.hostname_type = HostnameType::IpName,
            _ => {}
        }
        if let Some(x) = b(dns, "EnableResourceNameDnsARecord") {
            sn.resource_name_dns_a_record = x;
        }
        if let Some(x) = b(dns, "EnableResourceNameDnsAAAARecord") {
            sn.resource_name_dns_aaaa_record = x;
        }
    }

    /// `AWS::EC2::SubnetCidrBlock`: an IPv6 block associated with a subnet after its creation.
    pub fn ipv6_subnet_blocks(&mut self, blocks: &Blocks) {
        for r in self.of_type("AWS::EC2::SubnetCidrBlock") {
            let Some(subnet) = self.subnet_ref(p(&r.properties, "SubnetId"), None, &r.logical_id) else { continue };
            let Some(c) = self.ipv6_block(p(&r.properties, "Ipv6CidrBlock"), blocks) else {
                self.report.warn("", &r.logical_id, crate::text!("no usable Ipv6CidrBlock: skipped"));
                continue;
            };
            if let Err(e) = self.d.set_subnet_ipv6(&subnet, Some(c)) {
                self.report.error(
                    "",
                    &r.logical_id,
                    crate::text!("IPv6 block not associated: {e}").with("e", e.as_text()),
                );
            }
        }
    }

    /// A7: the IPv6 addresses of an interface: `Ipv6Addresses` as written, or
    /// `Ipv6AddressCount` (or the subnet's `AssignIpv6AddressOnCreation`) taken from the free
    /// ones after the four reserved.
    pub fn ipv6_addresses(&mut self, e: &mut NetworkInterface, props: &Value, from: &str) {
        let Some(sn) = self.d.subnet(&e.subnet) else { return };
        let Some(block) = sn.ipv6_cidr else { return };
        let auto = sn.assign_ipv6_address_on_creation;
        let mut taken: Vec<std::net::Ipv6Addr> = self
            .d
            .network_interfaces
            .iter()
            .filter(|x| x.subnet == e.subnet)
            .flat_map(|x| x.ipv6_addresses.clone())
            .collect();
        for a in super::values::list(props, "Ipv6Addresses") {
            let Some(text) = s(a, "Ipv6Address") else { continue };
            match net::parse_ipv6(text) {
                Ok(x) if block.contains(&x) && !net::is_ipv6_reserved(block, x) => {
                    e.ipv6_addresses.push(x);
                    taken.push(x);
                }
                Ok(x) => {
                    self.report.warn("", from, crate::text!("{x} is not a usable address of {block} (A7): skipped"))
                }
                Err(err) => self.report.warn("", from, crate::text!("Ipv6Addresses: {err}").with("err", err.as_text())),
            }
        }
        let count = super::values::n(props, "Ipv6AddressCount")
            .map(|c| c.clamp(0, 10))
            .unwrap_or(i64::from(auto && e.ipv6_addresses.is_empty()));
        for _ in 0..count {
            match net::first_free_ipv6(block, &taken) {
                Some(x) => {
                    e.ipv6_addresses.push(x);
                    taken.push(x);
                    e.placeholder = true;
                }
                None => self.report.warn("", from, crate::text!("{block} has no free IPv6 address")),
            }
        }
    }
}
