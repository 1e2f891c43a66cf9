//! The IPv6 address planner (A7): a VPC's IPv6 blocks seen as numbered subnet slots — a /56 is
//! 256 /64s, numbered 0x00–0xff as `cidrsubnet(block, 8, n)` counts them — which are used,
//! which are free, carving by index, and tier × AZ layouts that put a /64 beside each IPv4
//! subnet of a layout.
//!
//! Subnets are kept sorted by address, and every question is answered by walking them once, so
//! the cost grows with the number of subnets, never with the 2^64 addresses of a slot.

use super::ipv6::{
    check_subnet_ipv6, first_overlap, index_in_block, is_subnet_ipv6_size, overlaps6, subnet_by_index, Ipv6BlockError,
};
use ipnet::{IpNet, Ipv6Net};
use std::fmt;

/// Why an IPv6 plan was refused. `Display` gives one sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Plan6Error {
    /// The VPC has no IPv6 block.
    NoBlock,
    /// A block or subnet breaks a rule of A7.
    Block(Ipv6BlockError),
    /// The prefix asked for is not a subnet size (/44–/64 in steps of 4) or is wider than a block.
    BadSize {
        /// The prefix asked for.
        prefix_len: u8,
    },
    /// The slot number is past the end of the block.
    NoSuchSlot {
        /// The block.
        block: Ipv6Net,
        /// Slots of this size in it.
        slots: u128,
        /// The number asked for.
        index: u128,
    },
    /// No free slot of that size is left.
    Full {
        /// The prefix asked for.
        prefix_len: u8,
    },
    /// A layout needs tiers and zones.
    EmptyLayout,
}

impl fmt::Display for Plan6Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Plan6Error::NoBlock => write!(f, "the VPC has no IPv6 block: add one first (an Amazon-provided /56, A7)"),
            Plan6Error::Block(e) => write!(f, "{e}"),
            Plan6Error::BadSize { prefix_len } => {
                write!(f, "/{prefix_len} is not an IPv6 subnet size here: use /64 (or /44 to /60 in steps of 4) (A7)")
            }
            Plan6Error::NoSuchSlot { block, slots, index } => {
                write!(
                    f,
                    "{block} has {slots} slots numbered 0 to {}; there is no slot {index}",
                    slots.saturating_sub(1)
                )
            }
            Plan6Error::Full { prefix_len } => write!(f, "no free /{prefix_len} is left in the VPC's IPv6 blocks"),
            Plan6Error::EmptyLayout => write!(f, "a layout needs at least one tier and one Availability Zone"),
        }
    }
}

impl std::error::Error for Plan6Error {}

/// One cell of a block's map: a slot, or for a block wider than 256 slots a group of them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SlotState {
    /// Nothing allocated in it.
    Free,
    /// Wholly one subnet (or inside one).
    Used,
    /// Partly allocated (a group holding some subnets).
    Partial,
}

/// The map of one block: 2^k cells (k ≤ 8) of `/cell_prefix` each.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BlockMap {
    /// The block.
    pub block: Ipv6Net,
    /// The prefix of each cell: /64 for a /56, wider for a wider block.
    pub cell_prefix: u8,
    /// The cells in address order.
    pub cells: Vec<SlotState>,
}

impl BlockMap {
    /// The cell at `index`.
    pub fn cell(&self, index: usize) -> Option<(Ipv6Net, SlotState)> {
        let state = *self.cells.get(index)?;
        let IpNet::V6(c) = subnet_by_index(IpNet::V6(self.block), self.cell_prefix, index as u128).ok()? else {
            return None;
        };
        Some((c, state))
    }
}

/// One subnet of an IPv6 layout.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ipv6LayoutRow {
    /// Tier name.
    pub tier: String,
    /// Availability Zone.
    pub az: String,
    /// The subnet's IPv6 block.
    pub cidr: Ipv6Net,
    /// Its slot number in its VPC block (`cidrsubnet(block, 8, n)` for a /64 in a /56).
    pub index: u128,
}

/// A VPC's IPv6 space: its blocks and its subnets' IPv6 blocks.
#[derive(Clone, Debug)]
pub struct Ipv6Plan {
    blocks: Vec<Ipv6Net>,
    /// Sorted by address, disjoint.
    used: Vec<Ipv6Net>,
}

impl Ipv6Plan {
    /// Build the plan, checking that every subnet block is a valid size inside one VPC block and
    /// that none overlap (A5, A7). O(n log n).
    pub fn new(blocks: &[Ipv6Net], subnets: &[Ipv6Net]) -> Result<Ipv6Plan, Plan6Error> {
        if blocks.is_empty() {
            return Err(Plan6Error::NoBlock);
        }
        let blocks: Vec<Ipv6Net> = blocks.iter().map(|b| b.trunc()).collect();
        if let Some((a, b)) = first_overlap(&blocks) {
            return Err(Plan6Error::Block(Ipv6BlockError::Overlap { cidr: a, existing: b }));
        }
        let mut used: Vec<Ipv6Net> = subnets.iter().map(|s| s.trunc()).collect();
        used.sort_by_key(|s| (u128::from(s.network()), s.prefix_len()));
        for s in &used {
            check_subnet_ipv6(&blocks, &[], *s).map_err(Plan6Error::Block)?;
        }
        if let Some((a, b)) = first_overlap(&used) {
            return Err(Plan6Error::Block(Ipv6BlockError::Overlap { cidr: a, existing: b }));
        }
        Ok(Ipv6Plan { blocks, used })
    }

    /// The VPC's blocks, in the order given.
    pub fn blocks(&self) -> &[Ipv6Net] {
        &self.blocks
    }

    /// The subnets' blocks, sorted by address.
    pub fn used(&self) -> &[Ipv6Net] {
        &self.used
    }

    /// How many `/prefix_len` slots a block holds (256 /64s in a /56).
    pub fn slot_count(block: Ipv6Net, prefix_len: u8) -> u128 {
        let bits = u32::from(prefix_len.saturating_sub(block.prefix_len()));
        1u128.checked_shl(bits).unwrap_or(u128::MAX)
    }

    /// /64 slots in all blocks, and how many are taken by subnets.
    pub fn totals(&self) -> (u128, u128) {
        let total = self.blocks.iter().map(|b| Self::slot_count(*b, 64)).fold(0u128, u128::saturating_add);
        let used = self.used.iter().map(|s| Self::slot_count(*s, 64)).fold(0u128, u128::saturating_add);
        (total, used)
    }

    /// The subnet at slot `index` of `block` (`cidrsubnet`), refusing a slot that is taken.
    pub fn carve(&self, block: Ipv6Net, prefix_len: u8, index: u128) -> Result<Ipv6Net, Plan6Error> {
        if !is_subnet_ipv6_size(prefix_len) || prefix_len < block.prefix_len() {
            return Err(Plan6Error::BadSize { prefix_len });
        }
        let slots = Self::slot_count(block, prefix_len);
        let IpNet::V6(c) = subnet_by_index(IpNet::V6(block), prefix_len, index)
            .map_err(|_| Plan6Error::NoSuchSlot { block, slots, index })?
        else {
            return Err(Plan6Error::NoSuchSlot { block, slots, index });
        };
        if let Some(existing) = self.overlapping(c) {
            return Err(Plan6Error::Block(Ipv6BlockError::Overlap { cidr: c, existing }));
        }
        Ok(c)
    }

    /// The first allocated subnet block overlapping `c`. O(log n).
    pub fn overlapping(&self, c: Ipv6Net) -> Option<Ipv6Net> {
        let start = u128::from(c.network());
        let i = self.used.partition_point(|u| u128::from(u.broadcast()) < start);
        self.used.get(i).copied().filter(|u| overlaps6(*u, c))
    }

    /// The lowest free `/prefix_len` across the blocks, in block order, skipping `also_taken`.
    pub fn next_free(&self, prefix_len: u8, also_taken: &[Ipv6Net]) -> Result<Ipv6Net, Plan6Error> {
        if !is_subnet_ipv6_size(prefix_len) {
            return Err(Plan6Error::BadSize { prefix_len });
        }
        self.first_free(prefix_len, also_taken).ok_or(Plan6Error::Full { prefix_len })
    }

    /// The lowest free aligned block of any prefix length: one pass over the taken blocks.
    fn first_free(&self, prefix_len: u8, also_taken: &[Ipv6Net]) -> Option<Ipv6Net> {
        let mut taken: Vec<Ipv6Net> = self.used.iter().chain(also_taken).copied().collect();
        taken.sort_by_key(|s| u128::from(s.network()));
        let size = 1u128.checked_shl(128 - u32::from(prefix_len.min(128)))?;
        for b in &self.blocks {
            if prefix_len < b.prefix_len() {
                continue;
            }
            let end = u128::from(b.broadcast());
            let mut at = u128::from(b.network());
            let first = taken.partition_point(|u| u128::from(u.broadcast()) < at);
            let mut fits = true;
            for u in &taken[first..] {
                let (us, ue) = (u128::from(u.network()), u128::from(u.broadcast()));
                if ue < at {
                    continue;
                }
                if us > end || at + (size - 1) < us {
                    break;
                }
                // `u` overlaps the candidate: move past it, aligned to the size.
                match ue.checked_add(1).and_then(|x| x.div_ceil(size).checked_mul(size)) {
                    Some(next) if next <= end => at = next,
                    _ => {
                        fits = false;
                        break;
                    }
                }
            }
            if fits && at.checked_add(size - 1).is_some_and(|last| last <= end) {
                return Ipv6Net::new(std::net::Ipv6Addr::from(at), prefix_len).ok();
            }
        }
        None
    }

    /// The map of a block: a /56 as its 256 /64s; a wider block as 256 groups.
    pub fn map(&self, block: Ipv6Net) -> BlockMap {
        let block = block.trunc();
        let k = 64u8.saturating_sub(block.prefix_len()).min(8);
        let cell_prefix = block.prefix_len() + k;
        let cells_n = 1usize << k;
        let mut cells = vec![SlotState::Free; cells_n];
        let shift = 128 - u32::from(cell_prefix);
        let base = u128::from(block.network());
        for u in self.used.iter().filter(|u| block.contains(*u)) {
            let first = ((u128::from(u.network()) - base) >> shift) as usize;
            let last = ((u128::from(u.broadcast()) - base) >> shift) as usize;
            let whole = u.prefix_len() <= cell_prefix;
            for c in cells.iter_mut().take(last.min(cells_n - 1) + 1).skip(first) {
                *c = if whole || *c == SlotState::Used { SlotState::Used } else { SlotState::Partial };
            }
        }
        BlockMap { block, cell_prefix, cells }
    }

    /// Tier × AZ layout of `/prefix_len` subnets in free space (default /64), rows tier by
    /// tier, AZs in the order given. As in the IPv4 layout, each tier gets an aligned run of
    /// slots (the AZ count rounded up to a power of two), so a tier's subnets stay contiguous.
    pub fn layout<T: AsRef<str>, Z: AsRef<str>>(
        &self,
        tiers: &[T],
        azs: &[Z],
        prefix_len: u8,
    ) -> Result<Vec<Ipv6LayoutRow>, Plan6Error> {
        if tiers.is_empty() || azs.is_empty() {
            return Err(Plan6Error::EmptyLayout);
        }
        let bits = azs.len().next_power_of_two().trailing_zeros();
        let tier_prefix = u32::from(prefix_len).checked_sub(bits).ok_or(Plan6Error::BadSize { prefix_len })?;
        let tier_prefix = u8::try_from(tier_prefix).map_err(|_| Plan6Error::BadSize { prefix_len })?;
        if !is_subnet_ipv6_size(prefix_len) {
            return Err(Plan6Error::BadSize { prefix_len });
        }
        let mut taken: Vec<Ipv6Net> = Vec::new();
        let mut rows = Vec::with_capacity(tiers.len() * azs.len());
        for tier in tiers {
            let run = self.first_free(tier_prefix, &taken).ok_or(Plan6Error::Full { prefix_len: tier_prefix })?;
            taken.push(run);
            for (k, az) in azs.iter().enumerate() {
                let IpNet::V6(cidr) = subnet_by_index(IpNet::V6(run), prefix_len, k as u128)
                    .map_err(|_| Plan6Error::BadSize { prefix_len })?
                else {
                    continue;
                };
                let block = self.blocks.iter().find(|b| b.contains(&cidr)).copied().unwrap_or(run);
                let index = index_in_block(block, cidr).unwrap_or(0);
                rows.push(Ipv6LayoutRow { tier: tier.as_ref().to_string(), az: az.as_ref().to_string(), cidr, index });
            }
        }
        Ok(rows)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Ipv6Net {
        s.parse().expect("test literal")
    }

    #[test]
    fn a_56_is_256_64s() {
        let p =
            Ipv6Plan::new(&[n("2001:db8:0:100::/56")], &[n("2001:db8:0:100::/64"), n("2001:db8:0:1ff::/64")]).unwrap();
        assert_eq!(p.totals(), (256, 2));
        let m = p.map(n("2001:db8:0:100::/56"));
        assert_eq!((m.cell_prefix, m.cells.len()), (64, 256));
        assert_eq!(m.cells[0], SlotState::Used);
        assert_eq!(m.cells[255], SlotState::Used);
        assert_eq!(m.cells.iter().filter(|c| **c == SlotState::Free).count(), 254);
        assert_eq!(m.cell(1).unwrap().0, n("2001:db8:0:101::/64"));
        assert_eq!(p.next_free(64, &[]).unwrap(), n("2001:db8:0:101::/64"));
        assert_eq!(p.carve(n("2001:db8:0:100::/56"), 64, 0x2a).unwrap(), n("2001:db8:0:12a::/64"));
        assert!(matches!(p.carve(n("2001:db8:0:100::/56"), 64, 0).unwrap_err(), Plan6Error::Block(_)));
        assert!(matches!(p.carve(n("2001:db8:0:100::/56"), 64, 256).unwrap_err(), Plan6Error::NoSuchSlot { .. }));
    }

    #[test]
    fn a_60_subnet_fills_sixteen_cells() {
        let p = Ipv6Plan::new(&[n("2001:db8::/56")], &[n("2001:db8:0:10::/60")]).unwrap();
        let m = p.map(n("2001:db8::/56"));
        assert_eq!(m.cells[16..32].iter().filter(|c| **c == SlotState::Used).count(), 16);
        assert_eq!(p.next_free(60, &[]).unwrap(), n("2001:db8::/60"));
        assert_eq!(p.next_free(64, &[n("2001:db8::/60")]).unwrap(), n("2001:db8:0:20::/64"));
    }

    #[test]
    fn layout_gives_each_tier_an_aligned_run() {
        let p = Ipv6Plan::new(&[n("2001:db8::/56")], &[]).unwrap();
        let rows = p.layout(&["public", "private"], &["a", "b", "c"], 64).unwrap();
        let idx: Vec<u128> = rows.iter().map(|r| r.index).collect();
        assert_eq!(idx, vec![0, 1, 2, 4, 5, 6]);
        assert!(matches!(p.layout::<&str, &str>(&[], &["a"], 64), Err(Plan6Error::EmptyLayout)));
    }

    #[test]
    fn bad_plans_are_refused() {
        assert_eq!(Ipv6Plan::new(&[], &[]).unwrap_err(), Plan6Error::NoBlock);
        assert!(Ipv6Plan::new(&[n("2001:db8::/56")], &[n("2001:db8:1::/64")]).is_err());
        assert!(Ipv6Plan::new(&[n("2001:db8::/56")], &[n("2001:db8::/64"), n("2001:db8::/60")]).is_err());
        let full: Vec<Ipv6Net> = (0..256u32).map(|i| n(&format!("2001:db8:0:{i:x}::/64"))).collect();
        let p = Ipv6Plan::new(&[n("2001:db8::/56")], &full).unwrap();
        assert_eq!(p.next_free(64, &[]).unwrap_err(), Plan6Error::Full { prefix_len: 64 });
    }
}
