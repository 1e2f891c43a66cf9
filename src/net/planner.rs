//! The address planner: used and free space of a VPC, first-fit allocation, split and join,
//! resize checks and tier × AZ layouts (A1, A5, A6).
//!
//! Everything works on sorted, disjoint address intervals, never on individual addresses. Free
//! space is kept as the sorted list of *maximal aligned* CIDR blocks, plus, for every prefix
//! length, the index of the first free block at least that large. Any aligned block that fits
//! in free space lies inside exactly one of these maximal blocks, so "the lowest free /20" is the
//! first free block of /20 or larger, found in O(1).

use super::reserved::usable_count;
use super::span::{block, block_size, push_aligned_blocks, Span};
use super::AddressFamily;
use ipnet::Ipv4Net;
use std::fmt;
use std::net::Ipv4Addr;

/// At most 2^16 children from one [`split`], so a careless request cannot exhaust memory.
pub const MAX_SPLIT_BITS: u8 = 16;

/// Why a planning operation was refused. `Display` gives one sentence.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PlanError {
    /// The plan was given no VPC CIDR.
    NoVpcCidr,
    /// Two of the VPC's CIDRs overlap (A2 forbids it).
    VpcCidrsOverlap {
        /// One CIDR.
        a: Ipv4Net,
        /// The CIDR it overlaps.
        b: Ipv4Net,
    },
    /// A block is not inside any single VPC CIDR (A5).
    OutsideVpc {
        /// The block.
        block: Ipv4Net,
    },
    /// A block overlaps an allocated one (A5).
    Overlap {
        /// The block being placed.
        block: Ipv4Net,
        /// The allocated block it overlaps.
        existing: Ipv4Net,
    },
    /// A prefix length above 32.
    InvalidPrefix {
        /// The prefix length asked for.
        prefix_len: u8,
    },
    /// No free aligned block of this size is left.
    NoFreeBlock {
        /// The prefix length asked for.
        prefix_len: u8,
        /// The largest free block, if any space is left.
        largest: Option<Ipv4Net>,
    },
    /// The block to release or resize is not an allocated subnet.
    NotAllocated {
        /// The block.
        block: Ipv4Net,
    },
    /// Splitting would need a prefix longer than /32.
    SplitTooDeep {
        /// The block to split.
        block: Ipv4Net,
        /// Requested number of halvings.
        bits: u8,
    },
    /// Splitting into more than 2^[`MAX_SPLIT_BITS`] parts.
    SplitTooWide {
        /// Requested number of halvings.
        bits: u8,
    },
    /// Nothing to join.
    JoinEmpty,
    /// Blocks of different sizes cannot be joined.
    JoinMixedSizes {
        /// The first block.
        a: Ipv4Net,
        /// A block of another size.
        b: Ipv4Net,
    },
    /// The blocks are not consecutive siblings (a gap or a duplicate).
    JoinNotSiblings {
        /// The block that should come next.
        expected: Ipv4Net,
        /// What came instead.
        found: Ipv4Net,
    },
    /// Only 2, 4, 8, … equal siblings make a CIDR block.
    JoinCountNotPowerOfTwo {
        /// How many blocks were given.
        count: usize,
    },
    /// Consecutive blocks that do not start on the boundary of the block they would form.
    JoinNotAligned {
        /// The lowest block.
        first: Ipv4Net,
        /// The aligned block that contains it at the joined size.
        parent: Ipv4Net,
    },
    /// A layout needs at least one tier.
    LayoutNoTiers,
    /// A layout needs at least one AZ.
    LayoutNoAzs,
    /// More AZs than the address space can hold at this size.
    LayoutTooManyAzs {
        /// Number of AZs requested.
        azs: usize,
        /// The requested prefix length.
        size: u8,
    },
    /// The layout's subnet size is outside /16–/28 (A5).
    LayoutSizeOutOfRange {
        /// The requested prefix length.
        size: u8,
    },
    /// A tier of the layout does not fit in the free space.
    LayoutDoesNotFit {
        /// The first tier that did not fit.
        tier: String,
        /// Prefix of the aligned block each tier needs.
        tier_prefix: u8,
        /// Number of tiers requested.
        tiers: usize,
        /// The largest free block when the tier was tried.
        largest: Option<Ipv4Net>,
    },
}

impl fmt::Display for PlanError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PlanError::NoVpcCidr => write!(f, "the VPC has no CIDR to plan in (A1)"),
            PlanError::VpcCidrsOverlap { a, b } => {
                write!(f, "the VPC CIDRs {a} and {b} overlap (A2)")
            }
            PlanError::OutsideVpc { block } => write!(
                f,
                "{block} is not inside any single CIDR of the VPC (A5)"
            ),
            PlanError::Overlap { block, existing } => {
                write!(f, "{block} overlaps the allocated subnet {existing} (A5)")
            }
            PlanError::InvalidPrefix { prefix_len } => write!(
                f,
                "prefix length {prefix_len} is larger than 32"
            ),
            PlanError::NoFreeBlock {
                prefix_len,
                largest: Some(l),
            } => write!(
                f,
                "no free /{prefix_len} block is left; the largest free block is {l}"
            ),
            PlanError::NoFreeBlock {
                prefix_len,
                largest: None,
            } => write!(f, "no free /{prefix_len} block is left; the VPC is full"),
            PlanError::NotAllocated { block } => {
                write!(f, "{block} is not an allocated subnet")
            }
            PlanError::SplitTooDeep { block, bits } => write!(
                f,
                "{block} cannot be split into {} parts: they would be smaller than /32",
                1u64 << (*bits).min(63)
            ),
            PlanError::SplitTooWide { bits } => write!(
                f,
                "splitting into 2^{bits} parts is too many; the limit is 2^{MAX_SPLIT_BITS}"
            ),
            PlanError::JoinEmpty => write!(f, "select at least one block to join"),
            PlanError::JoinMixedSizes { a, b } => write!(
                f,
                "{a} and {b} have different sizes, so they are not siblings and cannot be joined"
            ),
            PlanError::JoinNotSiblings { expected, found } => write!(
                f,
                "expected {expected} next but found {found}, so the blocks are not consecutive siblings"
            ),
            PlanError::JoinCountNotPowerOfTwo { count } => write!(
                f,
                "{count} blocks cannot form one CIDR block; join 2, 4, 8, … siblings"
            ),
            PlanError::JoinNotAligned { first, parent } => write!(
                f,
                "these blocks are adjacent but not siblings: a /{} must start on a /{} boundary, and the one holding {} is {}",
                parent.prefix_len(),
                parent.prefix_len(),
                first.network(),
                parent
            ),
            PlanError::LayoutNoTiers => write!(f, "a layout needs at least one tier"),
            PlanError::LayoutNoAzs => write!(f, "a layout needs at least one Availability Zone"),
            PlanError::LayoutTooManyAzs { azs, size } => write!(
                f,
                "{azs} Availability Zones of /{size} subnets need more than the whole address space"
            ),
            PlanError::LayoutSizeOutOfRange { size } => write!(
                f,
                "subnet size /{size} is outside the /16–/28 AWS allows (A5)"
            ),
            PlanError::LayoutDoesNotFit {
                tier,
                tier_prefix,
                tiers,
                largest,
            } => {
                write!(
                    f,
                    "the layout needs {tiers} aligned /{tier_prefix} block(s), one per tier, and tier '{tier}' does not fit: "
                )?;
                match largest {
                    Some(l) => write!(f, "the largest free block is {l}"),
                    None => write!(f, "no free space is left"),
                }
            }
        }
    }
}

impl std::error::Error for PlanError {}

/// One planned subnet of a layout, for the preview table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LayoutRow {
    /// Tier name (e.g. "public").
    pub tier: String,
    /// Availability Zone name (e.g. "a").
    pub az: String,
    /// The subnet.
    pub cidr: Ipv4Net,
    /// First and last address of the block.
    pub range: (Ipv4Addr, Ipv4Addr),
    /// Usable addresses, 2^(32 − n) − 5 (A6).
    pub usable: u64,
}

/// Address counts of a plan, for a utilisation bar.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AddressTotals {
    /// All addresses of the VPC's CIDRs.
    pub total: u64,
    /// Addresses in allocated subnets.
    pub used: u64,
    /// Addresses in no subnet.
    pub free: u64,
}

/// Free space as sorted maximal aligned blocks plus a first-fit index.
#[derive(Clone, Debug)]
struct FreeMap {
    blocks: Vec<Ipv4Net>,
    /// `first_fit[p]`: index of the first block of prefix ≤ p, or `blocks.len()`.
    first_fit: [usize; 33],
}

impl FreeMap {
    /// Builds the free map of `vpc_sorted` (sorted, disjoint) minus the used blocks given as
    /// sorted [`key`]s, checking in the same sweep that each used block sits inside one VPC block
    /// and overlaps no other. O(n).
    fn build(vpc_sorted: &[Ipv4Net], used_keys: &[u64]) -> Result<FreeMap, PlanError> {
        let mut blocks = Vec::with_capacity(used_keys.len().saturating_mul(2) + 8);
        let mut j = 0;
        for vpc in vpc_sorted {
            let v = Span::of(*vpc);
            let mut cursor = v.start;
            while let Some(&k) = used_keys.get(j) {
                let u = key_span(k);
                if u.start >= v.end {
                    break;
                }
                if u.start < v.start || u.end > v.end {
                    return Err(PlanError::OutsideVpc { block: key_block(k) });
                }
                if u.start < cursor {
                    return Err(PlanError::Overlap { block: key_block(k), existing: key_block(used_keys[j - 1]) });
                }
                push_aligned_blocks(cursor, u.start, &mut blocks);
                cursor = u.end;
                j += 1;
            }
            push_aligned_blocks(cursor, v.end, &mut blocks);
        }
        if let Some(&k) = used_keys.get(j) {
            return Err(PlanError::OutsideVpc { block: key_block(k) });
        }
        let mut map = FreeMap { blocks, first_fit: [0; 33] };
        map.reindex();
        Ok(map)
    }

    /// Recomputes the whole first-fit index in one pass.
    fn reindex(&mut self) {
        self.first_fit = [self.blocks.len(); 33];
        self.fill_first_fit(0, 0, 33);
    }

    /// Points `first_fit[lo..hi]` at the first block from index `from` on that is large enough,
    /// in one pass; the entries must hold `blocks.len()` on entry and no block before `from` may
    /// fit them.
    fn fill_first_fit(&mut self, from: usize, lo: usize, hi: usize) {
        // first_fit is non-increasing in p, so the entries still unset are always lo..upper.
        let mut upper = hi;
        for (k, b) in self.blocks.iter().enumerate().skip(from) {
            if upper <= lo {
                break;
            }
            let q = usize::from(b.prefix_len()).max(lo);
            if q < upper {
                for entry in &mut self.first_fit[q..upper] {
                    *entry = k;
                }
                upper = q;
            }
        }
    }

    fn first_fit(&self, prefix_len: u8) -> Option<Ipv4Net> {
        let idx = *self.first_fit.get(usize::from(prefix_len))?;
        let b = self.blocks.get(idx)?;
        Some(block(Span::of(*b).start, prefix_len))
    }

    fn largest(&self) -> Option<Ipv4Net> {
        self.first_fit.iter().find_map(|idx| self.blocks.get(*idx).copied())
    }

    /// Removes `net` from free space. False if it is not wholly inside one free block.
    fn take(&mut self, net: Ipv4Net) -> bool {
        let s = Span::of(net);
        let i = self.blocks.partition_point(|b| Span::of(*b).end <= s.start);
        let Some(free) = self.blocks.get(i).copied() else {
            return false;
        };
        if !Span::of(free).contains(&s) {
            return false;
        }
        // Walk down from the free block to `net`, keeping the sibling at each level.
        let mut lows = Vec::new();
        let mut highs = Vec::new();
        let mut cur = Span::of(free);
        for p in free.prefix_len().saturating_add(1)..=net.prefix_len() {
            let mid = cur.start + block_size(p);
            if s.start >= mid {
                lows.push(block(cur.start, p));
                cur.start = mid;
            } else {
                highs.push(block(mid, p));
                cur.end = mid;
            }
        }
        highs.reverse();
        lows.extend(highs);
        let pieces = lows;
        let old = self.first_fit;
        let old_len = self.blocks.len();
        let m = pieces.len();
        self.blocks.splice(i..=i, pieces.iter().copied());
        let len = self.blocks.len();
        // Entries that pointed at the taken block and fit no piece form one range lo..hi.
        let (mut lo, mut hi) = (33, 0);
        for (p, entry) in self.first_fit.iter_mut().enumerate() {
            let o = old[p];
            *entry = if o == old_len {
                // No block was this large; the pieces are smaller still.
                len
            } else if o < i {
                o
            } else if o > i {
                // Block i was too small for p, so its pieces are too: only the shift applies.
                o - 1 + m
            } else if let Some(k) = pieces.iter().position(|b| usize::from(b.prefix_len()) <= p) {
                i + k
            } else {
                lo = lo.min(p);
                hi = hi.max(p + 1);
                len
            };
        }
        if lo < hi {
            self.fill_first_fit(i + m, lo, hi);
        }
        true
    }
}

/// The address plan of one VPC: its CIDRs (primary first), allocated subnets and free space.
#[derive(Clone, Debug)]
pub struct AddressPlan {
    vpc_cidrs: Vec<Ipv4Net>,
    vpc_sorted: Vec<Ipv4Net>,
    used: Vec<Ipv4Net>,
    free: FreeMap,
}

impl AddressPlan {
    /// Builds the plan, checking that the VPC CIDRs are disjoint and that every subnet sits in
    /// one VPC CIDR and overlaps no other. Host bits are cleared. O(n log n).
    ///
    /// Sizes are not checked here (use [`super::check_subnet_cidr`] for A5), so the planner also
    /// works for what-if ranges such as a /8.
    pub fn new(vpc_cidrs: &[Ipv4Net], subnets: &[Ipv4Net]) -> Result<AddressPlan, PlanError> {
        if vpc_cidrs.is_empty() {
            return Err(PlanError::NoVpcCidr);
        }
        let vpc_cidrs: Vec<Ipv4Net> = vpc_cidrs.iter().map(|c| c.trunc()).collect();
        let mut vpc_sorted = vpc_cidrs.clone();
        sort_blocks(&mut vpc_sorted);
        if let Some((a, b)) = first_overlap_sorted(&vpc_sorted) {
            return Err(PlanError::VpcCidrsOverlap { a, b });
        }
        let mut keys: Vec<u64> = subnets.iter().map(|c| key(*c)).collect();
        keys.sort_unstable();
        let free = FreeMap::build(&vpc_sorted, &keys)?;
        let used = keys.into_iter().map(key_block).collect();
        Ok(AddressPlan { vpc_cidrs, vpc_sorted, used, free })
    }

    /// The VPC's CIDRs in the order given (primary first), host bits cleared.
    pub fn vpc_cidrs(&self) -> &[Ipv4Net] {
        &self.vpc_cidrs
    }

    /// Allocated subnets, sorted by address.
    pub fn used_blocks(&self) -> &[Ipv4Net] {
        &self.used
    }

    /// Free space as maximal aligned CIDR blocks, sorted by address. A free block never spans
    /// two VPC CIDRs, since a subnet cannot (A5).
    pub fn free_blocks(&self) -> &[Ipv4Net] {
        &self.free.blocks
    }

    /// Total, used and free address counts.
    pub fn address_totals(&self) -> AddressTotals {
        let size = |b: &Ipv4Net| block_size(b.prefix_len());
        let total = self.vpc_sorted.iter().map(size).sum();
        let used = self.used.iter().map(size).sum();
        AddressTotals { total, used, free: total.saturating_sub(used) }
    }

    /// The largest free block; the lowest one when several are equally large.
    pub fn largest_free_block(&self) -> Option<Ipv4Net> {
        self.free.largest()
    }

    /// The lowest free aligned block of `prefix_len` (first fit). O(1).
    pub fn next_free_block(&self, prefix_len: u8) -> Result<Ipv4Net, PlanError> {
        if prefix_len > AddressFamily::Ipv4.bits() {
            return Err(PlanError::InvalidPrefix { prefix_len });
        }
        self.free.first_fit(prefix_len).ok_or(PlanError::NoFreeBlock { prefix_len, largest: self.free.largest() })
    }

    /// The first allocated subnet that overlaps `candidate`, if any. O(log n).
    pub fn find_overlap(&self, candidate: Ipv4Net) -> Option<Ipv4Net> {
        self.find_overlap_except(candidate, None)
    }

    fn find_overlap_except(&self, candidate: Ipv4Net, except: Option<Ipv4Net>) -> Option<Ipv4Net> {
        let s = Span::of(candidate);
        // `used` is sorted and disjoint, so ends are sorted too.
        let i = self.used.partition_point(|u| Span::of(*u).end <= s.start);
        self.used[i..].iter().take_while(|u| Span::of(**u).start < s.end).find(|u| Some(**u) != except).copied()
    }

    /// Allocates `subnet` (host bits cleared) if it sits in one VPC CIDR and overlaps nothing.
    pub fn allocate(&mut self, subnet: Ipv4Net) -> Result<Ipv4Net, PlanError> {
        let subnet = subnet.trunc();
        if !inside_one(&self.vpc_sorted, subnet) {
            return Err(PlanError::OutsideVpc { block: subnet });
        }
        if let Some(existing) = self.find_overlap(subnet) {
            return Err(PlanError::Overlap { block: subnet, existing });
        }
        if !self.free.take(subnet) {
            // Unreachable while the invariants hold; report it rather than panic.
            return Err(PlanError::NoFreeBlock { prefix_len: subnet.prefix_len(), largest: self.free.largest() });
        }
        let at = self.used.partition_point(|u| Span::of(*u).start < Span::of(subnet).start);
        self.used.insert(at, subnet);
        Ok(subnet)
    }

    /// Allocates and returns the lowest free block of `prefix_len`.
    pub fn allocate_next(&mut self, prefix_len: u8) -> Result<Ipv4Net, PlanError> {
        let b = self.next_free_block(prefix_len)?;
        self.allocate(b)
    }

    /// Returns an allocated subnet to free space. O(n): the free map is rebuilt so neighbours
    /// merge back into maximal blocks.
    pub fn release(&mut self, subnet: Ipv4Net) -> Result<(), PlanError> {
        let subnet = subnet.trunc();
        let at = self
            .used
            .binary_search_by_key(&key(subnet), |u| key(*u))
            .map_err(|_| PlanError::NotAllocated { block: subnet })?;
        self.used.remove(at);
        let keys: Vec<u64> = self.used.iter().map(|u| key(*u)).collect();
        self.free = FreeMap::build(&self.vpc_sorted, &keys)?;
        Ok(())
    }

    /// What `subnet` would become at `new_prefix_len`, keeping its base address (rounded down to
    /// the new boundary when growing), if it still sits in one VPC CIDR and overlaps no other
    /// subnet. Nothing is changed. AWS itself cannot resize a subnet in place: this is for
    /// redesigning before deployment.
    pub fn check_resize(&self, subnet: Ipv4Net, new_prefix_len: u8) -> Result<Ipv4Net, PlanError> {
        let subnet = subnet.trunc();
        if self.used.binary_search_by_key(&key(subnet), |u| key(*u)).is_err() {
            return Err(PlanError::NotAllocated { block: subnet });
        }
        if new_prefix_len > AddressFamily::Ipv4.bits() {
            return Err(PlanError::InvalidPrefix { prefix_len: new_prefix_len });
        }
        let resized = block(Span::of(subnet).start, new_prefix_len);
        if !inside_one(&self.vpc_sorted, resized) {
            return Err(PlanError::OutsideVpc { block: resized });
        }
        match self.find_overlap_except(resized, Some(subnet)) {
            Some(existing) => Err(PlanError::Overlap { block: resized, existing }),
            None => Ok(resized),
        }
    }

    /// Plans `tiers` × `azs` subnets of `/size` in free space, without changing the plan.
    ///
    /// Each tier gets its own aligned block holding all its AZ subnets (the AZ count rounded up
    /// to a power of two), placed first-fit in tier order, so a tier's subnets stay contiguous
    /// and summarise to one route. Rows come tier by tier, AZs in the order given.
    pub fn layout<T: AsRef<str>, Z: AsRef<str>>(
        &self,
        tiers: &[T],
        azs: &[Z],
        size: u8,
    ) -> Result<Vec<LayoutRow>, PlanError> {
        if tiers.is_empty() {
            return Err(PlanError::LayoutNoTiers);
        }
        if azs.is_empty() {
            return Err(PlanError::LayoutNoAzs);
        }
        if !AddressFamily::Ipv4.subnet_prefix_range().contains(&size) {
            return Err(PlanError::LayoutSizeOutOfRange { size });
        }
        // Each tier's block holds the AZ count rounded up to a power of two.
        let tier_prefix = azs
            .len()
            .checked_next_power_of_two()
            .and_then(|n| u8::try_from(n.trailing_zeros()).ok())
            .and_then(|bits| size.checked_sub(bits))
            .ok_or(PlanError::LayoutTooManyAzs { azs: azs.len(), size })?;
        let mut free = self.free.clone();
        let mut rows = Vec::with_capacity(tiers.len().saturating_mul(azs.len()));
        for tier in tiers {
            let tier_block = match free.first_fit(tier_prefix) {
                Some(b) if free.take(b) => b,
                _ => {
                    return Err(PlanError::LayoutDoesNotFit {
                        tier: tier.as_ref().to_owned(),
                        tier_prefix,
                        tiers: tiers.len(),
                        largest: free.largest(),
                    })
                }
            };
            let base = Span::of(tier_block).start;
            for (j, az) in azs.iter().enumerate() {
                let cidr = block(base + (j as u64) * block_size(size), size);
                rows.push(LayoutRow {
                    tier: tier.as_ref().to_owned(),
                    az: az.as_ref().to_owned(),
                    cidr,
                    range: (cidr.network(), cidr.broadcast()),
                    usable: usable_count(size),
                });
            }
        }
        Ok(rows)
    }
}

/// Free space of a VPC as maximal aligned blocks, sorted. See [`AddressPlan::free_blocks`].
pub fn free_blocks(vpc_cidrs: &[Ipv4Net], subnets: &[Ipv4Net]) -> Result<Vec<Ipv4Net>, PlanError> {
    Ok(AddressPlan::new(vpc_cidrs, subnets)?.free.blocks)
}

/// Lays out `tiers` × `azs` subnets of `/size` in an empty VPC. See [`AddressPlan::layout`].
///
/// `layout(10.39.0.0/16, [public, private], [a, b, c, d], 20)` gives public 10.39.0.0/20 …
/// 10.39.48.0/20 and private 10.39.64.0/20 … 10.39.112.0/20.
pub fn layout<T: AsRef<str>, Z: AsRef<str>>(
    vpc_cidr: Ipv4Net,
    tiers: &[T],
    azs: &[Z],
    size: u8,
) -> Result<Vec<LayoutRow>, PlanError> {
    AddressPlan::new(&[vpc_cidr], &[])?.layout(tiers, azs, size)
}

/// Splits `block` into its 2^`bits` equal children, lowest first (host bits cleared).
pub fn split(block_to_split: Ipv4Net, bits: u8) -> Result<Vec<Ipv4Net>, PlanError> {
    let parent = block_to_split.trunc();
    if bits > MAX_SPLIT_BITS {
        return Err(PlanError::SplitTooWide { bits });
    }
    let child_prefix = parent.prefix_len() + bits;
    if child_prefix > AddressFamily::Ipv4.bits() {
        return Err(PlanError::SplitTooDeep { block: parent, bits });
    }
    let start = Span::of(parent).start;
    let size = block_size(child_prefix);
    Ok((0..1u64 << bits).map(|i| block(start + i * size, child_prefix)).collect())
}

/// Joins 2^k equal sibling blocks (any order) back into their parent; the inverse of [`split`].
///
/// Fails, naming the culprit, when sizes differ, there is a gap or duplicate, the count is not a
/// power of two, or the blocks do not start on the parent's boundary.
pub fn join(blocks: &[Ipv4Net]) -> Result<Ipv4Net, PlanError> {
    let mut sorted: Vec<Ipv4Net> = blocks.iter().map(|b| b.trunc()).collect();
    sort_blocks(&mut sorted);
    let first = *sorted.first().ok_or(PlanError::JoinEmpty)?;
    let p = first.prefix_len();
    if let Some(other) = sorted.iter().find(|b| b.prefix_len() != p) {
        return Err(PlanError::JoinMixedSizes { a: first, b: *other });
    }
    let start = Span::of(first).start;
    let size = block_size(p);
    for (i, found) in sorted.iter().enumerate().skip(1) {
        let expected_start = (i as u64).saturating_mul(size).saturating_add(start);
        if Span::of(*found).start != expected_start {
            return Err(PlanError::JoinNotSiblings { expected: block(expected_start, p), found: *found });
        }
    }
    let count = sorted.len();
    if !count.is_power_of_two() {
        return Err(PlanError::JoinCountNotPowerOfTwo { count });
    }
    // Consecutive blocks inside the address space: count·size ≤ 2^32, so k ≤ p.
    let k = u8::try_from(count.trailing_zeros()).unwrap_or(u8::MAX);
    let parent_prefix = p.checked_sub(k).ok_or(PlanError::JoinCountNotPowerOfTwo { count })?;
    let parent = block(start, parent_prefix);
    if Span::of(parent).start != start {
        return Err(PlanError::JoinNotAligned { first, parent });
    }
    Ok(parent)
}

/// Fails with the first overlapping pair (by address) among `blocks`. O(n log n).
pub fn check_no_overlap(blocks: &[Ipv4Net]) -> Result<(), PlanError> {
    let mut sorted: Vec<Ipv4Net> = blocks.iter().map(|b| b.trunc()).collect();
    sort_blocks(&mut sorted);
    match first_overlap_sorted(&sorted) {
        Some((existing, block)) => Err(PlanError::Overlap { block, existing }),
        None => Ok(()),
    }
}

/// Sort key of a block: start address above, prefix length in the low byte. Plain `u64` order
/// is address order (the larger block first on a tie), and sorting `u64`s is several times
/// faster than sorting `Ipv4Net`s by a computed key.
fn key(b: Ipv4Net) -> u64 {
    (u64::from(u32::from(b.network())) << 8) | u64::from(b.prefix_len())
}

fn key_span(k: u64) -> Span {
    let start = k >> 8;
    Span { start, end: start + block_size((k & 0xff) as u8) }
}

fn key_block(k: u64) -> Ipv4Net {
    block(k >> 8, (k & 0xff) as u8)
}

fn sort_blocks(blocks: &mut [Ipv4Net]) {
    blocks.sort_unstable_by_key(|b| key(*b));
}

/// In a list sorted by start, any overlap shows up between neighbours.
fn first_overlap_sorted(sorted: &[Ipv4Net]) -> Option<(Ipv4Net, Ipv4Net)> {
    sorted.windows(2).find(|w| Span::of(w[0]).overlaps(&Span::of(w[1]))).map(|w| (w[0], w[1]))
}

/// True when `b` lies inside one of the sorted, disjoint `vpc_sorted` blocks.
fn inside_one(vpc_sorted: &[Ipv4Net], b: Ipv4Net) -> bool {
    let s = Span::of(b);
    let i = vpc_sorted.partition_point(|v| Span::of(*v).end <= s.start);
    vpc_sorted.get(i).is_some_and(|v| Span::of(*v).contains(&s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn n(s: &str) -> Ipv4Net {
        s.parse().expect("test literal")
    }

    fn ns(list: &[&str]) -> Vec<Ipv4Net> {
        list.iter().map(|s| n(s)).collect()
    }

    fn plan(vpc: &[&str], subnets: &[&str]) -> AddressPlan {
        AddressPlan::new(&ns(vpc), &ns(subnets)).expect("valid plan")
    }

    #[test]
    fn seed_layout_of_the_blog_lab() {
        let rows = layout(n("10.39.0.0/16"), &["public", "private"], &["a", "b", "c", "d"], 20).expect("fits");
        let got: Vec<(String, String, Ipv4Net)> = rows.iter().map(|r| (r.tier.clone(), r.az.clone(), r.cidr)).collect();
        let want = [
            ("public", "a", "10.39.0.0/20"),
            ("public", "b", "10.39.16.0/20"),
            ("public", "c", "10.39.32.0/20"),
            ("public", "d", "10.39.48.0/20"),
            ("private", "a", "10.39.64.0/20"),
            ("private", "b", "10.39.80.0/20"),
            ("private", "c", "10.39.96.0/20"),
            ("private", "d", "10.39.112.0/20"),
        ];
        let want: Vec<(String, String, Ipv4Net)> =
            want.iter().map(|(t, a, c)| (t.to_string(), a.to_string(), n(c))).collect();
        assert_eq!(got, want);
        assert_eq!(rows[1].range, ("10.39.16.0".parse().expect("ip"), "10.39.31.255".parse().expect("ip")));
        assert!(rows.iter().all(|r| r.usable == 4091));
    }

    #[test]
    fn layout_with_three_azs_keeps_tiers_on_tier_boundaries() {
        let rows = layout(n("10.0.0.0/16"), &["web", "app"], &["a", "b", "c"], 20).expect("fits");
        let cidrs: Vec<Ipv4Net> = rows.iter().map(|r| r.cidr).collect();
        assert_eq!(
            cidrs,
            ns(&["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20", "10.0.64.0/20", "10.0.80.0/20", "10.0.96.0/20"])
        );
    }

    #[test]
    fn layout_avoids_existing_subnets() {
        let p = plan(&["10.39.0.0/16"], &["10.39.0.0/24"]);
        let rows = p.layout(&["public", "private"], &["a", "b", "c", "d"], 20).expect("fits");
        assert_eq!(rows[0].cidr, n("10.39.64.0/20"));
        assert_eq!(rows[4].cidr, n("10.39.128.0/20"));
        // the plan itself is untouched
        assert_eq!(p.used_blocks(), &ns(&["10.39.0.0/24"])[..]);
    }

    #[test]
    fn layout_errors() {
        let vpc = n("10.0.0.0/16");
        let azs = ["a", "b", "c", "d"];
        let five = ["t1", "t2", "t3", "t4", "t5"];
        let e = layout(vpc, &five, &azs, 20).expect_err("five /18 tiers in a /16");
        assert_eq!(e, PlanError::LayoutDoesNotFit { tier: "t5".into(), tier_prefix: 18, tiers: 5, largest: None });
        assert_eq!(
            e.to_string(),
            "the layout needs 5 aligned /18 block(s), one per tier, and tier 't5' does not fit: no free space is left"
        );
        let e = layout(n("10.0.0.0/20"), &["x"], &["a", "b"], 20).expect_err("needs a /19");
        assert!(e.to_string().ends_with("the largest free block is 10.0.0.0/20"));
        let none: [&str; 0] = [];
        assert_eq!(layout(vpc, &none, &azs, 20), Err(PlanError::LayoutNoTiers));
        assert_eq!(layout(vpc, &["x"], &none, 20), Err(PlanError::LayoutNoAzs));
        assert_eq!(layout(vpc, &["x"], &azs, 29), Err(PlanError::LayoutSizeOutOfRange { size: 29 }));
        assert_eq!(layout(vpc, &["x"], &azs, 15), Err(PlanError::LayoutSizeOutOfRange { size: 15 }));
        let many = vec!["az"; 70_000];
        assert_eq!(layout(vpc, &["x"], &many, 16), Err(PlanError::LayoutTooManyAzs { azs: 70_000, size: 16 }));
    }

    #[test]
    fn free_blocks_are_maximal_aligned_and_sorted() {
        let free = free_blocks(&ns(&["10.0.0.0/16"]), &ns(&["10.0.2.0/24", "10.0.0.0/24"])).expect("valid");
        assert_eq!(
            free,
            ns(&[
                "10.0.1.0/24",
                "10.0.3.0/24",
                "10.0.4.0/22",
                "10.0.8.0/21",
                "10.0.16.0/20",
                "10.0.32.0/19",
                "10.0.64.0/18",
                "10.0.128.0/17"
            ])
        );
    }

    #[test]
    fn free_blocks_never_span_two_vpc_cidrs() {
        let p = plan(&["10.1.0.0/16", "10.0.0.0/16"], &[]);
        assert_eq!(p.free_blocks(), &ns(&["10.0.0.0/16", "10.1.0.0/16"])[..]);
        assert_eq!(p.vpc_cidrs(), &ns(&["10.1.0.0/16", "10.0.0.0/16"])[..]);
        assert_eq!(
            p.next_free_block(15),
            Err(PlanError::NoFreeBlock { prefix_len: 15, largest: Some(n("10.0.0.0/16")) })
        );
    }

    #[test]
    fn largest_and_next_free_block() {
        let p = plan(&["10.0.0.0/16"], &["10.0.0.0/18", "10.0.128.0/24"]);
        // free: 64.0/18, 129.0/24, 130/23, 132/22, 136/21, 144/20, 160/19, 192/18
        assert_eq!(p.largest_free_block(), Some(n("10.0.64.0/18")));
        assert_eq!(p.next_free_block(18), Ok(n("10.0.64.0/18")));
        assert_eq!(p.next_free_block(24), Ok(n("10.0.64.0/24")));
        assert_eq!(
            p.next_free_block(17),
            Err(PlanError::NoFreeBlock { prefix_len: 17, largest: Some(n("10.0.64.0/18")) })
        );
        assert_eq!(
            p.next_free_block(17).expect_err("full").to_string(),
            "no free /17 block is left; the largest free block is 10.0.64.0/18"
        );
        assert_eq!(p.next_free_block(33), Err(PlanError::InvalidPrefix { prefix_len: 33 }));
        assert_eq!(p.next_free_block(255), Err(PlanError::InvalidPrefix { prefix_len: 255 }));
    }

    #[test]
    fn allocate_next_is_first_fit_and_updates_free_space() {
        let mut p = plan(&["10.0.0.0/24"], &[]);
        assert_eq!(p.allocate_next(26), Ok(n("10.0.0.0/26")));
        assert_eq!(p.allocate_next(28), Ok(n("10.0.0.64/28")));
        assert_eq!(p.allocate_next(26), Ok(n("10.0.0.128/26")));
        assert_eq!(p.allocate_next(27), Ok(n("10.0.0.96/27")));
        assert_eq!(p.allocate_next(28), Ok(n("10.0.0.80/28")));
        assert_eq!(p.free_blocks(), &ns(&["10.0.0.192/26"])[..]);
        assert_eq!(
            p.used_blocks(),
            &ns(&["10.0.0.0/26", "10.0.0.64/28", "10.0.0.80/28", "10.0.0.96/27", "10.0.0.128/26"])[..]
        );
        assert_eq!(p.address_totals(), AddressTotals { total: 256, used: 192, free: 64 });
    }

    #[test]
    fn allocate_errors_name_the_conflict() {
        let mut p = plan(&["10.0.0.0/16"], &["10.0.4.0/22"]);
        let e = p.allocate(n("10.0.5.0/24")).expect_err("overlap");
        assert_eq!(e, PlanError::Overlap { block: n("10.0.5.0/24"), existing: n("10.0.4.0/22") });
        assert_eq!(e.to_string(), "10.0.5.0/24 overlaps the allocated subnet 10.0.4.0/22 (A5)");
        assert_eq!(p.allocate(n("10.0.0.0/15")), Err(PlanError::OutsideVpc { block: n("10.0.0.0/15") }));
        assert_eq!(p.find_overlap(n("10.0.0.0/8")), Some(n("10.0.4.0/22")));
        assert_eq!(p.find_overlap(n("10.0.8.0/24")), None);
        // host bits are cleared before allocating
        assert_eq!(p.allocate(n("10.0.9.77/24")), Ok(n("10.0.9.0/24")));
    }

    #[test]
    fn release_merges_free_space_back() {
        let mut p = plan(&["10.0.0.0/16"], &["10.0.4.0/22"]);
        assert_eq!(p.release(n("10.0.8.0/22")), Err(PlanError::NotAllocated { block: n("10.0.8.0/22") }));
        assert_eq!(p.release(n("10.0.4.0/22")), Ok(()));
        assert_eq!(p.free_blocks(), &ns(&["10.0.0.0/16"])[..]);
        assert!(p.used_blocks().is_empty());
    }

    #[test]
    fn new_rejects_bad_plans() {
        assert_eq!(AddressPlan::new(&[], &[]).map(|_| ()), Err(PlanError::NoVpcCidr));
        let e = AddressPlan::new(&ns(&["10.0.0.0/16", "10.0.128.0/17"]), &[]).expect_err("overlapping vpc cidrs");
        assert_eq!(e.to_string(), "the VPC CIDRs 10.0.0.0/16 and 10.0.128.0/17 overlap (A2)");
        let e = AddressPlan::new(&ns(&["10.0.0.0/16"]), &ns(&["10.0.1.0/24", "10.0.0.0/23"]))
            .expect_err("overlapping subnets");
        assert_eq!(e, PlanError::Overlap { block: n("10.0.1.0/24"), existing: n("10.0.0.0/23") });
        let e = AddressPlan::new(&ns(&["10.0.0.0/16"]), &ns(&["10.0.1.0/24", "10.0.1.0/24"]))
            .expect_err("duplicate subnet");
        assert!(matches!(e, PlanError::Overlap { .. }));
        let e = AddressPlan::new(&ns(&["10.0.0.0/16"]), &ns(&["10.1.0.0/24"])).expect_err("outside");
        assert_eq!(e.to_string(), "10.1.0.0/24 is not inside any single CIDR of the VPC (A5)");
        let e =
            AddressPlan::new(&ns(&["10.0.0.0/24", "10.0.1.0/24"]), &ns(&["10.0.0.0/23"])).expect_err("spans two cidrs");
        assert!(matches!(e, PlanError::OutsideVpc { .. }));
    }

    #[test]
    fn split_and_join() {
        let parts = split(n("10.0.0.0/24"), 2).expect("valid");
        assert_eq!(parts, ns(&["10.0.0.0/26", "10.0.0.64/26", "10.0.0.128/26", "10.0.0.192/26"]));
        assert_eq!(join(&parts), Ok(n("10.0.0.0/24")));
        let mut shuffled = parts.clone();
        shuffled.reverse();
        assert_eq!(join(&shuffled), Ok(n("10.0.0.0/24")));
        assert_eq!(join(&parts[2..]), Ok(n("10.0.0.128/25")));
        assert_eq!(split(n("10.0.0.7/32"), 0), Ok(ns(&["10.0.0.7/32"])));
        assert_eq!(join(&ns(&["10.0.0.7/32"])), Ok(n("10.0.0.7/32")));
        assert_eq!(split(n("0.0.0.0/0"), 1), Ok(ns(&["0.0.0.0/1", "128.0.0.0/1"])));
        assert_eq!(join(&ns(&["0.0.0.0/1", "128.0.0.0/1"])), Ok(n("0.0.0.0/0")));
        assert_eq!(split(n("255.255.255.254/31"), 1), Ok(ns(&["255.255.255.254/32", "255.255.255.255/32"])));
    }

    #[test]
    fn split_errors() {
        let e = split(n("10.0.0.0/31"), 2).expect_err("too deep");
        assert_eq!(e, PlanError::SplitTooDeep { block: n("10.0.0.0/31"), bits: 2 });
        assert_eq!(e.to_string(), "10.0.0.0/31 cannot be split into 4 parts: they would be smaller than /32");
        assert_eq!(split(n("0.0.0.0/0"), 17), Err(PlanError::SplitTooWide { bits: 17 }));
        assert_eq!(split(n("0.0.0.0/0"), 255), Err(PlanError::SplitTooWide { bits: 255 }));
    }

    #[test]
    fn join_errors() {
        assert_eq!(join(&[]), Err(PlanError::JoinEmpty));
        assert_eq!(
            join(&ns(&["10.0.0.0/24", "10.0.1.0/25"])),
            Err(PlanError::JoinMixedSizes { a: n("10.0.0.0/24"), b: n("10.0.1.0/25") })
        );
        let e = join(&ns(&["10.0.0.0/24", "10.0.2.0/24"])).expect_err("gap");
        assert_eq!(e, PlanError::JoinNotSiblings { expected: n("10.0.1.0/24"), found: n("10.0.2.0/24") });
        assert!(matches!(join(&ns(&["10.0.0.0/24", "10.0.0.0/24"])), Err(PlanError::JoinNotSiblings { .. })));
        assert_eq!(
            join(&ns(&["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"])),
            Err(PlanError::JoinCountNotPowerOfTwo { count: 3 })
        );
        let e = join(&ns(&["10.0.1.0/24", "10.0.2.0/24"])).expect_err("not aligned");
        assert_eq!(e, PlanError::JoinNotAligned { first: n("10.0.1.0/24"), parent: n("10.0.0.0/23") });
        assert!(e.to_string().contains("not siblings"));
    }

    #[test]
    fn resize_checks() {
        let p = plan(&["10.0.0.0/16"], &["10.0.0.0/24", "10.0.1.0/24", "10.0.4.0/24"]);
        assert_eq!(
            p.check_resize(n("10.0.1.0/24"), 23),
            Err(PlanError::Overlap { block: n("10.0.0.0/23"), existing: n("10.0.0.0/24") })
        );
        assert_eq!(p.check_resize(n("10.0.4.0/24"), 23), Ok(n("10.0.4.0/23")));
        assert_eq!(p.check_resize(n("10.0.4.0/24"), 26), Ok(n("10.0.4.0/26")));
        assert_eq!(p.check_resize(n("10.0.4.0/24"), 15), Err(PlanError::OutsideVpc { block: n("10.0.0.0/15") }));
        assert_eq!(p.check_resize(n("10.0.9.0/24"), 23), Err(PlanError::NotAllocated { block: n("10.0.9.0/24") }));
        assert_eq!(p.check_resize(n("10.0.4.0/24"), 33), Err(PlanError::InvalidPrefix { prefix_len: 33 }));
    }

    #[test]
    fn top_and_bottom_of_the_address_space() {
        let mut p = plan(&["0.0.0.0/0"], &["255.255.255.255/32"]);
        assert_eq!(p.free_blocks().len(), 32);
        assert_eq!(p.free_blocks()[0], n("0.0.0.0/1"));
        assert_eq!(p.free_blocks()[31], n("255.255.255.254/32"));
        assert_eq!(p.largest_free_block(), Some(n("0.0.0.0/1")));
        assert_eq!(p.next_free_block(0), Err(PlanError::NoFreeBlock { prefix_len: 0, largest: Some(n("0.0.0.0/1")) }));
        assert_eq!(p.allocate_next(32), Ok(n("0.0.0.0/32")));
        assert_eq!(p.address_totals(), AddressTotals { total: 1 << 32, used: 2, free: (1 << 32) - 2 });
        let mut top = plan(&["255.255.255.255/32"], &[]);
        assert_eq!(top.allocate_next(32), Ok(n("255.255.255.255/32")));
        assert_eq!(top.allocate_next(32), Err(PlanError::NoFreeBlock { prefix_len: 32, largest: None }));
        assert!(top.next_free_block(32).expect_err("full").to_string().ends_with("the VPC is full"));
    }

    #[test]
    fn overlap_detection() {
        assert_eq!(check_no_overlap(&ns(&["10.0.0.0/24", "10.0.1.0/24"])), Ok(()));
        assert_eq!(check_no_overlap(&[]), Ok(()));
        let e = check_no_overlap(&ns(&["10.0.3.0/24", "10.0.0.0/16"])).expect_err("overlap");
        assert_eq!(e.to_string(), "10.0.3.0/24 overlaps the allocated subnet 10.0.0.0/16 (A5)");
    }

    proptest::proptest! {
        /// The incremental first-fit update in `FreeMap::take` agrees with a full reindex.
        #[test]
        fn first_fit_index_stays_exact(
            vpc_prefix in 8u8..=28,
            vpc_addr in proptest::prelude::any::<u32>(),
            steps in proptest::collection::vec((0u8..=12, proptest::prelude::any::<u32>(), proptest::prelude::any::<bool>()), 1..60),
        ) {
            let vpc = block(u64::from(vpc_addr), vpc_prefix);
            let mut plan = AddressPlan::new(&[vpc], &[]).expect("one cidr");
            for (extra, off, first_fit) in steps {
                let p = (vpc_prefix + extra).min(32);
                if first_fit {
                    let _ = plan.allocate_next(p);
                } else {
                    let at = Span::of(vpc).start + u64::from(off) % block_size(vpc_prefix);
                    let _ = plan.allocate(block(at, p));
                }
                let mut fresh = plan.free.clone();
                fresh.reindex();
                proptest::prop_assert_eq!(plan.free.first_fit, fresh.first_fit);
            }
        }
    }
}
