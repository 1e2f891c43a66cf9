//! Planner performance: the free-block map of 10.0.0.0/8 holding 100,000 subnets, and 1,000
//! next-free-block queries against it. Target: the map in under 10 ms.

use criterion::{criterion_group, criterion_main, BatchSize, Criterion};
use ipnet::Ipv4Net;
use std::hint::black_box;
use std::net::Ipv4Addr;
use vpcraft::net::AddressPlan;

/// The allocator the app runs with (`src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Deterministic pseudo-random generator (64-bit LCG, Knuth's constants).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) as u32
    }
}

/// 100,000 disjoint subnets in 10.0.0.0/8: a mix of /24, /26, /27 and /28 laid out in address
/// order with random holes, then shuffled so the planner has to sort them.
fn subnets_in_slash_8(count: usize) -> Vec<Ipv4Net> {
    let mut rng = Lcg(0x5eed);
    let base = u64::from(u32::from(Ipv4Addr::new(10, 0, 0, 0)));
    let end = base + (1 << 24);
    let mut cursor = base;
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        let prefix = [24u8, 26, 27, 28, 28][(rng.next() % 5) as usize];
        let size = 1u64 << (32 - prefix);
        cursor = cursor.div_ceil(size) * size;
        assert!(cursor + size <= end, "generator ran out of space");
        if rng.next() % 10 < 7 {
            let net = Ipv4Net::new(Ipv4Addr::from(cursor as u32), prefix).expect("prefix ≤ 32");
            out.push(net);
        }
        cursor += size;
    }
    for i in (1..out.len()).rev() {
        let j = (rng.next() as usize) % (i + 1);
        out.swap(i, j);
    }
    out
}

fn bench_planner(c: &mut Criterion) {
    let vpc = [Ipv4Net::new(Ipv4Addr::new(10, 0, 0, 0), 8).expect("valid")];
    let subnets = subnets_in_slash_8(100_000);
    let plan = AddressPlan::new(&vpc, &subnets).expect("disjoint subnets");
    eprintln!(
        "setup: {} subnets, {} free blocks, largest free {:?}",
        plan.used_blocks().len(),
        plan.free_blocks().len(),
        plan.largest_free_block()
    );

    c.bench_function("free_map_slash8_100k_subnets", |b| {
        b.iter(|| AddressPlan::new(black_box(&vpc), black_box(&subnets)))
    });

    let prefixes: Vec<u8> = (0..1000).map(|i| 16 + (i % 13) as u8).collect();
    c.bench_function("next_free_block_1000_queries", |b| {
        b.iter(|| {
            for p in &prefixes {
                let _ = black_box(plan.next_free_block(black_box(*p)));
            }
        })
    });

    c.bench_function("allocate_next_100_subnets", |b| {
        b.iter_batched(
            || plan.clone(),
            |mut p| {
                for i in 0..100u8 {
                    let _ = black_box(p.allocate_next(24 + i % 5));
                }
                p
            },
            BatchSize::LargeInput,
        )
    });
}

criterion_group!(benches, bench_planner);
criterion_main!(benches);
