//! The IPv6 matrix on a generated 1000-VPC dual-stack design (`vpcraft gen --vpcs 1000
//! --ipv6`: 6,000 subnets, each with a /64): every subnet × (subnets + internet + S3's
//! dual-stack name) for one port, over IPv6, with a pass over every cell; and the IPv4 matrix
//! of the same design, for comparison.
//!
//! Take figures with `cargo bench --bench reach6 -- --warm-up-time 1 --measurement-time 3`.

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::time::Instant;
use vpcraft::model::gen::generate_dual_stack;
use vpcraft::sim::reach::{compute, Family, ReachOptions};

/// The allocator the app runs with (`src/main.rs`).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const VPCS: usize = 1000;

fn bench(c: &mut Criterion) {
    let d = generate_dual_stack(VPCS, 42);
    let o6 = ReachOptions::defaults_for(&d, Family::Ipv6);
    let o4 = ReachOptions::defaults_for(&d, Family::Ipv4);
    for (name, o) in [("IPv6", &o6), ("IPv4", &o4)] {
        let t = Instant::now();
        let m = compute(&d, o).expect("matrix");
        let first = t.elapsed();
        let (rows, cols, _) = m.shape();
        let (delivered, dropped) = m.counts(0);
        eprintln!(
            "{name} reach on {VPCS} dual-stack VPCs: {rows} × {cols} = {} cells ({delivered} delivered, {dropped} dropped) from {} traces; first run {first:?}",
            rows * cols,
            m.traced
        );
    }
    let mut g = c.benchmark_group("reach6");
    // Measurement and warm-up times come from the command line.
    g.sample_size(10);
    g.bench_function("ipv6_matrix_1000_dual_stack_vpcs_one_port", |b| {
        b.iter(|| {
            let m = compute(black_box(&d), black_box(&o6)).expect("matrix");
            black_box(m.counts(0))
        })
    });
    g.bench_function("ipv4_matrix_1000_dual_stack_vpcs_one_port", |b| {
        b.iter(|| {
            let m = compute(black_box(&d), black_box(&o4)).expect("matrix");
            black_box(m.counts(0))
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
